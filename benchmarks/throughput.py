"""Turns per second: our bot answering a real question against botbuilder's bare echo bot.

    .venv/bin/python benchmarks/throughput.py                    # 2,000 turns each, 16 at a time
    .venv/bin/python benchmarks/throughput.py --turns 5000 --concurrency 32 --rounds 2

Same machine, same run, same load: each bot runs as its own process on 127.0.0.1 and
gets the same Teams-shaped message activities in normal delivery (HTTP POST, the bot
posts its replies to a fake Bot Connector, also its own process on loopback). A turn
counts when the bot has answered the POST, i.e. after its replies were accepted by the
connector; the connector's count is checked against the turns.

(a) ``benchmarks/echo_bot.py``: CloudAdapter + ActivityHandler echo, stock configuration,
    anonymous. botbuilder 4.17.1 builds new msrest client configurations on every turn.
(b) ``python -m bot serve``: the real bot answering "När ska löneunderlaget vara inne?"
    (matching, deadline → concrete date, Adaptive Card), with state and analytics in
    SQLite files as in production, anonymous local mode.

Reported per bot: turns/s (wall clock), the server process's CPU time per turn (from
/proc, independent of the load generator sharing the cores), latency p50/p95 and the
server's peak RSS (VmHWM). Each bot is warmed up first; the run stops at --turns or
--max-seconds, whichever comes first.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
QUESTION = "När ska löneunderlaget vara inne?"
BOT_ID = "28:bot-loneservice"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A process serving HTTP on 127.0.0.1:port; its stderr goes to a file (never a full pipe)."""

    name: str
    process: subprocess.Popen
    port: int
    log: Path

    @classmethod
    def start(
        cls, name: str, argv: list[str], port: int, env: dict[str, str] | None = None, ready: str = "/"
    ) -> Server:
        log = Path(tempfile.mkstemp(prefix=f"{name}-", suffix=".log")[1])
        process = subprocess.Popen(
            argv, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=log.open("w")
        )
        server = cls(name, process, port, log)
        server.wait_ready(ready)
        return server

    def wait_ready(self, path: str, timeout: float = 60) -> float:
        """Poll until any HTTP answer comes back on ``path``; the seconds it took."""
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited: {self.log.read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(
                        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
                    )
                    if sock.recv(12).startswith(b"HTTP/1.1 "):
                        return time.perf_counter() - start
            except OSError:
                pass
            time.sleep(0.01)
        raise SystemExit(f"{self.name} did not answer on port {self.port} within {timeout} s")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime

    def status_kib(self, field: str) -> int:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
        raise KeyError(field)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.unlink(missing_ok=True)


def activity(
    n: int, service_url: str, users: int, text: str = QUESTION, expect_replies: bool = False
) -> bytes:
    """A Teams personal-chat message from one of ``users`` people, as JSON bytes."""
    who = n % users
    body = {
        "type": "message",
        "id": f"load-{n}",
        "timestamp": "2026-11-23T08:15:00.000Z",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": f"29:load-user-{who}", "name": f"Användare {who}"},
        "conversation": {
            "id": f"a:load-personal-{who}",
            "conversationType": "personal",
            "tenantId": "tenant-vgr",
        },
        "recipient": {"id": BOT_ID, "name": "Löneservice-assistenten"},
        "locale": "sv-SE",
        "channelData": {"tenant": {"id": "tenant-vgr"}},
        "text": text,
        "textFormat": "plain",
    }
    if expect_replies:
        body["deliveryMode"] = "expectReplies"
    return json.dumps(body).encode()


@dataclass
class LoadResult:
    turns: int
    seconds: float
    latencies: list[float]
    failures: int

    @property
    def per_second(self) -> float:
        return self.turns / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000 if ordered else 0.0


async def load(
    url: str, bodies: list[bytes], concurrency: int, max_seconds: float, accept: tuple[int, ...] = (200, 201)
) -> LoadResult:
    """POST the bodies with ``concurrency`` in flight; stops early after ``max_seconds``."""
    latencies: list[float] = []
    failures = 0
    queue = iter(bodies)
    connector = aiohttp.TCPConnector(limit=concurrency)
    headers = {"Content-Type": "application/json"}
    async with aiohttp.ClientSession(connector=connector) as session:
        start = time.perf_counter()
        deadline = start + max_seconds

        async def worker() -> None:
            nonlocal failures
            for body in queue:
                if time.perf_counter() > deadline:
                    return
                sent = time.perf_counter()
                async with session.post(f"{url}/api/messages", data=body, headers=headers) as response:
                    await response.read()
                    if response.status in accept:
                        latencies.append(time.perf_counter() - sent)
                    else:
                        failures += 1

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        seconds = time.perf_counter() - start
    return LoadResult(len(latencies), seconds, latencies, failures)


async def connector_count(connector: Server) -> int:
    async with aiohttp.ClientSession() as session, session.get(f"{connector.url}/_count") as response:
        return (await response.json())["replies"]


@dataclass
class Measured:
    name: str
    result: LoadResult
    cpu_ms_per_turn: float
    replies_per_turn: float
    peak_rss_mib: float


async def measure(server: Server, connector: Server, args: argparse.Namespace, text: str) -> Measured:
    service_url = connector.url + "/"
    warm = [activity(n, service_url, args.users, text) for n in range(args.warmup)]
    await load(server.url, warm, args.concurrency, args.max_seconds)
    bodies = [
        activity(n, service_url, args.users, text) for n in range(args.warmup, args.warmup + args.turns)
    ]
    replies_before, cpu_before = await connector_count(connector), server.cpu_seconds()
    result = await load(server.url, bodies, args.concurrency, args.max_seconds)
    cpu = server.cpu_seconds() - cpu_before
    replies = await connector_count(connector) - replies_before
    turns = max(result.turns, 1)
    return Measured(
        server.name, result, cpu / turns * 1000, replies / turns, server.status_kib("VmHWM") / 1024
    )


def start_echo_bot() -> Server:
    port = free_port()
    return Server.start("echo bot", [sys.executable, str(HERE / "echo_bot.py"), "--port", str(port)], port)


async def check_answer(server: Server) -> None:
    """The bot under load really answers the question: the reply names the 8th."""
    body = activity(10**9, "http://127.0.0.1:9/", 1, expect_replies=True)
    async with aiohttp.ClientSession() as session:
        headers = {"Content-Type": "application/json"}
        async with session.post(f"{server.url}/api/messages", data=body, headers=headers) as response:
            replies = await response.text()
    if "8:e" not in replies:
        raise SystemExit(f"{server.name} does not answer the question: {replies[:500]}")


def start_our_bot(state_dir: Path) -> Server:
    port = free_port()
    env = {
        "BOT_STATE_PATH": str(state_dir / "state.sqlite3"),
        "BOT_ANALYTICS_PATH": str(state_dir / "analytics.sqlite3"),
        "HOST": "127.0.0.1",
        "MicrosoftAppId": "",
    }
    argv = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)]
    return Server.start("our bot", argv, port, env, ready="/healthz")


def table(rows: list[Measured]) -> str:
    head = f"{'bot':<10} {'turns':>6} {'seconds':>8} {'turns/s':>8} {'CPU ms/turn':>12} {'p50 ms':>7} {'p95 ms':>7} {'replies/turn':>13} {'peak RSS MiB':>13}"
    lines = [head, "-" * len(head)]
    for m in rows:
        r = m.result
        lines.append(
            f"{m.name:<10} {r.turns:>6} {r.seconds:>8.2f} {r.per_second:>8.1f} {m.cpu_ms_per_turn:>12.2f} "
            f"{r.percentile(0.5):>7.1f} {r.percentile(0.95):>7.1f} {m.replies_per_turn:>13.2f} {m.peak_rss_mib:>13.1f}"
        )
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> int:
    connector_port = free_port()
    connector = Server.start(
        "connector",
        [sys.executable, str(HERE / "fake_connector.py"), "--port", str(connector_port)],
        connector_port,
    )
    rows: list[Measured] = []
    try:
        for _ in range(args.rounds):
            for name in ("echo bot", "our bot"):
                # A fresh state file per run: a repeated activity id would be skipped as a Teams retry.
                with tempfile.TemporaryDirectory(prefix="throughput-") as state_dir:
                    server = start_echo_bot() if name == "echo bot" else start_our_bot(Path(state_dir))
                    try:
                        if name == "our bot":
                            await check_answer(server)
                        rows.append(
                            await measure(server, connector, args, "hej" if name == "echo bot" else QUESTION)
                        )
                    finally:
                        server.stop()
    finally:
        connector.stop()

    print(f"{args.turns} turns per bot and round, {args.concurrency} concurrent, {args.users} users, "
          f"loopback only, {os.cpu_count()} CPUs\n")  # fmt: skip
    print(table(rows))
    echo = [m for m in rows if m.name == "echo bot"]
    ours = [m for m in rows if m.name == "our bot"]
    ratio = statistics.median(m.result.per_second for m in ours) / statistics.median(
        m.result.per_second for m in echo
    )
    cpu_ratio = statistics.median(m.cpu_ms_per_turn for m in echo) / statistics.median(
        m.cpu_ms_per_turn for m in ours
    )
    print(f"\nours / echo: {ratio:.2f}× the turns per second, {cpu_ratio:.2f}× less server CPU per turn")
    failures = sum(m.result.failures for m in rows)
    short = [m.name for m in rows if m.replies_per_turn < 1]
    if failures or short:
        print(f"PROBLEM: {failures} failed requests; bots with missing replies: {short}", file=sys.stderr)
        return 1
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description="Turns per second: our bot against botbuilder's echo bot.")
    parser.add_argument("--turns", type=int, default=2000, help="measured turns per bot and round")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight")
    parser.add_argument(
        "--users", type=int, default=200, help="distinct users (state rows) the turns come from"
    )
    parser.add_argument("--warmup", type=int, default=100, help="unmeasured turns first")
    parser.add_argument("--max-seconds", type=float, default=60, help="stop a run after this long")
    parser.add_argument("--rounds", type=int, default=1, help="alternate echo/ours this many times")
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
