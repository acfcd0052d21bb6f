"""Integrity of the development question set (tests/devset/).

The set measures how well the matcher finds the right entry for questions as newcomers write them. It is only
worth something if it stays honest: big enough, with enough out-of-scope, misspelt and English questions, every
label pointing at a real entry, the held-back part separate from the tuning part, and no question copied from the
knowledge base's own variants (a copied variant would be matched trivially and inflate any score).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from rapidfuzz import fuzz

from bot.kb import KnowledgeBase, load_knowledge
from bot.text import tokens

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "tests" / "devset"
PARTS = ("tuning", "heldout")
CATEGORIES = {"plain", "typo", "english", "keyword", "oos"}


def fold(text: str) -> str:
    """The words only (casefolded, no punctuation or å/ä/ö), so trivial differences do not
    hide a copied variant: "Är du en robot?" copies "är du en robot"."""
    return " ".join(tokens(text))


def load_part(name: str) -> list[dict[str, Any]]:
    data = yaml.safe_load((DEVSET / f"{name}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict) and isinstance(data.get("questions"), list), (
        f"{name}.yaml: needs a 'questions' list"
    )
    return data["questions"]


def expected_ids(item: dict[str, Any]) -> list[str]:
    """`expect` is one id, a list of ids, or the string 'none'; return the ids (empty for none)."""
    expect = item["expect"]
    if expect == "none":
        return []
    return list(expect) if isinstance(expect, list) else [expect]


@pytest.fixture(scope="module")
def parts() -> dict[str, list[dict[str, Any]]]:
    return {name: load_part(name) for name in PARTS}


@pytest.fixture(scope="module")
def everything(parts: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    return [item for name in PARTS for item in parts[name]]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(ROOT / "knowledge")


def test_every_item_has_question_expect_and_known_category(everything: list[dict[str, Any]]) -> None:
    for item in everything:
        assert set(item) == {"q", "expect", "category"}, f"unexpected keys in {item}"
        assert isinstance(item["q"], str) and item["q"].strip(), f"empty question in {item}"
        assert item["category"] in CATEGORIES, f"unknown category in {item}"
        expect = item["expect"]
        assert (
            expect == "none"
            or isinstance(expect, str)
            or (isinstance(expect, list) and len(expect) >= 2 and all(isinstance(x, str) for x in expect))
        ), f"expect must be an id, a list of two or more ids, or none: {item}"


def test_the_set_is_large_enough_with_the_required_mix(everything: list[dict[str, Any]]) -> None:
    counts = Counter(item["category"] for item in everything)
    assert len(everything) >= 300
    assert sum(1 for item in everything if item["category"] == "oos" and item["expect"] == "none") >= 40
    assert counts["typo"] >= 30
    assert counts["english"] >= 20


def test_out_of_scope_questions_expect_none(everything: list[dict[str, Any]]) -> None:
    wrong = [item["q"] for item in everything if item["category"] == "oos" and item["expect"] != "none"]
    assert wrong == []


def test_split_is_roughly_55_45_with_every_category_in_both_parts(
    parts: dict[str, list[dict[str, Any]]],
) -> None:
    total = sum(len(items) for items in parts.values())
    share = len(parts["tuning"]) / total
    assert 0.50 <= share <= 0.60, f"tuning share {share:.2f}"
    for category in CATEGORIES:
        tuning = sum(1 for item in parts["tuning"] if item["category"] == category)
        heldout = sum(1 for item in parts["heldout"] if item["category"] == category)
        assert tuning and heldout, f"category {category} missing from one part"
        assert 0.40 <= tuning / (tuning + heldout) <= 0.70, f"category {category} split {tuning}/{heldout}"


def test_every_expected_id_exists_in_the_knowledge_base(
    everything: list[dict[str, Any]], kb: KnowledgeBase
) -> None:
    unknown = sorted({i for item in everything for i in expected_ids(item) if i not in kb.entries})
    assert unknown == [], f"expect ids not in knowledge/entries: {unknown}"


def test_no_question_is_repeated_within_or_across_parts(parts: dict[str, list[dict[str, Any]]]) -> None:
    seen: dict[str, str] = {}
    for name in PARTS:
        for item in parts[name]:
            key = fold(item["q"])
            assert key not in seen, f"{item['q']!r} appears in {seen[key]} and {name}"
            seen[key] = name


def test_no_question_is_copied_from_a_knowledge_base_variant(
    everything: list[dict[str, Any]], kb: KnowledgeBase
) -> None:
    variants = {fold(q) for entry in kb.entries.values() for q in entry.questions}
    copied = [item["q"] for item in everything if fold(item["q"]) in variants]
    assert copied == [], f"dev-set questions equal to an entry's variant: {copied}"


def test_no_variant_is_a_near_copy_of_a_held_back_question(
    parts: dict[str, list[dict[str, Any]]], kb: KnowledgeBase
) -> None:
    """A variant written by paraphrasing a held-back question (a word or two changed) would leak
    the exam into the knowledge base as surely as a copy. Questions of four words or more are
    compared without punctuation or å/ä/ö; the message names the variant to rephrase and only the
    position of the held-back question, so fixing it does not mean reading the held-back part."""
    held = [(i, " ".join(tokens(item["q"]))) for i, item in enumerate(parts["heldout"])]
    held = [(i, text) for i, text in held if len(text.split()) >= 4]
    near = []
    for entry in kb.entries.values():
        for variant in entry.questions:
            folded = " ".join(tokens(variant))
            for i, text in held:
                if fuzz.ratio(folded, text, processor=None) >= 90:
                    near.append(f"{entry.id}: {variant!r} ~ held-back question #{i + 1}")
    assert near == [], "rephrase these variants: " + "; ".join(near)


def test_the_held_back_part_says_it_is_never_used_for_tuning() -> None:
    first = (DEVSET / "heldout.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert re.search(r"never used for tuning", first), first
