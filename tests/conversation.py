"""Conversation tests read like transcripts: ``chat.say("…")`` returns the bot's reply.

``Conversation`` drives the real turn logic (``Assistant.handle``) with one user's state,
a pinned date and a clock that can be moved, exactly as the channel layer does per turn.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from bot.clock import STOCKHOLM
from bot.reply import Reply
from bot.settings import Settings
from bot.turn import Assistant, TurnInput, build_assistant

TODAY = date(2026, 11, 23)
_ids = itertools.count(1)


@lru_cache(maxsize=1)
def real_assistant() -> Assistant:
    """The bot with the real knowledge/ and dialogs/ (loaded once per test session)."""
    return build_assistant(replace(Settings(), state_path=None, analytics_path=None), TODAY)


@dataclass
class Conversation:
    assistant: Assistant = field(default_factory=real_assistant)
    today: date = TODAY
    now: datetime | None = None
    state: dict[str, Any] = field(default_factory=dict)
    last: Reply | None = None

    def __post_init__(self) -> None:
        if self.now is None:
            self.now = datetime.combine(self.today, time(9, 0), STOCKHOLM)

    def _turn(self, text: str | None, value: dict[str, Any] | None, activity_id: str | None) -> Reply:
        inp = TurnInput(text, value, self.today, self.now, activity_id or f"act-{next(_ids)}")
        result = self.assistant.handle(inp, self.state)
        self.state = result.state
        self.last = result.reply
        return result.reply

    def say(self, text: str, activity_id: str | None = None) -> Reply:
        return self._turn(text, None, activity_id)

    def submit(self, value: dict[str, Any], activity_id: str | None = None) -> Reply:
        return self._turn(None, value, activity_id)

    def press(self, title_part: str) -> Reply:
        """Press the button of the last reply whose title contains ``title_part``."""
        assert self.last is not None, "nothing to press yet"
        buttons = [c for m in self.last.messages for c in (*m.choices, *m.follow_ups)]
        matches = [c for c in buttons if title_part.lower() in c.title.lower()]
        assert matches, f"no button with {title_part!r}; buttons: {[c.title for c in buttons]}"
        return self.submit(matches[0].value)

    def wait(self, minutes: int) -> None:
        assert self.now is not None
        self.now += timedelta(minutes=minutes)


def text_of(reply: Reply) -> str:
    return reply.all_text()
