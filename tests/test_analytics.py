"""Analytics: what editors learn from the bot's use, and what it must never keep."""

import sqlite3
from datetime import date

from bot.analytics import MAX_QUESTION_CHARS, Recorder, collect, report

DAY = date(2026, 11, 23)


def dump(path) -> str:
    """Every value in every table, as one string, to search for leaks."""
    db = sqlite3.connect(path)
    try:
        rows = []
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            rows += [repr(r) for r in db.execute(f"SELECT * FROM {table}")]
        return "\n".join(rows)
    finally:
        db.close()


def test_unanswered_questions_are_kept_redacted_and_answered_ones_are_not_kept(tmp_path):
    path = tmp_path / "a.sqlite3"
    rec = Recorder(path)
    rec.record_turn("När ska löneunderlaget vara inne?", "answer", "loneunderlag-sista-dag", DAY)
    rec.record_turn("Varför fick 850312-1234 fel OB? mejla anna.svensson@vgregion.se", "fallback", None, DAY)
    rec.record_turn("semester 19850312-1234", "clarify", None, DAY)
    rec.close()

    stored = dump(path)
    assert "löneunderlaget" not in stored  # answered: only the entry id is kept
    assert "loneunderlag-sista-dag" in stored
    assert "Varför fick [personnummer] fel OB? mejla [e-post]" in stored
    assert "semester [personnummer]" in stored
    for secret in ("850312", "1234", "anna", "vgregion", "@"):
        assert secret not in stored


def test_a_declining_answer_keeps_the_question_for_editors(tmp_path):
    """An entry marked ``declines`` says the documents don't tell: editors should see what was asked."""
    path = tmp_path / "a.sqlite3"
    rec = Recorder(path)
    rec.record_turn("Vilken dag kommer lönen i december?", "answer", "lonedag", DAY, declined=True)
    rec.close()
    assert "Vilken dag kommer lönen i december?" in dump(path)
    assert "1 × Vilken dag kommer lönen i december?" in report(path)


def test_the_file_holds_no_raw_identifiers_even_in_sqlite_pages(tmp_path):
    """The WAL and freed pages could keep text the tables no longer show: look at the bytes."""
    path = tmp_path / "a.sqlite3"
    rec = Recorder(path)
    for _ in range(20):
        rec.record_turn("lön för 198503121234 till per.persson@vgregion.se?", "fallback", None, DAY)
    rec.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert b"198503121234" not in raw and b"per.persson" not in raw
    assert "lön för [personnummer] till [e-post]?".encode() in raw


def test_the_schema_has_no_place_for_who_asked(tmp_path):
    path = tmp_path / "a.sqlite3"
    Recorder(path).close()
    db = sqlite3.connect(path)
    columns = {
        (table, col[1])
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        for col in db.execute(f"PRAGMA table_info({table})")
    }
    db.close()
    assert columns == {
        ("turns", "id"),
        ("turns", "day"),
        ("turns", "status"),
        ("turns", "entry"),
        ("turns", "question"),
        ("feedback", "id"),
        ("feedback", "day"),
        ("feedback", "entry"),
        ("feedback", "vote"),
    }


def test_the_file_uses_wal_so_the_report_can_read_while_the_bot_writes(tmp_path):
    path = tmp_path / "a.sqlite3"
    rec = Recorder(path)
    rec.record_turn("hej", "fallback", None, DAY)
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert collect(path).status_counts == {"fallback": 1}  # read while the writer is open
    rec.close()


def test_long_questions_are_cut_and_whitespace_collapsed(tmp_path):
    path = tmp_path / "a.sqlite3"
    rec = Recorder(path)
    rec.record_turn("  varför \n\n  " + "x" * 2000, "fallback", None, DAY)
    rec.close()
    (question,) = sqlite3.connect(path).execute("SELECT question FROM turns").fetchone()
    assert question.startswith("varför xxx") and len(question) == MAX_QUESTION_CHARS


def test_forged_feedback_payloads_are_refused(tmp_path):
    path = tmp_path / "a.sqlite3"
    rec = Recorder(path)
    assert rec.record_feedback("loneunderlag-sista-dag", "down", DAY) is True
    assert rec.record_feedback("loneunderlag-sista-dag", "meh", DAY) is False
    assert rec.record_feedback("850312-1234 anna@vgr.se", "down", DAY) is False
    assert rec.record_feedback({"x": 1}, "up", DAY) is False  # type: ignore[arg-type]
    rec.record_turn("x", "answer", "Robert'); DROP TABLE turns;--", DAY)  # entry not an id: dropped
    rec.close()
    assert "anna" not in dump(path) and "DROP" not in dump(path)
    assert collect(path).negative_entries == [("loneunderlag-sista-dag", 1, 0)]


def test_a_recorder_without_a_path_does_nothing(tmp_path):
    rec = Recorder(None)
    assert not rec.enabled
    rec.record_turn("850312-1234", "fallback", None, DAY)
    assert rec.record_feedback("loneunderlag-sista-dag", "up", DAY) is True
    assert rec.record_feedback("x", "sideways", DAY) is False
    rec.close()
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_path_disables_recording_without_breaking_the_turn(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    rec = Recorder(blocker / "a.sqlite3")
    assert not rec.enabled
    rec.record_turn("hej", "fallback", None, DAY)  # no exception
    rec.close()


def test_report_for_editors(tmp_path):
    path = tmp_path / "a.sqlite3"
    rec = Recorder(path)
    for _ in range(6):
        rec.record_turn("När ska löneunderlaget vara inne?", "answer", "loneunderlag-sista-dag", DAY)
    for text in ("Vad är OB-ersättningen?", "vad är ob-ersättningen", "Vad är OB-ersättningen?"):
        rec.record_turn(text, "fallback", None, DAY)
    rec.record_turn("behörighet ändra 850312-1234", "clarify", None, date(2026, 11, 24))
    rec.record_turn("hjälp", "command", None, DAY)
    rec.record_feedback("loneunderlag-sista-dag", "up", DAY)
    rec.record_feedback("utanordningslista", "down", DAY)
    rec.record_feedback("utanordningslista", "down", DAY)
    rec.record_feedback("utanordningslista", "up", DAY)
    rec.record_feedback("behorighet-ny", "down", DAY)
    rec.close()

    text = report(path)
    assert "Period: 2026-11-23 – 2026-11-24" in text
    assert "Svarsfrekvens: 60% (6 av 10 frågor besvarades direkt; 1 fick förslag, 3 fick inget svar)" in text
    assert "Övriga vändor: command 1" in text
    unanswered = text.split("Vanligaste obesvarade frågor")[1].split("Svar med")[0]
    assert unanswered.splitlines()[1:3] == [
        "     3 × Vad är OB-ersättningen?",
        "     1 × behörighet ändra [personnummer]",
    ]
    negative = text.split("Svar med 👎")[1].splitlines()[1:]
    assert negative == ["  utanordningslista: 2 ner, 1 upp", "  behorighet-ny: 1 ner, 0 upp"]
    assert "loneunderlag-sista-dag" not in text  # only 👍: nothing to fix


def test_report_on_an_empty_or_missing_file(tmp_path):
    assert "Ingen statistik ännu" in report(tmp_path / "missing.sqlite3")
    path = tmp_path / "a.sqlite3"
    Recorder(path).close()
    text = report(path)
    assert "Svarsfrekvens: inga frågor registrerade ännu." in text
    assert text.count("(inga)") == 2
