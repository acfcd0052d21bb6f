"""The knowledge loader: a valid base loads; each broken fixture yields a file:line message
that says what is wrong and how to fix it."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from bot.kb import coverage, load_knowledge
from bot.matcher import Matcher
from bot.yamlsrc import ContentInvalid
from tests.conversation import real_assistant

FIXTURES = Path(__file__).parent / "fixtures" / "kb"


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(FIXTURES / "valid", target)
    return target


def errors_for(directory: Path) -> list[str]:
    with pytest.raises(ContentInvalid) as info:
        load_knowledge(directory)
    return [str(e) for e in info.value.errors]


def edit(path: Path, old: str, new: str) -> None:
    """Change one spot of a copied fixture file (the valid base with one thing altered)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def errors_with(kb_dir: Path, fixture: str, target: str) -> list[str]:
    """The load errors once a broken fixture stands in for ``target`` in the knowledge base."""
    shutil.copy(FIXTURES / "broken" / fixture, kb_dir / target)
    return errors_for(kb_dir)


def test_valid_base_loads_with_sources_contacts_and_coverage(kb_dir: Path) -> None:
    kb = load_knowledge(kb_dir)
    assert kb.entry_count == 3
    entry = kb.entries["loneunderlag-sista-dag"]
    assert entry.deadline == {"type": "monthly", "day": 8}
    assert kb.expand(entry.answer).endswith("Lägg ärendet i VGR Serviceportal.")
    assert kb.source_line(entry) == "Källa: Testdokument, avsnitt 1, version 1.0, giltig till 2026-12-31"
    assert coverage(kb).percent == 100.0
    assert len(kb.version) == 12


def test_messages_have_contacts_resolved_at_load(kb_dir: Path) -> None:
    kb = load_knowledge(kb_dir)
    assert "{contact:" not in kb.messages.text("way_on_text")
    assert "VGR Serviceportal" in kb.messages.text("way_on_text")


def test_entry_problems_are_all_reported_with_lines(kb_dir: Path) -> None:
    errors = errors_with(kb_dir, "entries-problems.yaml", "entries/problems.yaml")
    text = "\n".join(errors)
    where = "entries/problems.yaml"
    assert f"{where}:2: fel: id 'Felaktigt_ID' får bara innehålla a–z, 0–9 och bindestreck" in text
    assert f"{where}:9: fel: posten 'for-fa-fragor' har 1 frågevarianter; skriv minst 5" in text
    assert "posten 'tomt-svar' saknar 'answer'" in text
    assert f"{where}:22: fel: okänd nyckel 'tags' i posten 'okand-nyckel'" in text
    assert "okänd kontakt 'saknas' i {contact:saknas}" in text
    assert "kontakten 'serviceportal' saknar fältet 'fax'" in text
    assert f"{where}:27: fel: stycket 'finns-inte' finns inte i testdok" in text
    assert f"{where}:27: fel: okänt dokument 'okantdok'" in text
    assert "källhänvisningen 'utanhash' ska skrivas dokument#stycke-id" in text
    assert "hänvisar under 'related' till 'finns-ej' som inte finns" in text
    assert "nämner kontakten 'saknas-ocksa' som saknas i contacts.yaml" in text
    assert "frågan 'När ska löneunderlaget vara inne?' finns också i posten 'loneunderlag-sista-dag'" in text
    assert "id 'loneunderlag-sista-dag' används redan i" in text
    assert "okänd deadline-typ 'weekly'; använd en av: monthly, before_effective, working_days, every_month" in text
    assert f"{where}:57: fel: 'declines' i posten 'fel-declines' ska vara true eller false (utan citattecken)" in text
    assert all(":" in e.split(" ")[0] for e in errors), "every error starts with file:line"


def test_yaml_syntax_error_names_the_line(kb_dir: Path) -> None:
    [error] = errors_with(kb_dir, "syntax.yaml", "entries/syntax.yaml")
    assert error.startswith("knowledge/entries/syntax.yaml:") or "entries/syntax.yaml:" in error
    assert "YAML-syntaxfel" in error and "Kontrollera indrag, kolon och citattecken" in error


def test_duplicate_key_is_an_error_not_a_silent_overwrite(kb_dir: Path) -> None:
    [error] = errors_with(kb_dir, "duplicate-key.yaml", "entries/dup.yaml")
    assert "entries/dup.yaml:4:" in error and "nyckeln 'title' står två gånger" in error


def test_source_text_needs_a_marker_on_every_line(kb_dir: Path) -> None:
    text = "\n".join(errors_with(kb_dir, "testdok-unmarked.md", "docs/testdok.md"))
    assert "docs/testdok.md:6: fel: raden saknar stycke-id; avsluta den med {#ett-id}" in text
    assert "docs/testdok.md:8: fel: stycke-id 'underlag-8e' används redan på rad 5" in text
    assert "docs/testdok.md:10: fel: avsnittet {§9} finns inte under 'sections' i sources.yaml" in text


def test_messages_missing_unknown_and_bad_contact(kb_dir: Path) -> None:
    text = "\n".join(errors_with(kb_dir, "messages-missing.yaml", "messages.yaml"))
    assert "messages.yaml:1: fel: texten 'help_text' saknas; lägg till 'help_text: …'" in text
    assert "messages.yaml:3: fel: okänd text 'ovantad_text'" in text
    assert "messages.yaml:2: fel: okänd kontakt 'finns-inte'" in text
    assert "messages.yaml:6: fel: 'openers' ska vara en lista med ord, t.ex. [ok, toppen, perfekt]" in text
    assert "messages.yaml:7: fel: 'action_requests' ska ha asks: [ord, …] och verbs: [ord, …]" in text
    assert "messages.yaml:4: fel: 'commands' ska vara namn: [ord, …] med text; skriv yes, no, on och off inom citattecken" in text


def test_uncovered_passage_is_listed(kb_dir: Path) -> None:
    edit(kb_dir / "entries" / "lon.yaml", "[testdok#loneoversyn-5e]", "[testdok#underlag-8e]")
    cov = coverage(load_knowledge(kb_dir))
    assert [p.id for p in cov.uncovered] == ["loneoversyn-5e"]
    assert round(cov.percent, 1) == 66.7


def test_an_answer_opening_with_yes_or_no_is_warned_about(kb_dir: Path) -> None:
    edit(kb_dir / "entries" / "lon.yaml", "answer: Förhandlingsresultat ska", "answer: Ja – förhandlingsresultat ska")
    warnings = [str(w) for w in load_knowledge(kb_dir, date(2026, 10, 1)).warnings]
    assert len(warnings) == 1 and "lon.yaml:26: varning: svaret i 'loneoversyn-deadline' börjar med 'Ja'" in warnings[0]


def test_validity_warnings_sixty_days_ahead_and_after_expiry(kb_dir: Path) -> None:
    assert load_knowledge(kb_dir, date(2026, 10, 1)).warnings == []
    [soon] = load_knowledge(kb_dir, date(2026, 11, 23)).warnings
    assert "går ut 2026-12-31 (om 38 dagar)" in str(soon) and str(soon).split(": ")[1] == "varning"
    [expired] = load_knowledge(kb_dir, date(2027, 1, 2)).warnings
    assert "gällde till 2026-12-31" in str(expired)


def test_stems_must_be_one_word_and_its_stem(kb_dir: Path) -> None:
    text = "\n".join(errors_with(kb_dir, "synonyms-stems.yaml", "synonyms.yaml"))
    assert "synonyms.yaml:7: fel: 'två ord: dator' ska vara ett ord och dess stam, t.ex. datorn: dator" in text
    assert "synonyms.yaml:8: fel: 'datorer: ['dator']' ska vara ett ord och dess stam" in text
    assert "synonyms.yaml:6" not in text


def test_amounts_needs_both_lists_of_words(kb_dir: Path) -> None:
    text = "\n".join(errors_with(kb_dir, "synonyms-amounts.yaml", "synonyms.yaml"))
    assert "synonyms.yaml:4: fel: '' i amounts.asks ska vara ett ord eller en fras med text" in text
    assert "synonyms.yaml:4: fel: '12' i amounts.asks ska vara ett ord eller en fras med text" in text
    assert "synonyms.yaml:5: fel: okänd nyckel 'pengar' under 'amounts'; tillåtna: asks, money, counts, durations, time_units, contact_asks, contact_words" in text
    assert "synonyms.yaml:3: fel: 'amounts' saknar listan 'money'" in text
    text = "\n".join(errors_with(kb_dir, "synonyms-amounts-list.yaml", "synonyms.yaml"))
    assert "synonyms.yaml:3: fel: 'amounts' ska ha två listor, asks och money" in text
    text = "\n".join(errors_with(kb_dir, "synonyms-elsewhere.yaml", "synonyms.yaml"))
    assert "synonyms.yaml:3: fel: 'elsewhere' ska vara en lista med ord eller fraser" in text
    text = "\n".join(errors_with(kb_dir, "synonyms-counts.yaml", "synonyms.yaml"))
    assert "synonyms.yaml:6: fel: '' i amounts.counts ska vara ett ord eller en fras med text" in text
    text = "\n".join(errors_with(kb_dir, "synonyms-contacts.yaml", "synonyms.yaml"))
    assert "synonyms.yaml:7: fel: '@' i amounts.contact_words ska vara ett ord eller en fras med text" in text
    text = "\n".join(errors_with(kb_dir, "synonyms-subjects.yaml", "synonyms.yaml"))
    assert "synonyms.yaml:4: fel: '' i subjects.heads ska vara ett ord eller en fras med text" in text
    assert "synonyms.yaml:5: fel: 'subjects' saknar listan 'systems' (med minst ett ord)" in text
    assert "synonyms.yaml:6: fel: okänd nyckel 'apps' under 'subjects'; tillåtna: heads, access, systems, not_covered" in text
    text = "\n".join(errors_with(kb_dir, "synonyms-subjects-list.yaml", "synonyms.yaml"))
    assert "synonyms.yaml:3: fel: 'subjects' ska ha listor med ord (heads, access, systems, not_covered)" in text


def test_a_fixed_stem_keeps_two_words_apart_that_the_stemmer_blends(kb_dir: Path) -> None:
    blended = Matcher(load_knowledge(kb_dir)).pipeline
    assert blended.terms("dator") == blended.terms("data")  # Snowball: both "dat"
    (kb_dir / "synonyms.yaml").write_text("groups: []\nstems:\n  dator: dator\n  datorn: dator\n", encoding="utf-8")
    pipeline = Matcher(load_knowledge(kb_dir)).pipeline
    assert pipeline.terms("datorn") == pipeline.terms("dator") != pipeline.terms("data")



def test_a_word_whose_stem_the_editors_fixed_is_not_split_into_parts() -> None:
    # "ansvarsnumret" is one word: split, its tail "numret" brought the telefon group along.
    pipeline = real_assistant().matcher.pipeline
    assert pipeline.terms("ansvarsnumret") == pipeline.terms("ansvarsnummer") == pipeline.terms("ansvar")
    assert "telefon" in pipeline.terms("telefonnumret")  # a word no stem was fixed for is still split
