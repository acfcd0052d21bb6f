"""Replies as plain text: the CLI, the console chat and channels without cards.

Buttons become numbered lines. The numbering is shared with the console chat (typing
the number presses the button) and matches what the turn logic accepts as typed numbers.
Numbers run in reading order, top to bottom: each message's choices, then its follow-up
questions, then the next message's.
"""

from __future__ import annotations

from bot.reply import Choice, Message, Reply


def numbered_buttons(reply: Reply) -> list[Choice]:
    """Every button of a reply in the order the text numbers them (reading order)."""
    return [c for m in reply.messages for c in [*m.choices, *m.follow_ups]]


def _numbered(choices: list[Choice], first: int) -> list[str]:
    return [f"{first + i}. {choice.title}" for i, choice in enumerate(choices)]


def render_message_text(message: Message, first_choice: int = 1, follow_ups_heading: str = "") -> str:
    """One message as text; choices numbered from ``first_choice``, follow-ups after them."""
    first_follow_up = first_choice + len(message.choices)
    parts = [f"**{message.title}**" if message.title else "", message.warning or "", message.text]
    parts.append("\n".join(_numbered(message.choices, first_choice)))
    if message.follow_ups:
        heading = [follow_ups_heading] if follow_ups_heading else []
        parts.append("\n".join(heading + _numbered(message.follow_ups, first_follow_up)))
    parts += [_italic(message.fine_print), _italic(message.source)]
    return "\n\n".join(p for p in parts if p)


def _italic(text: str | None) -> str:
    """Each line in italics on its own: markdown emphasis does not run across a line break
    (two sources would show bare underscores)."""
    return "\n".join(f"_{line}_" for line in (text or "").splitlines() if line.strip())


def render_text(reply: Reply, follow_ups_heading: str = "") -> str:
    """A whole reply as text, its buttons numbered in reading order (`numbered_buttons`)."""
    next_number = 1
    blocks = []
    for message in reply.messages:
        blocks.append(render_message_text(message, next_number, follow_ups_heading))
        next_number += len(message.choices) + len(message.follow_ups)
    return "\n\n".join(b for b in blocks if b)
