"""Shared pieces for the channel tests: Teams-shaped activities, a fake Bot Connector,
a spy around the Assistant, and a running app.

The activities copy what Teams (and the Agents Playground) really send: ``channelId
"msteams"``, ``conversation.conversationType``, ``channelData.tenant``, mention entities
whose ``text`` is the ``<at>…</at>`` tag found in the message text.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.settings import Settings

BOT_ID = "28:bot-loneservice"
BOT_NAME = "Löneservice-assistenten"
TENANT = "tenant-vgr"
ANNA = ("29:user-anna", "Anna Andersson")
BERTIL = ("29:user-bertil", "Bertil Berg")
PERSONAL = ("a:personal-anna", "personal")
GROUP = ("19:group-lon@thread.v2", "groupChat")
CHANNEL = ("19:channel-general@thread.tacv2;messageid=1700000000000", "channel")

_ids = itertools.count(1_700_000_000_001)


def next_id() -> str:
    return str(next(_ids))


def activity(
    type_: str = "message",
    *,
    service_url: str = "https://smba.trafficmanager.net/emea/",
    conversation: tuple[str, str] = PERSONAL,
    user: tuple[str, str] = ANNA,
    **fields: Any,
) -> dict[str, Any]:
    conv_id, conv_type = conversation
    body: dict[str, Any] = {
        "type": type_,
        "id": next_id(),
        "timestamp": "2026-11-23T08:15:00.000Z",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": user[0], "name": user[1], "aadObjectId": f"aad-{user[0]}"},
        "conversation": {"id": conv_id, "conversationType": conv_type, "tenantId": TENANT},
        "recipient": {"id": BOT_ID, "name": BOT_NAME},
        "locale": "sv-SE",
        "channelData": {"tenant": {"id": TENANT}},
    }
    if conv_type != "personal":
        body["conversation"]["isGroup"] = True
    if conv_type == "channel":
        body["channelData"].update(
            {"teamsChannelId": conv_id.split(";")[0], "teamsTeamId": "19:team@thread.tacv2",
             "channel": {"id": conv_id.split(";")[0]}, "team": {"id": "19:team@thread.tacv2"}}
        )  # fmt: skip
    body.update(fields)
    return body


def mention(account_id: str, name: str) -> dict[str, Any]:
    return {"type": "mention", "text": f"<at>{name}</at>", "mentioned": {"id": account_id, "name": name}}


def message(text: str, **kw: Any) -> dict[str, Any]:
    return activity("message", text=text, textFormat="plain", **kw)


def message_to_bot(
    text: str, conversation: tuple[str, str] = GROUP, others: tuple = (), **kw: Any
) -> dict[str, Any]:
    """A group-chat/channel message as Teams sends it: the bot's <at> tag first in the text."""
    entities = [mention(BOT_ID, BOT_NAME)] + [mention(i, n) for i, n in others]
    return message(f"<at>{BOT_NAME}</at> {text}", conversation=conversation, entities=entities, **kw)


def card_submit(value: dict[str, Any], **kw: Any) -> dict[str, Any]:
    """Action.Submit: a message with ``value`` and no text."""
    return activity("message", value=value, **kw)


def members_added(*members: tuple[str, str], **kw: Any) -> dict[str, Any]:
    return activity("conversationUpdate", membersAdded=[{"id": i, "name": n} for i, n in members], **kw)


def members_removed(*members: tuple[str, str], **kw: Any) -> dict[str, Any]:
    return activity("conversationUpdate", membersRemoved=[{"id": i, "name": n} for i, n in members], **kw)


def installation(action: str, **kw: Any) -> dict[str, Any]:
    return activity("installationUpdate", action=action, **kw)


def expect_replies(body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "deliveryMode": "expectReplies"}


async def say(client: TestClient, body: dict) -> list[dict]:
    """Send one activity with expectReplies; the bot's replies as Teams would get them."""
    response = await client.post("/api/messages", json=expect_replies(body))
    assert response.status == 200, await response.text()
    return (await response.json())["activities"]


def shown(replies: list[dict]) -> str:
    """Everything a user sees in the replies, cards included."""
    return "\n".join(visible_text(r) for r in replies)


def visible_text(reply: dict[str, Any]) -> str:
    """What a user reads in one reply activity: its text or its card's TextBlocks and buttons."""
    parts = [reply.get("text") or ""]
    for attachment in reply.get("attachments") or []:
        parts += _card_strings(attachment.get("content"))
    return "\n".join(p for p in parts if p)


def _card_strings(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["text"]] if node.get("type") == "TextBlock" else []
        own += (
            [node["title"]] if str(node.get("type", "")).startswith("Action.") and node.get("title") else []
        )
        return own + [
            s for key in ("body", "items", "actions", "columns") for s in _card_strings(node.get(key))
        ]
    if isinstance(node, list):
        return [s for item in node for s in _card_strings(item)]
    return []


# ------------------------------------------------------------------ the Assistant spy


class AssistantSpy:
    """Wraps an Assistant: records every TurnInput and state, can be told to fail."""

    def __init__(self, inner: Any):
        self.inner = inner
        self.kb = inner.kb
        self.messages = inner.messages
        self.inputs: list[Any] = []
        self.states: list[dict] = []
        self.results: list[Any] = []
        self.welcomes = 0
        self.fail_with: Exception | None = None

    def handle(self, inp: Any, state: dict) -> Any:
        self.inputs.append(inp)
        self.states.append(state)
        if self.fail_with is not None:
            raise self.fail_with
        result = self.inner.handle(inp, state)
        self.results.append(result)
        return result

    def card_texts(self) -> Any:
        return self.inner.card_texts()

    def error_reply(self) -> Any:
        return self.inner.error_reply()

    def welcome(self, shared: bool = False) -> Any:
        self.welcomes += 1
        return self.inner.welcome(shared)


# ------------------------------------------------------------------ the fake Bot Connector


@dataclass
class FakeConnector:
    """Stands in for https://smba.trafficmanager.net: records what the bot posts, and any
    other call (``other``), e.g. a member look-up the bot should not make."""

    status: int = 200
    fail_after: int | None = None  # accept this many posts, then answer 503 (a connector failing midway)
    received: list[tuple[str, dict]] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    client: TestClient | None = None

    @property
    def service_url(self) -> str:
        assert self.client is not None
        return str(self.client.make_url("/"))

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._post)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._post)
        app.router.add_route("*", "/{tail:.*}", self._other)
        self.client = TestClient(TestServer(app, host="127.0.0.1"))
        await self.client.start_server()

    async def close(self) -> None:
        if self.client is not None:
            await self.client.close()

    async def _other(self, request: web.Request) -> web.Response:
        self.other.append(f"{request.method} {request.path}")
        return web.json_response({"error": {"code": "NotFound"}}, status=404)

    async def _post(self, request: web.Request) -> web.Response:
        if self.fail_after is not None and len(self.received) >= self.fail_after:
            return web.json_response({"error": {"code": "ServiceError", "message": "down"}}, status=503)
        self.received.append((request.path, await request.json()))
        if self.status >= 400:
            return web.json_response(
                {"error": {"code": "ServiceError", "message": "down"}}, status=self.status
            )
        return web.json_response({"id": f"reply-{len(self.received)}"}, status=self.status)


# ------------------------------------------------------------------ the real content


def local_settings() -> Settings:
    """Repository content, state in memory, no analytics: nothing written to disk."""
    return Settings(state_path=None, analytics_path=None)


@functools.cache
def real_assistant() -> Any:
    """The Assistant on the repository's knowledge/ and dialogs/, loaded once per test run."""
    from bot.turn import build_assistant

    return build_assistant(local_settings())
