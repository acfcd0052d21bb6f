"""The bot in a Teams stand-in: the Microsoft 365 Agents Playground as the client.

The real server (``python -m bot serve``) runs against the Playground (npm, pinned in
tests/playground/), which sends Teams-shaped activities (channelId msteams, mentions,
card submits as ``value``) and receives the bot's replies on its mock connector. We drive
the Playground through the internal API its own web UI uses and read the bot's replies
from its conversation WebSocket, just as the UI does.

Skipped only when Node.js is missing outside CI; in CI (env CI set) it never skips.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import yaml

from bot.cards import CONTENT_TYPE, submit_actions
from bot.settings import ROOT

PLAYGROUND_DIR = ROOT / "tests" / "playground"
PLAYGROUND_CLI = PLAYGROUND_DIR / "node_modules" / "@microsoft" / "m365agentsplayground" / "cli.js"
LOOPBACK_ONLY = PLAYGROUND_DIR / "loopback-only.js"  # the Playground has no host option
USER = "user-id-0"  # the Playground's signed-in mock user
TODAY = "2026-11-23"
STARTUP_SECONDS = 90  # two shared cores: loading the knowledge base can be slow
REPLY_SECONDS = 30
SETTLE_SECONDS = 1.0  # a reply may be several messages: wait this long for more
MESSAGES = yaml.safe_load((ROOT / "knowledge" / "messages.yaml").read_text(encoding="utf-8"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require_node() -> str:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("Node.js is required in CI for the Playground test")
        pytest.skip("Node.js is not installed")
    if not PLAYGROUND_CLI.is_file():
        pytest.fail(
            f"{PLAYGROUND_CLI.relative_to(ROOT)} missing: run scripts/setup (npm ci in tests/playground)"
        )
    return node


@dataclass
class Process:
    name: str
    proc: subprocess.Popen
    log: Path

    def tail(self, lines: int = 30) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return f"--- {self.name} log ({self.log}) ---\n" + "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # its own session: this process group only
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


def start(name: str, argv: list[str], env: dict[str, str], log: Path, cwd: Path) -> Process:
    with log.open("wb") as out:
        proc = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    return Process(name, proc, log)


def wait_until_up(process: Process, url: str, others: list[Process]) -> None:
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.proc.poll() is not None:
            pytest.fail(f"{process.name} exited with {process.proc.returncode}\n{process.tail()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    pytest.fail(
        f"{process.name} did not answer {url} within {STARTUP_SECONDS}s\n"
        + "\n".join(p.tail() for p in [process, *others])
    )


@dataclass
class Stack:
    base: str
    processes: list[Process] = field(default_factory=list)

    def logs(self) -> str:
        return "\n".join(p.tail() for p in self.processes)


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    """The bot server and the Playground, each on a free loopback port, stopped afterwards."""
    node = require_node()
    logs = tmp_path_factory.mktemp("playground-logs")
    bot_port, pg_port = free_port(), free_port()
    bot_env = {k: v for k, v in os.environ.items() if not k.startswith("MicrosoftApp")}
    bot_env.update(
        BOT_STATE_PATH="memory",
        BOT_ANALYTICS_PATH="memory",
        BOT_TODAY=TODAY,
        HOST="127.0.0.1",
        PYTHONUNBUFFERED="1",
    )
    pg_env = dict(os.environ, TEAMSAPPTESTER_BROWSER="none", NODE_OPTIONS=f"--require {LOOPBACK_ONLY}")
    base = f"http://127.0.0.1:{pg_port}"
    result = Stack(base)
    try:
        bot = start(
            "bot",
            [sys.executable, "-m", "bot", "serve", "--port", str(bot_port)],
            bot_env,
            logs / "bot.log",
            ROOT,
        )
        result.processes.append(bot)
        playground = start(
            "playground",
            [
                node,
                str(PLAYGROUND_CLI),
                "-e",
                f"http://127.0.0.1:{bot_port}/api/messages",
                "-c",
                "msteams",
                "-p",
                str(pg_port),
                "--disable-telemetry",
                "--service-url",
                f"{base}/_connector",
            ],
            pg_env,
            logs / "playground.log",
            logs,  # it writes devTools/ into its working directory
        )
        result.processes.append(playground)
        wait_until_up(bot, f"http://127.0.0.1:{bot_port}/healthz", [playground])
        wait_until_up(playground, f"{base}/_debug/ping", [bot])
        assert f"Listening on {pg_port}" in playground.log.read_text(), playground.tail()
        yield result
    finally:
        for process in result.processes:
            process.stop()


class Playground:
    """A Teams user at the Playground: install the app, write, @mention, press buttons."""

    def __init__(self, stack: Stack, session: aiohttp.ClientSession):
        self.stack, self.base, self.session = stack, stack.base, session
        self.config: dict[str, Any] = {}
        self.events: list[dict[str, Any]] = []
        self.arrived = asyncio.Event()

    async def open(self) -> None:
        async with self.session.get(f"{self.base}/_internal/v1/config") as response:
            self.config = (await response.json())["config"]
        self.ws = await self.session.ws_connect(
            self.base.replace("http", "ws", 1) + "/_ws_conversation/v1/conversations/stream"
        )
        self.reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        self.reader.cancel()
        await self.ws.close()

    async def _read(self) -> None:
        async for frame in self.ws:
            if frame.type == aiohttp.WSMsgType.TEXT:
                self.events.append(json.loads(frame.data))
                self.arrived.set()

    @property
    def bot(self) -> dict[str, str]:
        return self.config["bot"]

    @property
    def personal_chat(self) -> str:
        return self.config["personalChat"]["id"]

    @property
    def group_chat(self) -> str:
        return self.config["groupChats"][0]["id"]

    @property
    def team_channel(self) -> str:
        return self.config["teams"][0]["channels"][0]["id"]

    async def install(self, conversation: str) -> list[dict[str, Any]]:
        return await self._exchange(
            "POST", f"/_debug/conversation/{conversation}/installation", {}, conversation
        )

    async def say(self, conversation: str, text: str, mention: bool = False) -> list[dict[str, Any]]:
        body: dict[str, Any] = {"from": {"id": USER}, "text": text, "textFormat": "plain"}
        if mention:  # as Teams does: <at>Name</at> in the text plus a mention entity
            at = f"<at>{self.bot['name']}</at>"
            body.update(text=f"{at} {text}", mentions=[{"mentioned": {"id": self.bot["id"]}, "text": at}])
        return await self._exchange(
            "POST", f"/_conversation/v1/conversations/{conversation}/messages", body, conversation
        )

    async def press(
        self, conversation: str, message: dict[str, Any], data: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Press a card button: the Playground sends its data as the activity's value."""
        body = {
            "conversation": {"id": conversation},
            "from": {"id": USER},
            "replyToId": message["messageId"],
            "value": data,
        }
        return await self._exchange("POST", "/_conversation/v1/submit", body, conversation)

    async def _exchange(
        self, method: str, path: str, body: dict[str, Any], conversation: str
    ) -> list[dict[str, Any]]:
        start = len(self.events)
        async with self.session.request(method, self.base + path, json=body) as response:
            assert response.status == 200, f"{path}: {response.status} {await response.text()}"
        return await self._bot_messages(conversation, start)

    async def _bot_messages(self, conversation: str, start: int) -> list[dict[str, Any]]:
        """The bot's messages in the conversation (a channel reply lands in its thread)."""

        def mine() -> list[dict[str, Any]]:
            return [
                e["message"]
                for e in self.events[start:]
                if e.get("action") == "createMessage"
                and (e.get("actionConversationId") or "").split(";")[0] == conversation
                and e["message"].get("from", {}).get("id") == self.bot["id"]
            ]

        deadline = time.monotonic() + REPLY_SECONDS
        while not mine():
            if time.monotonic() > deadline:
                pytest.fail(f"no reply in {conversation} within {REPLY_SECONDS}s\n{self.stack.logs()}")
            self.arrived.clear()
            try:
                await asyncio.wait_for(self.arrived.wait(), timeout=0.5)
            except TimeoutError:
                pass
        seen = -1
        while len(mine()) != seen:  # more messages of the same reply may follow
            seen = len(mine())
            await asyncio.sleep(SETTLE_SECONDS)
        return mine()


@pytest.fixture
async def teams(stack) -> Playground:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=REPLY_SECONDS)) as session:
        client = Playground(stack, session)
        await client.open()
        try:
            yield client
        finally:
            await client.close()


def card_of(message: dict[str, Any]) -> dict[str, Any]:
    cards = [a["content"] for a in message.get("attachments") or [] if a.get("contentType") == CONTENT_TYPE]
    assert len(cards) == 1, f"expected one Adaptive Card, got {message}"
    return cards[0]


def text_of(card: dict[str, Any]) -> str:
    return "\n".join(n["text"] for n in card["body"] if n["type"] == "TextBlock")


def buttons(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["title"]: a["data"] for a in submit_actions(card)}


def vote_buttons(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["vote"]: d for d in buttons(card).values() if d.get("action") == "feedback"}


async def test_installing_the_app_in_personal_chat_gives_one_welcome_card(teams):
    (welcome,) = await teams.install(teams.personal_chat)
    card = card_of(welcome)
    assert card["version"] == "1.5"
    assert text_of(card).startswith(MESSAGES["welcome_title"])
    assert [t["title"] for t in MESSAGES["welcome_topics"]] == list(buttons(card))


async def test_a_question_in_personal_chat_is_answered_with_the_8th(teams):
    (answer,) = await teams.say(teams.personal_chat, "När ska löneunderlaget vara inne?")
    card = card_of(answer)
    text = text_of(card)
    assert "8:e" in text and "Källa:" in text
    assert set(vote_buttons(card)) == {"up", "down"}


async def test_an_at_mention_in_a_group_chat_is_answered_in_the_group(teams):
    await teams.install(teams.group_chat)
    (answer,) = await teams.say(
        teams.group_chat, "När ska förhandlingsresultatet från löneöversynen vara inne?", mention=True
    )
    card = card_of(answer)
    assert "5:e" in text_of(card)
    assert "<at>" not in text_of(card)  # the bot's own mention was stripped before matching
    assert set(vote_buttons(card)) == {"up", "down"}


async def test_an_at_mention_in_a_team_channel_is_answered_in_the_thread(teams):
    await teams.install(teams.team_channel)
    (answer,) = await teams.say(teams.team_channel, "Vad är en utanordningslista?", mention=True)
    assert "utanordningslist" in text_of(card_of(answer)).lower()


async def test_pressing_a_follow_up_and_then_thumbs_up(teams):
    (answer,) = await teams.say(teams.personal_chat, "När ska löneunderlaget vara inne?")
    card = card_of(answer)
    follow_ups = {t: d for t, d in buttons(card).items() if d.get("action") == "ask"}
    assert follow_ups, f"the answer card offers follow-up questions: {list(buttons(card))}"
    title, data = next(iter(follow_ups.items()))

    (follow_up,) = await teams.press(teams.personal_chat, answer, data)
    follow_card = card_of(follow_up)
    assert vote_buttons(follow_card)["up"]["entry"] == data["entry"]  # the entry the button named
    assert text_of(follow_card) != text_of(card)

    (thanks,) = await teams.press(teams.personal_chat, follow_up, vote_buttons(follow_card)["up"])
    assert thanks.get("text", "").strip() == MESSAGES["feedback_thanks_up"].strip()
