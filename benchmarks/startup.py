"""Cold start to first answer, and the serving process's memory, for ``python -m bot serve``.

    .venv/bin/python benchmarks/startup.py                # 3 cold starts, then 2,000 turns of load
    .venv/bin/python benchmarks/startup.py --starts 5 --turns 5000

Each start spawns a fresh ``python -m bot serve`` on a loopback port (state and
analytics in new SQLite files, anonymous local mode) and measures wall time from the
spawn to the first 200 on /healthz, and to the first answer: a POST of "När ska
löneunderlaget vara inne?" with ``deliveryMode: expectReplies`` whose reply must
mention the 8th. After the last start the server takes --turns questions from 200
users (expectReplies, 16 at a time) and its RSS is read from /proc: VmRSS after the
first answer, VmHWM (peak) after the load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from throughput import Server, activity, free_port, load


def cold_start(state_dir: Path) -> tuple[Server, float, float, float]:
    """Spawn the bot; (server, seconds to /healthz, seconds to the first answer, RSS MiB then)."""
    port = free_port()
    env = {
        "BOT_STATE_PATH": str(state_dir / "state.sqlite3"),
        "BOT_ANALYTICS_PATH": str(state_dir / "analytics.sqlite3"),
        "MicrosoftAppId": "",
    }
    argv = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)]
    start = time.perf_counter()
    server = Server.start("bot", argv, port, env, ready="/healthz")
    healthy = time.perf_counter() - start
    request = urllib.request.Request(
        f"{server.url}/api/messages",
        data=activity(0, "http://127.0.0.1:9/", 1, expect_replies=True),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        replies = json.load(response)["activities"]
    answered = time.perf_counter() - start
    if "8:e" not in json.dumps(replies, ensure_ascii=False):
        server.stop()
        raise SystemExit(
            f"the first answer does not mention the 8th: {json.dumps(replies, ensure_ascii=False)[:500]}"
        )
    return server, healthy, answered, server.status_kib("VmRSS") / 1024


def main() -> int:
    parser = argparse.ArgumentParser(
        description="Cold start to first answer and peak RSS of python -m bot serve."
    )
    parser.add_argument("--starts", type=int, default=3, help="cold starts to time")
    parser.add_argument("--turns", type=int, default=2000, help="questions sent after the last start")
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()

    healthy, answered, rss_first = [], [], []
    for i in range(args.starts):
        with tempfile.TemporaryDirectory(prefix="startup-") as state_dir:
            server, to_health, to_answer, rss = cold_start(Path(state_dir))
            healthy.append(to_health)
            answered.append(to_answer)
            rss_first.append(rss)
            if i < args.starts - 1:
                server.stop()
                continue
            try:
                bodies = [
                    activity(n, "http://127.0.0.1:9/", 200, expect_replies=True)
                    for n in range(1, args.turns + 1)
                ]
                result = asyncio.run(
                    load(server.url, bodies, args.concurrency, max_seconds=120, accept=(200,))
                )
                peak = server.status_kib("VmHWM") / 1024
            finally:
                server.stop()

    rows = [
        (
            "spawn → /healthz 200",
            f"{statistics.median(healthy):.2f} s",
            f"{min(healthy):.2f} s",
            f"{max(healthy):.2f} s",
        ),
        (
            "spawn → first answer",
            f"{statistics.median(answered):.2f} s",
            f"{min(answered):.2f} s",
            f"{max(answered):.2f} s",
        ),
        (
            "RSS after first answer",
            f"{statistics.median(rss_first):.1f} MiB",
            f"{min(rss_first):.1f} MiB",
            f"{max(rss_first):.1f} MiB",
        ),
    ]
    print(f"python -m bot serve, {args.starts} cold starts (median, min, max); loopback only\n")
    print(f"{'':<26} {'median':>10} {'min':>10} {'max':>10}")
    for name, *values in rows:
        print(f"{name:<26} " + " ".join(f"{v:>10}" for v in values))
    print(
        f"\npeak RSS (VmHWM) after {result.turns} more turns ({result.per_second:.0f} turns/s, "
        f"expectReplies, {args.concurrency} concurrent, 200 users): {peak:.1f} MiB"
    )
    if result.failures:
        print(f"PROBLEM: {result.failures} failed requests", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
