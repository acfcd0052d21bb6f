"""Redaction: a user pastes a personnummer or an e-mail address; analytics must never keep it."""

import pytest

from bot.privacy import (
    EMAIL_MARK,
    PERSONNUMMER_MARK,
    PHONE_MARK,
    has_personnummer,
    redact,
    without_personal_data,
    without_signature,
)
from bot.text import tokens


@pytest.mark.parametrize(
    "written",
    [
        "850312-1234",  # YYMMDD-XXXX
        "850312+1234",  # YYMMDD+XXXX (over 100 years old)
        "19850312-1234",  # YYYYMMDD-XXXX
        "198503121234",  # YYYYMMDDXXXX
        "8503121234",  # YYMMDDXXXX
        "850312 1234",  # typed with a space
        "850372-1234",  # samordningsnummer: day 12 + 60
        "19850372-1234",
        "200229-1234",  # 29 February without a century
        "20000229-1234",  # 29 February in a leap year
    ],
)
def test_personnummer_forms_are_redacted(written):
    said = f"Min lön för {written} stämmer inte, kan ni kolla?"
    assert redact(said) == f"Min lön för {PERSONNUMMER_MARK} stämmer inte, kan ni kolla?"


def test_several_identifiers_in_one_question():
    said = "Jag (19850312-1234, anna.svensson@vgregion.se) och 9001019876 fick fel lön"
    assert redact(said) == f"Jag ({PERSONNUMMER_MARK}, {EMAIL_MARK}) och {PERSONNUMMER_MARK} fick fel lön"


@pytest.mark.parametrize(
    "address",
    ["anna.svensson@vgregion.se", "Åsa.Öberg@vgr.se", "per+lon@example.com", "x_y@sub.domain.org"],
)
def test_email_addresses_are_redacted(address):
    assert redact(f"skicka till {address}.") == f"skicka till {EMAIL_MARK}."


@pytest.mark.parametrize(
    "ordinary",
    [
        "Underlaget ska vara inne senast den 8:e.",
        "Lönen kommer 2026-12-08.",
        "Jag jobbar 85 % sedan 2024.",
        "Beslut 20261208 gäller",  # a date written without separators, no final four digits
        "851312-1234",  # month 13: not a date of birth
        "850232-1234",  # 32 February
        "850231-1234",  # 31 February
        "19850231-1234",
        "ärende 12345678901234",  # a long reference number
        "svara på mejl @ Löneservice",
    ],
)
def test_ordinary_numbers_and_text_are_kept(ordinary):
    assert redact(ordinary) == ordinary


def test_leap_day_with_a_century_must_be_a_real_date():
    assert redact("19010229-1234") == "19010229-1234"  # 1901 was no leap year


def test_a_self_introduced_name_is_not_stored():
    assert redact("jag heter Anna Svensson och min lön är fel") == "jag heter [namn] och min lön är fel"
    assert redact("My name is Per Ek, when is the deadline?") == "My name is [namn], when is the deadline?"
    assert redact("Anna Svensson undrar när lönen kommer") == "Anna Svensson undrar när lönen kommer"  # no cue: kept


def test_matching_text_leaves_out_personal_data_and_the_words_announcing_it():
    assert has_personnummer("mitt pnr är 199001011234") and not has_personnummer("ansvar 4711, 85 %")
    text = without_personal_data("Mitt personnummer är 850101-1234, varför fick jag fel lön? anna@vgr.se")
    assert tokens(text) == ["varfor", "fick", "jag", "fel", "lon"]
    assert without_personal_data("personnummer till lönespecen") == "personnummer till lönespecen"  # no number: a topic


@pytest.mark.parametrize("number", ["031-123 45 67", "033-616 10 00", "070-123 45 67", "+46 70 123 45 67"])
def test_phone_numbers_are_redacted_and_left_out_of_matching(number):
    assert redact(f"ring mig på {number} om lönen") == f"ring mig på {PHONE_MARK} om lönen"
    assert tokens(without_personal_data(f"ring mig på {number} om lönen")) == tokens("ring mig på om lönen")


@pytest.mark.parametrize(
    ("message", "question"),
    [
        ("när kommer lönen? mvh Anna", "när kommer lönen?"),
        ("Hej, hur söker jag behörighet?\n\nMed vänliga hälsningar\nKarin Svensson\nTel 033-616 10 00", "Hej, hur söker jag behörighet?"),
        ("Vänliga hälsningar Karin, enhetschef", ""),
        ("Best regards, Anna", ""),
        ("hur fort svarar ni, mvh Anna", "hur fort svarar ni,"),
        ("/Maria\n\nMaria Lind | Vårdenhetschef | Avd 34 | Södra Älvsborgs Sjukhus", ""),
        ("när kommer lönen?\n/Anna", "när kommer lönen?"),
        ("underlag/blankett vart?", "underlag/blankett vart?"),
        ("hur skickar jag hälsningar till löneservice?", "hur skickar jag hälsningar till löneservice?"),
    ],
)
def test_a_sign_off_and_the_signature_after_it_are_no_part_of_the_question(message, question):
    assert without_signature(message) == question
