"""Teams turn handling: mentions, welcome, card submits, per-user state, rendering.

Most tests are conversations through the real HTTP endpoint with ``expectReplies``
(the replies come back in the response), the Assistant running on the repository's
content, wrapped in a spy that records what reached it.
"""

from __future__ import annotations

import asyncio
import copy
import sqlite3
from datetime import date

import pytest
from aiohttp.test_utils import TestClient, TestServer
from botbuilder.core import MemoryStorage
from botbuilder.schema import Activity
from channel_helpers import (
    ANNA,
    BERTIL,
    BOT_ID,
    BOT_NAME,
    CHANNEL,
    GROUP,
    PERSONAL,
    AssistantSpy,
    FakeConnector,
    card_submit,
    installation,
    local_settings,
    members_added,
    members_removed,
    mention,
    message,
    message_to_bot,
    real_assistant,
    say,
    shown,
)

from bot.cards import submit_actions
from bot.channel.render import reply_activities, summary_of
from bot.channel.server import STORAGE, create_app
from bot.channel.storage import SqliteStorage
from bot.channel.teams import KeyedLocks, state_key, user_text
from bot.clock import FixedClock
from bot.reply import Choice, Message, Reply
from bot.turn import TurnInput

TODAY = date(2026, 11, 23)


@pytest.fixture
def spy() -> AssistantSpy:
    return AssistantSpy(real_assistant())


@pytest.fixture
async def client(spy):
    app = create_app(local_settings(), assistant=spy, clock=FixedClock(TODAY))
    async with TestClient(TestServer(app)) as test_client:
        yield test_client



def direct(assistant, turns: list[tuple[str | None, dict | None]]) -> list[str]:
    """The same conversation straight through the Assistant, rendered like the channel."""
    state: dict = {}
    texts = assistant.card_texts()
    out = []
    for i, (text, value) in enumerate(turns):
        clock = FixedClock(TODAY)
        result = assistant.handle(TurnInput(text, value, clock.today(), clock.now(), f"direct-{i}"), state)
        state = result.state
        out.append(shown([a.serialize() for a in reply_activities(result.reply, texts)]))
    return out


# ------------------------------------------------------------------ mentions


async def test_group_chat_strips_only_the_bots_own_mention(client, spy):
    # Anna in a group chat: "@Löneservice-assistenten fråga @Bertil om Löneservice lönedag"
    body = message(
        f"<at>{BOT_NAME}</at> Kan <at>{BERTIL[1]}</at> se när Löneservice betalar ut lönen?",
        conversation=GROUP,
        entities=[mention(BOT_ID, BOT_NAME), mention(*BERTIL)],
    )
    replies = await say(client, body)
    assert spy.inputs[0].text == f"Kan {BERTIL[1]} se när Löneservice betalar ut lönen?"
    assert replies, "the bot answers in the group chat"


async def test_channel_message_strips_the_mention_and_replies_in_the_thread(client, spy):
    body = message_to_bot("När ska löneunderlaget vara inne?", conversation=CHANNEL)
    replies = await say(client, body)
    assert spy.inputs[0].text == "När ska löneunderlaget vara inne?"
    assert all(r["conversation"]["id"] == CHANNEL[0] and r["replyToId"] == body["id"] for r in replies)
    assert shown(replies) == direct(spy.inner, [("När ska löneunderlaget vara inne?", None)])[0]


async def test_personal_chat_text_reaches_the_assistant_unchanged(client, spy):
    await say(client, message("  Hur   ansöker jag om behörighet?\n"))
    assert spy.inputs[0].text == "Hur ansöker jag om behörighet?"


async def test_a_bare_mention_is_an_empty_message(client, spy):
    replies = await say(client, message_to_bot(""))
    assert spy.inputs[0].text is None and spy.inputs[0].value is None
    assert shown(replies) == direct(spy.inner, [(None, None)])[0]


def _activity(text: str, entities: list[dict], bot_name: str = BOT_NAME) -> Activity:
    return Activity().deserialize(
        {"type": "message", "text": text, "recipient": {"id": BOT_ID, "name": bot_name}, "entities": entities}
    )


def test_user_text_keeps_words_that_equal_the_bots_name():
    # botbuilder's remove_recipient_mention would delete "Löneservice-assistenten" everywhere.
    act = _activity(f"<at>{BOT_NAME}</at> vad är {BOT_NAME} bra på?", [mention(BOT_ID, BOT_NAME)])
    assert user_text(act) == f"vad är {BOT_NAME} bra på?"


def test_user_text_copes_with_regex_characters_in_the_bot_name():
    name = "Lön (test)+[bot]"
    act = _activity(f"<at>{name}</at> lönedag?", [mention(BOT_ID, name)], bot_name=name)
    assert user_text(act) == "lönedag?"


def test_user_text_decodes_teams_html_entities():
    act = _activity(f"<at>{BOT_NAME}</at>&nbsp;OB&amp;jour\u00a0i  december", [mention(BOT_ID, BOT_NAME)])
    assert user_text(act) == "OB&jour i december"


def test_user_text_drops_the_html_of_a_formatted_message():
    act = _activity("<p>hur får jag ett <b>intyg</b>?</p><div><br/></div>", [])
    assert user_text(act) == "hur får jag ett intyg ?"
    assert user_text(_activity("lön &lt;3 <3 och a < b", [])) == "lön <3 <3 och a < b"


def test_user_text_ignores_broken_mention_entities():
    entities = [{"type": "mention", "mentioned": "nope"}, {"type": "mention"}, {"type": "clientInfo"}]
    assert user_text(_activity("hej", entities)) == "hej"


# ------------------------------------------------------------------ welcome


class SlowStorage(MemoryStorage):
    """A storage with latency: the snapshot is taken, then the answer takes a while to come
    back. An unguarded second turn reads during that time and gets the same old state."""

    async def read(self, keys):
        snapshot = copy.deepcopy(await super().read(keys))
        await asyncio.sleep(0.02)
        return snapshot


async def test_welcome_when_the_bot_is_added_to_a_chat(client, spy):
    replies = await say(client, members_added((BOT_ID, BOT_NAME)))
    assert spy.welcomes == 1
    assert shown(replies) == shown(
        [a.serialize() for a in reply_activities(spy.inner.welcome(), spy.card_texts(), numbered=False)]
    )
    assert spy.messages.text("welcome_title") in shown(replies)


async def test_in_a_group_chat_or_channel_the_welcome_and_the_help_say_to_mention_the_bot(client, spy):
    # QA pass 31: Teams delivers only messages that @mention the bot there, typed numbers too.
    hint = spy.messages.text("shared_hint")
    assert hint in shown(await say(client, members_added((BOT_ID, BOT_NAME), conversation=GROUP)))
    assert hint in shown(await say(client, message_to_bot("hjälp", conversation=CHANNEL)))
    assert hint not in shown(await say(client, message("hjälp")))  # a personal chat needs no mention


async def test_no_welcome_and_no_member_lookup_when_someone_else_joins(spy):
    connector = FakeConnector()
    await connector.start()
    try:
        app = create_app(local_settings(), assistant=spy, clock=FixedClock(TODAY))
        async with TestClient(TestServer(app)) as test_client:
            body = members_added(BERTIL, conversation=GROUP, service_url=connector.service_url)
            response = await test_client.post("/api/messages", json=body)
            assert response.status in (200, 201)
    finally:
        await connector.close()
    assert spy.welcomes == 0
    assert connector.received == [] and connector.other == []


@pytest.mark.parametrize("first", ["installationUpdate", "conversationUpdate"])
async def test_install_pair_welcomes_once_in_either_order(client, spy, first):
    install = installation("add")
    added = members_added((BOT_ID, BOT_NAME))
    pair = [install, added] if first == "installationUpdate" else [added, install]
    replies = [await say(client, body) for body in pair]
    assert spy.welcomes == 1
    assert [len(r) > 0 for r in replies] == [True, False]


async def test_install_pair_arriving_at_once_welcomes_once(spy):
    app = create_app(local_settings(), assistant=spy, clock=FixedClock(TODAY), storage=SlowStorage())
    async with TestClient(TestServer(app)) as test_client:
        pair = [installation("add"), members_added((BOT_ID, BOT_NAME))]
        await asyncio.gather(*(say(test_client, body) for body in pair))
    assert spy.welcomes == 1


async def test_reinstall_after_removal_welcomes_again(client, spy):
    await say(client, installation("add"))
    await say(client, installation("remove"))
    await say(client, installation("add"))
    assert spy.welcomes == 2
    await say(client, members_removed((BOT_ID, BOT_NAME), conversation=GROUP))
    await say(client, members_added((BOT_ID, BOT_NAME), ANNA, conversation=GROUP))
    assert spy.welcomes == 3


async def test_app_upgrade_does_not_welcome(client, spy):
    await say(client, installation("add-upgrade"))
    assert spy.welcomes == 0


async def test_welcome_is_per_conversation(client, spy):
    await say(client, members_added((BOT_ID, BOT_NAME), conversation=PERSONAL))
    await say(client, members_added((BOT_ID, BOT_NAME), conversation=GROUP))
    assert spy.welcomes == 2


# ------------------------------------------------------------------ card submits


async def test_card_button_press_reaches_the_turn_logic_as_value(client, spy):
    # Anna asks "behörighet", gets a card, presses its first button.
    first = await say(client, message("behörighet"))
    buttons = [a for r in first for a in _submits(r)]
    assert buttons, "a guided flow starts with buttons"
    pressed = buttons[0]["data"]
    second = await say(client, card_submit(pressed))
    assert spy.inputs[1].value == pressed and spy.inputs[1].text is None
    assert [shown(first), shown(second)] == direct(spy.inner, [("behörighet", None), (None, pressed)])


def _submits(reply: dict) -> list[dict]:
    return [a for att in reply.get("attachments") or [] for a in submit_actions(att.get("content") or {})]


async def test_card_buttons_show_the_numbers_a_user_may_type(client, spy):
    # The cards say "skriv numret": the numbers must be on the buttons, counted over the
    # whole reply (the answer's follow-ups, then the offer of a guide).
    first = await say(client, message("Hur ansöker jag om behörighet i Heroma?"))
    titles = [a["title"] for r in first for a in _submits(r) if a["data"].get("action") != "feedback"]
    assert titles and all(t.startswith(f"{i}. ") for i, t in enumerate(titles, start=1)), titles
    pressed = await say(client, message("2"))
    assert titles[1].split(". ", 1)[1] in shown(pressed)


async def test_submit_value_that_is_not_an_object_is_not_passed_on(client, spy):
    await say(client, card_submit("plain string"))  # type: ignore[arg-type]
    assert spy.inputs[0].value is None


# ------------------------------------------------------------------ per-user state


async def test_state_is_kept_per_user_within_a_group_chat(client, spy):
    await say(client, message_to_bot("behörighet", user=ANNA))
    await say(client, message_to_bot("När ska löneunderlaget vara inne?", user=BERTIL))
    await say(client, message_to_bot("hjälp", user=ANNA))
    anna_first, bertil_first, anna_second = spy.states
    assert anna_first == {} and bertil_first == {}
    assert anna_second == spy.results[0].state
    stored = await client.app[STORAGE].read(
        [f"msteams/{GROUP[0]}/{ANNA[0]}", f"msteams/{GROUP[0]}/{BERTIL[0]}"]
    )
    assert stored[f"msteams/{GROUP[0]}/{ANNA[0]}"]["state"] == spy.results[2].state
    assert stored[f"msteams/{GROUP[0]}/{BERTIL[0]}"]["state"] == spy.results[1].state


async def test_same_user_in_another_conversation_starts_afresh(client, spy):
    await say(client, message("behörighet", conversation=PERSONAL))
    await say(client, message_to_bot("hjälp", conversation=GROUP))
    assert spy.states[1] == {}


async def test_a_retried_activity_is_answered_only_once(client, spy):
    # Teams' own retry (normal delivery, the replies already went to the connector): nothing again.
    fake = FakeConnector()
    await fake.start()
    try:
        body = message("När ska löneunderlaget vara inne?", service_url=fake.service_url)
        for _ in range(2):
            response = await client.post("/api/messages", json=body)
            assert response.status in (200, 201)
        assert len(fake.received) == 1
    finally:
        await fake.close()


async def test_a_retried_expect_replies_request_gets_the_same_replies_without_a_second_turn(client, spy):
    # With expectReplies the replies travel in the response: if it was lost, the retry
    # must bring them again – and the turn must still not act twice.
    body = message("behörighet")
    first = await say(client, body)
    retry = await say(client, body)
    assert first and shown(retry) == shown(first)
    assert len(spy.results) == 2 and spy.results[1].reply.status == "ignored"
    assert spy.results[1].state == spy.results[0].state  # the guide did not move on


async def test_turn_gets_today_and_now_from_the_injected_clock(client, spy):
    body = message("hej")
    await say(client, body)
    turn = spy.inputs[0]
    assert turn.today == TODAY and turn.now.date() == TODAY
    assert turn.activity_id == body["id"]


async def test_two_turns_of_one_user_at_once_do_not_lose_state(spy):
    app = create_app(local_settings(), assistant=spy, clock=FixedClock(TODAY), storage=SlowStorage())
    async with TestClient(TestServer(app)) as test_client:
        await asyncio.gather(say(test_client, message("behörighet")), say(test_client, message("hjälp")))
    assert len(spy.states) == 2
    assert spy.states[1] == spy.results[0].state  # the second turn saw the first one's result


async def test_a_failed_turn_keeps_the_previous_state(client, spy):
    await say(client, message("behörighet"))
    saved = spy.results[0].state
    spy.fail_with = RuntimeError("boom")
    await say(client, message("1"))
    spy.fail_with = None
    await say(client, message("hjälp"))
    assert spy.states[2] == saved


async def test_keyed_locks_are_dropped_when_free():
    locks = KeyedLocks()
    async with locks.hold("a"):
        assert len(locks) == 1
    assert len(locks) == 0


def test_state_key_is_channel_conversation_user():
    act = Activity().deserialize(message("hej", conversation=GROUP, user=BERTIL))
    assert state_key(act) == f"msteams/{GROUP[0]}/{BERTIL[0]}"


# ------------------------------------------------------------------ state storage


async def test_sqlite_storage_survives_a_restart(tmp_path):
    path = tmp_path / "var" / "state.sqlite3"
    first = SqliteStorage(path)
    await first.write({"k1": {"state": {"flow": {"step": "system", "answers": {"a": "å"}}}}})
    first.close()
    second = SqliteStorage(path)
    got = await second.read(["k1", "missing"])
    assert list(got) == ["k1"]
    assert got["k1"]["state"] == {"flow": {"step": "system", "answers": {"a": "å"}}}
    await second.delete(["k1"])
    assert await second.read(["k1"]) == {}


async def test_sqlite_storage_returns_copies_not_shared_dicts():
    storage = SqliteStorage(None)
    await storage.write({"k": {"state": {"n": 1}}})
    got = await storage.read(["k"])
    got["k"]["state"]["n"] = 99
    assert (await storage.read(["k"]))["k"]["state"]["n"] == 1


async def test_sqlite_storage_treats_a_damaged_row_as_missing(tmp_path):
    path = tmp_path / "state.sqlite3"
    storage = SqliteStorage(path)
    await storage.write({"ok": {"state": {}}})
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO items (key, value) VALUES ('bad', '{not json')")
    got = await storage.read(["ok", "bad"])
    assert list(got) == ["ok"] and got["ok"]["state"] == {}


async def test_sqlite_storage_refuses_what_is_not_a_json_object():
    storage = SqliteStorage(None)
    with pytest.raises(TypeError):
        await storage.write({"k": ["a", "list"]})
    with pytest.raises(TypeError):
        await storage.write({"k": {"when": date(2026, 11, 23)}})  # state must be JSON


# ------------------------------------------------------------------ rendering


def test_a_message_with_buttons_becomes_a_card_alone_with_a_summary():
    msg = Message(
        title="Sista dag för löneunderlag",
        text="Senast **den 8:e**.",
        choices=[Choice("Ja", {"action": "x"})],
    )
    (act,) = reply_activities(Reply([msg]), real_assistant().card_texts())
    assert act.text is None
    assert act.summary == "Sista dag för löneunderlag"
    (attachment,) = act.attachments
    assert attachment.content_type == "application/vnd.microsoft.card.adaptive"
    assert attachment.content["version"] == "1.5"


def test_a_plain_message_becomes_markdown_text():
    (act,) = reply_activities(
        Reply([Message(text="Det vet jag tyvärr inte.")]), real_assistant().card_texts()
    )
    assert act.text == "Det vet jag tyvärr inte." and act.text_format == "markdown"
    assert not act.attachments


def test_every_message_is_one_activity_in_order():
    reply = Reply([Message(text="först"), Message(title="sedan", text="två"), Message(text="sist")])
    acts = reply_activities(reply, real_assistant().card_texts())
    assert [a.text or a.summary for a in acts] == ["först", "sedan", "sist"]
    assert reply_activities(Reply([]), real_assistant().card_texts()) == []


def test_summary_is_one_plain_line():
    assert (
        summary_of(Message(text="**Obs!** Läs [rutinen](https://example.org)\nrad två")) == "Obs! Läs rutinen"
    )
    long = summary_of(Message(text="lön " * 100))
    assert len(long) == 120 and long.endswith("…")
    assert summary_of(Message(text="", choices=[Choice("Välj mig", {})])) == "Välj mig"
