"""Fuzzing POST /api/messages with 1,200 generated malformed and odd requests.

What comes in: raw bodies that are not JSON or not an activity, activities with fields
missing or of the wrong JSON type, text full of Unicode tricks (RTL override, zero-width
characters, combining marks, emoji sequences, escaped surrogates), control characters,
huge text, unknown activity types and invokes, nested garbage, and card ``value``
payloads, many of them valid-looking actions with wrong types. Forty fuzz users keep their
state from case to case, so later cases hit users who are in the middle of a flow.

What must hold: never a 5xx, never a stack trace in a response, nothing logged as an
error (a failing turn is a crash even when the user gets an apology), the knowledge base
and dialogs unchanged on disk, another user's stored state unchanged byte for byte; and
afterwards the bot still answers and that user's flow goes on at the same step.

The generator is seeded: ``generate(SEED)`` gives the same cases every run, and a failure
names its case number.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from channel_helpers import (
    ANNA,
    BOT_ID,
    BOT_NAME,
    PERSONAL,
    local_settings,
    message,
    say,
    shown,
)

from bot.channel.server import create_app
from bot.clock import FixedClock
from bot.settings import ROOT
from bot.turn import Assistant, build_assistant

SEED = 20261123
CASES = 1200
TODAY = date(2026, 11, 23)
FUZZ_USERS = 40
STACK_TRACE_SIGNS = ("Traceback", 'File "', '.py"', "Exception", "Error(", "site-packages")

# Pieces of text users (and attackers) send.
PIECES = [
    "lön", "När ska löneunderlaget vara inne?", "behörighet", "ny behörighet", "ja", "nej", "klar", "1", "3", "99",
    "avbryt", "tillbaka", "börja om", "hjälp", "fortsätt", "Anna Svensson",
    "\u202e", "\u202d", "\u2066", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad",  # bidi, zero-width
    "a\u0301\u0308\u0323", "\u0301" * 40, "Z\u0351\u0352\u0357\u0358\u035b" * 5,  # combining marks
    "👩‍👩‍👧‍👦", "🇸🇪", "👍🏽", "🧑🏿‍💻", "\U0001f600", "\U0010ffff", "\ue000", "\ufffd", "\ufffe",  # emoji, planes
    "\x00", "\x07", "\x08", "\x1b[31m", "\r\n", "\r", "\t", "\x7f", "\x85", "\u2028", "\u2029",  # control
    "ＬÖＮ", "lӧn", "𝕷ö𝖓", "ß", "İ", "ǅ", "ﬀ",  # lookalikes and case-folding traps
    "<at>Löneservice-assistenten</at>", "<at>", "</at>", "<at id='0'>x</at>", "&nbsp;", "&#0;", "&amp;lt;",
    "<script>alert(1)</script>", "**", "__", "[x](javascript:alert(1))", "```", "> ", "# ",
    "{contact:serviceportal}", "{answer:namn}", "{deadline:loneunderlag-sista-dag}", "{text:sas_question}",
    "{", "}", "{{}}", "%s%n%x", "{0}", "$(reboot)", "'; DROP TABLE items;--", "../../etc/passwd", "\\",
    "850312-1234", "anna@vgr.se", "https://evil.example/", " " * 50, "\n" * 30,
]  # fmt: skip
ACTIVITY_TYPES = [
    "message", "conversationUpdate", "installationUpdate", "messageReaction", "typing", "event", "invoke",
    "endOfConversation", "messageUpdate", "messageDelete", "handoff", "trace", "suggestion", "command",
    "commandResult", "deleteUserData", "contactRelationUpdate", "Message", "MESSAGE", "okänd", "x" * 300,
]  # fmt: skip
INVOKE_NAMES = [  # and event names
    "adaptiveCard/action", "task/fetch", "task/submit", "composeExtension/query", "composeExtension/submitAction",
    "signin/verifyState", "signin/tokenExchange", "config/fetch", "fileConsent/invoke",
    "actionableMessage/executeAction", "healthCheck", "", "okänd/åtgärd", "application/vnd.microsoft.meetingStart",
    "application/vnd.microsoft.meetingEnd", "application/vnd.microsoft.meetingParticipantJoin",
    "application/vnd.microsoft.readReceipt", "tokens/response",
]  # fmt: skip
FIELDS = [
    "type", "id", "timestamp", "localTimestamp", "localTimezone", "serviceUrl", "channelId", "from",
    "conversation", "recipient", "text", "textFormat", "locale", "entities", "channelData", "value", "attachments",
    "attachmentLayout", "deliveryMode", "replyToId", "membersAdded", "membersRemoved", "reactionsAdded", "action",
    "name", "label", "valueType", "summary", "speak", "inputHint", "suggestedActions", "importance", "expiration",
    "callerId", "relatesTo", "semanticAction", "topicName", "historyDisclosed", "listenFor", "textHighlights",
    "unknownField", "__proto__", "",
]  # fmt: skip
SUBFIELDS = [
    ("from", "id"), ("from", "name"), ("from", "aadObjectId"), ("from", "role"), ("conversation", "id"),
    ("conversation", "conversationType"), ("conversation", "isGroup"), ("conversation", "tenantId"),
    ("recipient", "id"), ("recipient", "name"), ("channelData", "tenant"), ("channelData", "eventType"),
]  # fmt: skip
ODD_IDS = [
    "29:user-anna ", "29:USER-ANNA", "29:user-anna\u200b", "29:user-anna/x", "#welcomed", "a:personal-anna",
    "msteams/a:personal-anna/29:user-anna", "", " ", "null", "*", "%", "_", "x" * 5000, "\u202e29:user-anna",
]  # fmt: skip
COMMANDS = ["avbryt", "tillbaka", "börja om", "hjälp", "fortsätt", "AVBRYT", "x" * 49, "x" * 51, "", "ja"]
ACTIONS = [
    "ask",
    "flow.start",
    "flow.answer",
    "flow.continue",
    "command",
    "feedback",
    "offer",
    "ASK",
    "",
    "x" * 1000,
]
CHOICES = ["ja", "nej", "klar", "inte-klar", "chef", "rapportor", "annan", "vet-inte", "yes", "JA", ""]


@dataclass
class Case:
    number: int
    kind: str
    body: bytes
    content_type: str | None = "application/json"


class Fuzzer:
    """Builds cases from one seeded random generator; ids come from the real content."""

    def __init__(self, seed: int, assistant: Assistant, service_url: str):
        self.rng = random.Random(seed)
        self.service_url = service_url
        self.entries = sorted(assistant.kb.entries)
        self.flows = {fid: sorted(flow.steps) for fid, flow in assistant.flows.flows.items()}

    # -------------------------------------------------------------- values

    def text(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.05:
            return rng.choice(PIECES) * rng.randint(500, 40_000)  # huge: too long, or over the body limit
        if roll < 0.10:
            return "".join(chr(rng.randint(1, 0x10FFFF)) for _ in range(rng.randint(1, 60)))
        if roll < 0.13:
            return rng.choice(PIECES) + rng.choice(["\ud800", "\udfff", "\udc00x"])  # lone surrogates
        return "".join(rng.choices(PIECES, k=rng.randint(0, 8)))

    def garbage(self, depth: int = 0) -> Any:
        rng = self.rng
        kinds: list[Callable[[], Any]] = [
            lambda: None, lambda: True, lambda: False, lambda: 0, lambda: -1, lambda: 2**63, lambda: 1.5,
            lambda: -0.0, lambda: 1e308, lambda: "", lambda: self.text(), lambda: rng.choice(ODD_IDS),
            lambda: [], lambda: {},
        ]  # fmt: skip
        if depth < 4:
            kinds += [
                lambda: [self.garbage(depth + 1) for _ in range(rng.randint(1, 4))],
                lambda: {self.key(): self.garbage(depth + 1) for _ in range(rng.randint(1, 4))},
            ]
        return rng.choice(kinds)()

    def key(self) -> str:
        return self.rng.choice(
            [*FIELDS, "action", "entry", "flow", "step", "choice", "command", "vote", "id", "x"]
        )

    def card_value(self) -> Any:
        """A card payload: mostly valid-looking actions, with ids right or wrong and types often wrong."""
        rng = self.rng
        if rng.random() < 0.1:
            return self.garbage()
        flow = rng.choice([*self.flows, "okänd-guide"])
        value: dict[str, Any] = {"action": rng.choice(ACTIONS) if rng.random() < 0.85 else self.garbage()}
        fields = {
            "entry": lambda: rng.choice([*rng.sample(self.entries, 3), "finns-inte", "../kb"]),
            "flow": lambda: flow,
            "step": lambda: rng.choice(self.flows.get(flow, ["sas"]) + ["finns-inte"]),
            "choice": lambda: rng.choice(CHOICES),
            "command": lambda: rng.choice(COMMANDS),
            "vote": lambda: rng.choice(["up", "down", "sideways", "UP"]),
        }
        for name, good in fields.items():
            if rng.random() < 0.6:
                value[name] = good() if rng.random() < 0.7 else self.garbage(2)
        for _ in range(rng.randint(0, 2)):
            value[self.key()] = self.garbage(2)
        return value

    # -------------------------------------------------------------- activities

    def base(self, n: int, type_: str = "message") -> dict[str, Any]:
        who = n % FUZZ_USERS
        personal = who % 4 != 0  # every fourth fuzz user writes in a group chat
        conversation = (
            (f"a:personal-fuzz-{who}", "personal") if personal else (f"19:fuzz-{who}@thread.v2", "groupChat")
        )
        return {
            "type": type_,
            "id": f"fuzz-{n}",
            "timestamp": "2026-11-23T08:15:00.000Z",
            "serviceUrl": self.service_url,
            "channelId": "msteams",
            "from": {"id": f"29:fuzz-{who}", "name": "Fuzz"},
            "conversation": {
                "id": conversation[0],
                "conversationType": conversation[1],
                "tenantId": "tenant-vgr",
            },
            "recipient": {"id": BOT_ID, "name": BOT_NAME},
            "locale": "sv-SE",
            "channelData": {"tenant": {"id": "tenant-vgr"}},
        }

    def delivered(self, body: dict[str, Any]) -> dict[str, Any]:
        """Mostly expectReplies (replies in the response); else replies go to the fake connector."""
        roll = self.rng.random()
        if roll < 0.8:
            body["deliveryMode"] = "expectReplies"
        elif roll < 0.85:
            body["deliveryMode"] = self.garbage(3)
        return body

    def text_message(self, n: int) -> dict[str, Any]:
        body = self.base(n)
        body["text"] = self.text()
        if self.rng.random() < 0.3:
            body["entities"] = [
                {
                    "type": "mention",
                    "text": f"<at>{BOT_NAME}</at>",
                    "mentioned": {"id": BOT_ID, "name": BOT_NAME},
                }
            ]
            body["text"] = f"<at>{BOT_NAME}</at> {body['text']}"
        if self.rng.random() < 0.2:
            body["textFormat"] = self.rng.choice(["plain", "markdown", "xml", "okänt"])
        return body

    def card_submit(self, n: int) -> dict[str, Any]:
        body = self.base(n)
        body["value"] = self.card_value()
        if self.rng.random() < 0.2:
            body["text"] = self.text()
        return body

    def wrong_fields(self, n: int) -> dict[str, Any]:
        body = self.rng.choice([self.text_message, self.card_submit])(n)
        for _ in range(self.rng.randint(1, 4)):
            if self.rng.random() < 0.5:
                name = self.rng.choice(FIELDS)
                if self.rng.random() < 0.3:
                    body.pop(name, None)
                else:
                    body[name] = self.garbage()
            else:
                outer, inner = self.rng.choice(SUBFIELDS)
                if isinstance(body.get(outer), dict):
                    body[outer][inner] = (
                        self.garbage() if self.rng.random() < 0.6 else self.rng.choice(ODD_IDS)
                    )
        if isinstance(body.get("serviceUrl"), str) and body["serviceUrl"].startswith("http"):
            body["serviceUrl"] = self.service_url  # replies stay on loopback
        return body

    def other_type(self, n: int) -> dict[str, Any]:
        rng = self.rng
        type_ = rng.choice(ACTIVITY_TYPES)
        body = self.base(n, type_)
        if type_ == "invoke" or rng.random() < 0.1:
            body["name"] = rng.choice(INVOKE_NAMES)
            body["value"] = rng.choice(
                [
                    self.card_value(),
                    self.garbage(),
                    {"action": {"type": "Action.Execute", "verb": self.garbage(3), "data": self.garbage(2)}},
                ]
            )
        members = [
            {"id": BOT_ID, "name": BOT_NAME},
            {"id": "29:fuzz-x"},
            self.garbage(3),
            {"id": self.garbage(3)},
        ]
        body["membersAdded"] = (
            rng.sample(members, rng.randint(0, 3)) if rng.random() < 0.5 else self.garbage(2)
        )
        body["membersRemoved"] = (
            rng.sample(members, rng.randint(0, 2)) if rng.random() < 0.5 else self.garbage(2)
        )
        body["action"] = rng.choice(["add", "remove", "add-upgrade", "remove-upgrade", "", self.garbage(3)])
        body["reactionsAdded"] = rng.choice(
            [[{"type": "like"}], [{"type": self.garbage(3)}], self.garbage(2)]
        )
        body["channelData"] = rng.choice([
            {"tenant": {"id": "tenant-vgr"}, "eventType": rng.choice(["teamMemberAdded", "channelCreated", "teamRenamed", "x"])},
            self.garbage(2),
        ])  # fmt: skip
        for field_name in rng.sample(
            ["membersAdded", "membersRemoved", "action", "reactionsAdded", "name"], 2
        ):
            body.pop(field_name, None)
        return body

    def anna_lookalike(self, n: int) -> dict[str, Any]:
        """Someone posing as Anna: her conversation, her id with a twist, or both with a twist."""
        body = self.text_message(n) if self.rng.random() < 0.5 else self.card_submit(n)
        body["conversation"]["id"] = self.rng.choice(
            [PERSONAL[0], PERSONAL[0] + " ", PERSONAL[0].upper(), "a:personal-anna/29:user-anna"]
        )
        body["from"]["id"] = self.rng.choice(ODD_IDS[:8])
        body["channelId"] = self.rng.choice(
            ["msteams", "msteams ", "MSTEAMS", "msteams/a:personal-anna", "emulator"]
        )
        return body

    # -------------------------------------------------------------- raw bodies

    def raw(self, n: int) -> Case:
        rng = self.rng
        valid = json.dumps(self.delivered(self.text_message(n))).encode()
        choices: list[tuple[bytes, str | None]] = [
            (b"", "application/json"), (b"null", "application/json"), (b"[]", "application/json"),
            (b"{}", "application/json"), (b'{"type":', "application/json"), (b"42", "application/json"),
            (valid[: 1 + int(rng.random() * (len(valid) - 2))], "application/json"),  # cut short
            (bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 300))), "application/json"),
            (valid.replace(b'"text": "', b'"text": "\xff\xfe\xc3(', 1), "application/json"),  # invalid UTF-8
            (b"\xef\xbb\xbf" + valid, "application/json"),  # BOM
            (json.dumps(json.loads(valid)).encode("utf-16"), "application/json"),
            (b"[" * 20_000 + b"]" * 20_000, "application/json"),  # deep nesting
            (valid[:-1] + b', "value": ' + b'{"a":' * 3000 + b"1" + b"}" * 3000 + b"}", "application/json"),
            (valid[:-1] + b', "value": ' + b"9" * 5000 + b"}", "application/json"),  # a number of 5000 digits
            (valid[:-1] + b', "value": NaN, "x": Infinity, "y": -Infinity}', "application/json"),
            (valid[:-1] + b', "type": "message", "type": 5}', "application/json"),  # duplicate key
            (valid[:-1] + b', "text": "\\ud83d\\ude00 \\ud800 \\udfff"}', "application/json"),  # escaped surrogates
            (valid + b" trailing", "application/json"),
            (b" " * 200_000 + valid, "application/json"),
            (b'{"text": "' + b"x" * 300_000 + b'"}', "application/json"),  # over the body limit
            (valid, rng.choice(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", None])),
            (valid, "application/json; charset=utf-16"),
            (valid, "APPLICATION/JSON"),
        ]  # fmt: skip
        body, content_type = rng.choice(choices)
        return Case(n, "raw", body, content_type)

    # -------------------------------------------------------------- cases

    def case(self, n: int) -> Case:
        makers: list[tuple[float, Callable[[int], dict[str, Any]]]] = [
            (0.25, self.text_message), (0.25, self.card_submit), (0.2, self.wrong_fields),
            (0.1, self.other_type), (0.05, self.anna_lookalike),
        ]  # fmt: skip
        roll = self.rng.random()
        for weight, make in makers:
            if roll < weight:
                body = self.delivered(make(n))
                return Case(n, make.__name__, encode(body, ascii_only=self.rng.random() < 0.5))
            roll -= weight
        return self.raw(n)


def encode(body: dict[str, Any], ascii_only: bool) -> bytes:
    """JSON as a client sends it; lone surrogates go out escaped, as JSON allows."""
    return json.dumps(body, ensure_ascii=ascii_only or _has_lone_surrogate(body)).encode("utf-8")


def _has_lone_surrogate(node: Any) -> bool:
    if isinstance(node, str):
        return any(0xD800 <= ord(ch) <= 0xDFFF for ch in node)
    if isinstance(node, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in node.items())
    if isinstance(node, list):
        return any(_has_lone_surrogate(v) for v in node)
    return False


def generate(seed: int, assistant: Assistant, service_url: str, count: int = CASES) -> list[Case]:
    fuzzer = Fuzzer(seed, assistant, service_url)
    return [fuzzer.case(n) for n in range(count)]


# ------------------------------------------------------------------ the harness


async def start_connector() -> TestServer:
    """A Bot Connector stand-in on loopback that accepts every reply (so no send can fail)."""

    async def accept(request: web.Request) -> web.Response:
        await request.read()
        return web.json_response({"id": "ok"})

    app = web.Application(client_max_size=8 * 1024 * 1024)
    app.router.add_route("*", "/{tail:.*}", accept)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    return server


def content_hashes() -> dict[str, str]:
    files = [p for d in ("knowledge", "dialogs") for p in sorted((ROOT / d).rglob("*")) if p.is_file()]
    return {str(p.relative_to(ROOT)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def stored_row(path: Path, key: str) -> str | None:
    with sqlite3.connect(path) as db:
        row = db.execute("SELECT value FROM items WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None



def test_the_generator_is_reproducible():
    from channel_helpers import real_assistant

    first = generate(SEED, real_assistant(), "http://127.0.0.1:1/", count=300)
    again = generate(SEED, real_assistant(), "http://127.0.0.1:1/", count=300)
    assert [(c.kind, c.body, c.content_type) for c in first] == [
        (c.kind, c.body, c.content_type) for c in again
    ]
    # Whatever port the connector got, case N is the same kind of case (the generator stays in step).
    elsewhere = generate(SEED, real_assistant(), "http://127.0.0.1:65000/", count=300)
    assert [(c.kind, c.content_type) for c in first] == [(c.kind, c.content_type) for c in elsewhere]
    assert len({c.kind for c in first}) == 6  # every kind of case is made


async def test_1200_malformed_and_odd_requests_change_nothing_and_crash_nothing(tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    state_file = tmp_path / "state.sqlite3"
    settings = replace(local_settings(), state_path=state_file, analytics_path=tmp_path / "analytics.sqlite3")
    assistant = build_assistant(settings, today=TODAY)  # with analytics: odd text reaches SQLite there too
    connector = await start_connector()
    hashes_before = content_hashes()
    anna_key = f"msteams/{PERSONAL[0]}/{ANNA[0]}"
    try:
        app = create_app(settings, assistant=assistant, clock=FixedClock(TODAY))
        async with TestClient(TestServer(app)) as client:
            # Anna is in the middle of a guided flow: asked for the person's name.
            for text in ("ny behörighet", "ja", "ja", "Heromarapportör"):
                await say(client, message(text))
            anna_before = stored_row(state_file, anna_key)
            assert anna_before is not None and '"namn"' in anna_before

            cases = generate(SEED, assistant, str(connector.make_url("/")))
            statuses: dict[int, int] = {}
            for case in cases:
                headers = {"Content-Type": case.content_type} if case.content_type else {}
                skip = [] if case.content_type else ["Content-Type"]
                response = await client.post(
                    "/api/messages", data=case.body, headers=headers, skip_auto_headers=skip
                )
                text = await response.text()
                where = f"case {case.number} ({case.kind}): {case.body[:300]!r}"
                assert response.status < 500, f"{response.status} for {where}\n{text[:500]}"
                assert not [s for s in STACK_TRACE_SIGNS if s in text], (
                    f"internals shown for {where}\n{text[:500]}"
                )
                statuses[response.status] = statuses.get(response.status, 0) + 1

            errors = [
                f"{r.name}: {r.getMessage()} {r.exc_info[1]!r}"
                if r.exc_info
                else f"{r.name}: {r.getMessage()}"
                for r in caplog.records
                if r.levelno >= logging.ERROR
            ]
            assert errors == [], f"{len(errors)} turns failed, first: {errors[:3]}"
            assert stored_row(state_file, anna_key) == anna_before
            assert content_hashes() == hashes_before

            # Still working: a normal question, and Anna's flow goes on where it was.
            answer = shown(
                await say(client, message("När ska löneunderlaget vara inne?", user=("29:after", "Efter")))
            )
            assert "8:e" in answer
            assert "Anna Svensson" in shown(await say(client, message("Anna Svensson")))
    finally:
        await connector.close()
        assistant.recorder.close()
    assert len(cases) >= 1000
    assert statuses.get(200, 0) > 300 and statuses.get(400, 0) > 100  # both turns and refusals were exercised
