"""The reply model: what the turn logic returns and every renderer (cards, text) reads.

Kept free of botbuilder so the CLI, tests and a future Agents SDK port share it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STATUS_ANSWER = "answer"
STATUS_CLARIFY = "clarify"
STATUS_FALLBACK = "fallback"
STATUS_DIALOG = "dialog"
STATUS_COMMAND = "command"
STATUS_WELCOME = "welcome"
STATUS_IGNORED = "ignored"


@dataclass
class Choice:
    """A button on a card; also shown numbered in text so typing the number chooses it."""

    title: str
    value: dict[str, Any]


@dataclass
class Message:
    """One bubble in the conversation."""

    text: str = ""
    title: str | None = None
    source: str | None = None
    warning: str | None = None
    fine_print: str | None = None
    choices: list[Choice] = field(default_factory=list)
    follow_ups: list[Choice] = field(default_factory=list)
    feedback_entry: str | None = None

    def all_text(self) -> str:
        """Every string a user would see in this message, in reading order."""
        parts = [self.title, self.warning, self.text, self.fine_print, self.source]
        parts += [c.title for c in self.choices] + [c.title for c in self.follow_ups]
        return "\n".join(p for p in parts if p)


@dataclass
class Reply:
    """The outcome of one turn: messages plus the facts `ask --json` reports."""

    messages: list[Message] = field(default_factory=list)
    status: str = STATUS_ANSWER
    entry: str | None = None
    score: float = 0.0
    suggestions: list[str] = field(default_factory=list)

    def all_text(self) -> str:
        return "\n".join(m.all_text() for m in self.messages)

    def choices(self) -> list[Choice]:
        """All choices of the reply in display order (what a typed number refers to)."""
        return [c for m in self.messages for c in m.choices]
