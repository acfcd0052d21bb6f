"""The Swedish text pipeline used for matching (never for display).

Users type "behorighetsblanketten", "löneunderlaget", "omorg", "permission form". To
compare that with the knowledge base we: casefold, fold å/ä/ö/é (people often leave them
out), tokenise, map English words and multi-word phrases through the glossary, stem with
the Snowball Swedish stemmer (PyStemmer) – from the word as written, since folded first
"rapportör" loses "or" like a plural; a word typed without å/ä/ö reuses the spelling the
knowledge base taught it, and editors can fix a stem (``stems:`` in synonyms.yaml) – map
synonyms to one canonical term, split compounds into parts the knowledge base itself
uses, and drop stopwords. The knowledge base's own typos stand for the words they
misspell (``learn_typos``); repair of the user's typos happens at query time only.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import Stemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "æ": "a", "ø": "o", "é": "e", "è": "e", "ü": "u"})
_TOKEN_RE = re.compile(r"[a-z0-9]+")
_COMBINING_RE = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")  # accents after NFKD
_WORD_RE = re.compile(f"(?:[^\\W_]|{_COMBINING_RE.pattern})+")  # words as written, any alphabet
_ORDINAL_RE = re.compile(r"^(\d+)(?:st|nd|rd|th|e|a)$")  # "8th", "8e" (from "8:e" → "8", "e" too)

# Function words that carry no topic. Question words (när, hur, vem, vad, vilken) are
# kept on purpose: "när" separates a deadline question from a description question.
_STOP_SV = """
och det att i en jag hon som han pa den med var sig for sa till ar men ett om hade de av icke
mig du henne da sin nu har inte hans honom skulle hennes dar min man ej vid kunde nagot fran ut
efter upp vi dem vara over an dig kan sina har ha mot alla under nagon eller allt mycket sedan ju
denna sjalv detta at utan varit ingen mitt ni bli blev oss din dessa nagra deras blir mina samma
er sadan var blivit dess inom mellan sadant varje sitta sadana vart dina vars vart vara ert era
ska skall maste hej hallo tjena tack snalla undrar fraga fragor lite bara typ liksom nog
egentligen hmm okej ok pls vill kunna finns gor gora gjort fa far fick fundera funderar funderade galler ja
riktigt verkligen sen sedan forhand mvh halsningar halsning vaga tillvaga betyder betyda innebar innebara
alltsa assa grej grejen grejer grejerna grejor fattar fatta fattade
igen fan javla javligt skit fasen satan helvete asap u e forresten btw istallet
ganska valdigt jatte irriterad irriterade arg arga besviken besvikna frustrerad frustrerade stressad
sry sorry forlat ursakta anda hen hens henom skillnad skillnaden skillnader skillnaderna
""".split()
_STOP_EN = """
the a an is are was were be been do does did i me my we our you your it its to of for in on at by
with about please can could would should will shall have has had there this that these those
and or but if so as from into any some get got need needs want hi hello thanks m s t d ll re ve
they them their theirs he him his she her hers someone somebody someones something anything every each
mean means meaning again fuck fucking wtf shit damn possible possibly during while instead according
says said say come comes came
am now thing things without telling just still also really very already here
because lot lots stuff too even though although yet difference differences
""".split()
STOPWORDS = frozenset(_STOP_SV + _STOP_EN)
# Question words are kept as terms (see above), but a lone one ("vem har gjort dig?" →
# vem) names no topic and must not be matched to one.
# Words that point back at what was just said ("vem gör det?", "hur då?", "berätta mer"),
# folded: a short question with one of them may be about the previous answer.
REFERRING_WORDS = frozenset(
    "det den dem dom de detta denna dessa da dit dar sa mer beratta forklara utveckla "
    "it that this then there more tell explain hon han hen she he".split()
)
QUESTION_WORDS = tuple("vem vems vilka vilken vilket hur när vad varför who what when how why where which".split())

# Subjects that come between a verb and its particle in a question ("säger vi upp").
INVERTED_SUBJECTS = frozenset("vi man jag du ni hon han hen de dom".split())
MIN_PART = 3  # shortest head of a compound we trust ("lön", "tid")
MIN_TAIL = 4  # shortest tail: "kommer" is not kom+mer, "lägger" is not lag+ger
MIN_COMPOUND = 8  # shorter words are split only when unknown
TYPO_MIN_LEN = 5  # shorter tokens are too ambiguous to repair
CLIPPED_MIN_LEN, CLIPPED_MAX_LEN = 3, 8  # an unknown word this long may be a clipped one ("beh", "utbildn")
CLIPPED_MIN_COUNT = 5  # …standing for a term that many knowledge-base words starting so carry
CLIPPED_DOMINANCE = 3  # …at least this many times more than any other term
ALIAS_MIN_LEN = 7  # a rare knowledge-base word this long may be a typo of a common one (learn_typos)...
ALIAS_RARE = 2  # ...if it occurs at most this often
ALIAS_COMMON_RATIO = 3  # ...and the common word at least this many times as often
AMOUNT_SUFFIX_MIN = 3  # a money word this long also counts at the end of a compound ("decemberlönen")


def fold(text: str) -> str:
    """Casefold and drop diacritics: "Löneöversyn" → "loneoversyn"."""
    text = text.casefold()
    if text.isascii():
        return text
    text = text.translate(_FOLD)
    if text.isascii():
        return text
    return _COMBINING_RE.sub("", unicodedata.normalize("NFKD", text))


# Tails that only say "a question/case about": "lönefrågor" is about lön. They are stopwords,
# so such a compound never splits into known parts.
GENERIC_TAILS = frozenset("fraga fragor fragan fragorna arende arendet arenden arendena".split())


def _number(tok: str) -> str:
    return _ORDINAL_RE.sub(r"\1", tok) if tok[:1].isdigit() else tok


def tokens(text: str) -> list[str]:
    """Folded word tokens, digits kept, ordinals reduced to their number ("8th" → "8")."""
    return [tok for tok, _ in word_pairs(text)]


def word_pairs(text: str) -> list[tuple[str, str]]:
    """(folded token, word as written) per word. Matching ignores å/ä/ö, but the stemmer
    needs them: folded first, "rapportör" would lose "or" like a plural and become "rapport"."""
    out = []
    for raw in _WORD_RE.findall(text.casefold()):
        folded = fold(raw)
        for tok in (folded,) if _TOKEN_RE.fullmatch(folded) else _TOKEN_RE.findall(folded):
            tok = _number(tok)
            out.append((tok, raw if tok == folded else tok))
    return out


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("swedish")


def stem(token: str) -> str:
    return _stemmer().stemWord(token)


@dataclass
class TextPipeline:
    """Turns text into canonical terms; built once per knowledge base at load time.

    ``groups``: synonym groups (first word canonical). ``english``: English word or
    phrase → Swedish. ``vocabulary`` (index terms) enables compound splitting and typo
    repair; call ``set_vocabulary`` after indexing the knowledge base.
    """

    groups: list[list[str]] = field(default_factory=list)
    english: dict[str, str] = field(default_factory=dict)
    stems: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Stems the editors fixed where Snowball blends two words ("dator" and "data" → "dat").
        self._fixed = {fold(word): fold(own) for word, own in self.stems.items()}
        self._respelled: dict[str, str] = {}
        self._aliases: dict[str, list[str]] = {}
        self.learn_spellings(word for group in self.groups for word in group)
        self.learn_spellings(self.english.values())
        self._canonical: dict[str, str] = {}
        self._phrases: dict[tuple[str, ...], list[str]] = {}
        for group in self.groups:
            head = self._base_terms(group[0])
            for word in group:
                toks = tuple(tokens(word))
                if len(toks) == 1:
                    own = self.stem(toks[0])
                    self._canonical[own] = head[0] if len(head) == 1 else own
                    if len(head) > 1:
                        self._phrases[toks] = head
                elif toks:
                    self._phrases[toks] = head
        # An English word maps to Swedish words, which are then read like Swedish text: a
        # value that is a synonym phrase ("för mycket lön") becomes that group's term.
        swedish = dict(self._phrases)
        for eng, swe in self.english.items():
            toks = tuple(tokens(eng))
            if toks:
                self._phrases[toks] = self._phrase_terms(swe, swedish)
        self._max_phrase = max((len(k) for k in self._phrases), default=1)
        self.vocabulary: frozenset[str] = frozenset()
        self._surface: dict[str, list[str]] = {}
        self._surface_list: list[str] = []
        self._split_cache: dict[str, list[str]] = {}
        self._prefix_cache: dict[str, list[str] | None] = {}
        self._surface_counts: Counter[str] = Counter()
        self._typo_cache: dict[str, list[str] | None] = {}

    def _phrase_terms(self, text: str, phrases: dict[tuple[str, ...], list[str]]) -> list[str]:
        """Terms of a short Swedish text with the synonym groups' phrases applied."""
        longest = max((len(k) for k in phrases), default=1)
        return self._scan(word_pairs(text), phrases, longest, lambda tok, raw: [self.stem(tok, raw)])

    def _scan(
        self,
        pairs: list[tuple[str, str]],
        phrases: dict[tuple[str, ...], list[str]],
        longest: int,
        word: Callable[[str, str], list[str]],
    ) -> list[str]:
        """Left to right, the longest phrase of ``phrases`` (at most ``longest`` words) that
        starts here, else the one word through ``word``; stopwords outside phrases drop."""
        out: list[str] = []
        i = 0
        while i < len(pairs):
            if i + 2 < len(pairs) and pairs[i + 1][0] in INVERTED_SUBJECTS:
                # "Hur säger vi upp …?": a particle verb split by its subject is still the phrase.
                rest = [pairs[i][0]] + [tok for tok, _ in pairs[i + 2 :]]
                n = next((n for n in range(min(longest, len(rest)), 1, -1) if tuple(rest[:n]) in phrases), 0)
                if n:
                    out.extend(self.canonical(t) for t in phrases[tuple(rest[:n])])
                    i += n + 1
                    continue
            for n in range(min(longest, len(pairs) - i), 0, -1):
                mapped = phrases.get(tuple(tok for tok, _ in pairs[i : i + n]))
                if mapped is not None:
                    out.extend(self.canonical(t) for t in mapped)
                    i += n
                    break
            else:
                tok, raw = pairs[i]
                i += 1
                if tok not in STOPWORDS:
                    out.extend(word(tok, raw))
        return out

    def _base_terms(self, text: str) -> list[str]:
        return [self.stem(t, raw) for t, raw in word_pairs(text) if t not in STOPWORDS]

    def learn_spellings(self, texts: Iterable[str]) -> None:
        """Remember how words written with å/ä/ö stem, so that the same word typed without
        them stems alike: "rapportor" as "rapportör" (not "rapport"), "ingar" as "ingår"."""
        for text in texts:
            for tok, raw in word_pairs(text):
                if raw != tok and tok not in self._respelled:
                    own = fold(stem(raw))
                    if own != stem(tok):
                        self._respelled[tok] = own

    def learn_typos(self, counts: Counter[str]) -> None:
        """Treat the knowledge base's own typos as the words they misspell.

        Variants are written with typos on purpose ("löneservcie"). Each typo would become
        a rare word of its own with a huge weight: a user making the same typo matched that
        one variant and nothing else. A word seen at most ``ALIAS_RARE`` times that is one
        edit (a swap counts as one) from a word seen ``ALIAS_COMMON_RATIO`` times as often
        now stands for that word, on the knowledge-base side and the question side alike.
        ``counts``: folded tokens of the knowledge base's texts, stopwords left out."""
        self._aliases = {}
        common = [w for w, c in counts.items() if len(w) >= ALIAS_MIN_LEN - 1 and c >= ALIAS_COMMON_RATIO]
        for word, count in counts.items():
            if count > ALIAS_RARE or len(word) < ALIAS_MIN_LEN or word.isdigit():
                continue
            own = self._word_terms(word, word, False)
            for other, _distance, _ in process.extract(
                word, common, scorer=OSA.distance, processor=None, score_cutoff=1, limit=3
            ):
                theirs = self._word_terms(other, other, False)
                if other[0] == word[0] and counts[other] >= ALIAS_COMMON_RATIO * count and theirs[:1] != own[:1]:
                    self._aliases[word] = theirs
                    break

    def stem(self, tok: str, raw: str | None = None) -> str:
        """The stem of a folded token, computed from its å/ä/ö spelling when known."""
        if tok in self._fixed:
            return self._fixed[tok]
        if raw is not None and raw != tok:
            return fold(stem(raw))
        return self._respelled.get(tok) or stem(tok)

    def set_vocabulary(
        self,
        vocabulary: Iterable[str],
        surface: dict[str, list[str]] | None = None,
        counts: Counter[str] | None = None,
    ) -> None:
        """Index terms the query side may split into, and the knowledge base's own words
        (folded surface form → terms) that misspellings are repaired towards; ``counts``
        (how often each is written) lets a clipped word stand for its commonest reading."""
        self.vocabulary = frozenset(vocabulary)
        self._surface = dict(surface or {})
        self._surface_list = sorted(w for w in self._surface if len(w) >= TYPO_MIN_LEN - 1)
        self._surface_counts = counts or Counter()
        self._split_cache.clear()
        self._typo_cache.clear()
        self._prefix_cache.clear()

    def _clipped(self, tok: str) -> list[str] | None:
        """The terms of the word a clipped one stands for ("beh" → behörighet, "utbildn" →
        utbildning, "org" → organisation): the term most of the knowledge base's words
        that start so carry, when it is far the commonest reading."""
        if tok in self._prefix_cache:
            return self._prefix_cache[tok]
        weight: Counter[str] = Counter()
        for word in self._surface_list:
            if word.startswith(tok) and len(word) > len(tok):
                weight[self._surface[word][0]] += self._surface_counts.get(word, 1)  # the word's own term
        # A family is a term and the longer ones built on it ("behor", "behorighetsblanket").
        families: Counter[str] = Counter()
        for term in sorted(weight, key=len):
            root = next((r for r in families if term.startswith(r)), term)
            families[root] += weight[term]
        ranked = families.most_common(2)
        found = None
        if ranked and ranked[0][1] >= CLIPPED_MIN_COUNT and (
            len(ranked) == 1 or ranked[0][1] >= CLIPPED_DOMINANCE * ranked[1][1]
        ):
            found = [ranked[0][0]]
        self._prefix_cache[tok] = found
        return found

    def canonical(self, term: str) -> str:
        return self._canonical.get(term, term)

    def terms(self, text: str, *, repair: bool = False) -> list[str]:
        """Canonical terms of ``text``; ``repair`` fixes typos against the vocabulary."""
        return self._scan(
            word_pairs(text), self._phrases, self._max_phrase, lambda tok, raw: self._word_terms(tok, raw, repair)
        )

    def word_terms(self, tok: str, raw: str) -> list[str]:
        """One word's terms, typos repaired, as a question would give them (no phrases)."""
        return self._word_terms(tok, raw, True)

    def _word_terms(self, tok: str, raw: str, repair: bool) -> list[str]:
        if tok in self._aliases:
            return self._aliases[tok]
        term = self.canonical(self.stem(tok, raw))
        if not self.vocabulary or tok.isdigit():
            return [term]
        known = term in self.vocabulary
        if known and tok in self._fixed:
            return [term]  # the editors fixed its stem: one word ("ansvarsnummer" is no telefon"nummer")
        parts = self._split(tok) if (not known or len(tok) >= MIN_COMPOUND) else []
        if known:
            return [term, *parts]
        parts = parts or self.generic_head(tok)
        if repair and len(tok) >= TYPO_MIN_LEN:
            fixed = self._repair(tok)
            if fixed:
                return fixed  # "lonunderlag" is löneunderlag misspelt, not lön + underlag
        # A three-letter word typed with å/ä/ö is a word of its own ("blå"), not a clipped one.
        if repair and not parts and CLIPPED_MIN_LEN <= len(tok) <= CLIPPED_MAX_LEN and (len(tok) > 3 or raw == tok):
            clipped = self._clipped(tok)
            if clipped:
                return clipped  # "beh heroma ny chef": behörighet clipped
        return [term, *parts]

    def _split(self, tok: str) -> list[str]:
        """Split a compound into known parts: "behorighetsblankett" → behorig, blankett."""
        if tok in self._split_cache:
            return self._split_cache[tok]
        best: list[str] = []
        for cut in range(len(tok) - MIN_TAIL, MIN_PART - 1, -1):
            head, tail = tok[:cut], tok[cut:]
            tail_terms = self._known(tail) or self._split(tail)
            if not tail_terms:
                continue
            head_term = self._known(head) or (self._known(head[:-1]) if head.endswith("s") and len(head) > MIN_PART else [])
            if head_term:
                best = head_term + tail_terms
                break
        self._split_cache[tok] = best
        return best

    def generic_head(self, tok: str) -> list[str]:
        """The known head of a compound whose tail only says "a question about" (GENERIC_TAILS):
        "lönefrågor" → lön. Empty when it has none."""
        for tail in GENERIC_TAILS:
            if tok.endswith(tail) and len(tok) - len(tail) >= MIN_PART:
                head = tok[: -len(tail)]
                return self._known(head) or (self._known(head[:-1]) if head.endswith("s") else [])
        return []

    def _known(self, part: str) -> list[str]:
        if len(part) < MIN_PART or part in STOPWORDS:
            return []
        for candidate in (self.canonical(self.stem(part)), self.canonical(part)):
            if candidate in self.vocabulary:
                return [candidate]
        return []

    def _repair(self, tok: str) -> list[str] | None:
        """The terms of the knowledge-base word one edit away (two for long words; swapping
        two letters, the commonest slip, counts as one)."""
        if tok not in self._typo_cache:
            limit = 1 if len(tok) < 8 else 2
            found = process.extractOne(
                tok, self._surface_list, scorer=OSA.distance, processor=None, score_cutoff=limit
            )
            fixed = self._surface[found[0]] if found and found[0][0] == tok[0] else None
            self._typo_cache[tok] = fixed
        return self._typo_cache[tok]


@dataclass(frozen=True)
class AmountCues:
    """Recognises a question about a sum of money ("hur mycket OB får man?").

    The documents state no pay amounts, so the turn logic says so instead of answering
    with an entry on the same topic that doesn't give the figure. A question counts when
    it has both an asking phrase (``asks``) and a money word (``words``): "hur mycket tid"
    and "vad är lönespecifikation" are not questions about a sum. Words are compared by
    their stem, so "lönen" and "lön" match; long money words also end compounds
    ("friskvårdsbidraget")."""

    asks: tuple[tuple[str, ...], ...] = ()
    words: frozenset[str] = frozenset()

    @classmethod
    def from_lists(cls, asks: Iterable[str], words: Iterable[str]) -> AmountCues:
        phrases = tuple(tuple(stem(t) for t in tokens(a)) for a in asks)
        return cls(tuple(p for p in phrases if p), frozenset(stem(t) for w in words for t in tokens(w)))

    def match(self, text: str) -> bool:
        stems = [stem(t) for t in tokens(text)]
        # The asking phrase first: most questions have none, and it is the cheaper test.
        return self._asks_in(stems) and any(self._money(s) for s in stems)

    def _asks_in(self, stems: list[str]) -> bool:
        """An asking phrase anywhere in ``stems``; phrases are looked up by their first word."""
        for i, first in enumerate(stems):
            for phrase in self._by_first.get(first, ()):
                if tuple(stems[i : i + len(phrase)]) == phrase:
                    return True
        return False

    @cached_property
    def _by_first(self) -> dict[str, list[tuple[str, ...]]]:
        index: dict[str, list[tuple[str, ...]]] = {}
        for phrase in self.asks:
            index.setdefault(phrase[0], []).append(phrase)
        return index

    def money_words(self, text: str) -> list[str]:
        """The words, as typed, that a question about a sum asks about (none if it is no
        such question): "lön" in "vad blir min nya lön", "kostar" in "vad kostar det"."""
        if not self.match(text):
            return []
        return [t for t in tokens(text) if self._money(stem(t))]

    def _money(self, word: str) -> bool:
        return word in self.words or any(word.endswith(w) for w in self._long_words)

    @cached_property
    def _long_words(self) -> tuple[str, ...]:
        return tuple(w for w in self.words if len(w) >= AMOUNT_SUFFIX_MIN)


# Numerals as a folded word: "fem arbetsdagar", "two working days".
NUMBER_WORDS = frozenset(
    "en ett tva tre fyra fem sex sju atta nio tio elva tolv tretton fjorton femton tjugo trettio fyrtio "
    "femtio hundra one two three four five six seven eight nine ten twelve fifteen twenty thirty".split()
)
_PERCENT_RE = re.compile(r"\d\s*%")
_FOLDED_QUESTION_WORDS = frozenset(fold(w) for w in QUESTION_WORDS)
DURATION = "<tid>"  # the "unit" of "hur lång tid tar det?": any unit of time


@dataclass(frozen=True)
class CountCues:
    """Recognises a question for a number of something ("Hur många timmar tar kursen?").

    The documents give few numbers; an answer that doesn't state the one asked for must not
    be offered as if it did. ``asks`` are folded token phrases ("hur manga", "how many")."""

    asks: tuple[tuple[str, ...], ...] = ()
    durations: tuple[tuple[str, ...], ...] = ()  # "hur lang tid", "how long": the unit is DURATION

    @classmethod
    def from_list(cls, asks: Iterable[str], durations: Iterable[str] = ()) -> CountCues:
        def phrases(items: Iterable[str]) -> tuple[tuple[str, ...], ...]:
            return tuple(p for p in (tuple(tokens(a)) for a in items) if p)

        return cls(phrases(asks), phrases(durations))

    def unit(self, text: str) -> str | None:
        """What the question counts ("timmar"; DURATION for "hur lång tid"), when the count
        is what it asks: no other question word before it ("vem räknar ut hur många dagar …"
        asks who)."""
        words = tokens(text)
        asking = _FOLDED_QUESTION_WORDS
        for i in range(len(words)):
            for phrase in (*self.asks, *self.durations):
                if tuple(words[i : i + len(phrase)]) != phrase:
                    continue
                if any(w in asking for w in words[:i]):
                    return None
                if phrase in self.durations:
                    return DURATION
                rest = [w for w in words[i + len(phrase) :] if w not in STOPWORDS]
                return rest[0] if rest else None
        return None


def states_count(text: str, same_unit: Callable[[str], bool], percent: bool = False) -> bool:
    """Whether ``text`` gives a number of the unit ``same_unit`` recognises: a numeral
    followed, within two words, by that unit ("inom fem arbetsdagar", "två månader")."""
    if percent and _PERCENT_RE.search(text):
        return True
    words = tokens(text)
    for i, word in enumerate(words):
        if word.isdigit() or word in NUMBER_WORDS:
            if any(same_unit(w) for w in words[i + 1 : i + 3]):
                return True
    return False
