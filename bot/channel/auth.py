"""Bot Framework authentication for the CloudAdapter, with three fixes for botbuilder 4.17.1.

1. **Cost.** The stock authentication builds a new ``ConnectorClient`` and a new
   ``UserTokenClient`` on every turn; constructing their msrest ``Configuration`` is
   about 75 % of an echo bot's CPU per turn. Here connector clients are reused per
   (app id, service URL, audience), and no user-token client is built: this bot has
   no sign-in, so nothing ever reads it (the turn state holds ``None``).
2. **Rejection without the network.** botbuilder validates a token's signature with
   keys it downloads with blocking ``requests`` calls (no timeout) from inside async
   code, and answers malformed tokens with arbitrary exceptions (HTTP 500). A cheap
   offline check first rejects anything that is not a well-formed, unexpired RS256
   JWT naming this bot's app id; only plausible tokens reach botbuilder, on a worker
   thread so a key download never stalls other users' turns. Every failure becomes
   ``PermissionError`` (HTTP 401).
3. **Anonymous local mode.** Without an app id no token is required and any
   Authorization header is ignored (botbuilder would otherwise try to validate it).
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from types import SimpleNamespace

import jwt
from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    ClaimsIdentity,
    ConnectorFactory,
)

from bot.settings import Settings

MAX_CLIENTS = 32  # distinct service URLs are few (one per Teams region); bound it anyway
CLOCK_SKEW_SECONDS = 300  # the leeway botbuilder itself allows


def azure_configuration(settings: Settings) -> SimpleNamespace:
    """The attribute names botbuilder's configuration classes read, from our settings."""
    return SimpleNamespace(
        APP_ID=settings.app_id,
        APP_PASSWORD=settings.app_password,
        APP_TYPE=settings.app_type,
        APP_TENANTID=settings.tenant_id,
    )


def check_token_shape(auth_header: str, app_id: str, now: float | None = None) -> None:
    """Reject, without any network call, a header that cannot carry a valid token for us.

    Signature, issuer and endorsements are left to botbuilder; this only stops garbage,
    expired tokens and tokens issued for another bot before keys would be fetched.
    """
    scheme, _, token = (auth_header or "").partition(" ")
    if scheme != "Bearer" or not token:
        raise PermissionError("missing bearer token")
    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise PermissionError(f"malformed token: {exc}") from None
    if header.get("alg") not in AuthenticationConstants.ALLOWED_SIGNING_ALGORITHMS:
        raise PermissionError("token signing algorithm not allowed")
    expires = claims.get("exp")
    if not isinstance(expires, (int, float)) or expires + CLOCK_SKEW_SECONDS < (now or time.time()):
        raise PermissionError("token expired or without expiry")
    # Channel tokens name the bot in "aud"; Emulator tokens in "appid" (v1) or "azp" (v2).
    if app_id not in (claims.get("aud"), claims.get("appid"), claims.get("azp")):
        raise PermissionError("token issued for another app id")


class BotAuthentication(ConfigurationBotFrameworkAuthentication):
    """ConfigurationBotFrameworkAuthentication with reused connectors and safe token checks."""

    def __init__(self, settings: Settings):
        super().__init__(azure_configuration(settings))
        self.app_id = settings.app_id
        self._clients: OrderedDict[tuple, ConnectorClient] = OrderedDict()

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        if not self.app_id:
            result = await super().authenticate_request(activity, "")
        else:
            check_token_shape(auth_header, self.app_id)
            validate = super().authenticate_request(activity, auth_header)
            try:
                result = await asyncio.to_thread(asyncio.run, validate)
            except Exception as exc:  # botbuilder raises anything from PermissionError to IndexError
                raise PermissionError(f"token rejected: {exc!r}") from None
        result.connector_factory = ReusingConnectorFactory(
            result.connector_factory, self._clients, _app_id_of(result.claims_identity)
        )
        return result

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return ReusingConnectorFactory(
            super().create_connector_factory(claims_identity), self._clients, _app_id_of(claims_identity)
        )

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> None:
        return None  # no sign-in in this bot; building one costs more than the whole turn

    def connector_count(self) -> int:
        return len(self._clients)


class ReusingConnectorFactory(ConnectorFactory):
    """Hands out one ConnectorClient per (app id, service URL, audience), made by botbuilder's factory."""

    def __init__(
        self, inner: ConnectorFactory, clients: OrderedDict[tuple, ConnectorClient], app_id: str | None
    ):
        self._inner = inner
        self._clients = clients
        self._app_id = app_id

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        key = (self._app_id, service_url, audience)
        client = self._clients.get(key)
        if client is None:
            client = await self._inner.create(service_url, audience)
            self._clients[key] = client
            if len(self._clients) > MAX_CLIENTS:
                self._clients.popitem(last=False)
        else:
            self._clients.move_to_end(key)
        return client


def _app_id_of(claims: ClaimsIdentity | None) -> str | None:
    """The bot's app id as botbuilder derives it: "aud" for channel tokens, else "appid"."""
    if claims is None:
        return None
    return claims.get_claim_value(AuthenticationConstants.AUDIENCE_CLAIM) or claims.get_claim_value(
        AuthenticationConstants.APP_ID_CLAIM
    )
