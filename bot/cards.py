"""Message → Adaptive Card JSON, the way Teams shows an answer.

Teams renders Adaptive Cards up to version 1.5, so nothing newer is used. Buttons are
plain ``Action.Submit`` with the Choice's payload as ``data``: Teams delivers it as the
activity's ``value`` (no text), which the turn logic reads as a ``TurnInput.value``.

The card code holds no user-facing sentences. Everything a user reads comes from the
Message or from ``CardTexts`` (loaded by the caller from knowledge/messages.yaml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from bot.reply import Choice, Message

CARD_VERSION = "1.5"  # the newest version Teams renders
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
MAX_FOLLOW_UPS = 3
# Button titles never wrap: Teams (and the Playground) cut them off with "…" at roughly
# this many characters on a narrow screen. Longer titles go on wrapping, tappable rows.
MAX_BUTTON_TITLE = 30

_LIST_ITEM = re.compile(r"^(?:[-*+]|\d{1,2}[.)])\s")


@dataclass(frozen=True)
class CardTexts:
    """Labels the card puts around a Message. Defaults are symbols, not words; the caller
    passes the Swedish headings from messages.yaml."""

    feedback_up: str = "👍"
    feedback_down: str = "👎"
    feedback_prompt: str | None = None  # e.g. "Fick du svar på din fråga?"
    follow_ups_heading: str | None = None  # e.g. "Du kanske också undrar"


def needs_card(message: Message) -> bool:
    """A message that is only text goes out as text: it reads better and costs less."""
    return bool(
        message.title
        or message.warning
        or message.fine_print
        or message.source
        or message.choices
        or message.follow_ups
        or message.feedback_entry
    )


def message_card(
    message: Message, texts: CardTexts | None = None, first_number: int | None = None
) -> dict[str, Any] | None:
    """The Adaptive Card for one Message, or None when plain text says it all.

    With ``first_number`` the buttons carry the numbers a user may type instead of
    pressing them ("1. …"), counted in reading order over the whole reply as in text
    (bot.render), because the texts say "skriv numret"."""
    if not needs_card(message):
        return None
    if first_number is not None:
        message = _numbered(message, first_number)
    texts = texts or CardTexts()
    body: list[dict[str, Any]] = []
    if message.title:
        body.append(_text(message.title, size="Medium", weight="Bolder", style="heading"))
    if message.warning:
        body.append(_text(message.warning, color="Attention", weight="Bolder"))
    body += [_text(p) for p in _paragraphs(message.text)]
    if message.fine_print:
        body.append(_text(message.fine_print, size="Small", isSubtle=True))
    if message.source:
        body.append(_text(message.source, size="Small", isSubtle=True))
    body += _options(message.choices)
    follow_ups = message.follow_ups[:MAX_FOLLOW_UPS]
    if follow_ups:
        if texts.follow_ups_heading:
            body.append(_text(texts.follow_ups_heading, weight="Bolder", separator=True, spacing="Medium"))
        body += _options(follow_ups)
    if message.feedback_entry:
        if texts.feedback_prompt:
            body.append(_text(texts.feedback_prompt, size="Small", isSubtle=True, separator=True))
        votes = [
            Choice(texts.feedback_up, feedback_value(message.feedback_entry, "up")),
            Choice(texts.feedback_down, feedback_value(message.feedback_entry, "down")),
        ]
        body.append(_button_row(votes))
    return {
        "type": "AdaptiveCard",
        "$schema": CARD_SCHEMA,
        "version": CARD_VERSION,
        "body": body,
        "msteams": {"width": "Full"},
    }


def _numbered(message: Message, first: int) -> Message:
    titled = [replace(c, title=f"{first + i}. {c.title}") for i, c in enumerate([*message.choices, *message.follow_ups])]
    cut = len(message.choices)
    return replace(message, choices=titled[:cut], follow_ups=titled[cut:])


def attachment(card: dict[str, Any]) -> dict[str, Any]:
    """The activity attachment that carries a card."""
    return {"contentType": CONTENT_TYPE, "content": card}


def feedback_value(entry: str, vote: str) -> dict[str, str]:
    """The submit payload of a 👍/👎 button (see docs/architecture.md)."""
    return {"action": "feedback", "entry": entry, "vote": vote}


def submit_actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Every Action.Submit in a card, in display order (tests and the screenshot script use it)."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.Submit":
                found.append(node)
            for key in ("body", "items", "actions", "columns", "selectAction"):
                walk(node.get(key))
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return found


def _paragraphs(text: str) -> list[str]:
    """Each line becomes its own TextBlock, and each run of list items one more.

    Card markdown is CommonMark: a single newline inside a paragraph is a soft break and
    renders as a space, so lines written one under the other would run together. Lists
    keep their newlines, which Teams renders as list items.
    """
    blocks: list[str] = []
    items: list[str] = []
    for line in (text or "").splitlines():
        stripped = line.strip()
        if stripped and (_LIST_ITEM.match(stripped) or (items and line[:1].isspace())):
            items.append(line.rstrip())
            continue
        if items:
            blocks.append("\n".join(items))
            items = []
        if stripped:
            blocks.append(stripped)
    if items:
        blocks.append("\n".join(items))
    return blocks


def _text(text: str, **props: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **props}


def _submit(choice: Choice) -> dict[str, Any]:
    return {"type": "Action.Submit", "title": choice.title, "data": dict(choice.value)}


def _button_row(choices: list[Choice]) -> dict[str, Any]:
    return {"type": "ActionSet", "actions": [_submit(c) for c in choices]}


def _options(choices: list[Choice]) -> list[dict[str, Any]]:
    """A group of choices: buttons, one per row, when every title fits on a button;
    otherwise tappable rows whose text wraps, so no title is ever cut off. The whole
    group gets one style so it reads as one list."""
    if all(len(c.title) <= MAX_BUTTON_TITLE for c in choices):
        return [_button_row([c]) for c in choices]
    return [_tappable_row(c) for c in choices]


def _tappable_row(choice: Choice) -> dict[str, Any]:
    """A shaded row that acts like a button (Container selectAction) but wraps its text."""
    return {
        "type": "Container",
        "style": "emphasis",
        "spacing": "Small",
        "selectAction": _submit(choice),
        "items": [_text(choice.title, color="Accent", weight="Bolder")],
    }
