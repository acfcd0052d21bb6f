"""Swedish working days, date formatting and the date expressions users type."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.dates import (
    HOLIDAY_STRETCH_RE,
    RelativePhrases,
    add_working_days,
    earliest_after_months,
    far_days,
    format_date_sv,
    format_month_sv,
    format_relative,
    holiday_name,
    impossible_days,
    is_working_day,
    months_before,
    parse_date_expression,
    previous_working_day,
    weekday_before,
)

TODAY = date(2026, 11, 23)  # a Monday; the project's "today"


# --------------------------------------------------------------------------- working days


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2027, 5, 6), "Kristi himmelsfärdsdag"),  # proper noun keeps its capital
        (date(2027, 6, 25), "midsommarafton"),
        (date(2027, 6, 26), "midsommardagen"),
        (date(2026, 12, 24), "julafton"),
        (date(2026, 12, 25), "juldagen"),
        (date(2026, 12, 26), "annandag jul"),
        (date(2026, 12, 31), "nyårsafton"),
        (date(2027, 1, 1), "nyårsdagen"),
        (date(2027, 1, 6), "trettondedag jul"),
        (date(2027, 3, 26), "långfredagen"),
        (date(2027, 6, 6), "nationaldagen"),
    ],
)
def test_holiday_names_are_written_as_mid_sentence_swedish(day: date, name: str) -> None:
    assert holiday_name(day) == name
    assert not is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 11, 29),  # an ordinary Sunday is a weekend, not a named holiday
        date(2026, 11, 23),
        date(2027, 1, 5),  # trettondagsafton: a (half) working day
        date(2027, 5, 7),  # klämdag after Kristi himmelsfärd: still a working day
    ],
)
def test_days_without_a_holiday_name(day: date) -> None:
    assert holiday_name(day) is None


def test_weekdays_are_working_days_and_weekends_are_not() -> None:
    assert is_working_day(date(2026, 11, 27))  # Friday
    assert not is_working_day(date(2026, 11, 28))  # Saturday
    assert not is_working_day(date(2026, 11, 29))  # Sunday
    assert is_working_day(date(2027, 5, 7))  # klämdag
    assert is_working_day(date(2027, 1, 5))  # trettondagsafton


def test_the_start_day_is_day_zero() -> None:
    assert add_working_days(date(2026, 11, 23), 0) == date(2026, 11, 23)
    assert add_working_days(date(2026, 11, 23), 1) == date(2026, 11, 24)


def test_working_days_skip_the_weekend() -> None:
    friday = date(2026, 11, 20)
    assert add_working_days(friday, 1) == date(2026, 11, 23)
    assert add_working_days(friday, 5) == date(2026, 11, 27)
    saturday = date(2026, 11, 21)
    assert add_working_days(saturday, 1) == date(2026, 11, 23)


def test_working_days_across_kristi_himmelsfard() -> None:
    wednesday = date(2027, 5, 5)
    assert add_working_days(wednesday, 1) == date(2027, 5, 7)  # Thursday 6 May is skipped
    assert add_working_days(wednesday, 2) == date(2027, 5, 10)


def test_working_days_across_midsommar() -> None:
    thursday = date(2027, 6, 24)
    assert add_working_days(thursday, 1) == date(2027, 6, 28)  # afton, dagen and Sunday skipped


def test_working_days_across_jul_and_nyar() -> None:
    start = date(2026, 12, 23)  # Wednesday before julafton
    expected = [
        date(2026, 12, 28),  # 24 julafton, 25 juldagen, 26–27 weekend
        date(2026, 12, 29),
        date(2026, 12, 30),
        date(2027, 1, 4),  # 31 nyårsafton, 1 nyårsdagen, 2–3 weekend
        date(2027, 1, 5),  # trettondagsafton counts
        date(2027, 1, 7),  # 6 trettondedag jul
    ]
    assert [add_working_days(start, n) for n in range(1, 7)] == expected


def test_counting_backwards_finds_the_last_working_day_before() -> None:
    assert add_working_days(date(2027, 1, 4), -1) == date(2026, 12, 30)
    assert previous_working_day(date(2027, 1, 6)) == date(2027, 1, 5)
    assert previous_working_day(date(2026, 3, 8)) == date(2026, 3, 6)  # Sunday → Friday


# --------------------------------------------------------------------------- formatting

PHRASES = RelativePhrases(
    today="i dag",
    tomorrow="i morgon",
    yesterday="i går",
    future="om {days} dagar",
    past="för {days} dagar sedan",
)


def test_dates_are_written_the_swedish_way() -> None:
    assert format_date_sv(date(2026, 12, 8)) == "tisdag 8 december 2026"
    assert format_date_sv(date(2027, 3, 1)) == "måndag 1 mars 2027"
    assert format_month_sv(date(2027, 1, 8)) == "januari 2027"


@pytest.mark.parametrize(
    ("day", "phrase"),
    [
        (date(2026, 11, 23), "i dag"),
        (date(2026, 11, 24), "i morgon"),
        (date(2026, 11, 22), "i går"),
        (date(2026, 12, 8), "om 15 dagar"),
        (date(2026, 11, 20), "för 3 dagar sedan"),
    ],
)
def test_relative_phrasing(day: date, phrase: str) -> None:
    assert format_relative(day, TODAY, PHRASES) == phrase


# --------------------------------------------------------------------------- month arithmetic


@pytest.mark.parametrize(
    ("effective", "latest"),
    [
        (date(2027, 3, 1), date(2027, 1, 1)),
        (date(2027, 5, 31), date(2027, 3, 31)),
        (date(2027, 4, 30), date(2027, 2, 28)),  # no 30 February: clamp to month end
        (date(2028, 4, 30), date(2028, 2, 29)),  # leap year
        (date(2028, 4, 29), date(2028, 2, 29)),
        (date(2028, 2, 29), date(2027, 12, 29)),
        (date(2027, 1, 15), date(2026, 11, 15)),  # across the year boundary
    ],
)
def test_two_months_before_an_effective_date(effective: date, latest: date) -> None:
    assert months_before(effective, 2) == latest


@pytest.mark.parametrize(
    ("sent", "earliest"),
    [
        (date(2026, 11, 23), date(2027, 1, 23)),
        (date(2026, 12, 28), date(2027, 2, 28)),
        (date(2026, 12, 31), date(2027, 3, 1)),  # 28 Feb would need input by 28 Dec
        (date(2027, 12, 29), date(2028, 2, 29)),  # leap day exists in 2028
        (date(2027, 12, 30), date(2028, 3, 1)),
    ],
)
def test_earliest_effective_date_for_input_sent_on_a_day(sent: date, earliest: date) -> None:
    assert earliest_after_months(sent, 2) == earliest
    assert months_before(earliest, 2) >= sent


def test_earliest_effective_date_is_the_first_that_works() -> None:
    # Every day of a leap-year span: the answer meets the rule, the day before it does not.
    for offset in range(0, 800):
        sent = date(2026, 12, 1) + timedelta(days=offset)
        earliest = earliest_after_months(sent, 2)
        assert months_before(earliest, 2) >= sent
        assert months_before(earliest - timedelta(days=1), 2) < sent


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        # concrete days
        ("Vi omorganiserar 15 april 2027", "day", date(2027, 4, 15)),
        ("Gäller det från den 1/3?", "day", date(2027, 3, 1)),
        ("från 1/3 2027", "day", date(2027, 3, 1)),
        ("1/3-2027", "day", date(2027, 3, 1)),
        ("2027-03-01", "day", date(2027, 3, 1)),
        ("omorganisation 1 mars", "day", date(2027, 3, 1)),
        ("den 1:a mars", "day", date(2027, 3, 1)),
        ("8:e december", "day", date(2026, 12, 8)),
        ("15 dec", "day", date(2026, 12, 15)),
        ("23 november", "day", date(2026, 11, 23)),  # today counts as the next 23 November
        ("22 november", "day", date(2027, 11, 22)),  # yesterday's date: next year
        ("29 februari", "day", date(2028, 2, 29)),  # next leap day
        ("jag lade ett ärende i fredags", "day", date(2026, 11, 20)),
        ("i måndags", "day", date(2026, 11, 16)),  # said on a Monday: a week ago
        ("på måndag", "day", date(2026, 11, 30)),  # said on a Monday: next week
        ("pa mandag", "day", date(2026, 11, 30)),
        ("på fredag", "day", date(2026, 11, 27)),
        ("Skickar jag i dag?", "day", TODAY),
        ("skickar jag idag", "day", TODAY),
        ("i morgon", "day", date(2026, 11, 24)),
        ("imorgon", "day", date(2026, 11, 24)),
        ("igår", "day", date(2026, 11, 22)),
        # English
        ("on Friday", "day", date(2026, 11, 27)),
        ("last Friday", "day", date(2026, 11, 20)),
        ("today", "day", TODAY),
        ("March 15", "day", date(2027, 3, 15)),
        ("1st of March 2027", "day", date(2027, 3, 1)),
        # months (the pay month people ask about)
        ("nästa månad", "month", date(2026, 12, 1)),
        ("nasta manad", "month", date(2026, 12, 1)),
        ("nästa månads lön", "month", date(2026, 12, 1)),
        ("denna månad", "month", date(2026, 11, 1)),
        ("den här månaden", "month", date(2026, 11, 1)),
        ("den har manadens lon", "month", date(2026, 11, 1)),
        ("decemberlönen", "month", date(2026, 12, 1)),
        ("januarilönen", "month", date(2027, 1, 1)),
        ("lönen i mars", "month", date(2027, 3, 1)),
        ("marslönen", "month", date(2027, 3, 1)),
        ("marslonen", "month", date(2027, 3, 1)),
        ("decembers lön", "month", date(2026, 12, 1)),
        ("i januari", "month", date(2027, 1, 1)),
        ("novemberlönen", "month", date(2026, 11, 1)),  # the current month counts as next
        ("oktoberlönen", "month", date(2027, 10, 1)),
        ("lönen för oktober 2026", "month", date(2026, 10, 1)),
        ("next month", "month", date(2026, 12, 1)),
        ("this month", "month", date(2026, 11, 1)),
        ("March salary", "month", date(2027, 3, 1)),
        ("in March", "month", date(2027, 3, 1)),
        ("omorganisation till årsskiftet", "day", date(2027, 1, 1)),
        ("löneunderlag till jul", "day", date(2026, 12, 24)),
        ("midsommarafton", "day", date(2027, 6, 25)),  # the Friday between 19 and 25 June
        ("om jag lägger ärendet lördag", "day", date(2026, 11, 28)),  # a bare weekday: the next one
        ("löneunderlag påskafton", "day", date(2027, 3, 27)),  # Easter Sunday 2027 is 28 March
        ("intyg till kristi himmelsfärd 2027", "day", date(2027, 5, 6)),
        ("löneunderlag på valborg", "day", date(2027, 4, 30)),
        ("underlag på nationaldagen", "day", date(2027, 6, 6)),
        ("skickar löneunderlaget 9/12, hinner det med på decemberlönen?", "day", date(2026, 12, 9)),
        ("underlaget lämnades in 2/12", "day", date(2026, 12, 2)),
        ("intyg beställt på midsommarafton 2028", "day", date(2028, 6, 23)),
        ("löneunderlag i mellandagarna", "day", date(2026, 12, 28)),  # the first working day after annandag jul
        ("löneunderlag mellandagarna 2027", "day", date(2027, 12, 27)),
        ("intyg vecka 52", "day", date(2026, 12, 21)),  # the week's Monday
        ("v. 2 2027", "day", date(2027, 1, 11)),
        ("vecka 47", "day", date(2027, 11, 22)),  # this year's is behind us
        ("week 1", "day", date(2027, 1, 4)),
        ("skickar det om två veckor", "day", date(2026, 12, 7)),
        ("beställer intyg om 3 dagar", "day", date(2026, 11, 26)),
        ("behöver det om en månad", "day", date(2026, 12, 23)),
        ("I'll send it in two weeks", "day", date(2026, 12, 7)),
        ("sista vardagen i december", "day", date(2026, 12, 30)),  # nyårsafton is not one
        ("sista arbetsdagen i januari 2027", "day", date(2027, 1, 29)),
        ("sista dagen i december", "month", date(2026, 12, 1)),  # the month's deadline, not its last day
        ("i mitten av december", "day", date(2026, 12, 15)),
        ("i slutet av februari 2028", "day", date(2028, 2, 29)),
        ("skickar det efter nyår", "day", date(2027, 1, 2)),
        ("om det skickas den 10:e", "day", date(2026, 12, 10)),  # the next 10th
    ],
)
def test_date_expressions(text: str, kind: str, value: date) -> None:
    ref = parse_date_expression(text, TODAY)
    assert ref is not None, text
    assert (ref.kind, ref.value) == (kind, value)


def test_the_match_is_reported_as_the_user_wrote_it() -> None:
    assert parse_date_expression("Hinner vi med MARSLÖNEN?", TODAY).text == "MARSLÖNEN"
    assert parse_date_expression("lönen i mars", TODAY).text == "lönen i mars"
    assert parse_date_expression("HR skickade underlaget den 20/11", TODAY).text == "den 20/11"


@pytest.mark.parametrize(
    "text",
    [
        "Underlaget ska vara inne senast den 8:e",
        "senast den 8:e i månaden",
        "den 5:e i månaden",
        "the 8th of each month",
        "85 % av samtalen ska besvaras inom 3 minuter",
        "inom 2 arbetsdagar",
        "intyg inom fem arbetsdagar",
        "Serviceportalen är öppen 24/7",
        "jag jobbar 1/2 tid",
        "vi delar 50/50",
        "3/4 av underlaget",
        "jobbar 20/80 mellan enheterna",
        "I may be late",
        "i dagarna",
        "god jul",
        "31/2 2027",  # no such day
        "",
        "Hur söker jag behörighet i Heroma?",
        "Gäller den 8:e även på en lördag?",  # any Saturday, not the next one
        "stämplar jag fel varje fredag",
        "jobbar på lördagar",
        "skickar 1/2 av underlaget",
        "vecka 53 2027",  # 2027 has 52 weeks
        "jag går på semester om en vecka",  # a span of time, not a day something is sent
        "skickas senast den 8:e",  # the rule, not a day
        "den 10:e i varje månad",
        "veckans frågor",
        "vad händer om veckan är kort",
    ],
)
def test_non_dates_are_not_parsed(text: str) -> None:
    assert parse_date_expression(text, TODAY) is None


def test_a_day_wins_over_a_month_in_the_same_question() -> None:
    ref = parse_date_expression("Hinner jag till decemberlönen om jag skickar idag?", TODAY)
    assert (ref.kind, ref.value) == ("day", TODAY)


def test_nearest_reads_a_yearless_day_as_the_closest_one() -> None:
    # "HR skickade underlaget den 20/11" said on 23 November means three days ago…
    assert parse_date_expression("den 20/11", TODAY, prefer="nearest").value == date(2026, 11, 20)
    # …while by default a yearless date is the next one.
    assert parse_date_expression("den 20/11", TODAY).value == date(2027, 11, 20)
    assert parse_date_expression("den 1/12", TODAY, prefer="nearest").value == date(2026, 12, 1)
    # …but not months back: "skickas 3 oktober", said in November, is next October
    assert parse_date_expression("löneunderlag skickas 3 oktober", TODAY, prefer="nearest").value == date(2027, 10, 3)
    assert parse_date_expression("löneunderlag på midsommarafton", TODAY, prefer="nearest").value == date(2027, 6, 25)
    assert parse_date_expression("underlaget kom in 30 oktober", TODAY, prefer="nearest").value == date(2026, 10, 30)
    assert parse_date_expression("när var den 3 oktober?", TODAY, prefer="nearest").value == date(2026, 10, 3)
    # months are the next one, even with "nearest"…
    assert parse_date_expression("i september", TODAY, prefer="nearest").value == date(2027, 9, 1)
    # …except last month, which is the one just ended ("underlag för november" asked in December)
    assert parse_date_expression("i oktober", TODAY, prefer="nearest").value == date(2026, 10, 1)
    assert parse_date_expression("i oktober", TODAY).value == date(2027, 10, 1)  # by default the next one
    # …unless the question is in the past tense: then the October that has been
    question = "när var sista dag för löneunderlag i oktober?"
    assert parse_date_expression(question, TODAY, prefer="nearest").value == date(2026, 10, 1)
    assert parse_date_expression("jag missade underlaget i november", TODAY, prefer="nearest").value == date(2026, 11, 1)
    assert parse_date_expression("när var sista dagen i december?", TODAY, prefer="nearest").value == date(2025, 12, 1)
    assert parse_date_expression(question, TODAY).value == date(2027, 10, 1)  # "next" stays next


def test_of_two_days_the_one_a_case_was_filed_on_is_the_one_counted_from() -> None:
    question = "om jag fick återkoppling den 2 januari, är det inom en arbetsdag om jag lade ärendet 31 december?"
    assert parse_date_expression(question, date(2026, 12, 7), prefer="nearest").value == date(2026, 12, 31)


def test_a_day_in_a_year_the_bot_does_not_count_in_is_no_date_and_is_named() -> None:
    # QA pass 31: "10 januari 2100" was silently read as 10 January 2027.
    for text in ("skickar underlaget 10 januari 2100", "31 december 9999"):
        assert parse_date_expression(text, date(2026, 12, 7)) is None
        assert far_days(text) == [text.split("underlaget ")[-1]]
    assert far_days("1 januari 2030") == [] and far_days("10 januari") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("jobbat extra i november, hinner det med på lönen?", None),
        ("Medarbetaren jobbade extra i november, kommer det med på decemberlönen?", date(2026, 12, 1)),
        ("övertid från oktober, kommer den med om jag skickar in idag?", date(2026, 12, 7)),
        # No work named: the pay month; asked in December, the November just ended (its day has
        # passed, which the answer says), not November 2027 (QA pass 39).
        ("sista dag för underlag i november?", date(2026, 11, 1)),
        ("sista dag för underlag i oktober?", date(2027, 10, 1)),
        ("underlag för november, sista dag för decemberlönen?", date(2026, 12, 1)),  # the pay month named
        ("sista dag för övertid till januarilönen", date(2027, 1, 1)),
        ("övertid februari deadline", date(2027, 2, 1)),
        ("deadline avvikelser januari", date(2027, 1, 1)),
    ],
)
def test_the_month_work_was_done_in_is_not_the_pay_month(text: str, value: date | None) -> None:
    # QA pass 32: "jobbat extra i november" got the deadline for November 2027.
    ref = parse_date_expression(text, date(2026, 12, 7), prefer="nearest")
    assert (ref.value if ref else None) == value


def test_a_months_papers_are_that_month() -> None:
    dec7 = date(2026, 12, 7)
    for text in ("januariunderlaget", "januariunderlag", "januari-underlaget"):
        ref = parse_date_expression(text, dec7)
        assert (ref.kind, ref.value, ref.text) == ("month", date(2027, 1, 1), text)


def test_a_bare_day_and_month_from_the_13th_up_is_a_date() -> None:
    dec7 = date(2026, 12, 7)
    ref = parse_date_expression("ärende i serviceportalen 31/12, svar senast?", dec7, prefer="nearest")
    assert (ref.value, ref.text) == (date(2026, 12, 31), "31/12")
    assert parse_date_expression("intyg 13/1", dec7).value == date(2027, 1, 13)
    assert parse_date_expression("öppet 24/7 hela julen", dec7) is None


def test_year_boundary_for_yearless_dates() -> None:
    new_years_eve = date(2026, 12, 31)
    assert parse_date_expression("1 januari", new_years_eve).value == date(2027, 1, 1)
    assert parse_date_expression("i december", new_years_eve).value == date(2026, 12, 1)
    assert parse_date_expression("nästa månad", new_years_eve).value == date(2027, 1, 1)


def test_a_bare_month_counts_after_a_topic_word_only() -> None:
    today = date(2026, 11, 23)
    ref = parse_date_expression("Sista dag löneunderlag mars", today)
    assert ref is not None and ref.kind == "month" and ref.value == date(2027, 3, 1)
    assert ref.text == "mars"  # the topic word stays in the question for matching
    assert parse_date_expression("deadline löneöversyn april", today).value == date(2027, 4, 1)
    assert parse_date_expression("mars", today) is None  # alone it may be anything
    # after "och" it is a follow-up's date ("och februari?" after a deadline answer)
    assert parse_date_expression("och februari?", today).value == date(2027, 2, 1)
    assert parse_date_expression("and March?", today).value == date(2027, 3, 1)


def test_days_no_calendar_has_are_found_as_written() -> None:
    assert impossible_days("löneunderlag 29 februari 2027, kommer det med?") == ["29 februari 2027"]
    assert impossible_days("omorganisation 31 April") == ["31 April"]
    assert impossible_days("lön 30:e februari") == ["30:e februari"]
    assert impossible_days("intyg 29 februari") == []  # a yearless 29 February exists (2028)
    assert impossible_days("29 februari 2028 och 30 april") == []
    assert impossible_days("vecka 53 2027") == ["vecka 53 2027"] and impossible_days("vecka 53 2026") == []


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("underlaget kom in den 3:e", date(2026, 12, 3)),
        ("om det kommer in den 12:e", date(2026, 12, 12)),
        ("la ett ärende den 23 nov", date(2026, 11, 23)),
        ("underlaget kom in 30 oktober", date(2026, 10, 30)),  # months back: still the past one
        ("jag skickade det den 25 januari", date(2026, 1, 25)),  # this year's is weeks off
        # past tense, but last year's is nearly a year back and this year's weeks ahead
        ("la ett ärende den 23 dec", date(2026, 12, 23)),
        ("jag lade ett ärende den 31 december", date(2026, 12, 31)),
        ("jag lade ett ärende på julafton", date(2026, 12, 24)),
    ],
)
def test_a_yearless_day_in_the_past_tense(text: str, day: date) -> None:
    assert parse_date_expression(text, date(2026, 12, 7), prefer="nearest").value == day


def test_next_this_and_last_week_are_spans_of_days() -> None:
    today = date(2026, 12, 7)  # a Monday
    ref = parse_date_expression("om jag skickar in underlaget nästa vecka", today, prefer="nearest")
    assert (ref.value, ref.last, ref.text) == (date(2026, 12, 14), date(2026, 12, 20), "nästa vecka")
    ref = parse_date_expression("jag skickade det förra veckan", today, prefer="nearest")
    assert (ref.value, ref.last) == (date(2026, 11, 30), date(2026, 12, 6))
    ref = parse_date_expression("kan jag skicka det i veckan", date(2026, 12, 9))  # this week: from today
    assert (ref.value, ref.last) == (date(2026, 12, 9), date(2026, 12, 13))
    assert parse_date_expression("next week", today).value == date(2026, 12, 14)


def test_an_ordinal_after_arrives_or_submit_is_a_day() -> None:
    today = date(2026, 12, 7)
    assert parse_date_expression("my paper arrives on the 10th", today).value == date(2026, 12, 10)
    assert parse_date_expression("if I submit it on the 9th", today).value == date(2026, 12, 9)


def test_a_short_month_name_with_a_year_and_a_time_of_day() -> None:
    from bot.dates import TIME_OF_DAY_RE

    assert parse_date_expression("löneunderlag feb 2027", date(2026, 12, 7)).value == date(2027, 2, 1)
    assert TIME_OF_DAY_RE.sub("#", "den 8e kl 23 på kvällen") == "den 8e # #"
    assert TIME_OF_DAY_RE.sub("#", "mitt i natten") == "mitt i natten"  # kept: "dygnet runt" questions


def test_a_weekday_before_a_date_picks_the_year_and_never_overrides_the_date() -> None:
    today = date(2026, 12, 7)
    # 18 December is a Friday in 2026, not in 2025: past tense or not, 2026
    ref = parse_date_expression("skickade ett ärende fredag 18 december", today, prefer="nearest")
    assert ref.value == date(2026, 12, 18) and ref.text == "18 december"
    assert parse_date_expression("torsdag 10/12", today).value == date(2026, 12, 10)
    assert parse_date_expression("det blir inte förrän på torsdag den 10:e", today, prefer="nearest").value == date(2026, 12, 10)
    assert parse_date_expression("lägger ärendet fredag", today).value == date(2026, 12, 11)


def test_d_m_after_ordering_or_sending_a_few_words_before_is_a_date() -> None:
    today = date(2026, 12, 7)
    assert parse_date_expression("beställer intyg 23/12", today).value == date(2026, 12, 23)
    assert parse_date_expression("hr skickar underlag för anstallningsavtal 22/12", today).value == date(2026, 12, 22)
    assert parse_date_expression("serviceportalen är öppen 24/7", today) is None


def test_of_a_change_date_and_a_sending_date_the_caller_may_ask_for_either() -> None:
    today, text = date(2026, 12, 7), "omorganisation 15 februari 2027, vi skickar underlaget 20 december"
    assert parse_date_expression(text, today).value == date(2026, 12, 20)  # sent
    assert parse_date_expression(text, today, sent=False).value == date(2027, 2, 15)  # takes effect


def test_a_short_month_before_the_day_is_a_date_in_english_order() -> None:
    today = date(2026, 12, 7)
    assert parse_date_expression("what if I ask on Dec 21?", today).value == date(2026, 12, 21)
    assert parse_date_expression("jan 4th 2027", today).value == date(2027, 1, 4)
    assert parse_date_expression("i mars 3 gånger", today).kind == "month"  # a full Swedish month is no such date


def test_registering_is_a_verb_of_sending_for_choosing_between_two_days() -> None:
    ref = parse_date_expression("lägger in frånvaro för december den 10 januari 2027", date(2026, 12, 7))
    assert ref.value == date(2027, 1, 10)


def test_after_the_8th_states_the_rule_and_is_no_date() -> None:
    assert parse_date_expression("what if I submit the paperwork after the 8th", date(2026, 12, 7)) is None
    assert parse_date_expression("om jag skickar underlaget efter den 8:e", date(2026, 12, 7)) is None


@pytest.mark.parametrize(
    ("text", "month"),
    [("deadline payroll input january", 1), ("payroll deadline march", 3), ("the input may be late", None)],
)
def test_an_english_month_after_a_deadline_word(text: str, month: int | None) -> None:
    # QA pass 35: "deadline payroll input january" got December's deadline.
    ref = parse_date_expression(text, date(2026, 12, 7))
    assert (ref.value.month if ref else None) == month


def test_lucia_and_an_english_registration_day_are_days() -> None:
    dec7 = date(2026, 12, 7)
    assert parse_date_expression("om HR skickar underlaget på lucia?", dec7).value == date(2026, 12, 13)
    assert parse_date_expression("we registered it on the 10th", dec7, prefer="nearest").value == date(2026, 12, 10)


def test_next_year_is_its_january() -> None:
    for text in ("gäller 8:e fortfarande nästa år?", "payroll deadline next year"):
        assert parse_date_expression(text, date(2026, 12, 7)).value == date(2027, 1, 1)


@pytest.mark.parametrize(
    ("before", "length"),
    [("fre ", 4), ("Fredag den ", 11), ("tors. ", 6), ("mån ", 4), ("Sön, ", 5), ("kan man ", 0), ("ett ", 0)],
)
def test_the_weekday_just_before_a_date_is_part_of_when(before, length):
    # "mån"/"sön" count only with their å/ö: "man" is "one" ("kan man …").
    assert weekday_before(before) == length


def test_a_clipped_weekday_picks_the_year_in_which_the_day_falls_on_it():
    # 18 December is a Friday in 2026 and a Saturday in 2027: "fre" says which.
    ref = parse_date_expression("fre 18/12", date(2027, 1, 10))
    assert ref is not None and ref.value == date(2026, 12, 18)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sista dag underlag 8/1", date(2027, 1, 8)),  # after a deadline word
        ("fre 8/1 skickar jag", date(2027, 1, 8)),  # after a clipped weekday
        ("1/2 dag semester", None),  # still a fraction
        ("övertid deadline januari", date(2027, 1, 1)),  # January's deadline, not work done in January
        ("jobbade extra i november", None),  # the month of the work stays out
    ],
)
def test_qa_pass_36_date_forms(text, expected):
    ref = parse_date_expression(text, date(2026, 12, 7))
    assert (ref.value if ref else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("efter nyår, typ 4 jan", date(2027, 1, 4)), ("i mellandagarna, kanske 28/12", date(2026, 12, 28))],
)
def test_a_numbered_day_makes_a_named_time_near_it_precise(text, expected):
    ref = parse_date_expression(text, date(2026, 12, 7))
    assert ref is not None and ref.value == expected


@pytest.mark.parametrize(
    "text, left",
    [
        ("underlag mellan jul och nyår", "underlag"),
        ("sjukfrånvaron från julen", "sjukfrånvaron"),
        ("intyg över jul", "intyg"),
        ("öppet under julhelgen?", "öppet ?"),
        ("deadline during the christmas holidays", "deadline"),
    ],
)
def test_a_stretch_of_holidays_is_a_time(text, left):
    assert " ".join(HOLIDAY_STRETCH_RE.sub(" ", text).split()) == left


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # QA pass 56: a weekday with "nästa vecka" was this week's, or the next week's Monday
        ("om jag beställer intyg på onsdag nästa vecka", date(2026, 12, 16)),
        ("nästa vecka på onsdag", date(2026, 12, 16)),
        ("onsdag i nästa vecka", date(2026, 12, 16)),
        ("förra veckan på fredag", date(2026, 12, 4)),
        ("på onsdag", date(2026, 12, 9)),  # without a week: the next one, as before
        ("nästa vecka", date(2026, 12, 14)),
    ],
)
def test_a_weekday_of_next_or_last_week_is_that_weeks(text, expected):
    assert parse_date_expression(text, date(2026, 12, 7), prefer="nearest").value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jag la ett ärende på lördag", date(2026, 12, 5)),  # QA pass 56: read as the coming Saturday
        ("skickade det på fredag", date(2026, 12, 4)),
        ("skickade det på måndag", date(2026, 12, 7)),  # today is Monday: today's
        ("jag skickade det men hinner det senast fredag", date(2026, 12, 11)),  # a day it's needed by stays ahead
    ],
)
def test_a_weekday_after_pa_in_the_past_tense_is_the_one_that_has_been(text, expected):
    assert parse_date_expression(text, date(2026, 12, 7), prefer="nearest").value == expected
