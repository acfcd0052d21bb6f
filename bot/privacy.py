"""Redaction of personal data before anything a user typed is stored.

Users paste personnummer, phone numbers and e-mail addresses into questions, and introduce themselves ("min lön för 850312-1234
stämmer inte"). The analytics store keeps the wording of unanswered questions so the
knowledge base can grow, but never those identifiers. We redact generously: a ten-digit
phone number that happens to look like a date of birth is redacted too, which costs
nothing, while a personnummer that slips through is a data leak.
"""

from __future__ import annotations

import calendar
import re

PERSONNUMMER_MARK = "[personnummer]"
EMAIL_MARK = "[e-post]"
NAME_MARK = "[namn]"

# "jag heter Anna Svensson", "my name is Anna": the name after a self-introduction (up to
# three words). Matching drops the whole phrase; stored text keeps the phrase, not the name.
SELF_INTRODUCTION = re.compile(
    r"\b(?P<lead>(?i:jag heter|mitt namn är|my name is|i am called))\s+"
    r"(?P<name>[^\W\d_][\w'’-]*(?:\s+[A-ZÅÄÖÉ][\w'’-]*){0,2})"  # then only capitalised words
)

# Date of birth (6 or 8 digits), an optional separator (- or +, or a space as people
# type it), and four final digits. Not part of a longer run of digits.
_PNR = re.compile(
    r"(?<![\d])"
    r"(?P<century>(?:18|19|20))?(?P<yy>\d{2})(?P<mm>\d{2})(?P<dd>\d{2})"
    r"(?P<sep>[-+ ]?)"
    r"(?P<last>\d{4})"
    r"(?![\d])"
)

# A Swedish phone number as people write it: "033-616 10 00", "070-123 45 67", "+46 70 123 45 67".
_PHONE = re.compile(r"(?<![\w+])(?:\+46[\s-]?|0)\d{1,3}[\s-]?\d{2,3}(?:[\s-]?\d{2}){2,3}(?![\d])")
PHONE_MARK = "[telefon]"

# A sign-off and the signature after it ("Med vänliga hälsningar Karin … Tel …"): no question.
# It opens the message or follows the end of a sentence, a comma or a line break.
_SIGN_OFF = re.compile(
    r"(?P<end>\A|[\n,.!?])\s*(?:(?i:med\s+vänlig(?:a)?\s+hälsning(?:ar)?|vänlig(?:a)?\s+hälsning(?:ar)?|mvh|"
    r"hälsningar|best\s+regards|kind\s+regards|regards)\b|/(?=[^\W\d_])).*\Z",  # "/Maria" signs off too
    re.DOTALL,
)

# Deliberately broad: anything shaped like local@domain.tld, Unicode letters included.
_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}", re.UNICODE)


def _plausible_birth_date(century: str | None, yy: str, mm: str, dd: str) -> bool:
    """True when MM/DD is a real calendar day; day + 60 is a samordningsnummer."""
    month, day = int(mm), int(dd)
    if not 1 <= month <= 12:
        return False
    if day > 60:
        day -= 60  # samordningsnummer: day of birth plus 60
    # Without a century the year is ambiguous: accept 29 February in any year.
    year = int(century + yy) if century else 2000
    return 1 <= day <= calendar.monthrange(year, month)[1]


def _is_pnr(match: re.Match[str]) -> bool:
    """Whether a run of digits shaped like a personnummer holds a real date of birth."""
    return _plausible_birth_date(match["century"], match["yy"], match["mm"], match["dd"])


def _replace_pnr(match: re.Match[str]) -> str:
    return PERSONNUMMER_MARK if _is_pnr(match) else match.group(0)


def redact(text: str) -> str:
    """Replace personnummer, samordningsnummer, e-mail addresses and a self-introduced
    name with markers."""
    text = _EMAIL.sub(EMAIL_MARK, text)
    text = SELF_INTRODUCTION.sub(lambda m: f"{m['lead']} {NAME_MARK}", text)
    return _PHONE.sub(PHONE_MARK, _PNR.sub(_replace_pnr, text))


# "mitt personnummer är …": the words that announce one are no more a topic than the number.
_PNR_LEAD = re.compile(r"\b(?i:(?:mitt|min|hans|hennes|hens|my)\s+)?(?i:personnummer|personnr|pnr)(?:\s+(?i:är|is))?:?")


def has_personnummer(text: str) -> bool:
    """Whether the text holds a plausible personnummer or samordningsnummer."""
    return any(_is_pnr(m) for m in _PNR.finditer(text))


def without_signature(text: str) -> str:
    """The message without a sign-off and what follows it ("… mvh Anna", "Med vänliga
    hälsningar Karin Svensson, Tel 033-…"): a pasted signature is no part of the question."""
    return _SIGN_OFF.sub(lambda m: m["end"], text).strip()


def without_personal_data(text: str) -> str:
    """The text with personnummer, e-mail addresses and a self-introduction left out:
    they name no topic, and their digits and words would pull matching astray
    ("min lön är fel, 19850101-1234")."""
    text = SELF_INTRODUCTION.sub(" ", _EMAIL.sub(" ", text))
    if has_personnummer(text):
        text = _PNR_LEAD.sub(" ", _PNR.sub(lambda m: " " if _is_pnr(m) else m.group(0), text))
    return _PHONE.sub(" ", text)
