"""The one place that reads the system clock, so every date-aware answer is testable.

Anything that needs "today" takes a ``Clock`` (or a ``date``) instead of calling
``date.today()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


class Clock:
    """Today's date and the current time in Europe/Stockholm."""

    def today(self) -> date:
        return datetime.now(STOCKHOLM).date()

    def now(self) -> datetime:
        return datetime.now(STOCKHOLM)


@dataclass
class FixedClock(Clock):
    """A clock pinned to one date (``ask --today``, ``BOT_TODAY``, tests)."""

    fixed: date

    def today(self) -> date:
        return self.fixed

    def now(self) -> datetime:
        return datetime.combine(self.fixed, datetime.now(STOCKHOLM).time(), STOCKHOLM)


def clock_for(today: str | None) -> Clock:
    """A fixed clock for an ISO date string, else the real one."""
    return FixedClock(date.fromisoformat(today)) if today else Clock()
