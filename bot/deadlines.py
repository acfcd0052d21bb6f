"""Deadline facts → concrete dates and the Swedish sentences that state them.

A manager who asks "när?" wants a date, not only the rule. Entries carry their rule as a
structured fact (``facts.deadline`` in knowledge/entries/*.yaml, see knowledge/README.md);
this module reads the numbers from the fact, the user's question and today's date, and
fills in the sentence templates from knowledge/calendar.yaml. No Swedish text lives here.

Public API
----------
- ``load_calendar_texts(path) -> CalendarTexts``: loads and validates calendar.yaml; raises
  ``ContentInvalid`` with every "file:line: how to fix it" problem at once.
- ``describe_deadline(fact, question, today, texts) -> DeadlineInfo | None``: the sentences
  to append to a rule answer (None when the fact is not a valid deadline).
- ``deadline_fact_problems(fact) -> list[str]``: what is wrong with a ``deadline`` fact, for
  the knowledge-base validator (empty list: fine).

Fact shapes: ``{type: monthly, day: 8}``, ``{type: before_effective, months: 2}``,
``{type: working_days, days: 2, after: "att …"}``, ``{type: every_month}``.

Decisions the documents leave open (kept explicit, and tested):
- A monthly deadline on a weekend or holiday is not moved (the documents don't say it
  moves); the answer says what day it is and *advises* sending it in the working day before.
- A day larger than the month (``day: 31`` in April) means the month's last day.
- "N months before" clamps to month end: effective 30 April → latest 28/29 February.
- Working days are counted after the start day (the start day is day 0), skipping
  weekends, public holidays and midsommar-/jul-/nyårsafton (see bot/dates.py).
"""

from __future__ import annotations

import difflib
import re
import string
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bot.dates import (
    DateRef,
    RelativePhrases,
    add_months,
    add_working_days,
    all_date_expressions,
    clamp_day,
    earliest_after_months,
    far_days,
    format_date_sv,
    format_month_sv,
    format_relative,
    holiday_name,
    impossible_days,
    is_sent_on,
    is_working_day,
    months_before,
    parse_date_expression,
    previous_working_day,
    weekday_sv,
)
from bot.text import fold, stem, tokens
from bot.yamlsrc import ContentError, ContentInvalid, LineDict, display_path, load_yaml

# --------------------------------------------------------------------------- texts


@dataclass(frozen=True)
class _Slot:
    """Which placeholders one text may use, and which it must use."""

    allowed: frozenset[str]
    required: frozenset[str]


def _slot(allowed: str = "", required: str = "") -> _Slot:
    return _Slot(frozenset(allowed.split()), frozenset(required.split()))


# The shape of calendar.yaml: section → key → placeholders. One place, used by the loader.
_SCHEMA: dict[str, dict[str, _Slot]] = {
    "relative": {
        "today": _slot(),
        "tomorrow": _slot(),
        "yesterday": _slot(),
        "future": _slot("days", "days"),
        "past": _slot("days", "days"),
    },
    "counts": {
        "working_days_one": _slot(),
        "working_days_many": _slot("n", "n"),
        # number_words is a list, checked separately
    },
    "fine_print": {
        "working_days": _slot(),
        "non_working_deadline": _slot(),
    },
    "templates": {
        "monthly_next": _slot("date relative", "date"),
        "monthly_today": _slot("date", "date"),
        "monthly_for_month": _slot("month date relative", "month date"),
        "monthly_for_month_today": _slot("month date", "date"),
        "monthly_passed": _slot("month date next_month next_date next_relative", "date next_date"),
        "monthly_day_in_time": _slot("day month date", "month"),
        "monthly_day_late": _slot("day missed_month missed_date month date", "month"),
        "monthly_span_straddles": _slot("span month date next_month next_date", "date next_month"),
        "before_effective_latest": _slot("effective latest relative", "latest"),
        "before_effective_passed": _slot("effective latest earliest", "latest earliest"),
        "before_effective_example": _slot("earliest", "earliest"),
        "before_effective_sent": _slot("sent earliest", "sent earliest"),
        "working_days_from_today": _slot("start due relative count after", "due"),
        "working_days_from_date": _slot("start due relative count after", "start due"),
        "working_days_passed": _slot("start due relative count after", "start due"),
        "working_days_needed_in_time": _slot("start due relative count after needed latest", "due needed"),
        "working_days_needed_too_soon": _slot("start due relative count after needed", "due needed"),
        "working_days_from_date_in_time": _slot("start due relative count after needed", "start due needed"),
        "working_days_from_date_too_soon": _slot("start due relative count after needed", "start due needed"),
        "every_month": _slot("month next_month", "month"),
        "every_month_named": _slot("month", "month"),
        "on_weekend": _slot("date weekday before", "before"),
        "on_holiday": _slot("date holiday before", "holiday before"),
        "impossible_date": _slot("text", "text"),
        "far_date": _slot("text", "text"),
    },
}
_LIST_KEYS = {"counts": {"number_words"}}


@dataclass(frozen=True)
class CalendarTexts:
    """The validated wording from knowledge/calendar.yaml."""

    relative: RelativePhrases
    templates: dict[str, str]
    fine_print: dict[str, str]
    working_days_one: str
    working_days_many: str
    number_words: tuple[str, ...]

    def render(self, key: str, **values: str) -> str:
        """Fill template ``key``; the loader guarantees it uses only names the code passes."""
        return self.templates[key].format_map(values)

    def working_days(self, n: int) -> str:
        """'en arbetsdag', 'två arbetsdagar', '15 arbetsdagar'."""
        if n == 1:
            return self.working_days_one
        word = self.number_words[n] if 0 <= n < len(self.number_words) else str(n)
        return self.working_days_many.format(n=word)


def _placeholder_errors(text: str, where: str, slot: _Slot) -> list[str]:
    """Problems with the {placeholders} in one text, as fix-it sentences."""
    try:
        fields = [
            (name, spec, conv) for _, name, spec, conv in string.Formatter().parse(text) if name is not None
        ]
    except ValueError:
        return [
            f"'{where}': klamrarna {{ }} går inte ihop; skriv {{namn}} för en platshållare "
            f"och {{{{ eller }}}} för en klammer i texten"
        ]
    allowed_list = ", ".join(f"{{{name}}}" for name in sorted(slot.allowed)) or "inga"
    problems = []
    used = set()
    for name, spec, conv in fields:
        if name == "" or name.isdigit():
            problems.append(
                f"'{where}' har en tom platshållare {{}}; skriv ett namn inom klamrarna "
                f"(tillåtna: {allowed_list})"
            )
            continue
        if spec or conv:
            problems.append(
                f"'{where}': skriv platshållaren som bara {{{name.split('.')[0]}}}, "
                "utan formatkod efter kolon eller utropstecken"
            )
        if name not in slot.allowed:
            hint = difflib.get_close_matches(name, sorted(slot.allowed), n=1)
            did_you_mean = f" Menade du {{{hint[0]}}}?" if hint else ""
            problems.append(
                f"okänd platshållare {{{name}}} i '{where}'.{did_you_mean} Tillåtna här: {allowed_list}"
            )
        used.add(name)
    for name in sorted(slot.required - used):
        problems.append(f"'{where}' måste innehålla {{{name}}}; lägg tillbaka den i texten")
    return problems


def _unknown_key(key: object, known: list[str], where: str) -> str:
    hint = difflib.get_close_matches(str(key), known, n=1)
    did_you_mean = f" Menade du '{hint[0]}'?" if hint else ""
    return f"okänd nyckel '{key}'{where}.{did_you_mean} Ta bort den eller använd en av: {', '.join(known)}"


def load_calendar_texts(path: Path) -> CalendarTexts:
    """Load knowledge/calendar.yaml; raise ContentInvalid listing every problem with file:line."""
    shown = display_path(path)
    data = load_yaml(path)
    errors: list[ContentError] = []

    def error(line: int, message: str) -> None:
        errors.append(ContentError(shown, line, message))

    if not isinstance(data, LineDict):
        error(
            getattr(data, "line", 1) or 1,
            f"filen ska börja med avsnitten {', '.join(_SCHEMA)} (nyckel: värde), inte en lista eller text",
        )
        raise ContentInvalid(errors)

    for key in data:
        if key not in _SCHEMA:
            error(data.line_of(str(key)), _unknown_key(key, list(_SCHEMA), " överst i filen"))

    for section, slots in _SCHEMA.items():
        if section not in data:
            error(1, f"avsnittet '{section}:' saknas; lägg till det med nycklarna {', '.join(slots)}")
            continue
        block = data[section]
        if not isinstance(block, LineDict):
            error(
                data.line_of(section),
                f"'{section}:' ska innehålla nycklar med texter "
                f"({', '.join(slots)}), en per rad och indragna under '{section}:'",
            )
            continue
        list_keys = _LIST_KEYS.get(section, set())
        known = [*slots, *sorted(list_keys)]
        for key in block:
            if key not in slots and key not in list_keys:
                error(block.line_of(str(key)), _unknown_key(key, known, f" under '{section}:'"))
        for key, slot in slots.items():
            where = f"{section}.{key}"
            if key not in block:
                needs = ", ".join(f"{{{n}}}" for n in sorted(slot.allowed))
                with_names = f" med platshållarna {needs}" if needs else ""
                error(
                    data.line_of(section),
                    f"'{where}' saknas; lägg till '{key}:' under '{section}:'{with_names}",
                )
                continue
            value = block[key]
            if not isinstance(value, str) or not value.strip():
                error(
                    block.line_of(key),
                    f"'{where}' ska vara en text som inte är tom; skriv texten efter '{key}:'",
                )
                continue
            for problem in _placeholder_errors(value, where, slot):
                error(block.line_of(key), problem)
        for key in list_keys:
            value = block.get(key)
            if value is None:
                continue  # optional: numbers are then written as digits
            if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
                error(
                    block.line_of(key),
                    f"'{section}.{key}' ska vara en lista med ord, t.ex. [noll, en, två, tre]",
                )

    if errors:
        raise ContentInvalid(errors)

    relative, counts = data["relative"], data["counts"]
    return CalendarTexts(
        relative=RelativePhrases(
            today=relative["today"].strip(),
            tomorrow=relative["tomorrow"].strip(),
            yesterday=relative["yesterday"].strip(),
            future=relative["future"].strip(),
            past=relative["past"].strip(),
        ),
        templates={key: data["templates"][key].strip() for key in _SCHEMA["templates"]},
        fine_print={key: data["fine_print"][key].strip() for key in _SCHEMA["fine_print"]},
        working_days_one=counts["working_days_one"].strip(),
        working_days_many=counts["working_days_many"].strip(),
        number_words=tuple(w.strip() for w in counts.get("number_words") or ()),
    )


# --------------------------------------------------------------------------- facts

_FIELDS: dict[str, dict[str, tuple[type, int, int]]] = {
    # type → field → (python type, min, max); strings use min/max for length
    "monthly": {"day": (int, 1, 31)},
    "before_effective": {"months": (int, 1, 24)},
    "working_days": {"days": (int, 1, 60), "after": (str, 1, 200)},  # optional fields: _OPTIONAL
    "every_month": {},
}


_OPTIONAL: dict[str, dict[str, tuple[type, int, int]]] = {
    # working_days: "unless" words in the question (any form) mean the time doesn't apply
    # ("om HR behövt ändra underlaget"); "unless_note" is said instead of a date.
    "working_days": {"unless": (str, 1, 200), "unless_note": (str, 1, 400)},
}


def deadline_fact_problems(fact: Any) -> list[str]:
    """Why ``fact`` is not a usable deadline, as fix-it sentences (empty: it is usable)."""
    if not isinstance(fact, dict):
        return ["'deadline' ska vara en mappning, t.ex. {type: monthly, day: 8}"]
    kind = fact.get("type")
    if kind not in _FIELDS:
        return [f"okänd deadline-typ '{kind}'; använd en av: {', '.join(_FIELDS)}"]
    fields = _FIELDS[kind]
    optional = _OPTIONAL.get(kind, {})
    problems = []
    for key in fact:
        if key != "type" and key not in fields and key not in optional:
            allowed = ", ".join((*fields, *optional)) or "inga fält utöver type"
            problems.append(f"fältet '{key}' hör inte till deadline-typen {kind}; tillåtna: {allowed}")
    given = [key for key in optional if key in fact]
    if given and len(given) != len(optional):
        problems.append(f"deadline-typen {kind} behöver både {' och '.join(optional)}, eller ingen av dem")
    for key in given:
        _kind, low, high = optional[key]
        value = fact[key]
        if not isinstance(value, str) or not low <= len(value.strip()) <= high:
            problems.append(f"'{key}:' ska vara en text (högst {high} tecken)")
    for key, (kind_of, low, high) in fields.items():
        value = fact.get(key)
        if kind_of is int:
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                problems.append(f"deadline-typen {kind} behöver '{key}: N' med ett heltal {low}–{high}")
        elif not isinstance(value, str) or not low <= len(value.strip()) <= high:
            problems.append(
                f"deadline-typen {kind} behöver '{key}:' med en text (högst {high} tecken), "
                't.ex. "att Löneservice fått komplett underlag från HR"'
            )
    return problems


# --------------------------------------------------------------------------- describing


@dataclass(frozen=True)
class DeadlineInfo:
    """Sentences to append to a rule answer.

    ``text``: the concrete dates. ``fine_print``: how the dates are counted, when it
    matters (else None). ``due``: the date the text names as the deadline (None when the
    text names none), for tests and callers that want the date itself. ``furthest``: a
    later date the text names that is not a deadline ("tidigast lördag 23 januari 2027").
    """

    text: str
    fine_print: str | None
    due: date | None
    furthest: date | None = None

    @property
    def last_date(self) -> date | None:
        """The latest date the text names: past the source's validity it rests on a rule that may change."""
        dates = [d for d in (self.due, self.furthest) if d is not None]
        return max(dates) if dates else None


def describe_deadline(fact: dict, question: str, today: date, texts: CalendarTexts) -> DeadlineInfo | None:
    """The concrete-date sentences for one deadline fact, given the question and today.

    Returns None for a fact that ``deadline_fact_problems`` rejects, so a content
    mistake costs the user the extra sentence, never the answer.
    """
    if deadline_fact_problems(fact):
        return None
    info = _describe(fact, question or "", today, texts)
    impossible = impossible_days(question or "")
    far = far_days(question or "")
    if impossible or far:  # "29 februari 2027", "10 januari 2100": say so, rather than silently count from today
        note = texts.render("impossible_date", text=impossible[0]) if impossible else texts.render("far_date", text=far[0])
        return DeadlineInfo(f"{note} {info.text}", info.fine_print, info.due, info.furthest)
    return info


def _describe(fact: dict, question: str, today: date, texts: CalendarTexts) -> DeadlineInfo:
    kind = fact["type"]
    if kind == "monthly":
        info = _monthly(fact["day"], question or "", today, texts)
        if info.fine_print is None and mentions_weekend(question or ""):
            # "Gäller den 8:e även om det är en lördag?": say what the document (doesn't) say,
            # whether or not the next deadline happens to fall on a weekend.
            return DeadlineInfo(info.text, texts.fine_print["non_working_deadline"], info.due, info.furthest)
        return info
    if kind == "before_effective":
        return _before_effective(fact["months"], question or "", today, texts)
    if kind == "working_days":
        if fact.get("unless") and _says_any(question or "", fact["unless"]):
            # "om HR behövt ändra underlaget": the document's time holds only without that.
            return DeadlineInfo(fact["unless_note"].strip(), None, None)
        return _working_days(fact["days"], fact["after"].strip(), question or "", today, texts)
    return _every_month(question or "", today, texts)


def _says_any(question: str, words: str) -> bool:
    """Whether the question uses one of ``words`` (space separated), in any inflection."""
    said = {stem(tok) for tok in tokens(question)}
    return any(stem(tok) in said for tok in tokens(words))


def _deadline_in(month_start: date, day: int) -> date:
    return clamp_day(month_start.year, month_start.month, day)


def _next_monthly(day: int, today: date) -> date:
    """The first deadline on or after today."""
    this_month = _deadline_in(today, day)
    return this_month if this_month >= today else _deadline_in(add_months(today.replace(day=1), 1), day)


def _non_working_note(d: date, texts: CalendarTexts) -> str | None:
    """'Det är en söndag, så skicka gärna in det senast fredag …' — advice, never a moved date."""
    if is_working_day(d):
        return None
    values = {"date": format_date_sv(d), "before": format_date_sv(previous_working_day(d))}
    name = holiday_name(d)
    if name:
        return texts.render("on_holiday", holiday=name, **values)
    return texts.render("on_weekend", weekday=weekday_sv(d), **values)


def _with_note(sentence: str, due: date, texts: CalendarTexts, today: date) -> DeadlineInfo:
    """Add the weekend/holiday advice and its fine print when the named date is not a working
    day – unless the working day it advises is already past (the deadline is today)."""
    note = _non_working_note(due, texts) if previous_working_day(due) >= today else None
    if note is None:
        return DeadlineInfo(sentence, None, due)
    return DeadlineInfo(f"{sentence} {note}", texts.fine_print["non_working_deadline"], due)


def _monthly(day: int, question: str, today: date, texts: CalendarTexts) -> DeadlineInfo:
    ref = parse_date_expression(question, today, prefer="nearest")
    rel = texts.relative
    if ref is not None and ref.kind == "day":
        if ref.value < today and _MISSED_RE.search(fold(question)):
            # "missade deadline igår": that day was the deadline; what is sent now comes in
            # today (unless another day says when it was sent).
            if sum(r.kind == "day" for r in all_date_expressions(question, today)) == 1:
                ref = DateRef("day", today, ref.text)
        return _monthly_for_day(day, ref, texts)
    if ref is not None:  # a named pay month
        deadline = _deadline_in(ref.value, day)
        month = format_month_sv(ref.value)
        if deadline == today:
            return _with_note(
                texts.render("monthly_for_month_today", month=month, date=format_date_sv(deadline)),
                deadline,
                texts,
                today,
            )
        if deadline > today:
            sentence = texts.render(
                "monthly_for_month",
                month=month,
                date=format_date_sv(deadline),
                relative=format_relative(deadline, today, rel),
            )
            return _with_note(sentence, deadline, texts, today)
        upcoming = _next_monthly(day, today)
        sentence = texts.render(
            "monthly_passed",
            month=month,
            date=format_date_sv(deadline),
            next_month=format_month_sv(upcoming),
            next_date=format_date_sv(upcoming),
            next_relative=format_relative(upcoming, today, rel),
        )
        return _with_note(sentence, upcoming, texts, today)
    upcoming = _next_monthly(day, today)
    if upcoming == today:
        return _with_note(texts.render("monthly_today", date=format_date_sv(upcoming)), upcoming, texts, today)
    sentence = texts.render(
        "monthly_next", date=format_date_sv(upcoming), relative=format_relative(upcoming, today, rel)
    )
    return _with_note(sentence, upcoming, texts, today)


def _monthly_for_day(day: int, ref: DateRef, texts: CalendarTexts) -> DeadlineInfo:
    """Which month's pay something handed in on ``ref.value`` makes."""
    sent = ref.value
    own_deadline = _deadline_in(sent, day)
    if ref.last and sent <= own_deadline < ref.last:
        # "vecka 50" is 7–13 December: the 8th falls inside it, so the answer depends on the day.
        pay_month = add_months(sent.replace(day=1), 1)
        sentence = texts.render(
            "monthly_span_straddles",
            span=f"vecka {sent.isocalendar().week}",  # "i veckan" too reads as its number
            month=format_month_sv(sent),
            date=format_date_sv(own_deadline),
            next_month=format_month_sv(pay_month),
            next_date=format_date_sv(_deadline_in(pay_month, day)),
        )
        return DeadlineInfo(sentence, None, own_deadline, _deadline_in(pay_month, day))
    if sent <= own_deadline:
        sentence = texts.render(
            "monthly_day_in_time",
            day=format_date_sv(sent),
            month=format_month_sv(sent),
            date=format_date_sv(own_deadline),
        )
        return DeadlineInfo(sentence, None, own_deadline)
    pay_month = add_months(sent.replace(day=1), 1)
    deadline = _deadline_in(pay_month, day)
    sentence = texts.render(
        "monthly_day_late",
        day=format_date_sv(sent),
        missed_month=format_month_sv(sent),
        missed_date=format_date_sv(own_deadline),
        month=format_month_sv(pay_month),
        date=format_date_sv(deadline),
    )
    return DeadlineInfo(sentence, None, deadline)


def _before_effective(months: int, question: str, today: date, texts: CalendarTexts) -> DeadlineInfo:
    ref = parse_date_expression(question, today, sent=False)  # when it takes effect, not when sent
    earliest_date = earliest_after_months(today, months)
    earliest = format_date_sv(earliest_date)
    # "Skickar vi i dag, när kan det gälla?": today is the sending day, never the effective one.
    if ref is None or ref.value == today:
        return DeadlineInfo(texts.render("before_effective_example", earliest=earliest), None, None, earliest_date)
    if ref.kind == "day" and is_sent_on(question, ref):
        # "om underlaget kommer 3 mars?": the day it arrives, the only day given; the change
        # can take effect that many months later at the earliest.
        sent_on = earliest_after_months(ref.value, months)
        sentence = texts.render("before_effective_sent", sent=format_date_sv(ref.value), earliest=format_date_sv(sent_on))
        return DeadlineInfo(sentence, None, None, sent_on)
    effective = ref.value  # a month means its 1st day, the usual day a change takes effect
    latest = months_before(effective, months)
    if latest < today:
        sentence = texts.render(
            "before_effective_passed",
            effective=format_date_sv(effective),
            latest=format_date_sv(latest),
            earliest=earliest,
        )
        return DeadlineInfo(sentence, None, latest, earliest_date)
    sentence = texts.render(
        "before_effective_latest",
        effective=format_date_sv(effective),
        latest=format_date_sv(latest),
        relative=format_relative(latest, today, texts.relative),
    )
    return _with_note(sentence, latest, texts, today)


def _working_days(days: int, after: str, question: str, today: date, texts: CalendarTexts) -> DeadlineInfo:
    ref = parse_date_expression(question, today, prefer="nearest")
    both = _start_and_need(question, today)
    if both is not None:
        # "behöver intyget innan jul, om jag beställer den 18/12 hinner det?": from the day
        # it comes in, against the day it is needed.
        start, needed = both
        due = add_working_days(start, days)
        sentence = texts.render(
            "working_days_from_date_in_time" if due <= needed else "working_days_from_date_too_soon",
            start=format_date_sv(start),
            due=format_date_sv(due),
            relative=format_relative(due, today, texts.relative),
            count=texts.working_days(days),
            after=after,
            needed=format_date_sv(needed),
        )
        return DeadlineInfo(sentence, texts.fine_print["working_days"], due)
    if ref is not None and ref.kind == "day" and ref.value > today and needed_by(question, ref.text):
        # "intyg till imorgon": the date is when it is needed, not when it was asked for.
        due = add_working_days(today, days)
        sentence = texts.render(
            "working_days_needed_in_time" if due <= ref.value else "working_days_needed_too_soon",
            start=format_date_sv(today),
            due=format_date_sv(due),
            relative=format_relative(due, today, texts.relative),
            count=texts.working_days(days),
            after=after,
            needed=format_date_sv(ref.value),
            # the last day it can come in and still be ready then ("börjar 4 januari"); needed on
            # a day off (nyårsafton), it must be ready the working day before
            latest=format_date_sv(max(add_working_days(_ready_by(ref.value), -days), today)),
        )
        return DeadlineInfo(sentence, texts.fine_print["working_days"], due)
    # "lägger ett ärende nu innan jul": the time named after "nu" only says now is before it.
    now = ref is not None and bool(_NOW_RE.search(_text_before(question, ref.text)))
    start = ref.value if ref is not None and ref.kind == "day" and not now else today
    due = add_working_days(start, days)
    if due < today:
        key = "working_days_passed"
    elif start == today:
        key = "working_days_from_today"
    else:
        key = "working_days_from_date"
    sentence = texts.render(
        key,
        start=format_date_sv(start),
        due=format_date_sv(due),
        relative=format_relative(due, today, texts.relative),
        count=texts.working_days(days),
        after=after,
    )
    return DeadlineInfo(sentence, texts.fine_print["working_days"], due)


_WEEKEND_RE = re.compile(r"\b(?:helg\w*|lordag\w*|sondag\w*|roda? dag\w*|weekend\w*|saturday|sunday|holiday\w*)\b")


def mentions_weekend(text: str) -> bool:
    """Whether the text asks about weekends or holidays ("räknas helger?", "om det är en lördag")."""
    return bool(_WEEKEND_RE.search(fold(text)))


_NEEDED_BY_RE = re.compile(r"\b(?:till|senast|innan|fore|by|before|until)(?:\s+(?:den|pa|on|the))?\s*$")


def _ready_by(needed: date) -> date:
    """The last working day on or before ``needed``: what is needed on a day off must be
    done the working day before."""
    return needed if is_working_day(needed) else previous_working_day(needed)


def _start_and_need(question: str, today: date) -> tuple[date, date] | None:
    """(the day something comes in, the day it is needed) when the question names both."""
    days = [r for r in all_date_expressions(question, today, "nearest") if r.kind == "day"]
    needed = next((r for r in days if r.value >= today and needed_by(question, r.text)), None)
    start = next((r for r in days if r is not needed and not needed_by(question, r.text)), None)
    if needed is None or start is None or start.value > needed.value:
        return None
    return start.value, needed.value


def _text_before(question: str, date_text: str | None) -> str:
    """The question before the date's words, folded ("" when they aren't found)."""
    folded, text = fold(question), fold(date_text or "")
    at = folded.find(text) if text else -1
    return folded[:at] if at > 0 else ""


def needed_by(question: str, date_text: str) -> bool:
    """Whether the date is a deadline the user has ("till imorgon", "senast fredag", "by
    Friday") rather than the day something was sent or asked for ("i fredags", "den 21")."""
    folded, text = fold(question), fold(date_text)
    at = folded.find(text)
    before = _text_before(question, date_text)
    if _NOW_RE.search(before):
        return False  # "lägger ett ärende nu innan jul": when it is sent, now
    if _NEEDED_BY_RE.search(text.split(" ", 1)[0] + " "):  # the lead word is part of the date: "till jul"
        return True
    if at >= 0 and _NEED_VERB_AFTER_RE.match(folded[at + len(text) :]):
        return True  # "nästa vecka börjar en ny medarbetare"
    if _NEEDED_BY_RE.search(before):
        return True
    need = _NEED_VERB_RE.search(before)
    # "behöver intyg snabbt, beställer idag": the order verb between says when it is ordered
    return bool(need) and not _SEND_VERB_RE.search(before[need.start() :])


# "jag behöver ett intyg om en vecka": what follows "behöver" is when it is needed.
# "ny medarbetare börjar 4 januari": the start is when the contract is needed.
_NEED_VERB_RE = re.compile(
    r"\b(?:behover|behovs|need|needs|needed|borjar|startar|tilltrader|starts|begins)\b(?:\s+[^\s]+){0,4}\s*$"
)

# "nu innan jul", "nu före nyår": the time is now, when the user acts, not a day something is needed by.
_NOW_RE = re.compile(r"\b(?:nu|now)\s*$")
# Verbs for sending or ordering: a day right after one is when it goes in, even after "behöver".
_SEND_VERB_RE = re.compile(
    r"\b(?:bestaller|bestallde|bestallt|skickar|skickade|skickat|lagger|lade|la|lamnar|lamnade|order|ordered|send|sent)\b"
)
# "missade deadline igår", "glömde skicka … igår": the day named is the deadline, not the day sent.
_MISSED_RE = re.compile(r"\b(?:missade|missat|missed|glomde|glomt|forgot)\b")
# "nästa vecka börjar en ny medarbetare": the start, written after the date, is when too.
_NEED_VERB_AFTER_RE = re.compile(r"\s*,?\s*(?:borjar|startar|tilltrader|behovs|starts|begins)\b")


def _every_month(question: str, today: date, texts: CalendarTexts) -> DeadlineInfo:
    # "glömde signera i november" (past tense) is the November that has been
    ref = parse_date_expression(question, today, prefer="nearest")
    if ref is not None:
        return DeadlineInfo(texts.render("every_month_named", month=format_month_sv(ref.value)), None, None)
    this_month = today.replace(day=1)
    sentence = texts.render(
        "every_month",
        month=format_month_sv(this_month),
        next_month=format_month_sv(add_months(this_month, 1)),
    )
    return DeadlineInfo(sentence, None, None)
