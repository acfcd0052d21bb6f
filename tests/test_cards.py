"""Cards: what a Teams user sees for a Message, and what a button press sends back."""

import json

import pytest

from bot.cards import CARD_VERSION, CardTexts, attachment, message_card, submit_actions
from bot.reply import Choice, Message

# The Adaptive Card 1.5 vocabulary this bot may use, with the allowed values of each
# enumerated property (adaptivecards.io schema). Anything else fails the test.
ELEMENTS = {"TextBlock", "ActionSet", "Container", "ColumnSet", "Column", "FactSet"}
ACTIONS = {"Action.Submit"}
ENUMS = {
    "size": {"Default", "Small", "Medium", "Large", "ExtraLarge"},
    "weight": {"Default", "Lighter", "Bolder"},
    "color": {"Default", "Dark", "Light", "Accent", "Good", "Warning", "Attention"},
    "spacing": {"None", "Small", "Default", "Medium", "Large", "ExtraLarge", "Padding"},
    "style": {"default", "heading"},
}
TEXTBLOCK_PROPS = {"type", "text", "wrap", "isSubtle", "separator", *ENUMS}
CONTAINER_STYLES = {"default", "emphasis", "good", "attention", "warning", "accent"}


def validate(card: dict) -> None:
    """Structural check of a card against the Adaptive Cards 1.5 rules we rely on."""
    assert card["type"] == "AdaptiveCard"
    assert tuple(map(int, card["version"].split("."))) <= (1, 5), "Teams renders at most 1.5"
    assert card["msteams"] == {"width": "Full"}
    json.loads(json.dumps(card, ensure_ascii=False))  # plain JSON, nothing exotic

    def action(node: dict) -> None:
        assert node["type"] in ACTIONS
        assert set(node) == {"type", "title", "data"}
        assert node["title"].strip()
        assert isinstance(node["data"], dict)

    def element(node: dict) -> None:
        assert node["type"] in ELEMENTS, node
        if node["type"] == "Container":
            assert set(node) <= {"type", "style", "spacing", "selectAction", "items", "separator"}
            assert node.get("style", "default") in CONTAINER_STYLES
            assert node.get("spacing", "Default") in ENUMS["spacing"]
            if "selectAction" in node:
                action(node["selectAction"])
            assert node["items"]
            for item in node["items"]:
                element(item)
        if node["type"] == "TextBlock":
            assert set(node) <= TEXTBLOCK_PROPS, set(node) - TEXTBLOCK_PROPS
            assert isinstance(node["text"], str) and node["text"].strip()
            assert node["wrap"] is True  # Teams cuts unwrapped text at one line
            for prop, allowed in ENUMS.items():
                assert node.get(prop, "Default" if prop != "style" else "default") in allowed, (prop, node)
        if node["type"] == "ActionSet":
            assert node["actions"]
            for each in node["actions"]:
                action(each)

    for node in card["body"]:
        element(node)


def texts_of(card: dict) -> list[str]:
    """The card's own text blocks (not the labels inside tappable rows)."""
    return [n["text"] for n in card["body"] if n["type"] == "TextBlock"]


def buttons(card: dict) -> list[tuple[str, dict]]:
    return [(a["title"], a["data"]) for a in submit_actions(card)]


ANSWER = Message(
    title="Sista dag för löneunderlag",
    text="Underlag ska vara inne **senast den 8:e** i innevarande månad.\n\n"
    "För december 2026 betyder det:\n- tisdag 8 december 2026\n- inte senare",
    warning="Tjänstebeskrivningen gäller till 2026-12-31.",
    fine_print="Kommer underlaget senare hanteras det till nästa månads lön.",
    source="Källa: Tjänstebeskrivning Löneservice, avsnitt 4.2",
    follow_ups=[
        Choice("Löneöversyn", {"action": "ask", "entry": "loneoversyn"}),
        Choice("Utanordningslista", {"action": "ask", "entry": "utanordningslista"}),
        Choice("Sjuklön", {"action": "ask", "entry": "sjuklon"}),
        Choice("Semester", {"action": "ask", "entry": "semester"}),
    ],
    feedback_entry="loneunderlag-sista-dag",
)
TEXTS = CardTexts(
    feedback_up="👍 Ja",
    feedback_down="👎 Nej",
    feedback_prompt="Fick du svar på din fråga?",
    follow_ups_heading="Du kanske också undrar",
)


def test_an_answer_card_reads_top_to_bottom():
    card = message_card(ANSWER, TEXTS)
    validate(card)
    assert card["version"] == CARD_VERSION == "1.5"
    assert texts_of(card) == [
        "Sista dag för löneunderlag",
        "Tjänstebeskrivningen gäller till 2026-12-31.",
        "Underlag ska vara inne **senast den 8:e** i innevarande månad.",
        "För december 2026 betyder det:",
        "- tisdag 8 december 2026\n- inte senare",
        "Kommer underlaget senare hanteras det till nästa månads lön.",
        "Källa: Tjänstebeskrivning Löneservice, avsnitt 4.2",
        "Du kanske också undrar",
        "Fick du svar på din fråga?",
    ]
    title, warning, _, _, _, fine_print, source, *_ = card["body"]
    assert (title["weight"], title["size"]) == ("Bolder", "Medium")
    assert warning["color"] == "Attention"
    assert fine_print["size"] == source["size"] == "Small" and fine_print["isSubtle"] and source["isSubtle"]


def test_at_most_three_follow_ups_then_thumbs():
    card = message_card(ANSWER, TEXTS)
    assert buttons(card) == [
        ("Löneöversyn", {"action": "ask", "entry": "loneoversyn"}),
        ("Utanordningslista", {"action": "ask", "entry": "utanordningslista"}),
        ("Sjuklön", {"action": "ask", "entry": "sjuklon"}),
        ("👍 Ja", {"action": "feedback", "entry": "loneunderlag-sista-dag", "vote": "up"}),
        ("👎 Nej", {"action": "feedback", "entry": "loneunderlag-sista-dag", "vote": "down"}),
    ]
    thumbs = card["body"][-1]
    assert [a["title"] for a in thumbs["actions"]] == ["👍 Ja", "👎 Nej"]  # side by side


def test_button_data_round_trips_as_the_submit_value():
    """Teams sends an Action.Submit's data back as the activity value, unchanged."""
    value = {"action": "flow.answer", "flow": "ny-behorighet", "step": "system", "choice": "heroma"}
    msg = Message(text="Vilket system gäller det?", choices=[Choice("Heroma", value)])
    card = message_card(msg)
    validate(card)
    ((title, data),) = buttons(card)
    assert title == "Heroma"
    assert json.loads(json.dumps(data)) == value
    assert data is not value  # the card holds its own copy


def test_choices_each_get_their_own_row_in_order():
    msg = Message(
        text="Menade du …?",
        choices=[
            Choice("Sista dag för löneunderlag", {"action": "ask", "entry": "a"}),
            Choice("Utanordningslista", {"action": "ask", "entry": "b"}),
            Choice("Inget av dessa", {"action": "command", "command": "avbryt"}),
        ],
    )
    card = message_card(msg)
    validate(card)
    rows = [n for n in card["body"] if n["type"] == "ActionSet"]
    assert [[a["title"] for a in r["actions"]] for r in rows] == [
        ["Sista dag för löneunderlag"],
        ["Utanordningslista"],
        ["Inget av dessa"],
    ]


def test_long_titles_go_on_tappable_rows_that_wrap_instead_of_cut_off_buttons():
    """User gets "Menade du …?" with long entry titles: every title stays readable."""
    long = "Sista dag för förhandlingsresultat vid löneöversyn (den 5:e)"
    msg = Message(
        text="Menade du …?",
        choices=[
            Choice("Sista dag för löneunderlag", {"action": "ask", "entry": "a"}),
            Choice(long, {"action": "ask", "entry": "b"}),
        ],
        follow_ups=[Choice("Löneöversyn", {"action": "ask", "entry": "c"})],
    )
    card = message_card(msg)
    validate(card)
    rows = [n for n in card["body"] if n["type"] == "Container"]
    # The whole group switches style, so it still reads as one list; follow-ups stay buttons.
    assert [r["items"][0]["text"] for r in rows] == ["Sista dag för löneunderlag", long]
    assert all(r["selectAction"]["type"] == "Action.Submit" and r["style"] == "emphasis" for r in rows)
    assert rows[1]["items"][0]["wrap"] is True
    assert buttons(card) == [
        ("Sista dag för löneunderlag", {"action": "ask", "entry": "a"}),
        (long, {"action": "ask", "entry": "b"}),
        ("Löneöversyn", {"action": "ask", "entry": "c"}),
    ]
    assert [n["actions"][0]["title"] for n in card["body"] if n["type"] == "ActionSet"] == ["Löneöversyn"]


def test_without_texts_from_content_the_card_adds_no_words():
    """Headings come from messages.yaml; the defaults are only the thumbs symbols."""
    card = message_card(ANSWER)
    validate(card)
    words = set(" ".join(texts_of(card) + [t for t, _ in buttons(card)]).split())
    assert words <= set(ANSWER.all_text().split()) | {"👍", "👎"}
    assert [t for t, _ in buttons(card)][-2:] == ["👍", "👎"]


def test_lines_stay_lines_and_lists_stay_lists():
    """Card markdown joins single newlines into one paragraph; the card keeps the author's lines."""
    text = "Första raden.\nAndra raden.\n\n1. ett\n2. två\n   fortsättning på två\nSista raden."
    card = message_card(Message(text=text, title="T"))
    validate(card)
    assert texts_of(card)[1:] == [
        "Första raden.",
        "Andra raden.",
        "1. ett\n2. två\n   fortsättning på två",
        "Sista raden.",
    ]


def test_only_text_goes_out_as_text():
    assert message_card(Message(text="Okej, jag avbryter.")) is None


@pytest.mark.parametrize(
    "extra",
    [
        {"title": "Rubrik"},
        {"source": "Källa: x"},
        {"warning": "Varning"},
        {"fine_print": "Liten text"},
        {"choices": [Choice("Ja", {"action": "command", "command": "hjälp"})]},
        {"follow_ups": [Choice("Mer", {"action": "ask", "entry": "x"})]},
        {"feedback_entry": "x"},
    ],
)
def test_anything_beyond_text_makes_a_card(extra):
    card = message_card(Message(text="Svar.", **extra))
    validate(card)
    assert "Svar." in texts_of(card)


def test_a_card_with_only_buttons_has_no_empty_text_blocks():
    card = message_card(Message(choices=[Choice("Ja", {"action": "flow.start", "flow": "x"})]))
    validate(card)
    assert texts_of(card) == []


def test_attachment_wraps_the_card_for_an_activity():
    card = message_card(ANSWER)
    assert attachment(card) == {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}
