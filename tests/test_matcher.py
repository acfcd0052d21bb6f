"""The matcher on its own: scored candidates from a small in-memory knowledge base.

No botbuilder, no turn logic: entries are built here so each test shows exactly which
wording competes with which. Matching quality over many real questions is measured by
benchmarks/matching.py and benchmarks/variants.py, not asserted here.
"""

from __future__ import annotations

from dataclasses import replace

from bot.kb import Entry, Synonyms
from bot.matcher import Matcher
from bot.settings import MatchSettings
from tests.conversation import real_assistant


def entry(id_: str, *questions: str, answer: str = "Svar.") -> Entry:
    return Entry(id=id_, title=questions[0], questions=list(questions[1:]), answer=answer, sources=[])


def matcher(*entries: Entry, **settings: float) -> Matcher:
    kb = replace(real_assistant().kb, entries={e.id: e for e in entries}, synonyms=Synonyms([], {}))
    return Matcher(kb, replace(MatchSettings(), **settings))


def test_candidates_are_scored_best_first_with_their_signals() -> None:
    m = matcher(
        entry("ansoka", "Ansöka om behörighet", "hur ansöker jag om behörighet i heroma"),
        entry("resa", "Reseräkningar", "vem hanterar reseräkningar"),
    )
    ranked = m.rank("Hur ansöker jag om behörighet?")
    assert [c.entry.id for c in ranked] == ["ansoka"]  # "resa" shares no word: not a candidate
    top = ranked[0]
    assert 0.0 < top.score < 1.0 and top.variant > 0.8 and top.coverage == 1.0


def test_an_entry_that_two_variants_agree_on_beats_one_lucky_variant() -> None:
    both = entry("both", "Ansöka behörighet", "ansöka behörighet", "ansöka behörighet kurs")
    lucky = entry("lucky", "Reseräkning", "ansöka behörighet", "reseräkning kurs")
    plain = {c.entry.id: c.variant for c in matcher(both, lucky, variant_runner_up_share=0.0).rank("ansöka behörighet")}
    assert plain["both"] == plain["lucky"]  # the best variant alone can't tell them apart
    blended = {c.entry.id: c.variant for c in matcher(both, lucky).rank("ansöka behörighet")}
    assert blended["both"] > blended["lucky"]


def test_a_lone_question_word_names_no_topic() -> None:
    m = matcher(entry("vem", "Vem gör vad i Heroma", "vem gör vad"))
    assert m.rank("vem har gjort dig?") == []


def test_a_story_word_in_one_chatty_variant_counts_less_than_the_entrys_topic(monkeypatch) -> None:
    rapportor = entry(
        "rapportor",
        "Ny Heromarapportör",
        "hur kommer en ny heromarapportör igång",
        "vad gör en ny heromarapportör först",
        "jag är avdelningschef och vår nya heromarapportör ska komma igång",
    )
    chef = entry("chef", "Ny chef i Heroma", "ny avdelningschef i heroma", "jag är ny avdelningschef vad gör jag i heroma")
    question = "jag är ny avdelningschef, hur kommer jag igång?"
    monkeypatch.setattr("bot.matcher.TOPICAL_SPREAD", 1)  # every word counts fully
    before = {c.entry.id: c.variant for c in matcher(rapportor, chef).rank(question)}
    monkeypatch.undo()
    after = {c.entry.id: c.variant for c in matcher(rapportor, chef).rank(question)}
    assert after["rapportor"] < before["rapportor"]  # "avdelningschef" was the asker's story there
    assert after["rapportor"] - after["chef"] < before["rapportor"] - before["chef"]


def test_a_lone_plausible_candidate_is_answered_not_offered_as_the_only_choice() -> None:
    from bot.matcher import Candidate
    from bot.turn import decide

    ms = MatchSettings()
    sure = Candidate(entry("omorg", "Omorganisation"), score=0.98, combined=0.93, ambiguous=True)
    far = Candidate(entry("trad", "Organisationsträdet"), score=ms.clarify_threshold - 0.05, combined=0.90)
    # The runner-up is close on the combined signal but not plausible: no "Menade du …?".
    assert decide([sure, far], ms).status == "answer"
    # Two plausible candidates close together still get the question back.
    near = replace(far, score=0.95)
    decision = decide([sure, near], ms)
    assert decision.status == "clarify" and [c.entry.id for c in decision.candidates] == ["omorg", "trad"]
    # A lone candidate below the answer threshold is still only suggested.
    unsure = replace(sure, score=ms.answer_threshold - 0.05)
    assert decide([unsure, far], ms).status == "clarify"


def test_a_lone_keyword_is_ambiguous_only_while_another_entry_would_be_answered_too() -> None:
    from bot.matcher import Candidate
    from bot.turn import decide

    ms = MatchSettings()
    keyword = Candidate(entry("omorg", "Omorganisation"), score=0.97, combined=0.89, ambiguous=True)
    plausible = Candidate(entry("trad", "Organisationsträdet"), score=ms.clarify_threshold + 0.01, combined=0.55)
    assert decide([keyword, plausible], ms).status == "answer"  # far ahead, no rival to answer with
    answerable = replace(plausible, score=ms.answer_threshold + 0.01, combined=0.70)
    assert decide([keyword, answerable], ms).status == "clarify"  # "blankett": several entries fit


def test_a_question_that_is_one_of_the_entrys_variants_is_answered_despite_a_close_rival() -> None:
    from bot.matcher import Candidate
    from bot.turn import decide

    ms = MatchSettings()
    close = 1.0 - ms.answer_margin / 2  # the rival is within the margin
    own = Candidate(entry("vad-ar", "Vad Heromaservice är"), score=0.99, best_variant=1.0, fuzzy=1.0, combined=1.0)
    rival = Candidate(entry("ingar", "Vad som ingår"), score=0.98, best_variant=0.89, fuzzy=0.93, combined=close)
    assert decide([own, rival], ms).status == "answer"
    # When the rival has the same question as a variant too, the user must choose.
    twin = replace(rival, best_variant=1.0, fuzzy=1.0)
    assert decide([own, twin], ms).status == "clarify"
    # Close is not the same: a 0.95 variant with a close rival still gets the question back.
    near = replace(own, best_variant=0.95)
    assert decide([near, rival], ms).status == "clarify"
