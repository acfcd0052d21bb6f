"""The `python -m bot` contract: ask (text and --json), chat, kb check/coverage, flows check."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from bot.cli import run_chat
from bot.clock import FixedClock
from tests.conversation import TODAY, real_assistant

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "BOT_STATE_PATH": "memory", "BOT_ANALYTICS_PATH": "memory", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120
    )


def test_ask_json_one_object_per_question_in_order(tmp_path: Path) -> None:
    questions = tmp_path / "q.txt"
    questions.write_text(
        "När ska löneunderlaget vara inne?\n\nhur mycket OB får jag på natten\nbehorighet heroma ansoka\n",
        encoding="utf-8",
    )
    proc = run("ask", "--json", "--today", "2026-11-23", "--file", str(questions))
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["question"] for r in rows] == [
        "När ska löneunderlaget vara inne?",
        "hur mycket OB får jag på natten",
        "behorighet heroma ansoka",
    ]
    for row in rows:
        assert set(row) >= {"question", "status", "text", "entry", "score", "suggestions"}
        assert row["status"] in ("answer", "clarify", "fallback")
        assert 0.0 <= row["score"] <= 1.0
    first = rows[0]
    assert first["status"] == "answer" and first["entry"] == "loneunderlag-sista-dag"
    assert "8:e" in first["text"] and "tisdag 8 december 2026" in first["text"]
    assert "Källa: Tjänstebeskrivning Löneservice" in first["text"]
    assert rows[1]["status"] == "fallback" and rows[1]["entry"] is None
    assert "VGR Serviceportal" in rows[1]["text"]


def test_ask_today_pins_the_date() -> None:
    proc = run("ask", "--json", "--today", "2026-12-09", "När ska löneunderlaget vara inne?")
    row = json.loads(proc.stdout)
    assert "fredag 8 januari 2027" in row["text"]


def test_ask_questions_are_independent_unless_session(tmp_path: Path) -> None:
    path = tmp_path / "session.txt"
    path.write_text("När ska löneunderlaget vara inne?\noch för löneöversynen?\n", encoding="utf-8")
    fresh = [json.loads(x) for x in run("ask", "--json", "--file", str(path)).stdout.splitlines()]
    chained = [json.loads(x) for x in run("ask", "--json", "--session", "--file", str(path)).stdout.splitlines()]
    assert fresh[0]["entry"] == chained[0]["entry"] == "loneunderlag-sista-dag"
    assert chained[1]["entry"] == "loneoversyn-forhandlingsresultat"
    alone = json.loads(run("ask", "--json", "och för löneöversynen?").stdout)
    assert fresh[1] == alone  # without --session the earlier question leaves no trace


def test_ask_quoted_questions_are_answered_one_by_one_and_bare_words_make_one() -> None:
    rows = [json.loads(x) for x in run("ask", "--json", "hej", "När ska löneunderlaget vara inne?").stdout.splitlines()]
    assert [r["question"] for r in rows] == ["hej", "När ska löneunderlaget vara inne?"]
    assert rows[1]["entry"] == "loneunderlag-sista-dag"
    (row,) = [json.loads(x) for x in run("ask", "--json", "sista", "dag", "löneunderlag").stdout.splitlines()]
    assert row["question"] == "sista dag löneunderlag" and row["entry"] == "loneunderlag-sista-dag"


def test_ask_text_output_reads_like_a_person_would() -> None:
    proc = run("ask", "--today", "2026-11-23", "hur ansöker jag om behörighet i heroma")
    assert proc.returncode == 0
    assert "Källa:" in proc.stdout and "1. " in proc.stdout


def test_ask_without_question_is_a_clear_error() -> None:
    proc = run("ask", "--json", "--file", "/nonexistent/file.txt")
    assert proc.returncode == 2 and "kan inte läsa" in proc.stderr and "Traceback" not in proc.stderr


def test_chat_numbers_buttons_and_a_typed_number_presses_it() -> None:
    out = io.StringIO()
    run_chat(real_assistant(), FixedClock(TODAY), ["1", "quit"], out)
    transcript = out.getvalue()
    assert "1. Sista dag för löneunderlag" in transcript  # welcome topics, numbered
    assert "tisdag 8 december 2026" in transcript  # pressing 1 answered the deadline


def test_chat_quit_inside_a_guide_leaves_the_guide_and_a_second_quit_the_chat() -> None:
    out = io.StringIO()
    run_chat(real_assistant(), FixedClock(TODAY), ["behörighet", "quit", "när ska löneunderlaget vara inne?", "quit", "hej"], out)
    turns = out.getvalue().split("bot> ")
    # banner, welcome, the guide's first step, "quit" → guide cancelled, the answer; "hej" never read
    assert len(turns) == 5
    assert "avbrutit guiden" in turns[3]
    assert "tisdag 8 december 2026" in turns[4]


def test_kb_check_and_flows_check_pass_on_the_real_content() -> None:
    check = run("kb", "check", "--today", "2026-11-23")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "täckning 100.0 %" in check.stdout
    assert "går ut 2026-12-31" in check.stdout  # 38 days ahead: the validity warning
    flows = run("flows", "check")
    assert flows.returncode == 0, flows.stdout + flows.stderr


def test_kb_coverage_reports_full_coverage() -> None:
    proc = run("kb", "coverage")
    assert proc.returncode == 0, proc.stdout
    assert "= 100.0 %" in proc.stdout


def test_invalid_content_refuses_to_start_with_file_line_messages(tmp_path: Path) -> None:
    broken = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", broken)
    (broken / "entries" / "zz-broken.yaml").write_text("entries:\n  - id: Trasig\n", encoding="utf-8")
    for args in (("ask", "hej"), ("serve", "--port", "0"), ("kb", "check")):
        proc = run(*args, env={"BOT_KNOWLEDGE_DIR": str(broken)})
        assert proc.returncode == 2, args
        assert "zz-broken.yaml:2:" in proc.stderr and "Traceback" not in proc.stderr


def test_in_a_session_every_argument_is_a_turn_even_one_word_each() -> None:
    lines = [json.loads(x) for x in run("ask", "--json", "--session", "behörighet", "ja", "ja").stdout.splitlines()]
    assert [r["question"] for r in lines] == ["behörighet", "ja", "ja"]
    # without --session, words without quotes are still one question
    assert len(run("ask", "--json", "hur", "ansöker", "jag").stdout.splitlines()) == 1
