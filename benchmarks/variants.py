"""Cross-validation on the knowledge base's own question variants: no dev-set question involved.

Each entry's variants are dealt into K folds; for each fold the matcher is built without
that fold's variants and asked them. A variant whose entry is not ranked first shows where
two entries are worded alike (sharpen them) or where an entry has too few phrasings.

    .venv/bin/python benchmarks/variants.py                       # summary + confusable pairs
    .venv/bin/python benchmarks/variants.py --file behorighet.yaml  # misses for one file's entries
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.kb import KnowledgeBase, load_knowledge  # noqa: E402
from bot.matcher import Matcher  # noqa: E402
from bot.settings import Settings  # noqa: E402


def folds(kb: KnowledgeBase, k: int) -> list[tuple[KnowledgeBase, list[tuple[str, str]]]]:
    """K copies of the base, each without one fold of every entry's variants."""
    out = []
    for fold in range(k):
        entries, asked = {}, []
        for entry in kb.entries.values():
            keep = [q for i, q in enumerate(entry.questions) if i % k != fold]
            asked += [(entry.id, q) for i, q in enumerate(entry.questions) if i % k == fold]
            entries[entry.id] = replace(entry, questions=keep or entry.questions[:1])
        out.append((replace(kb, entries=entries), asked))
    return out


def run(k: int = 4) -> list[tuple[str, str, str, float, float]]:
    """(expected id, variant, top id, top score, runner-up score) for every variant."""
    settings = Settings()
    kb = load_knowledge(settings.knowledge_dir)
    rows = []
    for part, asked in folds(kb, k):
        matcher = Matcher(part, settings.match)
        for expect, text in asked:
            ranked = matcher.rank(text, limit=2)
            top = ranked[0].entry.id if ranked else "-"
            rows.append((expect, text, top, ranked[0].score if ranked else 0.0, ranked[1].score if len(ranked) > 1 else 0.0))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--file", help="show every miss for entries in this knowledge/entries file")
    parser.add_argument("-k", type=int, default=4)
    args = parser.parse_args()
    kb = load_knowledge(Settings().knowledge_dir)
    rows = run(args.k)
    hits = sum(1 for e, _, t, _, _ in rows if e == t)
    print(f"variant cross-validation ({args.k} folds): {hits}/{len(rows)} = {100 * hits / len(rows):.1f}% top-1")
    pairs = Counter(tuple(sorted((e, t))) for e, _, t, _, _ in rows if e != t)
    print("\nmost confused entry pairs:")
    for (a, b), n in pairs.most_common(15):
        print(f"  {n:2d}  {a} <-> {b}")
    if args.file:
        mine = {e.id for e in kb.entries.values() if Path(e.file).name == args.file}
        print(f"\nmisses in {args.file}:")
        for expect, text, top, s1, s2 in rows:
            if expect in mine and expect != top:
                print(f"  {expect}: {text!r} -> {top} ({s1:.2f} vs {s2:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
