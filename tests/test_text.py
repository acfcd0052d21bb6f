"""The Swedish text pipeline: folding, stemming, synonyms, English, compounds, typos."""

from __future__ import annotations

from collections import Counter

from bot.text import AmountCues, CountCues, TextPipeline, fold, states_count, stem, tokens


def pipeline() -> TextPipeline:
    p = TextPipeline(
        groups=[["löneöversyn", "lönerevision"], ["omorganisation", "omorg", "organisationsförändring"], ["säs", "södra älvsborgs sjukhus"]],
        english={"permission": "behörighet", "sick leave": "sjukfrånvaro", "form": "blankett"},
    )
    words = "behörighet blankett underlag lön löneöversyn omorganisation utanordningslista signera sjukfrånvaro säs"
    vocab = set(p.terms(words))
    p.set_vocabulary(vocab, {tok: p.terms(tok) for tok in tokens(words)})
    return p


def test_fold_removes_swedish_diacritics_and_case() -> None:
    assert fold("Löneöversyn på SÄS") == "loneoversyn pa sas"
    assert tokens("När är 8:e?") == ["nar", "ar", "8", "e"]


def test_inflections_share_a_stem() -> None:
    assert stem("behorigheten") == stem("behorighet") == stem("behorigheter")


def test_without_diacritics_means_the_same() -> None:
    p = pipeline()
    assert p.terms("Behörigheten") == p.terms("behorigheten")


def test_synonyms_map_to_the_canonical_term() -> None:
    p = pipeline()
    assert p.terms("lönerevision") == p.terms("löneöversyn")
    assert p.terms("omorg") == p.terms("omorganisation")
    assert p.terms("Södra Älvsborgs Sjukhus") == p.terms("SÄS")


def test_english_words_and_phrases_become_swedish_terms() -> None:
    p = pipeline()
    assert p.terms("permission form") == p.terms("behörighet blankett")
    assert p.terms("sick leave") == p.terms("sjukfrånvaro")


def test_compounds_split_into_parts_the_knowledge_base_knows() -> None:
    p = pipeline()
    terms = p.terms("behörighetsblanketten")
    assert set(p.terms("behörighet blankett")) <= set(terms)
    assert set(p.terms("underlag")) <= set(p.terms("löneunderlaget"))


def test_typos_are_repaired_only_on_request_and_only_for_longer_words() -> None:
    p = pipeline()
    assert p.terms("utanordningslsta", repair=True) == p.terms("utanordningslista")
    assert p.terms("utanordningslsta") != p.terms("utanordningslista")
    assert p.terms("lpn", repair=True) == ["lpn"]
    assert p.terms("forskott", repair=True) == p.terms("forskott")  # two edits from anything: left alone


def test_short_known_words_are_not_split_as_compounds() -> None:
    p = TextPipeline()
    p.set_vocabulary({"kom", "mer", "lag", "ger"})
    assert p.terms("kommer") == [stem("kommer")]
    assert p.terms("lägger") == [stem("lagger")]


def test_stopwords_are_dropped_but_question_words_kept() -> None:
    p = pipeline()
    assert p.terms("och det att jag") == []
    assert "nar" in p.terms("när")



def test_words_ending_in_or_ar_are_stemmed_from_their_diacritic_spelling() -> None:
    # Folded first, "rapportör" would lose "or" like a plural and blend with "rapporter".
    p = pipeline()
    assert p.terms("rapportör") != p.terms("rapporter")
    assert p.terms("ingår") == ["ingar"]


def test_a_spelling_learnt_from_the_knowledge_base_covers_the_same_word_typed_without_diacritics() -> None:
    p = pipeline()
    assert p.terms("rapportor") == p.terms("rapporter")  # not yet learnt: the plain stemmer blends them
    p.learn_spellings(["Ny rapportör", "Heromarapportören", "formulär"])
    assert p.terms("rapportor") == p.terms("rapportör") != p.terms("rapporter")
    assert p.terms("heromarapportoren") == p.terms("Heromarapportören")
    assert p.terms("formular") == p.terms("formulär")


def test_a_rare_typo_in_the_knowledge_base_stands_for_the_common_word_it_misspells() -> None:
    p = pipeline()
    typo, word = "loneservcie", "loneservice"
    assert p.terms(typo) != p.terms(word)
    p.learn_typos(Counter({word: 30, typo: 1, "organisation": 1, "omorganisation": 9}))
    assert p.terms(typo) == p.terms(word)  # a swap is one edit
    assert p.terms("organisation") != p.terms("omorganisation")  # two edits: a word of its own


def test_a_word_is_not_taken_for_a_typo_of_a_word_that_is_not_much_more_common() -> None:
    p = pipeline()
    p.learn_typos(Counter({"sjukfravaro": 1, "sjukfranvaro": 2}))
    assert p.terms("sjukfravaro") != p.terms("sjukfranvaro")
    p.learn_typos(Counter({"sjukfravaro": 1, "sjukfranvaro": 3}))
    assert p.terms("sjukfravaro") == p.terms("sjukfranvaro")


def test_a_question_about_a_sum_needs_an_asking_phrase_and_a_money_word() -> None:
    cues = AmountCues.from_lists(["hur mycket", "vad är lönen", "how much"], ["lön", "ob", "ersättning", "bidrag"])
    assert cues.match("Hur mycket OB får man på helgen?")
    assert cues.match("hur mycket ar ob-ersattningen")  # no å/ä/ö, compound ending in a money word
    assert cues.match("Vad är lönen för en heromarapportör?")  # the phrase brings its own money word
    assert cues.match("how much ob do I get")
    assert cues.match("hur mycket friskvårdsbidrag får man?")
    assert not cues.match("hur mycket tid har jag på mig?")  # no money word
    assert not cues.match("när kommer lönen?")  # no asking phrase
    assert not cues.match("vad är lönespecifikation")  # not "lönen"
    assert not AmountCues().match("hur mycket lön")  # no cues configured: nothing matches


def test_an_english_word_whose_swedish_is_a_synonym_phrase_gets_that_groups_term() -> None:
    p = TextPipeline(groups=[["löneskuld", "för mycket lön"]], english={"overpaid": "för mycket lön"})
    assert p.terms("overpaid") == p.terms("löneskuld") == p.terms("jag fick för mycket lön")


def test_a_question_for_a_number_names_what_it_counts_and_only_when_that_is_asked() -> None:
    cues = CountCues.from_list(["hur många", "how many"])
    assert cues.unit("Hur många timmar tar kursen Heroma Introduktion?") == "timmar"
    assert cues.unit("inom hur många arbetsdagar kommer intyget") == "arbetsdagar"
    assert cues.unit("How many working days does it take?") == "working"
    assert cues.unit("Vem räknar ut hur många dagar föräldraledighet jag har?") is None  # asks who
    assert cues.unit("Hur lång tid tar det?") is None


def test_an_answer_states_a_count_with_a_numeral_before_the_unit() -> None:
    def days(word: str) -> bool:
        return word.endswith("dagar")

    assert states_count("Intyg hanteras inom fem arbetsdagar.", days)
    assert states_count("inom 2 dagar", days)
    assert not states_count("Löneservice hanterar dagar då något blir fel.", days)
    assert states_count("85 % av samtalen", lambda w: False, percent=True)


def test_a_clipped_word_stands_for_its_commonest_reading_in_the_knowledge_base() -> None:
    from bot.settings import Settings
    from bot.turn import build_assistant

    pipeline = build_assistant(Settings.from_env()).matcher.pipeline
    assert pipeline.terms("beh", repair=True) == pipeline.terms("behörighet", repair=True)[:1]
    assert pipeline.terms("utbildn", repair=True) == ["utbildning"]
    assert pipeline.terms("org", repair=True) == ["organisation"]
    assert pipeline.terms("ans", repair=True) == ["ans"]  # ansvar, anställning, ansökan: no clear reading
    assert pipeline.terms("beh") == ["beh"]  # the knowledge base's own text is never expanded


def test_a_particle_verb_split_by_its_subject_is_still_the_phrase() -> None:
    p = TextPipeline(groups=[["uppsägning", "säga upp", "säger upp"], ["avsluta anställning", "säger upp mig"]])
    assert p.terms("Hur säger vi upp ett lokalt avtal?") == p.terms("Hur säger upp ett lokalt avtal?")
    assert p.terms("hur säger jag upp mig?") == p.terms("hur säger upp mig?")  # the longer phrase wins
    assert "uppsagning" not in p.terms("säger vi något")


def test_a_compound_with_a_question_tail_is_about_its_head():
    pipeline = TextPipeline()
    pipeline.set_vocabulary({"lon", "pension"})
    assert pipeline.generic_head("lonefragor") == ["lon"]
    assert pipeline.generic_head("pensionsfraga") == ["pension"]
    assert pipeline.generic_head("fragor") == []
