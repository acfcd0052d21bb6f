"""The HTTP edge: POST /api/messages and GET /healthz, as Teams and strangers call them.

Bad requests get a short 4xx reason (botbuilder 4.17.1 alone answers most with 500),
expectReplies works, tokens are checked without any network, and a failing turn
still answers 2xx with a Swedish apology and no stack trace.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import jwt
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from botframework.connector.auth import AuthenticationConstants
from botframework.connector.auth import jwt_token_extractor as extractor
from channel_helpers import (
    AssistantSpy,
    FakeConnector,
    activity,
    expect_replies,
    local_settings,
    message,
    real_assistant,
    visible_text,
)
from cryptography.hazmat.primitives.asymmetric import rsa

from bot import cli
from bot.channel import server
from bot.channel.server import ADAPTER, ASSISTANT, AUTH, BOT, CLOCK, SETTINGS, STORAGE, create_app, run
from bot.clock import FixedClock
from bot.render import render_text
from bot.settings import Settings
from bot.turn import TurnInput
from bot.yamlsrc import ContentError, ContentInvalid

TODAY = date(2026, 11, 23)
APP_ID = "00000000-aaaa-bbbb-cccc-123456789abc"


@pytest.fixture
def settings() -> Settings:
    return local_settings()


@pytest.fixture
def spy() -> AssistantSpy:
    return AssistantSpy(real_assistant())


@pytest.fixture
async def connector():
    fake = FakeConnector()
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
async def client(settings, spy):
    app = create_app(settings, assistant=spy, clock=FixedClock(TODAY))
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


async def post(client: TestClient, body: dict) -> tuple[int, dict | str]:
    response = await client.post("/api/messages", json=body)
    text = await response.text()
    return response.status, (await response.json() if text.startswith("{") else text)


def said(assistant, text: str) -> str:
    """What the Assistant itself answers to a first message (the oracle for the channel)."""
    reply = assistant.handle(TurnInput(text, None, TODAY, datetime(2026, 11, 23, 9, 0)), {}).reply
    return render_text(reply)


# ------------------------------------------------------------------ the happy paths


async def test_healthz_reports_knowledge_entries_and_content_version(client, spy):
    response = await client.get("/healthz")
    assert response.status == 200
    body = await response.json()
    assert body == {
        "status": "ok",
        "entries": spy.kb.entry_count,
        "version": spy.kb.version,
        "auth": "anonymous-local",
    }
    assert body["entries"] > 0


async def test_app_keeps_its_collaborators_on_typed_keys(settings, spy):
    clock = FixedClock(TODAY)
    app = create_app(settings, assistant=spy, clock=clock)
    assert app[SETTINGS] is settings and app[ASSISTANT] is spy and app[CLOCK] is clock
    assert app[BOT].storage is app[STORAGE]
    assert app[ADAPTER].bot_framework_authentication is app[AUTH]


async def test_personal_message_reply_is_posted_to_the_connector(client, connector, spy):
    # User says "hej" in a personal chat → the reply goes to {serviceUrl}v3/conversations/…
    body = message("hej", service_url=connector.service_url)
    status, _ = await post(client, body)
    assert status == 201
    assert len(connector.received) == 1
    path, reply = connector.received[0]
    assert path == f"/v3/conversations/{body['conversation']['id']}/activities/{body['id']}"
    assert reply["type"] == "message" and reply["replyToId"] == body["id"]
    assert reply["recipient"]["id"] == body["from"]["id"]
    assert spy.inputs[0].text == "hej"


async def test_expect_replies_returns_the_replies_in_the_response(client, spy):
    # botbuilder 4.17.1 answers this with HTTP 500; the edge returns 200 {"activities": [...]}.
    status, body = await post(client, expect_replies(message("När ska löneunderlaget vara inne?")))
    assert status == 200
    assert set(body) == {"activities"}
    assert len(body["activities"]) >= 1
    shown = "\n".join(visible_text(a) for a in body["activities"])
    oracle = said(spy.inner, "När ska löneunderlaget vara inne?")
    assert oracle.splitlines()[0].strip("*_") in shown


async def test_unknown_activity_type_is_accepted_without_reply(client, connector, spy):
    status, _ = await post(client, activity("somethingNew", service_url=connector.service_url))
    assert status in (200, 201, 202)
    assert connector.received == [] and spy.inputs == []


async def test_typing_and_reactions_get_no_reply(client, connector):
    for kind in ("typing", "messageReaction", "event"):
        status, _ = await post(client, activity(kind, service_url=connector.service_url))
        assert status in (200, 201, 202)
    assert connector.received == []


# ------------------------------------------------------------------ request hygiene


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty body"),
        (b"   ", "empty body"),
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe{", "not valid JSON"),
        (b"[]", "JSON object"),
        (b'"message"', "JSON object"),
        (b"42", "JSON object"),
    ],
)
async def test_body_that_is_not_an_object_is_400(client, raw, reason):
    response = await client.post("/api/messages", data=raw, headers={"Content-Type": "application/json"})
    assert response.status == 400
    assert reason in (await response.json())["error"]


def _without(body: dict, *path: str) -> dict:
    body = {**body}
    if len(path) == 1:
        body.pop(path[0])
    else:
        body[path[0]] = {k: v for k, v in body[path[0]].items() if k != path[1]}
    return body


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        (_without(message("hej"), "type"), "no type"),
        ({**message("hej"), "type": ""}, "no type"),
        ({**message("hej"), "type": 5}, "no type"),
        (_without(message("hej"), "conversation"), "conversation.id"),
        (_without(message("hej"), "conversation", "id"), "conversation.id"),
        ({**message("hej"), "conversation": "a:1"}, "conversation.id"),
        ({**message("hej"), "conversation": {"id": "\u202ea:1"}}, "conversation.id must be printable"),
        ({**message("hej"), "conversation": {"id": "a:1\r\nX-Evil: 1"}}, "conversation.id must be printable"),
        (_without(message("hej"), "serviceUrl"), "serviceUrl"),
        ({**message("hej"), "serviceUrl": "file:///etc/passwd"}, "serviceUrl"),
        (_without(message("hej"), "channelId"), "channelId"),
        (_without(message("hej"), "from"), "from.id"),
        ({**message("hej"), "text": {"a": 1}}, "text must be a string"),
        ({**message("hej"), "entities": "x"}, "not a valid Bot Framework activity"),
        ({**message("hej"), "timestamp": "igår"}, "not a valid Bot Framework activity"),
    ],
)
async def test_activity_missing_what_a_turn_needs_is_400(client, spy, broken, reason):
    status, body = await post(client, broken)
    assert status == 400
    assert reason in body["error"]
    assert spy.inputs == []


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
async def test_wrong_content_type_is_415(client, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    response = await client.post("/api/messages", data=b'{"type": "message"}', headers=headers)
    assert response.status == 415


async def test_body_over_the_limit_is_413(settings, spy):
    settings = replace(settings, max_body_bytes=2048)
    big = message("lön " * 1000)
    async with TestClient(TestServer(create_app(settings, assistant=spy))) as test_client:
        response = await test_client.post("/api/messages", json=big)
        assert response.status == 413

        async def chunks():  # no Content-Length: the limit still holds
            yield b'{"type": "message", "text": "'
            for _ in range(100):
                yield b"x" * 100
            yield b'"}'

        response = await test_client.post(
            "/api/messages", data=chunks(), headers={"Content-Type": "application/json"}
        )
        assert response.status == 413
    assert spy.inputs == []


async def test_get_on_the_messages_endpoint_is_405(client):
    response = await client.get("/api/messages")
    assert response.status == 405


# ------------------------------------------------------------------ failures inside a turn


async def test_turn_failure_gives_a_swedish_apology_and_2xx(client, spy, caplog):
    spy.fail_with = KeyError("kaboom-internal-detail")
    body = expect_replies(message("Hur ansöker jag om behörighet?"))
    with caplog.at_level(logging.ERROR, logger="bot.channel"):
        response = await client.post("/api/messages", json=body)
    assert response.status == 200
    raw = await response.text()
    replies = (await response.json())["activities"]
    assert [r["text"] for r in replies] == [spy.kb.expand(spy.messages.text("error_apology"))]
    assert replies[0]["text"].startswith("Förlåt")
    assert "Traceback" not in raw and "kaboom" not in raw and "KeyError" not in raw
    logged = [r for r in caplog.records if body["id"] in r.getMessage()]
    assert logged and logged[0].exc_info is not None


async def test_turn_failure_with_normal_delivery_posts_the_apology(client, connector, spy):
    spy.fail_with = RuntimeError("matcher broke")
    status, _ = await post(client, message("lön", service_url=connector.service_url))
    assert status in (200, 201, 202)
    assert [r["text"] for _, r in connector.received] == [spy.kb.expand(spy.messages.text("error_apology"))]


async def test_connector_down_is_logged_and_503_so_teams_retries_and_the_retry_answers(client, connector, caplog):
    connector.status = 503
    body = message("hur får jag ett intyg?", service_url=connector.service_url)
    with caplog.at_level(logging.ERROR, logger="bot.channel"):
        status, text = await post(client, body)
    # Nothing reached the user, not even the apology: a 2xx would lose the message.
    assert status == 503 and "retry" in str(text)
    assert "Traceback" not in str(text)
    assert any(body["id"] in r.getMessage() for r in caplog.records)

    # Teams retries the same activity once the connector is back: it is answered, not
    # taken for a duplicate (no state was saved for the failed try).
    connector.status = 200
    connector.received.clear()
    status, _ = await post(client, body)
    assert status in (200, 201)
    assert "Beställa intyg och hur lång tid det tar" in "\n".join(visible_text(r) for _, r in connector.received)
    # And a later, unrelated failure-free message is a plain 2xx again.
    status, _ = await post(client, message("hej", service_url=connector.service_url))
    assert status in (200, 201)


async def test_a_reply_cut_off_midway_is_completed_by_the_retry_without_repeats(client, connector):
    # QA pass 31: the connector took the answer card, then failed; Teams' retry of the same
    # id posted the answer card a second time.
    body = message("hur avslutar jag en behörighet i heroma", service_url=connector.service_url)
    connector.fail_after = 1
    status, _ = await post(client, body)
    assert status == 503 and len(connector.received) == 1
    first = visible_text(connector.received[0][1])
    assert "Avsluta en behörighet" in first

    connector.fail_after = None
    connector.received.clear()
    status, _ = await post(client, body)
    assert status in (200, 201)
    rest = [visible_text(r) for _, r in connector.received]
    assert rest and all("Avsluta en behörighet i Heroma – den avslutas inte" not in t for t in rest)
    # the turn ran once: the next retry of that id posts nothing more
    connector.received.clear()
    status, _ = await post(client, body)
    assert status in (200, 201) and connector.received == []


# ------------------------------------------------------------------ authentication


@dataclass
class SigningKey:
    private: rsa.RSAPrivateKey
    network: list[str]  # URLs the validator tried to fetch


@pytest.fixture
def signing_key(monkeypatch) -> SigningKey:
    """A Bot Framework signing key known to the validator, so no key download is needed;
    any attempt to reach the network is recorded and fails."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    jwk.update({"kid": "test-kid", "endorsements": ["msteams"]})
    metadata = extractor._OpenIdMetadata(AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL)
    metadata.keys = [jwk]
    metadata.last_updated = datetime.now()
    monkeypatch.setitem(
        extractor.JwtTokenExtractor.metadataCache,
        AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL,
        metadata,
    )
    network: list[str] = []

    def no_network(url, *args, **kwargs):
        network.append(url)
        raise OSError("no network in tests")

    monkeypatch.setattr(extractor.requests, "get", no_network)
    return SigningKey(key, network)


def token(key: SigningKey | rsa.RSAPrivateKey, service_url: str, **claims) -> str:
    key = key.private if isinstance(key, SigningKey) else key
    now = int(time.time())
    payload = {
        "iss": "https://api.botframework.com",
        "aud": APP_ID,
        "serviceurl": service_url,
        "nbf": now - 10,
        "exp": now + 3600,
        **claims,
    }
    return "Bearer " + jwt.encode(payload, key, algorithm="RS256", headers={"kid": "test-kid"})


@pytest.fixture
async def secured(settings, spy):
    settings = replace(settings, app_id=APP_ID, app_password="not-used-offline")
    async with TestClient(
        TestServer(create_app(settings, assistant=spy, clock=FixedClock(TODAY)))
    ) as test_client:
        yield test_client


async def test_valid_bot_framework_token_is_accepted(secured, signing_key, spy):
    body = expect_replies(message("hej"))
    response = await secured.post(
        "/api/messages", json=body, headers={"Authorization": token(signing_key, body["serviceUrl"])}
    )
    assert response.status == 200
    assert (await response.json())["activities"]
    assert spy.inputs[0].text == "hej"
    assert signing_key.network == []


async def test_missing_token_is_401(secured, spy):
    response = await secured.post("/api/messages", json=expect_replies(message("hej")))
    assert response.status == 401
    assert spy.inputs == []


def _forgeries(key, service_url: str) -> dict[str, str]:
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return {
        "not a JWT": "Bearer abc.def",
        "garbage": "Bearer " + "x" * 40,
        "wrong scheme": token(key, service_url).replace("Bearer", "Basic"),
        "unsigned (alg none)": "Bearer "
        + jwt.encode(
            {"iss": "https://api.botframework.com", "aud": APP_ID, "exp": time.time() + 60}, None, "none"
        ),
        "signed by someone else": token(other_key, service_url),
        "for another bot": token(key, service_url, aud="someone-elses-app"),
        "expired": token(key, service_url, exp=int(time.time()) - 3600),
        "for another service URL": token(key, "https://evil.example/"),
        "foreign issuer": token(key, service_url, iss="https://evil.example"),
    }


async def test_forged_or_malformed_tokens_are_401_without_network(secured, signing_key, spy):
    body = expect_replies(message("hej"))
    for name, header in _forgeries(signing_key, body["serviceUrl"]).items():
        response = await secured.post(
            "/api/messages", json={**body, "id": name}, headers={"Authorization": header}
        )
        assert response.status == 401, name
        assert "Traceback" not in await response.text()
    assert spy.inputs == []
    assert signing_key.network == []


async def test_implausible_tokens_are_401_before_any_key_download(secured, signing_key, monkeypatch):
    # Keys not yet downloaded (a fresh process): botbuilder would fetch them, with blocking
    # calls, for any token whose issuer looks right. These must be refused first.
    stale = extractor._OpenIdMetadata(AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL)
    monkeypatch.setitem(
        extractor.JwtTokenExtractor.metadataCache,
        AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL,
        stale,
    )
    body = expect_replies(message("hej"))
    for name in ("for another bot", "expired", "unsigned (alg none)", "garbage"):
        header = _forgeries(signing_key, body["serviceUrl"])[name]
        response = await secured.post("/api/messages", json=body, headers={"Authorization": header})
        assert response.status == 401, name
    assert signing_key.network == []


async def test_healthz_says_authentication_is_on(secured):
    assert (await (await secured.get("/healthz")).json())["auth"] == "bot-framework"


async def test_anonymous_mode_ignores_an_authorization_header(client, spy):
    status, _ = await post(client, expect_replies(message("hej")))
    response = await client.post(
        "/api/messages", json=expect_replies(message("hej")), headers={"Authorization": "Bearer whatever"}
    )
    assert status == 200 and response.status == 200


# ------------------------------------------------------------------ cost per turn


async def test_connector_clients_are_reused_and_no_user_token_client_is_built(client, connector):
    auth = client.app[AUTH]
    for _ in range(3):
        await post(client, message("hej", service_url=connector.service_url))
    assert len(connector.received) == 3
    assert auth.connector_count() == 1
    assert await auth.create_user_token_client(None) is None


# ------------------------------------------------------------------ run()


def test_run_refuses_a_public_interface_without_credentials(monkeypatch, capsys, settings):
    monkeypatch.setattr(web, "run_app", lambda *a, **k: pytest.fail("must not start"))
    code = run(replace(settings, host="0.0.0.0"))
    err = capsys.readouterr().err
    assert code != 0
    assert "0.0.0.0" in err and "MicrosoftAppId" in err and "BOT_ALLOW_REMOTE" in err
    assert "Traceback" not in err


def test_run_serves_a_public_interface_when_allowed_and_warns(monkeypatch, caplog, settings, spy):
    started = {}
    monkeypatch.setattr(server, "build_assistant", lambda settings, today=None: spy)
    monkeypatch.setattr(web, "run_app", lambda app, host, port: started.update(host=host, port=port))
    with caplog.at_level(logging.WARNING):
        code = run(replace(settings, host="0.0.0.0", allow_remote=True))
    assert code == 0 and started == {"host": "0.0.0.0", "port": settings.port}
    assert any("anonymous local mode" in r.getMessage() for r in caplog.records)


def test_serve_with_bad_content_prints_file_and_line_and_exits_nonzero(monkeypatch, capsys):
    def broken(settings, today=None):
        raise ContentInvalid([ContentError("knowledge/entries/lon.yaml", 12, "posten saknar 'answer'")])

    monkeypatch.setattr(server, "build_assistant", broken)
    monkeypatch.setattr(web, "run_app", lambda *a, **k: pytest.fail("must not start"))
    code = cli.main(["serve", "--host", "127.0.0.1"])
    err = capsys.readouterr().err
    assert code != 0
    assert "knowledge/entries/lon.yaml:12: fel: posten saknar 'answer'" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        ({"app_password": ""}, "MicrosoftAppPassword"),
        ({"app_type": "SingleTenant"}, "MicrosoftAppTenantId"),
        ({"app_type": "Tenantless"}, "MicrosoftAppType"),
    ],
)
def test_run_refuses_incomplete_credentials(monkeypatch, capsys, settings, changes, needle):
    monkeypatch.setattr(web, "run_app", lambda *a, **k: pytest.fail("must not start"))
    settings = replace(settings, **{"app_id": APP_ID, "app_password": "secret", **changes})
    assert run(settings) != 0
    assert needle in capsys.readouterr().err


def test_run_reports_a_busy_port_without_traceback(monkeypatch, capsys, settings, spy):
    def busy(*args, **kwargs):
        raise OSError(98, "Address already in use")

    monkeypatch.setattr(server, "build_assistant", lambda settings, today=None: spy)
    monkeypatch.setattr(web, "run_app", busy)
    assert run(settings) == 1
    assert "Address already in use" in capsys.readouterr().err


# ------------------------------------------------------------------ the real process


def _serve(port: int, **env: str) -> subprocess.Popen:
    environ = {
        **os.environ,
        "BOT_STATE_PATH": "memory",
        "BOT_ANALYTICS_PATH": "none",
        "PORT": str(port),
        **env,
    }
    environ.pop("MicrosoftAppId", None)
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "serve"],
        cwd=Path(__file__).resolve().parent.parent,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_python_m_bot_serve_answers_healthz_and_stops_cleanly():
    port = _free_port()
    process = _serve(port)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                    health = json.load(response)
                break
            except OSError:
                assert process.poll() is None, process.communicate()[1]
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        assert health["status"] == "ok" and health["entries"] > 0
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "anonymous local mode" in err and "Traceback" not in err


def test_python_m_bot_serve_refuses_all_interfaces_without_credentials():
    process = _serve(_free_port(), HOST="0.0.0.0")
    _, err = process.communicate(timeout=60)
    assert process.returncode != 0
    assert "0.0.0.0" in err and "Traceback" not in err
