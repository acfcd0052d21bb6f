"""Production hardening: state that survives a crash, many people at once, privacy.

- The state store honours botbuilder's Storage contract, e-tags included, and ``serve``
  keeps state in a SQLite file by default.
- A bot killed with SIGKILL in the middle of a guided flow continues at the same step
  after a restart (a real ``python -m bot serve`` process).
- 200 conversations walking a guided flow at the same time each get their own answers
  back; two turns of one user arriving at once are taken one after the other.
- Personnummer and e-mail addresses never reach the logs, the analytics file or the state
  file, and no user id is stored next to a question.

Guided-flow conversations are checked against an oracle: the same conversation straight
through ``Assistant.handle`` (one user, nothing else going on), rendered like the channel.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from channel_helpers import (
    ANNA,
    BERTIL,
    GROUP,
    PERSONAL,
    TENANT,
    FakeConnector,
    card_submit,
    expect_replies,
    local_settings,
    message,
    message_to_bot,
    next_id,
    real_assistant,
    say,
    shown,
)

from bot.analytics import clean_question
from bot.channel.render import reply_activities
from bot.channel.server import STORAGE, create_app
from bot.channel.storage import SqliteStorage
from bot.clock import FixedClock
from bot.settings import ROOT, Settings
from bot.turn import Assistant, TurnInput, build_assistant

TODAY = date(2026, 11, 23)
FLOW = "ny-behorighet"
FIRST_NAMES = ["Anna", "Bertil", "Cecilia", "David", "Elin", "Fredrik", "Greta", "Hassan", "Ida", "Jonas"]
LETTERS = "abcdefghijklmnopqrstuvwxyzåäö"


# ------------------------------------------------------------------ helpers



def submits(replies: list[dict]) -> list[dict]:
    """The data of every Action.Submit in the replies' cards (buttons and tappable rows)."""
    found: list[dict] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.Submit" and isinstance(node.get("data"), dict):
                found.append(node["data"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk([r.get("attachments") for r in replies])
    return found


def person(i: int) -> str:
    """A unique, valid 'för- och efternamn' for conversation i (letters only, as the flow asks)."""
    code, n = "", i
    while True:
        code, n = LETTERS[n % len(LETTERS)] + code, n // len(LETTERS)
        if n == 0:
            break
    return f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {code.capitalize()}berg"


@dataclass
class Step:
    """One user turn: typed text, or a press of the button whose data is ``value``."""

    text: str | None = None
    value: dict | None = None


def press(step: str, choice: str) -> Step:
    return Step(value={"action": "flow.answer", "flow": FLOW, "step": step, "choice": choice})


TYPED = {
    "rapportor": "Heromarapportör",
    "chef": "chef",
    "annan": "annan stödfunktion",
    "inte-klar": "inte klar",
}


def application_script(i: int) -> tuple[str, list[Step]]:
    """'Ny behörighet' for person(i): role, trainings and form vary with i; even i type, odd i press."""
    name, role = person(i), ("rapportor", "chef", "annan")[i % 3]
    typed = i % 2 == 0

    def answer(step: str, choice: str) -> Step:
        return Step(text=TYPED.get(choice, choice)) if typed else press(step, choice)

    steps = [Step(text="ny behörighet") if typed else Step(value={"action": "flow.start", "flow": FLOW})]
    steps += [answer("sas", "ja"), answer("chef", "ja"), answer("roll", role), Step(text=name)]
    if role != "annan":
        steps += [answer("utb-intro", "klar" if i % 4 < 3 else "inte-klar")]
        steps += [answer("utb-chef", "klar" if i % 5 < 4 else "inte-klar")]
    else:
        steps += [answer("utb-annan-klar", "klar" if i % 4 < 3 else "inte-klar")]
    steps += [answer("anmalan", "ja" if i % 7 < 4 else "nej"), answer("utbildning", "ja" if i % 6 else "nej")]
    steps += [answer("blankett", "ja" if i % 3 else "nej")]
    return name, steps


@dataclass
class Oracle:
    """The same conversation straight through the Assistant: what one user alone would see."""

    assistant: Assistant
    state: dict = field(default_factory=dict)

    def turn(self, step: Step) -> str:
        clock = FixedClock(TODAY)
        inp = TurnInput(step.text, step.value, clock.today(), clock.now(), next_id())
        result = self.assistant.handle(inp, self.state)
        self.state = result.state
        texts = self.assistant.card_texts()
        return shown([a.serialize() for a in reply_activities(result.reply, texts)])


def expected_transcript(steps: list[Step]) -> list[str]:
    oracle = Oracle(real_assistant())
    return [oracle.turn(step) for step in steps]


def until_flow_ends(steps: list[Step]) -> tuple[list[Step], list[str]]:
    """The steps the flow really asks for (a training not done ends it early), and the oracle's replies."""
    oracle, transcript = Oracle(real_assistant()), []
    for step in steps:
        transcript.append(oracle.turn(step))
        if "flow" not in oracle.state:
            return steps[: len(transcript)], transcript
    raise AssertionError(f"the flow did not end after {len(steps)} steps")


def body_for(step: Step, conversation: tuple[str, str], user: tuple[str, str]) -> dict:
    if step.value is not None:
        return card_submit(step.value, conversation=conversation, user=user)
    return message(step.text or "", conversation=conversation, user=user)


async def walk(
    client: TestClient, steps: list[Step], conversation: tuple[str, str], user: tuple[str, str]
) -> list[str]:
    """Walk the steps over HTTP; a press must be a button the previous reply really showed."""
    transcript, last = [], []
    for step in steps:
        if step.value is not None and step.value.get("action") == "flow.answer":
            assert step.value in submits(last), f"no button {step.value} in {submits(last)}"
        last = await say(client, body_for(step, conversation, user))
        transcript.append(shown(last))
    return transcript


async def read_state(storage: SqliteStorage, conversation: tuple[str, str], user: tuple[str, str]) -> dict:
    """The Assistant's state for one user, read the way the channel reads it."""
    key = f"msteams/{conversation[0]}/{user[0]}"
    return ((await storage.read([key])).get(key) or {}).get("state") or {}


def errors_in(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR]


# ------------------------------------------------------------------ the Storage contract


@pytest.fixture
def state_file(tmp_path: Path) -> Path:
    return tmp_path / "var" / "state.sqlite3"


@pytest.fixture
def storage(state_file: Path) -> Iterator[SqliteStorage]:
    store = SqliteStorage(state_file)
    yield store
    store.close()


def without_etag(item: dict) -> dict:
    return {k: v for k, v in item.items() if k != "e_tag"}


async def test_read_of_missing_keys_returns_nothing_for_them(storage):
    await storage.write({"a": {"state": {"n": 1}}})
    got = await storage.read(["missing", "a", "also-missing"])
    assert list(got) == ["a"]
    assert await storage.read([]) == {}


async def test_write_then_read_round_trips_json_and_gives_an_etag(storage):
    value = {
        "state": {
            "flow": {"answers": {"namn": "Åsa Öberg"}},
            "seen": ["1", "2"],
            "n": 1.5,
            "ok": True,
            "x": None,
        }
    }
    await storage.write({"k": value})
    got = (await storage.read(["k"]))["k"]
    assert without_etag(got) == value
    assert isinstance(got["e_tag"], str) and got["e_tag"] not in ("", "*")


async def test_odd_text_round_trips_exactly(storage):
    # RTL override, zero-width joiner, combining marks, emoji with ZWJ, a NUL, a lone surrogate.
    odd = "\u202eatad\u202c \u200d a\u0301\u0308 👩‍👩‍👧 🇸🇪 \x00 \ud800 \"'; DROP TABLE items;--"
    await storage.write({"k/ö/👍": {"state": {"text": odd}}})
    assert (await storage.read(["k/ö/👍"]))["k/ö/👍"]["state"]["text"] == odd


async def test_reads_are_copies_not_shared_dicts(storage):
    await storage.write({"k": {"state": {"n": 1}}})
    first = await storage.read(["k"])
    first["k"]["state"]["n"] = 99
    assert (await storage.read(["k"]))["k"]["state"]["n"] == 1


async def test_write_with_the_etag_just_read_succeeds_and_changes_the_etag(storage):
    await storage.write({"k": {"state": {"step": "sas"}}})
    item = (await storage.read(["k"]))["k"]
    await storage.write({"k": {"state": {"step": "chef"}, "e_tag": item["e_tag"]}})
    again = (await storage.read(["k"]))["k"]
    assert again["state"] == {"step": "chef"}
    assert again["e_tag"] != item["e_tag"]


async def test_write_with_a_stale_etag_fails_and_changes_nothing(storage):
    await storage.write({"k": {"state": {"step": "sas"}}})
    stale = (await storage.read(["k"]))["k"]["e_tag"]
    await storage.write({"k": {"state": {"step": "chef"}, "e_tag": stale}})
    current = (await storage.read(["k"]))["k"]
    with pytest.raises(KeyError):
        await storage.write({"k": {"state": {"step": "roll"}, "e_tag": stale}})
    assert await storage.read(["k"]) == {"k": current}


async def test_star_or_missing_etag_overwrites(storage):
    await storage.write({"k": {"state": {"n": 1}}})
    await storage.write({"k": {"state": {"n": 2}}})  # no e_tag
    assert (await storage.read(["k"]))["k"]["state"] == {"n": 2}
    await storage.write({"k": {"state": {"n": 3}, "e_tag": "*"}})
    assert (await storage.read(["k"]))["k"]["state"] == {"n": 3}


async def test_the_etag_is_not_stored_inside_the_value(storage):
    await storage.write({"k": {"state": {"n": 1}, "e_tag": "*"}})
    got = (await storage.read(["k"]))["k"]
    assert got["e_tag"] != "*"
    assert without_etag(got) == {"state": {"n": 1}}


async def test_write_with_an_etag_for_a_deleted_item_fails(storage):
    # Cosmos DB and Blob storage do the same: the item that was read no longer exists.
    await storage.write({"k": {"state": {"n": 1}}})
    e_tag = (await storage.read(["k"]))["k"]["e_tag"]
    await storage.delete(["k"])
    with pytest.raises(KeyError):
        await storage.write({"k": {"state": {"n": 2}, "e_tag": e_tag}})
    assert await storage.read(["k"]) == {}


async def test_a_conflict_on_one_key_writes_none_of_the_call(storage):
    await storage.write({"a": {"state": {"n": 1}}, "b": {"state": {"n": 1}}})
    stale = (await storage.read(["b"]))["b"]["e_tag"]
    await storage.write({"b": {"state": {"n": 2}}})
    with pytest.raises(KeyError):
        await storage.write({"a": {"state": {"n": 9}}, "b": {"state": {"n": 9}, "e_tag": stale}})
    got = await storage.read(["a", "b"])
    assert got["a"]["state"] == {"n": 1} and got["b"]["state"] == {"n": 2}


async def test_delete_removes_and_ignores_missing_keys(storage):
    await storage.write({"a": {"state": {}}, "b": {"state": {}}})
    await storage.delete(["a", "never-there"])
    assert list(await storage.read(["a", "b"])) == ["b"]


async def test_two_processes_on_one_file_cannot_lose_an_update(state_file):
    # Each process holds its own connection; both read the same version of Anna's state.
    one, two = SqliteStorage(state_file), SqliteStorage(state_file)
    try:
        await one.write({"anna": {"state": {"history": []}}})
        read_by_one = (await one.read(["anna"]))["anna"]
        read_by_two = (await two.read(["anna"]))["anna"]
        await one.write({"anna": {"state": {"history": ["sas"]}, "e_tag": read_by_one["e_tag"]}})
        with pytest.raises(KeyError):  # two's change was based on a version that is gone
            await two.write({"anna": {"state": {"history": ["chef"]}, "e_tag": read_by_two["e_tag"]}})
        assert (await two.read(["anna"]))["anna"]["state"] == {"history": ["sas"]}
    finally:
        one.close()
        two.close()


async def test_state_survives_closing_and_reopening_the_file(state_file):
    first = SqliteStorage(state_file)
    await first.write({"k": {"state": {"flow": {"step": "utb-intro", "answers": {"namn": "Åsa Öberg"}}}}})
    before = await first.read(["k"])
    first.close()
    second = SqliteStorage(state_file)
    try:
        assert await second.read(["k"]) == before  # same value, same e_tag
    finally:
        second.close()


async def test_a_damaged_row_reads_as_missing_instead_of_failing(storage, state_file):
    await storage.write({"ok": {"state": {}}})
    with sqlite3.connect(state_file) as db:
        db.execute("INSERT INTO items (key, value) VALUES ('bad', '{not json')")
    assert list(await storage.read(["ok", "bad"])) == ["ok"]
    await storage.write({"bad": {"state": {"n": 1}}})  # the user starts afresh
    assert (await storage.read(["bad"]))["bad"]["state"] == {"n": 1}


async def test_the_file_uses_write_ahead_logging(storage, state_file):
    await storage.write({"k": {"state": {}}})
    with sqlite3.connect(state_file) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_serve_keeps_state_in_a_file_by_default():
    assert Settings.from_env({}).state_path == ROOT / "var" / "state.sqlite3"
    assert Settings.from_env({"BOT_STATE_PATH": "/srv/bot/state.db"}).state_path == Path("/srv/bot/state.db")
    assert Settings.from_env({"BOT_STATE_PATH": "memory"}).state_path is None


async def test_the_app_stores_state_in_the_configured_file(state_file):
    settings = replace(local_settings(), state_path=state_file)
    app = create_app(settings, assistant=real_assistant(), clock=FixedClock(TODAY))
    async with TestClient(TestServer(app)) as client:
        assert isinstance(app[STORAGE], SqliteStorage) and app[STORAGE].path == state_file
        await say(client, message("ny behörighet"))
    with sqlite3.connect(state_file) as db:  # the app closed its storage; the file holds the turn
        keys = [k for (k,) in db.execute("SELECT key FROM items")]
    assert keys == [f"msteams/{PERSONAL[0]}/{ANNA[0]}"]


# ------------------------------------------------------------------ SIGKILL in the middle of a flow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    """``python -m bot serve`` as a real process on a loopback port."""

    def __init__(self, env: dict[str, str]):
        self.port = free_port()
        environ = {**os.environ, "BOT_TODAY": TODAY.isoformat(), **env}
        environ.pop("MicrosoftAppId", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=ROOT,
            env=environ,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as response:
                    assert json.load(response)["status"] == "ok"
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.process.kill()
                    raise AssertionError(f"server did not start: {self.process.communicate()[1]}") from None
                time.sleep(0.1)

    def say(self, body: dict) -> list[dict]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/api/messages",
            data=json.dumps(expect_replies(body)).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
            return json.load(response)["activities"]

    def kill(self) -> str:
        """SIGKILL: no cleanup handlers, no closing of the database. Returns stderr."""
        self.process.send_signal(signal.SIGKILL)
        return self.process.communicate(timeout=30)[1]

    def stop(self) -> str:
        self.process.send_signal(signal.SIGINT)
        return self.process.communicate(timeout=30)[1]


PNR_DASH, PNR_LONG, EMAIL = "850312-1234", "198503121234", "anna.andersson@vgr.se"
LEAKS = (PNR_DASH, PNR_LONG, "8503121234", EMAIL)


def test_sigkill_in_the_middle_of_a_guided_flow_loses_nothing(tmp_path):
    name = "Kalle Kraschsson"
    steps = [
        Step(text=t)
        for t in ("ny behörighet", "ja", "ja", "Heromarapportör", name, "klar", "klar", "ja", "ja", "ja")
    ]
    expected = expected_transcript(steps)
    env = {
        "BOT_STATE_PATH": str(tmp_path / "state.sqlite3"),
        "BOT_ANALYTICS_PATH": str(tmp_path / "analytics.sqlite3"),
    }
    bodies = [message(s.text or "") for s in steps]

    first = Served(env)
    try:
        # …up to the name: now at "Har Kalle Kraschsson gjort Heroma – Introduktion?"
        before = [shown(first.say(body)) for body in bodies[:5]]
        # Someone else asks something the bot can't answer, with a personnummer and an e-mail.
        bertil = ("a:personal-bertil", "personal")
        first.say(message(f"xyzzy {PNR_DASH} plugh {EMAIL}", user=BERTIL, conversation=bertil))
    finally:
        stderr_first = first.kill()
    assert first.process.returncode == -signal.SIGKILL

    second = Served(env)
    try:
        # The last activity is retried: acted on already, so its replies come again (they
        # travel in the response) and the guide does not move on.
        assert shown(second.say(bodies[4])) == before[4]
        after = [shown(second.say(body)) for body in bodies[5:]]
    finally:
        stderr_second = second.stop()

    assert before + after == expected
    # "Har Kalle Kraschsson gjort Heroma – För chefer?": the name typed before the kill
    assert name in after[0]
    assert f"behörighet för {name}" in after[-1]
    for text in (stderr_first, stderr_second):
        assert "Traceback" not in text
        assert not [leak for leak in LEAKS if leak in text]
    with sqlite3.connect(tmp_path / "analytics.sqlite3") as db:
        questions = [q for (q,) in db.execute("SELECT question FROM turns WHERE question IS NOT NULL")]
    assert questions == [clean_question(f"xyzzy {PNR_DASH} plugh {EMAIL}")]


# ------------------------------------------------------------------ many people at once


async def test_200_conversations_walk_a_flow_at_once_and_each_gets_its_own_answers(tmp_path):
    settings = replace(local_settings(), state_path=tmp_path / "state.sqlite3")
    app = create_app(settings, assistant=real_assistant(), clock=FixedClock(TODAY))
    scripts, expected = [], []
    for i in range(200):
        name, steps = application_script(i)
        steps, transcript = until_flow_ends(steps)
        scripts.append((name, steps))
        expected.append(transcript)
    people = [(f"29:user-{i}", name) for i, (name, _) in enumerate(scripts)]
    chats = [(f"a:personal-{i}", "personal") for i in range(200)]

    async with TestClient(TestServer(app)) as client:
        got = await asyncio.gather(
            *(walk(client, steps, chats[i], people[i]) for i, (_, steps) in enumerate(scripts))
        )
        states = [await read_state(app[STORAGE], chats[i], people[i]) for i in range(200)]

    names = [name for name, _ in scripts]
    for i, (name, steps) in enumerate(scripts):
        assert got[i] == expected[i], f"conversation {i} ({name}) differs from the same conversation alone"
        summary = got[i][-1]
        assert f"behörighet för {name}" in summary
        assert [other for other in names if other in summary] == [name]
        assert "flow" not in states[i]  # finished
        assert len(states[i]["seen"]) == len(steps) == len(set(states[i]["seen"]))
    every_seen = [activity_id for state in states for activity_id in state["seen"]]
    assert len(every_seen) == len(set(every_seen))  # no turn was stored with another user


class SlowSqliteStorage(SqliteStorage):
    """Reads take a while (a busy disk): an unguarded second turn would read the old state."""

    async def read(self, keys: list[str]) -> dict[str, Any]:
        result = await super().read(keys)
        await asyncio.sleep(0.02)
        return result


@pytest.fixture
async def slow_app(tmp_path):
    storage = SlowSqliteStorage(tmp_path / "state.sqlite3")
    app = create_app(local_settings(), assistant=real_assistant(), clock=FixedClock(TODAY), storage=storage)
    async with TestClient(TestServer(app)) as client:
        yield client, storage
    storage.close()


async def test_two_answers_of_one_user_at_once_each_advance_one_step(slow_app, caplog):
    client, storage = slow_app
    await say(client, message("ny behörighet"))  # → "Arbetar du på SÄS?"
    first, second = message("ja"), message("ja")
    replies = await asyncio.gather(say(client, first), say(client, second))

    # One turn answered "SÄS? ja", the other "ansvarig chef? ja"; neither was lost or doubled.
    steps = [Step(text=t) for t in ("ny behörighet", "ja", "ja")]
    assert sorted(shown(r) for r in replies) == sorted(expected_transcript(steps)[1:])
    flow = (await read_state(storage, PERSONAL, ANNA))["flow"]
    assert flow["history"] == ["sas", "chef"] and flow["step"] == "roll"
    assert flow["answers"] == {"sas": "ja", "chef": "ja"}
    assert {first["id"], second["id"]} <= set((await read_state(storage, PERSONAL, ANNA))["seen"])
    assert errors_in(caplog) == []


async def test_a_double_click_on_one_button_answers_the_step_once(slow_app, caplog):
    client, storage = slow_app
    await say(client, message("ny behörighet"))
    button = press("sas", "ja").value
    replies = await asyncio.gather(say(client, card_submit(button)), say(client, card_submit(button)))

    oracle = Oracle(real_assistant())
    oracle.turn(Step(text="ny behörighet"))
    # The first press answers; the second finds the question no longer active.
    expected = [oracle.turn(Step(value=button)), oracle.turn(Step(value=button))]
    assert sorted(shown(r) for r in replies) == sorted(expected)
    flow = (await read_state(storage, PERSONAL, ANNA))["flow"]
    assert flow["history"] == ["sas"] and flow["step"] == "chef"
    assert errors_in(caplog) == []


async def test_a_teams_retry_arriving_together_with_the_original_acts_once(slow_app):
    client, storage = slow_app
    await say(client, message("ny behörighet"))
    body = message("ja")
    replies = await asyncio.gather(say(client, body), say(client, dict(body)))
    # Both responses carry the same replies (expectReplies: a response may be the one lost),
    # but the answer was acted on once.
    assert replies[0] and shown(replies[0]) == shown(replies[1])
    assert (await read_state(storage, PERSONAL, ANNA))["flow"]["history"] == ["sas"]


async def test_ten_questions_of_one_user_at_once_are_all_answered_and_all_remembered(slow_app, caplog):
    client, storage = slow_app
    bodies = [message(q) for q in ["När ska löneunderlaget vara inne?"] * 5 + ["När kommer lönen?"] * 5]
    replies = await asyncio.gather(*(say(client, body) for body in bodies))
    assert all(replies)
    seen = (await read_state(storage, PERSONAL, ANNA))["seen"]
    assert sorted(seen) == sorted(body["id"] for body in bodies)  # no read-modify-write was lost
    assert errors_in(caplog) == []


# ------------------------------------------------------------------ privacy


UNANSWERABLE = [
    f"Hej, mitt personnummer är {PNR_DASH} och min mejl är {EMAIL} – xyzzy plugh?",
    f"{PNR_LONG} {EMAIL.upper()} qwerty",
    "Kan ni mejla Anna.Andersson+lon@vgr.se om 19850312-1234 zork",
]
SECRETS = (PNR_DASH, PNR_LONG, "8503121234", "19850312-1234", EMAIL, "anna.andersson+lon@vgr.se")
WHO = (
    ANNA[0],
    ANNA[1],
    BERTIL[0],
    BERTIL[1],
    PERSONAL[0],
    GROUP[0],
    TENANT,
    f"aad-{ANNA[0]}",
    "user-anna",
    "user-bertil",
)


def file_bytes(path: Path) -> str:
    """Everything on disk for a SQLite database (main file, WAL, shared memory), lower-cased."""
    return "".join(
        p.read_bytes().decode("utf-8", "replace").lower() for p in sorted(path.parent.glob(path.name + "*"))
    )


async def test_personnummer_and_email_never_reach_logs_analytics_or_state(tmp_path, caplog):
    for name in ("", "aiohttp", "aiohttp.access", "aiohttp.server", "botbuilder", "msrest", "urllib3", "bot"):
        caplog.set_level(logging.DEBUG, logger=name)
    analytics_file, state_file = tmp_path / "analytics.sqlite3", tmp_path / "state.sqlite3"
    settings = replace(local_settings(), analytics_path=analytics_file, state_path=state_file)
    assistant = build_assistant(settings, today=TODAY)
    connector = FakeConnector()
    await connector.start()
    try:
        app = create_app(settings, assistant=assistant, clock=FixedClock(TODAY))
        async with TestClient(TestServer(app)) as client:
            for question in UNANSWERABLE:
                await say(client, message(question))  # Anna, personal chat, expectReplies
                # Bertil asks the same in a group chat; the replies go through the connector.
                body = message_to_bot(question, user=BERTIL, service_url=connector.service_url)
                response = await client.post("/api/messages", json=body)
                assert response.status in (200, 201)
            await say(client, message("ny behörighet"))  # Anna's state now holds a flow
    finally:
        await connector.close()
        assistant.recorder.close()
    assert len(connector.received) >= len(UNANSWERABLE)

    with sqlite3.connect(analytics_file) as db:
        stored = [q for (q,) in db.execute("SELECT question FROM turns WHERE question IS NOT NULL")]
        columns = {row[1] for row in db.execute("PRAGMA table_info(turns)")}
    # Every unanswered question is kept for the editors, redacted.
    assert sorted(stored) == sorted(clean_question(q) for q in UNANSWERABLE for _ in (ANNA, BERTIL))
    assert all("[personnummer]" in q and "[e-post]" in q for q in stored)
    assert columns == {"id", "day", "status", "entry", "question"}

    on_disk = file_bytes(analytics_file)
    assert [s for s in SECRETS if s.lower() in on_disk] == []
    assert [w for w in WHO if w.lower() in on_disk] == []  # nobody's id or name next to the questions

    state_disk = file_bytes(state_file)
    assert [s for s in SECRETS if s.lower() in state_disk] == []
    assert "xyzzy" not in state_disk and "qwerty" not in state_disk and "zork" not in state_disk
    assert ANNA[0].lower() in state_disk  # the key: per-user state needs it

    logged = "\n".join(
        r.getMessage() + (logging.Formatter().formatException(r.exc_info) if r.exc_info else "")
        for r in caplog.records
    ).lower()
    assert caplog.records, "logging was captured"
    assert [s for s in SECRETS if s.lower() in logged] == []
