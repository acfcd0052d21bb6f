"""Guided dialogs: flows declared in dialogs/*.yaml, run by one small engine.

Why declared: the people who own the routine (Löneservice, SÄS) can change a question,
an option or the checklist without a developer, and `python -m bot flows check` tells
them file:line what is wrong. The engine only knows five kinds of step:

    say      text + next (or end: true)          tell something and move on
    choices  text + choices [{value, label, aliases, workplace, next}] (+ next as default)
             (workplace sas/elsewhere: the choice a statement of where one works makes)
    input    text + input: name|text|reference + next   typed answer with validation
    branch   branch: [{when: {step: value|[values]}, next}, …, {next}]   route on earlier answers
             (in a when or done condition, ~ stands for "the step was not asked")
    summary  summary: [{title, text, checklist, email, when, offer_flow, offer_answers}]  the end
             (offer_answers: what the offered flow starts with, so it isn't asked again)

Texts may contain {answer:STEP} (an earlier answer), {text:KEY} (a shared text from
_texts.yaml) and {contact:…}/{deadline:…}, which the caller's ``expand`` resolves.
The state the caller stores is a small JSON dict; a flow's version is a hash of its
definition, so a stored state from an older definition is recognised and restarted.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.privacy import redact
from bot.reply import Choice, Message
from bot.text import STOPWORDS, fold, tokens
from bot.yamlsrc import ContentError, ContentInvalid, LineDict, LineList, display_path, load_yaml

FUZZY_THRESHOLD = 84.0  # rapidfuzz ratio (0–100) for a typed answer to count as an option ("hermoarapportör")
FUZZY_MARGIN = 6.0  # two different options this close to each other: too ambiguous to pick
FUZZY_MIN_CHARS = 4  # shorter answers must match exactly ("ja", "nej", "1")
# "Hon heter Karin Berg", "det är Karin Berg": the words before a name that say it is one.
# "det e jag, Sara Lind", "its me – Sara Lind": the user, then their name.
NAME_LEAD_RE = re.compile(
    r"^(?:(?:det (?:är|ar|e) jag(?: själv| sjalv)?|jag(?: själv| sjalv)?|it'?s me|that'?s me|me)\s*[,:–-]+"
    r"|(?:hon|han|hen|personen|medarbetaren|chefen|jag|den nya \w+|my name|her name|his name)\s+(?:heter|is)"
    r"|det är|det ar|det e|namnet är|namnet ar|it is|it's)\s+",
    re.IGNORECASE,
)
# Where the new name starts in a correction: "hon heter Ida Eklund" ("ska vara Medicin Skene"
# in a description of a change is no name).
# "fel, det är inte Karin som blir chef utan Maria Berg": the name after "utan" once a
# negation came before it.
CORRECTED_NAME_RE = re.compile(
    r"\b(?:heter|hette|namnet är|namnet ar|name is|name's)\s+|\b(?:inte|ej|not)\b.*\b(?:utan|but)\s+", re.IGNORECASE
)
# … and with the word "namn" in it, also "fel namn, det ska vara Anna Svensson".
NAMED_AGAIN_RE = re.compile(
    r"\b(?:heter|hette|namnet är|namnet ar|name is|name's|ska vara|skulle vara|menade)\s+", re.IGNORECASE
)
# Where the new text starts in a correction of a description: "fel, det ska vara från chef
# till rapportör", "rätta: ändringen är …".
TEXT_CORRECTION_RE = re.compile(
    r"(?:\bdet ska vara|\bska vara|\bändringen är|\bandringen ar|\bmenade|\brättelse:|\brätta:|\brattelse:|\bratta:)\s*",
    re.IGNORECASE,
)
# Said of the future ("ska vara klar imorgon", "will be done"): a yes-word in it is no yes yet.
FUTURE_RE = re.compile(r"\b(?:ska|skall|kommer att|tanker|imorgon|i morgon|nasta vecka|will|tomorrow|next week)\b")
TEXT_CORRECTION_CUES = frozenset("fel ratta rattelse menade forlat oj sorry wrong egentligen".split())
# "vänta, hon heter Anna Bergström": the person named again, a correction without a word for it.
PERSON_NAMED_RE = re.compile(r"\b(?:hon|han|hen|personen|medarbetaren|she|he)\s+(?:heter|hette|is called)\s+", re.IGNORECASE)
# Words between a negation and what it negates: "inte vara chef", "inte hans chef".
NEGATED_FILLERS = "vara|bli|ar|som|en|ett|hans|hennes|hens|din|min|mitt|deras|den|det|heller"
INSTEAD_RE = re.compile(r" istallet (?!for )")
# "jo det är jag", "jag menade ja": the no just given taken back.
TAKE_BACK_RE = re.compile(r"(?:ok |okej |nej )?(?:jo\b|jag menade ja\b|menade ja\b|jag menar ja\b)")
FIRST_PERSON_IS_RE = re.compile(r"\bjag (?:ar|e)\b")
# Yes-words that say something is done, and the questions they answer ("Har … gjort …?",
# "Är blanketten ifylld?", "Har du anmält dig?", "Har du fått din behörighet?").
DONE_WORDS = frozenset("klar klart gjort fardig fardigt done".split())
DONE_CUE_RE = re.compile(r"\b(?:gjort|genomfort|ifylld|underskriven|klar|anmalt|fatt|skickat|done|finished)\b")
# "jag skrev fel namn", "tryckte fel": the user says an answer they gave was wrong.
SAID_WRONG_RE = re.compile(r"\b(?:skrev|skrivit|svarade|svarat|tryckte|tryckt|valde|valt|klickade|klickat) fel\b")
# "hon ska inte vara chef utan rapportör": what it is not, then what it is.
NOT_BUT_RE = re.compile(r"\b(?:inte|ej|not)\b.*\b(?:utan|but)\b")
# "jag är inte hans chef", "I'm not her manager": the user says what they are not.
FIRST_PERSON_NOT_RE = re.compile(r"\bjag (?:ar|e|har) (?:inte|ej)\b|\bi(?: a)?m not\b|\bi am not\b")
ASKS_YOU_RE = re.compile(r"\b(?:ar|har) du\b|\bare you\b")
OWN_WORD_MIN_LEN = 4  # a step's own word ("chef", "introduktion"); shorter ones are too common
STEP_WORD_PREFIX = 5  # letters that make a negated word the question's own ("godkänt" ~ "godkända")
ECHO_MIN_LEN = 4  # "ansvar" echoed from the question is dropped from a reference; "det" is not
BRACKETS_RE = re.compile(r"\([^()]*\)")
NAME_TRAILERS = frozenset("forresten alltsa btw tack ju da".split())  # small words after a name
REFERENCE_NUMBER_RE = re.compile(r"\b\d{3,}\b")  # an ansvar's number in a correction ("ska vara 4411")
# Where a name ends and a clause about the person begins: "Eva Lind och slutade i fredags".
NAME_TAIL_RE = re.compile(r"\s+(?:och|som|men|eftersom|who|and)\s+|\s*[,;–-]\s+(?=\S+\s+\S)", re.IGNORECASE)
TRIGGER_TYPO_MIN_LEN = 8  # a typed trigger this long may carry a typo ("behörihet")
PREFIX_MAX_WORDS = 6  # "ja det gör jag" counts as "ja"; longer sentences are not answers
MISSES_BEFORE_CANCEL_OFFER = 3
# Typed answers: a person's name, a short description (words), or a reference such as an
# ansvar's number or name (digits alone are fine there).
INPUT_LIMITS = {"name": 80, "text": 300, "reference": 120}  # max characters kept from a typed answer

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PLACEHOLDER_RE = re.compile(r"\{([a-z]+):([^{}]*)\}")
NAME_RE = re.compile(r"^[^\W\d_]+(?:[ '’.-]+[^\W\d_]+)*\.?$")
NAME_PART_RE = re.compile(r"[^\W\d_]+")  # the letters between spaces, hyphens and apostrophes
SENTINEL_RE = re.compile("\ue000(\\d+)\ue001")
NUMBER_RE = re.compile(r"^\d{1,2}$")
# A "name" that starts like a question is a question typed mid-flow ("vilken dag betalas
# lönen ut"), so it goes to the knowledge base instead of into the summary.
QUESTION_STARTS = frozenset("vad vem nar hur var vilken vilket vilka varfor kan far ska maste finns galler what who when how where which can".split())

# A typed description or reference opening with one of these, in a few words or more, is a
# question typed without "?" ("hur lång tid tar det"), not the answer to keep.
CONTAINED_MIN_LEN = 4  # an option word this long counts inside a short answer ("ja", "nej" don't)
ASKING_STARTS = frozenset("vad vem nar hur varfor vilken vilket vilka what who when how why which".split())
ASKING_MIN_WORDS = 3
# A yes/no question written without "?": a finite verb, then its subject ("måste det vara
# chefen", "kan man inte söka själv", "skriver hon under själv"), or "var" + a verb.
QUESTION_VERBS = frozenset(
    "kan maste ska skall far finns galler har ar behover brukar skriver funkar gar blir hinner vill bor borde "
    "do does can is are must should will did".split()
)
SUBJECT_PRONOUNS = frozenset("jag du man hon han hen vi ni det den dom de i you he she we they it".split())
# Words before a question that only open it ("ok men vem …", "sorry, …").
OPENING_FILLERS = frozenset("ok okej okey ja jo tack men sorry oj forlat och".split())
# A question added to a description after "men"/"och"/a comma ("från rapportör till chef, men
# hur lång tid tar det"): the description is not kept with a question in it. "när" may start
# a clause of the description itself ("…, när hon byter enhet"), "vilket" a relative one.
APPENDED_QUESTION_RE = re.compile(
    r"(?:,|\bmen\b|\boch\b|\bbut\b|\band\b)\s+(?:(?:men|och|but|and)\s+)?(?:hur|vad|vem|varfor|how|what|who|why)\s+\S+\s+\S+"
)

FLOW_KEYS = {"id": True, "title": True, "steps": True, "triggers": False, "description": False}
STEP_KEYS = {"id", "text", "choices", "input", "next", "end", "branch", "summary", "help"}
KIND_KEYS = ("choices", "input", "branch", "summary")
CHOICE_KEYS = {"value", "label", "aliases", "next", "workplace"}
WORKPLACES = ("sas", "elsewhere")  # what a choice can stand for: working at SÄS, or elsewhere
BLOCK_KEYS = {"title", "text", "checklist", "email", "when", "offer_flow", "offer_answers"}
ITEM_KEYS = {"text", "done", "when"}
EMAIL_KEYS = ("to", "subject", "body")
INPUT_KINDS = ("name", "text", "reference")
TEXTS_KEYS = {"texts", "engine", "commands", "labels", "aliases", "words"}
COMMANDS = ("back", "restart", "cancel", "continue")
# The engine's own words; each must exist under `engine:` in _texts.yaml.
ENGINE_TEXTS = (
    "commands_hint", "invalid_choice", "invalid_name", "invalid_text", "invalid_reference", "cancel_offer", "continue_label",
    "cancel_label", "continued", "back", "back_at_first", "restarted", "cancelled", "restart_label", "switched_flow",
    "stale_card", "version_changed", "flow_gone", "unanswered", "checklist_done", "checklist_todo",
    "checklist_next", "checklist_all_done", "email", "start_flow_label", "already_in_flow", "carried",
    "carried_sas", "carried_elsewhere", "workplace_changed", "corrected", "correction_unclear",
)  # fmt: skip

Expand = Callable[[str], str]
CheckRef = Callable[[str], "str | None"]


def normalise(text: str) -> str:
    """Casefolded, å/ä/ö-folded words without punctuation: "Inte klar!" → "inte klar"."""
    return " ".join(tokens(text))


# --- the model ---------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    aliases: tuple[str, ...]
    next: str
    workplace: str = ""  # "sas"/"elsewhere": a statement of where one works answers with this choice


@dataclass(frozen=True)
class Block:
    """One message of a summary; `checklist` items are (text, done-condition, when-condition)."""

    title: str = ""
    text: str = ""
    checklist: tuple[tuple[str, dict | None, dict | None], ...] = ()
    email: dict[str, str] | None = None
    when: dict | None = None
    offer_flow: str | None = None
    # Answers the offered flow starts with ({step: value}, placeholders allowed): what this
    # flow already knows is not asked again ("namn: '{answer:namn}'").
    offer_answers: dict[str, str] | None = None


@dataclass(frozen=True)
class Step:
    id: str
    kind: str  # say | choices | input | branch | summary
    text: str = ""
    help: str = ""
    next: str | None = None
    end: bool = False
    options: tuple[Option, ...] = ()
    input: str = ""
    branch: tuple[tuple[dict | None, str], ...] = ()
    blocks: tuple[Block, ...] = ()

    @property
    def asks(self) -> bool:
        return self.kind in ("choices", "input")

    def targets(self) -> list[str]:
        found = [self.next] if self.next else []
        return found + [o.next for o in self.options] + [target for _, target in self.branch]


@dataclass
class Flow:
    id: str
    title: str
    description: str
    triggers: list[str]
    steps: dict[str, Step]  # in file order; the first is where the flow starts
    version: str
    path: str
    lines: dict[str, int] = field(default_factory=dict)  # where id: and triggers: stand, for messages

    @property
    def first(self) -> str:
        return next(iter(self.steps))


@dataclass
class FlowTurn:
    messages: list[Message]
    state: dict | None  # JSON-serialisable; None when the flow ended (finished or cancelled)
    finished: bool = False  # True when it reached its summary
    workplace: str = ""  # "sas"/"elsewhere" when this turn's answer was a choice saying where one works


def _said(word: str, said: list[str]) -> bool:
    """A trigger word is in the text, also inflected ("avsluta" in "avslutar", "ändra" in
    "ändrar"): a longer word matches by its stem less the last letter."""
    stem = word[:-1] if len(word) >= 5 else word
    return any(w == word or (len(word) >= 5 and w.startswith(stem)) for w in said)


def holds(condition: dict | None, answers: dict[str, str]) -> bool:
    """True when every `step: value|[values]` of a when/done condition matches the answers."""
    if condition is None:
        return True
    return all(
        answers.get(step) in (want if isinstance(want, list) else [want]) for step, want in condition.items()
    )


# --- loading and validation -----------------------------------------------------------


@dataclass
class FlowSet:
    """All flows of a directory plus the shared texts, validated together."""

    flows: dict[str, Flow]
    texts: dict[str, Any]  # the parsed _texts.yaml: engine, commands, labels, aliases, texts
    warnings: list[ContentError] = field(default_factory=list)

    @classmethod
    def load(cls, directory: Path, check_ref: CheckRef) -> FlowSet:
        """Load dialogs/; raises ContentInvalid carrying every error found, not just the first."""
        flowset, problems = cls.parse(directory, check_ref)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise ContentInvalid(errors)
        return flowset

    @classmethod
    def parse(cls, directory: Path, check_ref: CheckRef) -> tuple[FlowSet, list[ContentError]]:
        """Like load, but returns the problems instead of raising (for `flows check`)."""
        loader = _Loader(directory, check_ref)
        flowset = loader.run()
        flowset.warnings = [p for p in loader.problems if p.severity == "warning"]
        return flowset, loader.problems

    def get(self, flow_id: str) -> Flow | None:
        return self.flows.get(flow_id)

    def match_trigger(self, text: str) -> str | None:
        """The flow a command starts ("ny behörighet", "Avsluta behorighet!"), or one a slip
        away ("behörihet"): one edit in a trigger of 8 letters or more."""
        key = normalise(text or "")
        if not key:
            return None
        if key in self._trigger_index:
            return self._trigger_index[key]
        if len(key) < TRIGGER_TYPO_MIN_LEN:
            return None
        limit = 1  # "avsluta behorighet heroma" is no slip of "avsluta behörighet i heroma"
        # Every message comes here: only triggers of about its length are compared at all.
        close = {
            self._trigger_index[t]
            for t in self._trigger_index
            if len(t) >= TRIGGER_TYPO_MIN_LEN
            and abs(len(t) - len(key)) <= limit
            and OSA.distance(key, t, score_cutoff=limit) <= limit
        }
        return close.pop() if len(close) == 1 else None

    def match_guide_request(self, text: str, switching: bool = False) -> str | None:
        """The flow asked for in a request for a guide ("jag vill ha en guide för behörighet",
        "guida mig genom att avsluta en behörighet"): a guide word (_texts.yaml, words:
        guide_request) and the trigger with the most words all in the text. None without either.
        ``switching`` (mid-guide): a word for changing one's mind counts too ("vänta, jag vill
        hellre ändra en behörighet"; words: switch_request)."""
        key = f" {normalise(text or '')} "
        wanted = (*self._guide_words, *self._switch_words) if switching else self._guide_words
        # "avsluta istället, hon har slutat": "istället" alone changes one's mind; "istället
        # för chef" in a description does not.
        instead = switching and bool(INSTEAD_RE.search(key))
        if not any(f" {w} " in key for w in wanted) and not instead:
            return None
        said = key.split()
        guide_word = any(f" {w} " in key for w in self._guide_words)
        inside = [
            t
            for t in self._trigger_index
            if all(_said(w, said) for w in t.split()) and (guide_word or len(t.split()) > 1)  # "avslutar en behörighet"
        ]
        if not inside and instead:
            # the guide's verb opening the message ("avsluta istället …") names it
            inside = [t for t in self._trigger_index if len(t.split()) > 1 and _said(t.split()[0], said[:1])]
            if len({self._trigger_index[t] for t in inside}) != 1:
                return None
        return self._trigger_index[max(inside, key=lambda t: (len(t.split()), len(t)))] if inside else None

    def is_guide_request(self, text: str) -> bool:
        """Just a guide word ("guida mig", "kan du guida mig?"): the caller lists the guides."""
        key = f" {normalise(text or '')} "
        return any(f" {w} " in key for w in self._guide_words)

    def word_list(self, name: str) -> frozenset[str]:
        """A word list of _texts.yaml (``words: name``), normalised; "?" becomes "" (a bare
        "?" is one of the not-answers)."""
        return frozenset(normalise(w) for w in self.texts["words"].get(name, []))

    @cached_property
    def _switch_words(self) -> tuple[str, ...]:
        return tuple(w for w in self.word_list("switch_request") if w)

    @cached_property
    def _guide_words(self) -> tuple[str, ...]:
        return tuple(w for w in self.word_list("guide_request") if w)

    @cached_property
    def not_names(self) -> frozenset[str]:
        """Normalised words that are never part of a name (_texts.yaml, words: not_a_name)."""
        return self.word_list("not_a_name")

    @cached_property
    def name_titles(self) -> frozenset[str]:
        """Normalised titles that may stand before a name ("enhetschef Per Holm"; words: name_titles)."""
        return self.word_list("name_titles")

    @cached_property
    def not_answers(self) -> frozenset[str]:
        """Normalised whole replies that answer no text step (_texts.yaml, words: not_an_answer)."""
        return self.word_list("not_an_answer")

    @cached_property
    def _trigger_index(self) -> dict[str, str]:
        """Normalised trigger → flow id, built once (every turn asks)."""
        index: dict[str, str] = {}
        for flow in self.flows.values():
            for trigger in flow.triggers:
                index.setdefault(normalise(trigger), flow.id)
        return index

    def check(self) -> list[ContentError]:
        """Warnings of a loaded set (errors already stopped load)."""
        return list(self.warnings)


# What each content problem says; {names} are filled in. Every message ends with how to fix it.
PROBLEMS = {
    "no_flows": "hittade inga flöden (*.yaml) i katalogen; lägg till minst ett",
    "no_texts": "filen saknas; den innehåller guidernas gemensamma texter (engine, commands, labels, aliases, texts)",
    "texts_shape": "filen ska ha blocken engine:, commands:, labels:, aliases: och texts:",
    "texts_block": "okänt block '{key}'; tillåtna: aliases, commands, engine, labels, texts",
    "texts_mapping": "'{key}:' ska vara ett block med nyckel: värde",
    "word_list": '{key} ska vara en lista med ord, t.ex. [ja, japp]; skriv yes/no/on/off inom citattecken: "yes"',
    "not_text": "{key} ska vara en text",
    "engine_unknown": "okänd text engine.{key}; kända: {known}",
    "engine_missing": "texten engine.{key} saknas; lägg till '{key}: …' under engine:",
    "command_missing": "kommandot commands.{key} saknas; lägg till '{key}: [ord, …]'",
    "flow_shape": "ett flöde ska börja med id:, title: och steps:",
    "flow_key": "okänd nyckel '{key}' i flödet; tillåtna: id, title, description, triggers, steps",
    "flow_missing": "flödet saknar '{key}:'; lägg till det",
    "flow_file": "id '{id}' ska vara samma som filnamnet; byt namn på filen till {id}.yaml",
    "flow_twice": "flödet '{id}' finns redan i {other}; byt id i en av filerna",
    "triggers": "triggers ska vara en lista med ord, t.ex. [ny behörighet]",
    "no_triggers": "flödet har inga triggers; det kan bara startas från en knapp",
    "trigger_taken": "triggern '{trigger}' används redan av {other}; välj en annan",
    "steps": "steps ska vara en lista med steg (- id: …)",
    "step_shape": "varje steg ska vara ett block som börjar med '- id: stegnamn'",
    "step_id": "steg-id '{id}' får bara ha a–z, 0–9 och bindestreck",
    "step_twice": "steg-id '{id}' finns redan på rad {first}; byt id",
    "step_key": "okänd nyckel '{key}' i steget '{id}'; tillåtna: {known}",
    "two_kinds": "steget '{id}' har både {kinds}; ett steg gör en sak – dela upp det",
    "no_text": "steget '{id}' saknar text; lägg till 'text:' med det boten ska säga eller fråga",
    "say_next": "steget '{id}' ska ha antingen 'next: steg' eller 'end: true'",
    "unused_key": "'{key}' används inte i ett {kind}-steg ('{id}'); ta bort det",
    "end_key": "'end' gäller bara steg som bara säger något; ta bort det i '{id}'",
    "input_next": "inmatningssteget '{id}' saknar 'next:'; ange vilket steg som kommer efter svaret",
    "input_kind": "input måste vara en av name, text, reference – inte '{kind}'",
    "choices": "choices i '{id}' ska vara en lista med alternativ (- value: …)",
    "choice_value": "varje alternativ behöver 'value:' (t.ex. value: ja)",
    "choice_key": "okänd nyckel '{key}' i alternativet; tillåtna: aliases, label, next, value, workplace",
    "workplace": "workplace ska vara sas eller elsewhere (svaret när någon säger att de jobbar på SÄS eller någon annanstans), inte '{value}'",
    "choice_label": "alternativet '{value}' saknar label; skriv 'label: …' eller lägg '{value}' under labels: i _texts.yaml",
    "choice_next": "alternativet '{value}' i '{id}' leder ingenstans; lägg till 'next:' på alternativet eller steget",
    "aliases": 'aliases ska vara en lista med ord; skriv yes/no inom citattecken: "yes"',
    "choice_twice": "värdet '{value}' finns redan i steget '{id}'; varje alternativ behöver ett eget",
    "ambiguous": "'{word}' passar både '{one}' och '{other}' i steget '{id}'; ta bort det ena",
    "branch": "branch ska vara en lista: - when: {{steg: värde}} / next: steg, och sist - next: steg",
    "route": "varje gren ska ha 'next: steg' och kan ha 'when: {{steg: värde}}'",
    "route_order": "en gren utan 'when' gäller alltid; lägg den sist, annars nås grenarna efter den aldrig",
    "no_default": "branch i '{id}' saknar en sista gren utan 'when' (annars-fallet); lägg till '- next: steg'",
    "summary": "summary ska vara en lista med block (- title: … / text: … / checklist: … / email: …)",
    "block_shape": "varje block i summary ska ha nycklar som title:, text:, checklist: eller email:",
    "block_key": "okänd nyckel '{key}' i summary; tillåtna: checklist, email, offer_flow, text, title, when",
    "block_empty": "blocket säger ingenting; lägg till text:, checklist: eller email:",
    "item": "en punkt i checklist ska ha 'text:' och kan ha 'done:' och 'when:'",
    "email": "email ska ha exakt to, subject och body",
    "target": "steget '{id}' pekar på '{target}' som inte finns; kända steg: {known}",
    "unreachable": "steget '{id}' nås aldrig från första steget; peka på det med next: eller ta bort det",
    "no_end": "flödet har inget slut; lägg till ett steg med 'summary:' eller 'end: true'",
    "dead_end": "från steget '{id}' går det inte att komma till ett slut; ändra next: så att flödet kan ta slut",
    "condition": "villkoret ska vara ett block {{steg: värde}} eller {{steg: [värde, värde]}}",
    "condition_step": "villkoret nämner '{id}', som inte är en fråga i flödet; använd ett steg med choices: eller input:",
    "condition_value": "'{value}' är inget alternativ i '{id}'; välj bland {known} (eller ~ för 'steget frågades inte')",
    "answer_ref": "{ref}: '{id}' är ingen fråga i flödet; använd id:t på ett steg med choices: eller input:",
    "text_ref": "{ref}: texten '{id}' finns inte under texts: i _texts.yaml",
    "offer_flow": "offer_flow: flödet '{id}' finns inte; kända: {known}",
    "offer_answers": "offer_answers ska vara steg: värde för flödet i offer_flow (t.ex. namn: '{{answer:namn}}')",
    "offer_answer_step": "offer_answers: '{id}' är ingen fråga i flödet '{flow}'; kända frågor: {known}",
    "offer_answer_value": "offer_answers: '{value}' är inget alternativ i '{id}' i flödet '{flow}'; välj bland {known}",
}  # fmt: skip


class _Loader:
    """Reads _texts.yaml and every flow file, collecting all problems with file:line."""

    def __init__(self, directory: Path, check_ref: CheckRef):
        self.directory = directory
        self.check_ref = check_ref
        self.problems: list[ContentError] = []
        self.path = ""

    def error(self, line: int, problem: str, path: str | None = None, **values: Any) -> None:
        message = PROBLEMS[problem].format(**values) if problem in PROBLEMS else problem
        self.problems.append(ContentError(path or self.path, line, message))

    def warn(self, line: int, problem: str) -> None:
        self.problems.append(ContentError(self.path, line, PROBLEMS[problem], severity="warning"))

    def read(self, path: Path) -> Any:
        self.path = display_path(path)
        try:
            return load_yaml(path)
        except ContentInvalid as exc:
            self.problems.extend(exc.errors)
            return None

    def run(self) -> FlowSet:
        texts = self.load_texts(self.directory / "_texts.yaml")
        flows: dict[str, Flow] = {}
        offers: list[tuple[str, int, str, dict | None]] = []
        files = sorted(p for p in self.directory.glob("*.yaml") if not p.name.startswith("_"))
        if not files:
            self.error(1, "no_flows", display_path(self.directory))
        for path in files:
            flow = self.load_flow(path, texts, offers)
            if flow is not None and flow.id in flows:
                self.error(flow.lines["id"], "flow_twice", id=flow.id, other=flows[flow.id].path)
            elif flow is not None:
                flows[flow.id] = flow
        taken = {
            normalise(w): "ett kommando i _texts.yaml" for words in texts["commands"].values() for w in words
        }
        for flow in flows.values():
            for trigger in flow.triggers:
                other = taken.setdefault(normalise(trigger), flow.id)
                if other != flow.id:
                    self.error(
                        flow.lines["triggers"], "trigger_taken", flow.path, trigger=trigger, other=other
                    )
        for path, line, target, carried in offers:
            if target not in flows:
                self.error(line, "offer_flow", path, id=target, known=", ".join(sorted(flows)))
            else:
                self.check_offer_answers(path, line, flows[target], carried or {})
        return FlowSet(flows, texts)

    # _texts.yaml ---------------------------------------------------------------------

    def load_texts(self, path: Path) -> dict[str, Any]:
        texts: dict[str, Any] = {key: {} for key in TEXTS_KEYS}
        data = self.read(path)
        if not isinstance(data, LineDict):
            if not path.exists() or data is not None:
                self.error(1, "no_texts" if not path.exists() else "texts_shape")
            return texts
        for key, block in data.items():
            if key not in TEXTS_KEYS:
                self.error(data.line_of(str(key)), "texts_block", key=key)
            elif not isinstance(block, LineDict):
                self.error(data.line_of(key), "texts_mapping", key=key)
            else:
                for name, value in block.items():
                    self.shared_text(texts, key, str(name), value, block.line_of(str(name)))
        engine = data.get("engine") if isinstance(data.get("engine"), LineDict) else LineDict()
        for key in set(texts["engine"]) - set(ENGINE_TEXTS):
            self.error(engine.line_of(key), "engine_unknown", key=key, known=", ".join(ENGINE_TEXTS))
        for key in ENGINE_TEXTS:
            if key not in texts["engine"]:
                self.error(data.line_of("engine"), "engine_missing", key=key)
        for key in COMMANDS:
            if key not in texts["commands"]:
                self.error(data.line_of("commands"), "command_missing", key=key)
        return texts

    def shared_text(self, texts: dict[str, Any], block: str, name: str, value: Any, line: int) -> None:
        if block in ("commands", "aliases", "words"):
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                return self.error(line, "word_list", key=f"{block}.{name}")
            texts[block][name] = list(value)
        elif not (isinstance(value, str) and value.strip()):
            return self.error(line, "not_text", key=f"{block}.{name}")
        else:
            texts[block][name] = value.strip()
        for text in texts[block][name] if block in ("commands", "aliases", "words") else [value]:
            self.check_placeholders(text, line, {}, {})  # no {answer:} or {text:} inside shared texts

    # one flow file -------------------------------------------------------------------

    def load_flow(self, path: Path, texts: dict[str, Any], offers: list) -> Flow | None:
        data = self.read(path)
        if not isinstance(data, LineDict):
            if data is not None:
                self.error(1, "flow_shape")
            return None
        for key in data:
            if key not in FLOW_KEYS:
                self.error(data.line_of(str(key)), "flow_key", key=key)
        for key, required in FLOW_KEYS.items():
            if required and not data.get(key):
                self.error(data.line, "flow_missing", key=key)
        flow_id = str(data.get("id") or path.stem)
        if flow_id != path.stem:
            self.error(data.line_of("id"), "flow_file", id=flow_id)
        triggers = data.get("triggers") or []
        if not isinstance(triggers, list) or not all(isinstance(t, str) and normalise(t) for t in triggers):
            self.error(data.line_of("triggers"), "triggers")
            triggers = []
        elif not triggers:
            self.warn(data.line, "no_triggers")
        raw_steps = data.get("steps")
        if not isinstance(raw_steps, LineList) or not raw_steps:
            if raw_steps is not None:
                self.error(data.line_of("steps"), "steps")
            return None
        steps: dict[str, Step] = {}
        lines: dict[str, int] = {}
        for index, node in enumerate(raw_steps):
            step = self.parse_step(node, raw_steps.line_of(index), texts)
            if step is not None and step.id in steps:
                self.error(node.line, "step_twice", id=step.id, first=lines[step.id])
            elif step is not None:
                steps[step.id], lines[step.id] = step, node.line
        self.check_graph(steps, lines, raw_steps)
        for node in raw_steps:
            if isinstance(node, LineDict):
                self.check_refs(node, steps, texts, offers)
        version = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        return Flow(flow_id, str(data.get("title") or flow_id), str(data.get("description") or ""),
                    list(triggers), steps, version[:12], self.path,
                    {"id": data.line_of("id"), "triggers": data.line_of("triggers")})  # fmt: skip

    def parse_step(self, node: Any, line: int, texts: dict[str, Any]) -> Step | None:
        if not isinstance(node, LineDict) or not isinstance(node.get("id"), str):
            self.error(line, "step_shape")
            return None
        sid = node["id"]
        if not ID_RE.match(sid):
            self.error(line, "step_id", id=sid)
        for key in node:
            if key not in STEP_KEYS:
                self.error(
                    node.line_of(str(key)), "step_key", key=key, id=sid, known=", ".join(sorted(STEP_KEYS))
                )
        kinds = [k for k in KIND_KEYS if k in node]
        if len(kinds) > 1:
            self.error(line, "two_kinds", id=sid, kinds=" och ".join(kinds))
        kind = kinds[0] if kinds else "say"
        text = node.get("text") if isinstance(node.get("text"), str) else ""
        if kind in ("say", "choices", "input") and not text.strip():
            self.error(line, "no_text", id=sid)
        for key in ("text", "next", "help"):
            if kind in ("branch", "summary") and key in node:
                self.error(node.line_of(key), "unused_key", key=key, kind=kind, id=sid)
        nxt, end = node.get("next"), node.get("end", False) is True
        if kind == "say" and bool(nxt) == end:
            self.error(line, "say_next", id=sid)
        if "end" in node and kind != "say":
            self.error(node.line_of("end"), "end_key", id=sid)
        if kind == "input" and nxt is None:
            self.error(line, "input_next", id=sid)
        step = Step(sid, kind, text.strip(), str(node.get("help") or "").strip(), nxt, end)
        if kind == "choices":
            return self.parse_options(node, step, texts)
        if kind == "input" and node["input"] not in INPUT_KINDS:
            self.error(node.line_of("input"), "input_kind", kind=node["input"])
        if kind == "input":
            return replace(step, input=str(node["input"]))
        if kind == "branch":
            return self.parse_branch(node, step)
        if kind == "summary":
            return self.parse_summary(node, step)
        return step

    def parse_options(self, node: LineDict, step: Step, texts: dict[str, Any]) -> Step:
        raw = node["choices"]
        if not isinstance(raw, LineList) or not raw:
            self.error(node.line_of("choices"), "choices", id=step.id)
            return step
        options: list[Option] = []
        owner: dict[str, str] = {}  # normalised word → the option it selects
        for i, item in enumerate(raw):
            line = raw.line_of(i)
            if not isinstance(item, LineDict) or not isinstance(item.get("value"), str):
                self.error(line, "choice_value")
                continue
            for key in item:
                if key not in CHOICE_KEYS:
                    self.error(item.line_of(str(key)), "choice_key", key=key)
            value = item["value"]
            label = str(item.get("label") or texts["labels"].get(value, ""))
            if not label:
                self.error(line, "choice_label", value=value)
            nxt = item.get("next") or step.next
            if not nxt:
                self.error(line, "choice_next", value=value, id=step.id)
            aliases = item.get("aliases") or []
            if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
                self.error(item.line_of("aliases"), "aliases")
                aliases = []
            aliases = [*aliases, *texts["aliases"].get(value, [])]
            if value in (o.value for o in options):
                self.error(line, "choice_twice", value=value, id=step.id)
            for word in [value, label, *aliases]:
                one = owner.setdefault(normalise(word), value)
                if one != value:
                    self.error(line, "ambiguous", word=word, one=one, other=value, id=step.id)
            workplace = item.get("workplace", "")
            if workplace and workplace not in WORKPLACES:
                self.error(item.line_of("workplace"), "workplace", value=workplace)
                workplace = ""
            options.append(Option(value, label, tuple(aliases), str(nxt or ""), str(workplace)))
        return replace(step, options=tuple(options))

    def parse_branch(self, node: LineDict, step: Step) -> Step:
        raw = node["branch"]
        if not isinstance(raw, LineList) or not raw:
            self.error(node.line_of("branch"), "branch")
            return step
        routes: list[tuple[dict | None, str]] = []
        for i, item in enumerate(raw):
            if not isinstance(item, LineDict) or not item.get("next") or set(item) - {"when", "next"}:
                self.error(raw.line_of(i), "route")
                continue
            if "when" not in item and i < len(raw) - 1:
                self.error(raw.line_of(i), "route_order")
            when = item.get("when")
            routes.append((when if isinstance(when, dict) else None, str(item["next"])))
        if isinstance(raw[-1], LineDict) and "when" in raw[-1]:
            self.error(raw.line_of(len(raw) - 1), "no_default", id=step.id)
        return replace(step, branch=tuple(routes))

    def parse_summary(self, node: LineDict, step: Step) -> Step:
        raw = node["summary"]
        if not isinstance(raw, LineList) or not raw:
            self.error(node.line_of("summary"), "summary")
            return step
        blocks: list[Block] = []
        for i, item in enumerate(raw):
            if not isinstance(item, LineDict):
                self.error(raw.line_of(i), "block_shape")
                continue
            for key in item:
                if key not in BLOCK_KEYS:
                    self.error(item.line_of(str(key)), "block_key", key=key)
            if not any(item.get(k) for k in ("text", "checklist", "email")):
                self.error(raw.line_of(i), "block_empty")
            items = []
            checklist = item.get("checklist") or LineList()
            for j, entry in enumerate(checklist):
                if not isinstance(entry, LineDict) or not entry.get("text") or set(entry) - ITEM_KEYS:
                    self.error(checklist.line_of(j), "item")
                else:
                    items.append((str(entry["text"]).strip(), entry.get("done"), entry.get("when")))
            email = item.get("email")
            if email is not None and not (isinstance(email, dict) and set(email) == set(EMAIL_KEYS)):
                self.error(item.line_of("email"), "email")
                email = None
            email = {k: str(v).strip() for k, v in email.items()} if email else None
            title, text = str(item.get("title") or "").strip(), str(item.get("text") or "").strip()
            carried = item.get("offer_answers")
            if carried is not None and not (
                isinstance(carried, dict)
                and item.get("offer_flow")
                and all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in carried.values())
            ):
                self.error(item.line_of("offer_answers"), "offer_answers")
                carried = None
            carried = {str(k): str(v).strip() for k, v in carried.items()} if carried else None
            blocks.append(
                Block(title, text, tuple(items), email, item.get("when"), item.get("offer_flow"), carried)
            )
        return replace(step, blocks=tuple(blocks))

    def check_graph(self, steps: dict[str, Step], lines: dict[str, int], raw: LineList) -> None:
        """Unknown targets, unreachable steps, and steps from which no end can be reached."""
        if not steps:
            return
        for step in steps.values():
            for target in step.targets():
                if target and target not in steps:
                    self.error(lines[step.id], "target", id=step.id, target=target, known=", ".join(steps))
        reachable, todo = set(), [next(iter(steps))]
        while todo:
            sid = todo.pop()
            if sid in steps and sid not in reachable:
                reachable.add(sid)
                todo.extend(steps[sid].targets())
        for sid in steps:
            if sid not in reachable:
                self.error(lines[sid], "unreachable", id=sid)
        finishing = {s.id for s in steps.values() if s.end or s.kind == "summary"}
        if not finishing:
            return self.error(raw.line, "no_end")
        grew = True
        while grew:
            more = {s.id for s in steps.values() if any(t in finishing for t in s.targets())} - finishing
            finishing |= more
            grew = bool(more)
        for sid in sorted(reachable - finishing):
            self.error(lines[sid], "dead_end", id=sid)

    def check_refs(self, node: LineDict, steps: dict[str, Step], texts: dict[str, Any], offers: list) -> None:
        """Placeholders, when/done conditions and offered flows anywhere in one step's definition."""
        if isinstance(node, str):
            return
        for key, value in node.items() if isinstance(node, LineDict) else enumerate(node):
            line = node.line_of(key)
            if key in ("when", "done"):
                self.check_condition(value, line, steps)
            elif key == "offer_flow":
                carried = node.get("offer_answers") if isinstance(node, LineDict) else None
                offers.append((self.path, line, str(value), carried if isinstance(carried, dict) else None))
            elif isinstance(value, str) and key not in ("id", "next", "value", "input"):
                self.check_placeholders(value, line, steps, texts["texts"])
            elif isinstance(value, (LineDict, LineList)):
                self.check_refs(value, steps, texts, offers)

    def check_offer_answers(self, path: str, line: int, target: Flow, carried: dict) -> None:
        """Each carried answer names a question of the offered flow, and a fixed choice is one of its options."""
        questions = {sid: step for sid, step in target.steps.items() if step.asks}
        for sid, value in carried.items():
            step = questions.get(str(sid))
            if step is None:
                self.error(line, "offer_answer_step", path, id=sid, flow=target.id, known=", ".join(sorted(questions)))
            elif step.kind == "choices" and "{" not in str(value) and str(value) not in [o.value for o in step.options]:
                known = ", ".join(o.value for o in step.options)
                self.error(line, "offer_answer_value", path, value=value, id=sid, flow=target.id, known=known)

    def check_condition(self, condition: Any, line: int, steps: dict[str, Step]) -> None:
        if not isinstance(condition, dict) or not condition:
            return self.error(line, "condition")
        for sid, wanted in condition.items():
            step = steps.get(sid)
            if step is None or not step.asks:
                self.error(line, "condition_step", id=sid)
                continue
            known = sorted(o.value for o in step.options)
            for value in wanted if isinstance(wanted, list) else [wanted]:
                if step.kind == "choices" and value is not None and value not in known:
                    self.error(line, "condition_value", value=value, id=sid, known=", ".join(known))

    def check_placeholders(
        self, text: str, line: int, steps: dict[str, Step], shared: dict[str, str]
    ) -> None:
        for match in PLACEHOLDER_RE.finditer(text):
            kind, ref = match.groups()
            if kind == "answer" and not (ref in steps and steps[ref].asks):
                self.error(line, "answer_ref", ref=match.group(0), id=ref)
            elif kind == "text" and ref not in shared:
                self.error(line, "text_ref", ref=match.group(0), id=ref)
            elif kind not in ("answer", "text"):
                problem = self.check_ref(match.group(0))
                if problem:
                    self.error(line, problem)


# --- the engine -----------------------------------------------------------------------


# Words right after a leading "ja"/"nej" that turn to something else: "nej förresten, …".
TURNING_WORDS = frozenset("forresten fast vanta btw forlat oj sorry ursakta".split())


def _turns_away(rest: str) -> bool:
    """Whether the words after a leading option word turn away from the question."""
    first = rest.split(" ", 1)[0] if rest else ""
    return fold(first) in TURNING_WORDS


def _option_words(step: Step) -> list[tuple[str, Option]]:
    """Every word that names one of the step's options (value, label, aliases), normalised.
    A yes that says something is done ("klar", "gjort") is a yes only to a question about
    something done: "ok klar nu" is no answer to "Är du ansvarig chef …?"."""
    asks_done = bool(DONE_CUE_RE.search(normalise(_question_sentence(step))))
    return [
        (normalise(w), o)
        for o in step.options
        for w in (o.value, o.label, *o.aliases)
        if asks_done or o.value != "ja" or w in (o.value, o.label) or normalise(w) not in DONE_WORDS
    ]


def _question_sentence(step: Step) -> str:
    """The step's question: its last sentence with a "?" (the text before it explains)."""
    sentences = [p for p in re.split(r"(?<=[.!?])\s+", (step.text or "").strip()) if p]
    asking = [p for p in sentences if "?" in p]
    return (asking or sentences or [""])[-1]


def _question_words(step: Step) -> set[str]:
    return {w for w in tokens(_question_sentence(step)) if len(w) >= OWN_WORD_MIN_LEN and w not in STOPWORDS}


def _option_tokens(option: Option) -> set[str]:
    return {w for text in (option.value, option.label, *option.aliases) for w in tokens(text)}


def said_first(text: str) -> str:
    """The first word of a typed answer, normalised ("Fel, Per Holmberg" → "fel")."""
    return (normalise(text).split() or [""])[0]


def without_echo(answer: str, question: str) -> str:
    """A reference without the question's own word before it: "ansvar 4521 kirurgen" to
    "Vilket ansvar gäller det?" is "4521 kirurgen" (the summary says "Ansvar: …" itself)."""
    first, _, rest = answer.partition(" ")
    word = normalise(first.rstrip(":"))
    echoed = len(word) >= ECHO_MIN_LEN and word not in STOPWORDS and word in set(tokens(question))
    return rest.lstrip(" :") if rest.strip(" :") and echoed else answer


def looks_like_question(text: str, anywhere: bool = True) -> bool:
    """Whether a typed answer is really a question: a "?", a question word (``anywhere``:
    "krypterat mejl hur gör man det"; else only first, since a description may say "när"),
    "var" + a verb first ("var hittar jag blanketten"), or a verb before its subject
    ("måste det vara chefen"), after any opening fillers ("ok men vem …")."""
    if "?" in text:
        return True
    words = normalise(text).split()
    if anywhere and any(w in ASKING_STARTS for w in words):
        return True
    while words and words[0] in OPENING_FILLERS:
        words = words[1:]
    if words and words[0] in ASKING_STARTS:
        return True
    if len(words) >= 2 and words[0] == "var":
        return True
    return len(words) >= 2 and words[0] in QUESTION_VERBS and words[1] in SUBJECT_PRONOUNS


def _names_several(words: list[tuple[str, Option]], said: str) -> bool:
    """Whether the answer holds words (not short ones like "ja") of more than one option; a
    word inside another option's longer one ("klart" in "inte klart") doesn't count."""
    found = [(w, o) for w, o in words if len(w) >= CONTAINED_MIN_LEN and f" {w} " in f" {said} "]
    own = {o.value for w, o in found if not any(w != longer and f" {w} " in f" {longer} " for longer, _ in found)}
    return len(own) > 1


class FlowEngine:
    """Runs flows over a stored state dict: start, answer, commands, misses, re-asks."""

    def __init__(self, flows: FlowSet, expand: Expand, fuzzy_threshold: float = FUZZY_THRESHOLD):
        self.flows = flows
        self.expand = expand
        self.fuzzy_threshold = fuzzy_threshold
        self._commands = {
            normalise(w): name for name, words in flows.texts["commands"].items() for w in words
        }

    # public API ------------------------------------------------------------------------

    def text(self, key: str, **values: str) -> str:
        """An engine text from _texts.yaml with {name} values filled and contacts expanded."""
        return self._render(self.flows.texts["engine"][key], None, {}, values)

    def start(
        self, flow_id: str, now: datetime, known: dict[str, str] | None = None, at_sas: bool | None = None
    ) -> FlowTurn:
        """The flow's first question (after any say steps); KeyError for an unknown id – check get() first.

        ``known``: answers another guide already has ({step: value}); a step they answer
        validly is taken as answered (and "tillbaka" can still reach it), not asked.
        ``at_sas``: the user already said whether they work at SÄS; the guide's workplace
        question (a choice with ``workplace:``) is answered with it, and the guide says so."""
        flow = self.flows.flows[flow_id]
        state = {"flow": flow.id, "version": flow.version, "step": flow.first, "answers": {},
                 "history": [], "misses": 0, "updated": now.isoformat()}  # fmt: skip
        carried = {
            k: v for k, v in (known or {}).items() if k in flow.steps and self._fits(flow.steps[k], v) is not None
        }
        placed = {k: v for k, v in self.workplace_answers(flow_id, at_sas).items() if k not in carried} if at_sas is not None else {}
        if carried or placed:  # kept in the state until the walk reaches each step (which uses them up)
            state["carried"] = {**placed, **carried}
        turn = self._walk(flow, state, [])
        if placed:
            turn.messages.insert(0, Message(text=self.text("carried_sas" if at_sas else "carried_elsewhere")))
        if carried:
            turn.messages.insert(0, Message(text=self.text("carried")))
        return turn

    def is_current(self, state: dict) -> bool:
        """False when the stored flow, its version or its step no longer exists."""
        try:
            flow = self.flows.flows[state["flow"]]
            return (flow.version == state["version"] and flow.steps[state["step"]].asks
                    and isinstance(state["answers"], dict) and isinstance(state["history"], list))  # fmt: skip
        except (KeyError, TypeError):
            return False

    def handle(self, state: dict, text: str | None, value: dict | None, now: datetime) -> FlowTurn | None:
        """Act on input that belongs to the flow; None when it isn't an answer to the current step."""
        if not self.is_current(state):
            return self._outdated(state, now)
        state = copy.deepcopy(state)
        flow = self.flows.flows[state["flow"]]
        step = flow.steps[state["step"]]
        state["updated"] = now.isoformat()
        if isinstance(value, dict):
            action = value.get("action")
            if action == "command":
                command = self._commands.get(normalise(str(value.get("command", ""))))
                return self._command(flow, state, command, now) if command else None
            if action in ("flow.answer", "flow.continue"):
                if value.get("flow") != flow.id or value.get("step") != step.id:
                    return self._again(flow, state, "stale_card")
                if action == "flow.continue":
                    return self._command(flow, state, "continue", now)
                option = next((o for o in step.options if o.value == value.get("choice")), None)
                # This step's card, but no choice it offers (a forged or garbled value).
                return (
                    self._answer(flow, state, step, option.value, option.next)
                    if option
                    else self._again(flow, state, "invalid_choice")
                )
            return None
        if not text or not text.strip():
            return None
        command = self._commands.get(normalise(text))
        offered = int(state.get("misses") or 0) >= MISSES_BEFORE_CANCEL_OFFER
        if command and (command != "continue" or offered):
            return self._command(flow, state, command, now)
        if offered and normalise(text) in ("1", "2"):
            return self._command(flow, state, "continue" if normalise(text) == "1" else "cancel", now)
        if offered:
            # The last question was "Vill du fortsätta guiden eller avbryta den?", not the step's:
            # "ja", "ja fortsätt" go on, "nej" cancels (QA pass 53: they answered the step).
            said = normalise(text)
            first = said.split()[0] if said else ""
            goes_on = {normalise(w) for w, name in self._commands.items() if name == "continue"}
            if said in self._yes_words or (first in self._yes_words and any(f" {w} " in f" {said} " for w in goes_on)):
                return self._command(flow, state, "continue", now)
            if said in self._no_words:
                return self._command(flow, state, "cancel", now)
        if step.kind == "choices":
            option = self.match_option(step, text)
            return self._answer(flow, state, step, option.value, option.next) if option else None
        answer = valid_input(step.input, text, self.flows.not_names, self.flows.not_answers, self.flows.name_titles)
        if answer and step.input == "reference":
            question = self._render(step.text or "", flow, state["answers"])
            opener, typed = said_first(answer), normalise(answer).split()
            answer = without_echo(answer, question)
            if (
                opener in self._corrections | {"nej", "no", "jag"}  # "fel, Per Holmberg", "jag är chefen"
                or "heter" in typed  # "han heter …"
                or normalise(answer) in set(tokens(question))  # "ansvar" alone, the question's own word
            ):
                answer = None
        return self._answer(flow, state, step, answer, step.next or "") if answer else None

    def miss(self, state: dict, now: datetime) -> FlowTurn:
        """Invalid input: say what is expected and ask again; from the third miss, offer to cancel."""
        if not self.is_current(state):
            return self._outdated(state, now)
        state = copy.deepcopy(state)
        flow = self.flows.flows[state["flow"]]
        step = flow.steps[state["step"]]
        state["misses"] = int(state.get("misses") or 0) + 1
        state["updated"] = now.isoformat()
        help_text = (
            self._render(step.help, flow, state["answers"])
            if step.help
            else self.text("invalid_choice" if step.kind == "choices" else f"invalid_{step.input}")
        )
        if state["misses"] < MISSES_BEFORE_CANCEL_OFFER:
            return FlowTurn([Message(text=help_text), self._question(flow, step, state["answers"])], state)
        offer = Message(text=f"{help_text}\n\n{self.text('cancel_offer')}", choices=[
            Choice(self.text("continue_label"), {"action": "flow.continue", "flow": flow.id, "step": step.id}),
            Choice(self.text("cancel_label"), {"action": "command", "command": "avbryt"}),
        ])  # fmt: skip
        return FlowTurn([offer], state)

    def unclear_correction(self, state: dict, now: datetime) -> FlowTurn:
        """A correction that changes nothing ("fel roll", "fel, det ska inte vara chef"):
        say how to change an answer and ask the current question again; no miss is counted."""
        if not self.is_current(state):
            return self._outdated(state, now)
        state = copy.deepcopy(state)
        state["updated"] = now.isoformat()
        flow = self.flows.flows[state["flow"]]
        step = flow.steps[state["step"]]
        return FlowTurn([Message(text=self.text("correction_unclear")), self._question(flow, step, state["answers"])], state)

    def reprompt(self, state: dict) -> list[Message]:
        """The current question again, e.g. after the caller answered a digression."""
        if not self.is_current(state):
            return [Message(text=self.text("version_changed"))]
        flow = self.flows.flows[state["flow"]]
        return [self._question(flow, flow.steps[state["step"]], state["answers"])]

    def wants_typed_text(self, state: dict) -> bool:
        """Whether the current step asks for typed text (a name, a description), not a choice."""
        if not self.is_current(state):
            return False
        return self.flows.flows[state["flow"]].steps[state["step"]].kind == "input"

    def expired(self, state: dict, now: datetime, idle: timedelta) -> bool:
        """True when the flow was left alone longer than `idle` (or the timestamp is unreadable)."""
        try:
            return now - datetime.fromisoformat(state["updated"]) > idle
        except (KeyError, TypeError, ValueError):
            return True

    # matching typed answers -----------------------------------------------------------

    @cached_property
    def _yes_words(self) -> frozenset[str]:
        """"ja" and its aliases: after the offer to cancel, a yes is to go on."""
        return self._value_words("ja")

    @cached_property
    def _no_words(self) -> frozenset[str]:
        """"nej" and its aliases: after the offer to cancel, a no is to stop."""
        return self._value_words("nej")

    def _value_words(self, value: str) -> frozenset[str]:
        """An option value and its aliases in every guide (_texts.yaml, aliases), normalised."""
        return frozenset(normalise(w) for w in (value, *self.flows.texts["aliases"].get(value, [])))

    def taken_back_no(self, state: dict, text: str) -> str | None:
        """The yes of the yes/no question whose no just ended the guide, when the user takes
        that no back ("jo det är jag", "jag menade ja", "ok jag är hennes chef" after "jag är
        inte hennes chef"); None otherwise."""
        if not self.is_current(state) or "?" in text:
            return None
        step = self.flows.flows[state["flow"]].steps[state["step"]]
        yes = next((o for o in step.options if o.value == "ja"), None)
        if step.kind != "choices" or yes is None or self._the_no(step) is None:
            return None
        said = normalise(text)
        if self._has_phrase(said, self._negations):
            return None
        if TAKE_BACK_RE.match(said):
            return yes.value
        asked = _question_words(step)
        says_it = FIRST_PERSON_IS_RE.search(said) and ASKS_YOU_RE.search(normalise(_question_sentence(step)))
        return yes.value if says_it and any(w in asked for w in said.split()) else None

    def workplace_choice(self, state: dict, at_sas: bool) -> str | None:
        """The value of the current step's choice that a statement of where one works
        answers ("jag jobbar på SÄS" → ja at "Arbetar du på SÄS?"), if it has one."""
        if not self.is_current(state):
            return None
        step = self.flows.flows[state["flow"]].steps[state["step"]]
        wanted = "sas" if at_sas else "elsewhere"
        return next((o.value for o in step.options if o.workplace == wanted), None)

    def change_workplace(self, state: dict, at_sas: bool, now: datetime) -> FlowTurn | None:
        """The user says, further on, that they work somewhere else than they answered
        ("nej förresten, jag jobbar på Alingsås lasarett"): back to that question, answered
        anew, the answers given after it dropped. None when no earlier answer says otherwise."""
        if not self.is_current(state):
            return None
        flow = self.flows.flows[state["flow"]]
        wanted = "sas" if at_sas else "elsewhere"
        history = state["history"]
        for i in range(len(history) - 1, -1, -1):
            step = flow.steps.get(history[i])
            option = next((o for o in step.options if o.workplace == wanted), None) if step else None
            if step is None or option is None:
                continue
            if state["answers"].get(step.id) == option.value:
                return None  # already answered so
            state = copy.deepcopy(state)
            for answered in history[i:]:
                state["answers"].pop(answered, None)
            state["history"], state["step"], state["updated"] = history[:i], step.id, now.isoformat()
            turn = self._answer(flow, state, step, option.value, option.next)
            turn.messages.insert(0, Message(text=self.text("workplace_changed")))
            return turn
        return None

    def correct(self, state: dict, text: str, now: datetime) -> FlowTurn | None:
        """A correction of an earlier answer ("nej förlåt, hon heter Ida Eklund", "fel, det
        ska vara heromarapportör"): a word that says so (_texts.yaml words: corrections) and
        a new, valid answer to a step already answered. That step is answered anew; the
        answers given after it stay wherever they still fit (carried, not asked again)."""
        if not self.is_current(state) or "?" in text:
            return None
        said = normalise(text)
        # A correction word, "hon heter …" after the name was given, "jag är inte hans chef",
        # "hon ska inte vara chef utan rapportör"; without any of them only a negation of what
        # just one earlier question asks ("introduktionen är inte klar") corrects it.
        worded = self._has_phrase(said, self._corrections) or PERSON_NAMED_RE.search(text)
        negation_only = not (worded or FIRST_PERSON_NOT_RE.search(said) or NOT_BUT_RE.search(said))
        if negation_only and not self._has_phrase(said, self._negations):
            return None
        flow = self.flows.flows[state["flow"]]
        current = flow.steps.get(state["step"])
        # What the current question asks about is its own answer, not a correction ("nej, jag
        # har inte gjort den" to "Har du gjort … För chefer?").
        busy = _question_words(current) if current else set()
        history = state["history"]
        for i in range(len(history) - 1, -1, -1):
            step = flow.steps.get(history[i])
            if step is None:
                continue
            new = self._negated_no(flow, step, said, busy) if negation_only else self._corrected_answer(step, text, flow, busy)
            if new is None or new[0] == state["answers"].get(step.id):
                continue
            return self._reanswer(flow, state, i, step, new, now)
        return None

    def _reanswer(self, flow: Flow, state: dict, i: int, step: Step, new: tuple[str, str], now: datetime) -> FlowTurn:
        """Answer the ``i``-th step of the history anew; the answers after it are carried."""
        history = state["history"]
        state = copy.deepcopy(state)
        later = {sid: state["answers"].pop(sid) for sid in history[i:] if sid in state["answers"]}
        later.pop(step.id, None)
        state["history"], state["step"], state["updated"] = history[:i], step.id, now.isoformat()
        if later:
            state["carried"] = later
        turn = self._answer(flow, state, step, *new)
        turn.messages.insert(0, Message(text=self.text("corrected")))
        return turn

    def _corrected_answer(
        self, step: Step, text: str, flow: Flow | None = None, busy: set[str] | None = None
    ) -> tuple[str, str] | None:
        """(answer, next step) that the correction gives ``step``: a name after "heter" or
        the like, or the one option the text names once the correction words are gone, or
        the step's no when the text negates what only this step asks about ("fel, jag är
        inte hans chef", "introduktionen är inte klar")."""
        if step.kind == "choices":
            said = normalise(text)
            negated = self._negated_no(flow, step, said, busy or set()) if flow is not None else None
            if negated is not None:
                return negated
            rest = f" {said} "
            for phrase in sorted(self._corrections, key=len, reverse=True):
                rest = rest.replace(f" {phrase} ", " ")
            # "han ska vara chef inte rapportör", "det ska inte vara chef": the option said not
            # to be is no answer
            negations = "|".join(map(re.escape, self._negations))
            rest = re.sub(rf"\b(?:{negations})\s+(?:(?:{NEGATED_FILLERS})\s+)*\S+", " ", rest)
            # Named by its label or an alias ("heromarapportör", "chef"), never by a stray word
            # such as "annan" in "fel kurs, hon gjorde en annan".
            named = {o.value: o for o in step.options for w in (o.label, *o.aliases) if f" {normalise(w)} " in rest}
            option = next(iter(named.values())) if len(named) == 1 else None
            return (option.value, option.next) if option and not self._is_negative(option) else None
        if step.input == "reference":
            # "fel, det ska vara 4411", "nej det är fel ansvar, 4411": the number is the new one
            numbers = REFERENCE_NUMBER_RE.findall(text)
            return (numbers[-1], step.next or "") if len(numbers) == 1 else None
        if step.input == "text":
            # "fel, det ska vara från chef till rapportör" after the change was described
            if not set(normalise(text).split()) & TEXT_CORRECTION_CUES:
                return None  # "den ska vara klar imorgon" corrects nothing
            leads = list(TEXT_CORRECTION_RE.finditer(text))
            typed = text[leads[-1].end() :].strip(" ,.!") if leads else ""  # after the last lead
            new = valid_input("text", typed, self.flows.not_names, self.flows.not_answers) if len(typed.split()) >= 2 else None
            return (new, step.next or "") if new else None
        if step.input != "name":
            return None
        leads = CORRECTED_NAME_RE if "namn" not in normalise(text).split() else NAMED_AGAIN_RE
        for lead in leads.finditer(text):
            typed = text[lead.end() :].strip(" ,.!")
            name = valid_input("name", typed, self.flows.not_names, self.flows.not_answers, self.flows.name_titles)
            if name:
                return name, step.next or ""
        return None

    def _negated_no(self, flow: Flow, step: Step, said: str, busy: set[str]) -> tuple[str, str] | None:
        """(the step's no, its next step) when the text negates what the step asks."""
        no = self._the_no(step) if step.kind == "choices" else None
        return (no.value, no.next) if no is not None and self._negates_own_words(flow, step, said, busy) else None

    def _negates_own_words(self, flow: Flow, step: Step, said: str, busy: set[str]) -> bool:
        """Whether a correction says no to what ``step`` asks: "fel, jag är inte hans chef" to
        "Är du ansvarig chef …?" (the user speaks of themself, as the question asks them), or
        a negation with a word only this question uses ("introduktionen är inte klar"; no
        option's word: "det ska inte vara chef" is about the role)."""
        if not self._has_phrase(said, self._negations):
            return False
        asked = _question_words(step)
        words = [w for w in said.split() if len(w) >= OWN_WORD_MIN_LEN and w not in busy]
        if FIRST_PERSON_NOT_RE.search(said) and ASKS_YOU_RE.search(normalise(_question_sentence(step))):
            return any(w in asked for w in words)
        options = {w for st in flow.steps.values() for o in st.options for w in _option_tokens(o)}
        others = set().union(*(_question_words(st) for st in flow.steps.values() if st is not step and st.kind == "choices"))
        own = asked - others - options
        own |= {w[:STEP_WORD_PREFIX] for w in own if len(w) >= STEP_WORD_PREFIX}
        return any(w in own or w[:STEP_WORD_PREFIX] in own for w in words if w not in options)

    def opens_with_correction(self, text: str) -> bool:
        """Whether the text starts with a word that corrects ("oj, …", "fel, …", "förlåt …")."""
        return said_first(text) in self._corrections

    def means_to_correct(self, text: str) -> bool:
        """Whether the text says an answer was wrong, not asking anything: it opens with a
        correction word ("fel roll") or says one typed or picked wrong ("jag skrev fel namn")."""
        return not looks_like_question(text) and (self.opens_with_correction(text) or bool(SAID_WRONG_RE.search(normalise(text))))

    @cached_property
    def _corrections(self) -> frozenset[str]:
        return self._word_list("corrections")

    def workplace_answers(self, flow_id: str, at_sas: bool) -> dict[str, str]:
        """Carried answers for a guide's workplace questions when the user already said where they work."""
        wanted = "sas" if at_sas else "elsewhere"
        flow = self.flows.flows.get(flow_id)
        steps = flow.steps.values() if flow else ()
        return {st.id: o.value for st in steps for o in st.options if o.workplace == wanted}

    def match_option(self, step: Step, text: str) -> Option | None:
        """Number, label, value or alias; then a leading yes/no word; then a close misspelling."""
        said = normalise(text)
        if not said:
            return None
        if NUMBER_RE.match(said):
            number = int(said)
            return step.options[number - 1] if 1 <= number <= len(step.options) else None
        words = _option_words(step)
        if text.rstrip().endswith("?") and len(said.split()) == 1 and not NUMBER_RE.match(said):
            return None  # "klar?" asks whether it is done; it says nothing of whether it is
        for word, option in words:
            if word == said:
                return option
        if self._has_phrase(said, self._unsure):  # "vet inte" is no "nej", though "inte" is one
            return None
        if _names_several(words, said):  # "chef och rapportör": two options, so neither
            return None
        several, last = self._changed_mind(words, said)
        if several:
            return last
        if "?" not in text and len(said.split()) <= PREFIX_MAX_WORDS:
            leading = self._leading_option(words, said)
            if leading and not self._is_negative(leading) and self._negates_step(step, said):
                # "ja men hon fick inte godkänt": the negated word is the question's own ("godkända")
                return self._the_no(step)
            if leading:
                return self._unless_hedged(step, said, leading)
            # "hon ska vara typ rapportör": one option's word (not a short one like "ja") inside;
            # a bare negation inside ("jag hittar inte blanketten") is no "Nej" on its own.
            inside = {
                o.value: o
                for w, o in words
                if len(w) >= CONTAINED_MIN_LEN and w not in self._negations and f" {w} " in f" {said} "
            }
            if len(inside) == 1:
                return self._unless_negated(step, said, next(iter(inside.values())))
        if len(said) < FUZZY_MIN_CHARS:
            return None
        found = process.extract(said, [w for w, _ in words], scorer=fuzz.ratio, processor=normalise,
                                score_cutoff=self.fuzzy_threshold, limit=None)  # fmt: skip
        best: dict[str, float] = {}
        for _, score, index in found:
            option = words[index][1]
            best[option.value] = max(best.get(option.value, 0.0), score)
        ranked = sorted(best.items(), key=lambda kv: -kv[1])
        if not ranked or (len(ranked) > 1 and ranked[0][1] - ranked[1][1] < FUZZY_MARGIN):
            return None
        return self._unless_negated(step, said, next(o for o in step.options if o.value == ranked[0][0]))

    def _changed_mind(self, words: list[tuple[str, Option]], said: str) -> tuple[bool, Option | None]:
        """Whether the answer names several options, and which it settles on: "ja fel, nej",
        "ja, förlåt, jag menar nej" the last, after a word that corrects; "ja nej" none."""
        found = self._options_in_order(words, said)
        if len({o.value for _, o in found}) < 2:
            return False, None
        first_end, last_start = found[0][0][1], found[-1][0][0]
        between = " ".join(said.split()[first_end:last_start])
        changed = self._has_phrase(between, self._corrections | self._word_list("switch_request"))
        return True, found[-1][1] if changed else None

    @staticmethod
    def _options_in_order(words: list[tuple[str, Option]], said: str) -> list[tuple[tuple[int, int], Option]]:
        """The option words the answer holds as whole words, as (word span, option) in the
        order typed; a word inside a longer one found ("klar" in "inte klar") is not counted."""
        typed = said.split()
        found: list[tuple[tuple[int, int], Option]] = []
        taken: set[int] = set()
        for word, option in sorted(words, key=lambda pair: -len(pair[0].split())):
            parts = word.split()
            for i in range(len(typed) - len(parts) + 1):
                span = range(i, i + len(parts))
                if parts and typed[i : i + len(parts)] == parts and not taken.intersection(span):
                    taken.update(span)
                    found.append(((i, i + len(parts)), option))
        return sorted(found, key=lambda pair: pair[0])

    def _unless_negated(self, step: Step, said: str, option: Option) -> Option | None:
        """An option found inside the answer, read with the answer's negation: "inte helt
        klar", "not done", "ej genomförd" are the step's no-option (Inte klar), never its yes."""
        if self._is_negative(option):
            return option
        if FUTURE_RE.search(said) and self._has_no(step):
            return None  # "den ska vara klar imorgon": not yet, and not quite no either
        if not self._has_phrase(said, self._negations):
            return self._unless_hedged(step, said, option)
        return self._the_no(step)

    def _negates_step(self, step: Step, said: str) -> bool:
        """Whether a negation in the answer is about the question's own words: "inte
        underskriven" to "Är blanketten ifylld och underskriven?" (compared on their first
        letters, so "godkänt" is "godkända"); "men inte gått den" to "Har du anmält dig?" is not."""
        asked = {w[:STEP_WORD_PREFIX] for w in tokens(step.text or "") if len(w) >= STEP_WORD_PREFIX}
        words = said.split()
        return any(
            len(nxt) >= STEP_WORD_PREFIX and nxt[:STEP_WORD_PREFIX] in asked
            for i, w in enumerate(words)
            if w in self._negations
            for nxt in words[i + 1 : i + 3]
        )

    def _unless_hedged(self, step: Step, said: str, option: Option) -> Option | None:
        """A yes that takes itself back ("ja men bara halva utbildningen", "typ klar") answers
        a yes/no step with neither: the step is asked again. In a step without a no ("hon ska
        vara typ rapportör") the hedge is only a filler."""
        if self._is_negative(option) or not self._has_phrase(said, self._hedges):
            return option
        return None if self._has_no(step) else option

    def _the_no(self, step: Step) -> Option | None:
        """The step's no-option (Nej, Inte klar) when it has exactly one."""
        negative = [o for o in step.options if self._is_negative(o)]
        return negative[0] if len(negative) == 1 else None

    def _has_no(self, step: Step) -> bool:
        """Whether the step offers a no at all (a yes/no step, not a role or a Nästa)."""
        return any(self._is_negative(o) for o in step.options)

    def _is_negative(self, option: Option) -> bool:
        """Whether the option says no (Nej, Inte klar): one of its words holds a negation."""
        return any(self._has_phrase(normalise(w), self._negations) for w in (option.value, option.label, *option.aliases))

    @staticmethod
    def _has_phrase(said: str, phrases: frozenset[str]) -> bool:
        padded = f" {said} "
        return any(f" {p} " in padded for p in phrases)

    @cached_property
    def _negations(self) -> frozenset[str]:
        return self._word_list("negations")

    @cached_property
    def _hedges(self) -> frozenset[str]:
        return self._word_list("hedges")

    @cached_property
    def _unsure(self) -> frozenset[str]:
        return self._word_list("unsure")

    def _word_list(self, name: str) -> frozenset[str]:
        """A word list of _texts.yaml without empty phrases (one would be found in any answer)."""
        return self.flows.word_list(name) - {""}

    def undecided(self, state: dict, text: str) -> bool:
        """Whether the text tries to answer the choice step but settles nothing: a yes taken
        back at a yes/no step ("ja men bara halva utbildningen", "klar med del 1"), two
        options at once ("chef och rapportör"), or a bare yes or no the step has no option
        for ("nä" at Nästa); at any step, not knowing ("vet ej vilket nummer det är": no
        question about phone numbers); at a name step, one word. Not a question either, so
        it is a miss."""
        if not self.is_current(state) or "?" in text:
            return False
        step = self.flows.flows[state["flow"]].steps[state["step"]]
        said = normalise(text)
        if self._has_phrase(said, self._unsure) and not looks_like_question(text, anywhere=False):
            return True
        if step.input == "name" and len(said.split()) == 1 and said not in self._commands and "?" not in text:
            return True  # "Maria": a first name alone, not a question about Marie Smedbro
        if step.kind != "choices":
            return False
        if said in self._no_words or said in self._yes_words:
            return True  # "nä" at a step whose only button is Nästa: no question for the knowledge base
        words = _option_words(step)
        if _names_several(words, said):
            return True
        if not self._has_no(step):
            return False
        named = self._leading_option(words, said) or next(
            (o for w, o in words if len(w) >= CONTAINED_MIN_LEN and f" {w} " in f" {said} "), None
        )
        return named is not None and not self._is_negative(named) and self._has_phrase(said, self._hedges)

    def answer_leading(
        self, state: dict, text: str, now: datetime, says_no: bool = False, on_step: bool = False
    ) -> FlowTurn | None:
        """A statement that opens with an option word, taken as that option ("nej det e min
        chef som e ansvarig"), or one that says no at a yes/no step ("I'm not the manager").
        Asked only after the text turned out to be no question the knowledge base answers,
        so "ja men när ska underlaget vara inne" stays a question; ``says_no`` only when the
        base had nothing near it either ("jag hittar inte blanketten" is a question).
        ``on_step``: the statement's topic is the step's own, so with a negation it says no
        ("har inte gjort introduktionen") before any knowledge entry on that topic."""
        if not self.is_current(state) or "?" in text:
            return None
        flow = self.flows.flows[state["flow"]]
        step = flow.steps[state["step"]]
        if step.kind != "choices":
            return None
        words = _option_words(step)
        said = normalise(text)
        if self._has_phrase(said, self._unsure) or _names_several(words, said) or self._changed_mind(words, said)[0]:
            return None  # "ja nej"; "ja fel, nej" was read by match_option
        option = self._leading_option(words, said)
        option = self._unless_hedged(step, said, option) if option else None
        no = self._the_no(step)
        negated = self._has_phrase(said, self._negations)
        mixed = " men " in f" {said} "  # "ifylld men inte skickad", "anmält mig men inte gått den"
        if (says_no or on_step) and option is None and no is not None and negated and (
            not mixed or self._negates_step(step, said)  # "ifylld men inte underskriven"
        ):
            if not looks_like_question(text):  # "kan man inte söka själv" asks
                # "I'm not the manager", "har inte hunnit": a statement that says no, and no
                # question the knowledge base knows, at a step that has one no.
                option = no
        if option is None:
            return None
        state = copy.deepcopy(state)
        state["updated"] = now.isoformat()
        return self._answer(flow, state, step, option.value, option.next)

    @staticmethod
    def _leading_option(words: list[tuple[str, Option]], said: str) -> Option | None:
        """The option whose longest word opens ``said`` ("ja det gör jag" → ja); none when
        the next word turns away ("nej förresten, hon ska sluta helt" answers nothing)."""
        starts = [(len(w), o) for w, o in words if said.startswith(w + " ") and not _turns_away(said[len(w) + 1 :])]
        if not starts:
            return None
        length, option = max(starts, key=lambda pair: pair[0])
        # "ok men vem fyller i blanketten", "ja tack, och vad gäller för OB": a question after it
        return None if looks_like_question(said[length + 1 :], anywhere=False) else option

    # moving through a flow ------------------------------------------------------------

    def _answer(self, flow: Flow, state: dict, step: Step, answer: str, target: str) -> FlowTurn:
        state["answers"][step.id] = answer
        state["history"].append(step.id)
        state["step"] = target
        turn = self._walk(flow, state, [])
        turn.workplace = next((o.workplace for o in step.options if o.value == answer), "")
        return turn

    def _walk(self, flow: Flow, state: dict, messages: list[Message]) -> FlowTurn:
        """From state['step'] through say and branch steps to the next question or the end;
        a question that an answer carried from another guide answers validly is answered
        on the way (each carried answer is used once: "tillbaka" to it asks it)."""
        answers = state["answers"]
        known = state.get("carried") if isinstance(state.get("carried"), dict) else None
        step = flow.steps[state["step"]]
        for _ in range(len(flow.steps) + 1):  # validation guarantees an end; this only bounds a bug
            target = self._known_answer(step, known) if known and step.asks else None
            if target is not None:
                answers[step.id], state["history"] = target[0], [*state["history"], step.id]
                step = flow.steps[target[1]]
                continue
            if step.asks:
                state["step"], state["misses"] = step.id, 0
                messages.append(self._question(flow, step, answers))
                return FlowTurn(messages, state)
            if step.kind == "summary":
                return FlowTurn(messages + self._summary(flow, step, answers), None, finished=True)
            if step.kind == "say":
                messages.append(Message(text=self._render(step.text, flow, answers)))
                if step.end:
                    return FlowTurn(messages, None)
                step = flow.steps[step.next or ""]
            else:
                step = flow.steps[next(target for when, target in step.branch if holds(when, answers))]
        raise RuntimeError(f"flow {flow.id} loops without asking or ending")

    def _known_answer(self, step: Step, known: dict) -> tuple[str, str] | None:
        """(answer, next step) when ``known`` holds a valid answer to ``step`` (used up), else None."""
        return self._fits(step, known.pop(step.id, None))

    def _fits(self, step: Step, value: Any) -> tuple[str, str] | None:
        """(answer, next step) when ``value`` is a valid answer to the question ``step``."""
        if not isinstance(value, str) or not step.asks:
            return None
        if step.kind == "choices":
            option = next((o for o in step.options if o.value == value), None)
            return (option.value, option.next) if option else None
        answer = valid_input(step.input, value, self.flows.not_names, self.flows.not_answers, self.flows.name_titles)
        return (answer, step.next or "") if answer else None

    def _command(self, flow: Flow, state: dict, command: str, now: datetime) -> FlowTurn:
        if command == "cancel":
            restart = Choice(self.text("restart_label"), {"action": "flow.start", "flow": flow.id})
            return FlowTurn([Message(text=self.text("cancelled", title=flow.title), choices=[restart])], None)
        if command == "restart":
            turn = self.start(flow.id, now)
            turn.messages.insert(0, Message(text=self.text("restarted")))
            return turn
        if command == "continue" or not state["history"]:
            state["misses"] = 0
            return self._again(flow, state, "continued" if command == "continue" else "back_at_first")
        previous = state["history"].pop()
        state["answers"].pop(previous, None)
        state["step"] = previous
        return self._walk(flow, state, [Message(text=self.text("back"))])

    def _again(self, flow: Flow, state: dict, note: str) -> FlowTurn:
        """A short note (an engine text key) and the current question again."""
        question = self._question(flow, flow.steps[state["step"]], state["answers"])
        return FlowTurn([Message(text=self.text(note)), question], state)

    def _outdated(self, state: Any, now: datetime) -> FlowTurn:
        flow_id = state.get("flow") if isinstance(state, dict) else None
        if flow_id not in self.flows.flows:
            return FlowTurn([Message(text=self.text("flow_gone"))], None)
        turn = self.start(flow_id, now)
        turn.messages.insert(0, Message(text=self.text("version_changed")))
        return turn

    # rendering ---------------------------------------------------------------------------

    def _question(self, flow: Flow, step: Step, answers: dict) -> Message:
        choices = [Choice(self._render(o.label, flow, answers),
                          {"action": "flow.answer", "flow": flow.id, "step": step.id, "choice": o.value})
                   for o in step.options]  # fmt: skip
        return Message(title=self.expand(flow.title), text=self._render(step.text, flow, answers),
                       choices=choices, fine_print=self.text("commands_hint"))  # fmt: skip

    def _summary(self, flow: Flow, step: Step, answers: dict) -> list[Message]:
        messages = []
        for block in step.blocks:
            if not holds(block.when, answers):
                continue
            parts = [self._render(block.text, flow, answers)] if block.text else []
            if block.checklist:
                parts.append(self._checklist(flow, block, answers))
            if block.email:
                mail = {k: self._render(v, flow, answers) for k, v in block.email.items()}
                parts.append(self.text("email", **mail))
            choices = []
            if block.offer_flow in self.flows.flows:
                title = self.flows.flows[block.offer_flow].title
                value: dict[str, Any] = {"action": "flow.start", "flow": block.offer_flow}
                if block.offer_answers:
                    value["answers"] = {k: self._render(v, flow, answers) for k, v in block.offer_answers.items()}
                choices.append(Choice(self.text("start_flow_label", title=title), value))
            title = self._render(block.title, flow, answers) if block.title else None
            messages.append(Message(title=title, text="\n\n".join(parts), choices=choices))
        return messages

    def _checklist(self, flow: Flow, block: Block, answers: dict) -> str:
        """Items in order, each done or still to do according to the answers, then the next step."""
        lines, first_todo = [], None
        for text, done, when in block.checklist:
            if not holds(when, answers):
                continue
            is_done = done is not None and holds(done, answers)
            shown = self._render(text, flow, answers)
            lines.append(
                self.text(
                    "checklist_done" if is_done else "checklist_todo", n=str(len(lines) + 1), text=shown
                )
            )
            first_todo = first_todo or (None if is_done else shown)
        lines.append(
            self.text("checklist_next", text=first_todo) if first_todo else self.text("checklist_all_done")
        )
        return "\n".join(lines)

    def _render(
        self, text: str, flow: Flow | None, answers: dict, values: dict[str, str] | None = None
    ) -> str:
        """Shared texts in, earlier answers and {name} values kept out of expand, then expand."""
        shared = self.flows.texts["texts"]
        text = PLACEHOLDER_RE.sub(
            lambda m: shared.get(m.group(2), m.group(0)) if m.group(1) == "text" else m.group(0), text
        )
        inserts: list[str] = []

        def keep(value: str) -> str:
            inserts.append(value)
            return f"\ue000{len(inserts) - 1}\ue001"

        for name, value in (values or {}).items():
            text = text.replace("{" + name + "}", keep(value))
        if flow is not None:
            text = PLACEHOLDER_RE.sub(lambda m: keep(self._answer_text(flow, m.group(2), answers))
                                      if m.group(1) == "answer" else m.group(0), text)  # fmt: skip
        # "Per O." before the text's own full stop is one full stop, not "Per O..".
        expanded = re.sub(r"(\ue000(\d+)\ue001)\.", lambda m: m.group(1) if inserts[int(m.group(2))].endswith(".") else m.group(0),
                          self.expand(text))  # fmt: skip
        return SENTINEL_RE.sub(lambda m: inserts[int(m.group(1))], expanded)

    def _answer_text(self, flow: Flow, step_id: str, answers: dict) -> str:
        answer = answers.get(step_id)
        if answer is None:
            return self.flows.texts["engine"]["unanswered"]
        option = next((o for o in flow.steps[step_id].options if o.value == answer), None)
        return option.label if option else str(answer)


def valid_input(
    kind: str,
    text: str,
    not_names: frozenset[str] = frozenset(),
    not_answers: frozenset[str] = frozenset(),
    titles: frozenset[str] = frozenset(),
) -> str | None:
    """The cleaned typed answer, or None when it isn't one (a question, digits in a name, …).

    A name is a first and a last name (the step asks for both and the summary and the
    e-mail use it): two to five words of letters, none of them a word that is never part
    of a name ("jag vet inte", "avsluta", "Heroma" – ``not_names``). Typed all in lower
    case it gets capitals. Free text that is a question ("När ska …?") is not an answer:
    the turn logic tries it as a question instead. Around a name, a title before it
    ("enhetschef Per Holm"; ``titles``), a note in brackets ("Lena Ström (ny enhetschef)")
    and a clause after it ("Eva Lind och slutade i fredags") are left out."""
    cleaned = " ".join(text.split())
    if not cleaned or len(cleaned) > INPUT_LIMITS[kind]:
        return None
    if kind == "name":
        cleaned = NAME_LEAD_RE.sub("", cleaned) or cleaned  # "Hon heter Karin Berg"
        cleaned = " ".join(BRACKETS_RE.sub(" ", cleaned).split()) or cleaned
        first, _, rest = cleaned.partition(" ")
        if rest and normalise(first) in OPENING_FILLERS and first.endswith(","):
            cleaned = rest  # "ok, Anna Svensson"
        words = cleaned.split()
        while len(words) > 2 and normalise(words[0]) in titles:
            words = words[1:]
        while len(words) > 2 and normalise(words[-1]) in NAME_TRAILERS:
            words = words[:-1]  # "Per Holmberg förresten"
        cleaned = " ".join(words)
        head = NAME_TAIL_RE.split(cleaned, maxsplit=1)[0].strip(" ,")
        if head != cleaned and NAME_RE.match(head) and 2 <= len(head.split()) <= 5:
            cleaned = head  # "Eva Lind och slutade i fredags"
        last, comma, first = cleaned.partition(",")
        if comma and NAME_RE.match(last.strip()) and NAME_RE.match(first.strip()):
            cleaned = f"{first.strip()} {last.strip()}"  # "Svensson, Anna", as the address book writes it
        words = cleaned.split()
        if normalise(words[0]) in QUESTION_STARTS or any(normalise(w) in not_names for w in words):
            return None
        if not (NAME_RE.match(cleaned) and 2 <= len(words) <= 5):
            return None
        typed_one_case = cleaned in (cleaned.lower(), cleaned.upper())  # "anna svensson", "ANNA SVENSSON"
        return NAME_PART_RE.sub(lambda m: m.group(0).capitalize(), cleaned) if typed_one_case else cleaned
    said = normalise(cleaned)
    if cleaned.endswith("?") or said in not_answers:  # a question; "vet inte"
        return None
    if said.split(" ", 1)[0] in ASKING_STARTS and len(said.split()) >= ASKING_MIN_WORDS:
        return None  # "vem är Sara Jareteg", "hur lång tid tar det": a question without its "?"
    if looks_like_question(cleaned, anywhere=False):
        return None  # "var finns blanketten", "kan man inte koppla flera ansvar", "måste jag kryptera"
    if APPENDED_QUESTION_RE.search(fold(cleaned.casefold())):
        return None  # "från rapportör till chef, men hur lång tid tar det"
    bare = " ".join(w for w in said.split() if w not in OPENING_FILLERS)
    if bare in not_answers or any(bare.startswith(phrase + " ") for phrase in not_answers if " " in phrase):
        return None  # "sorry vet inte riktigt"
    if any(said.startswith(phrase + " ") for phrase in not_answers if " " in phrase):
        return None  # "vet inte vilket ansvar": a phrase of several words opens it
    # Free text is stored in the user's state and shown in summaries: no personnummer or
    # e-mail address may be kept there. A closing full stop would double the summary's own.
    # A description has words: "1" is a button number typed at the wrong step, not a
    # change. A reference ("4711") may be digits alone.
    cleaned = cleaned.rstrip(". ")
    wanted = str.isalnum if kind == "reference" else str.isalpha
    return redact(cleaned) if any(wanted(ch) for ch in cleaned) else None
