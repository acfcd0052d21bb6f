"""The Teams activity handler: activities in, TurnInput to the Assistant, activities out.

What it does and why:
- **Own mention only.** In group chats and channels Teams puts ``<at>Bot</at>`` in the
  text. We remove exactly the bot's own mention entities' text. botbuilder's
  ``TurnContext.remove_recipient_mention`` is not used: it deletes the bot's bare *name*
  as a regex everywhere in the text (a question containing "Löneservice" loses that
  word) and fails on names with regex characters. Other people's mentions stay, as
  their plain names (``<at>Anna</at>`` → ``Anna``), so the sentence still reads right.
- **Per-user state** under ``{channelId}/{conversationId}/{userId}``: two people in one
  group chat never share a dialog. The dict is the Assistant's; it is stored wrapped as
  ``{"state": ...}`` and never looked into. Turns of one key run one at a time (an
  asyncio lock per key), so a double-click can't interleave two read-modify-writes.
  State is saved after the replies went out: if sending fails, the retry starts from
  the old state instead of finding the step already taken. For ``expectReplies`` (the
  replies travel in the HTTP response) the last turn's replies are kept with the state,
  so a retry of a request whose response was lost gets them again.
- **Welcome once per installation.** Teams sends an ``installationUpdate`` (add) and a
  ``conversationUpdate`` with the bot in ``membersAdded`` for the same install, in
  either order. Whichever comes first welcomes and leaves a marker for the
  conversation; the second sees it. Removal (``installationUpdate`` remove, or the bot in
  ``membersRemoved``) clears the marker, so a reinstall welcomes again. App upgrades
  (``add-upgrade``) and other members joining never welcome. No member look-ups are made
  (botbuilder's Teams dispatch calls the connector for every joining person).
- **Failures** are logged with the activity id; a user who wrote a message gets the
  apology text from the content (``error_apology``), never a stack trace. When not even
  the apology could be sent (the connector is down), the id goes to ``undelivered`` and
  the endpoint answers 503 so that Teams retries the message. When the connector took
  part of a reply before failing, the turn's state is kept with the undelivered rest
  (``pending``), and the retry of that id sends only the rest.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from botbuilder.core import InvokeResponse, Storage, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import Activity, ActivityTypes, DeliveryModes

from bot.channel.render import reply_activities, text_activity
from bot.clock import Clock
from bot.reply import STATUS_IGNORED
from bot.turn import Assistant, TurnInput

log = logging.getLogger(__name__)

HANDLED_TYPES = frozenset(
    {
        ActivityTypes.message,
        ActivityTypes.conversation_update,
        ActivityTypes.installation_update,
        ActivityTypes.invoke,
    }
)
WELCOMED_SUFFIX = "#welcomed"  # no Teams user id starts with '#', so it can't collide
_OTHER_MENTION = re.compile(r"<at[^>]*>(.*?)</at>", re.IGNORECASE | re.DOTALL)
# Formatted messages arrive as HTML ("<p>hur får jag ett <b>intyg</b>?</p>"): the tags are
# markup, not words. Only tag-shaped text counts ("<3" and "a < b" stay).
_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")


class KeyedLocks:
    """One asyncio.Lock per key, dropped again when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: dict[str, int] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key]
                del self._locks[key]

    def __len__(self) -> int:
        return len(self._locks)


def state_key(activity: Activity) -> str:
    """Per user within a conversation: ``{channelId}/{conversationId}/{userId}``."""
    return f"{activity.channel_id}/{activity.conversation.id}/{activity.from_property.id}"


def is_shared(activity: Activity) -> bool:
    """A group chat or a channel, where only messages that @mention the bot reach it."""
    kind = activity.conversation.conversation_type if activity.conversation else None
    return kind in ("groupChat", "channel")


def welcome_key(activity: Activity) -> str:
    return f"{activity.channel_id}/{activity.conversation.id}/{WELCOMED_SUFFIX}"


def user_text(activity: Activity) -> str | None:
    """The message text without the bot's own @mention; None when nothing is left."""
    text = activity.text or ""
    own_id = activity.recipient.id if activity.recipient else None
    for entity in activity.entities or []:
        if (entity.type or "").lower() != "mention":
            continue
        props = entity.additional_properties or {}
        mentioned = props.get("mentioned")
        if own_id is None or not isinstance(mentioned, dict) or mentioned.get("id") != own_id:
            continue
        tag = props.get("text")
        if not isinstance(tag, str) or not tag:
            tag = f"<at>{mentioned.get('name', '')}</at>"
        text = text.replace(tag, " ", 1)
    text = _HTML_TAG.sub(" ", _OTHER_MENTION.sub(r"\1", text))
    text = " ".join(html.unescape(text).split())  # Teams sends &nbsp; and friends
    return text or None


class AssistantBot(TeamsActivityHandler):
    """Connects Teams activities to the Assistant (plain Python, no botbuilder inside)."""

    def __init__(self, assistant: Assistant, storage: Storage, clock: Clock):
        self.assistant = assistant
        self.storage = storage
        self.clock = clock
        self.locks = KeyedLocks()
        self.card_texts = assistant.card_texts()
        # Messages whose turn failed and whose apology could not be sent either: the user
        # got nothing, so the endpoint asks Teams to retry (the state was not saved, so the
        # retry runs the turn afresh instead of being taken for a duplicate).
        self.undelivered: set[str] = set()

    # ---------------------------------------------------------------- messages

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        value = activity.value if isinstance(activity.value, dict) else None
        key = state_key(activity)
        async with self.locks.hold(key):
            stored = (await self.storage.read([key])).get(key) or {}
            state = stored.get("state") if isinstance(stored.get("state"), dict) else {}
            turn = TurnInput(
                text=user_text(activity),
                value=value,
                today=self.clock.today(),
                now=self.clock.now(),
                activity_id=activity.id,
                shared=is_shared(activity),
            )
            result = self.assistant.handle(turn, state)
            activities = reply_activities(result.reply, self.card_texts)
            expect_replies = activity.delivery_mode == DeliveryModes.expect_replies
            last = stored.get("last") if isinstance(stored.get("last"), dict) else {}
            pending = stored.get("pending") if isinstance(stored.get("pending"), dict) else {}
            retried = result.reply.status == STATUS_IGNORED and bool(activity.id)
            if retried and expect_replies and last.get("id") == activity.id:
                # A retry of a request whose response (carrying the replies) was lost: the
                # same replies again; the turn itself does not run twice.
                activities = [Activity().deserialize(a) for a in last.get("replies") or [] if isinstance(a, dict)]
            elif retried and pending.get("id") == activity.id:
                # A retry after the connector took only part of the reply: the rest, once.
                activities = [Activity().deserialize(a) for a in pending.get("replies") or [] if isinstance(a, dict)]
            record: dict = {"state": result.state}
            if expect_replies and result.reply.status != STATUS_IGNORED:
                record["last"] = {"id": activity.id, "replies": [a.serialize() for a in activities]}
            elif last:
                record["last"] = last
            sent = 0
            try:
                for reply_activity in activities:  # one by one: a failure knows what was delivered
                    await turn_context.send_activities([reply_activity])
                    sent += 1
            except Exception:
                if sent and activity.id:
                    # Part of the reply reached the user: keep the turn (its state) and the
                    # rest, so Teams' retry of this id sends only what is missing.
                    record["pending"] = {"id": activity.id, "replies": [a.serialize() for a in activities[sent:]]}
                    await self.storage.write({key: record})
                raise
            await self.storage.write({key: record})

    # ---------------------------------------------------------------- welcome

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        own_id = activity.recipient.id if activity.recipient else None
        if own_id is None:
            return
        if any(member.id == own_id for member in activity.members_added or []):
            await self._welcome(turn_context)
        elif any(member.id == own_id for member in activity.members_removed or []):
            await self._forget_welcome(turn_context)

    async def on_installation_update(self, turn_context: TurnContext) -> None:
        action = turn_context.activity.action
        if action == "add":
            await self._welcome(turn_context)
        elif action == "remove":
            await self._forget_welcome(turn_context)

    async def _welcome(self, turn_context: TurnContext) -> None:
        key = welcome_key(turn_context.activity)
        async with self.locks.hold(key):
            if key in await self.storage.read([key]):
                return
            welcome = self.assistant.welcome(shared=is_shared(turn_context.activity))
            activities = reply_activities(welcome, self.card_texts, numbered=False)
            if activities:
                await turn_context.send_activities(activities)
            await self.storage.write({key: {"at": self.clock.now().isoformat(timespec="seconds")}})

    async def _forget_welcome(self, turn_context: TurnContext) -> None:
        key = welcome_key(turn_context.activity)
        async with self.locks.hold(key):
            await self.storage.delete([key])

    # ---------------------------------------------------------------- dispatch

    async def on_turn(self, turn_context: TurnContext) -> None:
        """Only the activity types this bot acts on reach botbuilder's dispatch.

        For the others (message edits and deletes, reactions, meeting and read-receipt
        events, …) TeamsActivityHandler parses channelData or value into its models and
        fails on malformed ones: a logged turn failure for an activity the bot ignores anyway.
        """
        if turn_context.activity.type in HANDLED_TYPES:
            await super().on_turn(turn_context)

    # ---------------------------------------------------------------- invokes

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        """This bot offers no invokes (task modules, message extensions, Action.Execute, sign-in).

        botbuilder answers each with 501, or fails on a malformed value, also ending in 501:
        a 5xx reads as an outage in Teams and in monitoring. Say "not supported" as a client
        error instead, without running botbuilder's dispatch on the value.
        """
        return InvokeResponse(status=400, body={"error": "this bot does not handle invoke activities"})

    # ---------------------------------------------------------------- failures

    async def on_turn_error(self, turn_context: TurnContext, error: Exception) -> None:
        """Adapter hook for any exception in a turn: log it, apologise to a user who wrote."""
        activity = turn_context.activity
        log.error(
            "turn failed: activity id=%s type=%s channel=%s",
            activity.id,
            activity.type,
            activity.channel_id,
            exc_info=error,
        )
        if activity.type != ActivityTypes.message:
            return
        try:
            apology = self.assistant.error_reply().all_text()
            await turn_context.send_activity(text_activity(apology))
        except Exception:
            log.exception("could not send the apology for activity id=%s", activity.id)
            if activity.id:
                self.undelivered.add(activity.id)
