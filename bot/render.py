"""Replies as plain text: the CLI, the console chat and channels without cards.

Buttons become numbered lines. The numbering is shared with the console chat (typing
the number presses the button) and matches what the turn logic accepts as typed numbers:
a reply's choices come first, then its follow-up questions.
"""

from __future__ import annotations

from bot.reply import Choice, Message, Reply


def numbered_buttons(reply: Reply) -> list[Choice]:
    """Every button of a reply in the order the text numbers them."""
    return reply.choices() + [c for m in reply.messages for c in m.follow_ups]


def _numbered(choices: list[Choice], first: int) -> list[str]:
    return [f"{first + i}. {choice.title}" for i, choice in enumerate(choices)]


def render_message_text(
    message: Message, first_choice: int = 1, first_follow_up: int | None = None, follow_ups_heading: str = ""
) -> str:
    """One message as text; choices numbered from ``first_choice``, follow-ups after them."""
    if first_follow_up is None:
        first_follow_up = first_choice + len(message.choices)
    parts = [f"**{message.title}**" if message.title else "", message.warning or "", message.text]
    parts.append("\n".join(_numbered(message.choices, first_choice)))
    if message.follow_ups:
        heading = [follow_ups_heading] if follow_ups_heading else []
        parts.append("\n".join(heading + _numbered(message.follow_ups, first_follow_up)))
    parts += [f"_{message.fine_print}_" if message.fine_print else "", f"_{message.source}_" if message.source else ""]
    return "\n\n".join(p for p in parts if p)


def render_text(reply: Reply, follow_ups_heading: str = "") -> str:
    """A whole reply as text, numbering all choices first and follow-ups after them."""
    next_choice = 1
    next_follow_up = 1 + len(reply.choices())
    blocks = []
    for message in reply.messages:
        blocks.append(render_message_text(message, next_choice, next_follow_up, follow_ups_heading))
        next_choice += len(message.choices)
        next_follow_up += len(message.follow_ups)
    return "\n\n".join(b for b in blocks if b)
