"""What maintainers need to improve the knowledge base, and nothing about who asked.

Per turn we keep the outcome (status, entry id, day) and, only for questions the bot could
not answer (clarify/fallback), the question text after redaction. Per 👍/👎 we keep the
entry id, the vote and the day. No user names, user ids, conversation ids, tenant ids or
times of day are ever passed in, so none can leak out of this file.

Analytics must never break a turn: storage errors are logged and swallowed.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.privacy import redact
from bot.reply import STATUS_ANSWER, STATUS_CLARIFY, STATUS_FALLBACK

log = logging.getLogger(__name__)

UNANSWERED = (STATUS_CLARIFY, STATUS_FALLBACK)
# Statuses that count towards the answer rate: the user asked a knowledge question.
QUESTION_STATUSES = (STATUS_ANSWER, *UNANSWERED)
VOTES = ("up", "down")
MAX_QUESTION_CHARS = 500
# Entry ids are written by editors (a–z, 0–9, hyphen); anything else came from a forged
# card payload and is not stored.
_ENTRY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
_STATUS = re.compile(r"^[a-z][a-z.-]{0,30}$")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS turns (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    status TEXT NOT NULL,
    entry TEXT,
    question TEXT
);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    entry TEXT NOT NULL,
    vote TEXT NOT NULL CHECK (vote IN ('up', 'down'))
);
CREATE INDEX IF NOT EXISTS turns_status ON turns (status);
CREATE INDEX IF NOT EXISTS feedback_entry ON feedback (entry);
"""


def clean_question(text: str) -> str:
    """Redacted, whitespace-normalised and length-limited question text."""
    return " ".join(redact(text).split())[:MAX_QUESTION_CHARS]


class Recorder:
    """Appends turn outcomes and votes to a SQLite file; with ``path=None`` it does nothing."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = _connect(path)
        except (OSError, sqlite3.Error) as exc:
            log.warning("analytics disabled: cannot open %s: %s", path, exc)
            self._db = None

    @property
    def enabled(self) -> bool:
        return self._db is not None

    def record_turn(self, question: str | None, status: str, entry: str | None, day: date, *, declined: bool = False) -> None:
        """One turn's outcome; the question text is kept only when the bot could not answer
        (``declined``: answered by an entry that says the documents don't tell)."""
        if self._db is None or not _STATUS.match(status or ""):
            return
        kept = clean_question(question) if question and (status in UNANSWERED or declined) else None
        entry = entry if entry and _ENTRY_ID.match(entry) else None
        self._write(
            "INSERT INTO turns (day, status, entry, question) VALUES (?, ?, ?, ?)",
            (day.isoformat(), status, entry, kept or None),
        )

    def record_feedback(self, entry: str, vote: str, day: date) -> bool:
        """A 👍/👎 on an entry's answer; False (nothing stored) for a malformed payload."""
        if vote not in VOTES or not isinstance(entry, str) or not _ENTRY_ID.match(entry):
            return False
        if self._db is None:
            return True
        return self._write(
            "INSERT INTO feedback (day, entry, vote) VALUES (?, ?, ?)", (day.isoformat(), entry, vote)
        )

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _write(self, sql: str, params: tuple[object, ...]) -> bool:
        assert self._db is not None
        try:
            with self._db:
                self._db.execute(sql, params)
            return True
        except sqlite3.Error as exc:
            log.warning("analytics write failed (%s): %s", self.path, exc)
            return False


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    # WAL + NORMAL survives a crashed process; analytics can afford losing the last row on power loss.
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA busy_timeout=2000")
    db.executescript(_SCHEMA)
    return db


@dataclass
class Report:
    """The numbers behind ``python -m bot kb report``."""

    first_day: str | None
    last_day: str | None
    status_counts: dict[str, int]
    top_unanswered: list[tuple[str, int]]  # (question, times asked)
    negative_entries: list[tuple[str, int, int]]  # (entry, 👎, 👍)

    @property
    def questions(self) -> int:
        return sum(self.status_counts.get(s, 0) for s in QUESTION_STATUSES)

    @property
    def answer_rate(self) -> float | None:
        return self.status_counts.get(STATUS_ANSWER, 0) / self.questions if self.questions else None


def collect(path: Path, top: int = 15) -> Report:
    """Read the analytics file; questions differing only in case or end punctuation group."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        first, last = db.execute("SELECT min(day), max(day) FROM turns").fetchone()
        counts = dict(db.execute("SELECT status, count(*) FROM turns GROUP BY status").fetchall())
        groups: dict[str, tuple[str, int]] = {}
        for question, n in db.execute(
            "SELECT question, count(*) FROM turns WHERE question IS NOT NULL GROUP BY question"
        ):
            key = question.casefold().rstrip("?!. ")
            shown, seen = groups.get(key, (question, 0))
            groups[key] = (shown, seen + n)
        unanswered = sorted(groups.values(), key=lambda qn: (-qn[1], qn[0]))[:top]
        negative = db.execute(
            "SELECT entry, sum(vote = 'down') AS down, sum(vote = 'up') AS up FROM feedback "
            "GROUP BY entry HAVING down > 0 ORDER BY down DESC, up ASC, entry LIMIT ?",
            (top,),
        ).fetchall()
    finally:
        db.close()
    return Report(first, last, counts, unanswered, [(e, int(d), int(u)) for e, d, u in negative])


def report(path: Path, top: int = 15) -> str:
    """Plain-text report for editors: what people ask that the bot can't answer, and which
    answers get 👎. Swedish, because the editors are."""
    if not Path(path).is_file():
        return f"Ingen statistik ännu: {path} finns inte (BOT_ANALYTICS_PATH).\n"
    r = collect(Path(path), top)
    lines = [f"Statistik från {path}"]
    if r.first_day:
        lines.append(f"Period: {r.first_day} – {r.last_day}")
    lines.append("")
    if r.answer_rate is None:
        lines.append("Svarsfrekvens: inga frågor registrerade ännu.")
    else:
        answered = r.status_counts.get(STATUS_ANSWER, 0)
        lines.append(
            f"Svarsfrekvens: {r.answer_rate:.0%} ({answered} av {r.questions} frågor besvarades direkt; "
            f"{r.status_counts.get(STATUS_CLARIFY, 0)} fick förslag, "
            f"{r.status_counts.get(STATUS_FALLBACK, 0)} fick inget svar)"
        )
    others = {s: n for s, n in sorted(r.status_counts.items()) if s not in QUESTION_STATUSES}
    if others:
        lines.append("Övriga vändor: " + ", ".join(f"{s} {n}" for s, n in others.items()))
    lines += ["", "Vanligaste obesvarade frågor (förslag, inget svar eller \"det står inte i dokumenten\"):"]
    if r.top_unanswered:
        lines += [f"  {n:>4} × {q}" for q, n in r.top_unanswered]
    else:
        lines.append("  (inga)")
    lines += ["", "Svar med 👎 (tumme ner / tumme upp):"]
    if r.negative_entries:
        lines += [f"  {entry}: {down} ner, {up} upp" for entry, down, up in r.negative_entries]
    else:
        lines.append("  (inga)")
    return "\n".join(lines) + "\n"
