"""Reply → Bot Framework activities: one activity per Message.

A Message with something to press or a structure worth showing (bot.cards decides)
goes out as an Adaptive Card *alone*: Teams shows an activity's text AND its card when
both are set, which would print every answer twice. The card activity gets a
``summary`` (title or first line) because Teams uses it for notifications and the chat
list preview of a card-only message. Everything else is one markdown text activity.
"""

from __future__ import annotations

import re

from botbuilder.schema import Activity, ActivityTypes, Attachment, TextFormatTypes

from bot.cards import CONTENT_TYPE, CardTexts, message_card
from bot.render import render_message_text
from bot.reply import Message, Reply

SUMMARY_CHARS = 120

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[*_`#>]+")


def reply_activities(reply: Reply, texts: CardTexts, numbered: bool = True) -> list[Activity]:
    """Every message of the reply as an activity, in order (empty for an ignored turn).

    ``numbered``: the buttons show the numbers the turn logic reads as typed presses,
    counted over the whole reply. Off for the welcome, which is sent outside any user's
    turn, so no typed number refers to its buttons."""
    activities = []
    number = 1
    for message in reply.messages:
        activities.append(message_activity(message, texts, number if numbered else None))
        number += len(message.choices) + len(message.follow_ups)
    return activities


def message_activity(message: Message, texts: CardTexts, first_number: int | None = None) -> Activity:
    card = message_card(message, texts, first_number)
    if card is None:
        return text_activity(render_message_text(message, first_number or 1))
    return Activity(
        type=ActivityTypes.message,
        summary=summary_of(message),
        attachments=[Attachment(content_type=CONTENT_TYPE, content=card)],
    )


def text_activity(text: str) -> Activity:
    """A plain markdown message (also used for the apology when a turn fails)."""
    return Activity(type=ActivityTypes.message, text=text, text_format=TextFormatTypes.markdown)


def summary_of(message: Message) -> str:
    """A one-line plain-text preview: the title, else the first non-empty line of the text."""
    candidates = [message.title or "", *message.text.splitlines(), message.all_text()]
    for candidate in candidates:
        line = " ".join(_MARKUP.sub("", _LINK.sub(r"\1", candidate)).split())
        if line:
            return line if len(line) <= SUMMARY_CHARS else line[: SUMMARY_CHARS - 1].rstrip() + "…"
    return ""
