"""Matching a question to knowledge-base entries: scored candidates, nothing decided here.

Everything is prepared at load time: every entry's question variants and its "bag"
(variants, title, answer) become sparse TF-IDF vectors in inverted indexes, so a question
costs a few dictionary look-ups per term. Per entry we combine five signals into one
score in 0..1:

- ``variant``: the best cosine between the question and one question variant (or title),
  blended with the second-best variant's (an entry two variants agree on is likelier right);
- ``bag``: cosine with the whole entry, so wording from the answer counts a little;
- ``coverage``: the share of the question's IDF mass the entry knows at all; a question
  full of words the knowledge base has never seen ("semesterersättning") is out of scope;
- ``bm25``: Okapi BM25 over the bag, relative to the question's best entry (saturation and
  length normalisation that the cosines lack);
- ``fuzzy``: rapidfuzz token-set similarity with the closest of the entry's best-matching
  variants, for typos and word order, computed only for the few best candidates.

The weighted sum ("combined") is then Platt-scaled into ``score``, a probability that the
entry is the right answer. The weights, the calibration and the answer / clarify /
fallback thresholds are named settings in ``MatchSettings``, tuned on the tuning part of
the dev set (benchmarks/matching.py --tune, which prints the reliability table).
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
from rapidfuzz import fuzz, process

from bot.kb import Entry, KnowledgeBase, SourceRef
from bot.settings import MatchSettings
from bot.text import (
    DURATION,
    INVERTED_SUBJECTS,
    QUESTION_WORDS,
    STOPWORDS,
    AmountCues,
    CountCues,
    TextPipeline,
    fold,
    states_count,
    stem,
    tokens,
    word_pairs,
)

# English words with no Swedish reading, left out of the fuzzy signal's text.
_ENGLISH_FILLERS = frozenset("the is are do does an a to of my our your you we please with about".split())
RERANK = 8  # candidates that get the (slower) fuzzy signal...
FUZZY_VARIANTS = 8  # ...against this many of each candidate's best-matching variants
LONE_TERM_MAX_WORDS = 2  # a question this short with one topic term is a bare keyword
BM25_K1, BM25_B = 1.2, 0.75  # the usual Okapi constants
ANSWER_BAG_WEIGHT = 0.35  # answer words count less than question words in the bag
# A word found in only one of an entry's variants ("avdelningschef" in a chatty variant
# about a new Heromarapportör) is the asker's story, not the entry's topic: in a variant,
# a word counts in proportion to how many of its entry's variants use it, up to this many.
TOPICAL_SPREAD = 2
# How much the previous answer's title counts in a follow-up: "och för löneöversynen?"
# names its own topic (the title only breaks ties); "vem gör det?" names none.
FOLLOW_UP_TITLE_WEIGHT = 0.5
CONTEXT_TITLE_WEIGHT = 1.0
NAME_WORD_RE = re.compile(r"[^\W\d_]{2,}")
# Two or more capitalised words in a row: a name ("Ida Uhlén", "Heroma Webb").
PROPER_NAME_RE = re.compile(r"\b[A-ZÅÄÖÉ][a-zåäöéü]+(?: [A-ZÅÄÖÉ][a-zåäöéü]+)+\b")
# "jag är undersköterska", "I work as a nurse": who is asking, not what.
OCCUPATION_RE = re.compile(
    r"\b(?:jag (?:är|ar|jobbar som|arbetar som)|i am an?|i'm an?|i work as an?)\s+(?:en\s+|ett\s+)?(?P<word>[^\W\d_]+)"
    r"(?=\s*(?:[,.;:!?]|(?:och|and|på|pa|at|i|in|inom|hos|with)\b|$))",  # a clause of its own: not "jag är skyldig pengar"
    re.IGNORECASE,
)
# "jag jobbar på SÄS", "vi på SÄS", "jobbar på Södra Älvsborgs sjukhus", "bytt till SÄS" (folded).
SAS_STATEMENT_RE = re.compile(
    r"(?:\b(?:jag|vi)\b[^.?!]{0,40}?\b(?:jobbar|arbetar|ar|sitter|borjat|borjar|bytt|flyttat|finns)\b[^.?!]{0,30}?|"
    r"^\s*(?:jobbar|arbetar|sitter)\b[^.?!]{0,20}?|\bvi\s+)"
    r"\b(?:pa|inom|vid|till|hos)\s+(?:sas|sodra alvsborg)"
)
# "jag jobbar inte på SÄS", "är ej på SÄS", "not at SÄS" (folded): a workplace elsewhere.
NOT_AT_SAS_RE = re.compile(
    r"\b(?:inte|ej|icke|not)\b(?:\s+\w+){0,2}?\s+(?:pa|inom|vid|hos|at|for|in)\s+(?:sas|sodra alvsborg)"
)
# "ej säs", "not SÄS", "inte på SÄS" as the answer to "Arbetar du på SÄS?" (folded).
NEGATED_SAS_RE = re.compile(r"\b(?:inte|ej|icke|not)\b(?:\s+(?:pa|inom|vid|hos|at|for|in))?\s+(?:sas|sodra alvsborg)\b")
ISO_DAY_RE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
DATE_CODE_RE = re.compile(r"\b\d{6}\b")  # "260301": a day as yymmdd, as the SÄS routine writes it
OCCUPATION_MIN_LEN = 5  # "ny", "sjuk", "chef" are no occupation to drop
TOPIC_CODE_MIN_DIGITS = 5  # "260301" is a code; "8" in a variant is a day and "2027" a year, no topic
# "behörighet till Agresso", "utbildning i Excel", "access to Komet": a topic word
# (synonyms.yaml, subjects), one of these, maybe a determiner, then the thing asked about.
SUBJECT_PREPOSITIONS = frozenset("till for i pa inom to in on at".split())
SUBJECT_DETERMINERS = frozenset("min mitt mina var vart vara en ett den det nya nytt the a an my our new".split())
HEAD_PREPOSITIONS = frozenset("till for to".split())
LOGIN_FILLERS = frozenset("jag man vi du ni in".split())  # "loggar jag in i …"
PHRASE_FILLERS = frozenset("har hade".split())  # auxiliaries a not_covered phrase is matched across
UNKNOWN_SUBJECT_MIN_LEN = 4  # shorter unknown words are too often slips or abbreviations
FOLLOW_UP_CUES = ("och", "men", "an", "samma", "dar", "and", "what about", "how about", "hur blir det", "hur ar det")


@dataclass
class Candidate:
    """One entry's score for a question, with the signals that produced it.

    ``score`` is the calibrated probability that this entry is the right answer;
    ``combined`` the weighted sum of the signals it was calibrated from."""

    entry: Entry
    score: float
    variant: float = 0.0
    bag: float = 0.0
    coverage: float = 0.0
    fuzzy: float = 0.0
    bm25: float = 0.0
    best_text: str = ""
    best_variant: float = 0.0  # cosine with the single best variant (``variant`` blends in the runner-up)
    combined: float = 0.0
    ambiguous: bool = False  # a lone keyword that many entries are asked with: clarify, don't answer


Postings = dict[str, tuple[np.ndarray, np.ndarray]]  # term → (document ids, weights)


def _posting_arrays(items: dict[str, list[tuple[int, float]]]) -> Postings:
    """numpy posting arrays: scoring a question is a few vectorised adds, whatever the size."""
    return {
        term: (np.array([i for i, _ in pairs], dtype=np.int32), np.array([w for _, w in pairs]))
        for term, pairs in items.items()
    }


def _accumulate(index: Postings, weights: dict[str, float], size: int, *, presence: bool = False) -> np.ndarray:
    """Per document, the sum over the question's terms of weight × posting weight (or, with
    ``presence``, of the weight alone wherever the term occurs)."""
    out = np.zeros(size)
    for term, weight in weights.items():
        found = index.get(term)
        if found is not None:
            out[found[0]] += weight if presence else weight * found[1]
    return out


def _span(text: str, first: str, last: str) -> str:
    """The stretch of ``text`` from the word ``first`` to the word ``last`` (both as
    word_pairs gives them: casefolded), as the user wrote it."""
    found = re.search(rf"{re.escape(first)}.*?{re.escape(last)}", text.casefold())
    if found is None or len(text.casefold()) != len(text):
        return f"{first} … {last}" if first != last else first
    return text[found.start() : found.end()]


def _code_day(code: str) -> date | None:
    """The day a yymmdd code stands for ("260301" → 2026-03-01), or None."""
    try:
        return date(2000 + int(code[:2]), int(code[2:4]), int(code[4:]))
    except ValueError:
        return None


def calibrate(combined: float, match: MatchSettings) -> float:
    """The combined signal as a probability (Platt scaling with the tuned slope/intercept)."""
    z = match.calibration_slope * combined + match.calibration_intercept
    return 1.0 / (1.0 + math.exp(-z)) if z > -50 else 0.0


class Matcher:
    """Ranks entries for a question; built once per knowledge base."""

    def __init__(self, kb: KnowledgeBase, match: MatchSettings | None = None):
        self.kb = kb
        self.match = match or MatchSettings()
        self.entries: list[Entry] = list(kb.entries.values())
        self.pipeline = TextPipeline(kb.synonyms.groups, kb.synonyms.english, kb.synonyms.stems)
        self.amounts = AmountCues.from_lists(kb.synonyms.amount_asks, kb.synonyms.amount_words)
        # Entries whose editors want them to answer questions about a sum on their topic:
        # one of their variants asks for one (synonyms.yaml, amounts), with the money words it
        # asks about. "kostar det något extra?" on the löneöversyn deadline is about a price,
        # so "vad blir min nya lön efter löneöversynen" still gets that the sum is not given.
        # Words are compared as terms, so "timpriset", "kostnad" and "cost" are one.
        self.amount_entries: dict[str, frozenset[str]] = {}
        for e in self.entries:
            words = frozenset(t for q in e.questions for t in self._money_terms(q))
            if words:
                self.amount_entries[e.id] = words
        self.counts = CountCues.from_list(kb.synonyms.count_asks, kb.synonyms.duration_asks)
        # What each entry's editors ask it to count ("Hur många steg …"): read once, not per question.
        self.count_units = {
            e.id: tuple(unit for q in e.questions if (unit := self.counts.unit(q))) for e in self.entries
        }
        # Every word of the synonym groups and the other-workplace phrases: none is a name.
        self.group_words = frozenset(
            tok for phrase in (*(w for g in kb.synonyms.groups for w in g), *kb.synonyms.elsewhere) for tok in tokens(phrase)
        )
        # Entries that only a SÄS-scoped source backs (sources.yaml, scope: sas), and the
        # phrases that name a workplace elsewhere in VGR (synonyms.yaml, elsewhere).
        self.sas_only = frozenset(e.id for e in self.entries if e.sources and all(map(self._sas_scoped, e.sources)))
        # Entries no SÄS-scoped source backs: what they say holds wherever in VGR one works.
        self.vgr_wide = frozenset(e.id for e in self.entries if e.sources and not any(map(self._sas_scoped, e.sources)))
        self.sas_terms = frozenset(self.pipeline.terms("säs"))
        # "jag arbetar på SÄS": working somewhere is no topic of its own.
        self.work_terms = frozenset(self.pipeline.terms("jobbar arbetar jobba arbeta sitter"))
        self._last_workplace: tuple[str | None, bool | None] = (None, None)
        self.time_units = frozenset(stem(t) for w in kb.synonyms.time_units for t in tokens(w))
        # Days the documents write as a code ("260301" = 1 March 2026) or an answer writes as a
        # date ("till 2026-12-31"), for questions that write them out another way.
        self.date_codes = {
            day: code
            for e in self.entries
            for code in set(DATE_CODE_RE.findall(" ".join((*e.questions, e.answer))))
            if (day := _code_day(code)) is not None
        }
        for e in self.entries:
            for iso in set(ISO_DAY_RE.findall(e.answer)):
                self.date_codes.setdefault(date.fromisoformat(iso), iso)
        subjects = kb.synonyms.subjects
        self.access_terms = frozenset(t for w in subjects.get("access", ()) for t in self.pipeline.terms(w))
        self.head_terms = self.access_terms | {t for w in subjects.get("heads", ()) for t in self.pipeline.terms(w)}
        self.other_systems = frozenset(fold(w) for w in subjects.get("systems", ()))
        # "ansöka om semester", "säga upp mig", "byta adress": as stems, so inflections match.
        self.not_covered = [(self._phrase_key(tokens(p)), p) for p in subjects.get("not_covered", ()) if tokens(p)]
        # Looked up by their first stem: a question costs a few look-ups, not one scan per phrase.
        self._not_covered_by_first: dict[str, list[tuple[int, tuple[str, ...], str]]] = defaultdict(list)
        for order, (phrase, written) in enumerate(self.not_covered):
            self._not_covered_by_first[phrase[0]].append((order, phrase, written))
        # English phrases as the Swedish words they translate to, for the fuzzy signal: the
        # variants are Swedish ("which courses" reads "vilka utbildning"). A word the Swedish
        # answers use too ("pension", "information") stays as written.
        swedish_words = {t for e in self.entries for t in (*tokens(e.answer), *tokens(e.title))}
        self.english_phrases: dict[tuple[str, ...], tuple[str, ...]] = {
            toks: tuple(tokens(swe))
            for eng, swe in kb.synonyms.english.items()
            if (toks := tuple(tokens(eng))) and not set(toks) <= swedish_words
        }
        self._english_longest = max((len(k) for k in self.english_phrases), default=1)
        self._build()
        # The subject head terms (synonyms.yaml, subjects) a word carries: looked up per word.
        self._head_terms_of: Callable[[str], frozenset[str]] = functools.lru_cache(maxsize=4096)(
            lambda tok: frozenset(self.pipeline.terms(tok)) & self.head_terms if tok not in STOPWORDS else frozenset()
        )
        # One question's terms serve both ranking and the topic check: scan it once.
        self.query_terms: Callable[[str], tuple[str, ...]] = functools.lru_cache(maxsize=256)(
            lambda text: tuple(self.pipeline.terms(text, repair=True))
        )

    # ------------------------------------------------------------------ build

    def _build(self) -> None:
        # Pass 1: base vocabulary (no splitting) so compounds can be split into known parts.
        self.pipeline.learn_spellings(
            text for entry in self.entries for text in (*entry.questions, entry.title, entry.answer)
        )
        base: set[str] = set()
        for entry in self.entries:
            for text in (*entry.questions, entry.title, entry.answer):
                base.update(self.pipeline.terms(text))
        self.pipeline.set_vocabulary(base)
        # The base's own typos ("löneservcie") count as the words they misspell.
        counts: Counter[str] = Counter(
            tok
            for entry in self.entries
            for text in (*entry.questions, entry.title, entry.answer)
            for tok in tokens(text)
            if tok not in STOPWORDS
        )
        self.pipeline.learn_typos(counts)

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
        # BM25 over the bags (Okapi, k1 1.2, b 0.75): term saturation and length
        # normalisation that the cosine signals lack; its per-entry weights are precomputed.
        lengths = np.array([sum(bag.values()) for bag in bag_tfs]) if bag_tfs else np.zeros(0)
        norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths / (lengths.mean() if n else 1.0))
        bm25: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, bag in enumerate(bag_tfs):
            for term, tf in bag.items():
                idf = math.log(1.0 + (n - df[term] + 0.5) / (df[term] + 0.5))
                bm25[term].append((index, idf * tf * (BM25_K1 + 1) / (tf + norm[index])))
        self.bm25_index = _posting_arrays(bm25)
        # The knowledge base's own words (those ``counts`` already holds) are what typos are repaired towards.
        surface = {tok: self.pipeline.terms(tok) for tok in counts if len(tok) >= 4 and not tok.isdigit()}
        self.pipeline.set_vocabulary(self.idf, {w: t for w, t in surface.items() if t}, counts)
        self.elsewhere = [frozenset(self.pipeline.terms(p)) for p in self.kb.synonyms.elsewhere if self.pipeline.terms(p)]

        # Every term an entry's variants, title and answer use: whether a follow-up's words
        # are the previous answer's own ("om jag beställer det 22 december?").
        self.entry_vocabulary = {entry.id: frozenset(bag) for entry, bag in zip(self.entries, bag_tfs, strict=True)}
        self.question_terms = frozenset(t for word in QUESTION_WORDS for t in self.pipeline.terms(word))
        # The words the knowledge base declares topics: its entries' titles and the
        # synonym groups (synonyms.yaml). A question that uses none of them ("kanske",
        # "vänta", "berätta mer") names no topic, however well a word of it happens to
        # match a story told in some long variant.
        declared = [entry.title for entry in self.entries] + [w for group in self.kb.synonyms.groups for w in group]
        topics = {t for text in declared for t in self.pipeline.terms(text)}
        # Names the answers use ("Ida Uhlén") are topics too: the words of a run of capitalised
        # words that the base never writes in lower case, each as a whole word (not split:
        # "Informera Löneservice" opens a sentence, and its "mer" is no topic).
        texts = [t for entry in self.entries for t in (entry.answer, entry.title)]  # edited text, cased with care
        lower = {w for t in texts for w in NAME_WORD_RE.findall(t) if w.islower()}
        declared_terms = frozenset(topics)
        people: set[tuple[str, ...]] = set()
        for name in {n for entry in self.entries for n in PROPER_NAME_RE.findall(entry.answer)}:
            own = [self.pipeline.terms(w)[0] for w in name.split() if w.lower() not in lower and self.pipeline.terms(w)]
            topics.update(own)
            if len(own) == len(name.split()) and not set(own) & declared_terms:
                people.add(tuple(own))  # "Ida Uhlén": every word a name, none a topic of its own
        # The people the documents name, as their names' terms: "Karin Svensson" is not
        # "Karin Holmberg", and "Ida ska bli Heromarapportör" is not about "Ida Uhlén".
        self.people = frozenset(people)
        self.person_terms = frozenset(t for person in people for t in person)
        # A code the editors ask with ("från 260301", a document id) names its topic too.
        topics.update(t for _owner, _text, tf in variant_tfs for t in tf if t.isdigit() and len(t) >= TOPIC_CODE_MIN_DIGITS)
        # A compound of a topic and a tail that only says "question about" is a topic too:
        # "pensionsfrågor", which the base writes whole (a question about pension).
        words = {w for _owner, text, _tf in variant_tfs for w in tokens(text)} | {w for text in texts for w in tokens(text)}
        for word in words:
            head = self.pipeline.generic_head(word)
            whole = self.pipeline.terms(word)[:1] if head and head[0] in topics else []
            topics.update(whole)
        self.topic_terms = frozenset(topics) - self.question_terms
        # In how many entries' questions (variants, title) each term occurs: a one-word
        # question ("underlag", "lön") known to many entries is ambiguous however well it scores.
        asked_in: dict[str, set[int]] = defaultdict(set)
        for owner, _text, tf in variant_tfs:
            for term in tf:
                asked_in[term].add(owner)
        self.question_df = {term: len(owners) for term, owners in asked_in.items()}
        # The terms each entry is asked with (variants, title), not merely mentions in its
        # answer: "omorganisation" is the 8th-of-month answer's aside, not its topic.
        asked: list[set[str]] = [set() for _ in self.entries]
        for owner, _text, tf in variant_tfs:
            asked[owner].update(tf)
        self.entry_asked = {entry.id: frozenset(terms) for entry, terms in zip(self.entries, asked, strict=True)}
        # The entry saying the SÄS routine is SÄS's only: it cites that routine, and its own
        # questions name another workplace.
        self.sas_elsewhere_entry = next(
            (
                e
                for e in self.entries
                if any(map(self._sas_scoped, e.sources)) and self._names_elsewhere(self.entry_asked[e.id])
            ),
            None,
        )
        spread: list[Counter[str]] = [Counter() for _ in self.entries]
        for owner, _text, tf in variant_tfs:
            spread[owner].update(tf.keys())
        # Per variant only what a question needs: its entry and its words for the fuzzy signal.
        self.variant_text: list[str] = []
        self.variant_swedish: list[str] = []  # the same with English phrases in Swedish
        owners: list[int] = []
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for vid, (owner, text, tf) in enumerate(variant_tfs):
            owners.append(owner)
            self.variant_text.append(" ".join(tokens(text)))
            self.variant_swedish.append(" ".join(self.fuzzy_words(text)))
            for term, weight in self._weights(tf, spread[owner]).items():
                postings[term].append((vid, weight))
        self.variant_index = _posting_arrays(postings)
        self.variant_owner = np.array(owners, dtype=np.int32)
        # Variants were added entry by entry, so each entry's are one contiguous segment.
        self.entry_sizes = np.bincount(self.variant_owner, minlength=len(self.entries))
        self.entry_starts = np.concatenate(([0], np.cumsum(self.entry_sizes)[:-1]))
        self.entry_variants: list[np.ndarray] = np.split(np.arange(len(owners)), self.entry_starts[1:])
        # The same for the entries' bags: (entries, weights) per term.
        bag_postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, bag in enumerate(bag_tfs):
            for term, weight in self._weights(bag).items():
                bag_postings[term].append((index, weight))
        self.bag_index = _posting_arrays(bag_postings)

    def _weights(self, tf: Counter[str] | dict[str, float], spread: Counter[str] | None = None) -> dict[str, float]:
        """L2-normalised TF-IDF; with ``spread`` (a variant's entry), incidental words count less."""
        raw = {t: (1.0 + math.log(c)) * self.idf.get(t, self.unknown_idf) for t, c in tf.items() if c > 0}
        if spread is not None:
            raw = {t: w * min(1.0, spread[t] / TOPICAL_SPREAD) for t, w in raw.items()}
        norm = math.sqrt(sum(w * w for w in raw.values())) or 1.0
        return {t: w / norm for t, w in raw.items()}

    # ------------------------------------------------------------------ query

    def query_weights(self, text: str) -> dict[str, float]:
        """The question's terms, weighted. A number no entry uses ("avdelning 32") names
        no topic: it is left out rather than weighted as the rarest word of all."""
        return self._weights(Counter(t for t in self.query_terms(text) if t in self.idf or not t.isdigit()))

    def without_names(self, text: str) -> str:
        """The question without words that read as a person's name: capitalised, naming no
        topic, and unknown to the knowledge base inside the sentence ("min kollega Svensson
        har fel lön") or one of a pair with such a word ("Anna Svensson har fel lön"). A
        name is no topic, and as an unknown word it would weigh most of all and push a
        clear question to "vet inte"."""
        words = list(NAME_WORD_RE.finditer(text))
        kinds = [self._name_like(m.group(0)) for m in words]  # None, "known" or "unknown"
        kinds = self._other_people(text, words, kinds)  # or "person": someone else of that name
        drop = []
        for i, m in enumerate(words):
            if kinds[i] is None:
                continue
            before = text[: m.start()].rstrip()
            first = not before or before[-1] in ".!?:"
            pair = [
                j for j in (i - 1, i + 1)
                if 0 <= j < len(words) and kinds[j] and not text[min(m.end(), words[j].end()) : max(m.start(), words[j].start())].strip()
            ]  # fmt: skip
            if (kinds[i] == "unknown" and not first) or kinds[i] == "person" or any("unknown" in (kinds[i], kinds[j]) for j in pair):
                drop.append(m)
        for m in reversed(drop):
            text = text[: m.start()] + " " + text[m.end() :]
        return text

    def without_occupation(self, text: str) -> str:
        """The question without a self-introduction by occupation that names no topic
        ("jag är undersköterska och min lön blev fel"): the word would pull it towards
        entries whose long variants tell of an undersköterska. "jag är chef" and "jag är
        föräldraledig" name topics and stay."""
        found = OCCUPATION_RE.search(text)
        if not found or len(found.group("word")) < OCCUPATION_MIN_LEN:
            return text
        word = fold(found.group("word"))
        terms = self.pipeline.terms(word, repair=True)
        # A topic in the word or one of its own parts ("avdelningschef": chef) keeps it; a
        # part a synonym renames ("sjuk" in sjuksköterska → sjukfrånvaro) does not.
        if not terms or terms[0] in self.topic_terms or any(t in self.topic_terms and t in word for t in terms):
            return text
        rest = text[: found.start()] + " " + text[found.end() :]
        return rest if self.names_a_topic(rest) else text

    def _other_people(self, text: str, words: list[re.Match[str]], kinds: list[str | None]) -> list[str | None]:
        """Mark as "person" (a name to drop) a part of a documented person's name ("Karin", "Ida")
        that stands without the rest of that name, in a question that names a topic of its
        own: someone else of that name. "Vem är Ida?" (no other topic) keeps it."""
        if not self.person_terms:
            return kinds
        terms = [self.pipeline.terms(m.group(0)) for m in words]
        marks = [bool(t) and m.group(0)[0].isupper() and t[0] in self.person_terms for m, t in zip(words, terms, strict=True)]
        if not any(marks):
            return kinds
        out = list(kinds)
        for i, marked in enumerate(marks):
            if not marked:
                continue
            run = [i]  # the capitalised words around it, with nothing but a space between
            for step in (-1, 1):
                j = i + step
                while 0 <= j < len(words) and words[j].group(0)[0].isupper() and not text[
                    min(words[j].end(), words[j - step].end()) : max(words[j].start(), words[j - step].start())
                ].strip():
                    run.append(j)
                    j += step
            run_terms = tuple(terms[j][0] for j in sorted(run) if terms[j])
            if any(len(person) > 1 and all(t in run_terms for t in person) for person in self.people):
                continue  # the whole name: that person
            rest = [t for j, w in enumerate(terms) if j not in run for t in w]
            if len(run) > 1 or any(t in self.topic_terms and t not in self.person_terms for t in rest):
                out[i] = "person"
        return out

    def _name_like(self, word: str) -> str | None:
        """"unknown"/"known" for a capitalised word that names no topic, else None."""
        if not (word[0].isupper() and word[1:].islower()):
            return None
        if fold(word) in self.group_words:  # "Alingsås" (lasarett) is a place a synonym names
            return None
        terms = self.pipeline.terms(word, repair=True)  # "Intyyg" is a typo, not a name
        if not terms or any(t in self.topic_terms for t in terms):
            return None
        return "known" if any(t in self.idf for t in terms) else "unknown"

    def names_a_topic(self, text: str) -> bool:
        """Whether the question uses a word the knowledge base declares a topic (``topic_terms``)."""
        return any(t in self.topic_terms for t in self.query_terms(text))

    def unknown_subject(self, text: str) -> str | None:
        """What a question asks about when it is something the documents don't cover: a
        not_covered phrase ("ansöka om semester"), or a topic word pointing at a thing the
        base never mentions or at another system ("behörighet till Agresso", "utbildning
        för Excel", "access to Komet"; synonyms.yaml, subjects). The topic word makes it look
        like a question the base answers, but it is about that thing. Returns the phrase as
        the editors wrote it, or the user's words ("behörighet till Agresso"), or None.
        ``text``: the question without personal data and dates, its names kept (a
        system's name is capitalised too)."""
        pairs = word_pairs(text)
        covered = self._not_covered(pairs)
        if covered:
            return covered
        for i, (tok, _raw) in enumerate(pairs):
            terms = self._head_terms_of(tok)
            if not terms:
                continue
            access = bool(terms & self.access_terms)
            j = i + 1
            while access and j < len(pairs) and pairs[j][0] in LOGIN_FILLERS:  # "loggar jag in i Komet"
                j += 1
            # "utbildning i klassrum" is how, not what: other heads take their thing with till/för.
            if j >= len(pairs) or pairs[j][0] not in (SUBJECT_PREPOSITIONS if access else HEAD_PREPOSITIONS):
                continue
            j += 1
            while j < len(pairs) - 1 and pairs[j][0] in SUBJECT_DETERMINERS:
                j += 1
            if j >= len(pairs):
                continue
            thing, written = pairs[j]
            system = access and (thing in self.other_systems or fold(written) in self.other_systems)
            if system or self._never_seen(thing, written):
                return _span(text, pairs[i][1], written)
        return None

    def _not_covered(self, pairs: list[tuple[str, str]]) -> str | None:
        """The not_covered phrase (as the editors wrote it) the question uses, inflected or
        not, or in a synonym; a subject or "har" between its words is skipped ("hur ansöker jag om semester",
        "hur mycket semester har jag kvar")."""
        # Read without the subjects and auxiliaries, and as written: a phrase the editors
        # wrote with its subject ("hur loggar jag in", "har ni stängt") must match as well.
        whole = self._phrase_key([tok for tok, _raw in pairs])
        bare = tuple(key for (tok, _raw), key in zip(pairs, whole, strict=True) if tok not in INVERTED_SUBJECTS and tok not in PHRASE_FILLERS)
        found: tuple[int, str] | None = None  # the first in the editors' order, as a scan would find
        for stems in (bare, whole):
            for i, first in enumerate(stems):
                for order, phrase, written in self._not_covered_by_first.get(first, ()):
                    if stems[i : i + len(phrase)] == phrase and (found is None or order < found[0]):
                        found = (order, written)
        return found[1] if found else None

    def _phrase_key(self, words: list[str]) -> tuple[str, ...]:
        """Words as stems under their synonym group's name: "lönerevision" is "löneöversyn"."""
        return tuple(self.pipeline.canonical(self.pipeline.stem(w)) for w in words)  # with synonyms.yaml's stems

    def _never_seen(self, tok: str, raw: str) -> bool:
        """A content word none of whose terms (after typo repair and compound splitting) the base knows."""
        if tok in STOPWORDS or tok.isdigit() or len(tok) < UNKNOWN_SUBJECT_MIN_LEN or tok in self.group_words:
            return False
        terms = self.pipeline.word_terms(tok, raw)
        return bool(terms) and not any(t in self.idf for t in terms)

    def unknown_contact(self, text: str, top: Candidate | None) -> bool:
        """True when the question asks for a phone number or an e-mail address and the best
        entry's answer never speaks of one ("vad har Karin Holmberg för telefonnummer?" →
        who she is, but not her number). An answer that says the number isn't there
        ("… men inget telefonnummer") answers it."""
        said = f" {' '.join(tokens(text))} "
        if not any(f" {phrase} " in said for phrase in self._contact_asks):
            return False
        return top is None or not any(word in self._answer_text(top.entry) for word in self._contact_words)

    @functools.cached_property
    def _contact_asks(self) -> tuple[str, ...]:
        return tuple(p for p in (" ".join(tokens(w)) for w in self.kb.synonyms.contact_asks) if p)

    @functools.cached_property
    def _contact_words(self) -> tuple[str, ...]:
        return tuple(w for w in (fold(x) for x in self.kb.synonyms.contact_words) if w)

    def _answer_text(self, entry: Entry) -> str:
        """The entry's answer, folded, with its contact cards' texts (where addresses stand)."""
        cards = " ".join(f"{c.name} {c.text}" for k in entry.contacts if (c := self.kb.contacts.get(k)))
        return fold(f"{entry.answer} {cards}")

    def unknown_amount(self, text: str, top: Candidate | None) -> bool:
        """True when the question asks for a sum of money and the best entry is not one
        that answers such questions: the documents state no pay amounts."""
        asked = self._money_terms(text)
        return bool(asked) and (top is None or not asked & self.amount_entries.get(top.entry.id, frozenset()))

    def _money_terms(self, text: str) -> set[str]:
        """The terms of the money words a question about a sum asks about, if the question
        reads them so: in "what is the salary review deadline" the phrase "salary review"
        is löneöversyn, no sum."""
        words = {t for word in self.amounts.money_words(text) for t in self.pipeline.terms(word)[:1]}
        # "mileage allowance" is one phrase, milersättning, itself a money word's term.
        return (words | self._money_concepts) & set(self.pipeline.terms(text)) if words else words

    @functools.cached_property
    def _money_concepts(self) -> frozenset[str]:
        """The terms of all money words (synonyms.yaml, amounts.money)."""
        return frozenset(t for w in self.kb.synonyms.amount_words for t in self.pipeline.terms(w)[:1])

    def _within_scope(self, candidates: list[Candidate], terms: set[str]) -> list[Candidate]:
        """A question that names a workplace outside SÄS ("jobbar på NÄL, hur söker jag
        behörighet?") is not answered from the SÄS routine alone: its address and steps
        are SÄS's. Entries only that routine backs leave the candidates, unless their own
        questions name such a workplace (the entry saying the routine is SÄS's only)."""
        if terms & self.sas_terms or not self._names_elsewhere(terms):
            return candidates
        return self.outside_sas(candidates)

    def outside_sas(self, candidates: list[Candidate]) -> list[Candidate]:
        """The candidates without the entries only the SÄS routine backs. Where one of
        those led, the entry that says the routine is SÄS's only takes its place ("vart
        skickar jag blanketten?" from someone at NÄL): the entry citing that routine whose
        own questions name another workplace."""
        kept = [c for c in candidates if c.entry.id not in self.sas_only]
        if candidates and candidates[0].entry.id in self.sas_only and self.sas_elsewhere_entry:
            lead = candidates[0]
            if all(c.entry.id != self.sas_elsewhere_entry.id for c in kept):
                stand_in = Candidate(self.sas_elsewhere_entry, lead.score, combined=lead.combined)
                stand_in.best_variant, stand_in.fuzzy = lead.best_variant, lead.fuzzy
                kept = [stand_in, *kept]
        return kept

    def workplace(self, text: str) -> bool | None:
        """True when the text names a workplace outside SÄS ("jag jobbar på NÄL"), False
        when the user says they work at SÄS ("jag jobbar på SÄS", "nu har jag bytt till
        SÄS"), None otherwise: a conversation remembers where the user works. A mere
        mention of SÄS ("min kollega på SÄS sa …") says nothing about the user. A turn asks
        twice (the turn logic, then matching); the last answer is kept."""
        if self._last_workplace[0] != text:
            self._last_workplace = (text, self._workplace(text))
        return self._last_workplace[1]

    def _workplace(self, text: str) -> bool | None:
        terms = set(self.query_terms(text))
        if terms & self.sas_terms:
            folded = fold(text)
            if NOT_AT_SAS_RE.search(folded):  # "jag jobbar inte på SÄS (längre)", "ej på SÄS"
                return True
            if self._names_elsewhere(terms) and NEGATED_SAS_RE.search(folded):
                return True  # "jag jobbar på NÄL inte SÄS"
            return False if SAS_STATEMENT_RE.search(folded) else None
        return True if self._names_elsewhere(terms) else None

    def mentioned_workplace(self, text: str) -> bool | None:
        """Like ``workplace``, but a bare mention counts ("SÄS", "Södra Älvsborg", "NU-sjukvården"):
        the answer to "Arbetar du på SÄS?". True: elsewhere, False: SÄS, None: neither or both."""
        terms = set(self.query_terms(text))
        sas, other = bool(terms & self.sas_terms), self._names_elsewhere(terms)
        if sas and not other and NEGATED_SAS_RE.search(fold(text)):
            return True  # "ej säs", "not SÄS"
        return None if sas == other else other

    def only_a_workplace(self, text: str) -> bool:
        """Whether the text names a workplace and no other topic ("och om jag jobbar på NÄL?",
        "gäller samma sak för Sahlgrenska?")."""
        terms = set(self.query_terms(text))
        places = self.sas_terms.union(*(p for p in self.elsewhere if p <= terms))
        return bool(terms & places) and not any(t in self.topic_terms for t in terms - places - self.work_terms)

    def names_sas_only(self, text: str) -> bool:
        """Whether the question names SÄS and no workplace elsewhere ("… på säs")."""
        terms = set(self.query_terms(text))
        return bool(terms & self.sas_terms) and not self._names_elsewhere(terms)

    def _names_elsewhere(self, terms: set[str] | frozenset[str]) -> bool:
        """Whether the terms hold a phrase naming a workplace outside SÄS (synonyms.yaml, elsewhere)."""
        return any(p <= terms for p in self.elsewhere)

    def _sas_scoped(self, ref: SourceRef) -> bool:
        """Whether a source reference points into a document that applies to SÄS only."""
        source = self.kb.sources.get(ref.doc)
        return source is not None and source.scope == "sas"

    def unknown_count(self, text: str, top: Candidate | None) -> bool:
        """True when the question asks how many of something ("hur många timmar tar
        kursen?") and the best entry neither states such a number nor has a variant
        asking for one: the answer would look like one without giving it."""
        unit = self.counts.unit(text)
        if unit is None or top is None:
            return False
        entry = top.entry
        if any(self._same_unit(unit, own) for own in self.count_units[entry.id]):
            return False
        percent = unit.startswith(("procent", "percent"))
        return not states_count(entry.answer, lambda word: self._same_unit(unit, word), percent)

    def _same_unit(self, unit: str, word: str) -> bool:
        """"dagar" and "arbetsdagar", "days" and "dagar": the same thing counted; any unit
        of time (synonyms.yaml, amounts.time_units) for a question how long something takes."""
        if unit == DURATION or word == DURATION:
            other = stem(word if unit == DURATION else unit)
            return unit == word or any(other.endswith(t) for t in self.time_units)
        a, b = stem(unit), stem(word)
        if a == b or (len(a) >= 3 and b.endswith(a)):
            return True
        return bool(set(self.pipeline.terms(unit)) & set(self.pipeline.terms(word)))

    def rank(self, text: str, limit: int = 5) -> list[Candidate]:
        """Entries ordered by combined score, best first (at most ``limit``)."""
        return self._rank(self.query_weights(text), text, limit)

    def rank_follow_up(self, text: str, previous: Entry, boost: float, limit: int = 5) -> list[Candidate] | None:
        """Rank a short follow-up ("och för löneöversynen?") in the previous answer's context.

        The question is read together with the previous entry's title, the previous
        entry itself is set aside (the user asks about something else) and its related
        entries get ``boost``. Returns None when the text doesn't look like a follow-up.
        """
        folded = " ".join(tokens(text))
        if not any(folded == c or folded.startswith(c + " ") for c in FOLLOW_UP_CUES):
            return None
        own = set(self.pipeline.terms(text, repair=True))
        if not own or own <= set(self.pipeline.terms(previous.title)):
            # Nothing the previous answer's title doesn't already name ("och chefen?" after
            # "Chefens ansvar inför lönekörningen"): not about something else.
            return None
        ranked = self.rank_in_context(text, previous, boost, FOLLOW_UP_TITLE_WEIGHT, limit + 1)
        return [c for c in ranked if c.entry.id != previous.id][:limit]

    @staticmethod
    def _fuzzy_ratios(short: str, translated: str, variants: list[str], swedish: list[str]) -> np.ndarray:
        """Token-set similarity of the question to each variant; for English, also the
        token-sort similarity of both read in Swedish ("do you offer training" and "erbjuder
        ni utbildning" meet as "erbjuda utbildning"). Not token-set for that reading: a few
        Swedish base forms ("vad intyg") are a subset of many variants and would all score 100."""
        ratios = process.cdist([short], variants, scorer=fuzz.token_set_ratio, processor=None)[0]
        if translated != short:
            ratios = np.maximum(ratios, process.cdist([translated], swedish, scorer=fuzz.token_sort_ratio, processor=None)[0])
        return ratios

    def fuzzy_words(self, text: str) -> list[str]:
        """The question's words for the fuzzy signal, English phrases in Swedish."""
        toks = tokens(text)
        out: list[str] = []
        i = 0
        while i < len(toks):
            for n in range(min(self._english_longest, len(toks) - i), 0, -1):
                swedish = self.english_phrases.get(tuple(toks[i : i + n]))
                if swedish is not None:
                    out.extend(swedish)
                    i += n
                    break
            else:
                if toks[i] not in _ENGLISH_FILLERS:
                    out.append(toks[i])
                i += 1
        return out

    def rank_in_context(
        self, text: str, previous: Entry, boost: float, title_weight: float = CONTEXT_TITLE_WEIGHT, limit: int = 5
    ) -> list[Candidate]:
        """Rank a question that leans on the previous answer ("vem gör det?", "varför?"):
        its words plus the previous entry's title (``title_weight`` each), with
        ``boost`` for the previous entry's related entries. The previous entry competes
        too, so the caller can tell "about the same thing" from "about a neighbour"."""
        own = Counter(self.pipeline.terms(text, repair=True))
        combined = own.copy()
        for term in self.pipeline.terms(previous.title):
            combined[term] += title_weight
        ranked = self._rank(self._weights(combined), text, limit + 1, focus=self._weights(own) if own else None)
        # The previous entry shares its neighbours' boost: it beats a stranger, not them.
        # A lone keyword ("kostar det?") is no longer ambiguous: the previous answer says which.
        related = {*previous.related, previous.id}
        for cand in ranked:
            cand.ambiguous = False
            if cand.entry.id in related:
                cand.combined += boost
                cand.score = calibrate(cand.combined, self.match)
        ranked.sort(key=lambda c: c.score, reverse=True)
        return ranked[:limit]

    def _rank(self, q: dict[str, float], text: str, limit: int, focus: dict[str, float] | None = None) -> list[Candidate]:
        """Variant scores through the inverted index; entry-level signals for a bounded
        pool; fuzzy only for the few best. Cost stays bounded as the base grows."""
        if not q or (len(q) == 1 and q.keys() <= self.question_terms):
            return []  # a lone question word ("vem har gjort dig?" → vem) names no topic
        m = self.match
        # Coverage uses the user's own words (``focus``), not context we added.
        cover_terms = focus or q
        idf_mass = {t: self.idf.get(t, self.unknown_idf) for t in cover_terms}
        total_mass = sum(idf_mass.values()) or 1.0

        scores = _accumulate(self.variant_index, q, len(self.variant_text))
        # Best and second-best variant per entry: an entry's variants are contiguous, so
        # both are segment maxima (a tie for the best makes the second equal to it).
        best = np.maximum.reduceat(scores, self.entry_starts)
        is_best = scores == np.repeat(best, self.entry_sizes)
        ties = np.add.reduceat(is_best, self.entry_starts) > 1
        second = np.where(ties, best, np.maximum.reduceat(np.where(is_best, 0.0, scores), self.entry_starts))
        # An entry whose second-best variant matches too is more likely right than one
        # with a single lucky variant: blend in the runner-up variant's score.
        share = m.variant_runner_up_share
        best_score = (1.0 - share) * best + share * second
        # Entry-level signals, vectorised over the entries sharing a word with the question.
        n = len(self.entries)
        bag = _accumulate(self.bag_index, q, n)
        covered = _accumulate(self.bag_index, {t: w / total_mass for t, w in idf_mass.items()}, n, presence=True)
        bm25 = _accumulate(self.bm25_index, dict.fromkeys(q, 1.0), n)
        bm25 /= bm25.max() or 1.0  # relative to this question's best entry
        pool = np.flatnonzero(bag)
        prelim = (
            m.w_variant * np.minimum(best_score, 1.0)
            + m.w_bag * np.minimum(bag, 1.0)
            + m.w_coverage * covered
            + m.w_bm25 * bm25
        )
        if len(pool) > RERANK:
            pool = pool[np.argpartition(-prelim[pool], RERANK)[:RERANK]]
        # Fuzzy, for the few best only: the closest of the entry's best-matching variants
        # (the cosine-best one may be an English or synonym twin), all in one rapidfuzz call.
        short = " ".join(tokens(text))
        translated = " ".join(self.fuzzy_words(text))
        heads = pool.tolist()
        chosen = []
        for index in heads:
            vids = self.entry_variants[index]
            vids = vids[scores[vids] > 0]
            if len(vids) > FUZZY_VARIANTS:
                vids = vids[np.argpartition(-scores[vids], FUZZY_VARIANTS)[:FUZZY_VARIANTS]]
            chosen.append(vids)
        flat = np.concatenate(chosen) if chosen else np.zeros(0, dtype=np.int64)
        ratios = (
            self._fuzzy_ratios(
                short, translated, [self.variant_text[v] for v in flat.tolist()], [self.variant_swedish[v] for v in flat.tolist()]
            )
            if len(flat)
            else np.zeros(0)
        )
        candidates = []
        offset = 0
        for index, vids in zip(heads, chosen, strict=True):
            v, b = min(float(best_score[index]), 1.0), min(float(bag[index]), 1.0)
            cand = Candidate(self.entries[index], float(prelim[index]), v, b, float(covered[index]))
            cand.bm25 = float(bm25[index])
            own = self.entry_variants[index]
            cand.best_text = self.variant_text[int(own[np.argmax(scores[own])])]
            cand.best_variant = float(best[index])
            if len(vids):
                cand.fuzzy = float(ratios[offset : offset + len(vids)].max()) / 100.0
            offset += len(vids)
            cand.combined = cand.score + m.w_fuzzy * cand.fuzzy * min(1.0, cand.coverage * 1.25)
            cand.score = calibrate(cand.combined, m)
            candidates.append(cand)
        candidates.sort(key=lambda c: c.score, reverse=True)
        candidates = self._within_scope(candidates, set(focus or q))  # sorted: it looks at the lead
        # A bare keyword ("blankett", "lön") known to many entries names a topic, not a
        # question; a sentence whose words fold into one term ("fick för lite lön") is one.
        topic = [t for t in (focus or q) if t not in self.question_terms]
        bare = len(short.split()) <= LONE_TERM_MAX_WORDS
        if bare and len(topic) == 1 and self.question_df.get(topic[0], 0) > m.lone_term_max_entries:
            for cand in candidates:
                cand.ambiguous = True
        return candidates[:limit]
