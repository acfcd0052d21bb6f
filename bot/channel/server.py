"""The HTTP server: ``POST /api/messages`` for Teams and ``GET /healthz``.

The edge checks every request before botbuilder sees it, because botbuilder 4.17.1
answers malformed JSON, an empty body, a JSON array or an activity without
``conversation``/``serviceUrl`` with HTTP 500, and crashes on ``expectReplies``:

    wrong Content-Type → 415, body over ``max_body_bytes`` → 413,
    not an activity → 400 with a short reason, bad or missing token → 401,
    ``deliveryMode: expectReplies`` → 200 ``{"activities": [...]}``.

A failure inside a turn is the handler's business (logged, apology to the user); the
HTTP answer stays 2xx and never carries a stack trace. The one exception: when nothing
could be delivered, not even the apology, the answer is 503 so that Teams retries.

``create_app`` builds everything at call time (nothing at import) and puts each
collaborator on a typed ``web.AppKey`` so tests and tools can reach them.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import sys
from typing import Any

from aiohttp import web
from botbuilder.core import Storage
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity
from msrest.exceptions import DeserializationError

from bot.channel.auth import BotAuthentication
from bot.channel.storage import SqliteStorage, open_storage
from bot.channel.teams import AssistantBot
from bot.clock import Clock, clock_for
from bot.settings import Settings
from bot.turn import Assistant, build_assistant

log = logging.getLogger(__name__)

SETTINGS = web.AppKey("settings", Settings)
CLOCK = web.AppKey("clock", Clock)
ASSISTANT = web.AppKey("assistant", Assistant)
STORAGE = web.AppKey("storage", Storage)
AUTH = web.AppKey("auth", BotAuthentication)
ADAPTER = web.AppKey("adapter", CloudAdapter)
BOT = web.AppKey("bot", AssistantBot)

MESSAGES_PATH = "/api/messages"
HEALTH_PATH = "/healthz"
APP_TYPES = ("multitenant", "singletenant", "userassignedmsi")


def create_app(
    settings: Settings,
    *,
    assistant: Assistant | None = None,
    storage: Storage | None = None,
    clock: Clock | None = None,
) -> web.Application:
    """The aiohttp application; loads content unless an Assistant is given (ContentInvalid on errors)."""
    problem = credentials_problem(settings)
    if problem:
        raise ValueError(problem)
    clock = clock or clock_for(settings.today)
    assistant = assistant or build_assistant(settings, today=clock.today())
    own_storage = storage is None
    storage = open_storage(settings) if storage is None else storage
    auth = BotAuthentication(settings)
    adapter = CloudAdapter(auth)
    bot = AssistantBot(assistant, storage, clock)
    adapter.on_turn_error = bot.on_turn_error

    # client_max_size also caps chunked bodies that announce no Content-Length.
    app = web.Application(client_max_size=settings.max_body_bytes)
    app[SETTINGS] = settings
    app[CLOCK] = clock
    app[ASSISTANT] = assistant
    app[STORAGE] = storage
    app[AUTH] = auth
    app[ADAPTER] = adapter
    app[BOT] = bot
    app.router.add_post(MESSAGES_PATH, messages)
    app.router.add_get(HEALTH_PATH, healthz)
    if own_storage and isinstance(storage, SqliteStorage):

        async def close_storage(_app: web.Application) -> None:
            storage.close()

        app.on_cleanup.append(close_storage)
    return app


# ------------------------------------------------------------------ handlers


async def messages(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    if request.content_type != "application/json":
        return _error(415, "Content-Type must be application/json")
    if request.content_length is not None and request.content_length > settings.max_body_bytes:
        return _error(413, f"body larger than {settings.max_body_bytes} bytes")
    auth_header = request.headers.get("Authorization", "")
    if settings.has_credentials and not auth_header:
        return _error(401, "missing Authorization header")
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        return _error(413, f"body larger than {settings.max_body_bytes} bytes")

    body, problem = parse_activity(raw)
    if problem:
        return _error(400, problem)
    try:
        activity = Activity().deserialize(body)
    except DeserializationError:
        return _error(400, "body is not a valid Bot Framework activity")

    try:
        auth_result = await request.app[AUTH].authenticate_request(activity, auth_header)
    except PermissionError as exc:
        log.info("rejected activity id=%s: %s", activity.id, exc)
        return _error(401, "invalid or missing Bot Framework token")

    adapter, bot = request.app[ADAPTER], request.app[BOT]
    try:
        # Called below CloudAdapter.process, which crashes on expectReplies (it serialises
        # an already-serialised dict); the InvokeResponse body here is plain JSON.
        invoke_response = await adapter.process_activity(auth_result, activity, bot.on_turn)
    except Exception:
        # on_turn_error already logged and apologised; this is a failure beyond that
        # (e.g. the connector unreachable for the apology too). Log, stay 2xx.
        log.exception("activity id=%s type=%s could not be processed", activity.id, activity.type)
        return web.Response(status=202)
    if activity.id and activity.id in bot.undelivered:
        # Nothing reached the user, not even the apology, and no state was saved: a 5xx
        # makes Teams retry, where 2xx would lose the message without trace.
        bot.undelivered.discard(activity.id)
        return _error(503, "the reply could not be delivered to the channel; retry later")
    if invoke_response is None:
        return web.Response(status=201)
    return web.json_response(_plain(invoke_response.body), status=int(invoke_response.status))


async def healthz(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    kb = request.app[ASSISTANT].kb
    return web.json_response(
        {
            "status": "ok",
            "entries": kb.entry_count,
            "version": kb.version,
            "auth": "bot-framework" if settings.has_credentials else "anonymous-local",
        }
    )


def parse_activity(raw: bytes) -> tuple[dict[str, Any] | None, str | None]:
    """The JSON body as a dict, or a short reason why it isn't an activity we can handle."""
    if not raw.strip():
        return None, "empty body"
    try:
        body = json.loads(raw)
        # Unpaired surrogates ("\\ud800") are valid JSON but not text: SQLite, log files and
        # the reply cannot encode them. No real client sends them.
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return None, "body is not valid Unicode text (unpaired surrogates)"
    except RecursionError:
        return None, "body is nested too deeply"
    except ValueError:  # JSONDecodeError, UnicodeDecodeError, a number over 4300 digits
        return None, "body is not valid JSON"
    if not isinstance(body, dict):
        return None, "body must be a JSON object (one activity)"
    if not _nonempty_str(body.get("type")):
        return None, "activity has no type"
    if not _nonempty_str(body.get("channelId")):
        return None, "activity has no channelId"
    conversation = body.get("conversation")
    if not isinstance(conversation, dict) or not _nonempty_str(conversation.get("id")):
        return None, "activity has no conversation.id"
    if not _header_safe(conversation["id"]):
        # botbuilder sends it back in the x-ms-conversation-id header of every reply; Teams
        # ids are ASCII. Anything else would fail (or inject a header) at send time.
        return None, "conversation.id must be printable Latin-1 text (it goes into an HTTP header)"
    service_url = body.get("serviceUrl")
    if not _nonempty_str(service_url) or not service_url.startswith(("https://", "http://")):
        return None, "activity has no http(s) serviceUrl"
    if body["type"] == "message":
        sender = body.get("from")
        if not isinstance(sender, dict) or not _nonempty_str(sender.get("id")):
            return None, "message has no from.id"
        if body.get("text") is not None and not isinstance(body.get("text"), str):
            return None, "message text must be a string"
    return body, None


def _header_safe(value: str) -> bool:
    return value.isprintable() and all(ord(ch) < 256 for ch in value)


def _nonempty_str(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _error(status: int, reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=status)


def _plain(body: Any) -> Any:
    """Invoke bodies may be msrest models; JSON wants dicts."""
    return body.serialize() if hasattr(body, "serialize") else body


# ------------------------------------------------------------------ running


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def credentials_problem(settings: Settings) -> str | None:
    """What is wrong with the Azure Bot credentials, in words an operator can act on."""
    if not settings.has_credentials:
        return None
    app_type = settings.app_type.lower()
    if app_type not in APP_TYPES:
        return f"MicrosoftAppType '{settings.app_type}' är okänd; använd MultiTenant, SingleTenant eller UserAssignedMSI."
    if app_type != "userassignedmsi" and not settings.app_password:
        return "MicrosoftAppId är satt men MicrosoftAppPassword saknas."
    if app_type in ("singletenant", "userassignedmsi") and not settings.tenant_id:
        return f"MicrosoftAppType {settings.app_type} kräver MicrosoftAppTenantId."
    return None


def startup_problem(settings: Settings) -> str | None:
    """Why the server must not start with these settings, or None."""
    if not settings.has_credentials and not settings.allow_remote and not is_loopback(settings.host):
        return (
            f"Vägrar lyssna på {settings.host}: utan MicrosoftAppId/MicrosoftAppPassword tar boten emot "
            "anrop utan inloggning. Ange Azure Bot-uppgifterna, lyssna på 127.0.0.1 (HOST), eller sätt "
            "BOT_ALLOW_REMOTE=1 om nätet redan skyddar boten."
        )
    return credentials_problem(settings)


def run(settings: Settings) -> int:
    """Start the server (blocks until stopped) and return the exit code.

    Refuses unsafe settings with a message instead of a traceback. Content errors raise
    ``ContentInvalid`` before anything listens; ``bot.cli`` prints them (file:line) and exits 2.
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    problem = startup_problem(settings)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    app = create_app(settings)  # ContentInvalid goes to the CLI, which prints every file:line
    if not settings.has_credentials:
        log.warning(
            "anonymous local mode: no MicrosoftAppId, so requests are not authenticated "
            "(for local testing; listening on %s)",
            settings.host,
        )
    try:
        web.run_app(app, host=settings.host, port=settings.port)
    except OSError as exc:
        print(f"Kan inte lyssna på {settings.host}:{settings.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0
