"""``python -m bot …``: serve, ask, chat, kb, flows, package.

``ask`` is a contract that tests, benchmarks and knowledge-base maintainers rely on: it
runs the same turn logic as Teams (``Assistant.handle``), one fresh conversation per
question unless ``--session`` chains them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TextIO

from bot.clock import STOCKHOLM, Clock, clock_for
from bot.settings import Settings
from bot.yamlsrc import ContentInvalid


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Löneservice-assistenten")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="start the bot's HTTP server (/api/messages)")
    serve.add_argument("--host", help="interface (env HOST, default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (env PORT, default 3978)")

    ask = sub.add_parser("ask", help="answer questions through the real turn logic")
    ask.add_argument("--json", action="store_true", help="one JSON object per question and line")
    ask.add_argument("--today", type=_iso_date, help="pin 'today' (YYYY-MM-DD)")
    ask.add_argument("--session", action="store_true", help="chain the questions as one conversation")
    group = ask.add_mutually_exclusive_group(required=True)
    group.add_argument("--file", type=Path, help="one question per line, UTF-8")
    group.add_argument(
        "question", nargs="*", default=[], help="the question: its words, or several quoted questions"
    )

    chat = sub.add_parser("chat", help="console chat with the whole bot, guided flows included")
    chat.add_argument("--today", type=_iso_date, help="pin 'today' (YYYY-MM-DD)")

    kb = sub.add_parser("kb", help="knowledge-base tools")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True)
    check = kb_sub.add_parser("check", help="validate knowledge/ and dialogs/ (non-zero exit on error)")
    check.add_argument("--today", type=_iso_date, help="date for validity warnings")
    kb_sub.add_parser("coverage", help="source passages no entry answers, and the coverage %")
    kb_sub.add_parser("report", help="unanswered questions, negative feedback, answer rate")

    flows = sub.add_parser("flows", help="guided-flow tools")
    flows_sub = flows.add_subparsers(dest="flows_command", required=True)
    flows_sub.add_parser("check", help="validate dialogs/ (non-zero exit on error)")

    package = sub.add_parser("package", help="build the Teams app package (zip)")
    package.add_argument("--out", type=Path, help="output path of the zip")
    package.add_argument("--dev", action="store_true", help="allow a placeholder app id when MicrosoftAppId is unset")
    return parser


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' är inte ett datum (ÅÅÅÅ-MM-DD)") from None


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings.from_env()
    try:
        if args.command == "serve":
            from bot.channel.server import run

            overrides: dict[str, Any] = {}
            if args.host:
                overrides["host"] = args.host
            if args.port:
                overrides["port"] = args.port
            return run(replace(settings, **overrides))
        if args.command == "ask":
            return cmd_ask(args, settings, sys.stdout)
        if args.command == "chat":
            return cmd_chat(args, settings, sys.stdin, sys.stdout)
        if args.command == "kb":
            return cmd_kb(args, settings, sys.stdout)
        if args.command == "flows":
            return cmd_flows(settings, sys.stdout)
        if args.command == "package":
            from bot.package import main as package_main

            package_args = (["--out", str(args.out)] if args.out else []) + (["--dev"] if args.dev else [])
            return package_main(package_args)
    except ContentInvalid as exc:
        _print_errors(exc, sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `ask … | head`: the reader left; nothing to say to it
        sys.stderr.close()
        return 0
    return 0


def _print_errors(exc: ContentInvalid, out: TextIO) -> None:
    out.write("Innehållet har fel och måste rättas innan boten kan starta:\n")
    for error in exc.errors:
        out.write(f"  {error}\n")


def _offline_settings(settings: Settings) -> Settings:
    """ask/chat/checks are tools: no analytics rows, no state file."""
    return replace(settings, analytics_path=None, state_path=None)


def _clock(args: argparse.Namespace, settings: Settings) -> Clock:
    return clock_for(args.today.isoformat() if getattr(args, "today", None) else settings.today)


# ---------------------------------------------------------------------------- ask


def _questions_from_arguments(words: list[str], session: bool = False) -> list[str]:
    """``ask hur ansöker jag`` is one question typed without quotes; ``ask "fråga 1" "fråga 2"``
    (an argument with a space in it) is one question per argument. In a ``--session`` every
    argument is a turn: ``ask --session behörighet ja 1`` walks a guide."""
    if session or any(" " in word.strip() for word in words):
        return [word for word in words if word.strip()]
    return [" ".join(words)] if words else []


def cmd_ask(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    from bot.render import render_text
    from bot.turn import TurnInput, build_assistant

    clock = _clock(args, settings)
    assistant = build_assistant(_offline_settings(settings), clock.today())
    if args.file:
        try:
            questions = [line.strip() for line in args.file.read_text(encoding="utf-8").splitlines()]
        except (OSError, UnicodeDecodeError) as exc:
            sys.stderr.write(f"kan inte läsa {args.file}: {exc}\n")
            return 2
        questions = [q for q in questions if q]
    else:
        questions = _questions_from_arguments(args.question, args.session)
    if not questions:
        sys.stderr.write("ingen fråga: skriv en fråga eller använd --file\n")
        return 2
    heading = assistant.messages.text("follow_ups_heading")
    state: dict[str, Any] = {}
    for question in questions:
        if not args.session:
            state = {}
        today = clock.today()
        result = assistant.handle(TurnInput(question, None, today, _now(today)), state)
        state = result.state
        reply = result.reply
        if args.json:
            record = {
                "question": question,
                "status": reply.status,
                "text": reply.all_text(),
                "entry": reply.entry,
                "score": round(reply.score, 3),
                "suggestions": reply.suggestions,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            if len(questions) > 1:
                out.write(f"> {question}\n")
            out.write(render_text(reply, heading) + "\n\n")
    return 0


def _now(today: date) -> datetime:
    """Noon on ``today``: a stable time of day for pinned dates."""
    return datetime.combine(today, time(12, 0), STOCKHOLM)


# ---------------------------------------------------------------------------- chat


def cmd_chat(args: argparse.Namespace, settings: Settings, inp: TextIO, out: TextIO) -> int:
    from bot.turn import build_assistant

    clock = _clock(args, settings)
    assistant = build_assistant(_offline_settings(settings), clock.today())
    run_chat(assistant, clock, _lines(inp, out), out)
    return 0


def _lines(inp: TextIO, out: TextIO) -> Iterable[str]:
    while True:
        out.write("\ndu> ")
        out.flush()
        line = inp.readline()
        if not line:
            return
        yield line.rstrip("\n")


def run_chat(assistant: Any, clock: Clock, lines: Iterable[str], out: TextIO) -> None:
    """The console chat: the whole bot, buttons numbered; typing a number presses it."""
    from bot.render import numbered_buttons, render_text
    from bot.turn import TurnInput

    heading = assistant.messages.text("follow_ups_heading")
    out.write("Löneservice-assistenten – lokal chatt. Avsluta med Ctrl-D eller 'quit' (i en guide: två gånger).\n\n")
    reply = assistant.welcome()
    out.write("bot> " + render_text(reply, heading) + "\n")
    buttons = numbered_buttons(reply)
    state: dict[str, Any] = {}
    for line in lines:
        text = line.strip()
        if text.lower() in ("quit", "exit", ":q") and not state.get("flow"):
            break  # inside a guide, "quit" leaves the guide, as it does in Teams
        value = None
        if text.isdigit() and 1 <= int(text) <= len(buttons):
            value = buttons[int(text) - 1].value
        today = clock.today()
        result = assistant.handle(TurnInput(None if value else text, value, today, clock.now()), state)
        state = result.state
        reply = result.reply
        buttons = numbered_buttons(reply)
        out.write("bot> " + render_text(reply, heading) + "\n")


# ---------------------------------------------------------------------------- kb / flows


def cmd_kb(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    if args.kb_command == "report":
        from bot.analytics import report

        if settings.analytics_path is None or not settings.analytics_path.exists():
            out.write("Ingen statistik ännu: boten har inte besvarat några frågor i Teams.\n")
            return 0
        out.write(report(settings.analytics_path) + "\n")
        return 0

    from bot.kb import coverage, load_knowledge
    from bot.turn import build_assistant

    if args.kb_command == "check":
        assistant = build_assistant(_offline_settings(settings), _clock(args, settings).today())
        kb = assistant.kb
        for warning in kb.warnings:
            out.write(f"{warning}\n")
        cov = coverage(kb)
        passages = sum(len(s.passages) for s in kb.sources.values())
        out.write(
            f"OK: {kb.entry_count} poster, {len(kb.contacts)} kontakter, {passages} källstycken, "
            f"{len(assistant.flows.flows)} guider, täckning {cov.percent:.1f} %, version {kb.version}\n"
        )
        return 0

    kb = load_knowledge(settings.knowledge_dir)
    cov = coverage(kb)
    for passage in cov.uncovered:
        out.write(f"EJ BESVARAT  {passage.doc}#{passage.id}  (avsnitt {passage.section}, rad {passage.line})\n")
        out.write(f"    {passage.text}\n")
    out.write(f"Täckning: {cov.covered}/{cov.total} stycken = {cov.percent:.1f} %\n")
    return 0 if not cov.uncovered else 1


def cmd_flows(settings: Settings, out: TextIO) -> int:
    from bot.flows import FlowSet
    from bot.kb import load_knowledge

    kb = load_knowledge(settings.knowledge_dir)
    flows, problems = FlowSet.parse(settings.dialogs_dir, kb.check_ref)
    for problem in problems:
        out.write(f"{problem}\n")
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        return 1
    out.write(f"OK: {len(flows.flows)} guider: {', '.join(sorted(flows.flows))}\n")
    return 0
