"""Swedish dates: working days, formatting and the date expressions people type.

Managers ask "när?" in many ways ("i fredags", "den 1/3", "marslönen", "nasta manad",
"on Friday"); this module turns those into dates so deadline rules can become concrete
dates. "Today" is always a parameter: only ``bot/clock.py`` reads the system clock.

Public API
----------
- ``is_working_day(d) -> bool``: Monday–Friday, not a Swedish public holiday, and not
  midsommarafton, julafton or nyårsafton (see "Aftnar" below).
- ``add_working_days(d, n) -> date``: the n:th working day after ``d`` (before when n < 0);
  ``d`` itself is day 0 and is never counted.
- ``previous_working_day(d) -> date``: the last working day strictly before ``d``.
- ``holiday_name(d) -> str | None``: the Swedish name as written mid-sentence
  ("trettondedag jul", "Kristi himmelsfärdsdag", "midsommarafton"), None on other days.
- ``format_date_sv(d)`` -> "tisdag 8 december 2026"; ``format_month_sv(d)`` -> "december 2026";
  ``weekday_sv(d)`` -> "söndag".
- ``RelativePhrases`` + ``format_relative(d, today, phrases)`` -> "i dag", "i morgon",
  "om 15 dagar", "för 3 dagar sedan" (the wording comes from knowledge/calendar.yaml).
- ``months_before(d, n)``, ``earliest_after_months(d, n)``: calendar-month arithmetic with
  month-end clamping (31 May − 3 months = 28/29 Feb).
- ``parse_date_expression(text, today, prefer="next") -> DateRef | None``.

Aftnar
------
Midsommarafton, julafton and nyårsafton are not public holidays by law, but Semesterlagen
7 § treats them like Sundays and VGR's administration is closed on them under its
agreements, so a period counted "in working days" would mislead if it counted them. They
are therefore non-working days here (the ``holidays`` library calls them DE_FACTO). The
other "aftnar" (trettondagsafton, skärtorsdagen, valborgsmässoafton, …) are half days at
most and count as working days. The sentence shown to users lives in calendar.yaml
(``fine_print.working_days``) and must say the same thing.

Parsing rules
-------------
- A day needs a month name, an ISO date, or d/m with a year or a lead word ("den 1/3",
  "från 1/4", "skickar underlaget 9/12"), or a day from 13 up ("ärende 31/12"): bare "24/7", "1/2 tid",
  "85 %", "2 arbetsdagar", "3 minuter" are not dates.
- An ordinal without a month ("den 8:e", "8:e i månaden") states the rule itself and is not
  a date; with a month ("1:a mars", "8:e december") it is.
- A day or month without a year means the next such date; today and the current month
  count as next. With ``prefer="nearest"`` a yearless *day* is the one closest to today
  if that is at most a month back (NEAREST_PAST_DAYS)
  instead, for sentences about when something happened ("HR skickade underlaget den 20/11").
- When the text holds several expressions, the first day wins over any month
  ("skickar jag i dag, hinner det till decemberlönen?" is about today).
- å/ä/ö may be written as a/a/o; English month and weekday names work too.
- A bare weekday ("lägger ärendet lördag") is the next one, but "en lördag", "varje
  lördag" mean any Saturday and are not dates.
- A bare month name counts only after a topic word ("löneunderlag mars") or "och" ("och
  februari?", a follow-up): "Mars" alone may be anything.
- With ``prefer="nearest"``, a question in the past tense ("när var sista dagen i
  oktober?", "jag missade …") means the latest such month, not the next one.
- Spans are their first day: "vecka 52" its Monday, "i mellandagarna" the first working
  day after annandag jul; "om två veckor" counts from today; "sista vardagen i december"
  is that month's last working day.
- "i början/mitten/slutet av januari" is the 1st/15th/last day; "efter nyår" 2 January;
  "nästa år" its January.
- An ordinal after a verb of sending ("skickar det den 10:e") is the next such day (the
  latest one in the past tense); "skickas senast den 8:e" states the rule and is no day.
- A month right after a word for work ("jobbat extra i november", "övertid från oktober")
  is when the work was done, not a date the rules are asked about.
- The past tense also shows in verbs ("skickade", "beställde", "kom det med?"). A past-tense
  yearless day more than half a year back is this year's when that is at most a month
  ahead ("lade ett ärende den 31 december", asked on 7 December).
- A day no calendar has ("29 februari 2027", "31 april", "vecka 53 2027") is no date;
  ``impossible_days`` finds it so the answer can say so.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

import holidays
from babel.dates import format_date
from dateutil.easter import easter
from holidays.constants import DE_FACTO, PUBLIC

LOCALE = "sv"

# PUBLIC = allmänna helgdagar; DE_FACTO = midsommarafton, julafton, nyårsafton.
# include_sundays=False: the library can list every Sunday as "Söndag"; weekends are
# handled separately so a Sunday is never mistaken for a named holiday.
_SWEDEN = holidays.Sweden(categories=(PUBLIC, DE_FACTO), include_sundays=False, language="sv")

# Proper nouns keep their capital letter mid-sentence ("Kristi himmelsfärdsdag").
_PROPER_NOUNS = frozenset({"Kristi"})


# --------------------------------------------------------------------------- working days


def holiday_name(d: date) -> str | None:
    """The Swedish holiday name as written mid-sentence, or None if ``d`` is no holiday."""
    name = _SWEDEN.get(d)
    if not name:
        return None
    name = name.split(";")[0].strip()  # two holidays on one day: name the first
    first, _, rest = name.partition(" ")
    if first not in _PROPER_NOUNS:
        first = first[:1].lower() + first[1:]
    return f"{first} {rest}" if rest else first


def is_working_day(d: date) -> bool:
    """Monday–Friday and neither a public holiday nor midsommar-, jul- or nyårsafton."""
    return d.weekday() < 5 and d not in _SWEDEN


def add_working_days(d: date, n: int) -> date:
    """The n:th working day after ``d`` (n < 0: before). ``d`` is day 0 and never counted."""
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    current = d
    while remaining:
        current += timedelta(days=step)
        if is_working_day(current):
            remaining -= 1
    return current


def previous_working_day(d: date) -> date:
    """The last working day strictly before ``d`` (for "send it in before" advice)."""
    return add_working_days(d, -1)


# --------------------------------------------------------------------------- formatting


def format_date_sv(d: date) -> str:
    """'tisdag 8 december 2026' — weekday, day, month and year, as CLDR writes Swedish."""
    return format_date(d, "EEEE d MMMM y", locale=LOCALE)


def format_month_sv(d: date) -> str:
    """'december 2026' for the month that ``d`` falls in."""
    return format_date(d, "LLLL y", locale=LOCALE)


def weekday_sv(d: date) -> str:
    """'söndag'."""
    return format_date(d, "EEEE", locale=LOCALE)


@dataclass(frozen=True)
class RelativePhrases:
    """Wording for a date relative to today; loaded from knowledge/calendar.yaml.

    ``future`` and ``past`` contain ``{days}``.
    """

    today: str
    tomorrow: str
    yesterday: str
    future: str
    past: str


def format_relative(d: date, today: date, phrases: RelativePhrases) -> str:
    """'i dag', 'i morgon', 'om 15 dagar', 'i går', 'för 3 dagar sedan' (calendar days)."""
    days = (d - today).days
    if days == 0:
        return phrases.today
    if days == 1:
        return phrases.tomorrow
    if days == -1:
        return phrases.yesterday
    if days > 1:
        return phrases.future.format(days=days)
    return phrases.past.format(days=-days)


# --------------------------------------------------------------------------- month arithmetic


def _shift_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def clamp_day(year: int, month: int, day: int) -> date:
    """``day`` in that month, or the month's last day when the month is shorter."""
    return date(year, month, min(day, _last_day(year, month)))


def months_before(d: date, n: int) -> date:
    """The same day n calendar months earlier, clamped to month end (30 Apr − 2 = 28/29 Feb).

    Clamping down gives the earlier, safe date for an "at least n months before" rule.
    """
    year, month = _shift_months(d.year, d.month, -n)
    return clamp_day(year, month, d.day)


def earliest_after_months(d: date, n: int) -> date:
    """The earliest date E with ``months_before(E, n) >= d``.

    Normally the same day n months later; when that day does not exist (31 Dec + 2
    months), the 1st of the following month, because months_before(28 Feb) is 28 Dec.
    """
    year, month = _shift_months(d.year, d.month, n)
    if d.day <= _last_day(year, month):
        return date(year, month, d.day)
    year, month = _shift_months(year, month, 1)
    return date(year, month, 1)


def add_months(first_of_month: date, n: int) -> date:
    """The first day of the month n months after the month of ``first_of_month``."""
    year, month = _shift_months(first_of_month.year, first_of_month.month, n)
    return date(year, month, 1)


# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class DateRef:
    """A date found in a question.

    kind "day": a calendar day. kind "month": a whole month, ``value`` is its 1st day.
    ``text`` is the matched span as the user wrote it. ``last``: for a day that stands for
    a span ("vecka 50" is its Monday), the span's last day.
    """

    kind: Literal["day", "month"]
    value: date
    text: str
    last: date | None = None


_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "è": "e", "ü": "u"})


def _fold(text: str) -> str:
    """Lowercase and drop diacritics, keeping every character's position (spans map back)."""
    out = []
    for ch in text:
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)
    return "".join(out).translate(_FOLD)


_MONTHS_SV = "januari februari mars april maj juni juli augusti september oktober november december".split()
_MONTHS_EN = "january february march april may june july august september october november december".split()
_MONTH_ABBR = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
               "sep": 9, "sept": 9, "okt": 10, "oct": 10, "nov": 11, "dec": 12}  # fmt: skip

_FULL_MONTH_NUMBER = {name: i for names in (_MONTHS_SV, _MONTHS_EN) for i, name in enumerate(names, start=1)}
_MONTH_NUMBER = {**_FULL_MONTH_NUMBER, **_MONTH_ABBR}
_WEEKDAY_NAMES = ("mandag tisdag onsdag torsdag fredag lordag sondag".split(),
                  "monday tuesday wednesday thursday friday saturday sunday".split())  # fmt: skip
# Clipped weekday names before a date ("fre 18/12"); not "mån"/"sön", which fold to "man"
# and "son" (a d/m after them is still read as a date, see _PATTERNS).
_CLIPPED_SV = {"tis": 1, "ons": 2, "tors": 3, "tor": 3, "fre": 4, "lor": 5}
_CLIPPED_EN = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_WEEKDAYS = {name: i for names in _WEEKDAY_NAMES for i, name in enumerate(names)} | _CLIPPED_SV | _CLIPPED_EN


def _alt(words: list[str] | dict[str, int]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_FULL_MONTH = rf"(?P<month>{_alt(_FULL_MONTH_NUMBER)})"
_ANY_MONTH = rf"(?P<month>{_alt(_MONTH_NUMBER)})\.?"
_EN_MONTH = rf"(?P<month>{_alt(_MONTHS_EN)})"
_SV_MONTH = rf"(?P<month>{_alt(_MONTHS_SV)})"
# After an English deadline word; not "may" ("the input may be late").
_EN_KEYWORD_MONTH = rf"(?P<month>{_alt([m for m in _MONTHS_EN if m != 'may'])})"
# After a deadline keyword a clipped month is one too ("deadline lön jan"); not "jul" (Christmas) or "mar".
_KEYWORD_MONTH = rf"(?P<month>{_alt([*_MONTHS_SV, *(a for a in _MONTH_ABBR if a not in ('jul', 'mar'))])})"
_DAY = r"(?P<day>\d{1,2})"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_SV_WEEKDAY = r"(?P<weekday>mandag|tisdag|onsdag|torsdag|fredag|lordag|sondag)"
_EN_WEEKDAY = r"(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
# Words that make a bare "d/m" a date ("den 1/3", "från 1/4"); "24/7" alone is not one.
_SLASH_LEAD = r"(?:den|fran|from|fr\.?\s?o\.?\s?m\.?|till|per|senast|efter|fore|innan|on|by|since|until)"
_MONTH_WORD = r"mana(?:d|den|dens|ds)"
_PAY_WORD = r"(?:lon(?:en|ens)?|utbetalning(?:en)?)"


# The pay word at the end of a month-of-pay expression ("marslönen", "March payroll"): the
# date is the month, but the pay word is part of the question's topic.
_PAPERS_WORD = r"(?:lone)?underlag(?:et|ets)?"
PAY_TAIL_RE = re.compile(
    rf"(?:{_PAY_WORD}|{_PAPERS_WORD}|salary|payroll|payday|pay)$|^(?:{_PAY_WORD}|salary|pay)\b"
)


# A named time ("efter nyår", "i mellandagarna") and a numbered day this close are one time.
NAMED_TIME_SPREAD_DAYS = 7
# With prefer="nearest", a yearless day at most this many days back is the past one.
NEAREST_PAST_DAYS = 31
# In the past tense, a yearless day further back than this is this year's when that one is
# at most NEAREST_PAST_DAYS ahead.
PAST_REACH_DAYS = 183


def _year_or_next(today: date, month: int, day: int, prefer: str) -> date | None:
    """A yearless day of the calendar ("3 oktober", "julafton")."""

    def day_in(year: int) -> date | None:
        try:
            return date(year, month, day)
        except ValueError:
            return None  # 29 February outside leap years, 31 April, …

    return _yearless(day_in, today, prefer)


def _yearless(day_in: Callable[[int], date | None], today: date, prefer: str) -> date | None:
    """A day named without a year, ``day_in(year)`` being that day in a given year: the next
    occurrence (today counts); with "nearest" the closest one at most NEAREST_PAST_DAYS
    back; with "past" the latest that has been."""
    candidates = [d for year in range(today.year - 1, today.year + 9) if (d := day_in(year)) is not None]
    if prefer == "past":  # "när var den 3 oktober …": the latest one that has been
        past = [c for c in candidates if c <= today]
        ahead = [c for c in candidates if c > today]
        # "jag lade ett ärende den 31 december" asked on 7 December: last year's is nearly a
        # year back and this year's weeks ahead, so the tense is loose and this year's is meant.
        if past and ahead and (today - past[-1]).days > PAST_REACH_DAYS and (ahead[0] - today).days <= NEAREST_PAST_DAYS:
            return ahead[0]
        if past:
            return past[-1]
    if prefer == "nearest":
        # A recent day ("HR skickade underlaget den 20/11") may be behind us; a month or more
        # back is not what "skickas 3 oktober" means in November.
        nearby = [c for c in candidates if -NEAREST_PAST_DAYS <= (c - today).days]
        if nearby:
            return min(nearby, key=lambda c: (abs((c - today).days), c < today))
    upcoming = [c for c in candidates if c >= today]
    return upcoming[0] if upcoming else None


def _month_or_next(today: date, month: int) -> date:
    """A yearless month: this month or the next one with that name."""
    year = today.year if month >= today.month else today.year + 1
    return date(year, month, 1)


def _day(m: re.Match[str], today: date, prefer: str, month: int | None = None) -> DateRef | None:
    month = month if month is not None else _MONTH_NUMBER[m.group("month")]
    day = int(m.group("day"))
    year = m.groupdict().get("year")
    if year:
        try:
            value: date | None = date(int(year), month, day)
        except ValueError:
            return None
    else:
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        value = _with_weekday(m, today, month, day) or _year_or_next(today, month, day, prefer)
    return DateRef("day", value, "") if value else None


_WEEKDAY_BEFORE_RE = re.compile(rf"\b(?P<weekday>{_alt(_WEEKDAYS)})\.?,?\s+(?:den\s+|the\s+)?$")


def weekday_before(before: str) -> int:
    """How many characters at the end of ``before`` (the text just before a date) name its
    weekday ("fre 18/12", "torsdag den 10:e"): that word is about when, like the date."""
    named = _WEEKDAY_BEFORE_RE.search(_fold(before)) or _CLIPPED_WITH_RING_RE.search(before.lower())
    return len(before) - named.start() if named else 0  # _fold keeps positions: the length maps back


# "mån 4/1", "sön 3/1": clipped names that only read as weekdays with their å/ö.
_CLIPPED_WITH_RING_RE = re.compile(r"\b(?:mån|sön)\.?,?\s+(?:den\s+)?$")


def _weekday_and_day(m: re.Match[str], today: date, prefer: str) -> DateRef | None:
    """"torsdag den 10:e": the day of that number, in this or a nearby month, that is a
    Thursday – the nearest such day (the past one when the question is in the past)."""
    day, weekday = int(m["day"]), _WEEKDAYS[m["weekday"]]
    fits = []
    for n in range(-3, 4):
        first = add_months(today.replace(day=1), n)
        try:
            candidate = first.replace(day=day)
        except ValueError:
            continue
        if candidate.weekday() == weekday:
            fits.append(candidate)
    if not fits:
        return None
    if prefer == "past":  # a recent one; "glömde …, det blir torsdag den 10:e" is still ahead
        past = [d for d in fits if 0 <= (today - d).days <= NEAREST_PAST_DAYS]
        if past:
            return DateRef("day", past[-1], "")
    return DateRef("day", min(fits, key=lambda d: (abs((d - today).days), d < today)), "")


def _with_weekday(m: re.Match[str], today: date, month: int, day: int) -> date | None:
    """"fredag 18 december": the year, of the nearest three, in which that day is a Friday
    – past tense or not, the weekday says which one is meant."""
    named = _WEEKDAY_BEFORE_RE.search(m.string[: m.start()])
    if not named:
        return None
    fits = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate.weekday() == _WEEKDAYS[named["weekday"]]:
            fits.append(candidate)
    return min(fits, key=lambda d: abs((d - today).days)) if fits else None


def _numeric(m: re.Match[str], today: date, prefer: str) -> DateRef | None:
    month = int(m.group("mnum"))
    return _day(m, today, prefer, month=month) if 1 <= month <= 12 else None


def _iso(m: re.Match[str], today: date, prefer: str) -> DateRef | None:
    try:
        return DateRef("day", date(int(m.group("year")), int(m.group("mnum")), int(m.group("day"))), "")
    except ValueError:
        return None


def _offset(days: int) -> Callable[[re.Match[str], date, str], DateRef]:
    return lambda m, today, prefer: DateRef("day", today + timedelta(days=days), "")


def _weekday_past(m: re.Match[str], today: date, prefer: str) -> DateRef:
    back = (today.weekday() - _WEEKDAYS[m.group("weekday")]) % 7 or 7
    return DateRef("day", today - timedelta(days=back), "")


def _weekday_next(m: re.Match[str], today: date, prefer: str) -> DateRef:
    """The next such weekday; in the past tense ("jag la ett ärende på lördag") the latest
    one that has been, unless the words say next ("nästa fredag")."""
    if prefer == "past" and not re.match(r"(?:nasta|kommande|next|senast|till|innan|fore|by|before|until)\b", m.group(0)):
        back = (today.weekday() - _WEEKDAYS[m.group("weekday")]) % 7
        return DateRef("day", today - timedelta(days=back), "")
    ahead = (_WEEKDAYS[m.group("weekday")] - today.weekday()) % 7 or 7
    return DateRef("day", today + timedelta(days=ahead), "")


def _weekday_in_week(m: re.Match[str], today: date, prefer: str) -> DateRef:
    """"onsdag nästa vecka", "nästa vecka på onsdag", "förra veckan på fredag": that weekday
    of that week (not this week's, nor the week's Monday)."""
    which = m.groupdict().get("which") or m.groupdict().get("which2")
    shift = 1 if which in ("nasta", "kommande") else -1
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=shift)
    return DateRef("day", monday + timedelta(days=_WEEKDAYS[m.group("weekday")]), "")


# Holidays with a fixed date, as people name them ("på julafton", "till nyår").
_FIXED_DAYS = {
    "julafton": (12, 24), "juldagen": (12, 25), "annandag jul": (12, 26), "annandagen": (12, 26),
    "nyarsafton": (12, 31), "nyarsdagen": (1, 1), "trettondagsafton": (1, 5), "trettondagen": (1, 6),
    "trettondedag jul": (1, 6), "christmas eve": (12, 24), "christmas day": (12, 25),
    "new year's eve": (12, 31), "new years eve": (12, 31), "new year's day": (1, 1),
    "arsskiftet": (1, 1), "arsskifte": (1, 1), "till jul": (12, 24), "fore jul": (12, 24),
    "innan jul": (12, 24), "forsta maj": (5, 1), "valborg": (4, 30), "valborgsmassoafton": (4, 30),
    "nationaldagen": (6, 6), "sveriges nationaldag": (6, 6), "lucia": (12, 13), "luciadagen": (12, 13),
    "efter nyar": (1, 2), "efter nyaret": (1, 2), "after new year": (1, 2),
}  # fmt: skip

# Days counted from Easter Sunday.
_EASTER_DAYS = {
    "langfredag": -2, "langfredagen": -2, "good friday": -2, "paskafton": -1, "paskdagen": 0, "easter": 0,
    "annandag pask": 1, "easter monday": 1, "kristi himmelsfardsdag": 39, "kristi himmelsfard": 39,
}  # fmt: skip


def _movable_day(day_in: Callable[[int], date | None], m: re.Match[str], today: date, prefer: str) -> DateRef | None:
    """A holiday whose date moves: in the year named, else as any yearless day (_yearless)."""
    value = day_in(int(m["year"])) if m["year"] else _yearless(day_in, today, prefer)
    return DateRef("day", value, "") if value else None


def _easter_day(m: re.Match[str], today: date, prefer: str) -> DateRef | None:
    offset = timedelta(days=_EASTER_DAYS[m["easter"]])
    return _movable_day(lambda year: easter(year) + offset, m, today, prefer)


def _midsummer_eve(m: re.Match[str], today: date, prefer: str) -> DateRef | None:
    """Midsommarafton is the Friday between 19 and 25 June."""

    def eve(year: int) -> date:
        return next(date(year, 6, d) for d in range(19, 26) if date(year, 6, d).weekday() == 4)

    return _movable_day(eve, m, today, prefer)


def _between_the_holidays(m: re.Match[str], today: date, prefer: str) -> DateRef | None:
    """"I mellandagarna": the days between annandag jul and nyårsafton; their first
    working day, the earliest day anything sent then can arrive (28 December 2026)."""

    def first(year: int) -> date:
        return next(date(year, 12, d) for d in range(27, 31) if is_working_day(date(year, 12, d)))

    return _movable_day(first, m, today, prefer)


def _week_number(m: re.Match[str], today: date, prefer: str) -> DateRef | None:
    """"vecka 52", "v. 2 2027", "week 52": the Monday of that ISO week – the first day
    something done "that week" can be done. Without a year, as any yearless day."""
    week = int(m["week"])

    def monday(year: int) -> date | None:
        try:
            return date.fromisocalendar(year, week, 1)
        except ValueError:  # week 53 in a year that has none
            return None

    ref = _movable_day(monday, m, today, prefer)
    return replace(ref, last=ref.value + timedelta(days=6)) if ref else None


def _relative_week(m: re.Match[str], today: date, prefer: str) -> DateRef | None:
    """"nästa vecka", "i veckan", "förra veckan", "next week": that week, from its
    Monday (this week: from today, the first day something can still be done) to Sunday."""
    shift = {"nasta": 1, "next": 1, "forra": -1, "last": -1}.get(m["which"] or m["which2"] or "", 0)
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=shift)
    return DateRef("day", max(monday, today) if shift == 0 else monday, "", last=monday + timedelta(days=6))


_COUNT_WORDS = {"en": 1, "ett": 1, "one": 1, "a": 1, "an": 1, "tva": 2, "two": 2, "tre": 3, "three": 3,
                "fyra": 4, "four": 4, "fem": 5, "five": 5, "sex": 6, "six": 6}  # fmt: skip


# "om en vecka" is a date when something is to be sent, ordered or needed then ("skickar
# det om två veckor", "behöver intyget om en vecka"), not in "semester om en vecka".
_SOME_TIME_VERB_RE = re.compile(r"\b(?:skicka|lamna|bestall|lagg|la in|behov|send|submit|order|need)")


def _in_some_time(m: re.Match[str], today: date, prefer: str) -> DateRef | None:
    """"om två veckor", "om 3 dagar", "om en månad", "in two weeks": counted from today."""
    if not _SOME_TIME_VERB_RE.search(m.string[: m.start()]):
        return None
    raw = m["count"]
    n = int(raw) if raw.isdigit() else _COUNT_WORDS[raw]
    unit = m["unit"]
    if unit.startswith(("dag", "day")):
        return DateRef("day", today + timedelta(days=n), "") if n <= 366 else None
    if unit.startswith(("veck", "week")):
        return DateRef("day", today + timedelta(weeks=n), "") if n <= 60 else None
    if n > 24:
        return None
    month = add_months(today.replace(day=1), n)
    return DateRef("day", clamp_day(month.year, month.month, today.day), "")


def _ordinal_day(m: re.Match[str], today: date, prefer: str) -> DateRef | None:
    """"skickar det den 10:e": the next such day; "skickade det den 9:e" (past tense): the
    latest that has been. A month is too short for "nearest" to mean anything but a guess."""
    day = int(m["day"])
    candidates = []
    for n in range(-2, 13):
        month = add_months(today.replace(day=1), n)
        if day <= calendar.monthrange(month.year, month.month)[1]:
            candidates.append(month.replace(day=day))
    if prefer == "past":
        past = [c for c in candidates if c <= today]
        if past:
            return DateRef("day", past[-1], "")
    upcoming = [c for c in candidates if c >= today]
    return DateRef("day", upcoming[0], "") if upcoming and 1 <= day <= 31 else None


_PART_OF_MONTH_DAY = {"borjan": 1, "mitten": 15}


def _part_of_month(m: re.Match[str], today: date, prefer: str) -> DateRef | None:
    """"i början av januari" (the 1st), "i mitten av december" (the 15th), "i slutet av
    januari" (the last day): one day stands for the span, the one a deadline reads best."""
    month = _FULL_MONTH_NUMBER[m["month"]]

    def day_in(year: int) -> date:
        first = date(year, month, 1)
        if m["part"] in _PART_OF_MONTH_DAY:
            return first.replace(day=_PART_OF_MONTH_DAY[m["part"]])
        return add_months(first, 1) - timedelta(days=1)

    return _movable_day(day_in, m, today, prefer)


def _last_working_day(m: re.Match[str], today: date, prefer: str) -> DateRef | None:
    """"sista vardagen i december": the month's last working day (the bot's working-day rule)."""
    month = _FULL_MONTH_NUMBER[m["month"]]

    def last(year: int) -> date:
        d = add_months(date(year, month, 1), 1) - timedelta(days=1)
        return d if is_working_day(d) else previous_working_day(d)

    return _movable_day(last, m, today, prefer)


def _fixed_day(m: re.Match[str], today: date, prefer: str) -> DateRef | None:
    month, day = _FIXED_DAYS[m.group("holiday")]
    value = _year_or_next(today, month, day, prefer)
    return DateRef("day", value, "") if value else None


def _month_offset(n: int) -> Callable[[re.Match[str], date, str], DateRef]:
    return lambda m, today, prefer: DateRef("month", add_months(today.replace(day=1), n), "")


def _next_year(m: re.Match[str], today: date, prefer: str) -> DateRef:
    """"nästa år", "next year": its first month, January."""
    return DateRef("month", date(today.year + 1, 1, 1), "")


def _named_month(m: re.Match[str], today: date, prefer: str) -> DateRef:
    month = _MONTH_NUMBER[m.group("month")]
    year = m.groupdict().get("year")
    if year:
        value = date(int(year), month, 1)
    elif prefer == "past" or (prefer == "nearest" and (today.month - month) % 12 == 1):
        # "när var sista dagen i oktober?": the October that has been. So is last month when
        # the nearest is wanted: "underlag för november" asked in December is not 2027's.
        value = date(today.year if month <= today.month else today.year - 1, month, 1)
    else:
        value = _month_or_next(today, month)
    return DateRef("month", value, "")


# Words that put a question in the past ("när var sista dagen …", "jag missade …"): with
# prefer="nearest", a yearless month is then the latest one that has begun.
_PAST_CUE = re.compile(
    r"\b(?:nar var|vad var|var sista|hade|missade|glomde|forra aret|skickade|skickades|bestallde|bestalldes"
    r"|lamnade|lamnades|lade|la|la in|kom det|kom den|kom in|kom fram|fick|fatt|blev|betalades|var for|var fel"
    r"|gjorde|skrev|signerade|registrerade)\b"
    r"|\b(?:was|were|missed|sent|ordered|submitted|did|got)\b"
)

_Handler = Callable[[re.Match[str], date, str], "DateRef | None"]

# Order matters: earlier patterns claim their span first ("15 april 2027" before "april 2027").
_PATTERNS: list[tuple[re.Pattern[str], _Handler]] = [
    (re.compile(rf"\b{_YEAR}-(?P<mnum>\d{{1,2}})-{_DAY}\b"), _iso),
    # 15 april 2027, 1:a mars, 8:e december, 1st of March 2027, 15 dec
    (re.compile(rf"\b{_DAY}(?::?[ae]|st|nd|rd|th)?\s+(?:of\s+)?{_ANY_MONTH}(?:,?\s+{_YEAR})?\b(?!,?\s+\d{{4}}\b)"), _day),
    # March 15, March 15th, 2027
    (re.compile(rf"\b{_EN_MONTH}\s+{_DAY}(?:st|nd|rd|th)?\b(?:,?\s+{_YEAR}\b)?"), _day),
    # Dec 21, Jan 4th (English order, short month)
    (re.compile(rf"\b(?P<month>{_alt(_MONTH_ABBR)})\.?\s+{_DAY}(?:st|nd|rd|th)?\b(?!\s*(?:/|%|:|\.\d))(?:,?\s+{_YEAR}\b)?"), _day),
    # 1/3 2027, 1/3-2027, 1/3/2027
    (re.compile(rf"\b{_DAY}/(?P<mnum>\d{{1,2}})[\s/-]+{_YEAR}\b"), _numeric),
    # den 1/3, från 1/4
    (re.compile(rf"\b{_SLASH_LEAD}\s+{_DAY}/(?P<mnum>\d{{1,2}})\b(?!\s*%)"), _numeric),
    # "skickar löneunderlaget 9/12": after a verb of sending, d/m is a date (the verb stays in the question)
    (re.compile(rf"\b(?:skicka(?:[rst]|de|des)?|(?:in)?lamna(?:[rt]|de|des)?|bestall(?:er|de|s|t)?|kom(?:mer)?\s+in)(?:\s+[^\W\d]+){{0,3}}\s+(?P<at>{_DAY}/(?P<mnum>\d{{1,2}}))\b(?!\s*(?:%|av\b))"), _numeric),
    # "skickar underlaget den 10:e": after a verb of sending, an ordinal is a day (but
    # "skickas senast den 8:e" states the rule: no "senast/innan/före" in between)
    (re.compile(r"\b(?:skicka\w*|(?:in)?lamna\w*|bestall\w*|send\w*|order\w*|arriv\w*|submit\w*|register\w*|(?:kom|kommer|inkom\w*)(?=\s+in\b|\w*\s))(?:\s+(?!senast|innan|fore|efter|by|before|after)[^\W\d]+){0,3}\s+(?:den|the|on the)\s+(?P<at>(?P<day>\d{1,2})(?::?[ea]|st|nd|rd|th))(?!\s*(?:i\s+)?(?:varje|each|every))"), _ordinal_day),
    # "och den 15:e?", "om den 28:e då?": a message that is only an ordinal day is one
    # (not "den 8:e?" alone: that asks about the rule of the 8th)
    (re.compile(r"^\s*(?:och|om|and|what about)\s+(?:om\s+)?(?:den|the)\s+(?P<at>(?P<day>\d{1,2})(?::?[ea]|st|nd|rd|th))\s*(?:da|then)?\s*\??\s*$"), _ordinal_day),
    (re.compile(r"^\s*(?:den|the)\s+(?P<at>(?P<day>\d{1,2})(?::?[ea]|st|nd|rd|th))\s+(?:da|then)\s*\??\s*$"), _ordinal_day),
    # "ärende i serviceportalen 31/12": a d/m whose day cannot be a fraction's numerator
    # (13–31) is a date on its own – except "24/7" (always open)
    (re.compile(r"\b(?!24/7\b)(?P<day>1[3-9]|2\d|3[01])/(?P<mnum>0?[1-9]|1[0-2])\b(?!\s*(?:%|av\b|tid\b)|[/-]\d)"), _numeric),
    # "torsdag 10/12", "fre 8/1", "mån 4/1": a weekday before d/m makes it a date
    (re.compile(rf"\b(?:{_SV_WEEKDAY}|{_alt(_CLIPPED_SV)}|man|son)\.?\s+(?:den\s+)?(?P<at>{_DAY}/(?P<mnum>\d{{1,2}}))\b(?!\s*%)"), _numeric),
    # "sista dag underlag 8/1", "deadline 8/1": after a deadline keyword d/m is a date
    (re.compile(rf"\b(?:(?:lone)?underlag(?:et)?|deadline|sista\s+(?:dag(?:en)?|datum(?:et)?))\s+(?P<at>{_DAY}/(?P<mnum>\d{{1,2}}))\b(?!\s*(?:%|av\b))"), _numeric),
    # "torsdag den 10:e", "fredag 18": a weekday and a day of the month, without the month
    (re.compile(rf"\b(?:pa\s+)?{_SV_WEEKDAY}\s+(?:den\s+)?{_DAY}(?::?[ea])?\b(?!\s*(?:/|{_ANY_MONTH}\b))"), _weekday_and_day),
    (re.compile(r"\b(?:i\s?dag|today)\b"), _offset(0)),
    (re.compile(r"\b(?:i\s?morgon|tomorrow)\b"), _offset(1)),
    (re.compile(r"\b(?:i\s?overmorgon)\b"), _offset(2)),
    (re.compile(r"\b(?:i\s?gar|yesterday)\b"), _offset(-1)),
    # onsdag nästa vecka, på onsdag i nästa vecka, nästa vecka på onsdag, förra veckan på fredag
    (re.compile(rf"\b(?:pa\s+)?{_SV_WEEKDAY}\s+(?:i\s+)?(?P<which>nasta|kommande|forra)\s+vecka(?:n)?\b"), _weekday_in_week),
    (re.compile(rf"\b(?:i\s+)?(?P<which2>nasta|kommande|forra)\s+vecka(?:n)?\s+(?:pa\s+)?{_SV_WEEKDAY}\b"), _weekday_in_week),
    (re.compile(rf"\bi\s+{_SV_WEEKDAY}s\b"), _weekday_past),  # i fredags
    (re.compile(rf"\b(?:forra|forr)\s+{_SV_WEEKDAY}(?:en)?\b"), _weekday_past),
    (re.compile(rf"\blast\s+{_EN_WEEKDAY}\b"), _weekday_past),
    (re.compile(rf"\b(?:pa|nasta|kommande)\s+{_SV_WEEKDAY}\b(?!,?\s+(?:den\s+)?\d)"), _weekday_next),  # på måndag
    # senast fredag, till måndag: a day it is needed by (only the weekday is the date, so
    # the lead word stays in front of it for deadlines.py to read)
    (re.compile(rf"\b(?:senast|till|innan|fore)\s+(?P<at>{_SV_WEEKDAY})\b"), _weekday_next),
    (re.compile(rf"\b(?:by|before|until)\s+(?P<at>{_EN_WEEKDAY})\b"), _weekday_next),
    (re.compile(rf"\b(?P<holiday>{_alt(_FIXED_DAYS)})\b"), _fixed_day),
    (re.compile(rf"\b(?:midsommarafton|midsummer eve)\b(?:\s+{_YEAR}\b)?"), _midsummer_eve),
    (re.compile(rf"\bmellandag(?:ar|arna)\b(?:\s+{_YEAR}\b)?"), _between_the_holidays),
    (re.compile(r"\b(?:(?:i\s+)?(?P<which>nasta|forra)\s+vecka(?:n)?|(?:i|den\s+har|denna)\s+veckan|(?P<which2>next|last|this)\s+week)\b"), _relative_week),
    (re.compile(rf"\b(?:vecka|veckan|v\.?|week)\s?(?P<week>[1-9]|[1-4]\d|5[0-3])\b(?:,?\s+{_YEAR}\b)?"), _week_number),
    (re.compile(rf"\b(?:om|in)\s+(?P<count>\d{{1,3}}|{_alt(_COUNT_WORDS)})\s+(?P<unit>dagar|dag|veckor|vecka|manader|manad|days|day|weeks|week|months|month)\b"), _in_some_time),
    (re.compile(rf"\bsista\s+(?:vardag|arbetsdag)(?:en)?\s+(?:i|av|for)\s+{_FULL_MONTH}\b(?:\s+{_YEAR}\b)?"), _last_working_day),
    (re.compile(rf"\b(?:i\s+)?(?P<part>borjan|mitten|slutet)\s+(?:av|pa)\s+{_FULL_MONTH}\b(?:\s+{_YEAR}\b)?"), _part_of_month),
    (re.compile(rf"\b(?P<easter>{_alt(_EASTER_DAYS)})\b(?:\s+{_YEAR}\b)?"), _easter_day),
    (re.compile(rf"\b(?:on|next|this)\s+{_EN_WEEKDAY}\b(?!,?\s+(?:the\s+)?\d|,?\s+{_EN_MONTH})"), _weekday_next),
    # "lägger ärendet lördag": a bare weekday is the next one – but not "en lördag" or
    # "varje lördag", which mean any Saturday ("Gäller den 8:e även på en lördag?")
    # …and not "fredag 18 december", where the date says which Friday
    (re.compile(rf"(?<!\ben )(?<!\bvarje )(?<!\bnagon )\b{_SV_WEEKDAY}\b(?!,?\s+(?:den\s+)?\d)"), _weekday_next),
    (re.compile(rf"\b(?:nasta|kommande)\s+{_MONTH_WORD}\b|\bnext\s+month\b"), _month_offset(1)),
    (re.compile(rf"\b(?:denna|den\s+har)\s+{_MONTH_WORD}\b|\bthis\s+month\b"), _month_offset(0)),
    (re.compile(rf"\bforra\s+{_MONTH_WORD}\b|\blast\s+month\b"), _month_offset(-1)),
    (re.compile(r"\b(?:nasta|kommande)\s+ar(?:et)?\b|\bnext\s+year\b"), _next_year),
    # decemberlönen, marslön, decembers lön, december-lönen; januariunderlaget (the papers for that pay)
    (re.compile(rf"\b{_SV_MONTH}s?(?:-|\s)?{_PAY_WORD}\b(?:\s+{_YEAR}\b)?"), _named_month),
    (re.compile(rf"\b{_SV_MONTH}s?-?{_PAPERS_WORD}\b(?:\s+{_YEAR}\b)?"), _named_month),
    # March salary, salary for March
    (re.compile(rf"\b{_EN_MONTH}(?:'s)?\s+(?:salary|pay|payroll|payday)\b"), _named_month),
    # mars 2027, i januari, lönen för mars, från april, in March, for May
    (re.compile(rf"\b{_FULL_MONTH}\s+{_YEAR}\b"), _named_month),
    (re.compile(rf"\b{_ANY_MONTH}\s+{_YEAR}\b"), _named_month),  # "feb 2027", "dec. 2026"
    (re.compile(rf"\b(?:{_PAY_WORD}\s+)?(?:i|till|for|fran)\s+{_KEYWORD_MONTH}\b"), _named_month),  # "i jan" too
    # "och februari?" (a follow-up after a date was given), "and February"
    (re.compile(rf"\b(?:och|and)\s+(?P<at>{_SV_MONTH})\b"), _named_month),
    (re.compile(rf"\band\s+(?P<at>{_EN_MONTH})\b"), _named_month),
    # löneunderlag mars, löneöversyn april, deadline maj, sista dag februari: keywords, the
    # month after the topic (only the month is the date: the topic word stays for matching)
    (re.compile(rf"\b(?:(?:lone)?underlag(?:et)?|loneoversyn(?:en)?|deadline|sista\s+(?:dag(?:en)?|datum(?:et)?)|{_PAY_WORD})\s+(?P<at>{_KEYWORD_MONTH})\b"), _named_month),
    # "deadline avvikelser januari", "sista dag övertid februari": a word between; "februari deadline"
    (re.compile(rf"\b(?:deadline|sista\s+(?:dag(?:en)?|datum(?:et)?))\s+[^\W\d]+\s+(?P<at>{_KEYWORD_MONTH})\b"), _named_month),
    (re.compile(rf"\b(?P<at>{_FULL_MONTH})\s+deadline\b"), _named_month),
    (re.compile(rf"\b(?:(?:salary|pay|payroll)\s+)?(?:in|for|from|by|until)\s+{_EN_MONTH}\b"), _named_month),
    # "deadline payroll input january", "payroll deadline march": an English month after a deadline word
    (re.compile(rf"\b(?:deadline|cutoff|cut-off|input|payroll|documents?)\s+(?P<at>{_EN_KEYWORD_MONTH})\b"), _named_month),
]


_CALENDAR_DAY_RE = re.compile(rf"\b{_DAY}(?::?[ea])?\s+{_ANY_MONTH}(?:\s+{_YEAR})?(?!\w)")
_SOME_LEAP_YEAR = 2028  # a yearless 29 February exists: some year has one


_WEEK_WITH_YEAR_RE = re.compile(rf"\b(?:vecka|veckan|v\.?|week)\s?(?P<week>\d{{1,2}}),?\s+{_YEAR}\b")


# A time of day ("kl 23", "kl. 16.30", "på kvällen"): when in the day, never a topic.
TIME_OF_DAY_RE = re.compile(
    r"\b(?:kl\.?|klockan)\s*\d{1,2}(?:[:.]\d{2})?\b"
    r"|\b(?:på|pa|i|under)\s+(?:kvällen|kvallen|eftermiddagen|förmiddagen|formiddagen|morgonen)\b"
    r"|\b(?:eftermiddag|förmiddag|formiddag)\b",
    re.IGNORECASE,
)


# A stretch of holidays named loosely ("mellan jul och nyår", "över julen", "during the
# holidays"): when, never a topic, and no day to count from.
HOLIDAY_STRETCH_RE = re.compile(
    r"\bmellan\s+jul(?:en)?\s+och\s+ny(?:å|a)r(?:et)?\b"
    r"|\b(?:över|over|under|i|från|fran|runt|kring)\s+"
    r"(?:jul(?:en|helgen|helgerna|ledigheten)?|ny(?:å|a)r(?:et|shelgen)?|helgerna|storhelgerna|jul-?\s+och\s+ny(?:å|a)rshelgerna)\b"
    r"|\b(?:julhelgen|julhelgerna|nyårshelgen|nyarshelgen|julledigheten)\b"
    r"|\b(?:over|during|around)\s+(?:the\s+)?(?:christmas|holidays|new year)(?:\s+holidays)?\b"
    r"|\b(?:its\s+|it's\s+)?christmas\s+holidays\b",
    re.IGNORECASE,
)


def impossible_days(text: str) -> list[str]:
    """Day-and-month expressions no calendar has ("31 april", "29 februari 2027", "vecka 53
    2027"), as written. The parser drops them, so the answer must say why it counted without them."""
    if not any(ch.isdigit() for ch in text):  # every such expression has a number
        return []
    out = []
    for m in _WEEK_WITH_YEAR_RE.finditer(_fold(text)):
        try:
            date.fromisocalendar(int(m["year"]), int(m["week"]), 1)
        except ValueError:
            out.append(text[m.start() : m.end()])
    for m in _CALENDAR_DAY_RE.finditer(_fold(text)):
        year = int(m.group("year")) if m.group("year") else _SOME_LEAP_YEAR
        try:
            date(year, _MONTH_NUMBER[m.group("month")], int(m.group("day")))
        except ValueError:
            out.append(text[m.start() : m.end()])
    return out


# "10 januari 2100": a year outside 1900–2099 is not one the bot counts in (no holidays, no
# weekdays it can vouch for); the day is dropped, and the answer says so.
_FAR_DAY_RE = re.compile(rf"\b{_DAY}(?::?[ea])?\s+{_ANY_MONTH},?\s+(?!(?:19|20)\d\d\b)\d{{4}}\b")


def far_days(text: str) -> list[str]:
    """Day-and-month expressions with a year the bot doesn't count in ("10 januari 2100"), as written."""
    if not any(ch.isdigit() for ch in text):
        return []
    return [text[m.start() : m.end()] for m in _FAR_DAY_RE.finditer(_fold(text))]


def parse_date_expression(
    text: str, today: date, prefer: Literal["next", "nearest"] = "next", sent: bool = True
) -> DateRef | None:
    """The date the user means in ``text``, or None when it names no concrete day or month.

    See the module docstring for the rules (ordinals without a month, "24/7", year inference).
    """
    folded = _fold(text)
    # "jobbat extra i november": the month the work was done, not the pay month asked about
    found = [r for r in all_date_expressions(text, today, prefer) if not (r.kind == "month" and _worked_in(folded, r))]
    if not found:
        return None
    days = [ref for ref in found if ref.kind == "day"]
    if days and NEXT_ONE_RE.search(folded):
        # "nästa deadline efter 8 januari": what comes in the day after is what it's about.
        if _AFTER_CUE_RE.search(_before(folded, days[0])):
            return replace(days[0], value=days[0].value + timedelta(days=1), last=None)
    if len(days) > 1:
        # "jobbade extra i slutet av november … skickar underlaget den 10 december": the
        # day something is sent or arrives is the one the question is about – unless the
        # caller wants the other day ("omorganisation 15 februari, vi skickar underlaget
        # 20 december": when the change takes effect, ``sent=False``).
        is_sent = [bool(_SENT_CUE_RE.search(_before(folded, r))) for r in days]
        chosen = [r for r, flag in zip(days, is_sent, strict=True) if flag == sent]
        if chosen and any(is_sent):
            return chosen[0]
        # "efter nyår, typ 4 jan": a day written with its number makes a named time near it precise.
        exact = [r for r in days if any(ch.isdigit() for ch in r.text or "")]
        if exact and not any(ch.isdigit() for ch in days[0].text or "") and abs((exact[0].value - days[0].value).days) <= NAMED_TIME_SPREAD_DAYS:
            return exact[0]
    if days:
        return days[0]
    # "underlag för november, sista dag för decemberlönen?": the pay month is the one asked about.
    paid = [r for r in found if r.kind == "month" and _PAY_MONTH_RE.search(_fold(r.text or ""))]
    return paid[0] if paid and len(found) > 1 else found[0]


# A month expression that names the pay: "decemberlönen", "lönen i dec", "January payroll".
_PAY_MONTH_RE = re.compile(r"lon(?:en|ens)?\b|\b(?:salary|payroll|pay)\b")
# A word for work done right before a month ("jobbat extra i november", "övertid från oktober").
# Not across a deadline word: "övertid deadline januari" asks January's deadline.
_WORKED_BEFORE_RE = re.compile(
    r"\b(?:jobba\w*|arbeta\w*|extra\w*|overtid\w*|pass(?:en)?|ob)\b(?:\s+(?!deadline|sista\b)\S+){0,2}\s*$"
)


def _before(folded: str, ref: DateRef) -> str:
    """The folded text before a date expression ("" when it has no text): what a cue
    right before the date ("skickar …", "jobbade extra i …", "efter …") is looked for in."""
    at = folded.find(_fold(ref.text)) if ref.text else -1
    return folded[:at] if at > 0 else ""


def _worked_in(folded: str, ref: DateRef) -> bool:
    """Whether a month expression names when work was done ("jobbade extra i november"):
    not a pay month ("övertid till januarilönen") nor one a deadline word asks about
    ("deadline övertid februari", "övertid februari deadline")."""
    if _PAY_MONTH_RE.search(_fold(ref.text or "")):
        return False
    before = _before(folded, ref)
    after = folded[len(before) + len(ref.text or "") :] if ref.text else ""
    if _DEADLINE_NEAR_RE.search(before) or _DEADLINE_AFTER_RE.match(after):
        return False
    return bool(_WORKED_BEFORE_RE.search(before))


# A deadline word at most two words before a month, or right after it.
_DEADLINE_NEAR_RE = re.compile(r"\b(?:deadline|sista\s+(?:dag(?:en)?|datum(?:et)?))(?:\s+\S+){0,2}\s*$")
_DEADLINE_AFTER_RE = re.compile(r"\s*(?:deadline|sista\s+dag)\b")


# "nästa … efter 8 januari", "the next one after …": the one after that day.
NEXT_ONE_RE = re.compile(r"\b(?:nasta|foljande|next|following)\b")
_AFTER_CUE_RE = re.compile(r"\b(?:efter|after)\s+(?:den\s+|the\s+)?$")
# A verb of sending or arriving shortly before a date ("skickar underlaget den 10:e",
# "blir inte förrän på torsdag den 10:e", "kommer in 9 december").
_SENT_CUE_RE = re.compile(
    r"\b(?:skicka\w*|lamna\w*|kommer in|kom in|inkom\w*|lagger in|la in|lade|lagt|la (?:ett|arendet)|registrer\w*|forran|send\w*|submit\w*|arriv\w*|register\w*)\b(?:\s+\S+){0,4}\s*$"
)


# "underlaget kommer 3 mars": arriving right before the day ("vi kommer att … 1 maj" is not).
_ARRIVES_ON_RE = re.compile(r"\b(?:kommer|kom)\b(?:\s+(?:in|fram|den|pa|on))?\s*$")


def is_sent_on(text: str, ref: DateRef) -> bool:
    """Whether ``ref`` is the day something is sent or arrives ("skickar underlaget 10
    januari", "om underlaget kommer 3 mars"), not the day a change takes effect."""
    before = _before(_fold(text), ref)
    return bool(_SENT_CUE_RE.search(before) or _ARRIVES_ON_RE.search(before))


def all_date_expressions(
    text: str, today: date, prefer: Literal["next", "nearest"] = "next"
) -> list[DateRef]:
    """Every date expression in ``text``, in reading order ("den 9 december …
    decemberlönen" has two); matching takes them all out of the question."""
    if not text:
        return []
    folded = _fold(text)
    mode = "past" if prefer == "nearest" and _PAST_CUE.search(folded) else prefer
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, DateRef]] = []
    for pattern, handler in _PATTERNS:
        for m in pattern.finditer(folded):
            start, end = m.span("at") if "at" in pattern.groupindex else m.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            ref = handler(m, today, mode)
            if ref is not None:
                found.append((start, replace(ref, text=text[start:end].strip())))
    found.sort(key=lambda item: item[0])
    return [ref for _, ref in found]
