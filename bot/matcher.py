"""Matching a question to knowledge-base entries: scored candidates, nothing decided here.

Everything is prepared at load time: every entry's question variants and its "bag"
(variants, title, answer) become sparse TF-IDF vectors in inverted indexes, so a question
costs a few dictionary look-ups per term. Per entry we combine four signals into one
score in 0..1:

- ``variant``: the best cosine between the question and one question variant (or title);
- ``bag``: cosine with the whole entry, so wording from the answer counts a little;
- ``coverage``: the share of the question's IDF mass the entry knows at all; a question
  full of words the knowledge base has never seen ("semesterersättning") is out of scope;
- ``fuzzy``: rapidfuzz token-set similarity with the best variant, for typos and word order,
  computed only for the few best candidates.

The turn logic turns the ranking into answer / clarify / fallback with the thresholds in
``MatchSettings``.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from bot.kb import Entry, KnowledgeBase
from bot.text import TextPipeline, fold, tokens

# Weights of the combined score (they sum to 1, so the score stays in 0..1).
W_VARIANT = 0.45
W_BAG = 0.15
W_COVERAGE = 0.25
W_FUZZY = 0.15
RERANK = 12  # candidates that get the (slower) fuzzy signal
ANSWER_BAG_WEIGHT = 0.35  # answer words count less than question words in the bag
FOLLOW_UP_CUES = ("och", "men", "an", "samma", "dar", "and", "what about", "how about", "hur blir det", "hur ar det")


@dataclass
class Candidate:
    """One entry's score for a question, with the signals that produced it."""

    entry: Entry
    score: float
    variant: float = 0.0
    bag: float = 0.0
    coverage: float = 0.0
    fuzzy: float = 0.0
    best_text: str = ""


@dataclass
class _Vector:
    owner: int  # entry index
    text: str
    norm_text: str
    weights: dict[str, float] = field(default_factory=dict)


class Matcher:
    """Ranks entries for a question; built once per knowledge base."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.entries: list[Entry] = list(kb.entries.values())
        self.pipeline = TextPipeline(kb.synonyms.groups, kb.synonyms.english)
        self._build()

    # ------------------------------------------------------------------ build

    def _build(self) -> None:
        # Pass 1: base vocabulary (no splitting) so compounds can be split into known parts.
        base: set[str] = set()
        for entry in self.entries:
            for text in (*entry.questions, entry.title, entry.answer):
                base.update(self.pipeline.terms(text))
        self.pipeline.set_vocabulary(base)

        variant_tfs: list[tuple[int, str, Counter[str]]] = []
        bag_tfs: list[Counter[str]] = []
        for index, entry in enumerate(self.entries):
            bag: Counter[str] = Counter()
            for text in (*entry.questions, entry.title):
                tf = Counter(self.pipeline.terms(text))
                variant_tfs.append((index, text, tf))
                bag.update(tf)
            for term, count in Counter(self.pipeline.terms(entry.answer)).items():
                bag[term] += count * ANSWER_BAG_WEIGHT
            bag_tfs.append(bag)

        n = len(self.entries)
        df: Counter[str] = Counter()
        for bag in bag_tfs:
            df.update(bag.keys())
        self.idf = {term: math.log(1.0 + n / count) for term, count in df.items()}
        self.unknown_idf = math.log(1.0 + n / 0.5)
        self.pipeline.set_vocabulary(self.idf)

        self.entry_terms: list[frozenset[str]] = [frozenset(bag) for bag in bag_tfs]
        self.variants: list[_Vector] = []
        self.variant_index: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for owner, text, tf in variant_tfs:
            vec = _Vector(owner, text, " ".join(tokens(text)), self._weights(tf))
            vid = len(self.variants)
            self.variants.append(vec)
            for term, weight in vec.weights.items():
                self.variant_index[term].append((vid, weight))
        self.bag_index: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, bag in enumerate(bag_tfs):
            for term, weight in self._weights(bag).items():
                self.bag_index[term].append((index, weight))
        self.by_id = {entry.id: i for i, entry in enumerate(self.entries)}

    def _weights(self, tf: Counter[str] | dict[str, float]) -> dict[str, float]:
        raw = {t: (1.0 + math.log(c)) * self.idf.get(t, self.unknown_idf) for t, c in tf.items() if c > 0}
        norm = math.sqrt(sum(w * w for w in raw.values())) or 1.0
        return {t: w / norm for t, w in raw.items()}

    # ------------------------------------------------------------------ query

    def query_weights(self, text: str) -> dict[str, float]:
        return self._weights(Counter(self.pipeline.terms(text, repair=True)))

    def rank(self, text: str, limit: int = 5) -> list[Candidate]:
        """Entries ordered by combined score, best first (at most ``limit``)."""
        return self._rank(self.query_weights(text), fold(text), limit)

    def rank_follow_up(self, text: str, previous: Entry, boost: float, limit: int = 5) -> list[Candidate] | None:
        """Rank a short follow-up ("och för löneöversynen?") in the previous answer's context.

        The question is read together with the previous entry's title, the previous
        entry itself is set aside (the user asks about something else) and its related
        entries get ``boost``. Returns None when the text doesn't look like a follow-up.
        """
        q = self.query_weights(text)
        folded = " ".join(tokens(text))
        cue = any(folded == c or folded.startswith(c + " ") for c in FOLLOW_UP_CUES)
        if not q or not cue:
            return None
        combined = Counter(self.pipeline.terms(text, repair=True))
        for term in self.pipeline.terms(previous.title):
            combined[term] += 0.5
        ranked = self._rank(self._weights(combined), fold(text), limit + 1, focus=q)
        related = set(previous.related)
        for cand in ranked:
            if cand.entry.id in related:
                cand.score = min(1.0, cand.score + boost)
        ranked = [c for c in ranked if c.entry.id != previous.id]
        ranked.sort(key=lambda c: c.score, reverse=True)
        return ranked[:limit]

    def _rank(self, q: dict[str, float], folded_query: str, limit: int, focus: dict[str, float] | None = None) -> list[Candidate]:
        if not q:
            return []
        variant_scores: dict[int, float] = defaultdict(float)
        for term, qw in q.items():
            for vid, w in self.variant_index.get(term, ()):
                variant_scores[vid] += qw * w
        best_variant: dict[int, tuple[float, int]] = {}
        for vid, score in variant_scores.items():
            owner = self.variants[vid].owner
            if owner not in best_variant or score > best_variant[owner][0]:
                best_variant[owner] = (score, vid)
        bag_scores: dict[int, float] = defaultdict(float)
        for term, qw in q.items():
            for index, w in self.bag_index.get(term, ()):
                bag_scores[index] += qw * w

        # Coverage uses the user's own words (``focus``), not context we added.
        cover_terms = focus or q
        idf_mass = {t: self.idf.get(t, self.unknown_idf) for t in cover_terms}
        total_mass = sum(idf_mass.values()) or 1.0

        candidates: list[Candidate] = []
        for index in set(best_variant) | set(bag_scores):
            known = self.entry_terms[index]
            coverage = sum(m for t, m in idf_mass.items() if t in known) / total_mass
            v, vid = best_variant.get(index, (0.0, -1))
            b = bag_scores.get(index, 0.0)
            cand = Candidate(self.entries[index], 0.0, min(v, 1.0), min(b, 1.0), coverage)
            cand.best_text = self.variants[vid].norm_text if vid >= 0 else ""
            cand.score = W_VARIANT * cand.variant + W_BAG * cand.bag + W_COVERAGE * coverage
            candidates.append(cand)
        candidates.sort(key=lambda c: c.score, reverse=True)

        short = " ".join(tokens(folded_query))
        for cand in candidates[:RERANK]:
            if cand.best_text:
                cand.fuzzy = fuzz.token_set_ratio(short, cand.best_text, processor=None) / 100.0
            cand.score += W_FUZZY * cand.fuzzy * min(1.0, cand.coverage * 1.25)
        head = sorted(candidates[:RERANK], key=lambda c: c.score, reverse=True)
        return head[:limit]
