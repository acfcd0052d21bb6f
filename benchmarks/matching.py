"""Matching benchmark: accuracy on the dev set against two baselines, latency, load time.

    .venv/bin/python benchmarks/matching.py            # all figures
    .venv/bin/python benchmarks/matching.py --tune     # also grid-search thresholds on the tuning part

Accuracy goes through the real turn logic (``Assistant.handle``, a fresh conversation per
question, exactly like ``python -m bot ask``). For in-scope questions we report top-1
(the best-ranked entry is an expected one) and answered (the bot answered directly, with an
expected entry); for out-of-scope questions the share rejected (clarify or fallback).

Baselines, on the same questions and knowledge base:
- BM25: bm25s with the Snowball Swedish stemmer over each entry's variants, title and answer;
- fuzzy: rapidfuzz WRatio against every question variant.
Neither has a notion of "I don't know", so each gets the score threshold that is best on
the tuning part (the fairest reading of "rejected" for them).
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from variants import folds  # noqa: E402  (benchmarks/variants.py)

from bot.clock import STOCKHOLM  # noqa: E402
from bot.kb import Entry, KnowledgeBase  # noqa: E402
from bot.matcher import Matcher, calibrate  # noqa: E402
from bot.settings import MatchSettings, Settings  # noqa: E402
from bot.turn import Decision, TurnInput, build_assistant, decide  # noqa: E402

TODAY = date(2026, 11, 23)
DEVSET = ROOT / "tests" / "devset"
ORIGIN_RE = re.compile(r"#\s*---\s*(Session \d+ extension)")  # the comment that opens each later batch


@dataclass
class Question:
    text: str
    expect: set[str]  # empty: out of scope
    category: str
    ranked: str = ""  # what the bot ranks: the text without its date expression (Assistant.matching_text)


def load_part(name: str) -> list[Question]:
    data = yaml.safe_load((DEVSET / f"{name}.yaml").read_text(encoding="utf-8"))
    out = []
    for item in data["questions"]:
        expect = item["expect"]
        ids = set() if expect in (None, "none") else ({expect} if isinstance(expect, str) else set(expect))
        out.append(Question(str(item["q"]), ids, item.get("category", "plain")))
    return out


def origins(part: str) -> list[str]:
    """Which batch each question of a part came from: "original" until the first
    "# --- Session N extension" comment, then that session's label."""
    label, out = "original", []
    for line in (DEVSET / f"{part}.yaml").read_text(encoding="utf-8").splitlines():
        found = ORIGIN_RE.search(line)
        if found:
            label = found.group(1)
        elif line.lstrip().startswith("- q:"):
            out.append(label)
    return out


# --------------------------------------------------------------------------- our bot


def run_bot(assistant, questions: list[Question]) -> list[tuple[str | None, str, str | None]]:
    """(top-ranked entry, status, answered entry) per question, via the real turn logic.

    An answer from an entry marked ``declines`` (it says the documents don't tell, e.g.
    the pay date) gets status "declined": for an out-of-scope question it is as honest
    as the fallback, as the dev set's README decided before any result was seen."""
    now = datetime.combine(TODAY, dtime(12), STOCKHOLM)
    results = []
    for q in questions:
        reply = assistant.handle(TurnInput(q.text, None, TODAY, now), {}).reply
        decision = assistant.match_question(q.text, TODAY)
        top = decision.top.entry.id if decision.top else None
        status = reply.status
        if status == "answer" and reply.entry in assistant.kb.entries and assistant.kb.entries[reply.entry].declines:
            status = "declined"
        results.append((top, status, reply.entry if reply.status == "answer" else None))
    return results


def score_bot(questions, results) -> dict[str, dict[str, float]]:
    table: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0, 0])  # top1, answered, rejected, n
    for q, (top, status, answered) in zip(questions, results, strict=True):
        for cat in ("all", q.category):
            row = table[cat]
            row[3] += 1
            if q.expect:
                row[0] += top in q.expect
                row[1] += answered in q.expect
            else:
                row[2] += status != "answer"
    return _percent(table, questions)


def _percent(table, questions) -> dict[str, dict[str, float]]:
    out = {}
    counts = defaultdict(lambda: [0, 0])  # in-scope, out-of-scope
    for q in questions:
        for cat in ("all", q.category):
            counts[cat][0 if q.expect else 1] += 1
    for cat, (top1, answered, rejected, _n) in table.items():
        ins, oos = counts[cat]
        out[cat] = {
            "in": ins,
            "oos": oos,
            "top1": 100 * top1 / ins if ins else float("nan"),
            "answered": 100 * answered / ins if ins else float("nan"),
            "rejected": 100 * rejected / oos if oos else float("nan"),
        }
    return out


# --------------------------------------------------------------------------- baselines


class Bm25Baseline:
    """bm25s + Snowball Swedish over each entry's variants, title and answer."""

    def __init__(self, entries: list[Entry]):
        import bm25s
        import Stemmer

        self.stemmer = Stemmer.Stemmer("swedish")
        self.entries = entries
        corpus = [" ".join([*e.questions, e.title, e.answer]) for e in entries]
        self.retriever = bm25s.BM25()
        self.retriever.index(bm25s.tokenize(corpus, stemmer=self.stemmer, show_progress=False), show_progress=False)
        self._bm25s = bm25s

    def top(self, text: str) -> tuple[str | None, float]:
        tokens = self._bm25s.tokenize([text], stemmer=self.stemmer, show_progress=False)
        if not tokens.vocab:
            return None, 0.0
        docs, scores = self.retriever.retrieve(tokens, k=1, show_progress=False)
        return self.entries[int(docs[0][0])].id, float(scores[0][0])


class FuzzyBaseline:
    """rapidfuzz WRatio against every question variant (default_process: lowercase, strip)."""

    def __init__(self, entries: list[Entry]):
        from rapidfuzz import fuzz, process, utils

        self.process, self.scorer, self.processor = process, fuzz.WRatio, utils.default_process
        self.variants = [(q, e.id) for e in entries for q in e.questions]
        self.texts = [v[0] for v in self.variants]

    def top(self, text: str) -> tuple[str | None, float]:
        found = self.process.extractOne(text, self.texts, scorer=self.scorer, processor=self.processor)
        return (self.variants[found[2]][1], found[1] / 100) if found else (None, 0.0)


def best_threshold(scored: list[tuple[Question, str | None, float]]) -> float:
    """The rejection threshold that maximises correct answers + correct rejections."""
    candidates = sorted({s for _, _, s in scored}) + [float("inf")]
    best, best_t = -1, 0.0
    for t in candidates:
        good = sum((q.expect and top in q.expect and s >= t) or (not q.expect and s < t) for q, top, s in scored)
        if good > best:
            best, best_t = good, t
    return best_t


def score_baseline(questions, tops, threshold) -> dict[str, dict[str, float]]:
    table: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0, 0])
    for q, (top, s) in zip(questions, tops, strict=True):
        for cat in ("all", q.category):
            row = table[cat]
            if q.expect:
                row[0] += top in q.expect
                row[1] += top in q.expect and s >= threshold
            else:
                row[2] += s < threshold
    return _percent(table, questions)


# --------------------------------------------------------------------------- latency


def latency(fn, texts: list[str], rounds: int = 3) -> tuple[float, float]:
    samples = []
    gc.collect()
    for _ in range(rounds):
        for t in texts:
            start = time.perf_counter()
            fn(t)
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.99 * (len(samples) - 1))]


def synthetic_kb(kb: KnowledgeBase, size: int, seed: int = 7) -> KnowledgeBase:
    """A knowledge base of ``size`` entries made from the real one's words, for scaling."""
    rng = random.Random(seed)
    words = sorted({w for e in kb.entries.values() for q in e.questions for w in q.split() if len(w) > 2})
    real = list(kb.entries.values())
    entries = {}
    for i in range(size):
        base = real[i % len(real)]
        questions = [" ".join(rng.sample(words, rng.randint(4, 9))) for _ in range(6)]
        answer = " ".join(rng.sample(words, 40))
        entries[f"syn-{i}"] = replace(base, id=f"syn-{i}", title=" ".join(rng.sample(words, 4)), questions=questions, answer=answer, related=[])
    return replace(kb, entries=entries)


# --------------------------------------------------------------------------- tuning


def _objective(questions: list[Question], ranked, ms: MatchSettings, unknown_amount: list[bool] | None = None) -> float:
    """Correct answers and honest fallbacks count 1, a clarification offering the right
    entry 0.3, a clarification of an out-of-scope question 0.5 (its suggestions are
    noise), and a wrong direct answer -3: the bot says "I don't know" rather than guess.
    A right top-ranked entry adds 0.5 whatever the decision: it leads the "Menade du"
    list, and top-1 is what the issue's target measures. ``unknown_amount`` marks the
    questions the turn refuses as sums the documents don't state, whatever the scores."""
    value = 0.0
    refused = unknown_amount or [False] * len(questions)
    for q, cands, amount in zip(questions, ranked, refused, strict=True):
        d = decide(cands, ms)
        if amount:
            d = Decision("fallback", d.candidates)
        if q.expect and cands and cands[0].entry.id in q.expect:
            value += 0.5
        if q.expect:
            if d.status == "answer":
                value += 1 if d.top.entry.id in q.expect else -3
            elif d.status == "clarify" and any(c.entry.id in q.expect for c in d.candidates):
                value += 0.3
        elif d.status == "answer" and d.top.entry.declines:
            value += 1.0  # says the documents don't tell, like the fallback
        else:
            value += {"fallback": 1.0, "clarify": 0.5}.get(d.status, -3.0)
    return value


def fit_platt(combined: list[float], correct: list[bool]) -> tuple[float, float]:
    """Slope and intercept of P(correct) = sigmoid(slope * combined + intercept), by Newton's
    method on the log-loss (a whisker of L2 keeps it finite when the data separate)."""
    x, y = np.array(combined), np.array(correct, dtype=float)
    w = np.zeros(2)
    X = np.stack([x, np.ones_like(x)], axis=1)
    for _ in range(50):
        p = 1 / (1 + np.exp(-(X @ w)))
        grad = X.T @ (p - y) + 1e-3 * w
        hess = (X.T * (p * (1 - p))) @ X + 1e-3 * np.eye(2)
        w -= np.linalg.solve(hess, grad)
    return float(w[0]), float(w[1])


def _calibrated(ranked: list[list], ms: MatchSettings) -> list[list]:
    """Copies of ranked candidates with scores from ``ms``'s calibration (no re-ranking)."""
    return [[replace(c, score=calibrate(c.combined, ms)) for c in cands] for cands in ranked]


def top_correct(questions: list[Question], ranked: list[list]) -> tuple[list[float], list[bool]]:
    """(top candidate's combined signal, is it right) per question; out of scope is never right."""
    xs, ys = [], []
    for q, cands in zip(questions, ranked, strict=True):
        if cands:
            xs.append(cands[0].combined)
            ys.append(cands[0].entry.id in q.expect)
    return xs, ys


def ranking_quality(matcher: Matcher, questions: list[Question], cv: list[tuple[Matcher, list[tuple[str, str]]]]) -> tuple[float, float]:
    """Top-1 on the tuning part's in-scope questions, and on the variant cross-validation."""
    inscope = [q for q in questions if q.expect]
    dev = sum(1 for q in inscope if (r := matcher.rank(q.ranked or q.text, limit=1)) and r[0].entry.id in q.expect)
    hits = total = 0
    for fold_matcher, asked in cv:
        fold_matcher.match = matcher.match
        for expect, text in asked:
            r = fold_matcher.rank(text, limit=1)
            hits += bool(r) and r[0].entry.id == expect
            total += 1
    return dev / len(inscope), hits / total


def tune(assistant, questions: list[Question]) -> MatchSettings:
    """Weights, then calibration, then thresholds.

    The weights only order the candidates, so they are chosen on ranking quality: the
    mean of top-1 on the tuning part and top-1 on the cross-validation over the
    entries' own variants (benchmarks/variants.py). 256 tuning questions alone let the
    weights chase a handful of questions at the cost of dozens of variants. The
    calibration is then fitted, and the thresholds grid-searched, on the tuning part
    only, with the decision-aware objective."""
    base = assistant.settings.match
    cv = [(Matcher(part, base), asked) for part, asked in folds(assistant.kb, 4)]
    weights = [
        (wv, wb, wc, wm, round(1 - wv - wb - wc - wm, 2))
        for wv in (0.35, 0.45, 0.55)
        for wb in (0.0, 0.1, 0.2)
        for wc in (0.1, 0.2)
        for wm in (0.0, 0.1, 0.2)
        if 1 - wv - wb - wc - wm >= 0.05
    ]
    best_quality, ms_w = None, base
    for wv, wb, wc, wm, wf in weights:
        assistant.matcher.match = replace(base, w_variant=wv, w_bag=wb, w_coverage=wc, w_bm25=wm, w_fuzzy=wf)
        dev, var = ranking_quality(assistant.matcher, questions, cv)
        print(
            f"  weights variant={wv} bag={wb} coverage={wc} bm25={wm} fuzzy={wf}: "
            f"tuning top-1 {dev:.3f}, variants top-1 {var:.3f}"
        )
        if best_quality is None or (dev + var) / 2 > best_quality:
            best_quality, ms_w = (dev + var) / 2, assistant.matcher.match
    assistant.matcher.match = ms_w
    raw = [assistant.matcher.rank(q.ranked or q.text, limit=5) for q in questions]
    slope, intercept = fit_platt(*top_correct(questions, raw))
    ms_w = replace(ms_w, calibration_slope=round(slope, 3), calibration_intercept=round(intercept, 3))
    ranked = _calibrated(raw, ms_w)
    amounts = [
        assistant.matcher.unknown_amount(q.ranked or q.text, c[0] if c else None)
        for q, c in zip(questions, raw, strict=True)
    ]
    best, best_settings = None, ms_w
    for answer_t in [x / 100 for x in range(30, 96, 3)]:
        for margin in [x / 100 for x in range(2, 31, 2)]:  # never answer a near tie
            for clarify_t in [x / 100 for x in range(3, 61, 3)]:
                if clarify_t > answer_t:
                    continue
                ms = replace(ms_w, answer_threshold=answer_t, answer_margin=margin, clarify_threshold=clarify_t)
                value = _objective(questions, ranked, ms, amounts)
                if best is None or value > best:
                    best, best_settings = value, ms
    assistant.matcher.match = best_settings
    return best_settings


def reliability(questions: list[Question], matcher: Matcher) -> str:
    """How well the top score predicts being right: per score band, the mean score and the
    share actually right (out-of-scope questions count as wrong), and the expected
    calibration error (ECE)."""
    rows: dict[int, list[tuple[float, bool]]] = defaultdict(list)
    for q in questions:
        cands = matcher.rank(q.ranked or q.text, limit=1)
        if cands:
            rows[min(int(cands[0].score * 5), 4)].append((cands[0].score, cands[0].entry.id in q.expect))
    n = sum(len(r) for r in rows.values())
    lines = ["| top score | questions | mean score | share right |", "|---|---|---|---|"]
    ece = 0.0
    for band in range(5):
        r = rows.get(band, [])
        if not r:
            continue
        mean = statistics.mean(s for s, _ in r)
        right = sum(ok for _, ok in r) / len(r)
        ece += len(r) / n * abs(mean - right)
        lines.append(f"| {band / 5:.1f}–{(band + 1) / 5:.1f} | {len(r)} | {mean:.2f} | {right:.2f} |")
    lines.append(f"\nexpected calibration error: {ece:.3f}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def fmt(row: dict[str, float], key: str) -> str:
    v = row.get(key, float("nan"))
    return "   –  " if v != v else f"{v:5.1f}%"


def print_table(title: str, systems: dict[str, dict[str, dict[str, float]]]) -> None:
    print(f"\n## {title}\n")
    cats = sorted({c for s in systems.values() for c in s} - {"all"})
    print("| category | n in/oos | " + " | ".join(f"{name} top-1 | {name} answered | {name} rejected" for name in systems) + " |")
    print("|---|---|" + "---|---|---|" * len(systems))
    for cat in ["all", *cats]:
        first = next(iter(systems.values())).get(cat, {})
        cells = []
        for table in systems.values():
            row = table.get(cat, {})
            cells += [fmt(row, "top1"), fmt(row, "answered"), fmt(row, "rejected")]
        print(f"| {cat} | {first.get('in', 0)}/{first.get('oos', 0)} | " + " | ".join(cells) + " |")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tune", action="store_true", help="grid-search thresholds on the tuning part")
    parser.add_argument("--synthetic", type=int, default=10_000, help="entries in the synthetic knowledge base")
    args = parser.parse_args()

    settings = replace(Settings.from_env(), analytics_path=None, state_path=None)
    start = time.perf_counter()
    assistant = build_assistant(settings, TODAY)
    load_ms = (time.perf_counter() - start) * 1000
    tuning, heldout = (
        [replace(q, ranked=assistant.matching_text(q.text, TODAY)) for q in load_part(part)]
        for part in ("tuning", "heldout")
    )

    if args.tune:
        ms = tune(assistant, tuning)
        print(
            f"best on tuning part: answer_threshold={ms.answer_threshold} answer_margin={ms.answer_margin} "
            f"clarify_threshold={ms.clarify_threshold} w_variant={ms.w_variant} w_bag={ms.w_bag} "
            f"w_coverage={ms.w_coverage} w_bm25={ms.w_bm25} w_fuzzy={ms.w_fuzzy} calibration_slope={ms.calibration_slope} "
            f"calibration_intercept={ms.calibration_intercept}"
        )
        assistant.settings = replace(settings, match=ms)

    entries = list(assistant.kb.entries.values())
    bm25, fuzzy = Bm25Baseline(entries), FuzzyBaseline(entries)
    thresholds = {}
    for name, base in (("BM25", bm25), ("fuzzy", fuzzy)):
        scored = [(q, *base.top(q.text)) for q in tuning]
        thresholds[name] = best_threshold(scored)

    m = assistant.settings.match
    print(f"# Matching benchmark ({len(entries)} entries; thresholds answer={m.answer_threshold} margin={m.answer_margin} clarify={m.clarify_threshold})")
    for part_name, part in (("tuning part", tuning), ("held-back part", heldout)):
        results = run_bot(assistant, part)
        if part is tuning:
            tuning_results = results
        systems = {"bot": score_bot(part, results)}
        for name, base in (("BM25", bm25), ("fuzzy", fuzzy)):
            systems[name] = score_baseline(part, [base.top(q.text) for q in part], thresholds[name])
        print_table(f"{part_name} ({len(part)} questions)", systems)
        print(f"\nCalibration on the {part_name}:\n")
        print(reliability(part, assistant.matcher))

    # Each part by origin (tests/devset/README.md, steps 6-7): the original questions, written
    # before the knowledge base existed, and each later batch, which may be easier or harder.
    for part_name, part, res in (("tuning part", tuning, tuning_results), ("held-back part", heldout, results)):
        print(f"\n## {part_name} by origin\n")
        print("| questions | n in/oos | bot top-1 | bot answered | bot rejected | BM25 top-1 |")
        print("|---|---|---|---|---|---|")
        labels = origins("tuning" if part is tuning else "heldout")
        for label in dict.fromkeys(labels):
            qs = [q for q, o in zip(part, labels, strict=True) if o == label]
            rs = [r for r, o in zip(res, labels, strict=True) if o == label]
            bot, base = score_bot(qs, rs)["all"], score_baseline(qs, [bm25.top(q.text) for q in qs], thresholds["BM25"])["all"]
            n_in = sum(1 for q in qs if q.expect)
            print(
                f"| {label} | {n_in}/{len(qs) - n_in} | {fmt(bot, 'top1')} | {fmt(bot, 'answered')} "
                f"| {fmt(bot, 'rejected')} | {fmt(base, 'top1')} |"
            )

    texts = [q.text for q in tuning + heldout]
    now = datetime.combine(TODAY, dtime(12), STOCKHOLM)
    p50, p99 = latency(lambda t: assistant.handle(TurnInput(t, None, TODAY, now), {}), texts)
    mp50, mp99 = latency(lambda t: assistant.matcher.rank(t), texts)
    print("\n## Latency and load time\n")
    print(f"- knowledge base + flows load (build_assistant): {load_ms:.0f} ms")
    print(f"- full turn on the real knowledge base ({len(entries)} entries): p50 {p50:.2f} ms, p99 {p99:.2f} ms")
    print(f"- matching only, real knowledge base: p50 {mp50:.2f} ms, p99 {mp99:.2f} ms")
    synth = synthetic_kb(assistant.kb, args.synthetic)
    start = time.perf_counter()
    big = Matcher(synth, m)
    build_ms = (time.perf_counter() - start) * 1000
    sp50, sp99 = latency(lambda t: decide(big.rank(t), m), texts, rounds=1)
    print(f"- matching + decision, synthetic knowledge base ({args.synthetic} entries): p50 {sp50:.2f} ms, p99 {sp99:.2f} ms (index built in {build_ms:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
