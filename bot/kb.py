"""The knowledge base: loading, validation with file:line messages, and coverage.

Everything the bot says comes from ``knowledge/``. This module turns those files into
plain dataclasses and refuses content that is broken, pointing at the file and line and
saying how to fix it, so that people at Löneservice can edit answers without a developer.
"""

from __future__ import annotations

import hashlib
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bot.deadlines import deadline_fact_problems
from bot.text import fold
from bot.yamlsrc import ContentError, ContentInvalid, LineDict, LineList, display_path, load_yaml

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PLACEHOLDER_RE = re.compile(r"\{(contact|deadline):([^{}]*)\}")
HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*\{§([^{}]+)\}\s*$")
PASSAGE_RE = re.compile(r"^(.*?)\s*\{#([^{}]*)\}\s*$")
NOT_FACT_RE = re.compile(r"^(.*?)\s*\{-\}\s*$")

AUDIENCES = ("medarbetare", "chef", "heromarapportor", "hr")
MIN_QUESTIONS = 5
EXPIRY_WARNING_DAYS = 60

ENTRY_KEYS = {
    "id": True, "title": True, "questions": True, "answer": True, "sources": True,
    "audience": False, "english": False, "related": False, "contacts": False,
    "facts": False, "flow": False, "declines": False,
}  # fmt: skip
SOURCE_KEYS = {
    "id": True, "title": True, "full_title": False, "document_id": True, "type": False,
    "version": True, "valid_from": True, "valid_to": True, "applies_to": True, "scope": True,
    "owner": True, "reviewed_by": False, "approved_by": False, "text": True, "sections": True,
}  # fmt: skip
CONTACT_KEYS = {
    "name": True, "text": True, "sources": False, "email": False, "path": False,
    "out_of_office": False, "note": False,
}  # fmt: skip

# An answer opening with a bare yes or no ("Ja – …", "Nej, …") reads wrong for every
# variant that isn't that yes/no question.
YES_NO_OPENING = re.compile(r"\s*(Ja|Nej)\b\s*[–—,:.!-]", re.IGNORECASE)

# Keys that knowledge/messages.yaml must define: the bot's own words.
MESSAGE_KEYS = (
    "welcome_title", "welcome_text", "welcome_topics", "help_text", "fallback_text", "way_on_text",
    "in_context_text", "amount_text", "count_text", "contact_text", "duration_text", "subject_text", "amount_topics_intro", "fallback_topics_intro", "clarify_text", "source_line", "expired_warning",
    "beyond_validity", "before_validity",
    "english_lead", "english_clarify_lead", "english_not_found_lead", "english_amount_lead", "english_count_lead", "english_contact_lead", "english_subject_lead", "cannot_do_lead", "action_requests", "offer_flow", "offer_flow_yes", "offer_flow_no", "other_flow_hint", "offer_declined",
    "nothing_to_cancel", "thanks_reply", "goodbye_reply", "about_reply", "wishes_reply", "not_helpful_reply", "not_helpful_in_guide", "personnummer_notice", "no_such_number", "which_option", "workplace_sas", "restarted", "flow_expired", "error_apology", "feedback_thanks_up",
    "feedback_thanks_down", "feedback_up_label", "feedback_down_label", "follow_ups_heading",
    "empty_input", "signature_only", "shared_hint", "vgr_wide", "too_long", "commands", "openers", "main_topics",
)  # fmt: skip


@dataclass
class Section:
    id: str
    title: str


@dataclass
class Passage:
    """One fact-bearing line of a source document, citable as ``doc#id``."""

    doc: str
    id: str
    section: str
    text: str
    line: int


@dataclass
class Source:
    """A source document and its validity; answers cite it in their "Källa" line."""

    id: str
    title: str
    document_id: str
    version: str
    valid_from: date
    valid_to: date
    applies_to: str
    scope: str
    owner: str
    sections: dict[str, Section]
    passages: dict[str, Passage]
    meta: dict[str, str] = field(default_factory=dict)

    def section_of(self, passage_id: str) -> Section | None:
        passage = self.passages.get(passage_id)
        return self.sections.get(passage.section) if passage else None


@dataclass(frozen=True)
class SourceRef:
    doc: str
    passage: str

    def __str__(self) -> str:
        return f"{self.doc}#{self.passage}"


@dataclass
class Contact:
    key: str
    name: str
    text: str
    fields: dict[str, str]
    sources: list[SourceRef]


@dataclass
class Entry:
    """One answerable question: variants to match, an answer, and where it comes from."""

    id: str
    title: str
    questions: list[str]
    answer: str
    sources: list[SourceRef]
    audience: list[str] = field(default_factory=list)
    english: str | None = None
    related: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    flow: str | None = None
    # The answer says the documents don't tell (e.g. the pay date): an honest "jag vet
    # inte" with the way on, so analytics keeps the question and evaluation counts it as
    # declining, not as answering.
    declines: bool = False
    file: str = ""
    line: int = 0

    @property
    def deadline(self) -> dict[str, Any] | None:
        return self.facts.get("deadline")


@dataclass
class Synonyms:
    groups: list[list[str]]
    english: dict[str, str]
    stems: dict[str, str] = field(default_factory=dict)  # word → the stem it must get
    amount_asks: list[str] = field(default_factory=list)  # "hur mycket", "how much"
    amount_words: list[str] = field(default_factory=list)  # "lön", "ob", "traktamente"
    count_asks: list[str] = field(default_factory=list)  # "hur många", "how many"
    duration_asks: list[str] = field(default_factory=list)  # "hur lång tid", "how long"
    time_units: list[str] = field(default_factory=list)  # "dagar", "veckor"
    contact_asks: list[str] = field(default_factory=list)  # "telefonnummer", "mejladress"
    contact_words: list[str] = field(default_factory=list)  # "telefon", "mejl": an answer that speaks of them
    # Phrases naming a workplace outside the SÄS routine's scope ("annan förvaltning").
    elsewhere: list[str] = field(default_factory=list)
    # What a question is about when a topic word points at something the documents don't
    # cover ("behörighet till Agresso"): the topic words (heads), the permission words
    # among them (access), and systems other than Heroma (systems); and phrases that are
    # about something the documents don't cover whatever else is asked (not_covered).
    subjects: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Messages:
    """The bot's own texts from messages.yaml, with placeholders filled on demand."""

    values: dict[str, Any]

    def text(self, key: str, **kwargs: Any) -> str:
        template = self.values[key]
        return template.format(**kwargs) if kwargs else template

    def raw(self, key: str) -> Any:
        return self.values[key]


@dataclass
class KnowledgeBase:
    """Everything loaded from knowledge/, validated and cross-referenced."""

    sources: dict[str, Source]
    entries: dict[str, Entry]
    contacts: dict[str, Contact]
    synonyms: Synonyms
    messages: Messages
    version: str
    directory: Path
    warnings: list[ContentError] = field(default_factory=list)

    @property
    def entry_count(self) -> int:
        return len(self.entries)

    def expand(self, text: str) -> str:
        """Replace ``{contact:…}`` placeholders; ``{deadline:…}`` is left for the turn logic."""
        return expand_contacts(text, self.contacts)

    def check_ref(self, placeholder: str) -> str | None:
        """Why a ``{kind:ref}`` placeholder is invalid, or None when it resolves."""
        match = PLACEHOLDER_RE.fullmatch(placeholder)
        if not match:
            return f"okänd platshållare {placeholder}; använd {{contact:NYCKEL}} eller {{deadline:POST-ID}}"
        return _ref_problem(match.group(1), match.group(2), self.contacts, self.entries)

    def source_line(self, entry: Entry) -> str | None:
        """The "Källa: …" line for an entry, naming document, section, version and validity."""
        return self.sources_line(entry.sources)

    def sources_line(self, refs: Iterable[SourceRef]) -> str | None:
        """The "Källa: …" line for source references (an entry's, or those behind a guide)."""
        refs = list(refs)
        if not refs:
            return None
        parts: list[str] = []
        by_doc: dict[str, list[str]] = {}
        for ref in refs:
            section = self.sources[ref.doc].section_of(ref.passage)
            label = section.id if section and section.id[0].isdigit() else (section.title if section else "")
            if label and label not in by_doc.setdefault(ref.doc, []):
                by_doc[ref.doc].append(label)
        for doc_id, labels in by_doc.items():
            src = self.sources[doc_id]
            parts.append(
                self.messages.text(
                    "source_line",
                    title=src.title,
                    sections=", ".join(labels),
                    version=src.version,
                    valid_to=src.valid_to.isoformat(),
                )
            )
        return "\n".join(parts)

    def expired_sources(self, entry: Entry, today: date) -> list[Source]:
        seen = {ref.doc for ref in entry.sources}
        return [self.sources[d] for d in sorted(seen) if today > self.sources[d].valid_to]

    def scope_of(self, entry: Entry) -> set[str]:
        return {self.sources[ref.doc].scope for ref in entry.sources}


def expand_contacts(text: str, contacts: dict[str, Contact]) -> str:
    """``{contact:KEY}`` → the contact's name, ``{contact:KEY.FIELD}`` → that field."""

    def sub(match: re.Match[str]) -> str:
        if match.group(1) != "contact":
            return match.group(0)
        key, _, fld = match.group(2).partition(".")
        contact = contacts[key]
        if not fld or fld == "name":
            return contact.name
        if fld == "text":
            return contact.text
        return contact.fields[fld]

    return PLACEHOLDER_RE.sub(sub, text)


# --------------------------------------------------------------------------- loading


class _Collector:
    """Accumulates errors so a maintainer sees all problems at once, not one per run."""

    def __init__(self) -> None:
        self.errors: list[ContentError] = []
        self.warnings: list[ContentError] = []

    def error(self, path: str, line: int, message: str) -> None:
        self.errors.append(ContentError(path, line, message))

    def warn(self, path: str, line: int, message: str) -> None:
        self.warnings.append(ContentError(path, line, message, severity="warning"))


def _load(path: Path, out: _Collector) -> Any:
    try:
        return load_yaml(path)
    except ContentInvalid as exc:
        out.errors.extend(exc.errors)
        return None


def _check_keys(node: LineDict, allowed: dict[str, bool], where: str, path: str, out: _Collector) -> bool:
    ok = True
    for key in node:
        if key not in allowed:
            known = ", ".join(sorted(allowed))
            out.error(path, node.line_of(str(key)), f"okänd nyckel '{key}' i {where}; tillåtna nycklar: {known}")
            ok = False
    for key, required in allowed.items():
        if required and (key not in node or node[key] in (None, "", [])):
            out.error(path, node.line, f"{where} saknar '{key}'; lägg till '{key}:' med ett värde")
            ok = False
    return ok


def _text(node: LineDict, key: str) -> str:
    value = node.get(key)
    return str(value).strip() if value is not None else ""


def _parse_date(node: LineDict, key: str, path: str, out: _Collector) -> date:
    try:
        return date.fromisoformat(str(node.get(key)))
    except ValueError:
        out.error(path, node.line_of(key), f"'{key}' måste vara ett datum som ÅÅÅÅ-MM-DD, inte '{node.get(key)}'")
        return date.min


def _parse_doc_text(doc_id: str, path: Path, sections: dict[str, Section], out: _Collector) -> dict[str, Passage]:
    shown = display_path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        out.error(shown, 1, f"kan inte läsa källtexten ({exc}); kontrollera 'text:' i sources.yaml")
        return {}
    passages: dict[str, Passage] = {}
    current = ""
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        heading = HEADING_RE.match(line)
        if heading:
            current = heading.group(3).strip()
            if current not in sections:
                out.error(shown, number, f"avsnittet {{§{current}}} finns inte under 'sections' i sources.yaml; lägg till det där")
            continue
        if NOT_FACT_RE.match(line):
            continue
        passage = PASSAGE_RE.match(line)
        if not passage:
            out.error(shown, number, "raden saknar stycke-id; avsluta den med {#ett-id} om den är ett faktum, annars med {-}")
            continue
        text, pid = passage.group(1).strip(), passage.group(2).strip()
        if not ID_RE.match(pid):
            out.error(shown, number, f"stycke-id '{pid}' får bara innehålla a–z, 0–9 och bindestreck")
        elif pid in passages:
            out.error(shown, number, f"stycke-id '{pid}' används redan på rad {passages[pid].line}; välj ett unikt id")
        elif not current:
            out.error(shown, number, "stycket står före första avsnittsrubriken; lägg en rubrik med {§ID} före")
        else:
            passages[pid] = Passage(doc_id, pid, current, text, number)
    return passages


def _load_sources(directory: Path, out: _Collector) -> dict[str, Source]:
    path = directory / "sources.yaml"
    shown = display_path(path)
    data = _load(path, out)
    if data is None:
        return {}
    if not isinstance(data, LineDict) or not isinstance(data.get("sources"), LineList):
        out.error(shown, 1, "filen ska börja med 'sources:' följt av en lista med dokument")
        return {}
    sources: dict[str, Source] = {}
    for node in data["sources"]:
        if not isinstance(node, LineDict):
            out.error(shown, data["sources"].line, "varje källa ska vara ett block med nycklar (id, title, …)")
            continue
        if not _check_keys(node, SOURCE_KEYS, "källan", shown, out):
            continue
        sid = _text(node, "id")
        if sid in sources:
            out.error(shown, node.line_of("id"), f"källan '{sid}' finns redan; id måste vara unika")
            continue
        sections: dict[str, Section] = {}
        for sec in node["sections"] if isinstance(node["sections"], LineList) else []:
            if not isinstance(sec, LineDict) or not sec.get("id") or not sec.get("title"):
                line = sec.line if isinstance(sec, LineDict) else node.line_of("sections")
                out.error(shown, line, "varje avsnitt behöver 'id' och 'title'")
                continue
            sections[str(sec["id"])] = Section(str(sec["id"]), _text(sec, "title"))
        valid_from = _parse_date(node, "valid_from", shown, out)
        valid_to = _parse_date(node, "valid_to", shown, out)
        if _text(node, "scope") not in ("vgr", "sas"):
            out.error(shown, node.line_of("scope"), "'scope' måste vara 'vgr' (hela VGR) eller 'sas' (Södra Älvsborgs Sjukhus)")
        passages = _parse_doc_text(sid, directory / _text(node, "text"), sections, out)
        meta = {k: _text(node, k) for k in ("full_title", "type", "reviewed_by", "approved_by") if k in node}
        sources[sid] = Source(
            id=sid,
            title=_text(node, "title"),
            document_id=_text(node, "document_id"),
            version=_text(node, "version"),
            valid_from=valid_from,
            valid_to=valid_to,
            applies_to=_text(node, "applies_to"),
            scope=_text(node, "scope"),
            owner=_text(node, "owner"),
            sections=sections,
            passages=passages,
            meta=meta,
        )
    return sources


def _parse_refs(node: LineDict, key: str, sources: dict[str, Source], path: str, out: _Collector) -> list[SourceRef]:
    refs: list[SourceRef] = []
    values = node.get(key) or []
    if not isinstance(values, list):
        out.error(path, node.line_of(key), f"'{key}' ska vara en lista som [dokument#stycke, …]")
        return refs
    for i, raw in enumerate(values):
        line = values.line_of(i) if isinstance(values, LineList) else node.line_of(key)
        doc, sep, pid = str(raw).partition("#")
        if not sep:
            out.error(path, line, f"källhänvisningen '{raw}' ska skrivas dokument#stycke-id, t.ex. tjanstebeskrivning#underlag-8e")
        elif doc not in sources:
            out.error(path, line, f"okänt dokument '{doc}' i '{raw}'; dokument: {', '.join(sorted(sources)) or 'inga'}")
        elif pid not in sources[doc].passages:
            out.error(path, line, f"stycket '{pid}' finns inte i {doc}; se {{#id}}-märkningen i källtexten")
        else:
            refs.append(SourceRef(doc, pid))
    return refs


def _load_contacts(directory: Path, sources: dict[str, Source], out: _Collector) -> dict[str, Contact]:
    path = directory / "contacts.yaml"
    shown = display_path(path)
    data = _load(path, out)
    if data is None:
        return {}
    if not isinstance(data, LineDict) or not isinstance(data.get("contacts"), LineDict):
        out.error(shown, 1, "filen ska börja med 'contacts:' följt av kontaktvägar med nycklar")
        return {}
    contacts: dict[str, Contact] = {}
    for key, node in data["contacts"].items():
        line = data["contacts"].line_of(str(key))
        if not ID_RE.match(str(key)):
            out.error(shown, line, f"kontaktnyckeln '{key}' får bara innehålla a–z, 0–9 och bindestreck")
            continue
        if not isinstance(node, LineDict):
            out.error(shown, line, f"kontakten '{key}' ska vara ett block med minst 'name' och 'text'")
            continue
        if not _check_keys(node, CONTACT_KEYS, f"kontakten '{key}'", shown, out):
            continue
        extra = {k: _text(node, k) for k in ("email", "path", "out_of_office", "note") if k in node}
        contacts[str(key)] = Contact(
            str(key), _text(node, "name"), _text(node, "text"), extra, _parse_refs(node, "sources", sources, shown, out)
        )
    return contacts


def _load_synonyms(directory: Path, out: _Collector) -> Synonyms:
    path = directory / "synonyms.yaml"
    shown = display_path(path)
    data = _load(path, out)
    groups: list[list[str]] = []
    english: dict[str, str] = {}
    stems: dict[str, str] = {}
    if data is None:
        return Synonyms(groups, english)
    if not isinstance(data, LineDict):
        out.error(shown, 1, "filen ska ha 'groups:' (listor med ord) och 'english:' (engelska → svenska)")
        return Synonyms(groups, english)
    for key in data:
        if key not in ("groups", "english", "stems", "amounts", "elsewhere", "subjects"):
            out.error(
                shown,
                data.line_of(str(key)),
                f"okänd nyckel '{key}'; tillåtna: groups, english, stems, amounts, elsewhere, subjects",
            )
    raw_groups = data.get("groups") or []
    seen: dict[str, int] = {}
    for i, group in enumerate(raw_groups if isinstance(raw_groups, list) else []):
        line = raw_groups.line_of(i)
        if not isinstance(group, list) or len(group) < 2 or not all(isinstance(w, str) and w.strip() for w in group):
            out.error(shown, line, "varje grupp ska vara en lista med minst två ord, t.ex. [löneöversyn, lönerevision]")
            continue
        words = [w.strip().lower() for w in group]
        for w in words:
            if fold(w) in seen:
                out.error(shown, line, f"ordet '{w}' finns redan i gruppen på rad {seen[fold(w)]}; slå ihop grupperna")
            seen[fold(w)] = line
        groups.append(words)
    raw_english = data.get("english") or {}
    if not isinstance(raw_english, dict):
        out.error(shown, data.line_of("english"), "'english' ska vara nyckel: värde, t.ex. salary: lön")
    else:
        for k, v in raw_english.items():
            if not isinstance(v, str) or not v.strip():
                out.error(shown, raw_english.line_of(str(k)), f"'{k}' saknar svensk översättning")
            else:
                english[str(k).lower()] = v.strip().lower()
    raw_stems = data.get("stems") or {}
    if not isinstance(raw_stems, dict):
        out.error(shown, data.line_of("stems"), "'stems' ska vara ord: stam, t.ex. datorn: dator")
    else:
        for k, v in raw_stems.items():
            if not (isinstance(v, str) and v.strip().isalpha() and str(k).strip().isalpha()):
                out.error(
                    shown, raw_stems.line_of(str(k)), f"'{k}: {v}' ska vara ett ord och dess stam, t.ex. datorn: dator"
                )
            else:
                stems[str(k).strip().lower()] = v.strip().lower()
    elsewhere: list[str] = []
    raw_elsewhere = data.get("elsewhere")
    if raw_elsewhere is not None:
        if not isinstance(raw_elsewhere, list) or not all(isinstance(w, str) and w.strip() for w in raw_elsewhere):
            out.error(
                shown,
                data.line_of("elsewhere"),
                "'elsewhere' ska vara en lista med ord eller fraser, t.ex. elsewhere: [annan förvaltning]",
            )
        else:
            elsewhere = [w.strip().lower() for w in raw_elsewhere]
    amounts = _load_amounts(data, shown, out)
    return Synonyms(
        groups, english, stems, amounts["asks"], amounts["money"],
        amounts["counts"], amounts["durations"], amounts["time_units"],
        amounts["contact_asks"], amounts["contact_words"], elsewhere,
        _load_subjects(data, shown, out),
    )  # fmt: skip


_SUBJECT_LISTS = ("heads", "access", "systems", "not_covered")  # all optional


def _load_subjects(data: LineDict, shown: str, out: _Collector) -> dict[str, list[str]]:
    """The optional ``subjects:`` section: what a question is about when it isn't what the
    documents cover – topic words (heads, access), other systems, and phrases (not_covered)."""
    return _load_word_lists(
        data, "subjects", _SUBJECT_LISTS, (), shown, out,
        shape="'subjects' ska ha listor med ord (heads, access, systems, not_covered)",
        example="t.ex. subjects: {access: [behörighet], systems: [komet], not_covered: [byta adress]}",
    )  # fmt: skip


_AMOUNT_LISTS = ("asks", "money")  # both needed: either alone would catch "hur mycket tid"
_COUNT_LISTS = ("counts", "durations", "time_units", "contact_asks", "contact_words")  # optional


def _load_amounts(data: LineDict, shown: str, out: _Collector) -> dict[str, list[str]]:
    """The ``amounts:`` section: how people ask for a sum (asks) and what sums they ask
    about (money); optionally how they ask for a number of something (counts: "hur många
    timmar") or for how long something takes (durations: "hur lång tid"), and the words
    that make a number a length of time (time_units: "dagar", "veckor"); and how they ask
    for a phone number or an e-mail address (contact_asks) and the words an answer that
    speaks of them uses (contact_words)."""
    return _load_word_lists(
        data, "amounts", (*_AMOUNT_LISTS, *_COUNT_LISTS), _AMOUNT_LISTS, shown, out,
        shape="'amounts' ska ha två listor, asks och money",
        example="t.ex. amounts: {asks: [hur mycket, how much], money: [lön, ob, traktamente]}",
    )  # fmt: skip


def _load_word_lists(
    data: LineDict,
    section: str,
    keys: tuple[str, ...],
    required: tuple[str, ...],
    shown: str,
    out: _Collector,
    *,
    shape: str,
    example: str,
) -> dict[str, list[str]]:
    """A section of named word lists (``amounts:``, ``subjects:``), each word lower-cased;
    every problem reported at its line. ``required`` lists must be there with a word."""
    lists: dict[str, list[str]] = {key: [] for key in keys}
    raw = data.get(section)
    if raw is None:
        return lists
    if not isinstance(raw, LineDict):
        out.error(shown, data.line_of(section), f"{shape}, {example}")
        return lists
    for key in raw:
        if key not in lists:
            out.error(shown, raw.line_of(str(key)), f"okänd nyckel '{key}' under '{section}'; tillåtna: {', '.join(keys)}")
    for key in lists:
        items = raw.get(key)
        if key not in required and items is None:
            continue
        if not isinstance(items, list) or not items:
            where = raw.line_of(key) if key in raw else data.line_of(section)
            out.error(shown, where, f"'{section}' saknar listan '{key}' (med minst ett ord); {example}")
            continue
        for i, item in enumerate(items):
            if isinstance(item, str) and item.strip() and any(ch.isalnum() for ch in item):
                lists[key].append(item.strip().lower())
            else:
                out.error(shown, items.line_of(i), f"'{item}' i {section}.{key} ska vara ett ord eller en fras med text")
    return lists


def _load_messages(directory: Path, contacts: dict[str, Contact], out: _Collector) -> Messages:
    path = directory / "messages.yaml"
    shown = display_path(path)
    data = _load(path, out)
    if not isinstance(data, LineDict):
        if data is not None:
            out.error(shown, 1, "filen ska vara nyckel: text för botens egna texter")
        return Messages({})
    for key in MESSAGE_KEYS:
        if key not in data:
            out.error(shown, 1, f"texten '{key}' saknas; lägg till '{key}: …'")
    for key in data:
        if key not in MESSAGE_KEYS:
            out.error(shown, data.line_of(str(key)), f"okänd text '{key}'; kända: {', '.join(MESSAGE_KEYS)}")
    commands = data.get("commands")
    if "commands" in data and not (
        isinstance(commands, LineDict)
        and all(isinstance(words, list) and all(isinstance(w, str) for w in words) for words in commands.values())
    ):
        out.error(
            shown,
            data.line_of("commands"),
            "'commands' ska vara namn: [ord, …] med text; skriv yes, no, on och off inom citattecken (\"yes\")",
        )
    requests = data.get("action_requests")
    if "action_requests" in data and not (
        isinstance(requests, LineDict)
        and {"asks", "verbs"} <= set(requests) <= {"asks", "verbs", "on_behalf"}
        and all(isinstance(v, list) and v and all(isinstance(w, str) and w.strip() for w in v) for v in requests.values())
    ):
        out.error(shown, data.line_of("action_requests"), "'action_requests' ska ha asks: [ord, …] och verbs: [ord, …] (och kan ha on_behalf: [ord, …])")
    openers = data.get("openers")
    if "openers" in data and not (isinstance(openers, list) and all(isinstance(w, str) and w.strip() for w in openers)):
        out.error(shown, data.line_of("openers"), "'openers' ska vara en lista med ord, t.ex. [ok, toppen, perfekt]")
    for key, value in data.items():
        for text, line in _strings_in(value, data.line_of(str(key))):
            for match in PLACEHOLDER_RE.finditer(text):
                problem = _ref_problem(match.group(1), match.group(2), contacts, None)
                if problem:
                    out.error(shown, line, problem)
            try:
                list(string.Formatter().parse(text))
            except ValueError:
                out.error(shown, line, "oparade klammerparenteser { } i texten; skriv {{ och }} för bokstavliga klamrar")
    return Messages({k: _expand_contacts(v, contacts) for k, v in data.items()})


def _expand_contacts(value: Any, contacts: dict[str, Contact]) -> Any:
    """Resolve {contact:…} in the bot's own texts once, at load time."""
    if isinstance(value, str):
        try:
            return expand_contacts(value, contacts)
        except KeyError:
            return value  # already reported by validation
    if isinstance(value, LineDict):
        out = LineDict({k: _expand_contacts(v, contacts) for k, v in value.items()})
        out.line, out.key_lines = value.line, value.key_lines
        return out
    if isinstance(value, LineList):
        items = LineList(_expand_contacts(v, contacts) for v in value)
        items.line, items.item_lines = value.line, value.item_lines
        return items
    return value


def _strings_in(value: Any, line: int) -> list[tuple[str, int]]:
    if isinstance(value, str):
        return [(value, line)]
    if isinstance(value, LineDict):
        return [s for k, v in value.items() for s in _strings_in(v, value.line_of(str(k)))]
    if isinstance(value, LineList):
        return [s for i, v in enumerate(value) for s in _strings_in(v, value.line_of(i))]
    return []


def _ref_problem(kind: str, ref: str, contacts: dict[str, Contact], entries: dict[str, Entry] | None) -> str | None:
    if kind == "contact":
        key, _, fld = ref.partition(".")
        if key not in contacts:
            return f"okänd kontakt '{key}' i {{contact:{ref}}}; kontakter finns i contacts.yaml: {', '.join(sorted(contacts))}"
        if fld and fld not in ("name", "text") and fld not in contacts[key].fields:
            have = ", ".join(["name", "text", *sorted(contacts[key].fields)])
            return f"kontakten '{key}' saknar fältet '{fld}'; fält: {have}"
        return None
    if entries is not None:
        if ref not in entries:
            return f"okänd post '{ref}' i {{deadline:{ref}}}"
        if not entries[ref].deadline:
            return f"posten '{ref}' har ingen facts.deadline att visa som datum"
    return None


def _load_entries(
    directory: Path, sources: dict[str, Source], contacts: dict[str, Contact], out: _Collector
) -> dict[str, Entry]:
    files = sorted((directory / "entries").glob("*.yaml"))
    if not files:
        out.error(display_path(directory / "entries"), 1, "inga poster hittades; lägg frågor och svar i entries/*.yaml")
    entries: dict[str, Entry] = {}
    variant_owner: dict[str, tuple[str, str, int]] = {}
    placeholder_checks: list[tuple[str, int, str, str]] = []
    for path in files:
        shown = display_path(path)
        data = _load(path, out)
        if data is None:
            continue
        if not isinstance(data, LineDict) or not isinstance(data.get("entries"), LineList):
            out.error(shown, 1, "filen ska börja med 'entries:' följt av en lista med poster")
            continue
        for node in data["entries"]:
            if not isinstance(node, LineDict):
                out.error(shown, data["entries"].line, "varje post ska vara ett block med nycklar (id, title, …)")
                continue
            if not _check_keys(node, ENTRY_KEYS, f"posten '{node.get('id', '?')}'", shown, out):
                continue
            entry = _build_entry(node, shown, sources, out)
            if entry is None:
                continue
            if entry.id in entries:
                first = entries[entry.id]
                out.error(shown, node.line_of("id"), f"id '{entry.id}' används redan i {first.file}:{first.line}; välj ett unikt id")
                continue
            entries[entry.id] = entry
            questions = node["questions"]
            for i, question in enumerate(entry.questions):
                key = " ".join(fold(question).split())
                owner = variant_owner.get(key)
                if owner and owner[0] != entry.id:
                    out.error(
                        shown,
                        questions.line_of(i),
                        f"frågan '{question}' finns också i posten '{owner[0]}' ({owner[1]}:{owner[2]}); en fråga får bara leda till en post",
                    )
                variant_owner[key] = (entry.id, shown, questions.line_of(i))
            for match in PLACEHOLDER_RE.finditer(entry.answer):
                placeholder_checks.append((shown, node.line_of("answer"), match.group(1), match.group(2)))
            opening = YES_NO_OPENING.match(entry.answer)
            if opening:
                out.warn(
                    shown,
                    node.line_of("answer"),
                    f"svaret i '{entry.id}' börjar med '{opening.group(1)}', men visas för alla sätt att fråga; "
                    "skriv påståendet i stället (\"Chefer ska signera …\", inte \"Ja – chefer ska …\")",
                )
    for entry in entries.values():
        for rel in entry.related:
            if rel not in entries:
                out.error(entry.file, entry.line, f"posten '{entry.id}' hänvisar under 'related' till '{rel}' som inte finns")
            elif rel == entry.id:
                out.error(entry.file, entry.line, f"posten '{entry.id}' kan inte vara relaterad till sig själv")
        for key in entry.contacts:
            if key not in contacts:
                out.error(entry.file, entry.line, f"posten '{entry.id}' nämner kontakten '{key}' som saknas i contacts.yaml")
    for shown, line, kind, ref in placeholder_checks:
        problem = _ref_problem(kind, ref, contacts, entries)
        if problem:
            out.error(shown, line, problem)
    return entries


def _string_list(node: LineDict, key: str, path: str, out: _Collector) -> list[str]:
    value = node.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        out.error(path, node.line_of(key), f"'{key}' ska vara en lista med text")
        return []
    return [v.strip() for v in value]


def _build_entry(node: LineDict, path: str, sources: dict[str, Source], out: _Collector) -> Entry | None:
    eid = _text(node, "id")
    if not ID_RE.match(eid):
        out.error(path, node.line_of("id"), f"id '{eid}' får bara innehålla a–z, 0–9 och bindestreck (inga å/ä/ö)")
        return None
    questions = _string_list(node, "questions", path, out)
    if len(questions) < MIN_QUESTIONS:
        out.error(path, node.line_of("questions"), f"posten '{eid}' har {len(questions)} frågevarianter; skriv minst {MIN_QUESTIONS}")
    seen: set[str] = set()
    for i, q in enumerate(questions):
        key = " ".join(fold(q).split())
        if key in seen:
            out.error(path, node["questions"].line_of(i), f"frågan '{q}' står två gånger i posten '{eid}'")
        seen.add(key)
    answer = node.get("answer")
    if not isinstance(answer, str) or not answer.strip():
        out.error(path, node.line_of("answer"), f"posten '{eid}' har ett tomt svar; skriv svaret under 'answer: |'")
        answer = ""
    audience = _string_list(node, "audience", path, out)
    for a in audience:
        if a not in AUDIENCES:
            out.error(path, node.line_of("audience"), f"okänd målgrupp '{a}'; använd {', '.join(AUDIENCES)}")
    facts = node.get("facts") or {}
    if not isinstance(facts, dict):
        out.error(path, node.line_of("facts"), "'facts' ska vara ett block, t.ex. deadline: {type: monthly, day: 8}")
        facts = {}
    _check_facts(facts, node, path, out)
    english = node.get("english")
    declines = node.get("declines", False)
    if not isinstance(declines, bool):
        out.error(path, node.line_of("declines"), f"'declines' i posten '{eid}' ska vara true eller false (utan citattecken)")
        declines = False
    entry = Entry(
        id=eid,
        title=_text(node, "title"),
        questions=questions,
        answer=answer.strip(),
        sources=_parse_refs(node, "sources", sources, path, out),
        audience=audience,
        english=str(english).strip() if english else None,
        related=_string_list(node, "related", path, out),
        contacts=_string_list(node, "contacts", path, out),
        facts=dict(facts),
        flow=_text(node, "flow") or None,
        declines=declines,
        file=path,
        line=node.line,
    )
    return entry


def _check_facts(facts: dict[str, Any], node: LineDict, path: str, out: _Collector) -> None:
    line = node.line_of("facts")
    for key, value in facts.items():
        if key != "deadline":
            out.error(path, line, f"okänt faktum '{key}'; känt: deadline")
            continue
        for problem in deadline_fact_problems(value):
            out.error(path, line, problem)


def load_knowledge(directory: Path, today: date | None = None) -> KnowledgeBase:
    """Load and validate knowledge/; raise ContentInvalid with every error found.

    ``today`` enables the validity warnings (a source expiring within 60 days).
    """
    out = _Collector()
    sources = _load_sources(directory, out)
    contacts = _load_contacts(directory, sources, out)
    synonyms = _load_synonyms(directory, out)
    messages = _load_messages(directory, contacts, out)
    entries = _load_entries(directory, sources, contacts, out)
    if out.errors:
        raise ContentInvalid(out.errors)
    if today is not None:
        for src in sources.values():
            days_left = (src.valid_to - today).days
            shown = display_path(directory / "sources.yaml")
            if days_left < 0:
                out.warn(shown, 1, f"källan '{src.id}' gällde till {src.valid_to}; svaren visar en varning tills dokumentet förnyas")
            elif days_left <= EXPIRY_WARNING_DAYS:
                out.warn(shown, 1, f"källan '{src.id}' går ut {src.valid_to} (om {days_left} dagar); be ägaren ({src.owner}) om en ny version")
    return KnowledgeBase(
        sources=sources,
        entries=entries,
        contacts=contacts,
        synonyms=synonyms,
        messages=messages,
        version=content_version(directory),
        directory=directory,
        warnings=out.warnings,
    )


def content_version(directory: Path) -> str:
    """A short hash of every content file, so /healthz and logs say which content runs."""
    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*")):
        if path.is_file() and path.suffix in (".yaml", ".md") and path.name != "README.md":
            digest.update(str(path.relative_to(directory)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# --------------------------------------------------------------------------- coverage


@dataclass
class Coverage:
    total: int
    covered: int
    uncovered: list[Passage]

    @property
    def percent(self) -> float:
        return 100.0 * self.covered / self.total if self.total else 100.0


def coverage(kb: KnowledgeBase) -> Coverage:
    """Which fact passages of the source texts no entry cites."""
    cited = {(ref.doc, ref.passage) for entry in kb.entries.values() for ref in entry.sources}
    passages = [p for src in kb.sources.values() for p in src.passages.values()]
    uncovered = [p for p in passages if (p.doc, p.id) not in cited]
    return Coverage(len(passages), len(passages) - len(uncovered), uncovered)
