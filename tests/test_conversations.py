"""Whole conversations through the real turn logic, read like transcripts.

Every test drives ``Assistant.handle`` with the real knowledge/ and dialogs/ through
``tests.conversation.Conversation``: ``chat.say("…")`` is the user typing, ``chat.press("…")``
clicks a button of the last reply, ``chat.submit({...})`` sends a raw card value. Today is
Monday 2026-11-23 unless a test says otherwise.

What is tested elsewhere and not repeated here: the flow engine on its own with fake
contacts (test_flows.py), the Teams channel layer (test_teams.py), date arithmetic
(test_dates.py, test_deadlines.py) and matching quality over many questions (test_devset.py).
Here the point is that the pieces work *together* in a conversation.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from bot.analytics import Recorder, collect
from bot.cards import feedback_value
from bot.render import numbered_buttons, render_text
from bot.reply import Reply
from bot.settings import Settings
from bot.turn import build_assistant, looks_english
from tests.conversation import TODAY, Conversation, real_assistant, text_of

SETTINGS = real_assistant().settings
MESSAGES = real_assistant().messages
KB = real_assistant().kb
FLOW_HINT = "Skriv *tillbaka*, *börja om* eller *avbryt* när du vill."
SAS_QUESTION = "Arbetar du på Södra Älvsborgs Sjukhus (SÄS)?"
CHEF_QUESTION = "Är du ansvarig chef för personen som ska få behörigheten?"
ROLE_QUESTION = "Vilken behörighetsroll ska personen ha i Heroma?"
NAME_QUESTION = "Vad heter personen som ska få behörigheten?"
VALID_TO = "giltig till 2026-12-31"
ENGINE = real_assistant().flows.texts["engine"]  # the guide engine's own words (dialogs/_texts.yaml)


# --- helpers -----------------------------------------------------------------------------


def after(*turns: str) -> Conversation:
    """A fresh conversation in which the user has said ``turns``, one message each."""
    chat = Conversation()
    for said in turns:
        chat.say(said)
    return chat


def flow(chat: Conversation) -> tuple[str, str] | None:
    """(flow id, current step) of the user's active guide, or None."""
    state = chat.state.get("flow")
    return (state["flow"], state["step"]) if state else None


def choice_titles(reply: Reply) -> list[str]:
    return [c.title for c in reply.choices()]


def assert_swedish_reply(reply: Reply) -> None:
    """Something a user can read: at least one non-empty Swedish message, no internals."""
    assert reply.messages, "the user got no reply at all"
    text = text_of(reply)
    assert text.strip()
    assert any(ch in text for ch in "åäöÅÄÖ"), f"not Swedish: {text!r}"
    for leak in ("Traceback", "Error", "None", "{", "}"):
        assert leak not in text, f"{leak!r} leaked into: {text!r}"


def walk_to_role_step(chat: Conversation) -> None:
    """behörighet → ja (SÄS) → ja (ansvarig chef): the role question is next."""
    chat.say("behörighet")
    chat.say("ja")
    reply = chat.say("ja")
    assert ROLE_QUESTION in text_of(reply)


# === 1. Answers ============================================================================


def test_deadline_question_gets_the_rule_the_next_date_and_the_source():
    chat = Conversation()
    reply = chat.say("När ska löneunderlaget vara inne?")

    assert reply.status == "answer"
    assert reply.entry == "loneunderlag-sista-dag"
    answer = reply.messages[0]
    assert "**senast den 8:e**" in answer.text
    assert "Nästa sista dag: tisdag 8 december 2026, om 15 dagar." in answer.text
    assert answer.source == f"Källa: Tjänstebeskrivning Löneservice, avsnitt 1.1, version 5.0, {VALID_TO}"
    assert answer.warning is None  # the document is still valid on 2026-11-23
    assert "In English" not in answer.text


def test_an_answer_offers_related_questions_and_asks_for_feedback():
    chat = Conversation()
    reply = chat.say("När ska löneunderlaget vara inne?")

    answer = reply.messages[0]
    assert answer.feedback_entry == "loneunderlag-sista-dag"
    assert "nästa månads lön" in answer.text  # what happens after the 8th is part of it
    assert [c.value for c in answer.follow_ups] == [
        {"action": "ask", "entry": "loneoversyn-forhandlingsresultat"},
        {"action": "ask", "entry": "omorganisation-underlag"},
        {"action": "ask", "entry": "utanordningslista"},
    ]
    # Pressing a follow-up answers that entry.
    reply = chat.press(KB.entries["omorganisation-underlag"].title)
    assert reply.status == "answer" and reply.entry == "omorganisation-underlag"
    assert "två månader" in text_of(reply)


def test_feedback_buttons_are_thanked():
    chat = Conversation()
    chat.say("När ska löneunderlaget vara inne?")

    up = chat.submit(feedback_value("loneunderlag-sista-dag", "up"))
    assert text_of(up) == MESSAGES.text("feedback_thanks_up")
    down = chat.submit(feedback_value("loneunderlag-sista-dag", "down"))
    assert "VGR Serviceportal" in text_of(down)


@pytest.mark.parametrize(
    "text", ["kanske", "båda", "vänta", "igen", "stämmer", "osäker", "berätta mer", "jag förstår inte", "ingen aning"]
)
def test_words_that_name_no_topic_are_not_answered(text):
    # Each of these matched a word in some long variant's story ("vänta" → telephone
    # support at 0.96) before a question had to name a topic the knowledge base declares.
    reply = Conversation().say(text)
    assert reply.status == "fallback" and reply.entry is None
    assert MESSAGES.text("fallback_text") in text_of(reply)


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("min lön är fel, 19850101-1234", "fel-pa-lonen"),  # the digits named a rare "topic"
        ("min lön är fel, mitt pnr är 199001011234", "fel-pa-lonen"),
        ("det är fel på min lön, mejla mig på anna.svensson@vgregion.se", "fel-pa-lonen"),
        ("lonunderlag", "loneunderlag-sista-dag"),  # a typo, not lön + an unknown word
        ("sista dag for lonunderlag december", "loneunderlag-sista-dag"),
        ("vi byter chef på avdelning 32 den 1 februari, vad gör jag?", "chefskoppling"),  # "32" names nothing
    ],
)
def test_personal_data_and_misspelt_compounds_do_not_derail_a_question(question, entry):
    reply = Conversation().say(question)
    assert reply.status == "answer" and reply.entry == entry


def test_resigning_is_about_ending_an_employment_not_terminating_a_local_agreement():
    # "säga upp" alone is the local agreement's word; "säga upp sig/mig" and "uppsagd" are ending work.
    for question in ("jag vill säga upp mig", "jag har blivit uppsagd"):
        reply = Conversation().say(question)
        offered = [reply.entry] if reply.status == "answer" else [c.value.get("entry") for c in reply.choices()]
        assert "lokala-avtal-uppsagning" not in offered and "avsluta-anstallning" in offered
    assert Conversation().say("Hur säger vi upp ett lokalt avtal?").entry == "lokala-avtal-uppsagning"


def test_a_personnummer_in_a_question_is_answered_with_a_tip_not_to_write_it():
    reply = Conversation().say("mitt personnummer är 850101-1234, varför fick jag fel lön?")
    assert reply.status == "answer" and reply.entry == "fel-pa-lonen"
    assert reply.messages[-1].text == MESSAGES.text("personnummer_notice")
    assert MESSAGES.text("personnummer_notice") not in text_of(Conversation().say("varför fick jag fel lön?"))


def test_saying_the_answer_was_wrong_counts_as_a_thumbs_down_and_asks_to_rephrase(tmp_path):
    recorder = Recorder(tmp_path / "a.sqlite3")
    chat = Conversation(assistant=build_assistant(replace(Settings(), state_path=None), TODAY, recorder))
    chat.say("När ska löneunderlaget vara inne?")
    reply = chat.say("Det var inte det jag frågade!")
    assert reply.status == "command" and text_of(reply).startswith(MESSAGES.text("not_helpful_reply"))
    assert "VGR Serviceportal" in text_of(reply)

    walk_to_role_step(chat)
    reply = chat.say("fel svar")  # mid-guide: about the guide, so how to go back, no vote; the step again
    assert text_of(reply).startswith(MESSAGES.text("not_helpful_in_guide")) and ROLE_QUESTION in reply.messages[-1].text
    recorder.close()
    assert collect(tmp_path / "a.sqlite3").negative_entries == [("loneunderlag-sista-dag", 1, 0)]


def test_after_the_document_expires_every_answer_warns_it_may_be_outdated():
    chat = Conversation(today=date(2027, 1, 5))
    reply = chat.say("När ska löneunderlaget vara inne?")

    answer = reply.messages[0]
    assert reply.entry == "loneunderlag-sista-dag"
    assert answer.warning is not None
    assert "Tjänstebeskrivning Löneservice gällde till 2026-12-31" in answer.warning
    assert "VGR Serviceportal" in answer.warning
    assert "Nästa sista dag: fredag 8 januari 2027, om 3 dagar." in answer.text


def test_a_sas_routine_answer_names_the_hospital_and_its_own_source():
    chat = Conversation()
    reply = chat.say("avslutas behörigheten automatiskt?")

    assert reply.entry == "behorighet-avsluta"
    answer = reply.messages[0]
    assert "Södra Älvsborgs Sjukhus" in answer.text
    assert "avslutas inte automatiskt" in answer.text
    assert answer.source.startswith("Källa: Behörigheter i Heroma på Södra Älvsborgs Sjukhus")
    assert "giltig till 2028-03-13" in answer.source


def test_an_english_question_gets_an_english_lead_then_the_swedish_answer():
    chat = Conversation()
    reply = chat.say("when is the deadline for payroll?")

    assert reply.entry == "loneunderlag-sista-dag"
    text = reply.messages[0].text
    assert text.startswith("*In English:* Input that Löneservice is to handle must reach them by the 8th")
    assert "**senast den 8:e**" in text  # the bot still speaks Swedish after the lead


@pytest.mark.parametrize(
    ("question", "english"), [("end heroma permission", True), ("I want to change someone's permission in Heroma", True),
                              ("jag behöver support i heroma, hur ändrar jag en behörighet", False),
                              ("pension advice?", True), ("payroll deadline", True),
                              ("deadline för lönen", False), ("lön deadline", False), ("deadline lonen", False)]
)
def test_english_keywords_get_the_english_lead_and_swedish_does_not(question, english):
    reply = Conversation().say(question)
    assert reply.status == "answer"
    assert reply.messages[0].text.startswith("*In English:*") is english


@pytest.mark.parametrize(
    "question", ["vilken dag betalas lönen ut?", "När betalas lönen ut?", "when is payday?"]
)
def test_pay_day_is_not_in_the_documents_so_no_date_is_given(question):
    chat = Conversation()
    reply = chat.say(question)

    assert reply.status == "answer" and reply.entry == "lonedag"
    text = reply.messages[0].text
    assert "står inte i Löneservice tjänstebeskrivning" in text
    assert "VGR Serviceportal" in text
    # The only number it may mention is the 8th (the document's deadline), never a pay day.
    assert set(re.findall(r"\d+", text)) <= {"8"}, text
    assert not re.search(r"\b(2[0-9]|1[0-9]):[ae]\b", text)


def test_contact_answer_gives_the_ways_in_but_invents_no_phone_number():
    chat = Conversation()
    reply = chat.say("hur kontaktar jag löneservice?")

    assert reply.entry == "kontakta-loneservice"
    text = text_of(reply)
    assert "VGR Serviceportal" in text and "intranätet" in text
    assert not re.search(r"\b0\d[\d\s-]{6,}\d\b", text), "a phone number the documents don't state"


DONT_KNOW = "Det vet jag tyvärr inte."
NO_AMOUNTS = "Belopp, priser och nivåer – till exempel lön, OB"


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        ("vem vann melodifestivalen?", DONT_KNOW),
        ("asdfgh", DONT_KNOW),
        # A sum of money: the documents state none, and the bot says that is why.
        ("hur mycket OB får jag", NO_AMOUNTS),
        ("How much is the mileage allowance?", NO_AMOUNTS),
        ("Vad är OB på helger?", NO_AMOUNTS),
    ],
)
def test_what_the_documents_dont_answer_is_said_plainly_with_the_way_on(question, opening):
    chat = Conversation()
    reply = chat.say(question)

    assert reply.status == "fallback" and reply.entry is None
    text = text_of(reply)
    if question.startswith("How"):  # one English line first, then the same Swedish reply
        lead, text = text.split("\n\n", 1)
        assert lead == MESSAGES.text("english_amount_lead")
    assert text.startswith(opening)
    assert "VGR Serviceportal" in text and "Löneservice telefonsupport" in text
    assert not re.search(r"\d", text), "no figure the documents don't state"
    main_topics = ["Sista dag för löneunderlag", "Ansöka om behörighet i Heroma", "Kontakta Löneservice"]
    if "mileage" in question:
        # Reseräkningar would have been answered: the amount reply offers it instead of the main topics.
        assert choice_titles(reply) == ["Reseräkningar"]
        chat = Conversation()
        reply = chat.say("asdfgh")
    assert choice_titles(reply) == main_topics
    # A topic button from the fallback answers at once.
    reply = chat.press("Kontakta Löneservice")
    assert reply.status == "answer" and reply.entry == "kontakta-loneservice"


def test_a_sum_on_a_known_topic_offers_what_the_bot_does_know_about_it():
    chat = Conversation()
    reply = chat.say("hur mycket är traktamentet?")  # the reseräkningar entry gives no amount

    assert reply.status == "fallback" and text_of(reply).startswith("Belopp, priser och nivåer")
    assert "Det här kan jag berätta om ämnet:" in text_of(reply)
    assert choice_titles(reply) == ["Reseräkningar"]
    reply = chat.say("1")  # the typed number picks the topic
    assert reply.status == "answer" and reply.entry == "reserakningar"
    assert "Regler för reseersättning och traktamente står inte i tjänstebeskrivningen" in text_of(reply)


def test_a_sum_question_is_answered_by_an_entry_that_takes_such_questions():
    chat = Conversation()
    # föräldraledighet has a variant that asks for a sum: its answer says the levels
    # are not in the documents and where to ask.
    reply = chat.say("hur mycket ersättning får jag när jag är pappaledig?")
    assert reply.status == "answer" and reply.entry == "foraldraledighet"
    # "hur mycket" about time, not money, is an ordinary question.
    reply = chat.say("hur mycket tid har jag på mig att lämna underlag vid en omorganisation?")
    assert reply.status == "answer" and reply.entry == "omorganisation-underlag"


# === 2. Deadlines as dates ===================================================================


def test_a_named_pay_month_gets_that_months_deadline():
    chat = Conversation()
    reply = chat.say("när ska löneunderlaget för januarilönen vara inne?")

    assert reply.entry == "loneunderlag-sista-dag"
    assert "Sista dag för att komma med på lönen i januari 2027: fredag 8 januari 2027, om 46 dagar." in text_of(reply)


def test_a_monthly_deadline_on_a_saturday_advises_the_friday_before():
    chat = Conversation()
    reply = chat.say("När ska förhandlingsresultatet från löneöversynen vara inne hos Löneservice?")

    assert reply.entry == "loneoversyn-forhandlingsresultat"
    answer = reply.messages[0]
    assert "lördag 5 december 2026, om 12 dagar" in answer.text
    assert "skicka gärna in det senast fredag 4 december 2026" in answer.text
    assert "räkna inte med att den flyttas till nästa vardag" in answer.fine_print  # advice, not a moved deadline


def test_reorganisation_without_a_date_gives_the_earliest_start_and_asks_for_the_date():
    chat = Conversation()
    reply = chat.say("Vi ska omorganisera, när ska underlaget vara inne?")

    assert reply.entry == "omorganisation-underlag"
    text = text_of(reply)
    assert "**minst två månader innan**" in text
    assert "tidigast lördag 23 januari 2027" in text
    assert "Skriv datumet förändringen ska gälla från" in text


def test_reorganisation_with_a_date_gets_the_latest_day_for_that_date():
    chat = Conversation()
    reply = chat.say("vi omorganiserar den 1 mars 2027, när måste underlaget vara inne?")

    # The date is read for the deadline, not matched as words (it would pull in "1 mars 2026").
    assert reply.status == "answer" and reply.entry == "omorganisation-underlag"
    text = text_of(reply)
    assert "måndag 1 mars 2027" in text
    assert "senast fredag 1 januari 2027" in text
    assert "Det är nyårsdagen, så skicka gärna in det senast onsdag 30 december 2026." in text


def test_a_bare_reorganisation_date_is_answered_not_offered_as_the_only_choice():
    chat = Conversation()
    reply = chat.say("Vi omorganiserar 1 januari 2027")

    assert reply.status == "answer" and reply.entry == "omorganisation-underlag"
    assert "senast söndag 1 november 2026, och den dagen har passerat" in text_of(reply)


def test_a_keyword_with_a_date_is_answered_from_that_date():
    chat = Conversation()  # Monday 23 November 2026
    reply = chat.say("intyg i fredags")

    assert reply.status == "answer" and reply.entry == "intyg"
    assert "Räknat från fredag 20 november 2026 blir det senast fredag 27 november 2026" in text_of(reply)


def test_picking_a_suggestion_keeps_the_date_from_the_question():
    chat = Conversation()  # Monday 23 November 2026
    clarify = chat.say("ärende i fredags")
    assert clarify.status == "clarify"
    feedback_title = KB.entries["aterkoppling-serviceportal"].title
    assert feedback_title in clarify.suggestions

    reply = chat.press(feedback_title)
    assert reply.entry == "aterkoppling-serviceportal"
    assert "Räknat från fredag 20 november 2026 blir det senast måndag 23 november 2026" in text_of(reply)

    chat = Conversation()
    chat.say("ärende i fredags")
    typed = chat.say(str(clarify.suggestions.index(feedback_title) + 1))  # typing the number works the same way
    assert typed.entry == "aterkoppling-serviceportal"
    assert "måndag 23 november 2026" in text_of(typed)


def test_a_case_filed_last_friday_gets_its_answer_today():
    chat = Conversation()  # Monday 23 November 2026
    reply = chat.say("lagt ett ärende i portalen i fredags men inte fått svar")

    assert reply.entry == "aterkoppling-serviceportal"
    text = text_of(reply)
    assert "Räknat från fredag 20 november 2026 blir det senast måndag 23 november 2026, i dag" in text


def test_certificate_in_five_working_days_skips_christmas_and_new_year():
    chat = Conversation(today=date(2026, 12, 22))
    reply = chat.say("Hur lång tid tar det att få ett intyg från Löneservice?")

    assert reply.entry == "intyg"
    answer = reply.messages[0]
    # 23 Dec is day 1; julafton, juldagen, the weekend, nyårsafton and nyårsdagen don't count.
    assert (
        "Kommer det in i dag, tisdag 22 december 2026, blir det senast måndag 4 januari 2027, om 13 dagar"
        in answer.text
    )
    assert "fem arbetsdagar" in answer.text
    assert "julafton" in answer.fine_print and "nyårsafton" in answer.fine_print


# === 3. Follow-ups and "Menade du …?" ==========================================================


def test_a_short_follow_up_is_read_in_the_context_of_the_previous_answer():
    chat = Conversation()
    chat.say("När ska löneunderlaget vara inne?")
    reply = chat.say("och för löneöversynen?")

    assert reply.status == "answer"
    assert reply.entry == "loneoversyn-forhandlingsresultat"
    assert "**senast den 5:e**" in text_of(reply)


def test_a_question_that_leans_on_the_previous_answer_is_read_against_it():
    chat = Conversation()
    chat.say("Måste chefen signera utanordningslistan?")
    reply = chat.say("varför?")

    # Not the generic "hittar inget svar" nor a guess from another topic: it says which
    # answer the question was read against, that there is nothing more, and the way on.
    assert reply.status == "fallback" and reply.entry is None
    said = text_of(reply)
    assert MESSAGES.text("in_context_text", title="Signera utanordningslistan varje månad") in said
    assert "VGR Serviceportal" in said
    assert MESSAGES.text("fallback_text") not in said
    assert choice_titles(reply)[0] == "Chefens ansvar inför lönekörningen"  # its related entries
    assert chat.say("1").entry == "chefens-ansvar-infor-lonekorning"  # typed numbers press them

    # Still about the same answer: the previous answer stays the context.
    chat.say("Måste chefen signera utanordningslistan?")
    assert "Signera utanordningslistan" in text_of(chat.say("vem gör det?"))
    assert "Signera utanordningslistan" in text_of(chat.say("vad händer om man inte gör det?"))


def test_a_leaning_question_is_answered_by_a_related_entry_when_one_fits():
    chat = Conversation()
    chat.say("vad är heromaservice")
    assert chat.say("vad ingår i det?").entry == "heromaservice-ingar"
    chat.say("vad är heromaservice")
    assert chat.say("hur beställer jag det?").entry == "heromaservice-bestalla"

    # Only the previous answer and its related entries may answer: "varför?" after the
    # pay day is not about wrong pay, although that entry is related.
    chat.say("när betalas lönen ut?")
    assert chat.say("varför?").entry is None


def test_a_weekend_question_after_a_deadline_gets_that_deadline_with_the_weekend_rule():
    chat = Conversation()
    chat.say("När ska löneunderlaget vara inne?")
    reply = chat.say("räknas helger?")
    assert reply.entry == "loneunderlag-sista-dag"
    assert any(m.fine_print and "flyttas när den infaller på en helg" in m.fine_print for m in reply.messages)


def test_a_follow_up_about_the_previous_answers_own_topic_gets_that_answer_not_a_neighbour():
    chat = Conversation()
    chat.say("Vem ska jag skicka behörighetsblanketten till?")
    reply = chat.say("och vem ska jag mejla?")
    # The address is in that answer; the specialist support entry says it has none.
    assert reply.entry == "behorighetsblankett-skicka"
    # "och för löneöversynen?" still moves on to the neighbour it names.
    chat.say("När ska löneunderlaget vara inne?")
    assert chat.say("och för löneöversynen?").entry == "loneoversyn-forhandlingsresultat"


def test_a_very_short_unsure_question_on_the_previous_answers_own_topic_is_read_against_it():
    chat = Conversation()
    chat.say("Hur ansöker jag om behörighet i Heroma?")
    reply = chat.say("vilka utbildningar?")
    # Alone it could be any training entry; read with the application, its neighbour step 1
    # ranks ahead of the answer just given, and answers it.
    assert reply.entry == "forberedande-utbildningar"
    # A topic the previous answer doesn't have is a new question ("pension?" after the deadline).
    chat.say("När ska löneunderlaget vara inne?")
    assert "en följdfråga" not in text_of(chat.say("pension?"))


def test_a_leaning_question_about_an_amount_gets_the_amounts_reply():
    chat = Conversation()
    chat.say("föräldraledighet")
    reply = chat.say("hur mycket pengar får man då?")
    assert reply.status == "fallback"
    assert MESSAGES.text("amount_text") in text_of(reply)


def test_a_short_question_with_a_topic_of_its_own_is_not_read_against_the_previous_answer():
    chat = Conversation()
    chat.say("När ska löneunderlaget vara inne?")
    assert chat.say("när kommer lönen då?").entry == "lonedag"
    chat.say("När ska löneunderlaget vara inne?")
    assert "Sista dag för underlag" not in text_of(chat.say("hur gör jag med pensionen då?"))
    chat.say("När ska löneunderlaget vara inne?")
    # Neither is a word that asks nothing and points nowhere.
    assert text_of(chat.say("kanske")).startswith(MESSAGES.text("fallback_text"))
    # Nor a first question: there is nothing to lean on.
    assert text_of(Conversation().say("varför?")).startswith(MESSAGES.text("fallback_text"))


def test_weeks_spans_and_holidays_named_in_a_question_become_dates():
    chat = Conversation()
    said = text_of(chat.say("Om jag beställer ett intyg vecka 52, när är det klart?"))
    assert "Räknat från måndag 21 december 2026 blir det senast onsdag 30 december 2026" in said

    said = text_of(chat.say("Om jag skickar in underlaget om två veckor, kommer det med?"))
    assert "Det som kommer in måndag 7 december 2026 hinner till lönen i december 2026" in said

    said = text_of(chat.say("löneunderlag mellandagarna"))
    assert "måndag 28 december 2026 är efter sista dagen för lönen i december 2026" in said
    assert "hinner till lönen i januari 2027 (sista dag fredag 8 januari 2027)" in said


def test_a_past_day_said_in_the_past_tense_is_this_years_and_an_ordinal_after_sending_is_a_day():
    said = text_of(Conversation().say("Jag beställde ett intyg 2 oktober och har inte fått det, när skulle det vara klart?"))
    assert "Räknat från fredag 2 oktober 2026 var sista dag fredag 9 oktober 2026" in said
    said = text_of(Conversation().say("Jag skickade löneunderlaget 20 oktober, kom det med?"))
    assert "tisdag 20 oktober 2026 är efter sista dagen för lönen i oktober 2026" in said

    said = text_of(Conversation().say("Hinner underlaget till lönen om det skickas den 10:e?"))
    assert "torsdag 10 december 2026 är efter sista dagen för lönen i december 2026" in said
    said = text_of(Conversation().say("Jag skickade löneunderlaget den 9:e, kommer det med?"))
    assert "måndag 9 november 2026 är efter sista dagen för lönen i november 2026" in said
    # "senast den 8:e" states the rule, it is no day.
    assert "Nästa sista dag: tisdag 8 december 2026" in text_of(Conversation().say("Ska underlaget skickas senast den 8:e?"))

    said = text_of(Conversation().say("Jag beställde ett intyg den 20:e. När är det klart?"))
    assert "Räknat från fredag 20 november 2026 blir det senast fredag 27 november 2026" in said
    # "behöver … om en vecka" is when it is needed; ordered today it is in time.
    said = text_of(Conversation().say("Jag behöver ett intyg om en vecka, hinner jag om jag beställer det i dag?"))
    assert "alltså i tid till måndag 30 november 2026, då du behöver det" in said

    said = text_of(Conversation().say("Hinner löneunderlaget om jag skickar det i början av januari?"))
    assert "fredag 1 januari 2027 hinner till lönen i januari 2027" in said


def test_a_week_that_holds_the_deadline_gets_both_sides_of_it():
    reply = Conversation().say("Hinner löneunderlaget till decemberlönen om jag skickar det vecka 50?")
    assert (
        "Sista dagen för lönen i december 2026, tisdag 8 december 2026, infaller under vecka 50: det som kommer in"
        " senast den dagen hinner till lönen i december 2026, det som kommer senare till lönen i januari 2027"
        in text_of(reply)
    )
    assert any(m.fine_print and "efter 2026-12-31" in m.fine_print for m in reply.messages)  # January is past the validity


def test_a_date_before_the_document_version_began_says_an_earlier_version_applied():
    reply = Conversation().say("Jag skickade underlaget vecka 50 2025, kom det med?")
    assert any(m.fine_print and "Datumet ligger före 2025-12-16" in m.fine_print for m in reply.messages)
    reply = Conversation().say("När ska löneunderlaget vara inne?")
    assert not any(m.fine_print and "Datumet ligger före" in m.fine_print for m in reply.messages)


def test_a_day_that_does_not_exist_is_named_not_silently_dropped():
    reply = Conversation().say("Jag skickar löneunderlaget 29 februari 2027, kommer det med?")
    assert reply.entry == "loneunderlag-sista-dag"
    assert "Det finns ingen 29 februari 2027 i kalendern, så jag räknar utan det datumet. Nästa sista dag: tisdag 8 december 2026" in text_of(reply)
    assert "Det finns ingen vecka 53 2027 i kalendern" in text_of(Conversation().say("löneunderlag vecka 53 2027"))

    # Its words don't pull the question elsewhere ("april" is not a topic).
    reply = Conversation().say("vi omorganiserar 31 april 2027, när ska underlaget in?")
    assert reply.entry == "omorganisation-underlag"
    assert "Det finns ingen 31 april 2027 i kalendern" in text_of(reply)


def test_a_follow_up_that_only_gives_a_date_gets_the_same_rule_for_that_date():
    chat = Conversation()
    chat.say("När ska löneunderlaget vara inne?")
    chat.say("och för löneöversynen?")
    reply = chat.say("och i januari?")
    assert reply.status == "answer" and reply.entry == "loneoversyn-forhandlingsresultat"
    assert "Sista dag för att komma med på lönen i januari 2027: tisdag 5 januari 2027" in text_of(reply)

    chat.say("Vi ska omorganisera")
    reply = chat.say("om det gäller 1 juni 2027 då?")
    assert reply.entry == "omorganisation-underlag"
    assert "senast torsdag 1 april 2027" in text_of(reply)

    # Only after an answer with a deadline: a date alone means nothing for an application.
    chat.say("hur ansöker jag om behörighet?")
    assert chat.say("och i januari?").entry != "behorighet-ny-ansokan"


def test_after_menade_du_a_typed_number_answers_that_suggestion():
    chat = Conversation()
    clarify = chat.say("blankett")
    assert clarify.status == "clarify"
    assert clarify.messages[0].text == MESSAGES.text("clarify_text")
    suggested = [c.value["entry"] for c in clarify.choices()]
    assert len(suggested) >= 2 and clarify.suggestions == choice_titles(clarify)

    reply = chat.say("2")
    assert reply.status == "answer"
    assert reply.entry == suggested[1]


def test_after_menade_du_a_new_question_is_answered_as_a_new_question():
    chat = Conversation()
    assert chat.say("blankett").status == "clarify"

    reply = chat.say("vilken dag betalas lönen ut?")
    assert reply.status == "answer" and reply.entry == "lonedag"
    # The old suggestions are gone: typed numbers now mean this answer's follow-ups.
    assert chat.state["buttons"] == [c.value for c in reply.messages[0].follow_ups]


# === 4. Flow entry points and offers =============================================================


def test_a_permission_answer_offers_the_guide_and_ja_starts_it():
    chat = Conversation()
    reply = chat.say("hur ansöker jag om behörighet?")

    assert reply.status == "answer" and reply.entry == "behorighet-ny-ansokan"
    assert "alexandra.blomgren@vgregion.se" in reply.messages[0].text
    offer = reply.messages[-1]
    assert offer.text == "Vill du att jag guidar dig steg för steg?"
    assert [c.title for c in offer.choices] == ["Ja, guida mig", "Nej tack"]

    reply = chat.say("ja")
    assert reply.status == "dialog"
    assert SAS_QUESTION in text_of(reply)
    assert flow(chat) == ("ny-behorighet", "sas")


def test_the_offer_button_starts_the_guide_too():
    chat = Conversation()
    chat.say("hur ansöker jag om behörighet?")
    chat.press("Ja, guida mig")

    assert flow(chat) == ("ny-behorighet", "sas")


@pytest.mark.parametrize("decline", ["nej", "nej tack", "button"])
def test_declining_the_offer_starts_nothing(decline):
    chat = Conversation()
    chat.say("hur ansöker jag om behörighet?")
    reply = chat.press("Nej tack") if decline == "button" else chat.say(decline)

    assert text_of(reply) == MESSAGES.text("offer_declined")
    assert flow(chat) is None and "offered_flow" not in chat.state


def test_the_offer_lapses_once_the_user_asks_something_else():
    chat = Conversation()
    chat.say("hur ansöker jag om behörighet?")
    assert chat.say("vilken dag betalas lönen ut?").entry == "lonedag"

    chat.say("ja")
    assert flow(chat) is None


@pytest.mark.parametrize(
    "command, flow_id, title",
    [
        ("behörighet", "ny-behorighet", "Ny behörighet i Heroma"),
        ("Ny behorighet!", "ny-behorighet", "Ny behörighet i Heroma"),
        ("avsluta behörighet", "avsluta-behorighet", "Avsluta behörighet i Heroma"),
        ("AVSLUTA BEHORIGHET", "avsluta-behorighet", "Avsluta behörighet i Heroma"),
        ("ny rapportör", "ny-rapportor", "Ny som Heromarapportör"),
        ("chefskoppling", "chefskoppling", "Chefskoppling i Heroma"),
        ("ändra behörighet", "andra-behorighet", "Ändra behörighet i Heroma"),
    ],
)
def test_a_command_word_starts_its_guide(command, flow_id, title):
    chat = Conversation()
    reply = chat.say(command)

    assert reply.status == "dialog"
    assert flow(chat) == (flow_id, "sas")
    question = reply.messages[-1]
    assert question.title == title
    assert question.fine_print == FLOW_HINT
    assert [c.title for c in question.choices] == ["Ja", "Nej"]


@pytest.mark.parametrize(
    "button, entry, flow_id",
    [
        ("Sista dag för löneunderlag", "loneunderlag-sista-dag", None),
        ("Ansöka om behörighet i Heroma", None, "ny-behorighet"),
        ("Avsluta en behörighet", None, "avsluta-behorighet"),
        ("Ny Heromarapportör", None, "ny-rapportor"),
        ("Kontakta Löneservice", "kontakta-loneservice", None),
    ],
)
def test_welcome_buttons_answer_or_start_a_guide(button, entry, flow_id):
    chat = Conversation()
    chat.last = chat.assistant.welcome()
    reply = chat.press(button)

    assert reply.entry == entry
    assert (flow(chat) or (None,))[0] == flow_id


def test_help_mid_flow_explains_the_commands_and_keeps_the_guide_where_it_was():
    chat = Conversation()
    walk_to_role_step(chat)

    reply = chat.say("hjälp")
    assert reply.status == "command"
    assert "**Under en guide:** *tillbaka* går ett steg bakåt" in text_of(reply)
    assert ROLE_QUESTION in reply.messages[-1].text  # the step again, under the help
    assert flow(chat) == ("ny-behorighet", "roll")  # untouched

    reply = chat.say("chef")
    assert NAME_QUESTION in text_of(reply)
    assert flow(chat) == ("ny-behorighet", "namn")


# === 5. Guided flows through the whole turn =======================================================


def test_ny_behorighet_typed_all_the_way_to_checklist_and_email():
    chat = Conversation()
    email = chat.assistant.kb.contacts["bemanningssamordnare"].fields["email"]
    walk_to_role_step(chat)
    for typed in ["chef", "Anna Svensson", "klar", "klar", "ja", "ja"]:  # … anmäld, utbildningen genomförd
        assert chat.say(typed).status == "dialog"
    reply = chat.say("ja")  # blanketten är ifylld

    assert flow(chat) is None  # finished
    checklist, mail = reply.messages
    assert checklist.title == "Din checklista: behörighet för Anna Svensson"
    assert "Behörighetsroll: **Chef**" in checklist.text
    assert "5. ✅ Klart: Du fyller i och skriver under behörighetsblanketten" in checklist.text
    assert f"6. ⬜ Att göra: Du skickar blanketten i krypterat mejl till bemanningssamordnaren, {email}." in (
        checklist.text
    )
    assert "**Nästa steg:** Du skickar blanketten i krypterat mejl" in checklist.text
    assert mail.title == "Mejl att kopiera till sista steget"
    assert "skickar mejlet krypterat" in mail.text
    assert f"**Till:** {email}" in mail.text
    assert "**Ämne:** Behörighetsblankett Heroma – Anna Svensson, Chef" in mail.text
    assert "{" not in text_of(reply)


def test_ny_behorighet_by_pressing_buttons_lists_what_is_left_to_do():
    chat = Conversation()
    email = chat.assistant.kb.contacts["bemanningssamordnare"].fields["email"]
    chat.say("behörighet")
    chat.press("Ja")
    chat.press("Ja")
    reply = chat.press("Heromarapportör")
    assert NAME_QUESTION in text_of(reply)
    reply = chat.say("Björn Åkesson")
    assert "Har Björn Åkesson gjort **Heroma – Introduktion**?" in text_of(reply)
    chat.press("Inte klar")
    reply = chat.press("Inte klar")
    # Trainings not done: the guide skips the later questions and goes to the checklist.

    assert flow(chat) is None
    text = text_of(reply)
    assert "nästa steg att Björn Åkesson gör klart de förberedande utbildningarna i Lärportalen." in text
    assert "Behörighetsroll: **Heromarapportör**" in text
    assert "1. ⬜ Att göra: Förberedande utbildning Heroma – Introduktion i Lärportalen" in text
    assert "**Nästa steg:** Förberedande utbildning Heroma – Introduktion i Lärportalen" in text
    assert f"till bemanningssamordnaren, {email}" in text
    assert "**Ämne:**" not in text  # the e-mail says the trainings are done: only once they are


def test_a_knowledge_question_mid_flow_is_answered_and_the_step_asked_again():
    chat = Conversation()
    walk_to_role_step(chat)

    reply = chat.say("När ska löneunderlaget vara inne?")
    assert reply.status == "answer" and reply.entry == "loneunderlag-sista-dag"
    assert "tisdag 8 december 2026" in reply.messages[0].text
    assert not any(m.text == MESSAGES.text("offer_flow") for m in reply.messages)  # no offers mid-flow
    assert ROLE_QUESTION in reply.messages[-1].text
    assert flow(chat) == ("ny-behorighet", "roll")

    chat.say("chef")
    assert flow(chat) == ("ny-behorighet", "namn")


def test_typed_numbers_mid_flow_press_the_buttons_shown_with_those_numbers():
    chat = Conversation()
    walk_to_role_step(chat)
    reply = chat.say("När ska löneunderlaget vara inne?")
    # A digression's answer has no follow-up buttons: the step's options keep 1, 2, 3.
    assert reply.entry == "loneunderlag-sista-dag" and not reply.messages[0].follow_ups
    shown = [c.title for c in numbered_buttons(reply)]
    assert shown == [c.title for c in reply.messages[-1].choices] and shown[0] == "Chef"
    assert "1. Chef" in render_text(reply)

    chat.say("1")  # Chef, as the step showed it
    assert flow(chat)[1] != "roll" and chat.state["flow"]["answers"]["roll"] == "chef"

    walk_to_role_step(chat := Conversation())
    reply = chat.say("hjälp")
    topics = len(reply.messages[0].choices)
    reply = chat.say(str(topics + 1))  # the step's first option, numbered after the help's topics
    assert chat.state["flow"]["answers"]["roll"] == "chef"


def test_an_unsure_question_mid_guide_gets_suggestions_not_a_wrong_answer():
    chat = Conversation()
    walk_to_role_step(chat)
    reply = chat.say("blankett")
    assert reply.status == "clarify" and reply.messages[0].text == MESSAGES.text("clarify_text")
    assert ROLE_QUESTION in reply.messages[-1].text and flow(chat) == ("ny-behorighet", "roll")
    assert chat.state["flow"]["misses"] == 0  # not counted towards the offer to cancel
    suggested = reply.messages[0].choices[0].value["entry"]

    reply = chat.say("1")  # the first suggestion: answered, and the guide's question again
    assert reply.status == "answer" and reply.entry == suggested
    assert ROLE_QUESTION in reply.messages[-1].text and flow(chat) == ("ny-behorighet", "roll")


def test_an_answer_with_an_offer_numbers_its_buttons_top_to_bottom():
    chat = Conversation()
    reply = chat.say("Hur ansöker man om behörighet i Heroma?")
    text = render_text(reply)
    shown = [c.title for c in numbered_buttons(reply)]
    assert shown[-2:] == [MESSAGES.text("offer_flow_yes"), MESSAGES.text("offer_flow_no")]
    positions = [text.index(f"{n}. {title}") for n, title in enumerate(shown, start=1)]
    assert positions == sorted(positions) and len(shown) >= 4

    chat.say(str(len(shown) - 1))  # "Ja" is the last but one, under the offer
    assert flow(chat) == ("ny-behorighet", "sas")


def test_a_knowledge_question_at_the_name_step_is_not_taken_as_the_name():
    chat = Conversation()
    walk_to_role_step(chat)
    chat.say("chef")

    reply = chat.say("När ska löneunderlaget vara inne?")
    assert reply.entry == "loneunderlag-sista-dag"
    assert NAME_QUESTION in reply.messages[-1].text
    assert flow(chat) == ("ny-behorighet", "namn")
    assert "namn" not in chat.state["flow"]["answers"]


def test_an_invalid_answer_gets_help_and_the_question_again():
    chat = Conversation()
    walk_to_role_step(chat)

    reply = chat.say("blå")
    assert reply.status == "dialog"
    assert reply.messages[0].text == ENGINE["invalid_choice"]
    assert ROLE_QUESTION in reply.messages[-1].text
    assert flow(chat) == ("ny-behorighet", "roll")


def test_a_name_with_digits_is_refused_with_an_example():
    chat = Conversation()
    walk_to_role_step(chat)
    chat.say("chef")

    reply = chat.say("Anna 2")
    assert "Jag behöver för- och efternamn här" in text_of(reply) and "*Anna Svensson*" in text_of(reply)
    assert flow(chat) == ("ny-behorighet", "namn")
    # Words that are never a name are not written into the checklist either.
    assert "Jag behöver för- och efternamn här" in text_of(chat.say("jag vet inte"))
    chat.say("anna svensson")
    assert chat.state["flow"]["answers"]["namn"] == "Anna Svensson"


def test_three_misses_offer_to_cancel_and_the_cancel_button_ends_the_guide():
    chat = Conversation()
    walk_to_role_step(chat)
    chat.say("blå")
    chat.say("xyzzy")
    reply = chat.say("qwerty")

    assert "Det verkar inte gå så bra just nu. Vill du fortsätta guiden eller avbryta den?" in text_of(reply)
    assert choice_titles(reply) == ["Fortsätt guiden", "Avbryt guiden"]
    reply = chat.press("Avbryt guiden")
    assert "Okej, jag har avbrutit guiden *Ny behörighet i Heroma*." in text_of(reply)
    assert flow(chat) is None


def test_three_misses_then_continue_goes_on_with_a_fresh_count():
    chat = Conversation()
    walk_to_role_step(chat)
    for nonsense in ["blå", "xyzzy", "qwerty"]:
        chat.say(nonsense)

    reply = chat.press("Fortsätt guiden")
    assert reply.messages[0].text == "Okej, vi fortsätter."
    assert ROLE_QUESTION in text_of(reply)
    assert chat.state["flow"]["misses"] == 0


def test_tillbaka_borja_om_and_avbryt_mid_flow():
    chat = Conversation()
    walk_to_role_step(chat)

    reply = chat.say("tillbaka")
    assert reply.messages[0].text == "Okej, vi går ett steg tillbaka."
    assert CHEF_QUESTION in text_of(reply)
    assert flow(chat) == ("ny-behorighet", "chef")
    assert chat.state["flow"]["answers"] == {"sas": "ja"}  # the undone answer is forgotten

    reply = chat.say("börja om")
    assert reply.messages[0].text == "Okej, vi börjar om från början."
    assert SAS_QUESTION in text_of(reply)
    assert chat.state["flow"]["answers"] == {}

    reply = chat.say("tillbaka")
    assert "Det här är guidens första fråga" in text_of(reply)

    reply = chat.say("avbryt")
    assert text_of(reply).startswith("Okej, jag har avbrutit guiden *Ny behörighet i Heroma*.")
    assert flow(chat) is None
    # The "Starta guiden igen" button can be pressed by typing its number.
    assert choice_titles(reply) == ["Starta guiden igen"]
    reply = chat.say("1")  # "Ja" to the SÄS question earlier in the conversation: not asked again
    assert flow(chat) == ("ny-behorighet", "chef")
    assert reply.messages[0].text.startswith("Du har sagt att du jobbar på SÄS")


@pytest.mark.parametrize("command", ["avbryt", "tillbaka"])
def test_flow_commands_outside_a_flow_say_there_is_nothing_to_cancel(command):
    chat = Conversation()
    reply = chat.say(command)

    assert reply.status == "command"
    assert text_of(reply) == MESSAGES.text("nothing_to_cancel")


def test_borja_om_outside_a_flow_forgets_the_previous_topic():
    chat = Conversation()
    chat.say("När ska löneunderlaget vara inne?")
    assert chat.state["last_entry"] == "loneunderlag-sista-dag"

    reply = chat.say("börja om")
    assert text_of(reply) == MESSAGES.text("restarted")
    assert "last_entry" not in chat.state


def test_a_retried_activity_does_not_advance_the_flow_twice():
    chat = Conversation()
    chat.say("behörighet")
    first = chat.say("ja", activity_id="teams-42")
    assert CHEF_QUESTION in text_of(first)
    state_after_first = chat.state

    again = chat.say("ja", activity_id="teams-42")
    assert again.status == "ignored" and again.messages == []
    assert chat.state == state_after_first
    assert flow(chat) == ("ny-behorighet", "chef")


def test_a_flow_left_idle_too_long_ends_with_a_notice():
    chat = Conversation()
    chat.say("behörighet")
    chat.wait(SETTINGS.flow_idle_minutes - 1)
    chat.say("ja")
    assert flow(chat) == ("ny-behorighet", "chef")  # just in time

    chat.wait(SETTINGS.flow_idle_minutes + 1)
    reply = chat.say("ja")
    assert reply.messages[0].text == MESSAGES.text("flow_expired", minutes=SETTINGS.flow_idle_minutes)
    assert f"mer än {SETTINGS.flow_idle_minutes} minuter" in reply.messages[0].text
    assert flow(chat) is None


def test_a_changed_guide_is_restarted_at_the_first_step():
    chat = Conversation()
    chat.say("behörighet")
    chat.say("ja")
    chat.state["flow"]["version"] = "old"

    reply = chat.press("Ja")  # a button on the old question
    assert reply.messages[0].text == "Guiden har uppdaterats sedan du började, så vi börjar om från början."
    assert SAS_QUESTION in reply.messages[1].text
    assert flow(chat) == ("ny-behorighet", "sas")
    assert chat.state["flow"]["answers"] == {}
    assert chat.state["flow"]["version"] != "old"


def test_a_typed_answer_for_the_old_version_is_not_applied_to_the_restarted_guide():
    chat = Conversation()
    chat.say("behörighet")
    chat.say("ja")
    chat.state["flow"]["version"] = "old"

    reply = chat.say("nej")  # meant for "Är du ansvarig chef …?"
    assert reply.messages[0].text == "Guiden har uppdaterats sedan du började, så vi börjar om från början."
    assert flow(chat) == ("ny-behorighet", "sas")
    assert chat.state["flow"]["answers"] == {}
    assert "gäller Södra Älvsborgs Sjukhus, så jag kan inte guida dig" not in text_of(reply)


def test_two_users_in_one_group_chat_keep_their_own_guides():
    anna = Conversation()
    bo = Conversation(assistant=anna.assistant)  # one bot, two users, one chat

    anna.say("behörighet")
    bo.say("avsluta behörighet")
    anna.say("ja")
    reply_bo = bo.say("nej")  # Bo doesn't work at SÄS: his guide ends
    reply_anna = anna.say("ja")

    assert "gäller Södra Älvsborgs Sjukhus" in text_of(reply_bo)
    assert flow(bo) is None
    assert ROLE_QUESTION in text_of(reply_anna)
    assert flow(anna) == ("ny-behorighet", "roll")
    assert anna.state["flow"]["answers"] == {"sas": "ja", "chef": "ja"}


def test_a_card_from_another_guide_is_no_longer_active():
    chat = Conversation()
    old = chat.say("behörighet")
    chat.say("avsluta behörighet")  # switches guide
    assert flow(chat) == ("avsluta-behorighet", "sas")

    reply = chat.submit(old.choices()[0].value)  # "Ja" on the ny-behorighet card
    assert reply.messages[0].text == "Den frågan är inte längre aktiv. Här är frågan vi är på nu."
    assert reply.messages[-1].title == "Avsluta behörighet i Heroma"
    assert flow(chat) == ("avsluta-behorighet", "sas")
    assert chat.state["flow"]["answers"] == {}


# === 6. Robustness at turn level ================================================================


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_empty_input_asks_for_a_question(text):
    chat = Conversation()
    reply = chat.say(text)

    assert reply.status == "command"
    assert text_of(reply) == MESSAGES.text("empty_input")
    assert_swedish_reply(reply)


def test_a_very_long_text_is_refused_politely_and_the_flow_survives():
    chat = Conversation()
    walk_to_role_step(chat)

    reply = chat.say("lön " * 1250)  # 5,000 characters
    assert reply.status == "command"
    assert reply.messages[0].text == MESSAGES.text("too_long", limit=SETTINGS.max_text_chars)
    assert f"max {SETTINGS.max_text_chars} tecken" in text_of(reply)
    assert flow(chat) == ("ny-behorighet", "roll")
    assert reply.messages[-1].text.startswith("Vilken behörighetsroll")  # the guide's question again


@pytest.mark.parametrize("said", ["", "\u200b", "😀", "???"])
def test_no_words_get_asked_for_a_question_and_mid_guide_the_step_again(said):
    # QA pass 31: "😀" got "Det vet jag tyvärr inte"; mid-guide, empty text lost sight of the step.
    assert text_of(Conversation().say(said)) == MESSAGES.text("empty_input")
    chat = Conversation()
    walk_to_role_step(chat)
    reply = chat.say(said)
    assert reply.messages[0].text == MESSAGES.text("empty_input") and flow(chat) == ("ny-behorighet", "roll")
    assert reply.messages[-1].text.startswith("Vilken behörighetsroll")


@pytest.mark.parametrize(
    "value",
    [
        {"action": 5},
        {"action": "ask", "entry": ["x"]},
        {"action": "ask", "entry": "finns-inte"},
        {"action": "flow.start", "flow": "finns-inte"},
        {"action": "feedback", "entry": {"a": 1}, "vote": "up"},
        {"action": "command", "command": 5},
        {"action": "command", "command": "x" * 500},
        {"action": "offer", "choice": "yes"},
        {"unexpected": True},
    ],
)
def test_a_garbage_card_value_gets_a_swedish_reply_and_changes_nothing(value):
    chat = Conversation()
    reply = chat.submit(value)

    assert reply.status == "command"
    assert text_of(reply) == MESSAGES.text("empty_input")
    assert_swedish_reply(reply)
    assert flow(chat) is None


def test_a_flow_answer_card_without_an_active_flow():
    chat = Conversation()
    reply = chat.submit({"action": "flow.answer"})

    assert text_of(reply) == MESSAGES.text("nothing_to_cancel")
    assert_swedish_reply(reply)
    assert flow(chat) is None


def test_a_garbage_card_mid_flow_keeps_the_flow():
    chat = Conversation()
    walk_to_role_step(chat)

    reply = chat.submit({"action": 5})
    assert_swedish_reply(reply)
    assert flow(chat) == ("ny-behorighet", "roll")
    # The role card shown before the garbage is still the current one.
    reply = chat.submit({"action": "flow.answer", "flow": "ny-behorighet", "step": "roll", "choice": "chef"})
    assert NAME_QUESTION in text_of(reply)


def test_an_old_card_pressed_after_the_guide_ended_starts_nothing():
    chat = Conversation()
    old = chat.say("behörighet")
    chat.say("avbryt")

    reply = chat.submit(old.choices()[0].value)
    assert_swedish_reply(reply)
    assert reply.status == "command"
    assert flow(chat) is None


def test_an_old_card_pressed_after_the_guide_expired_says_it_ended():
    chat = Conversation()
    old = chat.say("behörighet")
    chat.wait(SETTINGS.flow_idle_minutes + 5)

    reply = chat.submit(old.choices()[0].value)
    assert reply.messages[0].text == MESSAGES.text("flow_expired", minutes=SETTINGS.flow_idle_minutes)
    assert_swedish_reply(reply)
    assert flow(chat) is None


def test_a_stored_flow_that_is_not_even_a_dict_is_dropped_silently():
    chat = Conversation()
    chat.state = {"flow": "garbage", "seen": "nonsense", "buttons": [5]}

    reply = chat.say("behörighet")
    assert reply.status == "dialog" and flow(chat) == ("ny-behorighet", "sas")


@pytest.mark.parametrize("broken", [{"flow": "finns-inte"}, {"flow": "ny-behorighet", "updated": "?"}])
def test_a_damaged_stored_flow_is_closed_with_a_notice(broken):
    chat = Conversation()
    chat.state = {"flow": broken}

    reply = chat.say("behörighet")  # the user can start again in the same turn
    assert reply.messages[0].text == MESSAGES.text("flow_expired", minutes=SETTINGS.flow_idle_minutes)
    assert flow(chat) == ("ny-behorighet", "sas")


@pytest.mark.parametrize("accept", ["ja", "button"])
def test_accepting_an_offer_for_a_guide_that_was_removed_gets_a_reply(accept):
    chat = Conversation()
    chat.say("hur ansöker jag om behörighet?")
    chat.state["offered_flow"] = "borttagen-guide"  # dialogs/ changed between the two turns

    reply = chat.say("ja") if accept == "ja" else chat.press("Ja, guida mig")
    assert_swedish_reply(reply)
    assert flow(chat) is None


# === 7. Small words with nothing pending =========================================================


@pytest.mark.parametrize("word", ["ja", "nej", "okej"])
def test_a_lone_yes_or_no_with_nothing_pending_is_not_matched_against_the_knowledge_base(word):
    reply = Conversation().say(word)
    assert reply.status == "command"
    assert text_of(reply) == MESSAGES.text("offer_declined")


def test_a_bare_number_with_no_buttons_shows_the_help():
    reply = Conversation().say("2")
    assert reply.status == "command"
    assert MESSAGES.text("help_text") in text_of(reply)
    assert text_of(reply).startswith(MESSAGES.text("no_such_number", n="2"))


def test_a_number_beyond_the_buttons_shown_says_there_is_no_such_option():
    chat = Conversation()
    shown = len(numbered_buttons(chat.say("När ska löneunderlaget vara inne?")))
    reply = chat.say(str(shown + 1))
    assert text_of(reply).startswith(MESSAGES.text("no_such_number", n=str(shown + 1)))


def test_an_english_question_naming_loneservice_still_gets_the_english_lead():
    reply = Conversation().say("How do I contact Löneservice?")
    assert reply.status == "answer"
    assert "In English:" in text_of(reply)


def test_a_question_typed_at_the_name_step_is_answered_not_taken_as_the_name():
    chat = Conversation()
    chat.say("behörighet")
    chat.say("ja")  # works at SÄS
    chat.say("ja")  # is the responsible manager
    chat.say("1")  # role: Chef
    step = chat.state["flow"]["step"]

    reply = chat.say("vilken dag betalas lönen ut")
    assert reply.entry == "lonedag"
    assert chat.state["flow"]["step"] == step  # still waiting for the name
    assert "vilken dag" not in str(chat.state["flow"]["answers"])


def test_a_defect_in_the_turn_logic_costs_the_reply_not_the_state(monkeypatch, caplog):
    chat = Conversation()
    walk_to_role_step(chat)
    before = dict(chat.state)

    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(chat.assistant, "_dispatch", broken)
    reply = chat.say("chef")
    assert text_of(reply) == MESSAGES.text("error_apology")
    assert "Traceback" not in text_of(reply) and "a bug" not in text_of(reply)
    assert chat.state == before and "turn failed" in caplog.text
    monkeypatch.undo()
    chat.say("chef")  # the guide goes on where it was
    assert flow(chat) == ("ny-behorighet", "namn")


def test_a_follow_up_with_a_bare_month_and_a_question_about_a_past_month():
    chat = Conversation()
    chat.say("När ska löneunderlaget vara inne?")
    reply = chat.say("och februari")
    assert reply.entry == "loneunderlag-sista-dag" and "på lönen i februari 2027: måndag 8 februari 2027" in text_of(reply)

    reply = Conversation().say("när var sista dag för löneunderlag i oktober?")
    assert "i oktober 2026 var torsdag 8 oktober 2026 och har passerat" in text_of(reply)


def test_a_date_past_the_documents_validity_carries_a_caveat():
    chat = Conversation()  # Monday 23 November 2026; the service description is valid to 2026-12-31
    reply = chat.say("När ska löneunderlaget vara inne för marslönen?")
    assert "måndag 8 mars 2027" in text_of(reply)
    caveat = f"Datumet ligger efter {VALID_TO.split()[-1]}, då Tjänstebeskrivning Löneservice slutar gälla"
    assert caveat in reply.messages[0].fine_print

    reply = Conversation().say("När ska löneunderlaget vara inne?")  # 8 December 2026: inside
    assert "Datumet ligger efter" not in text_of(reply)

    # Not only deadlines: the earliest date a reorganisation sent today can take effect.
    reply = Conversation().say("När måste underlaget vid en omorganisation vara inne?")
    assert "tidigast lördag 23 januari 2027" in text_of(reply)
    assert caveat in reply.messages[0].fine_print


def test_yes_after_cancelling_takes_the_offer_to_start_the_guide_again():
    chat = Conversation()
    walk_to_role_step(chat)
    reply = chat.say("avbryt")
    assert flow(chat) is None and "Starta guiden igen" in [c.title for c in reply.choices()]
    chat.say("ja")
    assert flow(chat) == ("ny-behorighet", "chef")  # the SÄS question was answered before


def test_back_right_after_a_no_that_ended_the_guide_undoes_it():
    chat = Conversation()
    chat.say("ändra behörighet")
    reply = chat.say("nej")  # not at SÄS: the guide ends with the way on
    assert flow(chat) is None
    reply = chat.say("tillbaka")
    assert flow(chat) == ("andra-behorighet", "sas") and "Arbetar du på Södra Älvsborgs Sjukhus" in text_of(reply)
    chat.say("ja")
    assert flow(chat)[1] != "sas"

    chat = Conversation()
    chat.say("ändra behörighet")
    chat.say("nej")
    chat.say("När ska löneunderlaget vara inne?")  # something else first: the undo is gone
    assert chat.say("tillbaka").status == "command" and flow(chat) is None


def test_starting_another_guide_mid_guide_says_the_first_one_ended():
    chat = Conversation()
    walk_to_role_step(chat)
    reply = chat.submit({"action": "flow.start", "flow": "avsluta-behorighet"})  # a topic button from the help
    assert reply.messages[0].text == chat.assistant.engine.text("switched_flow", title="Ny behörighet i Heroma")
    assert flow(chat) == ("avsluta-behorighet", "chef")  # "Ja" to the SÄS question carries over


def test_thanks_gets_a_welcome_not_i_dont_know():
    chat = Conversation()
    reply = chat.say("tack så mycket, det hjälpte!")
    assert reply.status == "command" and text_of(reply) == MESSAGES.text("thanks_reply")

    walk_to_role_step(chat)
    reply = chat.say("tack")
    assert reply.messages[0].text == MESSAGES.text("thanks_reply")
    assert ROLE_QUESTION in reply.messages[-1].text and flow(chat) == ("ny-behorighet", "roll")


@pytest.mark.parametrize(
    "text", ["tack så mycket för hjälpen!", "Tack för snabbt svar", "tack så jättemycket", "👍", "ok tack för hjälpen!", "okej tack", "perfekt"]
)
def test_thanks_in_other_words_is_thanks(text):
    reply = Conversation().say(text)
    assert reply.status == "command" and text_of(reply) == MESSAGES.text("thanks_reply")


def test_the_permission_guide_offered_after_a_manager_link_starts_with_what_that_guide_knew():
    chat = Conversation()
    for said in ("chefskoppling", "ja", "nästa", "Eva Lund", "4711 Ortopedi", "vet inte"):
        chat.say(said)
    started = chat.say("ja")  # takes the offer of Ny behörighet
    assert started.status == "dialog"
    assert text_of(started).startswith(chat.assistant.engine.text("carried"))
    assert "Är du ansvarig chef" in text_of(started)  # not known: asked
    after = chat.say("ja")
    # SÄS, the role Chef and the name were known: the next question is about Eva Lund's course.
    assert "Har Eva Lund gjort **Heroma – Introduktion**?" in text_of(after)

    # The button carries the same answers; a forged payload gets a plain start.
    pressed = Conversation().submit({"action": "flow.start", "flow": "ny-behorighet", "answers": {"sas": "ja"}})
    assert text_of(pressed).startswith(chat.assistant.engine.text("carried"))
    for forged in ({"sas": ["ja"]}, "sas=ja", {f"k{i}": "ja" for i in range(50)}, {"finns-inte": "x", "namn": "ja"}):
        reply = Conversation().submit({"action": "flow.start", "flow": "ny-behorighet", "answers": forged})
        assert reply.status == "dialog" and "Arbetar du på" in text_of(reply), forged


def test_asked_to_do_something_the_bot_says_it_cannot_before_how_to_do_it():
    lead = MESSAGES.text("cannot_do_lead")
    for request in ("kan du boka ett möte med Löneservice?", "kan du skicka blanketten åt mig?", "can you send the form for me?"):
        reply = Conversation().say(request)
        assert reply.status == "answer" and text_of(reply).count(lead) == 1, request
    # Also when the bot is unsure which topic is meant.
    reply = Conversation().say("kan du boka ett möte med en pensionshandläggare åt mig?")
    assert reply.status == "clarify" and text_of(reply).startswith(lead)
    # Asking to be told or helped is what it does: no such lead.
    for question in ("kan du förklara löneväxling?", "hur bokar jag ett möte med Löneservice?"):
        reply = Conversation().say(question)
        assert reply.status == "answer" and lead not in text_of(reply), question


def test_a_request_for_a_guide_starts_the_one_it_names_or_lists_them():
    for text, guide in [
        ("Jag vill ha en guide för behörighet", "ny-behorighet"),
        ("guida mig genom att avsluta en behörighet", "avsluta-behorighet"),
        ("finns det en guide för chefskoppling?", "chefskoppling"),
    ]:
        chat = Conversation()
        chat.say(text)
        assert flow(chat) is not None and flow(chat)[0] == guide, text
    # Naming no guide: the help, which lists them (not the "lathundar" answer it matched before).
    for text in ("guida mig", "kan du guida mig?"):
        assert text_of(Conversation().say(text)) == text_of(Conversation().say("hjälp")), text
    # Right after an answer that offered a guide, "ja, guida mig" takes that offer.
    chat = Conversation()
    chat.say("Hur ansöker jag om behörighet i Heroma?")
    assert chat.say("ja, guida mig").status == "dialog" and chat.state["flow"]["flow"] == "ny-behorighet"


def test_people_the_documents_name_are_found_and_unknown_people_are_not_the_previous_topic():
    assert Conversation().say("Vem är Ida Uhlén?").entry == "sas-rutin-om"
    chat = Conversation()
    chat.say("När ska löneunderlaget vara inne?")
    reply = chat.say("vem är Erik Lund?")  # the user's own employee: unknown, not a follow-up
    assert text_of(reply).startswith(MESSAGES.text("fallback_text"))


def test_an_english_month_with_its_year_is_a_date_not_a_name():
    # "January" was taken for a name and left out before the date was read, and the
    # lone "2027" matched the document-validity entry.
    reply = Conversation().say("When is the payroll deadline in January 2027?")
    assert reply.entry == "loneunderlag-sista-dag"
    assert "fredag 8 januari 2027" in text_of(reply)


@pytest.mark.parametrize(
    ("english", "swedish"),
    [("what does heromaservice include", "vad ingår i heromaservice"),
     ("what does the customer survey look like", "hur ser kundundersökningen ut")],
)
def test_an_english_question_is_answered_like_its_swedish_twin(english, swedish):
    # The fuzzy signal also reads the English words in Swedish ("include" → "ingå").
    reply, twin = Conversation().say(english), Conversation().say(swedish)
    assert reply.status == twin.status == "answer" and reply.entry == twin.entry


def test_an_english_question_the_bot_cannot_answer_gets_one_english_line():
    reply = Conversation().say("What is the meaning of life?")
    assert text_of(reply).startswith(MESSAGES.text("english_not_found_lead"))
    reply = Conversation().say("How do I get Heroma training?")
    assert reply.status == "clarify" and text_of(reply).startswith(MESSAGES.text("english_clarify_lead"))
    # Swedish stays as it was.
    assert text_of(Conversation().say("Vad är meningen med livet?")).startswith(MESSAGES.text("fallback_text"))


def test_misfires_found_by_the_third_qa_pass():
    # A guide asked for with inflected words starts that guide, not the first one.
    chat = Conversation()
    chat.say("kan du förklara steg för steg hur man avslutar en behörighet?")
    assert flow(chat)[0] == "avsluta-behorighet"
    # "steg för steg" says how, it names no topic.
    assert Conversation().say("steg för steg, hur avslutar jag en anställning i Heroma?").entry == "avsluta-anstallning"
    # A capitalised typo is no name.
    assert Conversation().say("Hur får jag ett Intyyg?").entry == "intyg"
    # A correction is the question it corrects to.
    assert Conversation().say("nej, jag menar intyg").entry == "intyg"
    assert Conversation().say("Nej jag menade intyg").entry == "intyg"
    # English greetings get the help; a goodbye with thanks is a goodbye.
    assert text_of(Conversation().say("Hi")) == text_of(Conversation().say("hjälp"))
    assert text_of(Conversation().say("hejdå och tack")) == MESSAGES.text("goodbye_reply")
    # "kan ni …" asks Löneservice, not the bot: no "can't do it" line.
    assert MESSAGES.text("cannot_do_lead") not in text_of(Conversation().say("Kan ni skicka ett intyg till mig?"))
    # A follow-up the previous answer itself answers gets that answer again, not "no sure answer".
    chat = Conversation()
    chat.say("Hur får jag ett intyg?")
    assert chat.say("hur lång tid tar det?").entry == "intyg"


def test_an_unrelated_question_after_an_answer_is_not_read_as_a_follow_up():
    chat = Conversation()
    chat.say("Hur snabbt får jag ett intyg?")
    # Words the knowledge base has never seen: a new question it can't answer.
    assert text_of(chat.say("Vem vann melodifestivalen?")).startswith(MESSAGES.text("fallback_text"))
    assert text_of(chat.say("Vad blir det för väder i morgon?")).startswith(MESSAGES.text("fallback_text"))
    # ("väder" stems to "vad": the date alone would have made it a date follow-up.)
    assert chat.say("och i december?").entry == "intyg"


def test_swedish_with_the_word_i_twice_is_not_taken_for_english():
    for question in ("Vad står i Vem gör vad i Heroma?", "Vad ingår i Heromaservice i praktiken?"):
        assert "In English" not in text_of(Conversation().say(question)), question
    assert "In English" in text_of(Conversation().say("What is the meaning of life?"))


def test_two_sources_are_each_in_italics_in_text():
    text = render_text(Conversation().say("Vilka kontaktpersoner ska förvaltningen utse?"))
    sources = [line for line in text.splitlines() if "Källa:" in line]
    assert len(sources) == 2 and all(line.startswith("_Källa:") and line.endswith("_") for line in sources)


def test_a_message_of_several_sentences_is_answered_by_its_question():
    reply = Conversation().say("Hi, I don't speak Swedish well. When is the deadline for payroll documents?")
    assert reply.entry == "loneunderlag-sista-dag"
    reply = Conversation().say("Hej! Jag är ny enhetschef på SÄS. Vad behöver jag göra i Heroma?")
    assert reply.entry == "ny-chef-heroma"


def test_after_an_unanswered_question_on_another_topic_a_follow_up_is_not_tied_to_the_old_answer():
    chat = Conversation()
    chat.say("Vi ska omorganisera 1 april")
    assert chat.say("blankett").status == "clarify"  # a topic of its own, not answered
    assert "följdfråga om **Underlag vid omorganisation" not in text_of(chat.say("när senast?"))


def test_klart_answers_a_yes_no_step_and_inte_klart_says_no():
    def at_registration() -> Conversation:
        chat = Conversation()
        for said in ("behörighet", "ja", "ja", "Heromarapportör", "Eva Lind", "klar", "klar"):
            chat.say(said)
        assert flow(chat) == ("ny-behorighet", "anmalan")
        return chat

    chat = at_registration()
    chat.say("klart")  # "Har Eva Lind anmält sig …?" – yes
    assert flow(chat) == ("ny-behorighet", "utbildning")
    chat = at_registration()
    reply = chat.say("inte klart än")  # no: the guide says that is the next step and ends
    assert flow(chat) is None and "Då är nästa steg att Eva Lind anmäler sig" in text_of(reply)


def test_thanks_with_a_comma_before_a_follow_up_is_the_follow_up():
    chat = Conversation()
    chat.say("När måste löneunderlaget vara inne?")
    assert chat.say("tack, och löneöversynen?").entry == "loneoversyn-forhandlingsresultat"


@pytest.mark.parametrize("text", ["hej då", "Hejdå!", "ha en bra dag"])
def test_goodbye_gets_a_goodbye_not_i_dont_know(text):
    reply = Conversation().say(text)
    assert reply.status == "command" and text_of(reply) == MESSAGES.text("goodbye_reply")


def test_a_word_that_only_opens_the_message_is_not_read_as_part_of_the_question():
    chat = Conversation()
    assert chat.say("perfekt, när kommer lönen?").entry == "lonedag"
    assert chat.say("Toppen! Hur söker jag behörighet?").entry == "behorighet-ny-ansokan"
    # Without a comma it may be part of the question, and alone it is still "ok".
    assert chat.say("bra lön?").status != "answer"
    assert text_of(chat.say("ok")) == MESSAGES.text("offer_declined")


def test_a_persons_name_in_the_question_does_not_hide_its_topic():
    # A manager naming the employee: the name is no topic (and was an unknown word that
    # outweighed "fel lön").
    for question in ("Anna Svensson har fel lön", "min kollega Svensson har fel lön"):
        assert Conversation().say(question).entry == "fel-pa-lonen", question
    # Names the documents use are kept: they are the question.
    assert Conversation().say("Vem är Sara Jareteg?").status == "answer"


def test_text_of_only_invisible_characters_is_empty_input():
    assert text_of(Conversation().say("\u200b\u200b")) == MESSAGES.text("empty_input")


@pytest.mark.parametrize(
    ("text", "entry"),
    [("tack, hur gör jag med blanketten när den är ifylld?", "behorighetsblankett-skicka"), ("tack! min lön är fel", "fel-pa-lonen")],
)
def test_thanks_followed_by_a_question_is_the_question(text, entry):
    reply = Conversation().say(text)
    offered = [reply.entry] if reply.status == "answer" else [c.value.get("entry") for c in reply.choices()]
    assert reply.status in ("answer", "clarify") and entry in offered


def test_a_question_typed_where_the_guide_wants_free_text_is_answered_not_stored():
    chat = Conversation()
    for typed in ("ändra behörighet", "ja", "ja", "Anna Svensson"):
        chat.say(typed)
    assert flow(chat) == ("andra-behorighet", "andring")

    reply = chat.say("När ska löneunderlaget vara inne?")
    assert reply.entry == "loneunderlag-sista-dag"
    assert flow(chat) == ("andra-behorighet", "andring") and "andring" not in chat.state["flow"]["answers"]
    chat.say("Rollen ändras till Chef.")
    assert chat.state["flow"]["answers"]["andring"] == "Rollen ändras till Chef"


def test_a_keyword_question_with_a_month_gets_that_months_deadline():
    reply = Conversation().say("Sista dag löneunderlag mars")
    assert reply.entry == "loneunderlag-sista-dag"
    assert "Sista dag för att komma med på lönen i mars 2027: måndag 8 mars 2027" in text_of(reply)


def test_a_certificate_needed_tomorrow_is_counted_from_today_and_not_promised():
    reply = Conversation().say("Jag behöver ett tjänstgöringsintyg till imorgon")
    assert reply.entry == "intyg"
    text = text_of(reply)
    assert "Räknat från i dag, måndag 23 november 2026, blir det senast måndag 30 november 2026" in text
    assert "så det kan inte utlovas till dess" in text


def test_the_staffing_coordinators_phone_is_not_the_payroll_support_number():
    reply = Conversation().say("Vad har Alexandra Blomgren för telefonnummer?")
    assert reply.entry == "behorighetsblankett-skicka"
    assert "inget telefonnummer" in text_of(reply)


def test_a_date_follow_up_may_repeat_the_verb_of_the_first_question():
    chat = Conversation()
    chat.say("hur lång tid tar ett intyg")
    reply = chat.say("om jag beställer den 22 december?")
    assert reply.entry == "intyg" and "senast måndag 4 januari 2027" in text_of(reply)
    reply = chat.say("beställer på julafton då")  # a holiday is a date too
    assert reply.entry == "intyg" and "senast tisdag 5 januari 2027" in text_of(reply)
    # A new topic with a date is a new question, not a follow-up.
    assert chat.say("och om jag vill ansöka om behörighet 1 mars?").entry != "intyg"


def test_two_dates_in_one_question_are_both_read_as_dates_not_topics():
    reply = Conversation().say("lämnade in underlag 9 december, kommer det med på decemberlönen?")
    assert reply.entry == "loneunderlag-sista-dag"  # not the pay-day entry that "decemberlönen" suggests


def test_a_bare_number_mid_guide_is_a_wrong_button_not_a_question():
    chat = Conversation()
    walk_to_role_step(chat)
    reply = chat.say("9")
    assert reply.status == "dialog" and flow(chat) == ("ny-behorighet", "roll")
    assert ROLE_QUESTION in text_of(reply)


def test_a_month_of_pay_word_keeps_its_pay_word_for_matching():
    for question in ("underlag till marslönen", "march payroll deadline"):
        reply = Conversation().say(question)
        assert reply.status == "answer" and reply.entry == "loneunderlag-sista-dag", question
        assert "8 mars 2027" in text_of(reply)


def test_after_the_documents_expire_the_banner_alone_says_so():
    reply = Conversation(today=date(2027, 1, 5)).say("När ska löneunderlaget vara inne?")
    assert reply.messages[0].warning and "Datumet ligger efter" not in text_of(reply)


def test_introducing_oneself_does_not_hide_the_question():
    reply = Conversation().say("jag heter Anna Svensson, varför är min lön fel?")
    assert reply.status == "answer" and reply.entry == "fel-pa-lonen"


def test_starting_the_guide_one_is_in_keeps_the_answers():
    chat = Conversation()
    walk_to_role_step(chat)
    reply = chat.say("behörighet")  # the guide's own trigger word, mid-guide
    assert "Vi är redan mitt i guiden *Ny behörighet i Heroma*" in text_of(reply)
    assert ROLE_QUESTION in reply.messages[-1].text and flow(chat) == ("ny-behorighet", "roll")


def test_an_english_follow_up_pointing_back_is_about_the_previous_answer():
    # "take" once stemmed to the Swedish "tak", and a longer variant of the contracts entry
    # ("How long does it take to get an employment contract?") claimed the short question.
    chat = Conversation()
    assert chat.say("How do I get a certificate of employment?").entry == "intyg"
    reply = chat.say("How long does it take?")
    assert reply.status == "answer" and reply.entry == "intyg"
    assert "fem arbetsdagar" in text_of(reply)


def test_lateness_after_the_salary_review_deadline_is_about_the_salary_review():
    chat = Conversation()
    assert chat.say("När ska löneunderlaget vara inne?").entry == "loneunderlag-sista-dag"
    assert chat.say("och för löneöversynen?").entry == "loneoversyn-forhandlingsresultat"
    reply = chat.say("Vad händer om det kommer in för sent?")
    assert reply.status == "answer" and reply.entry == "loneoversyn-forhandlingsresultat"
    assert "timdebitering" in text_of(reply)
    assert chat.say("och om vi missar det?").entry == "loneoversyn-forhandlingsresultat"
    # the same question after the 8th-of-month answer stays with that answer
    chat = Conversation()
    chat.say("När ska löneunderlaget vara inne?")
    assert chat.say("Vad händer om det kommer in för sent?").entry == "loneunderlag-sista-dag"


def test_a_condition_added_to_the_previous_answer_is_about_that_answer():
    chat = Conversation(today=date(2026, 12, 7))
    assert chat.say("Hur lång tid tar det att få ett anställningsavtal?").entry == "anstallningsavtal"
    reply = chat.say("och om underlaget behöver ändras?")
    assert reply.entry == "anstallningsavtal" and "inga ändringar behöver göras" in text_of(reply)
    # "kom" (came) is no topic: only the one-word "Kom&Gå" is
    reply = chat.say("om underlaget kom in i fredags?")
    assert reply.entry == "anstallningsavtal"
    assert "Räknat från fredag 4 december 2026 blir det senast tisdag 8 december 2026" in text_of(reply)


def test_the_rate_of_a_compensation_is_a_sum_the_documents_do_not_give():
    reply = Conversation().say("vad är ersättningen för övertid")
    assert reply.status == "fallback" and reply.entry is None
    assert "VGR Serviceportal" in text_of(reply)


@pytest.mark.parametrize(
    ("walk", "step", "typed"),
    [
        (("ändra behörighet", "ja", "ja", "Anna Svensson"), ("andra-behorighet", "andring"), "klart"),
        (("ändra behörighet", "ja", "ja", "Anna Svensson"), ("andra-behorighet", "andring"), "inte klart"),
        (("chefskoppling", "ja", "nästa", "Maria Lind"), ("chefskoppling", "ansvar"), "vet inte vilket ansvar"),
        (("chefskoppling", "ja", "nästa", "Maria Lind"), ("chefskoppling", "ansvar"), "samma som förut"),
    ],
)
def test_a_non_answer_at_a_free_text_step_is_not_stored(walk, step, typed):
    # "klart" as the change, "vet inte vilket ansvar" as the responsibility went into the
    # checklist and the e-mail (QA passes 5 and 11).
    chat = Conversation()
    for said in walk:
        chat.say(said)
    assert flow(chat) == step
    chat.say(typed)
    assert flow(chat) == step and step[1] not in chat.state["flow"]["answers"]


def test_yes_to_several_suggestions_asks_which_and_yes_to_one_answers_it():
    chat = Conversation()
    reply = chat.say("Vad gör jag om något blir fel i Heroma?")
    assert reply.status == "clarify" and len(reply.choices()) == 3
    titles = choice_titles(reply)
    reply = chat.say("ja")
    assert text_of(reply).startswith("Vilket av alternativen menar du? Välj ett eller skriv numret (1–3).")
    assert choice_titles(reply) == titles
    reply = chat.say("3")
    assert reply.status == "answer" and reply.entry == KB.entries[reply.entry].id and reply.entry == "heroma-fel-incident"
    # "nej" to the suggestions is still a plain no
    chat = Conversation()
    chat.say("Vad gör jag om något blir fel i Heroma?")
    assert text_of(chat.say("nej")) == MESSAGES.text("offer_declined")


@pytest.mark.parametrize(
    "question",
    ["Hur många timmar tar kursen Heroma Introduktion?", "How many hours is the Heroma manager course?"],
)
def test_a_number_the_documents_do_not_give_is_not_answered_with_the_topic(question):
    reply = Conversation().say(question)
    assert reply.status == "fallback" and reply.entry is None
    assert "Den siffran" in text_of(reply) and "VGR Serviceportal" in text_of(reply)
    if not looks_english(question):  # what the bot can tell about the topic is offered, not pressed on the user
        assert choice_titles(reply) == ["Vilka Heromautbildningar chefer och Heromarapportörer ska gå (SÄS)"]

def test_a_date_follow_up_naming_another_topic_gets_that_topics_rule():
    chat = Conversation(today=date(2026, 12, 7))
    chat.say("sista dag för löneunderlag")
    reply = chat.say("och för omorganisation från 1 mars?")
    assert reply.status == "answer" and reply.entry == "omorganisation-underlag"
    assert "senast fredag 1 januari 2027" in text_of(reply)
    # a date alone still keeps the previous rule
    assert chat.say("och i januari?").entry == "omorganisation-underlag"


def test_a_start_date_is_when_the_contract_is_needed_and_gives_the_last_day_to_send():
    reply = Conversation(today=date(2026, 12, 7)).say(
        "ny medarbetare börjar 4 januari, när måste HR senast skicka anställningsunderlaget för att avtalet ska vara klart?"
    )
    assert reply.entry == "anstallningsavtal"
    said = text_of(reply)
    assert "i tid till måndag 4 januari 2027, då du behöver det" in said
    # 1 January is a holiday and nyårsafton no working day: two working days back is 29 December
    assert "om det kommer in senast tisdag 29 december 2026" in said


def test_the_date_asked_for_by_the_reorganisation_answer_is_used_whatever_the_verb():
    chat = Conversation(today=date(2026, 12, 7))
    reply = chat.say("underlag vid omorganisation")
    assert "Skriv datumet förändringen ska gälla från" in text_of(reply)
    reply = chat.say("vi planerar 1 maj")
    assert reply.entry == "omorganisation-underlag"
    assert "För att förändringen ska träda i kraft lördag 1 maj 2027" in text_of(reply)


def test_a_follow_up_keeps_the_day_the_conversation_gave_until_a_new_one_is_given():
    chat = Conversation(today=date(2026, 12, 7))
    said = text_of(chat.say("vi blev klara med löneöversynen i fredags"))
    in_time = "Det som kommer in fredag 4 december 2026 hinner till lönen i december 2026"
    assert in_time in said
    reply = chat.say("hinner det med på decemberlönen?")  # not "the deadline has passed"
    assert reply.entry == "loneoversyn-forhandlingsresultat" and in_time in text_of(reply)
    said = text_of(chat.say("och om det kommer in den 12:e?"))
    assert "Det som kommer in lördag 12 december 2026 är efter sista dagen för lönen i december 2026" in said


def test_an_ordinal_after_kommer_in_is_a_day_and_la_is_past_tense():
    said = text_of(Conversation(today=date(2026, 12, 7)).say("vad händer om underlaget kommer in den 10e"))
    assert "torsdag 10 december 2026" in said and "lönen i januari 2027" in said


@pytest.mark.parametrize(
    ("first", "entry"),
    [("hur lång tid tar ett anställningsavtal?", "anstallningsavtal"), ("behörighet avslut när någon slutar", "behorighet-avsluta")],
)
def test_who_does_it_after_an_answer_its_editors_ask_with_who_is_that_answer(first, entry):
    chat = Conversation()
    assert chat.say(first).entry == entry
    reply = chat.say("vem gör det?")
    assert reply.status == "answer" and reply.entry == entry
    # a question word the entry is never asked with still gets "nothing more"
    assert chat.say("var då?").status == "fallback"

@pytest.mark.parametrize("said", ["hon är på semester", "she's on vacation"])
def test_the_person_the_form_goes_to_being_away_is_about_the_send_answer(said):
    chat = Conversation()
    assert chat.say("vart skickar jag behörighetsblanketten?").entry == "behorighetsblankett-skicka"
    reply = chat.say(said)
    assert reply.status == "answer" and reply.entry == "behorighetsblankett-skicka"


def test_next_week_for_the_payroll_input_is_after_the_8th_and_this_week_straddles_it():
    chat = Conversation(today=date(2026, 12, 7))
    said = text_of(chat.say("om jag skickar in underlaget nästa vecka hinner det med på lönen då?"))
    assert "Det som kommer in måndag 14 december 2026 är efter sista dagen för lönen i december 2026" in said
    said = text_of(Conversation(today=date(2026, 12, 7)).say("kan jag skicka löneunderlaget i veckan?"))
    assert "tisdag 8 december 2026, infaller under vecka 50" in said


def test_two_months_before_a_new_hire_starts_is_not_answered_with_the_reorganisation_rule():
    reply = Conversation().say("behöver löneservice underlaget två månader innan en nyanställd börjar?")
    offered = [reply.entry] if reply.status == "answer" else [c.value.get("entry") for c in reply.choices()]
    assert offered[0] == "anstallningsavtal"


def test_how_long_something_takes_is_answered_only_where_the_answer_gives_a_time():
    chat = Conversation()
    assert chat.say("vilka utbildningar ska en chef gå?").entry == "utbildningar-chef-rapportor"
    reply = chat.say("hur lång tid tar dom?")  # the courses' length is in neither document
    assert reply.status == "fallback" and text_of(reply).startswith(MESSAGES.text("duration_text"))
    assert choice_titles(reply) == ["Vilka Heromautbildningar chefer och Heromarapportörer ska gå (SÄS)"]
    for question, entry in [
        ("Hur lång tid tar det att få ett intyg?", "intyg"),  # fem arbetsdagar
        ("How long does it take to get a certificate?", "intyg"),
        ("Hur lång tid tar det innan behörigheten är upplagd i Heroma?", "specialistsupport-handlaggning"),
        ("hur länge gäller tjänstebeskrivningen?", "tjanstebeskrivning-giltighet"),  # its editors ask so
    ]:
        reply = Conversation().say(question)
        assert reply.status == "answer" and reply.entry == entry, question


@pytest.mark.parametrize(
    "question",
    [
        "Hejhej, snabb fråga. Vi hade en medarbetare som jobbade extra pass i slutet av november och jag glömde "
        "skicka in underlaget, det blir nog inte förrän på torsdag den 10:e. Kommer det med på decemberlönen eller?",
        "jobbade övertid i slutet av november, skickar underlaget den 10 december, kommer det med på decemberlönen?",
    ],
)
def test_of_two_days_the_one_something_is_sent_on_decides_the_pay_month(question):
    said = text_of(Conversation(today=date(2026, 12, 7)).say(question))
    assert "Det som kommer in torsdag 10 december 2026 är efter sista dagen för lönen i december 2026" in said
    assert "Det som kommer in måndag 30 november 2026" not in said


@pytest.mark.parametrize(
    "question",
    [
        "jobbar på NÄL, hur söker jag behörighet i heroma",
        "jag jobbar på Sahlgrenska, vart skickar jag behörighetsblanketten?",
        "jobbar i primärvården, vem ska jag mejla behörighetsblanketten till",
    ],
)
def test_someone_outside_sas_is_never_given_the_sas_address(question):
    reply = Conversation().say(question)
    offered = [reply.entry] if reply.status == "answer" else [c.value.get("entry") for c in reply.choices()]
    assert offered[0] == "behorighet-andra-forvaltningar"
    assert "alexandra.blomgren" not in text_of(reply)


def test_at_sas_or_without_a_workplace_the_form_goes_to_the_sas_coordinator():
    for question in ("vart skickar jag behörighetsblanketten?", "jag jobbar på SÄS, vart skickar jag behörighetsblanketten?"):
        reply = Conversation().say(question)
        assert reply.entry == "behorighetsblankett-skicka", question

def test_a_next_only_step_takes_ja_klart_and_fortsatt():
    for typed in ("ja", "klart", "fortsätt"):
        chat = Conversation()
        chat.say("chefskoppling")
        chat.say("ja")  # SÄS
        assert flow(chat) == ("chefskoppling", "varfor")
        reply = chat.say(typed)
        assert flow(chat) == ("chefskoppling", "namn"), typed
        assert "Okej, vi fortsätter." not in text_of(reply)


def test_a_longer_no_sentence_answers_a_yes_no_step():
    chat = Conversation()
    chat.say("behörighet")
    reply = chat.say("nej det är jag inte")
    assert flow(chat) is None and "gäller Södra Älvsborgs Sjukhus" in text_of(reply)


def test_the_training_answer_says_the_routine_names_trainings_only_for_managers_and_reporters():
    reply = Conversation().say("vilka utbildningar krävs för annan stödfunktion, typ HR")
    assert reply.entry == "utbildningar-chef-rapportor"
    assert "Vilka utbildningar andra stödfunktioner behöver står inte där" in text_of(reply)


def test_mid_guide_a_question_gets_its_reply_and_a_name_may_come_in_a_sentence():
    chat = Conversation()
    walk_to_role_step(chat)
    chat.say("chef")
    assert flow(chat) == ("ny-behorighet", "namn")
    reply = chat.say("hur mycket ob får man?")  # a sum the documents don't give: said, not "ge ett namn"
    assert text_of(reply).startswith(MESSAGES.text("amount_text")) and NAME_QUESTION in text_of(reply)
    reply = chat.say("när kommer lönen i december?")  # the pay date: not in the documents, said so
    assert reply.entry == "lonedag" and flow(chat) == ("ny-behorighet", "namn")
    reply = chat.say("Vad gör jag om något blir fel i Heroma?")  # unsure, but plainly a question: suggestions
    assert reply.status == "clarify" and flow(chat) == ("ny-behorighet", "namn")
    chat.say("Hon heter Karin Berg")
    assert chat.state["flow"]["answers"]["namn"] == "Karin Berg"


def test_a_short_month_name_with_a_year_is_that_month():
    said = text_of(Conversation(today=date(2026, 12, 7)).say("löneunderlag sista dag feb 2027"))
    assert "Sista dag för att komma med på lönen i februari 2027: måndag 8 februari 2027" in said


def test_deadline_questions_with_a_date_from_qa_pass_ten_are_answered_with_the_date():
    chat = Conversation(today=date(2026, 12, 7))
    said = text_of(chat.say("om HR skickar anställningsunderlag den 23 december, när är avtalet klart senast?"))
    assert "Räknat från onsdag 23 december 2026 blir det senast tisdag 29 december 2026" in said  # 24–26 Dec off
    said = text_of(Conversation(today=date(2026, 12, 7)).say("ska göra omorg från 1 februari, är det försent att anmäla nu?"))
    assert "senast tisdag 1 december 2026, och den dagen har passerat" in said


# Single questions whose right answer a change of this session brought (QA passes 9–13),
# grouped by what made them hard. Each is asked in a fresh conversation on 2026-12-07.
ANSWERED_BY_SESSION_7 = [
    # someone sharing a first name with a document owner is someone else; the owners are still found
    ("jag vill söka behörighet för Karin Svensson", "behorighet-ny-ansokan"),
    ("Ida ska bli Heromarapportör, vad ska hon göra?", "ny-heromarapportor"),
    ("Karin har fel lön, vad gör jag?", "fel-pa-lonen"),
    # the documented people themselves are still found
    ("Vem är Karin Holmberg?", "tjanstebeskrivning-om"),
    ("Vem är Ida?", "sas-rutin-om"),
    ("Vad har Ida Uhlén för roll?", "sas-rutin-om"),
    # queue, outage and weekend-opening words
    ("hur länge får man vänta i telefonkön", "telefonsupport"),  # "telefonkön" is the queue word
    ("heroma webb laddar inte, är det nere?", "heroma-fel-incident"),
    ("is the service portal open on weekends?", "serviceportal-arende"),
    # a number the answer gives (a numeral before the unit, or a variant asking so)
    ("Hur många arbetsdagar tar det att få ett intyg?", "intyg"),  # "fem arbetsdagar"
    ("Hur många procent av samtalen ska besvaras i tid?", "telefonsupport"),  # "85 %"
    ("Hur många steg är det i ansökan om behörighet?", "behorighet-ny-ansokan"),
    ("Vem räknar ut hur många dagar föräldraledighet jag har?", "foraldraledighet"),  # asks who
    ("Hur många månader innan omorganisationen ska underlaget vara inne?", "omorganisation-underlag"),
    # who is asking does not hide what is asked
    ("hej, jag är undersköterska och min lön blev fel", "fel-pa-lonen"),
    ("jag är sjuksköterska, hur får jag ett intyg?", "intyg"),
    ("I'm a nurse and my salary is wrong", "fel-pa-lonen"),
    ("jag är föräldraledig, vem räknar ut dagarna?", "foraldraledighet"),  # a topic: kept
    ("Jag har fått för mycket lön och nu säger de att jag är skyldig pengar, hur funkar det?", "loneskuld"),
    # clipped keywords
    ("beh heroma ny chef", "ny-chef-heroma"),
    ("avsluta beh heroma", "behorighet-avsluta"),
    ("utbildn heroma chef", "utbildningar-chef-rapportor"),
    ("org trad andring", "organisationstradet-heroma"),
    # a manager leaving is the manager link, not a local agreement
    ("behöver jag meddela löneservice när en chef slutar", "ratt-chef-ansvar-funktion"),
    ("vår chef slutar, vad ska göras i heroma", "chefskoppling"),
    # permission wording from QA pass 11
    ("återkalla heroma access för en som slutat", "behorighet-avsluta"),
    ("kan jag lägga behörighetsärendet i serviceportalen istället", "behorighetsblankett-skicka"),
    # opening hours and English function words
    ("serviceportalen öppettider", "serviceportal-arende"),
    ("I'm a manager, do I have to sign something every month in Heroma?", "utanordningslista"),
    ("what happens if my overtime paper arrives on the 10th", "loneunderlag-sista-dag"),  # 10 December: January
    # an authority's own matters and reporting sick are not in the documents: entries that
    # say so (declines), not the registration of decisions or Heromaservice's sick days
    ("hur överklagar jag ett beslut från försäkringskassan", "egna-myndighetsarenden"),
    ("hur ansöker jag om föräldrapenning hos försäkringskassan", "egna-myndighetsarenden"),
    ("kan löneservice göra min deklaration", "egna-myndighetsarenden"),
    ("Var skickar jag ett beslut från Försäkringskassan som påverkar lönen?", "myndighetsbeslut"),
    ("jag är sjuk hur sjukanmäler jag mig", "sjukanmalan"),
    ("kan heromaservice godkänna sjukfrånvaro", "hs-sjukfranvaro"),
    # "lön i november": the month leaves the question, the pay word stays
    ("fick för lite lön i november, vad gör jag?", "fel-pa-lonen"),
    # from when managers at SÄS get the role Chef (QA pass 14)
    ("från vilket datum får chefer på SÄS rollen Chef i heroma?", "behorighetsroll-per-chefsuppdrag"),
    # QA pass 16: a pay date "2027" and a salary statement for a mortgage
    ("lön utbetalning datum 2027", "lonedag"),
    ("hur får jag en löneuppgift för bolån", "intyg"),
    # SLA and "kraschar"
    ("SLA löneservice", "servicenivaer"),
    ("komet kraschar", "heroma-fel-incident"),
    # times of day and short month names are when, not what
    ("skickade löneunderlaget den 8e kl 23 på kvällen, kommer det med?", "loneunderlag-sista-dag"),
    ("löneunderlag sista dag feb 2027", "loneunderlag-sista-dag"),
    ("la ett ärende till löneservice i fredags eftermiddag och har inte fått svar, är det normalt?", "aterkoppling-serviceportal"),
]


@pytest.mark.parametrize(("question", "entry"), ANSWERED_BY_SESSION_7)
def test_single_questions_are_answered_with_the_right_entry(question, entry):
    reply = Conversation(today=date(2026, 12, 7)).say(question)
    assert reply.status == "answer" and reply.entry == entry


# Two-turn conversations whose follow-up a change of this session placed right: the first
# question, its entry, the follow-up, and the entry that must answer it.
FOLLOW_UPS_BY_SESSION_7 = [
    # the question's own words pick a neighbour of the deadline: the pay-day entry, which
    # says the documents give no date (the deadline's title used to win every follow-up)
    ("när ska löneunderlaget vara inne", "loneunderlag-sista-dag", "och när betalas lönen ut då?", "lonedag"),
    ("när ska löneunderlaget vara inne", "loneunderlag-sista-dag", "när kommer pengarna då?", "lonedag"),
    # "och X då?" names its own topic; "då" does not point back like "det"
    ("hur avslutar jag en anställning i heroma", "avsluta-anstallning", "och behörigheten då?", "behorighet-avsluta"),
    ("how do I end someone's employment in Heroma?", "avsluta-anstallning", "and their Heroma access?", "behorighet-avsluta"),
    # "hon/she" points back at the person in the answer (the coordinator being away)
    ("vart skickar jag behörighetsblanketten?", "behorighetsblankett-skicka", "hon är på semester", "behorighetsblankett-skicka"),
    ("vart skickar jag behörighetsblanketten?", "behorighetsblankett-skicka", "she's on vacation", "behorighetsblankett-skicka"),
    # a question word and a word of the answer: about the answer ("vem informeras?" after
    # the overpayment answer, not who is told when a local agreement ends)
    ("jag har fått en löneskuld, vad händer nu?", "loneskuld", "vem informeras?", "loneskuld"),
    # "var …?" asks where at the start; a lone keyword is no longer ambiguous in context
    ("måste jag signera utanordningslistan?", "utanordningslista", "var gör jag det?", "utanordningslista"),
    ("kan man beställa statistik från löneservice?", "bestalla-statistik", "kostar det?", "bestalla-statistik"),
    # a tiny question is about the previous answer, not the neighbour its words fit
    # ("när senast?": the utanordningslista answer says the documents give no last day)
    ("utanordningslistan", "utanordningslista", "när senast?", "utanordningslista"),
    ("who do I complain to if my salary keeps being wrong?", "klagomal", "where are deviations logged?", "avvikelse-medcontrol"),
    # a condition on the salary-review deadline is about it, not the 8th-of-month rule
    ("löneöversyn - när ska förhandlingsresultatet vara inne?", "loneoversyn-forhandlingsresultat",
     "och om vi är sena?", "loneoversyn-forhandlingsresultat"),
]


@pytest.mark.parametrize(("first", "first_entry", "follow_up", "entry"), FOLLOW_UPS_BY_SESSION_7)
def test_follow_ups_are_answered_with_the_right_entry(first, first_entry, follow_up, entry):
    chat = Conversation()
    assert chat.say(first).entry == first_entry
    reply = chat.say(follow_up)
    assert reply.status == "answer" and reply.entry == entry


def test_an_authoritys_own_matter_says_the_documents_do_not_cover_it():
    reply = Conversation().say("hur överklagar jag ett beslut från försäkringskassan")
    said = text_of(reply)
    assert reply.entry == "egna-myndighetsarenden" and KB.entries[reply.entry].declines
    assert "står inte i Löneservice tjänstebeskrivning" in said and "så det kan jag inte svara på" in said
    assert "VGR Serviceportal" in said



@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("skickade ett ärende fredag 18 december när får jag återkoppling",
         "Räknat från fredag 18 december 2026 blir det senast måndag 21 december 2026"),
        ("beställer intyg 23/12, när kan jag räkna med det?",
         "Räknat från onsdag 23 december 2026 blir det senast tisdag 5 januari 2027"),
        ("hr skickar underlag för anstallningsavtal 22/12 nar blir det klart",
         "Räknat från tisdag 22 december 2026 blir det senast måndag 28 december 2026"),
        ("omorganisation 15 februari 2027, vi skickar underlaget 20 december – räcker det?",
         "träda i kraft måndag 15 februari 2027 behöver underlaget vara Löneservice tillhanda senast tisdag 15 december 2026"),
        # needed on nyårsafton (no working day): ready on the 30th, so asked for by the 21st
        ("behöver ett intyg senast 31 december, när måste jag beställa det senast?",
         "om det kommer in senast måndag 21 december 2026"),
    ],
)
def test_dates_found_by_the_fourteenth_qa_pass(question, expected):
    assert expected in text_of(Conversation(today=date(2026, 12, 7)).say(question))


@pytest.mark.parametrize(
    "turns",
    [
        ["jag jobbar på NÄL", "vart skickar jag behörighetsblanketten?"],
        ["jag är chef inom primärvården", "hur söker jag heroma behörighet för en ny medarbetare"],
        ["Hej! Jag är enhetschef på en vårdcentral i Göteborg, vi har fått en ny administratör som ska bli "
         "heromarapportör. Vad behöver hon göra och vart skickar jag blanketten?"],
        ["vi på Alingsås lasarett behöver ändra en behörighet i heroma"],
    ],
)
def test_a_workplace_outside_sas_said_once_keeps_the_sas_address_away(turns):
    chat = Conversation()
    for said in turns:
        reply = chat.say(said)
        assert "alexandra.blomgren" not in text_of(reply)
        offered = [reply.entry] if reply.status == "answer" else [c.value.get("entry") for c in reply.choices()]
        assert not set(offered) & real_assistant().matcher.sas_only, offered


def test_a_sign_off_and_how_to_go_about_it_name_no_topic():
    # "Tack på förhand" read as "förhandling" (local agreements) and "hur går jag till väga"
    # as a topic of its own; the message is about getting a Heroma permission.
    reply = Conversation().say(
        "Hej! Jag är ny enhetschef sedan förra veckan och har fått ta över en enhet med 30 medarbetare. Min "
        "föregångare hade tydligen behörighet i Heroma men jag har ingen. Hur går jag till väga för att få det? "
        "Tack på förhand /Lisa"
    )
    offered = [reply.entry] if reply.status == "answer" else [c.value.get("entry") for c in reply.choices()]
    assert "lokala-avtal" not in offered and offered[0] == "behorighet-ny-ansokan"


def test_saying_sas_later_brings_the_sas_answer_back():
    chat = Conversation()
    chat.say("jag jobbar på NÄL")
    chat.say("nej förresten, jag jobbar på SÄS")
    assert chat.say("vart skickar jag behörighetsblanketten?").entry == "behorighetsblankett-skicka"


def test_fortsatt_where_the_guide_wants_text_shows_the_step_and_is_not_stored():
    chat = Conversation()
    for said in ("chefskoppling", "ja", "ja", "Hon heter Eva Ek"):
        chat.say(said)
    assert flow(chat) == ("chefskoppling", "ansvar")
    chat.say("fortsätt")
    assert flow(chat) == ("chefskoppling", "ansvar") and "ansvar" not in chat.state["flow"]["answers"]


def test_the_permission_guide_offered_to_a_new_reporter_knows_sas_and_the_role():
    # QA pass 11: the handoff asked "Arbetar du på SÄS?" again, unlike the one from chefskoppling.
    chat = Conversation()
    for said in ("ny rapportör", "ja", "klar", "klar", "ja", "nej", "nästa"):
        chat.say(said)
    started = chat.say("ja")  # takes the offer of Ny behörighet
    assert text_of(started).startswith(chat.assistant.engine.text("carried"))
    assert "Arbetar du på" not in text_of(started) and "Är du ansvarig chef" in text_of(started)
    assert chat.state["flow"]["answers"]["sas"] == "ja"


@pytest.mark.parametrize(("today", "noted"), [(date(2026, 12, 9), True), (date(2026, 11, 9), False)])
def test_the_new_reporters_dates_past_the_service_descriptions_validity_are_noted(today, noted):
    # QA pass 28: the checklist's January 2027 dates came without the note answers give.
    chat = Conversation(today=today)
    for said in ("ny rapportör", "ja", "klar", "klar", "ja", "nej"):
        chat.say(said)
    checklist = text_of(chat.say("nästa"))
    assert ("8 januari 2027" in checklist) is noted
    assert ("Datumet ligger efter 2026-12-31" in checklist) is noted


@pytest.mark.parametrize("guide", ["behörighet", "ändra behörighet", "avsluta behörighet"])
def test_the_message_for_the_responsible_manager_says_where_to_send_when_the_coordinator_is_away(guide):
    # QA pass 11: the messages to forward left out the routine's out-of-office rule.
    chat = Conversation()
    chat.say(guide)
    chat.say("ja")  # at SÄS
    reply = chat.say("nej")  # not the responsible manager: a message for the manager
    assert "Vid frånvaro skickas mejlet till hänvisad person i Alexandras frånvarohänvisning." in text_of(reply)


def test_a_mention_of_sas_is_not_the_users_workplace_but_saying_so_is():
    chat = Conversation()
    chat.say("Jag är enhetschef på Alingsås lasarett")
    reply = chat.say("min kollega på SÄS sa att man ska mejla alexandra, stämmer det för oss?")
    assert "alexandra.blomgren" not in text_of(reply)  # still outside SÄS
    reply = Conversation().say("Jag jobbar på SÄS")  # a statement: what it means here, no entry
    assert reply.entry is None and text_of(reply) == MESSAGES.text("workplace_sas")
    for statement in ("Jobbar på NÄL som avdelningschef", "Jag sitter på Skaraborg", "jobbar på vårdcentralen i Lerum"):
        assert Conversation().say(statement).entry == "behorighet-andra-forvaltningar", statement


@pytest.mark.parametrize("walk", [("ny rapportör", "ja"), ("behörighet", "ja")])
def test_fortsatt_at_a_step_with_buttons_it_presses_none_of_shows_the_step(walk):
    chat = Conversation()
    for said in walk:
        chat.say(said)
    before = flow(chat)
    reply = chat.say("fortsätt")
    assert flow(chat) == before and reply.status == "dialog"
    assert "Skriv din fråga med egna ord" not in text_of(reply)


def test_a_count_the_best_entry_lacks_is_answered_by_a_plausible_one_that_states_it():
    reply = Conversation().say("hur manga utbildningar maste en chef ga innan behorighet")
    assert reply.entry == "utbildningar-chef-rapportor"  # "samma två utbildningar"
    reply = Conversation().say("hur lång tid tar utbildningarna?")  # any time would do: not that way
    assert reply.status == "fallback"


@pytest.mark.parametrize(
    ("question", "shown"),
    [
        ("hur får jag behörighet till TimeCare?", "behörighet till TimeCare"),  # a system the base names
        ("behörighet i Agresso", "behörighet i Agresso"),  # a capitalised word is no name here
        ("hur loggar jag in i Komet?", "loggar jag in i Komet"),
        ("I need access to Raindance", "access to Raindance"),
        ("utbildning för Excel-användare, var anmäler jag mig?", "utbildning för Excel"),
    ],
)
def test_a_topic_word_pointing_at_something_the_documents_dont_cover_is_not_answered(question, shown):
    reply = Conversation().say(question)
    assert reply.status == "fallback" and reply.entry is None
    assert text_of(reply).count(f"Om ”{shown}” står det inget i Löneservice tjänstebeskrivning") == 1


def test_what_a_permission_or_course_is_for_stays_answered_when_the_documents_know_it():
    assert Conversation().say("hur söker jag behörighet i Heroma?").entry == "behorighet-ny-ansokan"
    assert "står det inget i" not in text_of(Conversation().say("Går man Heroma-utbildningarna i klassrum?"))  # how
    assert Conversation().say("behörighet för en ny heromarapportör").status != "fallback"
    reply = Conversation().say("hur loggar man in i Heroma?")
    assert "står det inget i" not in text_of(reply)


def test_the_thing_not_covered_is_shown_back_without_markup():
    reply = Conversation().say("behörighet till **Agresso**")
    assert "Om ”behörighet till Agresso” står det inget" in text_of(reply)


def test_who_sets_pay_is_not_read_as_the_ways_to_reach_loneservice():
    # "sätter" (sets) and "sätt" (way) share Snowball's stem; synonyms.yaml keeps them apart.
    reply = Conversation().say("vem sätter min lön?")
    assert reply.entry != "kontakta-loneservice" and reply.status != "answer"


def test_what_a_word_means_is_asked_about_the_word_not_about_meanings():
    # "vad betyder …" is a frame: "vad betyder PA-team" must not answer what a role means.
    assert Conversation().say("vad betyder PA-team").status != "answer"
    assert Conversation().say("vad betyder 260301 i rutinen?").entry == "befintliga-behorigheter"
    assert Conversation().say("vad betyder utanordningslista").entry == "utanordningslista"


@pytest.mark.parametrize(
    ("question", "day"),
    [
        ("löneunderlag sista dag februari", "måndag 8 februari 2027"),
        ("sista datum februari för underlag", "måndag 8 februari 2027"),
        ("underlag sista dagen mars", "måndag 8 mars 2027"),
        ("löneöversyn sista dag februari", "fredag 5 februari 2027"),
        ("sista dag februari löneöversyn", "fredag 5 februari 2027"),
    ],
)
def test_a_month_right_after_sista_dag_is_the_month_asked_about(question, day):
    reply = Conversation(today=date(2026, 12, 7)).say(question)
    assert f"lönen i {day.split()[2]} 2027: {day}" in text_of(reply)


def test_a_clipped_month_after_a_deadline_word_is_that_month_but_jul_is_christmas():
    reply = Conversation(today=date(2026, 12, 20)).say("deadline lön jan")
    assert "fredag 8 januari 2027" in text_of(reply)


def test_the_next_deadline_after_a_day_is_the_one_after_it():
    reply = Conversation(today=date(2026, 12, 7)).say("när är nästa deadline efter 8 januari?")
    assert "sista dag måndag 8 februari 2027" in text_of(reply)
    chat = Conversation(today=date(2026, 12, 20))
    assert "Nästa sista dag: fredag 8 januari 2027" in text_of(chat.say("tidrapport deadline?"))
    reply = chat.say("och nästa efter det?")
    assert "sista dag måndag 8 februari 2027" in text_of(reply)


def test_och_om_det_galler_names_a_new_topic_rather_than_a_condition_on_the_answer():
    chat = Conversation()
    assert chat.say("vad händer om underlaget kommer in efter den 8e?").entry == "loneunderlag-sista-dag"
    assert chat.say("och om det gäller löneöversynen?").entry == "loneoversyn-forhandlingsresultat"
    chat = Conversation()
    chat.say("när ska löneunderlaget vara inne?")
    assert chat.say("och om det kom in i fredags?").entry == "loneunderlag-sista-dag"  # a condition still


def test_filler_words_in_a_long_story_do_not_drown_its_question():
    reply = Conversation().say(
        "alltså jag lämnade in ett underlag om övertid den 12:e och nu fick personen inte pengarna på lönen, "
        "min kollega säger att det är för sent men jag fattar inte varför, när är det man måste ha in grejerna?"
    )
    assert reply.status in ("answer", "clarify")
    assert (reply.entry or "") == "loneunderlag-sista-dag" or reply.suggestions[:1] == [
        KB.entries["loneunderlag-sista-dag"].title
    ]


@pytest.mark.parametrize("question", ["kan jag nå löneservice på helgen?", "går det att nå löneservice en lördag?"])
def test_reaching_loneservice_at_the_weekend_gets_the_contact_answer_open_around_the_clock(question):
    reply = Conversation().say(question)
    assert reply.entry == "kontakta-loneservice" and "dygnet runt" in text_of(reply)


def test_a_longer_follow_up_in_the_previous_answers_own_words_stays_with_it():
    chat = Conversation()
    assert chat.say("vi ska omorganisera på enheten").entry == "omorganisation-underlag"
    assert chat.say("hur långt innan måste vi säga till löneservice?").entry == "omorganisation-underlag"
    assert chat.say("var beställer man?").entry == "omorganisation-underlag"


def test_a_condition_on_a_topic_the_answer_never_mentions_is_not_answered_by_repeating_it():
    chat = Conversation()
    chat.say("hur ansöker jag om heromabehörighet för en ny medarbetare?")
    reply = chat.say("och om chefen är sjuk?")
    assert reply.status == "fallback" and reply.entry is None
    assert "följdfråga om **Ansöka om behörighet i Heroma (SÄS)**" in text_of(reply)


def test_who_approves_when_the_manager_leaves_points_at_the_right_manager_link():
    reply = Conversation().say("min chef slutar nästa vecka, vem attesterar mina ärenden nu?")
    first = reply.entry or reply.suggestions[0]
    assert first in ("ratt-chef-ansvar-funktion", KB.entries["ratt-chef-ansvar-funktion"].title)


@pytest.mark.parametrize(
    "question",
    ["min lön är fel igen", "fel lön igen", "jävla skit, lönen är fel", "MIN LÖN ÄR FEL IGEN VAD FAN HÅLLER NI PÅ MED"],
)
def test_again_and_swearing_are_no_topic_of_a_pay_complaint(question):
    assert Conversation().say(question).entry == "fel-pa-lonen"


def test_a_request_to_act_on_my_behalf_gets_the_cannot_do_lead():
    reply = Conversation().say("skicka behörighetsblanketten åt mig")
    assert MESSAGES.text("cannot_do_lead") in text_of(reply)
    reply = Conversation().say("var skickar jag behörighetsblanketten?")  # asking how, not asking the bot
    assert MESSAGES.text("cannot_do_lead") not in text_of(reply)



def test_saying_where_one_works_answers_the_guides_sas_question():
    chat = Conversation()
    chat.say("ny behörighet")
    reply = chat.say("jag jobbar på SÄS")
    assert flow(chat) == ("ny-behorighet", "chef") and CHEF_QUESTION in text_of(reply)
    assert "utanför SÄS" not in text_of(reply)
    chat = Conversation()
    chat.say("avsluta behörighet")
    chat.say("Södra Älvsborg")  # a bare mention is an answer to this question
    assert flow(chat) == ("avsluta-behorighet", "chef")
    chat = Conversation()
    chat.say("ny behörighet")
    reply = chat.say("jag jobbar på NU-sjukvården")
    assert flow(chat) is None and "gäller Södra Älvsborgs Sjukhus, så jag kan inte guida dig" in text_of(reply)


def test_a_guide_started_after_the_user_said_where_they_work_does_not_ask_again():
    chat = Conversation()
    chat.say("jag jobbar på SÄS")
    reply = chat.say("ny behörighet")
    assert reply.messages[0].text == chat.assistant.engine.text("carried_sas")
    assert flow(chat) == ("ny-behorighet", "chef")
    chat = Conversation()
    chat.say("jag jobbar på Sahlgrenska")
    reply = chat.say("ny behörighet")
    assert reply.messages[0].text == chat.assistant.engine.text("carried_elsewhere") and flow(chat) is None
    reply = chat.say("tillbaka")  # it didn't fit: the question comes back
    assert SAS_QUESTION in text_of(reply)
    chat.say("ja")
    assert flow(chat) == ("ny-behorighet", "chef") and chat.state["elsewhere"] is False


def test_a_question_typed_without_a_question_mark_is_not_kept_as_a_guide_answer():
    chat = Conversation()
    for said in ("ändra behörighet", "ja", "ja", "Per Ek"):
        chat.say(said)
    before = flow(chat)
    reply = chat.say("hur lång tid tar det")
    assert flow(chat) == before and "hur lång tid tar det" not in chat.state["flow"]["answers"].values()
    assert "Vad ska ändras?" in text_of(reply)
    reply = chat.say("rollen ska bytas till Chef")  # a description still is one
    assert flow(chat) != before


def test_a_code_the_editors_ask_with_names_its_topic():
    for question in ("260301", "vad gäller from 260301?"):
        assert Conversation().say(question).entry == "befintliga-behorigheter", question


def test_a_workplace_statement_that_says_what_the_user_wants_is_matched_not_just_acknowledged():
    chat = Conversation()
    reply = chat.say("jag är på sas borås och ska avsluta en behörighet")
    assert text_of(reply) != MESSAGES.text("workplace_sas")
    assert (reply.entry or reply.suggestions[0]) in ("behorighet-avsluta", KB.entries["behorighet-avsluta"].title)
    assert chat.state["elsewhere"] is False


@pytest.mark.parametrize("question", ["Vad är mejladressen till Löneservice?", "mailadress löneservice"])
def test_loneservice_has_no_email_address_in_the_documents_and_never_gets_the_sas_coordinators(question):
    reply = Conversation().say(question)
    assert reply.entry == "kontakta-loneservice" and "alexandra.blomgren" not in text_of(reply)
    assert "Någon e-postadress till Löneservice står inte där" in text_of(reply)


@pytest.mark.parametrize(
    ("question", "phrase"),
    [
        ("hur ansöker jag om semester i heroma", "ansöka om semester"),
        ("ansöka om ledighet heroma", "ansöka om ledighet"),
        ("jag vill avsluta min anställning", "avsluta min anställning"),
        ("byta adress", "byta adress"),
        ("it-supporten telefonnummer", "it-support"),
        ("sjukintyg efter hur manga dagar", "sjukintyg"),  # not the employment certificate
        ("datorn funkar inte", "datorn funkar inte"),  # not the SÄS support documents
        ("var hittar jag min lönespecifikation", "hitta min lönespecifikation"),  # not the pay-error entry
        ("var hittar jag min lönespec", "hitta min lönespecifikation"),
        ("Vem är min HR-partner på Sahlgrenska?", "vem är min hr"),  # not the outside-SÄS entry
        ("byta bank lön", "byta bank"),  # not the certificates entry
        ("löneläge sjuksköterska", "löneläge"),  # not the pay-day entry ("lönedag" one slip away)
        ("komp ledigt istället för övertid", "komp ledigt"),  # "komp" is no clipped "kompetens"
        ("min dator startar inte", "datorn startar inte"),  # synonyms.yaml's stems apply to phrases too
        ("Vem betalar ut lön till läkare i Region Halland?", "region halland"),  # the documents are VGR's
        ("var ser jag min lönespec", "ser min lönespecifikation"),
        ("min skrivare fungerar inte", "skrivaren fungerar inte"),  # not a fault in Heroma
        # QA passes 36–37: the holidays, this year's raise, where the pay slip is.
        ("är löneservice stängt på julafton?", "löneservice stängt"),  # not the 8th for 24 December
        ("räknas julafton som helgdag i heroma?", "räknas som helgdag"),  # not the certificates entry
        ("nyårsafton är det arbetsdag eller inte för löneservice?", "är det arbetsdag"),
        ("kan jag ta ut komp i mellandagarna", "ta ut komp"),  # not competence data
        ("lönespecifikation var hittar jag den", "lönespecifikation var hittar"),
        ("hur många procent blir löneökningen i år", "blir löneökningen"),  # not the phone targets' 85 %
        ("hur får jag lönespecifikationen", "får lönespecifikation"),  # QA pass 40: not the pay-error entry
        ("lonespecen hittar jag inte", "lönespecifikation hittar inte"),
    ],
)
def test_a_phrase_about_something_the_documents_dont_cover_is_not_answered(question, phrase):
    reply = Conversation().say(question)
    assert reply.status == "fallback" and f"Om ”{phrase}” står det inget" in text_of(reply)


def test_a_pay_slip_that_is_wrong_and_the_sas_hr_manager_are_still_answered():
    assert Conversation().say("fel på lönespecen vem fixar det").entry == "fel-pa-lonen"
    assert "Ida Uhlén" in text_of(Conversation().say("vem är HR-chef på SÄS"))


def test_a_manager_ending_an_employment_is_still_answered():
    assert Conversation().say("hur avslutar jag en anställning i heroma").entry == "avsluta-anstallning"


def test_english_integrated_reads_as_integration():
    assert Conversation().say("Is Heroma integrated with Lärportalen?").entry == "masterdata-integrationer"


def test_the_coordinators_phone_number_is_answered_by_her_entry_which_says_there_is_none():
    reply = Conversation().say("Vad är telefonnumret till Alexandra Blomgren?")
    assert reply.entry == "behorighetsblankett-skicka" and "inget telefonnummer" in text_of(reply)


def test_a_form_handed_in_after_the_8th_is_about_the_payroll_deadline_not_the_permission_form():
    reply = Conversation().say("övertidsblanketten lämnades in den 11:e, hinner den med?")
    assert reply.entry == "loneunderlag-sista-dag"


@pytest.mark.parametrize(
    "said", ["jag jobbar inte på säs", "jobbar ej på SÄS", "jag är inte på säs utan på NU", "Jag jobbar inte på SÄS längre"]
)
def test_not_working_at_sas_is_a_workplace_elsewhere(said):
    chat = Conversation()
    chat.say(said)
    assert chat.state["elsewhere"] is True
    reply = chat.say("ny behörighet")
    assert reply.messages[0].text == chat.assistant.engine.text("carried_elsewhere")
    assert "alexandra.blomgren" not in text_of(reply)


def test_a_negated_sas_in_the_question_itself_keeps_the_sas_steps_away():
    reply = Conversation().say("jag jobbar inte på SÄS, hur ansöker jag om behörighet till heroma?")
    assert reply.entry == "behorighet-andra-forvaltningar"


@pytest.mark.parametrize(
    "question", ["Semesteransökan hamnar hos fel chef", "semesteransökningar går till fel chef", "min semesteransökan hamnar hos min gamla chef"]
)
def test_a_vacation_request_reaching_the_wrong_manager_is_the_manager_link(question):
    assert Conversation().say(question).entry == "chefskoppling"


def test_a_workplace_and_a_keyword_question_after_a_comma_is_matched():
    reply = Conversation().say("jobbar på SÄS, behörighet heroma")
    assert reply.status in ("answer", "clarify") and text_of(reply) != MESSAGES.text("workplace_sas")


def test_a_vacation_balance_is_not_in_the_documents():
    for question in ("hur mycket semester har jag kvar", "hur många semesterdagar har jag kvar"):
        reply = Conversation().say(question)
        assert reply.status == "fallback" and "står det inget i" in text_of(reply), question


def test_permission_for_a_substitute_is_the_application_not_hourly_staff_booking():
    assert Conversation().say("behörighet i heroma för min nya vikarie").entry == "behorighet-ny-ansokan"
    reply = Conversation().say("Jag vill avsluta anställningen för en timanställd, vem gör det?")
    assert reply.entry == "avsluta-anstallning"


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("hur applyar jag för access till heroma", "behorighet-ny-ansokan"),
        ("I got paid too much, do I have to pay it back", "loneskuld"),
        ("is there any info session about pensions", "pension-informationstraffar"),
        ("is it possible to get a remote heroma reporter during summer vacation", "heromarapportor-pa-distans"),
        ("Who is responsible for the content of the service description?", "tjanstebeskrivning-om"),
        ("Who is responsible for the content of the SÄS Heroma access routine?", "sas-rutin-om"),
        ("is there any information meeting about pensions", "pension-informationstraffar"),
        ("pension info meetings", "pension-informationstraffar"),
        ("reorg notice period", "omorganisation-underlag"),
        ("vem skrev tjänstebeskrivningen?", "tjanstebeskrivning-om"),
        ("heroma säger att jag saknar behörighet", "heroma-behorighet-kravs"),
        ("min kollega har fått nya arbetsuppgifter och ska se färre medarbetare i heroma", "behorighet-andra"),
        ("Jag kan inte logga in i Heroma", "heroma-fel-incident"),  # a fault, not blamed on a missing role
        ("kontroller förvaltningen lönekörning", "forvaltningens-kontroller"),  # not Löneservice's own checks
        # QA pass 36: "avvikelser" in Heroma (absence, overtime) are not MedControl deviations.
        ("avvikelserapportering heroma deadline", "loneunderlag-sista-dag"),
        ("när ska frånvaro vara inrapporterad innan lönen?", "loneunderlag-sista-dag"),
        ("ändra behörighet på en i min grupp", "behorighet-andra"),  # QA pass 37: "grupp" was repaired to "grepp"
        ("gäller de nya rollerna för gamla behörigheter också", "befintliga-behorigheter"),  # "gamla" = befintliga
        ("jag har fått lönefel, vad gör jag?", "fel-pa-lonen"),  # "lönefel" fell back: "fel" is too short a tail
        ("vem kan jag prata med om lönefrågor", "kontakta-loneservice"),  # QA pass 39: not own solutions
        # QA pass 39: avvikelser put into Heroma are payroll input, not MedControl deviations
        ("hur sent kan jag lägga in avvikelser i heroma för decemberlönen", "loneunderlag-sista-dag"),
        ("frånvarorapportering sista dag", "loneunderlag-sista-dag"),
        ("när ska underlag vara inne för januarilönen", "loneunderlag-sista-dag"),  # QA pass 40: asked with reorgs
    ],
)
def test_phrasings_from_qa_passes_get_their_entry(question, entry):
    assert Conversation().say(question).entry == entry


def test_overtime_sent_after_the_8th_goes_to_next_months_pay_and_heroma_attesting_has_no_date():
    chat = Conversation(today=date(2026, 12, 7))
    reply = chat.say("fre 18/12 skickar jag in övertiden, vilken lön blir det?")
    # "fre" goes with the date; it fell back. Löneservice's own overtime is the other reading.
    assert reply.status == "clarify" and reply.suggestions[0] == KB.entries["loneunderlag-sista-dag"].title
    reply = chat.say("1")
    assert reply.entry == "loneunderlag-sista-dag"
    assert "så det hinner till lönen i januari 2027 (sista dag fredag 8 januari 2027)" in text_of(reply)
    # The document gives no day for what managers attest in Heroma: the answer says so.
    assert "något datum för det står inte i tjänstebeskrivningen" in text_of(reply)


def test_and_the_manager_after_the_managers_duties_stays_on_them():
    chat = Conversation()
    chat.say("vad måste förvaltningen göra?")
    chat.say("Vad är chefens ansvar inför lönekörningen?")
    # Nothing new is named ("chef" is in that answer's title): not Heromaservice's support to managers.
    assert chat.say("och chefen?").entry == "chefens-ansvar-infor-lonekorning"


def test_yes_to_the_offer_to_go_on_with_a_guide_goes_on():
    chat = Conversation()
    chat.say("chefskoppling")
    chat.say("ja")  # works at SÄS
    chat.say("ja")  # "Nästa" past the introduction; the name step next
    for _ in range(3):  # "ja" is no name: the third miss offers to cancel
        reply = chat.say("ja")
    assert "Vill du fortsätta guiden eller avbryta den?" in text_of(reply)
    reply = chat.say("ja")
    assert reply.messages[0].text == chat.assistant.engine.text("continued") and flow(chat) is not None


def test_when_the_pay_review_itself_is_held_is_not_in_the_documents():
    reply = Conversation().say("när är nästa lönerevision")
    assert reply.status == "fallback" and "Om ”när är nästa löneöversyn” står det inget" in text_of(reply)
    assert KB.entries["loneoversyn-forhandlingsresultat"].title in [c.title for c in reply.choices()]
    assert Conversation().say("när ska förhandlingsresultatet från löneöversynen vara inne?").status == "answer"


def test_a_special_solution_is_an_own_solution():
    assert Conversation().say("vi vill ha en egen speciallösning för vår förvaltning går det").entry == "egna-losningar"


def test_a_day_written_out_that_the_routine_writes_as_a_code_finds_the_code():
    # The SÄS routine writes 1 March 2026 as "260301"; "1 mars" without the year is no such day.
    assert Conversation().say("vad gäller från 1 mars 2026").entry == "befintliga-behorigheter"
    assert Conversation().say("vad gäller för behörighetsroller från 1 mars 2026").entry == "befintliga-behorigheter"


def test_a_neighbour_ahead_of_the_answer_just_given_answers_the_follow_up():
    chat = Conversation()
    assert chat.say("vem svarar på frågor om tjänstepension").entry == "pension-vagledning"
    reply = chat.say("kan dom ge mig råd?")
    assert reply.entry == "pension-radgivning" and "inte rådgivande" in text_of(reply)


def test_how_long_after_an_answer_without_a_time_does_not_hop_to_a_neighbour_with_one():
    chat = Conversation()
    assert chat.say("vem avslutar anställningar i heroma?").entry == "avsluta-anstallning"
    reply = chat.say("hur lång tid tar det?")
    assert reply.entry != "anstallningsavtal" and reply.status == "fallback"


def test_then_or_a_tiny_deadline_follow_up_keeps_the_day_just_given():
    chat = Conversation(today=date(2026, 12, 7))
    chat.say("vi ska slå ihop två enheter 1 april 2027")
    reply = chat.say("när måste underlaget vara inne då?")
    assert "senast måndag 1 februari 2027" in text_of(reply)
    chat = Conversation(today=date(2026, 12, 7))
    chat.say("vi har en omorg som ska gälla från 1 mars")
    assert "Skriv datumet" not in text_of(chat.say("när senast?"))


def test_sen_med_is_late_only_after_a_verb():
    assert Conversation().say("vad händer sen med blanketten?").entry == "specialistsupport-handlaggning"
    assert Conversation().say("jag är sen med underlaget, vad händer?").entry == "loneunderlag-sista-dag"


def test_going_back_to_a_topic_is_not_paying_back():
    chat = Conversation()
    chat.say("när är sista dag för löneunderlag")
    chat.say("vilka utbildningar krävs för heromabehörighet")
    reply = chat.say("tillbaka till lönen, vad händer om det kommer in den 10:e?")
    assert reply.entry == "loneunderlag-sista-dag"


def test_an_option_word_inside_a_short_answer_picks_that_option():
    chat = Conversation()
    for said in ("ny behörighet", "ja", "ja"):
        chat.say(said)
    assert flow(chat) == ("ny-behorighet", "roll")
    chat.say("hon ska vara typ rapportör")
    assert chat.state["flow"]["answers"]["roll"] == "rapportor"
    chat = Conversation()
    for said in ("ny behörighet", "ja", "ja"):
        chat.say(said)
    chat.say("chef eller rapportör?")  # two options: no pick
    assert flow(chat) == ("ny-behorighet", "roll")


def test_what_happens_if_is_a_condition_on_the_previous_answer():
    chat = Conversation()
    chat.say("vad är utanordningslistan")
    reply = chat.say("vad händer om jag glömmer?")
    assert reply.entry == "utanordningslista" and "Vad som händer om listan inte signeras står inte" in text_of(reply)
    assert chat.say("när ska den vara signerad?").entry == "utanordningslista"  # the conversation kept its topic


def test_a_contract_whose_documents_must_be_changed_gets_no_two_day_date():
    reply = Conversation().say("hur lång tid har ni på er att skriva anställningsavtal om HR behövt ändra underlaget")
    assert reply.entry == "anstallningsavtal" and "blir det senast" not in text_of(reply)
    assert "står inte i tjänstebeskrivningen" in text_of(reply)


@pytest.mark.parametrize(
    ("turns", "entry"),
    [
        # each Heromaservice part lists how it is bought: "kostar det?" after its scheduling part
        (("vi är en liten vårdcentral och funderar på att köpa heromaservice", "kan dom lägga schema?", "kostar det?"),
         "heromaservice-bestalla"),
        (("vad gör heromaservice", "är det gratis?"), "heromaservice-bestalla"),  # gratis is a cost word
        (("pensionsadm vad ingår",), "pension-ingar"),  # pensionsadm is pension administration
        # a sure answer on its own beats "nothing sure" read with the previous answer
        (("en av mina heromarapportörer har slutat", "och anställningen, vem avslutar den?"), "avsluta-anstallning"),
    ],
)
def test_follow_ups_and_phrasings_from_qa_passes_26_and_27(turns, entry):
    chat = Conversation()
    for said in turns[:-1]:
        chat.say(said)
    assert chat.say(turns[-1]).entry == entry


def test_who_the_area_manager_is_is_named_where_the_answer_sends_you_to_her():
    chat = Conversation()
    chat.say("hur klagar jag på löneservice")
    reply = chat.say("vem är områdeschef?")
    assert "Karin Holmberg" in text_of(reply) and "VGR Serviceportal" in text_of(reply)
    assert "Karin Holmberg" in text_of(Conversation().say("hur beställer jag en tilläggstjänst"))


@pytest.mark.parametrize(
    "said", ["är du en robot", "vem är du?", "Hej! Vem är du?", "god morgon, hur mår du idag", "are you a bot?"]
)
def test_asking_who_the_bot_is_gets_what_it_is_and_the_way_to_a_human(said):
    reply = Conversation().say(said)
    assert reply.status == "command" and text_of(reply).startswith("Jag är Löneservice-assistenten, en bot")
    assert "VGR Serviceportal" in text_of(reply)


def test_a_greeting_before_a_question_or_a_goodbye_changes_nothing():
    assert Conversation().say("hej då").status == "command"
    assert "Hej då!" in text_of(Conversation().say("hej då"))
    assert Conversation().say("Hej, hur ansöker jag om behörighet i Heroma?").entry == "behorighet-ny-ansokan"


def test_how_is_it_with_another_deadline_switches_to_that_deadline():
    chat = Conversation()
    chat.say("när är sista dagen för underlag i mars?")
    reply = chat.say("hur är det med löneöversynen i mars?")
    assert reply.entry == "loneoversyn-forhandlingsresultat" and "fredag 5 mars 2027" in text_of(reply)
    chat.say("när är sista dagen för underlag i mars?")
    assert "torsdag 8 april 2027" in text_of(chat.say("hur är det med det i april?"))


def test_asking_to_be_guided_after_did_you_mean_starts_the_guide_of_the_suggestion_that_has_one():
    # QA pass 28: "ja guida mig" after "Menade du …?" showed the help instead.
    chat = Conversation()
    asked = chat.say("rapportör vikarie semester")  # session 12: "heromarapportor …" is answered now
    assert asked.status == "clarify" and asked.suggestions[0] == KB.entries["heromarapportor-pa-distans"].title
    started = chat.say("ja guida mig")
    assert started.status == "dialog" and chat.state["flow"]["flow"] == "ny-behorighet"


def test_asking_to_be_guided_with_nothing_suggested_still_gets_the_help():
    assert text_of(Conversation().say("guida mig")).startswith(MESSAGES.text("help_text")[:30])


@pytest.mark.parametrize(
    "question",
    [
        "Hej! Jag har en undersköterska som jobbat extra i december och hon skickade in sina tider sent. Kommer det med nästa månad?",
        "Hej! Jag har en undersköterska som jobbat extra i december och hon skickade in sina tider sent, typ den 12:e, "
        "och nu undrar hon varför det inte kom med på lönen. Kommer det med nästa månad eller hur funkar det?",
    ],
)
def test_extra_shifts_handed_in_late_are_about_the_payroll_deadline(question):
    # QA pass 29: "jobbat extra" reached the charging entry ("extra kostnad"), and the last
    # sentence alone ("… hur funkar det?") the löneväxling entry.
    reply = Conversation().say(question)
    assert (reply.entry or reply.suggestions[0]) in ("loneunderlag-sista-dag", KB.entries["loneunderlag-sista-dag"].title)



def test_a_case_filed_on_new_years_eve_written_as_31_12_is_answered_on_the_first_working_day():
    reply = Conversation(today=date(2026, 12, 7)).say("ärende i serviceportalen 31/12, svar senast?")
    assert reply.entry == "aterkoppling-serviceportal" and "senast måndag 4 januari 2027" in text_of(reply)


@pytest.mark.parametrize(
    "question",
    [
        "jag har gått utbildningarna men har fortfarande ingen behörighet, vad ska jag göra?",
        "har gått kurserna men saknar fortfarande behörighet i heroma",
    ],
)
def test_trainings_done_but_no_permission_yet_gets_the_application_steps(question):
    # QA pass 28: this got the list of trainings, already done; the chef's form comes next.
    assert Conversation().say(question).entry == "behorighet-ny-ansokan"


def test_a_guide_user_who_corrects_where_they_work_gets_the_outside_sas_way():
    # QA pass 28: "nej förresten jag jobbar på alingsås lasarett" after "Ja" to SÄS was not understood.
    chat = Conversation()
    for said in ("ny behörighet", "ja"):
        chat.say(said)
    reply = chat.say("nej förresten jag jobbar på alingsås lasarett")
    assert reply.status == "dialog" and "gäller Södra Älvsborgs Sjukhus" in text_of(reply)
    assert chat.state["elsewhere"] is True


def test_informal_yes_and_an_english_role_are_understood_in_a_guide():
    chat = Conversation()
    for said in ("ny behörighet", "jaa", "jepp"):
        chat.say(said)
    assert chat.state["flow"]["step"] == "roll"
    chat.say("reporter")
    assert chat.state["flow"]["answers"]["roll"] == "rapportor"


def test_a_side_question_with_forresten_at_the_name_step_is_a_question_not_a_bad_name():
    chat = Conversation()
    for said in ("ny behörighet", "ja", "ja", "typ rapportör"):
        chat.say(said)
    assert chat.state["flow"]["step"] == "namn"
    reply = chat.say("vart hittar jag blanketten förresten?")
    assert KB.entries["var-finns-behorighetsblanketten"].title in reply.suggestions
    assert chat.state["flow"]["step"] == "namn" and "namn" not in chat.state["flow"]["answers"]


def test_the_papers_for_january_pay_written_as_one_word_are_the_january_deadline():
    reply = Conversation(today=date(2026, 12, 7)).say("sista dag för januariunderlaget?")
    assert reply.entry == "loneunderlag-sista-dag" and "fredag 8 januari 2027" in text_of(reply)


def test_a_pasted_signature_alone_asks_for_the_question_and_after_a_question_is_ignored():
    # QA pass 29: a signature alone got "Menade du: Sista dag för underlag …?".
    signature = "Med vänliga hälsningar Karin Svensson Enhetschef Avd 32 Södra Älvsborgs Sjukhus Tel 033-616 10 00 karin.svensson@vgregion.se"
    reply = Conversation().say(signature)
    assert reply.status == "command" and text_of(reply) == MESSAGES.text("signature_only")
    asked = Conversation().say("Hur ansöker jag om behörighet i Heroma?\n\n" + signature)
    assert asked.entry == "behorighet-ny-ansokan"


def test_calling_instead_is_about_phone_support_and_being_late_is_about_the_deadline():
    # QA pass 30: "kan jag ringa istället?" got the permission form's e-mail address, and
    # "och om jag är sen?" after the 8th-of-month answer fell back ("sen" was filler).
    chat = Conversation()
    chat.say("behöver ett anställningsintyg till banken")
    assert chat.say("kan jag ringa istället?").entry == "telefonsupport"
    chat = Conversation()
    chat.say("underlag")
    chat.say("1")
    reply = chat.say("och om jag är sen?")
    assert reply.entry == "loneunderlag-sista-dag" and "nästa månads lön" in text_of(reply)


def test_asking_whether_an_answer_from_the_service_description_holds_at_another_workplace():
    # QA pass 30: "och om jag jobbar på NÄL?" after the 8th-of-month answer got the entry
    # saying the SÄS routine is SÄS's only, as if the deadline were.
    chat = Conversation()
    chat.say("sista dag för löneunderlag")
    for said in ("och om jag jobbar på NÄL?", "gäller samma sak för Sahlgrenska?"):
        reply = chat.say(said)
        assert reply.entry == "loneunderlag-sista-dag" and text_of(reply).count(MESSAGES.text("vgr_wide")) == 1
    # after an answer only the SÄS routine backs, the SÄS-only entry is still right
    chat = Conversation()
    chat.say("vem skickar jag behörighetsblanketten till?")
    assert chat.say("och om jag jobbar på NÄL?").entry == "behorighet-andra-forvaltningar"


def test_asking_from_when_after_an_answer_without_a_day_is_not_answered_by_it():
    chat = Conversation()
    chat.say("vad ingår i heromaservice")  # no day in that answer
    assert chat.say("från när?").status != "answer"


def test_a_follow_up_naming_a_neighbours_topic_gets_that_neighbour():
    # QA pass 30: "och om det är en chef som byter enhet?" after ending a permission repeated
    # that answer; changing a permission is the related entry whose title names it.
    chat = Conversation()
    chat.say("en medarbetare har slutat, tas hennes heroma behörighet bort automatiskt?")
    assert chat.say("och om det är en chef som byter enhet?").entry == "behorighet-andra"
    # a word the previous entry is asked with stays with it ("beställa" Heromaservice)
    chat = Conversation()
    chat.say("vad kostar heromaservice")
    assert chat.say("hur beställer vi?").entry == "heromaservice-bestalla"


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # QA pass 30: this fell back ("administration" and "according" were unknown words).
        ("what does the administration have to do according to the service description?", "forvaltningens-ansvar"),
        # Read in Swedish, "courses for managers" is also "utbildning … för chefer" on pension.
        ("do you offer Heroma courses for managers?", "heroma-utbildningar-loneservice"),
    ],
)
def test_english_questions_close_to_two_entries_get_the_right_one_first(question, entry):
    reply = Conversation().say(question)
    assert reply.entry == entry or reply.suggestions[:1] == [KB.entries[entry].title]


def test_a_deadline_question_with_a_year_far_off_says_it_counts_without_it():
    reply = Conversation(today=date(2026, 12, 7)).say("skickar underlaget 10 januari 2100, hinner det?")
    assert reply.entry == "loneunderlag-sista-dag"
    assert "Jag räknar bara med datum under åren 1900–2099, så jag räknar utan 10 januari 2100." in text_of(reply)


def test_a_finished_guide_names_its_source_like_an_answer():
    # QA pass 31: the checklist and e-mail had no "Källa" line, unlike every answer.
    chat = Conversation()
    for said in ("avsluta behörighet", "ja", "ja", "Anna Svensson"):
        chat.say(said)
    reply = chat.say("ja")
    assert reply.status == "dialog" and chat.state.get("flow") is None
    assert reply.messages[-1].source == KB.source_line(KB.entries["behorighet-avsluta"])
    assert "Behörigheter i Heroma på Södra Älvsborgs Sjukhus" in reply.messages[-1].source


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        (("sista dag för löneunderlag i januari?", "om det kommer in den 9:e?"), "lördag 9 januari 2027"),
        (("när är sista dag för löneunderlag i jan",), "fredag 8 januari 2027"),
    ],
)
def test_a_january_deadline_asked_with_a_clipped_month_or_a_bare_day_stays_in_january(said, expected):
    # QA pass 33: "i jan" was not read, and "den 9:e" after January's deadline became 9 December.
    chat = Conversation(today=date(2026, 12, 7))
    for text in said:
        reply = chat.say(text)
    assert reply.entry == "loneunderlag-sista-dag" and expected in text_of(reply)


def test_correcting_the_workplace_answer_with_a_leading_yes_goes_back_to_the_sas_path():
    # QA pass 33: "jag menar ja, jag jobbar på SÄS" after "nej" pressed "Nästa" on the non-SÄS branch.
    chat = Conversation()
    for said in ("ny rapportör", "nej"):
        chat.say(said)
    reply = chat.say("jag menar ja, jag jobbar på SÄS")
    assert reply.messages[0].text == chat.assistant.engine.text("workplace_changed")
    assert chat.state["flow"]["answers"]["sas"] == "ja" and chat.state["elsewhere"] is False


@pytest.mark.parametrize(
    "said",
    ["god jul och gott nytt år!", "tack så mycket, god jul!", "Trevlig helg!", "gott nytt år på er", "tack för hjälpen, trevlig helg"],
)
def test_season_wishes_get_wishes_back(said):
    # QA pass 33: "god jul och gott nytt år!" got "Det vet jag tyvärr inte".
    reply = Conversation().say(said)
    assert reply.status == "command" and text_of(reply) == MESSAGES.text("wishes_reply")


def test_wait_before_a_question_is_an_opener_not_a_word_about_waiting_times():
    # QA pass 33: "vänta, …" matched the phone queue's waiting time.
    reply = Conversation().say("vänta, jag behöver nog ändra min behörighet också")
    assert (reply.entry or reply.suggestions[0]) in ("behorighet-andra", KB.entries["behorighet-andra"].title)


def test_the_plural_of_semester_is_semester():
    # QA pass 33: "semestrarna" stemmed differently from "semester", so this fell back.
    reply = Conversation().say("kan ni hjälpa oss med heromarapporteringen under semestrarna?")
    assert (reply.entry or reply.suggestions[0]) in (
        "heromarapportor-pa-distans",
        KB.entries["heromarapportor-pa-distans"].title,
    )


def test_feelings_and_intensifiers_are_no_topic_of_a_complaint():
    # QA pass 32: "ganska" was repaired to "granska" and "irriterad" weighed as an unknown word.
    reply = Conversation().say(
        "Det blev fel på lönen för tre av mina anställda förra månaden och jag är ganska irriterad, "
        "hur lämnar jag ett formellt klagomål?"
    )
    assert (reply.entry or reply.suggestions[0]) in ("klagomal", KB.entries["klagomal"].title)


def test_applying_for_parental_leave_gets_the_entry_that_says_how_is_not_described():
    # QA pass 35: "how do I apply for parental leave" got the entry without saying it doesn't tell how.
    reply = Conversation().say("how do I apply for parental leave")
    assert reply.entry == "foraldraledighet" and "inte heller hur man gör för att få föräldraledighet" in text_of(reply)


@pytest.mark.parametrize(
    ("first", "then", "entry", "expected"),
    [
        # QA pass 34: "och för löneöversyn?" after May's deadline gave the next one (5 January) …
        ("deadline löneunderlag maj", "och för löneöversyn?", "loneoversyn-forhandlingsresultat", "onsdag 5 maj 2027"),
        ("löneunderlag sista dag i juni", "och löneöversynen?", "loneoversyn-forhandlingsresultat", "lördag 5 juni 2027"),
        ("sista dag för löneunderlag", "och för löneöversynen?", "loneoversyn-forhandlingsresultat", "Nästa sista dag: tisdag 5 januari 2027"),
        # … and after the organisation-tree answer a dated "when" got existing roles, or fell back
        ("vi ska göra om organisationen, vem ändrar i heroma?", "ska gälla från 1 april 2027, när måste vi skicka?",
         "omorganisation-underlag", "senast måndag 1 februari 2027"),
        ("vi ska skapa ett nytt chefsled", "hinner vi till 1 januari?",
         "omorganisation-underlag", "söndag 1 november 2026, och den dagen har passerat"),
        # QA pass 30: a date after the organisation-tree answer repeated it without a date …
        ("vem bygger om organisationsträdet i heroma när vi omorganiserar?", "och om omorgen gäller från 1 februari?",
         "omorganisation-underlag", "1 december 2026"),
        # … and "gäller det från när?" after the roles answer ("från 260301") fell back
        ("vilken behörighetsroll får en vårdenhetschef på säs?", "gäller det från när?",
         "behorighetsroll-per-chefsuppdrag", "260301"),
        # QA pass 28: papers arriving late for a 1 May reorganisation got the 8th-of-month rule
        ("vi ska omorganisera 1 maj 2027, när senast underlag?", "och om underlaget kommer 3 mars?",
         "omorganisation-underlag", "tidigast måndag 3 maj 2027"),
    ],
)
def test_a_dated_follow_up_keeps_the_month_or_finds_the_rule_with_dates(first, then, entry, expected):
    chat = Conversation(today=date(2026, 12, 7))
    chat.say(first)
    reply = chat.say(then)
    assert reply.entry == entry and expected in text_of(reply)


def test_wishes_before_a_question_leave_the_question():
    assert Conversation().say("trevlig helg, vem tecknar lokala avtal?").entry == "lokala-avtal"


def test_an_exclamation_before_a_question_is_an_opener():
    # QA pass 34: "ojdå, jag måste visst avsluta en behörighet också" fell back.
    reply = Conversation().say("ojdå, jag måste visst avsluta en behörighet också")
    assert (reply.entry or reply.suggestions[0]) in ("behorighet-avsluta", KB.entries["behorighet-avsluta"].title)


def test_asking_about_next_year_gets_januarys_date_with_the_validity_note():
    # QA pass 33: "gäller 8:e fortfarande nästa år?" got December's date and no word on validity.
    reply = Conversation(today=date(2026, 12, 7)).say("gäller 8:e fortfarande nästa år?")
    assert "fredag 8 januari 2027" in text_of(reply) and "Datumet ligger efter 2026-12-31" in text_of(reply)


def test_asking_only_when_after_an_answer_is_about_that_answer():
    # QA pass 36: "senast vilket datum?" after signing the disbursement list got the 8th of
    # the month for payroll input, a date the document doesn't give for signing.
    chat = Conversation(today=date(2026, 12, 7))
    chat.say("måste jag signera utanordningslistan i december?")
    reply = chat.say("senast vilket datum?")
    assert reply.entry == "utanordningslista"
    assert "inte heller vilken dag i månaden den senast ska vara signerad" in text_of(reply)
    chat = Conversation(today=date(2026, 12, 7))
    chat.say("när ska löneunderlaget vara inne?")
    assert chat.say("deadline?").entry == "loneunderlag-sista-dag"


def test_a_start_written_after_its_date_is_when_the_contract_is_needed():
    # QA pass 36: "nästa vecka" was read as the day the input comes in (done Wednesday 16th,
    # after the start); it is the start, so the input must come in by Thursday 10th.
    reply = Conversation(today=date(2026, 12, 7)).say(
        "nästa vecka börjar en ny medarbetare, när måste HR skicka underlaget för att avtalet ska vara klart?"
    )
    assert reply.entry == "anstallningsavtal"
    assert "i tid till måndag 14 december 2026, då du behöver det" in text_of(reply)
    assert "om det kommer in senast torsdag 10 december 2026" in text_of(reply)


def test_a_missed_deadline_named_by_its_day_means_what_is_sent_now():
    # QA pass 36: "igår" was read as the day the input came in, so it "made" January's pay.
    reply = Conversation(today=date(2027, 1, 9)).say("missade deadline igår, vad händer")
    assert reply.entry == "loneunderlag-sista-dag"
    assert "Det som kommer in lördag 9 januari 2027 är efter sista dagen för lönen i januari 2027" in text_of(reply)


def test_a_bare_day_in_a_follow_up_takes_the_month_the_user_was_talking_about():
    # QA pass 36: after "den 9:e" (9 December), "den 20:e" became 20 January; after "och för
    # december då?", "den 7:e" became 7 January. "och för februari?" repeated the 20th.
    chat = Conversation(today=date(2026, 12, 7))
    chat.say("underlag 8:e")
    chat.say("om jag skickar den 9:e då?")
    assert "Det som kommer in söndag 20 december 2026 är efter" in text_of(chat.say("om jag skickar den 20:e då?"))
    assert "Sista dag för att komma med på lönen i februari 2027: måndag 8 februari 2027" in text_of(
        chat.say("och för februari?")
    )
    chat = Conversation(today=date(2026, 12, 7))
    chat.say("löneöversyn förhandlingsresultat deadline")
    chat.say("och för december då?")
    assert "Det som kommer in måndag 7 december 2026 är efter" in text_of(chat.say("vad händer om det kommer in den 7:e?"))


def test_an_apology_is_a_filler_not_a_topic():
    # QA pass 37: "sry" was an unknown word that outweighed the rest: fallback.
    reply = Conversation().say("sry stressad, ny rapportör, vad gör jag först")
    assert reply.entry == "ny-heromarapportor" or reply.suggestions[0] == KB.entries["ny-heromarapportor"].title


def test_asap_is_a_filler_not_a_topic():
    # QA pass 37: "asap" was read as "snart", a rare word of the reorganisation entry, which
    # answered a request for Heroma access. It is a stopword; the glossary no longer maps it.
    reply = Conversation().say("hej behöver behörhet t heroma asap hur")
    assert reply.entry == "behorighet-ny-ansokan" or reply.suggestions[0] == KB.entries["behorighet-ny-ansokan"].title


@pytest.mark.parametrize("question", ["pensionsfrågor", "jag har en pensionsfråga", "vem fixar pensionsfrågor tack"])
def test_a_question_compound_names_its_topic(question):
    # QA pass 37: "fråga" is a stopword, so "pensionsfrågor" named no topic and fell back
    # although it matched the pension entry that uses the word.
    reply = Conversation().say(question)
    assert reply.status == "answer" and reply.entry == "pension-hr-chefer"


def test_what_if_we_miss_it_is_about_the_deadline_just_given():
    # QA pass 37: after the reorganisation answer, "vad händer om vi missar" got the 8th of the
    # month. The document doesn't say what follows a late reorganisation: the bot says so.
    chat = Conversation(today=date(2026, 12, 7))
    chat.say("när ska lönunderlaget va inne")
    chat.say("och om vi omorganiserar 1 feb?")
    reply = chat.say("vad händer om vi missar")
    assert reply.entry is None and "följdfråga om **Underlag vid omorganisation" in text_of(reply)
    chat = Conversation(today=date(2026, 12, 7))
    chat.say("när ska lönunderlaget va inne")
    assert chat.say("vad händer om vi missar").entry == "loneunderlag-sista-dag"  # its answer says: next month


def test_who_does_it_here_from_outside_sas_after_a_sas_only_guide_gets_the_outside_entry():
    # QA pass 37: after the guide said its routine is SÄS's only, "men vem gör det då hos
    # oss?" got ending an employment (the one VGR-wide neighbour left).
    chat = Conversation()
    chat.say("ta bort heroma behorigheten för en som slutat")
    chat.say("guida mej")
    chat.say("nä jag jobbar på NU-sjukvården")
    assert chat.say("men vem gör det då hos oss?").entry == "behorighet-andra-forvaltningar"
    assert chat.say("och anställningen då, vem avslutar den").entry == "avsluta-anstallning"


def test_certificate_follow_ups_with_two_times_and_what_if_late():
    # QA pass 36: "och efter nyår, typ 4 jan?" fell back (only the first date left the
    # text, so "jan" looked like a topic), and "vad händer om det inte kommer i tid?" after
    # a certificate needed before Christmas got the 8th of the month.
    chat = Conversation(today=date(2026, 12, 7))
    chat.say("intyg hur lång tid")
    reply = chat.say("och efter nyår, typ 4 jan?")
    assert reply.entry == "intyg" and "Räknat från måndag 4 januari 2027 blir det senast tisdag 12 januari 2027" in text_of(reply)
    chat = Conversation(today=date(2026, 12, 7))
    chat.say("jag behöver ett intyg")
    chat.say("till a-kassan, behöver det före jul")
    assert chat.say("vad händer om det inte kommer i tid?").entry == "intyg"


def test_a_long_english_question_about_requests_going_to_the_old_manager():
    # QA pass 37: English fillers ("am", "now", "things", "without telling") were unknown
    # words that diluted the question until it fell back; "predecessor"/"old manager" are
    # the glossary's "gamla chefen" now.
    reply = Conversation().say(
        "I am a new manager and started last week, my predecessor left without telling me anything, and now my "
        "staff say their requests in Heroma go to the old manager. What should I do so that things come to me instead?"
    )
    assert reply.entry == "chefskoppling" or reply.suggestions[0] == KB.entries["chefskoppling"].title


@pytest.mark.parametrize("question", ["vilken dag är löning", "när är det löning", "löning?", "lönning december??"])
def test_loning_is_pay_day_not_a_solution(question):
    # QA pass 38: "löning" was repaired to "lösning" and answered with the card on the
    # administrations' own solutions.
    assert Conversation().say(question).entry == "lonedag"


def test_saying_where_one_works_with_a_question_in_it_is_answered():
    # QA pass 38: "jag är ny heromarapportör på säs" only got "Okej, du arbetar på SÄS".
    assert Conversation().say("jag är ny heromarapportör på säs").entry == "ny-heromarapportor"
    chat = Conversation()
    for statement in ("jag jobbar på säs", "jag arbetar på SÄS"):
        assert text_of(chat.say(statement)).startswith("Okej, du arbetar på Södra Älvsborgs Sjukhus")
    assert chat.state.get("elsewhere") is False


def test_what_happens_after_new_year_then_after_the_validity_answer_is_about_it():
    # QA pass 38: "vad händer efter nyår då?" after how long the service description is valid
    # asked about unrelated entries, and the conversation lost its thread ("den nya
    # versionen" then got Heroma's software versions).
    chat = Conversation(today=date(2026, 12, 7))
    chat.say("hur länge gäller tjänstebeskrivningen?")
    assert chat.say("vad händer efter nyår då?").entry == "tjanstebeskrivning-giltighet"
    assert chat.say("vem kan jag fråga om den nya versionen?").entry == "tjanstebeskrivning-giltighet"


@pytest.mark.parametrize(
    ("question", "said"),
    [
        # QA pass 39: the work month was taken for the pay month and moved to 2027.
        ("avvikelserna för november, när ska dom vara inne senast för att komma med på lönen i dec?",
         "Sista dag för att komma med på lönen i december 2026: tisdag 8 december 2026"),
        ("övertiden för oktober, hinner den med på novemberlönen om jag skickar nu?",
         "Sista dagen för att komma med på lönen i november 2026 var söndag 8 november 2026 och har passerat"),
        ("sista dag för övertid till januarilönen", "Sista dag för att komma med på lönen i januari 2027: fredag 8 januari 2027"),
        ("övertid februari deadline", "Sista dag för att komma med på lönen i februari 2027: måndag 8 februari 2027"),
    ],
)
def test_the_pay_month_asked_about_is_the_one_answered(question, said):
    reply = Conversation(today=date(2026, 12, 7)).say(question)
    assert reply.entry == "loneunderlag-sista-dag" and said in text_of(reply)


def test_forgetting_to_send_yesterday_means_it_is_sent_now():
    reply = Conversation(today=date(2027, 1, 9)).say("glömde skicka underlaget igår, vad händer nu")
    assert "Det som kommer in lördag 9 januari 2027 är efter sista dagen för lönen i januari 2027" in text_of(reply)
    # QA pass 40: a work month beside the day ("för november") left "igår" as the day sent.
    reply = Conversation(today=date(2026, 12, 9)).say("glömde skicka in övertid för november igår")
    assert "Det som kommer in onsdag 9 december 2026 är efter sista dagen för lönen i december 2026" in text_of(reply)


def test_and_the_15th_after_the_deadline_is_a_day():
    # QA pass 39: "och den 15:e?" repeated the next deadline; an ordinal alone wasn't a day.
    chat = Conversation(today=date(2026, 12, 7))
    chat.say("sista dag underlag")
    said = text_of(chat.say("och den 15:e?"))
    assert "Det som kommer in tisdag 15 december 2026 är efter sista dagen för lönen i december 2026" in said
    assert "Nästa sista dag: tisdag 8 december 2026" in text_of(Conversation(today=date(2026, 12, 7)).say("den 8:e?"))


def test_a_day_needed_by_stays_the_day_needed_in_a_follow_up():
    # QA pass 39: "behöver det före jul" was carried on as the day the request came in
    # ("Räknat från torsdag 24 december …").
    chat = Conversation(today=date(2026, 12, 7))
    chat.say("jag behöver ett intyg")
    chat.say("till a-kassan, behöver det före jul")
    said = text_of(chat.say("vad händer om det inte kommer i tid?"))
    assert "i tid till torsdag 24 december 2026, då du behöver det" in said
    assert "Räknat från torsdag 24 december" not in said


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("jag ska söka heromabehörighet till en ny enhetschef på säs", "behorighet-ny-ansokan"),
        ("Gäller behörighetsrutinen på SÄS fortfarande?", "sas-rutin-giltighet"),
        ("gäller säs-rutinen på NÄL?", "behorighet-andra-forvaltningar"),  # still answers when it leads
    ],
)
def test_a_question_that_names_sas_is_not_about_working_elsewhere(question, entry):
    # QA pass 38: "Behörighet i Heroma utanför SÄS" was offered although the user said SÄS.
    assert Conversation().say(question).entry == entry


@pytest.mark.parametrize(
    ("question", "said"),
    [
        # QA pass 40: "ändå" was an unknown word, and "mån 4/1" no date.
        ("kan jag lämna in underlag den 15:e och ändå få det på decemberlönen?",
         "Det som kommer in tisdag 15 december 2026 är efter sista dagen för lönen i december 2026"),
        ("mån 4/1 skickar jag in tidrapporter, vilken lön hamnar det på?",
         "Det som kommer in måndag 4 januari 2027 hinner till lönen i januari 2027"),
    ],
)
def test_dated_payroll_questions_with_fillers_and_clipped_weekdays(question, said):
    reply = Conversation(today=date(2026, 12, 7)).say(question)
    assert reply.entry == "loneunderlag-sista-dag" and said in text_of(reply)


def test_a_new_date_after_did_you_mean_led_by_a_deadline_gets_that_deadline():
    # QA pass 40: "och den 20:e?" after "Menade du …?" said "Det vet jag tyvärr inte".
    chat = Conversation(today=date(2026, 12, 7))
    assert chat.say("när ska underlaget vara inne?").status == "clarify"
    reply = chat.say("och den 20:e?")
    assert reply.entry == "loneunderlag-sista-dag"
    assert "Det som kommer in söndag 20 december 2026 är efter sista dagen för lönen i december 2026" in text_of(reply)
    chat = Conversation(today=date(2026, 12, 7))
    chat.say("blankett var??")  # no deadline among the suggestions: nothing to count
    assert chat.say("och den 20:e?").entry is None


def test_a_long_answer_that_opens_with_yes_or_no_answers_the_guide_step():
    # QA pass 37: answers longer than a few words were no answer at all, so the guide asked
    # again ("nej det e min chef som e ansvarig") or offered a knowledge entry instead.
    chat = Conversation()
    chat.say("ansöka om behörighet")
    chat.say("ja")
    reply = chat.say("nej det e min chef som e ansvarig")
    assert flow(chat) is None and "Meddelande att skicka till chefen" in text_of(reply)

    chat = Conversation()
    for said in ("behorighet", "japp", "ja e hans chef", "han ska bli heromarapportör", "kalle andersson"):
        chat.say(said)
    assert flow(chat) == ("ny-behorighet", "utb-intro")
    reply = chat.say("ja han har gjort introt men inte chefsutbildningen")
    assert flow(chat) == ("ny-behorighet", "utb-chef") and "**Heroma – För chefer**" in text_of(reply)


def test_a_long_question_that_opens_with_yes_is_still_a_question_mid_guide():
    chat = Conversation()
    chat.say("ansöka om behörighet")
    chat.say("ja")
    for question in ("ja men när ska löneunderlaget vara inne?", "ja men när ska löneunderlaget vara inne"):
        reply = chat.say(question)
        assert reply.entry == "loneunderlag-sista-dag" and flow(chat) == ("ny-behorighet", "chef")


def test_english_yes_words_go_on_from_a_next_step():
    # QA pass 37: "yep im the new one" at the manager-linking guide's "Nästa" was not understood.
    chat = Conversation()
    chat.say("new manager, my staffs stuff goes to the old boss in heroma")
    chat.say("yes guide me")
    chat.say("yes")
    assert flow(chat) == ("chefskoppling", "varfor")
    chat.say("yep im the new one")
    assert flow(chat) == ("chefskoppling", "namn")


def test_someone_else_is_not_another_administration():
    # QA pass 37: "annan" alone was the synonym group's head term for the other
    # administrations, so "kan någon annan signera?" got Heroma permissions outside SÄS.
    chat = Conversation()
    chat.say("vem signerar utanordningslistan")
    assert chat.say("kan någon annan signera?").entry == "utanordningslista"
    assert Conversation().say("jobbar på en annan förvaltning, hur får vi heromabehörighet").entry == "behorighet-andra-forvaltningar"


def test_every_question_an_answer_tells_the_user_to_ask_gets_another_entry():
    # An answer that says 'fråga mig om "…"' promises that the phrase works (QA pass 42 found
    # "Andra förvaltningar har sina egna rutiner", which the routine doesn't say; the SÄS answer
    # now points to the entry for other administrations instead).
    promised = [
        (entry.id, phrase)
        for entry in KB.entries.values()
        for phrase in re.findall(r'fråga mig om "([^"]+)"', entry.answer)
    ]
    assert len(promised) >= 2
    for entry_id, phrase in promised:
        reply = Conversation().say(phrase)
        assert reply.status == "answer" and reply.entry not in (None, entry_id), (entry_id, phrase, reply.status)


@pytest.mark.parametrize(
    "question", ["kommer tjänstebeskrivningen förnyas nästa år", "will the service description be renewed next year"]
)
def test_renewing_the_service_description_is_about_its_validity(question):
    # QA pass 42: "förnyas" was a word of the SÄS routine's validity entry only, so the
    # question got that routine's dates (to 2028), as if they were the service description's.
    assert Conversation(today=date(2026, 12, 7)).say(question).entry == "tjanstebeskrivning-giltighet"


@pytest.mark.parametrize(
    "question", ["vad händer med löneservice efter 2026-12-31", "what happens with payroll after december 31 2026"]
)
def test_a_day_an_answer_writes_out_points_to_that_answer(question):
    # QA pass 42: the date left the question and what was left ("vad händer … efter") got
    # the form's handling by specialist support. The documents say nothing of what happens
    # then, so the bot asks, with the validity entry, which gives that day, first.
    reply = Conversation(today=date(2026, 12, 7)).say(question)
    assert reply.status in ("answer", "clarify")
    assert (reply.entry or "") == "tjanstebeskrivning-giltighet" or reply.suggestions[0] == KB.entries["tjanstebeskrivning-giltighet"].title


def test_having_left_the_region_is_context_not_a_question_about_resigning():
    # QA pass 42: "sluta jobba" as a subject the documents don't cover caught "jag har
    # slutat jobba i VGR, vem svarar på frågor om min tjänstepension", which section 1.2
    # answers (former employees). Wanting to quit is still not covered.
    chat = Conversation()
    assert chat.say("jag har slutat jobba i VGR, vem svarar på frågor om min tjänstepension").entry == "pension-vagledning"
    for question in ("jag vill sluta jobba", "hur gör jag om jag ska sluta jobba?", "hur säger jag upp mig"):
        reply = Conversation().say(question)
        assert reply.status == "fallback" and "står det inget" in text_of(reply), question


def test_a_pay_day_to_check_gets_the_pay_day_entry():
    # QA pass 42: "lönen den 25e stämmer det?" got master data and integrations.
    reply = Conversation().say("lönen den 25e stämmer det?")
    assert reply.entry == "lonedag" and "25" not in text_of(reply).split("Källa")[0]


def _at_training_step() -> Conversation:
    chat = Conversation()
    for said in ("behörighet", "ja", "ja", "heromarapportör", "Lisa Berg"):
        chat.say(said)
    assert flow(chat) == ("ny-behorighet", "utb-intro")
    return chat


@pytest.mark.parametrize(
    "said", ["not done", "inte helt klar", "ej genomförd", "inte godkänd än", "hon håller på", "underkänd"]
)
def test_a_training_that_is_not_done_is_never_recorded_as_done(said):
    # QA pass 41: a done-word inside a negated answer ("inte helt klar", "not done") was
    # taken as Klar, and the checklist said ✅ for a training the routine requires first.
    chat = _at_training_step()
    chat.say(said)
    assert chat.state["flow"]["answers"]["utb-intro"] == "inte-klar"


@pytest.mark.parametrize(
    "said", ["ja men bara halva utbildningen", "typ klar", "ja förutom slutprovet", "klar med del 1"]
)
def test_a_yes_taken_back_is_asked_again(said):
    # QA pass 41: a hedged yes was a plain yes (✅ Klart) or offered knowledge entries.
    chat = _at_training_step()
    reply = chat.say(said)
    assert flow(chat) == ("ny-behorighet", "utb-intro") and "utb-intro" not in chat.state["flow"]["answers"]
    assert text_of(reply).startswith(ENGINE["invalid_choice"])


def test_a_filler_word_in_a_choice_without_a_no_is_still_the_choice():
    chat = Conversation()
    for said in ("behörighet", "ja", "ja"):
        chat.say(said)
    chat.say("hon ska vara typ rapportör")
    assert chat.state["flow"]["answers"]["roll"] == "rapportor"


@pytest.mark.parametrize("said", ["vet inte", "jag vet inte", "ingen aning", "osäker"])
def test_not_knowing_where_one_works_is_no_no(said):
    # QA pass 41: "inte" is a word for Nej, so "vet inte" ended the guide as outside SÄS.
    chat = Conversation()
    chat.say("behörighet")
    chat.say(said)
    assert flow(chat) == ("ny-behorighet", "sas") and "elsewhere" not in chat.state


@pytest.mark.parametrize("said", ["ej säs", "not SÄS", "inte på säs"])
def test_a_negated_sas_is_working_elsewhere(said):
    # QA pass 41: a bare mention of SÄS answered "Arbetar du på SÄS?" with Ja, negated or not.
    chat = Conversation()
    chat.say("behörighet")
    reply = chat.say(said)
    assert flow(chat) is None and chat.state["elsewhere"] is True
    assert "gäller Södra Älvsborgs Sjukhus" in text_of(reply)


@pytest.mark.parametrize("said", ["vad är SÄS?", "är borås lasarett SÄS?"])
def test_a_question_about_sas_does_not_answer_where_one_works(said):
    chat = Conversation()
    chat.say("ny rapportör")
    chat.say(said)
    assert flow(chat) == ("ny-rapportor", "sas") and "elsewhere" not in chat.state


@pytest.mark.parametrize(
    "guide, said",
    [("ändra behörighet", "no, my boss handles it"), ("avsluta behörighet", "nej, det är hans förra chef som ska göra det")],
)
def test_a_no_with_a_comma_and_more_answers_the_step(guide, said):
    # QA pass 41: "nej," / "no," was dropped as a word that opens a message, so the rest
    # was matched as a question ("Menade du … Löneskuld?") and the step asked again.
    chat = Conversation()
    chat.say(guide)
    chat.say("ja")
    reply = chat.say(said)
    assert flow(chat) is None and reply.status == "dialog" and "Meddelande att skicka till chefen" in text_of(reply)


@pytest.mark.parametrize("said, step", [("börja om från början", "sas"), ("tilbaka", "sas"), ("ångra", "sas")])
def test_more_ways_to_say_back_and_restart(said, step):
    chat = Conversation()
    chat.say("behörighet")
    chat.say("ja")
    chat.say(said)
    assert flow(chat) == ("ny-behorighet", step)


def test_a_misspelt_cancel_ends_the_guide():
    chat = Conversation()
    chat.say("behörighet")
    chat.say("avbrytt")
    assert flow(chat) is None


@pytest.mark.parametrize("said", ["absolut", "yes please", "sure", "kör"])
def test_more_ways_to_take_the_offered_guide(said):
    # QA pass 41: "absolut" to "Vill du att jag guidar dig steg för steg?" got "Det vet jag tyvärr inte".
    chat = Conversation()
    chat.say("ansöka behörighet")
    chat.say(said)
    assert flow(chat) == ("ny-behorighet", "sas")


@pytest.mark.parametrize("said", ["admin", "schemaläggare", "HR-administratör"])
def test_other_support_roles_are_the_other_support_function(said):
    # QA pass 41: these got a knowledge entry (for "HR-administratör" the one for working
    # outside SÄS, to someone who had just said they work at SÄS).
    chat = Conversation()
    for first in ("behörighet", "ja", "ja"):
        chat.say(first)
    chat.say(said)
    assert chat.state["flow"]["answers"]["roll"] == "annan"


def test_two_roles_at_once_are_asked_again():
    # QA pass 41: "chef och rapportör" silently became Chef.
    chat = Conversation()
    for first in ("behörighet", "ja", "ja"):
        chat.say(first)
    reply = chat.say("chef och rapportör")
    assert flow(chat) == ("ny-behorighet", "roll") and text_of(reply).startswith(ENGINE["invalid_choice"])


def test_saying_one_works_at_sas_right_after_no_ended_the_guide_goes_on():
    # QA pass 41: "oj jag menade ja, jag jobbar på SÄS" after a mistaken "nej" fell back.
    chat = Conversation()
    chat.say("behörighet")
    chat.say("nej")
    assert flow(chat) is None
    reply = chat.say("oj jag menade ja, jag jobbar på SÄS")
    assert flow(chat) == ("ny-behorighet", "chef") and chat.state["elsewhere"] is False
    assert text_of(reply).startswith(ENGINE["workplace_changed"])
    # Only right after: later, the same words are a statement like any other.
    chat = Conversation()
    chat.say("behörighet")
    chat.say("nej")
    chat.say("när kommer lönen?")
    chat.say("jag jobbar på SÄS")
    assert flow(chat) is None


def test_a_question_mid_guide_about_another_guides_task_says_how_to_switch():
    # QA pass 41: "egentligen vill jag avsluta en behörighet istället" got the entry and the
    # same guide's step again, with no word of the guide for ending a permission.
    chat = Conversation()
    chat.say("behörighet")
    chat.say("ja")
    reply = chat.say("hur avslutar man en behörighet förresten?")
    assert reply.entry == "behorighet-avsluta" and flow(chat) == ("ny-behorighet", "chef")
    assert "Skriv *avsluta behörighet* så byter jag guide" in text_of(reply)
    reply = chat.say("avsluta behörighet")
    assert flow(chat)[0] == "avsluta-behorighet"
    # Said as a change of mind, it switches at once (QA pass 43: at the name step it was a bad name).
    for said in ("egentligen vill jag avsluta en behörighet istället", "vänta, jag vill hellre avsluta en behörighet"):
        chat = Conversation()
        for first in ("behörighet", "ja", "ja", "chef"):
            chat.say(first)
        reply = chat.say(said)
        assert flow(chat) == ("avsluta-behorighet", "chef"), said
        assert text_of(reply).startswith(ENGINE["switched_flow"].format(title="Ny behörighet i Heroma"))
    # An entry whose guide is the one running gets no such hint.
    chat = Conversation()
    chat.say("avsluta behörighet")
    chat.say("ja")
    assert "byter jag guide" not in text_of(chat.say("jag vill avsluta en behörighet"))


def test_arranging_a_permission_for_someone_is_applying_for_it():
    # QA pass 41: "ordna behörighet" got the VO contact person ("ordna" was nearest to
    # "samordnare"); in the reporter's own guide it now also says how to switch guides.
    assert Conversation().say("jag ska ordna behörighet åt henne").entry == "behorighet-ny-ansokan"
    chat = Conversation()
    chat.say("ny rapportör")
    chat.say("ja")
    reply = chat.say("jag är chefen, inte rapportören. jag ska ordna behörighet åt henne")
    assert reply.entry == "behorighet-ny-ansokan" and "Skriv *behörighet* så byter jag guide" in text_of(reply)


@pytest.mark.parametrize("question", ["Teams kraschar hela tiden", "teams funkar inte", "jag har problem med teams"])
def test_teams_trouble_is_not_in_the_documents(question):
    # QA pass 42: "kraschar" is a word for an incident, so Teams trouble was offered the
    # entry on faults in Heroma.
    reply = Conversation().say(question)
    assert reply.status == "fallback" and "står det inget" in text_of(reply)
    assert Conversation().say("heroma kraschar").entry == "heroma-fel-incident"


@pytest.mark.parametrize(
    "question",
    [
        "vad har karin holmberg för telefonnummer",
        "sara jareteg mejladress?",
        "what is Karin Holmbergs phone number",
        "vilket nummer har marie smedbro",  # QA pass 43
        "ida uhlén telefon",
        "marie smedbro kontaktuppgifter",
    ],
)
def test_a_number_the_documents_do_not_give_is_said_to_be_missing(question):
    # QA pass 42: the question got who Karin Holmberg is and never said her number isn't there.
    reply = Conversation().say(question)
    assert reply.status == "fallback"
    text = text_of(reply)
    assert "telefonnumret eller den mejladressen står inte" in text
    assert "Om Tjänstebeskrivning" in text or "Om rutinen" in text  # who the person is, offered


@pytest.mark.parametrize(
    "question, entry",
    [
        ("alexandra blomgren telefonnummer", "behorighetsblankett-skicka"),  # "… men inget telefonnummer"
        ("vad är bemanningssamordnarens mejladress", "behorighetsblankett-skicka"),
        ("vad är telefonnumret till löneservice", "telefonsupport"),
        ("löneservice mejladress", "kontakta-loneservice"),
        ("vilket nummer ringer jag till löneservice", "telefonsupport"),
        ("telefon löneservice", "telefonsupport"),
    ],
)
def test_an_answer_that_speaks_of_the_number_or_address_answers(question, entry):
    assert Conversation().say(question).entry == entry


@pytest.mark.parametrize(
    "question", ["får timvikarier semesterersättning", "hur räknas semesterersättningen ut när jag slutar"]
)
def test_holiday_pay_is_not_in_the_documents(question):
    # QA pass 43: "får timvikarier semesterersättning" got Heromaservice's shifts for hourly staff.
    reply = Conversation().say(question)
    assert reply.status == "fallback" and "Om ”semesterersättning” står det inget" in text_of(reply)


def test_an_answer_about_a_time_past_the_documents_last_day_says_it_may_change():
    # QA pass 43: "vad gäller från 1 januari 2027 för löneservice" got what Löneservice does,
    # with no word that the service description ends on 2026-12-31; deadlines said so already.
    reply = Conversation(today=date(2026, 12, 7)).say("vad gäller från 1 januari 2027 för löneservice")
    assert reply.entry == "vad-ar-loneservice"
    assert "Datumet ligger efter 2026-12-31, då Tjänstebeskrivning Löneservice slutar gälla" in text_of(reply)
    assert "Datumet ligger efter" not in text_of(Conversation(today=date(2026, 12, 7)).say("vad gör löneservice i december"))


@pytest.mark.parametrize(
    "question",
    [
        "Om jag lägger in underlag mellan jul och nyår, kommer det med på januarilönen?",
        "the 8th deadline - does it apply in january too even though its christmas holidays?",
    ],
)
def test_a_stretch_of_holidays_is_when_not_what(question):
    # QA pass 44: "jul", "nyår" and "christmas holidays" stayed in the question as words
    # of their own, and these fell back though the 8th-of-month rule answers them.
    reply = Conversation(today=date(2026, 12, 23)).say(question)
    assert reply.entry == "loneunderlag-sista-dag" and "fredag 8 januari 2027" in text_of(reply)


def test_an_hourly_employees_hours_have_the_same_deadline():
    # QA pass 44: the word "timanställd" took the question to Heromaservice's shifts for
    # hourly staff; it asks whether the hours make January's pay.
    reply = Conversation(today=date(2027, 1, 4)).say(
        "hinner timmarna för en timanställd komma med på januarilönen om jag skickar in dem på fredag?"
    )
    assert reply.entry == "loneunderlag-sista-dag" and "fredag 8 januari 2027" in text_of(reply)
    reply = Conversation(today=date(2027, 1, 4)).say(
        "hej! har en ny timanställd som jobbade i december, hinner jag få med timmarna på januarilönen om jag skickar in på fredag?"
    )  # longer, so less sure: the deadline first among two
    assert (reply.entry or reply.suggestions[0]) in ("loneunderlag-sista-dag", KB.entries["loneunderlag-sista-dag"].title)
    assert Conversation().say("vem bokar in arbetspass för timanställda").entry == "hs-timanstallda"


def test_a_deadline_that_has_passed_is_a_late_one():
    # QA pass 44: "det har redan passerat, vad händer om jag skickar nu?" after the
    # December deadline fell back; "passerat" is being late, which the entry answers.
    chat = Conversation(today=date(2026, 12, 14))
    chat.say("deadline underlag till decemberlönen")
    reply = chat.say("det har redan passerat, vad händer om jag skickar nu?")
    assert reply.entry == "loneunderlag-sista-dag" and "nästa månads lön" in text_of(reply)


@pytest.mark.parametrize(
    "guide, said",
    [
        ("behörighet", "I'm not the manager"),
        ("ändra behörighet", "not me, my manager does that"),
        ("behörighet", "jag är inte chef"),
    ],
)
def test_a_no_in_words_at_a_yes_no_step_is_no(guide, said):
    # QA pass 43: English (and plain) no-statements were asked again.
    chat = Conversation()
    chat.say(guide)
    chat.say("ja")
    reply = chat.say(said)
    assert flow(chat) is None and "Meddelande att skicka till chefen" in text_of(reply)


def test_a_negated_statement_about_something_else_is_no_answer():
    # "inte" is a word for Nej; inside "jag hittar inte blanketten" it is not the answer.
    chat = Conversation()
    chat.say("behörighet")
    chat.say("ja")
    reply = chat.say("jag hittar inte blanketten")
    assert flow(chat) == ("ny-behorighet", "chef") and reply.status == "clarify"


@pytest.mark.parametrize("said", ["har inte gjort den", "har inte gjort introduktionen", "nah", "hon är mitt i kursen"])
def test_more_ways_to_say_a_training_is_not_done(said):
    chat = Conversation()
    chat.say("ny rapportör")
    chat.say("ja")
    chat.say(said)
    assert chat.state["flow"]["answers"]["utb-intro"] == "inte-klar"


@pytest.mark.parametrize("said, started", [("yes go ahead", True), ("ja tack gärna", True), ("nä det behövs inte", False)])
def test_a_yes_or_no_with_a_few_words_answers_the_offer_of_a_guide(said, started):
    # QA pass 43: "yes go ahead" fell back; "nä det behövs inte" was read as a follow-up.
    chat = Conversation()
    chat.say("ansöka behörighet")
    reply = chat.say(said)
    assert (flow(chat) is not None) is started
    if not started:
        assert text_of(reply) == MESSAGES.text("offer_declined")


@pytest.mark.parametrize(
    "first, then",
    [
        ("hur får jag behörighet i heroma", "vilken roll får hen"),
        ("hur ansöker man behörighet i heroma", "och vilken roll?"),
        ("hur får min nya enhetschef behörighet i heroma", "vilken roll får hen"),
        ("hur söker jag heromabehörighet för min nya chef", "vilken roll blir det då"),
    ],
)
def test_which_role_after_applying_is_the_role_entry(first, then):
    # QA passes 42 and 43: the follow-up repeated the application entry or fell back.
    # "hen" is a pronoun like "hon" and "han" (a stopword), and two of these are variants.
    chat = Conversation()
    chat.say(first)
    assert chat.say(then).entry == "behorighetsroll-per-chefsuppdrag"


def test_what_it_costs_to_miss_the_5th_says_the_rate_is_not_given():
    # QA pass 44: "vad kostar det?" after missing the 5th repeated the deadline without
    # saying that the hourly rate isn't in the service description.
    chat = Conversation(today=date(2027, 1, 4))
    chat.say("förhandlingsresultat löneöversyn sista dag")
    chat.say("och om vi missar det?")
    reply = chat.say("vad kostar det?")
    assert reply.entry == "loneoversyn-forhandlingsresultat"
    assert "vad en timme kostar står inte i tjänstebeskrivningen" in text_of(reply)


def test_next_month_after_a_months_deadline_is_the_month_after_that_one():
    # QA pass 44: after February's deadline, "och nästa månad?" gave January (from today).
    chat = Conversation(today=date(2026, 12, 21))
    chat.say("när ska löneunderlaget vara inne?")
    chat.say("och i februari?")
    assert "måndag 8 mars 2027" in text_of(chat.say("och nästa månad?"))
    assert "torsdag 8 april 2027" in text_of(chat.say("och månaden efter?"))
    # Without a month talked about, next month is the one after today.
    chat = Conversation(today=date(2026, 12, 21))
    chat.say("när ska löneunderlaget vara inne?")
    assert "fredag 8 januari 2027" in text_of(chat.say("och nästa månad?"))


def test_an_entry_that_states_a_related_deadline_counts_it_when_asked_about_a_day():
    # QA pass 44: the retroactive pay entry says results are due by the 5th (the same
    # passage as the 5th-of-month entry) but gave no date for "igår … hinner … i januari?".
    reply = Conversation(today=date(2027, 1, 7)).say(
        "vi blev klara med löneförhandlingarna igår, hinner retrolönen komma med i januari?"
    )
    assert reply.entry == "retroaktiv-lon"
    assert "onsdag 6 januari 2027 är efter sista dagen för lönen i januari 2027 (tisdag 5 januari 2027)" in text_of(reply)
    # Not asked whether it is in time: no date counted.
    reply = Conversation(today=date(2027, 1, 7)).say("retroaktiv lön löneöversyn när betalas den ut")
    assert reply.entry == "retroaktiv-lon" and "sista dagen" not in text_of(reply)


@pytest.mark.parametrize(
    "said, entry",
    [
        ("den första", "pension-radgivning"),
        ("the first one", "pension-radgivning"),
        ("option 3", "pension-informationstraffar"),
        ("alternativ 2", "pension-hr-chefer"),
        ("2:an", "pension-hr-chefer"),
    ],
)
def test_an_option_picked_in_words_presses_it(said, entry):
    # QA pass 46: after "Menade du …?" only a bare number picked an option.
    chat = Conversation()
    assert chat.say("pension").status == "clarify"
    assert chat.say(said).entry == entry


def test_a_bare_andra_is_other_not_the_second():
    chat = Conversation()
    chat.say("pension")
    assert chat.say("andra").entry is None


def test_a_correction_changes_the_earlier_answer_not_the_current_step():
    # QA pass 45: "nej förlåt, hon heter Ida Eklund" at the training step was "Inte klar",
    # and the name stayed "Ida Ek"; "fel, det ska vara heromarapportör" only offered entries.
    chat = Conversation()
    for said in ("behörighet", "ja", "ja", "chef", "Ida Ek"):
        chat.say(said)
    reply = chat.say("nej förlåt, hon heter Ida Eklund")
    assert text_of(reply).startswith(ENGINE["corrected"])
    assert flow(chat) == ("ny-behorighet", "utb-intro") and chat.state["flow"]["answers"]["namn"] == "Ida Eklund"
    chat.say("klar")
    chat.say("fel, det ska vara heromarapportör")
    answers = chat.state["flow"]["answers"]
    assert answers["roll"] == "rapportor" and answers["namn"] == "Ida Eklund" and answers["utb-intro"] == "klar"
    assert flow(chat) == ("ny-behorighet", "utb-chef")  # the answers after it that still fit stay
    chat.say("förresten, hon ska vara chef inte rapportör")
    assert chat.state["flow"]["answers"]["roll"] == "chef"


def test_a_stray_word_after_fel_corrects_nothing():
    chat = Conversation()
    for said in ("behörighet", "ja", "ja", "chef", "Ida Ek"):
        chat.say(said)
    chat.say("fel kurs, hon gjorde en annan")
    assert chat.state["flow"]["answers"]["roll"] == "chef"


def test_a_description_with_istallet_is_no_change_of_guide():
    # QA pass 45: "ska bli heromarapportör istället för chef" at "Vad ska ändras?" left the
    # guide for changing a permission and started the reporter's own guide.
    chat = Conversation()
    for said in ("ändra behörighet", "ja", "ja", "Per Olsson"):
        chat.say(said)
    chat.say("ska bli heromarapportör istället för chef")
    assert flow(chat)[0] == "andra-behorighet"
    assert chat.state["flow"]["answers"]["andring"] == "ska bli heromarapportör istället för chef"


@pytest.mark.parametrize(
    "guide, said, step",
    [
        (("avsluta behörighet", "ja", "ja", "Per Holm"), "var hittar jag blanketten", "blankett"),
        (("avsluta behörighet", "ja", "ja", "Per Holm"), "måste mejlet vara krypterat", "blankett"),
        (("avsluta behörighet", "ja", "ja", "Per Holm"), "kan man inte skicka blanketten okrypterat", "blankett"),
        (("ny behörighet", "ja"), "måste det vara chefen", "chef"),
        (("ny behörighet", "ja"), "kan man inte söka själv", "chef"),
        (("ny rapportör", "ja", "klar", "klar"), "var anmäler man sig", "anmalan"),
        (("ny rapportör", "ja", "klar", "klar"), "ifylld men inte skickad", "anmalan"),
        (("avsluta behörighet",), "inte säker", "sas"),
    ],
)
def test_a_question_or_a_mixed_answer_at_a_yes_no_step_records_nothing(guide, said, step):
    # QA pass 47: questions without "?" ("var hittar jag blanketten", "måste det vara
    # chefen") were recorded as Ja or ✅ because they named the step's topic, negated ones
    # ("kan man inte …") as Nej; "inte säker" was Nej. A statement on the step's topic is
    # no longer taken as yes at all (QA pass 45's "har anmält mig igår" asks instead).
    chat = Conversation()
    for first in guide:
        chat.say(first)
    assert flow(chat)[1] == step
    chat.say(said)
    assert flow(chat) is not None and flow(chat)[1] == step and step not in chat.state["flow"]["answers"]


def test_yes_or_ok_followed_by_a_question_is_the_question():
    # QA pass 47: "ok men vem fyller i blanketten" at "Nästa" moved on and dropped the question.
    chat = Conversation()
    for first in ("chefskoppling", "ja"):
        chat.say(first)
    assert flow(chat) == ("chefskoppling", "varfor")
    reply = chat.say("ok men vem fyller i blanketten")
    assert flow(chat) == ("chefskoppling", "varfor") and reply.status in ("answer", "clarify")


@pytest.mark.parametrize(
    "said",
    ["hon har fel ansvar, ska vara Medicin Skene", "det ska vara Annan Stödfunktion", "var finns blanketten"],
)
def test_a_description_is_no_correction_and_a_question_no_description(said):
    # QA pass 47: "… ska vara Medicin Skene" at "Vad ska ändras?" overwrote the person's name
    # (and so the e-mail); "var finns blanketten" was saved as the change.
    chat = Conversation()
    for first in ("ändra behörighet", "ja", "ja", "Karin Ström"):
        chat.say(first)
    chat.say(said)
    answers = chat.state["flow"]["answers"]
    assert answers["namn"] == "Karin Ström"
    if said.startswith("var "):
        assert "andring" not in answers and flow(chat)[1] == "andring"


@pytest.mark.parametrize(
    "said, name",
    [
        ("hon heter Eva Lind och slutade i fredags", "Eva Lind"),
        ("Lena Ström (ny enhetschef)", "Lena Ström"),
        ("enhetschef Per Holm", "Per Holm"),
        ("ANDERSSON, MARIA", "Maria Andersson"),
    ],
)
def test_a_name_with_a_title_note_or_clause_around_it(said, name):
    # QA pass 45: the first two were rejected, the third kept its title in the e-mail,
    # and names typed in capitals stayed in capitals.
    chat = Conversation()
    for first in ("avsluta behörighet", "ja", "ja"):
        chat.say(first)
    chat.say(said)
    assert chat.state["flow"]["answers"]["namn"] == name


def test_a_brief_follow_up_whose_own_answer_is_from_another_document_leans_on_the_previous():
    # QA pass 46: "how do I sign up?" after the pension information meetings got signing up
    # in Lärportalen (the SÄS routine); the meetings' entry says how to sign up isn't given.
    chat = Conversation()
    chat.say("are there information meetings about pension?")
    reply = chat.say("how do i sign up?")
    assert reply.entry == "pension-informationstraffar"
    # Within one document a brief question keeps its own answer (recorded QA conversation).
    chat = Conversation()
    chat.say("how do I get access to Heroma as a new manager at SÄS?")
    assert chat.say("which courses do I need?").entry == "utbildningar-chef-rapportor"


@pytest.mark.parametrize(
    "question",
    [
        "manager connection heroma",
        "why are my employees requests going to the wrong manager",
        "requests go to the wrong manager",
    ],
)
def test_manager_connection_in_everyday_english(question):
    # QA pass 46: these fell back or offered only the entry on pay errors.
    assert Conversation().say(question).entry == "chefskoppling"


def test_asking_for_the_new_reporter_guide_in_english_starts_it():
    # QA pass 46: "new heroma reporter guide" showed the help instead of the guide.
    chat = Conversation()
    chat.say("new heroma reporter guide")
    assert flow(chat) == ("ny-rapportor", "sas")
    assert Conversation().say("I'm a new heroma reporter, how do I get started?").entry == "ny-heromarapportor"


def test_payroll_stuff_is_payroll_input():
    # QA pass 46: "send in the payrol stuff to get paid this month" got the pay-day entry,
    # whose English lead says the date isn't known, rather than the 8th.
    reply = Conversation().say("when do i need to send in the payrol stuff to get paid this month")
    assert (reply.entry or reply.suggestions[0]) in ("loneunderlag-sista-dag", KB.entries["loneunderlag-sista-dag"].title)


@pytest.mark.parametrize(
    "said", ["ansvar", "fel, Per Holmberg", "nej förlåt, Per Holmberg", "oj, Per Holmberg heter han",
             "kan man inte koppla flera ansvar"],
)
def test_a_reference_step_keeps_no_correction_question_or_echo_as_the_ansvar(said):
    # QA pass 47: each was saved as "Ansvar: …" and put in the e-mail subject.
    chat = Conversation()
    for first in ("chefskoppling", "ja", "ok", "Per Holm"):
        chat.say(first)
    assert flow(chat) == ("chefskoppling", "ansvar")
    chat.say(said)
    assert flow(chat) == ("chefskoppling", "ansvar") and "ansvar" not in chat.state["flow"]["answers"]
    chat.say("Kirurgen, ansvar 5120")
    assert chat.state["flow"]["answers"]["ansvar"] == "Kirurgen, ansvar 5120"


def test_an_opener_before_a_name_is_left_out():
    chat = Conversation()
    for first in ("behörighet", "ja", "ja", "chef"):
        chat.say(first)
    chat.say("ok, Anna Svensson")
    assert chat.state["flow"]["answers"]["namn"] == "Anna Svensson"


@pytest.mark.parametrize("said", ["fel, det ska vara 4411", "nej det är fel ansvar, 4411"])
def test_an_ansvar_can_be_corrected(said):
    # QA pass 47: a wrong ansvar could not be corrected; "nej det är fel ansvar, 4411" was
    # even recorded as Nej to the next question.
    chat = Conversation()
    for first in ("chefskoppling", "ja", "ok", "Per Holm", "4410"):
        chat.say(first)
    reply = chat.say(said)
    assert chat.state["flow"]["answers"]["ansvar"] == "4411" and text_of(reply).startswith(ENGINE["corrected"])
    assert flow(chat) == ("chefskoppling", "behorighet")


def test_a_role_corrected_by_its_label_changes_the_role_not_the_name():
    # QA pass 47: "fel, det ska vara annan stödfunktion" made the name "Annan Stödfunktion".
    chat = Conversation()
    for first in ("ny behörighet", "ja", "ja", "chef", "Anna Berg", "klar"):
        chat.say(first)
    chat.say("fel, det ska vara annan stödfunktion")
    answers = chat.state["flow"]["answers"]
    assert answers["roll"] == "annan" and answers["namn"] == "Anna Berg"


@pytest.mark.parametrize(
    "said, name",
    [
        ("vänta, hon heter Anna Bergström", "Anna Bergström"),
        ("fel namn, det ska vara Anna Svensson", "Anna Svensson"),
    ],
)
def test_more_ways_to_correct_a_name(said, name):
    # QA pass 48: these were asked about as questions and the e-mail kept the old name.
    chat = Conversation()
    for first in ("behörighet", "ja", "ja", "chef", "Anna Berg"):
        chat.say(first)
    chat.say(said)
    assert chat.state["flow"]["answers"]["namn"] == name


@pytest.mark.parametrize("said", ["egentligen ska hon vara rapportör", "jag menar rapportör"])
def test_more_ways_to_correct_a_role(said):
    chat = Conversation()
    for first in ("behörighet", "ja", "ja", "chef", "Anna Berg"):
        chat.say(first)
    chat.say(said)
    assert chat.state["flow"]["answers"]["roll"] == "rapportor"


def test_a_name_said_again_at_the_ansvar_step_corrects_the_name_not_the_ansvar():
    chat = Conversation()
    for first in ("chefskoppling", "ja", "ok", "Per Holm"):
        chat.say(first)
    chat.say("jag är chefen")
    assert "ansvar" not in chat.state["flow"]["answers"]
    chat.say("han heter Per Holmberg förresten")
    answers = chat.state["flow"]["answers"]
    assert answers["namn"] == "Per Holmberg" and "ansvar" not in answers


@pytest.mark.parametrize(
    "guide, said, step, answer",
    [
        (("behörighet", "ja", "ja", "rapportör", "Lisa Ek"), "ja men hon fick inte godkänt", "utb-intro", "inte-klar"),
        (("ny rapportör", "ja"), "ja han har gjort introt men inte chefsutbildningen", "utb-intro", "klar"),
    ],
)
def test_a_negation_about_the_questions_own_words_is_no(guide, said, step, answer):
    # QA pass 48: "ja men hon fick inte godkänt" was ✅ (the step says the trainings must be
    # "godkända"); a negation about something the question doesn't ask keeps the yes.
    chat = Conversation()
    for first in guide:
        chat.say(first)
    chat.say(said)
    assert chat.state["flow"]["answers"][step] == answer


def test_filled_in_but_not_signed_is_no_to_filled_in_and_signed():
    # QA pass 48: asked again since session 11's rule for "men"; QA pass 47 had it right.
    chat = Conversation()
    for first in ("behörighet", "ja", "ja", "chef", "Anna Berg", "klar", "klar", "ja", "ja"):
        chat.say(first)
    assert flow(chat) == ("ny-behorighet", "blankett")
    reply = chat.say("ifylld men inte underskriven")
    assert flow(chat) is None and "⬜ Att göra: Du fyller i och skriver under behörighetsblanketten" in text_of(reply)


@pytest.mark.parametrize(
    "said, change",
    [
        ("fel, det ska vara från chef till rapportör", "från chef till rapportör"),
        ("rätta: ändringen är från chef till rapportör", "från chef till rapportör"),
        ("den ska vara klar imorgon", "från rapportör till chef"),  # no correction word: nothing changes
    ],
)
def test_a_described_change_can_be_corrected(said, change):
    # QA passes 47 and 48: the e-mail kept the first description, the opposite of the correction.
    chat = Conversation()
    for first in ("ändra behörighet", "ja", "ja", "Karin Ström", "från rapportör till chef"):
        chat.say(first)
    chat.say(said)
    answers = (chat.state.get("flow") or {}).get("answers")
    assert answers is not None and answers["andring"] == change


@pytest.mark.parametrize("question", ["var hittar jag ansvarsnumret", "vilket ansvarsnummer har jag", "ansvarsnr?"])
def test_an_ansvar_number_is_no_telephone_number(question):
    # Session 12: "ansvarsnumret" split into ansvar + "numret", a telefon synonym, and got the phone support.
    reply = Conversation().say(question)
    assert reply.entry != "telefonsupport" and "telefonsupport" not in reply.suggestions


@pytest.mark.parametrize(
    "said, kept",
    [
        ("från rapportör till chef, men hur lång tid tar det", None),
        ("från rapportör till chef och vad kostar det", None),
        ("från rapportör till chef, hur lång tid tar det", None),
        ("från chef till rapportör, vilket hon ska ha från 1 januari", "från chef till rapportör, vilket hon ska ha från 1 januari"),
        ("från chef till rapportör när hon byter enhet", "från chef till rapportör när hon byter enhet"),
    ],
)
def test_a_question_added_to_a_description_is_not_kept(said, kept):
    # Session 11's known issue: "…, men hur lång tid tar det" was saved as the change.
    chat = after("ändra behörighet", "ja", "ja", "Karin Ström")
    chat.say(said)
    assert chat.state["flow"]["answers"].get("andring") == kept
    assert flow(chat)[1] == ("andring" if kept is None else "rutin")


@pytest.mark.parametrize(
    "said, step",
    [
        ("ja fel, nej", None),  # "Nej" to SÄS: the guide ends with the way for other administrations
        ("ja, nej förlåt, jag menar nej", None),
        ("nej vänta ja", "chef"),
        ("ja nej", "sas"),  # both and no correction: asked again
    ],
)
def test_a_yes_and_a_no_in_one_answer_take_the_one_corrected_to(said, step):
    # Session 11's known issue: "ja fel, nej" was recorded as Ja.
    chat = Conversation()
    chat.say("ny behörighet")
    chat.say(said)
    assert (flow(chat)[1] if chat.state.get("flow") else None) == step



@pytest.mark.parametrize(
    "question",
    ["lönen i oktober var för låg", "jag fick fel lön i november", "varför har jag fått två lönebesked i november"],
)
def test_a_month_that_has_been_gets_no_note_about_the_documents_end(question):
    # QA pass 50: "i november" was read as November 2027, past the service description's end.
    reply = Conversation(today=date(2026, 12, 7)).say(question)
    assert reply.status == "answer" and "slutar gälla" not in text_of(reply)




def test_what_tells_two_things_apart_is_no_topic_of_its_own():
    # QA pass 50: "skillnaden" only occurs in the Heromaservice entry, which it then got.
    reply = Conversation().say("vad är skillnaden mellan AKAP-KR och KAP-KL")
    assert reply.entry != "heromaservice-vad-ar" and "Vad Heromaservice är" not in reply.suggestions
    assert Conversation().say("Vad är skillnaden mellan Heromaservice och Löneservice vanliga tjänster?").entry == (
        "heromaservice-vad-ar"
    )



def test_whether_one_must_use_loneservice_is_at_least_offered():
    # QA pass 49: answered with what payroll administration includes; "lönehantering" is
    # that entry's word, so both are offered now.
    reply = Conversation().say("måste vår förvaltning använda löneservice eller kan vi ha egen lönehantering")
    assert reply.entry == "obligatoriska-tjanster" or "Är Löneservice tjänster obligatoriska?" in reply.suggestions


@pytest.mark.parametrize(
    "question",
    [
        "vad kostar en heromarapportör på distans per månad",  # QA pass 50: the remote-reporter entry
        "kostar heroma utbildningen i lärportalen något för enheten",  # how to sign up for it
        "vad kostar ett intyg",
        "vad blir min nya lön efter löneöversynen",  # the löneöversyn entry answers prices, not pay
    ],
)
def test_a_price_the_documents_do_not_give_is_said_to_be_missing(question):
    reply = Conversation().say(question)
    assert reply.status == "fallback" and text_of(reply).startswith(NO_AMOUNTS)




def test_a_misspelt_mistake_is_still_a_pay_error():
    reply = Conversation().say("payroll made a misstake in my salary what do i do")
    assert reply.entry == "fel-pa-lonen" or reply.suggestions[:1] == ["Om något är fel på lönen"]


@pytest.mark.parametrize(
    "question",
    ["what's the overtime compensation for nurses", "what's the overtime compensation", "How much is the mileage allowance?"],
)
def test_an_english_question_about_a_sum_says_the_sum_is_missing(question):
    reply = Conversation().say(question)
    assert reply.status == "fallback" and NO_AMOUNTS in text_of(reply)



def test_a_long_message_is_read_by_its_question_and_the_sentences_just_before_it():
    # QA pass 51: the greeting and who-I-am sentence drowned the question; the last two
    # sentences alone ask about the 8th-of-month deadline.
    reply = Conversation().say(
        "Hej! Jag jobbar som undersköterska på NÄL sedan i höstas. Jag jobbade extra i julas och chefen "
        "la in det först den 10 januari. Kommer det med på januarilönen?"
    )
    assert reply.entry == "loneunderlag-sista-dag"


@pytest.mark.parametrize(
    "message, wrong",
    [
        (
            "Hej! Jag är undersköterska i Skövde och lönen visar att jag fått för lite för mina nattpass i oktober. "
            "Chefen säger att det ser rätt ut i systemet. Vad gör jag nu?",
            "heroma-behorighet-kravs",  # what the last two sentences alone would get
        ),
        (
            "Hej, jag är nyanställd på SÄS som administratör och ska jobba i Heroma. Min chef vet inte vad hon "
            "ska göra för att jag ska få tillgång till systemet. Kan du hjälpa?",
            "om-assistenten",
        ),
    ],
)
def test_a_shorter_reading_answers_only_with_what_the_whole_message_was_about(message, wrong):
    reply = Conversation().say(message)
    assert reply.entry != wrong


def test_vab_is_not_in_the_documents():
    assert Conversation().say("vab hur anmäler jag det i heroma och får jag betalt").status == "fallback"




def test_information_meetings_are_the_pension_information_sessions():
    reply = Conversation().say("Finns det några informationsmöten om pension för anställda?")
    assert reply.entry == "pension-informationstraffar"


def test_who_pays_hourly_staff_offers_payroll_administration():
    # QA pass 54: only Heromaservice's shift booking, which is for customers who bought it.
    reply = Conversation().say("Vem betalar ut lönen till våra timvikarier?")
    assert reply.entry == "loneadministration-ingar" or "Vad som ingår i löneadministrationen" in reply.suggestions


def _new_permission_until_training(name: str = "Per Olsson") -> Conversation:
    chat = after("behörighet", "ja", "ja", "rapportör", name)
    assert flow(chat) == ("ny-behorighet", "utb-intro")
    return chat


def test_a_correction_that_says_what_the_answer_is_not_changes_nothing_and_says_how():
    # QA pass 53: "fel, det ska inte vara chef" set the role to Chef, the very value rejected.
    chat = _new_permission_until_training("Sara Lind")
    reply = chat.say("fel, det ska inte vara chef")
    assert chat.state["flow"]["answers"]["roll"] == "rapportor" and flow(chat)[1] == "utb-intro"
    assert text_of(reply).startswith(ENGINE["correction_unclear"])


@pytest.mark.parametrize("said", ["fel roll", "jag skrev fel namn"])
def test_saying_an_answer_was_wrong_without_the_right_one_says_how_to_change_it(said):
    # QA pass 53: the pay-error entry and the document's own metadata.
    chat = _new_permission_until_training()
    reply = chat.say(said)
    assert reply.entry is None and text_of(reply).startswith(ENGINE["correction_unclear"])
    assert flow(chat) == ("ny-behorighet", "utb-intro")


def test_not_being_the_manager_said_later_answers_the_manager_question_no():
    # QA pass 53: "fel, jag är inte hans chef" changed the role to Chef.
    chat = _new_permission_until_training()
    reply = chat.say("fel, jag är inte hans chef")
    assert chat.state.get("flow") is None  # the guide ends with the message for the manager
    assert "Meddelande att skicka till chefen" in text_of(reply)


@pytest.mark.parametrize(
    "first, said", [("ändra behörighet", "fel, jag är inte hennes chef"), ("avsluta behörighet", "nej vänta, jag är inte hans chef")]
)
def test_not_being_the_manager_is_no_description_and_no_unfilled_form(first, said):
    # QA pass 53: recorded as the change ("ska ändras: fel, jag är inte hennes chef") or read
    # as "the form is not filled in", with a checklist for someone who may not send it.
    chat = after(first, "ja", "ja", "Sara Lind")
    reply = chat.say(said)
    assert chat.state.get("flow") is None and "fel, jag är inte" not in text_of(reply)
    assert "ansvarig chef" in text_of(reply)


@pytest.mark.parametrize(
    "said", ["det var fel, han har inte gjort introduktionen", "nej förresten, introduktionen är inte klar"]
)
def test_a_training_corrected_to_not_done_is_that_training(said):
    # QA pass 53: ignored, or recorded for "För chefer" while Introduktion stayed done.
    chat = _new_permission_until_training()
    chat.say("klar")
    chat.say(said)
    answers = chat.state["flow"]["answers"]
    assert answers["utb-intro"] == "inte-klar" and "utb-chef" not in answers
    assert flow(chat) == ("ny-behorighet", "utb-chef")


def test_a_name_corrected_with_not_this_one_but_that_one():
    # QA pass 53: "fel, det är inte Karin som blir chef utan Maria Berg" got the pay-error entry.
    chat = after("chefskoppling", "ja", "nästa", "Karin Holm", "4711")
    chat.say("fel, det är inte Karin som blir chef utan Maria Berg")
    assert chat.state["flow"]["answers"]["namn"] == "Maria Berg"


def test_saying_one_has_not_done_the_current_training_answers_it_not_the_one_before():
    chat = after("ny heromarapportör", "ja", "klar")
    assert flow(chat) == ("ny-rapportor", "utb-chef")
    chat.say("nej jag har inte gjort den")
    answers = chat.state["flow"]["answers"]
    assert answers["utb-intro"] == "klar" and answers["utb-chef"] == "inte-klar"


@pytest.mark.parametrize("said, goes_on", [("nej", False), ("ja", True), ("ja fortsätt", True), ("fortsätt", True)])
def test_yes_or_no_after_the_offer_to_cancel_answers_the_offer_not_the_step(said, goes_on):
    # QA pass 53: "nej" to "Vill du fortsätta guiden eller avbryta den?" was recorded as
    # "not at SÄS"; "ja" as "works at SÄS"; "ja fortsätt" was not understood.
    chat = after("behörighet", "kanske", "vet ej", "hmm")
    assert ENGINE["cancel_offer"] in text_of(chat.last)
    chat.say(said)
    state = chat.state.get("flow")
    assert (state is not None) == goes_on
    if goes_on:
        assert state["step"] == "sas" and state["answers"] == {}



def test_a_manager_applying_for_a_new_reporter_is_led_to_applying_first():
    # QA pass 53: the new reporter's own guide, which then asked the manager "Har du gjort …?"
    reply = Conversation().say(
        "Hej, vi har en ny undersköterska Lisa Ek som ska bli heromarapportör på avd 5, hur gör jag för att hon "
        "ska få behörighet?"
    )
    assert reply.entry == "behorighet-ny-ansokan" or reply.suggestions[:1] == ["Ansöka om behörighet i Heroma (SÄS)"]


def test_a_bare_no_at_a_step_with_only_next_is_asked_again():
    # QA pass 53: "nä" at "Nästa" got the entry on contacting Löneservice.
    chat = after("chefskoppling", "ja")
    reply = chat.say("nä")
    assert reply.entry is None and text_of(reply).startswith(ENGINE["invalid_choice"])


def test_not_knowing_the_ansvar_is_asked_again_not_answered_with_phone_support():
    # QA pass 53: "vet ej vilket nummer det är" got the telephone-support entry.
    chat = after("chefskoppling", "ja", "nästa", "Karin Holm")
    step = flow(chat)
    reply = chat.say("vet ej vilket nummer det är")
    assert reply.entry is None and flow(chat) == step
    assert "kontaktperson för Heroma" in text_of(reply)  # who coordinates ansvar links (the SÄS routine)


def test_a_name_ending_in_an_initials_full_stop_gets_no_second_one():
    # QA pass 53: "Per O." became "Per O.." in the e-mail.
    chat = after("ändra behörighet", "ja", "ja", "Per O.", "från chef till rapportör")
    reply = chat.say("ja")
    assert "Per O.." not in text_of(reply) and "för Per O. Behörigheten" in text_of(reply)




def test_bruttoloneavdrag_alone_is_still_salary_exchange():
    assert Conversation().say("bruttolöneavdrag pension vem informerar").entry == "lonevaxling"



def test_phone_hours_the_documents_do_not_give_are_said_to_be_missing():
    reply = Conversation().say("vad är telefontiderna för pensionsadministrationen")
    assert reply.status == "fallback" and "telefonnumret eller den mejladressen står inte" in text_of(reply)


def test_working_elsewhere_and_not_at_sas_said_at_once_is_elsewhere():
    # QA pass 56: "jag jobbar på NÄL inte SÄS" named both, so neither counted: the SÄS
    # routine was offered, and the next question got the SÄS address.
    chat = Conversation()
    first = chat.say("jag jobbar på NÄL inte SÄS, hur söker jag heromabehörighet")
    assert first.entry == "behorighet-andra-forvaltningar" and chat.state.get("elsewhere") is True
    assert chat.say("vem ska jag skicka blanketten till då?").entry != "behorighetsblankett-skicka"


@pytest.mark.parametrize(
    "first, then, entry",
    [
        # QA pass 56: both got the SÄS permission form and its address
        ("omorg 1 april 2027 när ska underlaget va inne", "vart skickar jag det", "omorganisation-underlag"),
        ("jag vill beställa ett intyg", "skicka det till vem?", "intyg"),  # fell back
        ("hur ansöker jag om behörighet", "vart skickar jag den?", "behorighetsblankett-skicka"),  # its neighbour
        ("vem fyller i blanketten?", "vart skickar man den?", "behorighetsblankett-skicka"),  # was filling it in again
    ],
)
def test_where_to_send_it_after_an_answer_is_where_that_answer_says(first, then, entry):
    assert after(first).say(then).entry == entry


def test_a_short_follow_up_on_a_months_deadline_stays_with_that_month():
    # QA pass 56: "är det en fredag?" after January's deadline answered with December's.
    chat = Conversation(today=date(2026, 12, 7))
    chat.say("när är sista dag för lönunderlag i januari")
    reply = chat.say("är det en fredag?")
    assert "fredag 8 januari 2027" in text_of(reply) and "8 december" not in text_of(reply)




def test_a_training_said_not_done_while_the_next_one_is_asked_corrects_the_earlier_one():
    # QA pass 58: "introduktionen är inte klar" at "Har … gjort För chefer?" only asked
    # "Menade du …?", and the e-mail said both courses were done.
    chat = after("behörighet", "ja", "ja", "rapportör", "Lisa Berg", "klar")
    reply = chat.say("introduktionen är inte klar")
    assert chat.state["flow"]["answers"]["utb-intro"] == "inte-klar" and flow(chat)[1] == "utb-chef"
    assert text_of(reply).startswith(ENGINE["corrected"])


def test_what_the_role_is_not_and_what_it_is_instead_corrects_the_role():
    # QA pass 58: "hon ska inte vara chef utan rapportör" was ignored; the e-mail said Chef.
    chat = after("behörighet", "ja", "ja", "chef", "Eva Ek")
    chat.say("hon ska inte vara chef utan rapportör")
    assert chat.state["flow"]["answers"]["roll"] == "rapportor"


def test_the_e_mail_is_framed_as_for_when_the_form_is_filled_in():
    # QA pass 58: after "nej" to "Är blanketten ifylld och underskriven?" the e-mail's
    # "Här kommer en ifylld och underskriven blankett" read as if it were.
    reply = after("behörighet", "ja", "ja", "rapportör", "Lisa Berg", "klar", "klar", "ja", "ja").say("nej")
    assert "När blanketten är ifylld och underskriven bifogar du den" in text_of(reply)


@pytest.mark.parametrize("said", ["Maria", "Sara"])
def test_a_first_name_alone_at_the_name_step_asks_for_the_whole_name(said):
    # QA pass 58: "Maria" got the service description's owners (Marie Smedbro).
    chat = after("behörighet", "ja", "ja", "rapportör")
    reply = chat.say(said)
    assert reply.entry is None and flow(chat) == ("ny-behorighet", "namn")
    assert text_of(reply).startswith(ENGINE["invalid_name"])



def test_ending_instead_at_the_change_description_switches_to_the_ending_guide():
    # QA pass 58: "avsluta istället, hon har slutat" was saved as the change, and the e-mail
    # asked for a changed permission.
    chat = after("ändra behörighet i heroma", "ja", "ja", "Karin Lind")
    chat.say("avsluta istället, hon har slutat")
    assert flow(chat)[0] == "avsluta-behorighet"
    chat = after("ändra behörighet", "ja", "ja", "Karin Lind")
    chat.say("ska bli heromarapportör istället för chef")  # a described change stays one
    assert chat.state["flow"]["answers"]["andring"] == "ska bli heromarapportör istället för chef"


@pytest.mark.parametrize("said", ["ok klar nu", "nu är den klar", "klar"])
def test_a_done_word_is_no_yes_to_being_the_manager(said):
    # QA pass 59: "ok klar nu" at "Är du ansvarig chef …?" was recorded as Ja.
    chat = after("behörighet", "ja")
    chat.say(said)
    assert flow(chat) == ("ny-behorighet", "chef") and "chef" not in chat.state["flow"]["answers"]


def test_done_words_still_answer_questions_about_something_done_and_press_next():
    chat = after("ny rapportör", "ja", "klar", "klar", "gjort")  # "Har du anmält dig?" → Ja
    assert chat.state["flow"]["answers"]["anmalan"] == "ja"
    assert flow(after("chefskoppling", "ja", "klart"))[1] != "varfor"  # Nästa pressed


@pytest.mark.parametrize(
    "first, no, take_back",
    [
        ("avsluta behörighet", "jag är inte hennes chef", "jo det är jag"),  # QA pass 59: "Okej! Fråga gärna …"
        ("ändra behörighet", "jag är inte hennes chef", "ok jag är hennes chef"),  # a "Menade du" without it
        ("behörighet", "nej", "jag menade ja"),
    ],
)
def test_a_no_that_ended_the_guide_can_be_taken_back_next(first, no, take_back):
    chat = after(first, "ja") if no != "nej" else after(first)
    chat.say(no)
    assert chat.state.get("flow") is None
    reply = chat.say(take_back)
    assert chat.state.get("flow") is not None and text_of(reply).startswith(ENGINE["corrected"])


def test_thanks_after_a_guide_ended_on_no_is_no_taking_back():
    chat = after("ändra behörighet", "ja", "nej")
    chat.say("tack")
    assert chat.state.get("flow") is None


def test_a_neighbour_close_behind_the_answer_just_read_answers_the_follow_up():
    # QA pass 59: "vilka kurser" after how a new reporter gets started found "no sure
    # answer": the answer just read and its trainings neighbour were too close to tell.
    chat = after("jag ska bli heroma rapportör från januari")
    assert chat.say("vilka kurser").entry == "utbildningar-chef-rapportor"


def test_a_correction_opener_outside_a_guide_is_no_pay_error():
    # QA pass 59: "fel, det ska vara chef" after a question about a new colleague's access
    # got the pay-error entry.
    chat = after("jag behöver hjälp att söka behörighet i heroma åt en ny medarbetare", "hon ska bli heromarapportör")
    assert chat.say("fel, det ska vara chef").entry != "fel-pa-lonen"
    assert Conversation().say("fel, lönen är för låg").entry == "fel-pa-lonen"  # words after it still count


# Session 12: single questions QA passes 49–59 found answered wrongly, grouped as found.
ANSWERED_IN_SESSION_12 = [
    # more everyday words for payroll deadlines ending access and low pay
    ("när är stoppdatum för lönen", "loneunderlag-sista-dag"),  # QA pass 49: fell back
    ("lönestopp december", "loneunderlag-sista-dag"),
    ("sista inrapporteringsdag för lönen", "loneunderlag-sista-dag"),
    ("vilket datum är lönestoppet", "loneunderlag-sista-dag"),  # offered only the pay day
    ("avbeställa behörighet", "behorighet-avsluta"),
    ("radera behörighet heroma", "behorighet-avsluta"),
    ("AGI individnivå", "arbetsgivardeklaration"),
    ("lönen i oktober var för låg", "fel-pa-lonen"),  # "låg" folds to "lag" (law)
    # what heromaservice does for clocking in and leave is still answered
    ("jag har stämplat fel i kom och gå", "hs-felstamplingar"),
    ("kom och gå appen kraschar", "hs-support-medarbetare"),  # Heromaservice supports Kom&Gå
    ("kan heromaservice lägga in tjänstledighet", "hs-franvaro-arbetsforandringar"),
    # certificates mandatory services the portal and pay errors in more words
    ("intyg till försäkringskassan om min lön", "intyg"),  # QA pass 49: authorities' decisions
    ("fungerar serviceportalen på helgen", "serviceportal-arende"),  # QA pass 49: Heroma trouble
    ("hur lång tid tar det för löneservice att rätta en felaktig utbetalning", "fel-pa-lonen"),  # not 3 minutes
    # an entry that says how prices are set answers what it costs
    ("vad kostar heromaservice", "heromaservice-bestalla"),  # "the hourly rate is not given"
    ("Vad kostar en tilläggstjänst?", "tillaggstjanst-bestalla"),
    ("kostar det att beställa statistik", "bestalla-statistik"),
    ("What is Heromaservice and how much does it cost?", "heromaservice-bestalla"),
    ("vad är timpriset för heromaservice", "heromaservice-bestalla"),  # timpris, kostar, cost: one term
    # dialect days pay days post and the salary review in english
    ("nar e sista dan for loneunderlaget", "loneunderlag-sista-dag"),  # QA pass 52: "dan" is dagen
    ("When is salary paid out each month?", "lonedag"),  # not the 8th, which is the input deadline
    ("Can I send things to payroll by regular mail?", "post-till-loneservice"),  # not "regelbundet"
    ("What is the salary review?", "loneoversyn-forhandlingsresultat"),  # "what is the salary" + review
    ("what is the salary review deadline", "loneoversyn-forhandlingsresultat"),
    ("can I get a certificate of employment in English?", "intyg"),
    # pension incidents existing permissions and a predecessor still linked
    # QA pass 51: the list of systems, and a "Menade du" without the entry
    ("Pensionsbolaget har fått fel lön för våra anställda, vem hanterar incidenten?", "pension-pensionsadministratoren"),
    (
        "Hej, vi har en incident där pensionsgrundande lön blivit fel hos pensionsbolaget. Vem tar det med "
        "systemleverantören?",
        "pension-pensionsadministratoren",
    ),
    # the whole new application, though existing permissions stay as they are
    (
        "Jag har haft behörighet sedan 2022 som avdelningschef, måste jag ansöka om en ny nu när det ändrades i mars?",
        "befintliga-behorigheter",
    ),
    ("Ny verksamhetschef här: min företrädare står kvar som chef på ansvaren i Heroma. Hur byter vi?", "chefskoppling"),
    # a changed job and a new reporter
    # QA pass 53: the rule that existing permissions stay, though a change means revising it
    ("jag har bytt avdelning, behåller jag min heromabehörighet", "behorighet-andra"),
    ("Jag ska bli heromarapportör, hur gör jag?", "ny-heromarapportor"),
    ("jag är ny heromarapportör vad ska jag göra först", "ny-heromarapportor"),
    # an assistant is a colleague unless it is this one
    ("can I get Heroma access for my new assistant", "behorighet-ny-ansokan"),  # QA pass 53: the bot itself
    ("are you an assistant?", "om-assistenten"),
    ("what can this assistant answer", "om-assistenten"),
    # ending a substitutes access travel claims and a new manager in english
    ("vikarien har slutat, hur stänger jag hennes heroma-behörighet", "behorighet-avsluta"),  # applying
    ("säga upp heromabehörighet", "behorighet-avsluta"),  # ending a local agreement
    ("ska reseräkningen skickas med krypterad mejl", "reserakningar"),  # the permission form's address
    ("new manager is not getting the employees' requests in Heroma", "chefskoppling"),  # fell back
    # phone abbreviations the bailiff pension incidents and contact in english
    ("tfn löneservice", "telefonsupport"),  # QA pass 57: fell back
    ("kronofogden ska dra från min lön", "myndighetsbeslut"),
    ("hur hanterar löneservice pensionsincidenter med leverantören", "pension-pensionsadministratoren"),
    ("jag kan inte logga in i heroma", "heroma-fel-incident"),  # trouble is still Heroma trouble
    # where to start in english tells a new reporter from a new manager
    ("im a new heroma reporter, where do i start", "ny-heromarapportor"),  # QA pass 58: the new manager's
    ("I'm a new manager, where do I start with Heroma?", "ny-chef-heroma"),
]


@pytest.mark.parametrize("question, entry", ANSWERED_IN_SESSION_12)
def test_questions_session_12_found_answered_wrongly_get_their_entry(question, entry):
    assert Conversation().say(question).entry == entry


# Session 12: questions the documents do not answer that got an entry, grouped as found.
NOT_COVERED_IN_SESSION_12 = [
    # leave tax refunds apps and clocking in are not in the documents
    "hur fyller jag i semesteransökan",  # QA pass 50: the manager-connection entry
    "semester när man fyller 40",  # the permission form's step 3
    "hur lång semester får man när man fyllt 40",
    "min chef är på semester vem godkänner min ledighet",  # sick-leave approval
    "var finns blanketten för tjänstledighet",  # the permission form's address
    "hur begär jag tjänstledighet?",
    "kan jag få pengar tillbaka om jag betalat för mycket skatt",  # QA pass 49: salary owed back
    "heroma app ladda ner",  # where the permission form is
    "finns det någon app för heroma webb",
    "hur stämplar jag in i kom & gå",
    # heroma or payslips in english and pay in advance are not in the documents
    "is there an english version of heroma",
    "Can I get my payslip in English?",
    "lönebesked på engelska",
    "can I get my salary paid in advance",  # "salary paid" alone is the pay day
    "kan jag få lönen utbetald i förskott",
    # when pensions are paid and changing pension company are not in the documents
    "Hur ofta betalas pensionen ut?",  # QA pass 54: the quality controls' "monthly, quarterly, yearly"
    "När betalas pensionen ut varje månad?",  # the pay day
    "Kan jag byta pensionsbolag för min tjänstepension?",  # the pension administrator
    # leave requests loans other courses and bike benefits are not in the documents
    # QA pass 55 (failures re-run with paraphrases): each got an entry with concrete steps
    "semesteransökan hur gör man",  # the manager link
    "chefen är ledig, vem attesterar min semesteransökan",
    "kan jag låna mot nästa månads lön",  # the remote Heroma reporter
    "HLR-utbildning i lärportalen hur anmäler jag mig",  # "search for Heroma"
    "hur anmäler jag mig till brandutbildning i lärportalen",
    "vilken utbildning krävs för att bli undersköterska",  # the Heroma courses
    "hur funkar förmånscykel och bruttolöneavdrag",  # löneväxling
    "how do I reset my password",  # travel claims ("reset" ~ "resa")
    # overtime pay and holiday closing are not in the documents
    "övertid ersättning",  # QA pass 57: the 8th-of-month deadline
    "har ni stängt i jul",  # a not_covered phrase written with its subject never matched
]


@pytest.mark.parametrize("question", NOT_COVERED_IN_SESSION_12)
def test_questions_session_12_found_not_covered_fall_back(question):
    assert Conversation().say(question).status == "fallback"
