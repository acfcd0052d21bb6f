"""Deadline rules become concrete dates: the user asks "när?", the bot answers with a date.

Each test reads: today + the user's question → the sentence the bot appends to the rule answer.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.deadlines import (
    CalendarTexts,
    DeadlineInfo,
    deadline_fact_problems,
    describe_deadline,
    load_calendar_texts,
)
from bot.yamlsrc import ContentInvalid

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "calendar"
TODAY = date(2026, 11, 23)  # Monday

# The facts as the knowledge base states them (knowledge/README.md, facts.deadline).
PAYROLL_INPUT = {"type": "monthly", "day": 8}
LONEOVERSYN = {"type": "monthly", "day": 5}
REORGANISATION = {"type": "before_effective", "months": 2}
CONTRACT = {"type": "working_days", "days": 2, "after": "att Löneservice fått komplett underlag från HR"}
SERVICEPORTAL = {"type": "working_days", "days": 1, "after": "att ärendet kom in via VGR Serviceportal"}
CERTIFICATE = {"type": "working_days", "days": 5, "after": "att beställningen kom in"}
UTANORDNINGSLISTA = {"type": "every_month"}


@pytest.fixture(scope="module")
def texts() -> CalendarTexts:
    return load_calendar_texts(ROOT / "knowledge" / "calendar.yaml")


def ask(texts: CalendarTexts, fact: dict, question: str, today: date = TODAY) -> DeadlineInfo:
    info = describe_deadline(fact, question, today, texts)
    assert info is not None
    return info


# --------------------------------------------------------------------------- monthly: payroll input by the 8th


def test_next_deadline_from_today(texts: CalendarTexts) -> None:
    info = ask(texts, PAYROLL_INPUT, "När ska löneunderlaget vara inne?")
    assert info.text == "Nästa sista dag: tisdag 8 december 2026, om 15 dagar."
    assert info.due == date(2026, 12, 8)
    assert info.fine_print is None  # a plain Tuesday needs no fine print


def test_how_many_days_are_left_is_the_om_n_dagar_part(texts: CalendarTexts) -> None:
    assert "om 15 dagar" in ask(texts, PAYROLL_INPUT, "Hur många dagar är det kvar till sista dag?").text


def test_after_the_8th_the_next_deadline_is_next_year(texts: CalendarTexts) -> None:
    info = ask(texts, PAYROLL_INPUT, "sista dag underlag lön", today=date(2026, 12, 9))
    assert info.text == "Nästa sista dag: fredag 8 januari 2027, om 30 dagar."
    assert info.due == date(2027, 1, 8)


def test_the_deadline_is_today(texts: CalendarTexts) -> None:
    info = ask(texts, PAYROLL_INPUT, "När ska underlaget vara inne?", today=date(2026, 12, 8))
    assert info.text == "Sista dag är i dag, tisdag 8 december 2026."
    assert info.due == date(2026, 12, 8)


def test_named_pay_month_gives_that_months_deadline(texts: CalendarTexts) -> None:
    info = ask(texts, PAYROLL_INPUT, "När måste underlaget vara inne för lönen i mars?")
    assert info.text == "Sista dag för att komma med på lönen i mars 2027: måndag 8 mars 2027, om 105 dagar."
    assert info.due == date(2027, 3, 8)


@pytest.mark.parametrize(
    ("question", "due"),
    [
        ("Hinner jag till decemberlönen?", date(2026, 12, 8)),
        ("marslonen", date(2027, 3, 8)),
        ("nasta manads lon", date(2026, 12, 8)),
        ("When is the deadline for the March salary?", date(2027, 3, 8)),
    ],
)
def test_pay_month_forms(texts: CalendarTexts, question: str, due: date) -> None:
    assert ask(texts, PAYROLL_INPUT, question).due == due


def test_named_pay_month_whose_deadline_is_today(texts: CalendarTexts) -> None:
    info = ask(texts, PAYROLL_INPUT, "decemberlönen", today=date(2026, 12, 8))
    assert info.text == "Sista dag för att komma med på lönen i december 2026 är i dag, tisdag 8 december 2026."


def test_passed_deadline_says_so_and_gives_the_next_one(texts: CalendarTexts) -> None:
    info = ask(texts, PAYROLL_INPUT, "Hinner jag till decemberlönen?", today=date(2026, 12, 9))
    assert "Sista dagen för att komma med på lönen i december 2026 var tisdag 8 december 2026 och har passerat." in info.text
    assert "hinner till lönen i januari 2027: sista dag fredag 8 januari 2027, om 30 dagar." in info.text
    assert info.due == date(2027, 1, 8)


def test_this_months_pay_when_the_8th_has_passed(texts: CalendarTexts) -> None:
    info = ask(texts, PAYROLL_INPUT, "Hinner jag rapportera ändringar till den här månadens lön?")
    assert "lönen i november 2026 var söndag 8 november 2026 och har passerat" in info.text
    assert "lönen i december 2026: sista dag tisdag 8 december 2026, om 15 dagar" in info.text


def test_sending_today_says_which_pay_it_makes(texts: CalendarTexts) -> None:
    info = ask(texts, PAYROLL_INPUT, "Hinner jag till decemberlönen om jag skickar idag?")
    assert info.text == (
        "Det som kommer in måndag 23 november 2026 är efter sista dagen för lönen i november 2026 "
        "(söndag 8 november 2026), så det hinner till lönen i december 2026 (sista dag tisdag 8 december 2026)."
    )
    assert info.due == date(2026, 12, 8)


def test_a_send_date_before_the_8th_makes_that_months_pay(texts: CalendarTexts) -> None:
    info = ask(texts, PAYROLL_INPUT, "Jag skickade underlaget den 5 november, kommer det med?")
    assert info.text == (
        "Det som kommer in torsdag 5 november 2026 hinner till lönen i november 2026 "
        "(sista dag söndag 8 november 2026)."
    )


def test_the_rule_itself_is_not_a_date(texts: CalendarTexts) -> None:
    info = ask(texts, PAYROLL_INPUT, "Vad betyder senast den 8:e i månaden?")
    assert info.text == "Nästa sista dag: tisdag 8 december 2026, om 15 dagar."


# --------------------------------------------------------------------------- deadlines on weekends and holidays


def test_deadline_on_a_sunday_is_named_but_not_moved(texts: CalendarTexts) -> None:
    info = ask(texts, PAYROLL_INPUT, "augustilönen")
    assert info.due == date(2027, 8, 8)
    assert "söndag 8 augusti 2027" in info.text
    assert "Det är en söndag, så skicka gärna in det senast fredag 6 augusti 2027." in info.text
    assert "9 augusti" not in info.text  # no invented "moves to Monday"
    assert info.fine_print is not None and "säger inte att sista dagen flyttas" in info.fine_print


def test_loneoversyn_by_the_5th_on_a_saturday(texts: CalendarTexts) -> None:
    info = ask(texts, LONEOVERSYN, "När ska förhandlingsresultatet vara inne?")
    assert info.text.startswith("Nästa sista dag: lördag 5 december 2026, om 12 dagar.")
    assert "senast fredag 4 december 2026" in info.text


@pytest.mark.parametrize(
    ("fact", "question", "holiday", "advice"),
    [
        ({"type": "monthly", "day": 6}, "lönen i januari", "trettondedag jul", "tisdag 5 januari 2027"),
        ({"type": "monthly", "day": 6}, "lönen i maj", "Kristi himmelsfärdsdag", "onsdag 5 maj 2027"),
        ({"type": "monthly", "day": 25}, "junilönen", "midsommarafton", "torsdag 24 juni 2027"),
        ({"type": "monthly", "day": 24}, "decemberlönen", "julafton", "onsdag 23 december 2026"),
    ],
)
def test_deadline_on_a_holiday_names_the_holiday(
    texts: CalendarTexts, fact: dict, question: str, holiday: str, advice: str
) -> None:
    info = ask(texts, fact, question)
    assert f"Det är {holiday}, så skicka gärna in det senast {advice}." in info.text


def test_a_day_beyond_the_month_end_is_the_last_day(texts: CalendarTexts) -> None:
    assert ask(texts, {"type": "monthly", "day": 31}, "lönen i april").due == date(2027, 4, 30)
    assert ask(texts, {"type": "monthly", "day": 31}, "lönen i februari 2028").due == date(2028, 2, 29)


# --------------------------------------------------------------------------- before_effective: reorganisation


def test_reorganisation_with_an_effective_date(texts: CalendarTexts) -> None:
    info = ask(texts, REORGANISATION, "Vi omorganiserar från 1/4, när måste underlaget vara inne?")
    assert info.text == (
        "För att förändringen ska träda i kraft torsdag 1 april 2027 behöver underlaget vara Löneservice "
        "tillhanda senast måndag 1 februari 2027, om 70 dagar."
    )
    assert info.due == date(2027, 2, 1)


def test_latest_date_on_nyarsdagen_advises_the_working_day_before_nyarsafton(texts: CalendarTexts) -> None:
    info = ask(texts, REORGANISATION, "vi omorganiserar 1 mars 2027")
    assert info.due == date(2027, 1, 1)
    assert "Det är nyårsdagen, så skicka gärna in det senast onsdag 30 december 2026." in info.text


@pytest.mark.parametrize(
    ("question", "latest"),
    [
        ("organisationsförändring 31 maj 2027", date(2027, 3, 31)),
        ("omorganisation 30 april 2027", date(2027, 2, 28)),  # clamped to month end
        ("omorganisation 30 april 2028", date(2028, 2, 29)),  # leap year
        ("omorganisation 2028-04-29", date(2028, 2, 29)),
        ("omorg i mars", date(2027, 1, 1)),  # a month means its 1st day
    ],
)
def test_two_months_before(texts: CalendarTexts, question: str, latest: date) -> None:
    assert ask(texts, REORGANISATION, question).due == latest


@pytest.mark.parametrize(
    ("question", "sent", "earliest"),
    [
        ("och om underlaget kommer 3 mars?", "onsdag 3 mars 2027", "måndag 3 maj 2027"),
        ("omorganisation, vi skickar underlaget 31 december", "torsdag 31 december 2026", "måndag 1 mars 2027"),
    ],
)
def test_only_the_day_the_papers_arrive_gives_the_earliest_effective_day(
    texts: CalendarTexts, question: str, sent: str, earliest: str
) -> None:
    info = ask(texts, REORGANISATION, question)
    assert info.text == f"Är underlaget Löneservice tillhanda {sent} kan förändringen träda i kraft tidigast {earliest}."
    assert info.due is None


def test_coming_to_reorganise_is_no_day_of_arrival(texts: CalendarTexts) -> None:
    info = ask(texts, REORGANISATION, "vi kommer att omorganisera 1 maj 2027")
    assert info.due == date(2027, 3, 1)


def test_reorganisation_too_soon_says_the_date_has_passed(texts: CalendarTexts) -> None:
    info = ask(texts, REORGANISATION, "Vi ska omorganisera 1 januari")
    assert "senast söndag 1 november 2026, och den dagen har passerat" in info.text
    assert "tidigast lördag 23 januari 2027" in info.text
    assert info.due == date(2026, 11, 1)


@pytest.mark.parametrize(
    ("today", "earliest"),
    [
        (TODAY, "lördag 23 januari 2027"),
        (date(2026, 12, 31), "måndag 1 mars 2027"),  # no 31 February
        (date(2027, 12, 29), "tisdag 29 februari 2028"),
    ],
)
def test_reorganisation_without_a_date_gives_an_example_from_today(
    texts: CalendarTexts, today: date, earliest: str
) -> None:
    info = ask(texts, REORGANISATION, "Hur lång tid innan en omorganisation ska underlaget in?", today=today)
    assert info.text.startswith(
        f"Skickar ni underlaget i dag kan förändringen träda i kraft tidigast {earliest}."
    )
    assert info.due is None


def test_today_in_a_reorganisation_question_is_the_sending_day(texts: CalendarTexts) -> None:
    info = ask(texts, REORGANISATION, "Om vi skickar underlaget idag, när kan omorganisationen gälla?")
    assert "tidigast lördag 23 januari 2027" in info.text


# --------------------------------------------------------------------------- working_days: contracts, cases, certificates


def test_contract_counted_from_today(texts: CalendarTexts) -> None:
    info = ask(texts, CONTRACT, "När får jag anställningsavtalet?")
    assert info.text == (
        "Kommer det in i dag, måndag 23 november 2026, blir det senast onsdag 25 november 2026, om 2 dagar: "
        "två arbetsdagar efter att Löneservice fått komplett underlag från HR, helger och helgdagar oräknade."
    )
    assert info.fine_print is not None and "midsommarafton, julafton och nyårsafton" in info.fine_print


def test_contract_counted_from_the_date_in_the_question(texts: CalendarTexts) -> None:
    info = ask(texts, CONTRACT, "HR skickade underlaget den 20/11, när kommer avtalet?")
    assert info.text.startswith(
        "Räknat från fredag 20 november 2026 blir det senast tisdag 24 november 2026, i morgon"
    )
    assert info.due == date(2026, 11, 24)


def test_serviceportal_case_from_last_friday_is_due_today(texts: CalendarTexts) -> None:
    info = ask(texts, SERVICEPORTAL, "Jag lade ett ärende i fredags, när får jag svar?")
    assert "Räknat från fredag 20 november 2026 blir det senast måndag 23 november 2026, i dag" in info.text
    assert "en arbetsdag efter att ärendet kom in via VGR Serviceportal" in info.text


def test_a_passed_working_day_deadline_is_in_the_past_tense(texts: CalendarTexts) -> None:
    info = ask(texts, SERVICEPORTAL, "ärendet lades 2026-11-18")
    assert info.text.startswith(
        "Räknat från onsdag 18 november 2026 var sista dag torsdag 19 november 2026, för 4 dagar sedan"
    )


def test_a_date_the_user_needs_it_by_is_not_where_counting_starts(texts: CalendarTexts) -> None:
    # Monday 23 November: five working days from today is Monday 30 November.
    info = ask(texts, CERTIFICATE, "Jag behöver ett tjänstgöringsintyg till imorgon")
    assert info.due == date(2026, 11, 30)
    assert "Räknat från i dag, måndag 23 november 2026, blir det senast måndag 30 november 2026" in info.text
    assert "Det är efter tisdag 24 november 2026, då du behöver det, så det kan inte utlovas" in info.text
    info = ask(texts, CERTIFICATE, "jag behöver intyget senast 15 december")
    assert info.due == date(2026, 11, 30) and "alltså i tid till tisdag 15 december 2026, då du behöver det" in info.text
    info = ask(texts, CERTIFICATE, "Jag behöver ett tjänstgöringsintyg till jul")  # "till" is part of the date
    assert info.due == date(2026, 11, 30) and "i tid till torsdag 24 december 2026, då du behöver det" in info.text
    # A date without "till/senast/by" before it is still the day it was asked for.
    assert ask(texts, CERTIFICATE, "intyg i fredags").due == date(2026, 11, 27)


def test_certificate_across_jul_and_nyar(texts: CalendarTexts) -> None:
    info = ask(texts, CERTIFICATE, "Jag beställde ett intyg i dag", today=date(2026, 12, 23))
    # 24–27 Dec and 31 Dec–3 Jan are not working days; trettondagsafton 5 Jan is.
    assert info.due == date(2027, 1, 5)
    assert "senast tisdag 5 januari 2027" in info.text
    assert "fem arbetsdagar" in info.text


def test_case_before_kristi_himmelsfard(texts: CalendarTexts) -> None:
    assert ask(texts, SERVICEPORTAL, "ärendet kom in 5 maj 2027").due == date(2027, 5, 7)


def test_contract_before_midsommar(texts: CalendarTexts) -> None:
    assert ask(texts, CONTRACT, "underlaget kom 24 juni 2027").due == date(2027, 6, 29)


def test_a_month_is_no_start_date(texts: CalendarTexts) -> None:
    assert ask(texts, CONTRACT, "hur snabbt kommer avtal i december?").due == date(2026, 11, 25)


@pytest.mark.parametrize(
    ("question", "text"),
    [
        (
            "behöver ett arbetsgivarintyg innan jul, om jag beställer den 18/12 hinner det?",
            "Räknat från fredag 18 december 2026 blir det senast tisdag 29 december 2026, om 22 dagar: fem "
            "arbetsdagar efter att beställningen kom in, helger och helgdagar oräknade. Det är efter torsdag "
            "24 december 2026, då du behöver det, så det kan inte utlovas till dess – skriv i ärendet när du behöver det.",
        ),
        (
            "om jag beställer intyget den 10/12, hinner det till den 18 december?",
            "Räknat från torsdag 10 december 2026 blir det senast torsdag 17 december 2026, om 10 dagar: fem "
            "arbetsdagar efter att beställningen kom in, helger och helgdagar oräknade – alltså i tid till "
            "fredag 18 december 2026, då du behöver det.",
        ),
    ],
)
def test_the_day_it_comes_in_against_the_day_it_is_needed(texts: CalendarTexts, question: str, text: str) -> None:
    # QA pass 33: the order day was ignored, and the bot said "i tid" counting from today.
    info = ask(texts, CERTIFICATE, question, today=date(2026, 12, 7))
    assert info.text == text


# --------------------------------------------------------------------------- every_month: utanordningslistan


def test_every_month_names_the_current_and_next_month(texts: CalendarTexts) -> None:
    info = ask(texts, UTANORDNINGSLISTA, "När ska jag signera utanordningslistan?")
    assert info.text == "Det gäller varje månad: nu för november 2026, sedan för december 2026."
    assert info.due is None


def test_every_month_across_the_new_year(texts: CalendarTexts) -> None:
    info = ask(texts, UTANORDNINGSLISTA, "utanordningslistan", today=date(2026, 12, 15))
    assert "nu för december 2026, sedan för januari 2027" in info.text


def test_every_month_with_a_named_month(texts: CalendarTexts) -> None:
    info = ask(texts, UTANORDNINGSLISTA, "Måste jag signera i december också?")
    assert info.text == "Det gäller varje månad, alltså även december 2026."
    # QA pass 30: a month in the past tense is the one that has been, not next year's
    info = ask(texts, UTANORDNINGSLISTA, "glömde signera utanordningslistan i november", today=date(2026, 12, 7))
    assert info.text == "Det gäller varje månad, alltså även november 2026."


# --------------------------------------------------------------------------- facts


@pytest.mark.parametrize(
    ("fact", "problem"),
    [
        ({"type": "weekly"}, "okänd deadline-typ 'weekly'"),
        ({"type": "monthly"}, "behöver 'day: N' med ett heltal 1–31"),
        ({"type": "monthly", "day": "8"}, "behöver 'day: N'"),
        ({"type": "monthly", "day": 32}, "behöver 'day: N'"),
        ({"type": "monthly", "day": True}, "behöver 'day: N'"),
        ({"type": "monthly", "day": 8, "days": 2}, "fältet 'days' hör inte till deadline-typen monthly"),
        ({"type": "working_days", "days": 2}, "behöver 'after:' med en text"),
        ({"type": "before_effective", "months": 0}, "behöver 'months: N' med ett heltal 1–24"),
        (
            {"type": "working_days", "days": 2, "after": "x", "unless": "ändra"},
            "behöver både unless och unless_note, eller ingen av dem",
        ),
        ({"type": "working_days", "days": 2, "after": "x", "unless": "ändra", "unless_note": 3}, "'unless_note:' ska vara en text"),
        ({"type": "monthly", "day": 8, "unless": "x", "unless_note": "y"}, "fältet 'unless' hör inte till deadline-typen monthly"),
        ("monthly", "'deadline' ska vara en mappning"),
    ],
)
def test_broken_facts_are_reported_and_give_no_sentence(
    texts: CalendarTexts, fact: object, problem: str
) -> None:
    problems = deadline_fact_problems(fact)
    assert any(problem in p for p in problems), problems
    assert describe_deadline(fact, "när?", TODAY, texts) is None  # type: ignore[arg-type]


@pytest.mark.parametrize("fact", [PAYROLL_INPUT, LONEOVERSYN, REORGANISATION, CONTRACT, UTANORDNINGSLISTA])
def test_the_documented_facts_are_valid(fact: dict) -> None:
    assert deadline_fact_problems(fact) == []


# --------------------------------------------------------------------------- calendar.yaml


def test_wording_comes_from_the_yaml() -> None:
    minimal = load_calendar_texts(FIXTURES / "valid_minimal.yaml")
    info = describe_deadline(PAYROLL_INPUT, "sista dag?", date(2026, 12, 8), minimal)
    assert info is not None and info.text == "I dag, tisdag 8 december 2026."
    assert minimal.working_days(1) == "en arbetsdag"
    assert minimal.working_days(2) == "två arbetsdagar"
    assert minimal.working_days(5) == "5 arbetsdagar"  # no number word given for five


def test_real_calendar_counts_in_words(texts: CalendarTexts) -> None:
    assert texts.working_days(5) == "fem arbetsdagar"
    assert texts.working_days(15) == "15 arbetsdagar"


def load_errors(name: str) -> list[str]:
    with pytest.raises(ContentInvalid) as caught:
        load_calendar_texts(FIXTURES / name)
    return [f"{Path(e.path).name}:{e.line}: {e.message}" for e in caught.value.errors]


def test_missing_template() -> None:
    assert load_errors("missing_template.yaml") == [
        "missing_template.yaml:14: 'templates.monthly_next' saknas; lägg till 'monthly_next:' under "
        "'templates:' med platshållarna {date}, {relative}"
    ]


def test_unknown_placeholder_suggests_the_right_one() -> None:
    assert load_errors("unknown_placeholder.yaml") == [
        "unknown_placeholder.yaml:15: okänd platshållare {datum} i 'templates.monthly_next'. Menade du {date}? "
        "Tillåtna här: {date}, {relative}",
        "unknown_placeholder.yaml:15: 'templates.monthly_next' måste innehålla {date}; lägg tillbaka den i texten",
    ]


def test_a_template_that_drops_its_date() -> None:
    assert load_errors("missing_required_placeholder.yaml") == [
        "missing_required_placeholder.yaml:16: 'templates.monthly_today' måste innehålla {date}; "
        "lägg tillbaka den i texten"
    ]


def test_unknown_keys_suggest_the_right_name() -> None:
    errors = load_errors("unknown_keys.yaml")
    assert errors[0].startswith(
        "unknown_keys.yaml:11: okänd nyckel 'fineprint' överst i filen. Menade du 'fine_print'?"
    )
    assert (
        "unknown_keys.yaml:1: avsnittet 'fine_print:' saknas; lägg till det med nycklarna working_days, "
        "non_working_deadline" in errors
    )
    assert any(
        e.startswith(
            "unknown_keys.yaml:16: okänd nyckel 'monthly_todya' under 'templates:'. "
            "Menade du 'monthly_today'?"
        )
        for e in errors
    )
    assert any(e.startswith("unknown_keys.yaml:14: 'templates.monthly_today' saknas") for e in errors)
    assert len(errors) == 4


def test_bad_braces() -> None:
    errors = load_errors("bad_braces.yaml")
    assert any("bad_braces.yaml:29: 'templates.every_month' har en tom platshållare {}" in e for e in errors)
    assert any(
        "bad_braces.yaml:29: 'templates.every_month': skriv platshållaren som bara {next_month}" in e
        for e in errors
    )
    assert any(
        "bad_braces.yaml:30: 'templates.every_month_named': klamrarna { } går inte ihop" in e for e in errors
    )


def test_wrong_types() -> None:
    assert load_errors("wrong_types.yaml") == [
        "wrong_types.yaml:2: 'relative.today' ska vara en text som inte är tom; skriv texten efter 'today:'",
        "wrong_types.yaml:3: 'relative.tomorrow' ska vara en text som inte är tom; skriv texten efter 'tomorrow:'",
        "wrong_types.yaml:10: 'counts.number_words' ska vara en lista med ord, t.ex. [noll, en, två, tre]",
    ]


def test_yaml_syntax_error_points_at_the_line() -> None:
    [error] = load_errors("syntax_error.yaml")
    assert error.startswith("syntax_error.yaml:5: YAML-syntaxfel")


def test_a_list_instead_of_sections() -> None:
    [error] = load_errors("not_a_mapping.yaml")
    assert error.startswith(
        "not_a_mapping.yaml:1: filen ska börja med avsnitten relative, counts, fine_print, templates"
    )


def test_asking_about_a_weekend_deadline_gets_what_the_document_does_not_say(texts: CalendarTexts) -> None:
    from bot.deadlines import describe_deadline

    # The next 8th (Tuesday 8 December) is a working day, but the question is about weekends.
    info = describe_deadline({"type": "monthly", "day": 8}, "Gäller den 8:e även om det är en lördag?", TODAY, texts)
    assert info is not None and "tisdag 8 december 2026" in info.text
    assert info.fine_print == texts.fine_print["non_working_deadline"]
    plain = describe_deadline({"type": "monthly", "day": 8}, "När ska underlaget vara inne?", TODAY, texts)
    assert plain is not None and plain.fine_print is None


def test_no_advice_to_send_on_a_working_day_that_has_passed(texts: CalendarTexts) -> None:
    from bot.deadlines import describe_deadline

    saturday = date(2026, 12, 5)  # the 5th is today, a Saturday: Friday has passed
    info = describe_deadline({"type": "monthly", "day": 5}, "när ska det vara inne?", saturday, texts)
    assert info is not None and "i dag, lördag 5 december 2026" in info.text
    assert "fredag 4 december" not in info.text
    friday = date(2026, 12, 4)  # the day before: the advice still helps
    info = describe_deadline({"type": "monthly", "day": 5}, "när ska det vara inne?", friday, texts)
    assert info is not None and "senast fredag 4 december 2026" in info.text


def test_a_weekday_or_holiday_can_be_the_date(texts: CalendarTexts) -> None:
    info = ask(texts, CERTIFICATE, "jag behöver intyget senast fredag, hinner ni?")
    assert "Det är efter fredag 27 november 2026, då du behöver det" in info.text
    info = ask(texts, SERVICEPORTAL, "ärende i serviceportalen på julafton, när får jag svar")
    assert info.due == date(2026, 12, 28)


def test_a_needed_by_date_also_gives_the_last_day_to_ask(texts: CalendarTexts) -> None:
    info = ask(texts, CERTIFICATE, "jag behöver intyget senast 15 december", today=date(2026, 12, 7))
    assert "om det kommer in senast tisdag 8 december 2026" in info.text


def test_words_that_lift_a_working_days_rule_give_its_note_instead_of_a_date(texts: CalendarTexts) -> None:
    fact = {**CONTRACT, "unless": "ändra ändring", "unless_note": "Tiden gäller utan ändringar."}
    info = describe_deadline(fact, "hur lång tid tar det om HR behövt ändra underlaget?", TODAY, texts)
    assert info is not None and info.text == "Tiden gäller utan ändringar." and info.due is None
    info = describe_deadline(fact, "hur lång tid tar det?", TODAY, texts)
    assert info is not None and info.due is not None  # without those words: the date


@pytest.mark.parametrize(
    "question, today, text",
    [
        (
            # "nu innan jul" is when the case goes in, not a day it is needed by
            "lägger ett ärende nu innan jul, när får jag återkoppling?",
            date(2026, 12, 23),
            "Kommer det in i dag, onsdag 23 december 2026, blir det senast måndag 28 december 2026, om 5 dagar",
        ),
        (
            # "beställer idag" after "behöver": the order day, not the day it is needed
            "behöver intyg snabbt, beställer idag på julafton",
            date(2026, 12, 24),
            "Kommer det in i dag, torsdag 24 december 2026, blir det senast tisdag 5 januari 2027",
        ),
    ],
)
def test_a_day_the_user_acts_on_is_no_day_it_is_needed(texts: CalendarTexts, question: str, today: date, text: str) -> None:
    # QA pass 44: both said "Det är efter torsdag 24 december 2026, då du behöver det".
    fact = SERVICEPORTAL if "ärende" in question else CERTIFICATE
    info = ask(texts, fact, question, today=today)
    assert info.text.startswith(text) and "då du behöver det" not in info.text
    # still a need: "behöver det innan jul"
    assert "då du behöver det" in ask(texts, CERTIFICATE, "behöver intyget innan jul", today=date(2026, 12, 7)).text
