"""A Bot Connector stand-in for load tests: accepts every reply a bot posts, on loopback only.

    .venv/bin/python benchmarks/fake_connector.py --port 3990

A bot in normal delivery answers each incoming activity by POSTing its replies to
``{serviceUrl}v3/conversations/{conversationId}/activities/{replyToId}``; point the
activities' ``serviceUrl`` at ``http://127.0.0.1:3990/`` and this process takes them.
``GET /_count`` tells how many replies arrived, so a benchmark can check that every
turn really produced its replies. As little work per request as aiohttp allows: the
connector must not be what limits the measured bot.
"""

from __future__ import annotations

import argparse

from aiohttp import web

REPLIES = web.AppKey("replies", list)  # [n]: a mutable counter the handlers share


def create_app() -> web.Application:
    app = web.Application(client_max_size=4 * 1024 * 1024)
    app[REPLIES] = [0]

    async def reply(request: web.Request) -> web.Response:
        await request.read()
        app[REPLIES][0] += 1
        return web.json_response({"id": f"reply-{app[REPLIES][0]}"})

    async def count(_request: web.Request) -> web.Response:
        return web.json_response({"replies": app[REPLIES][0]})

    app.router.add_post("/v3/conversations/{conversation}/activities", reply)
    app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", reply)
    app.router.add_get("/_count", count)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=3990)
    args = parser.parse_args()
    web.run_app(create_app(), host="127.0.0.1", port=args.port, access_log=None, print=None)


if __name__ == "__main__":
    main()
