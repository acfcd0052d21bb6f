"""The turn logic: one user input plus the user's state in, one reply plus new state out.

Plain Python on purpose (no botbuilder): Teams, the console chat, ``ask`` and the tests
all go through ``Assistant.handle``. A turn reads top to bottom:

1. a retried activity (same id) does nothing;
2. an idle or outdated guided flow is closed or restarted;
3. card submits are dispatched by their ``action``;
4. global commands (hjälp, avbryt, börja om, tillbaka) and flow triggers ("behörighet");
5. an active guided flow gets the input; a knowledge question typed mid-flow is answered
   and the step asked again;
6. a pending "Menade du …?" or "Vill du att jag guidar dig?" is resolved;
7. matching: answer, clarify or fallback (a question about a sum the documents don't
   state – "hur mycket OB får man?" – gets a fallback that says so).
"""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bot.cards import CardTexts
from bot.dates import (
    HOLIDAY_STRETCH_RE,
    NEXT_ONE_RE,
    PAY_TAIL_RE,
    TIME_OF_DAY_RE,
    add_months,
    all_date_expressions,
    format_month_sv,
    impossible_days,
    parse_date_expression,
    weekday_before,
)
from bot.deadlines import describe_deadline, mentions_weekend, needed_by
from bot.flows import FlowEngine, FlowSet, FlowTurn, looks_like_question, normalise
from bot.kb import PLACEHOLDER_RE, Entry, KnowledgeBase, load_knowledge
from bot.matcher import DATE_CODE_RE, Candidate, Matcher
from bot.privacy import has_personnummer, redact, without_personal_data, without_signature
from bot.render import numbered_buttons
from bot.reply import (
    STATUS_ANSWER,
    STATUS_CLARIFY,
    STATUS_COMMAND,
    STATUS_DIALOG,
    STATUS_FALLBACK,
    STATUS_IGNORED,
    STATUS_WELCOME,
    Choice,
    Message,
    Reply,
)
from bot.settings import MatchSettings, Settings
from bot.text import DURATION, QUESTION_WORDS, REFERRING_WORDS, STOPWORDS, fold, tokens
from bot.yamlsrc import ContentError, ContentInvalid, LineDict, LineList, display_path

log = logging.getLogger(__name__)

# Keyword questions this short are judged word by word ("pension advice?").
SHORT_ENGLISH_MAX_WORDS = 3
_ENGLISH_HINTS = frozenset(
    "the is are do does how what when where who which can my i we our you your to of for a an "
    "please need get about with should must".split()
)


@dataclass
class TurnInput:
    """What the user sent, already stripped of the bot's own @mention."""

    text: str | None
    value: dict[str, Any] | None
    today: date
    now: datetime
    activity_id: str | None = None
    # A group chat or channel: Teams delivers only messages that @mention the bot there,
    # so the help says to write the mention (typed numbers and commands too).
    shared: bool = False


@dataclass
class TurnResult:
    reply: Reply
    state: dict[str, Any]


@dataclass
class Decision:
    """What matching concluded: answer, clarify or fallback, with the ranking behind it."""

    status: str
    candidates: list[Candidate]
    subject: str = ""  # STATUS_UNKNOWN_SUBJECT: the user's words for what isn't covered

    @property
    def top(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


# Variant and fuzzy signals at least this high mean the question is one of the entry's
# own variants (after folding, stemming and synonyms), not merely close to one.
EXACT_MATCH = 0.999
# A follow-up's word names a neighbour's topic (its title) when at most this share of the
# entries is asked with it ("utbildning" is; "lön" is asked almost everywhere).
TITLED_TERM_MAX_SHARE = 1 / 3

# A message opening with thanks and at most this many words, asking nothing, is thanks.
THANKS_MAX_WORDS = 7
WISHES_MAX_WORDS = 12  # "trevlig jul och tack för all hjälp i år"
YES_NO_MAX_WORDS = 5  # "yes go ahead", "nä det behövs inte": a yes or no with a few words after it
_ASKING_WORDS = frozenset(normalise(word) for word in QUESTION_WORDS)

# A message of at most this many words that asks nothing is a statement ("jag jobbar på SÄS").
STATEMENT_MAX_WORDS = 10
# Pronouns that make the previous answer's topic the subject of a follow-up.
_POINTING_PRONOUNS = frozenset("det den dem dom de detta denna dessa hon han hen it that this they them she he".split())

_THEN_WORDS = frozenset("da then".split())  # folded "då"
# "tillbaka till lönen, vad händer om …": going back to a topic, not "betala tillbaka".
_TOPIC_RETURN_RE = re.compile(r"^\s*(?:och\s+|men\s+|ok,?\s+)?(?:tillbaka till|back to)\s+", re.IGNORECASE)
# "fel, det ska vara chef", "oj, jag menade …": a correction word set off by a comma opens
# the message; it is no pay error ("fel lön" has no comma and stays).
_CORRECTION_OPENER_RE = re.compile(
    r"^\s*(?:nej\s+|oj\s+)?(?:fel|oj|förlåt|forlat|sorry|ursäkta|ursakta|rättelse|rattelse)\s*[,:!–-]+\s+", re.IGNORECASE
)
# Yes-words that only acknowledge ("ok" after "Menade du …?" picks nothing).
_ACKNOWLEDGEMENTS = frozenset({"ok", "okej", "okey", "okay"})

# Characters that show nothing (zero-width spaces and joiners, the byte-order mark).
_INVISIBLE_RE = re.compile("[\u200b-\u200f\u2060\ufeff]")

# "kan du guida mig?": a request for a guide naming none, at most this many words, gets the help.
GUIDE_REQUEST_MAX_WORDS = 6

# A question of at most this many words may lean on the previous answer ("vem gör det?").
CONTEXT_MAX_WORDS = 9
# …and one of at most this many words with a topic word of the previous answer's, that
# the bot would not answer on its own, too ("vilka utbildningar?").
CONTEXT_SHORT_WORDS = 4
# A question of at most this many words, one a question word, whose words the previous
# answer uses, is about that answer even if some other entry would answer it alone.
CONTEXT_TINY_WORDS = 3
# How a follow-up that adds a condition to the previous answer opens (folded words).
CONDITION_CUES = (
    "om ", "och om ", "men om ", "an om ", "vad hander om ", "what if ", "and if ", "but if ", "what happens if ",
)  # fmt: skip
# A decision only (the reply's status is fallback): a follow-up about the previous answer
# that nothing answers better than that answer did.
STATUS_IN_CONTEXT = "in_context"

SUBJECT_SHOWN_RE = re.compile(r"[^\w\s-]")  # what of the user's words may be shown back
SUBJECT_SHOWN_MAX = 60
# At most this many words besides a date make a follow-up that only changes the date.
FOLLOW_UP_DATE_WORDS = 6
# At most this many words, the date's included, make a "when" follow-up for a neighbour's dates.
DATED_QUESTION_WORDS = FOLLOW_UP_DATE_WORDS + 4

# A decision only (the reply's status is fallback): the question asks for a sum of money
# and the best entry doesn't give one (synonyms.yaml, amounts).
STATUS_UNKNOWN_AMOUNT = "unknown_amount"
# Likewise for a number of something ("hur många timmar?") the best entry doesn't state.
STATUS_UNKNOWN_COUNT = "unknown_count"
STATUS_UNKNOWN_DURATION = "unknown_duration"  # … and "hur lång tid tar det?" likewise
# A question about something the documents don't cover that a topic word points at
# ("behörighet till Agresso"; synonyms.yaml, subjects).
STATUS_UNKNOWN_SUBJECT = "unknown_subject"
# A phone number or e-mail address asked for that the best entry doesn't give (synonyms.yaml, amounts).
STATUS_UNKNOWN_CONTACT = "unknown_contact"
# Each "that is not in the documents" decision: its text and its English lead.
_NOT_IN_DOCUMENTS = {
    STATUS_UNKNOWN_AMOUNT: ("amount_text", "english_amount_lead"),
    STATUS_UNKNOWN_COUNT: ("count_text", "english_count_lead"),
    STATUS_UNKNOWN_DURATION: ("duration_text", "english_count_lead"),
    STATUS_UNKNOWN_SUBJECT: ("subject_text", "english_subject_lead"),
    STATUS_UNKNOWN_CONTACT: ("contact_text", "english_contact_lead"),
}


def decide(candidates: list[Candidate], match: MatchSettings) -> Decision:
    """Answer only when the best is good and clearly ahead; clarify when plausible.

    The threshold reads the calibrated score (a probability); the lead over the runner-up
    is measured on the combined signal, because calibration squeezes the top end together
    (0.99 vs 0.98 can be a clear lead)."""
    if not candidates:
        return Decision(STATUS_FALLBACK, [])
    top = candidates[0].score
    lead = candidates[0].combined - (candidates[1].combined if len(candidates) > 1 else 0.0)
    plausible = [c for c in candidates if c.score >= match.clarify_threshold]
    # A lone plausible candidate has no rival to be confused with: "Menade du …?" with a
    # single option that clears the answer threshold would only add a click. Nor does a
    # question that is one of the entry's own variants ("Vad är Heromaservice?"), unless
    # the runner-up has it too: the editors wrote that question for that entry.
    alone = len(plausible) == 1
    exact = _is_exact(candidates[0]) and not (len(candidates) > 1 and _is_exact(candidates[1]))
    # A lone keyword known to many entries ("blankett") is ambiguous while another entry
    # would also be answered with; "omorganisera" with no rival near is not.
    rival = len(candidates) > 1 and candidates[1].score >= match.answer_threshold
    clear = lead >= match.answer_margin and not (candidates[0].ambiguous and rival)
    if top >= match.answer_threshold and (alone or exact or clear):
        return Decision(STATUS_ANSWER, candidates)
    if plausible:
        return Decision(STATUS_CLARIFY, plausible[: match.max_suggestions])
    return Decision(STATUS_FALLBACK, candidates)


def _is_exact(candidate: Candidate) -> bool:
    """The question reads (terms and words) as one of the entry's variants."""
    return candidate.best_variant >= EXACT_MATCH and candidate.fuzzy >= EXACT_MATCH


def looks_english(
    text: str, english_words: frozenset[str] = frozenset(), english_vocab: frozenset[str] = frozenset()
) -> bool:
    """A cheap language guess: enough English function words, or English words from the
    glossary that Swedish text doesn't use (``english_words``: "end heroma permission").
    Two or three keywords count when all are glossary words (``english_vocab``) and one is
    not Swedish ("pension advice?"); "deadline för lönen" stays Swedish."""
    # Words with å/ä/ö are Swedish (often names: "Löneservice"); judge the rest.
    words = [w for w in text.split() if not set(w.lower()) & set("åäö")]
    toks = tokens(" ".join(words))
    # "i" is also Swedish ("i Heroma"): only a capital "I" counts ("I want …").
    hints = sum(1 for t in toks if t in _ENGLISH_HINTS and t != "i") + sum(1 for w in words if w.strip(",.!?") == "I")
    if len(toks) >= 3 and hints >= 2 and hints / len(toks) >= 0.25:
        return True
    glossary = sum(1 for t in toks if t in english_words)
    if glossary >= 1 and len(words) == len(text.split()) and 2 <= len(toks) <= SHORT_ENGLISH_MAX_WORDS:
        if all(t in english_vocab or t in english_words for t in toks):
            return True
    return glossary >= 1 and hints + glossary >= 2 and (hints + glossary) / max(len(toks), 1) >= 0.4


class Assistant:
    """Knowledge base + matcher + flow engine + calendar behind one ``handle`` call."""

    def __init__(self, kb: KnowledgeBase, flows: FlowSet, calendar: Any, settings: Settings, recorder: Any = None):
        self.kb = kb
        self.flows = flows
        self.calendar = calendar
        self.settings = settings
        self.recorder = recorder
        self.messages = kb.messages
        self.matcher = Matcher(kb, settings.match)
        self.engine = FlowEngine(flows, kb.expand)
        # help/yes/no from messages.yaml; avbryt/börja om/tillbaka/fortsätt from dialogs/_texts.yaml
        sources = {**self.messages.raw("commands"), **flows.texts["commands"]}
        self._commands = {name: {normalise(w) or w.strip() for w in words} for name, words in sources.items()}
        # Single English glossary words that no Swedish answer or title uses: language cues.
        swedish = {t for e in kb.entries.values() for t in (*tokens(e.answer), *tokens(e.title))}
        glossary = {tokens(key)[0] for key in kb.synonyms.english if len(tokens(key)) == 1}
        self._english_words = frozenset(glossary - swedish - STOPWORDS)
        # Every single-word glossary key, Swedish look-alikes too ("pension"): short keyword questions.
        self._english_vocab = frozenset(glossary - STOPWORDS)
        # Longest first: "tack så mycket för hjälpen" before "tack" when reading what follows.
        self._thanks_phrases = sorted(self._commands.get("thanks", ()), key=len, reverse=True)
        self._wishes_phrases = sorted(self._commands.get("wishes", ()), key=len, reverse=True)
        self._last_undated: tuple[tuple[str, date] | None, str] = (None, "")
        self._last_in_context: tuple[tuple[str, str, bool] | None, Decision] = (None, Decision(STATUS_FALLBACK, []))
        self._states_day: dict[str, bool] = {}  # entry id → whether its answer gives a day
        self._when_terms = frozenset(self.matcher.pipeline.terms(" ".join(_WHEN_TERM_WORDS)))
        self._late_terms = frozenset(self.matcher.pipeline.terms(" ".join(_LATE_TERM_WORDS))) - self._when_terms
        self._happen_terms = frozenset(self.matcher.pipeline.terms("händer"))
        # "vart skickar jag det?": sending says how, not what (the previous answer's "det").
        self._send_terms = frozenset(self.matcher.pipeline.terms("skicka skickar lämna lämnar mejla"))
        # A guide word of several words says how, not what ("steg för steg"): not a topic.
        manner = [w for w in flows.texts["words"].get("guide_request", []) if " " in w.strip()]
        self._manner_re = re.compile(
            rf"\b(?:{'|'.join(re.escape(w.strip()) for w in manner) or '(?!)'})\b", re.IGNORECASE
        )
        requests = self.messages.raw("action_requests") or {}
        asks = "|".join(sorted((re.escape(normalise(w)) for w in requests.get("asks") or ()), key=len, reverse=True))
        verbs = "|".join(sorted((re.escape(normalise(w)) for w in requests.get("verbs") or ()), key=len, reverse=True))
        behalf = "|".join(sorted((re.escape(normalise(w)) for w in requests.get("on_behalf") or ()), key=len, reverse=True))
        # "kan du boka …?", or a verb and "åt mig" anywhere ("skicka blanketten åt mig").
        self._action_request_re = re.compile(
            rf"^(?:{asks or '(?!)'})(?: \w+){{0,2}} (?:{verbs or '(?!)'})\w{{0,2}}\b"
            rf"|\b(?:{verbs or '(?!)'})\w{{0,2}}\b.*\b(?:{behalf or '(?!)'})\b"
        )
        openers = sorted((w.strip() for w in self.messages.raw("openers") or ()), key=len, reverse=True)
        self._opener_re = re.compile(
            rf"\s*(?P<word>{'|'.join(map(re.escape, openers)) or '(?!)'})(?!\w)(?P<sep>\s*[,!.]+)?\s*", re.IGNORECASE
        )

    # ------------------------------------------------------------------ entry points

    def card_texts(self) -> CardTexts:
        """The labels cards put around a message, from messages.yaml."""
        return CardTexts(
            feedback_up=self.messages.text("feedback_up_label"),
            feedback_down=self.messages.text("feedback_down_label"),
            follow_ups_heading=self.messages.text("follow_ups_heading"),
        )

    def welcome(self, shared: bool = False) -> Reply:
        """The greeting when the app is added; ``shared``: to a group chat or channel."""
        topics = [self._topic_choice(t) for t in self.messages.raw("welcome_topics")]
        text = self.messages.text("welcome_text")
        if shared:
            text = f"{text}\n\n{self.messages.text('shared_hint')}"
        msg = Message(title=self.messages.text("welcome_title"), text=text, choices=topics)
        return Reply([msg], status=STATUS_WELCOME)

    def error_reply(self) -> Reply:
        """The short apology a user gets when a turn fails (never a stack trace)."""
        return self._plain(self.messages.text("error_apology"), STATUS_COMMAND)

    def handle(self, inp: TurnInput, state: dict[str, Any]) -> TurnResult:
        """One turn. A defect in the turn logic costs the user this reply, never their
        state or a stack trace: they get the apology and their state as it was."""
        try:
            return self._handle(inp, state)
        except Exception:
            log.exception("turn failed for activity %s", inp.activity_id)
            try:
                kept = _sanitise(copy.deepcopy(state) if isinstance(state, dict) else {})
            except Exception:
                kept = {}
            return TurnResult(self.error_reply(), kept)

    def _handle(self, inp: TurnInput, state: dict[str, Any]) -> TurnResult:
        state = _sanitise(copy.deepcopy(state) if isinstance(state, dict) else {})
        seen: list[str] = state.get("seen", [])
        if inp.activity_id and inp.activity_id in seen:
            return TurnResult(Reply([], status=STATUS_IGNORED), state)
        if inp.activity_id:
            state["seen"] = (seen + [inp.activity_id])[-self.settings.seen_activity_ids :]

        notice, consumed = self._check_flow_health(state, inp)
        if consumed:
            # The input was meant for a flow that changed or is gone: say so (and ask the
            # restarted flow's first question) instead of applying it to something else.
            reply = Reply(notice, status=STATUS_DIALOG)
        else:
            ended = state.get("ended_flow")
            reply = self._dispatch(inp, state)
            reply.messages = notice + reply.messages
            if ended is not None and state.get("ended_flow") is ended:
                state.pop("ended_flow")  # "tillbaka" undoes a guide's end only right after it
        if inp.text and has_personnummer(inp.text):
            # It is never stored (redacted), but the user should not have to type it at all.
            reply.messages.append(Message(text=self.messages.text("personnummer_notice")))
        # A typed number presses the button shown with that number in this reply (in a
        # guide too: a "Menade du …?" mid-guide numbers its suggestions before the step's).
        buttons = [c.value for c in numbered_buttons(reply)]
        if buttons:
            state["buttons"] = buttons
        else:
            state.pop("buttons", None)
        self._record(inp, reply)
        return TurnResult(reply, state)

    # ------------------------------------------------------------------ the turn, top to bottom

    def _dispatch(self, inp: TurnInput, state: dict[str, Any]) -> Reply:
        if isinstance(inp.value, dict) and inp.value:
            return self._card_submit(inp, state)
        text = _INVISIBLE_RE.sub("", inp.text or "").strip()  # zero-width spaces are no text
        if not text:
            return self._note(state, inp, "empty_input")
        limit = self.settings.max_text_chars
        if len(text) > limit:
            return self._note(state, inp, "too_long", limit=limit)
        text = without_signature(text)  # "… mvh Anna, Tel 033-…": a pasted signature asks nothing
        if not text:
            return self._note(state, inp, "signature_only")

        command = self._command(text)
        typed = text  # "nej, det är hans förra chef" answers a guide with its opener
        if command is None:  # "tack så mycket, det hjälpte!" is thanks as it stands
            text = self._without_opener(text)
            command = self._command(text)
        if command is None and not any(ch.isalnum() for ch in text):
            return self._note(state, inp, "empty_input")  # "😀", "???": no words to go on (👍 is thanks)
        flow_state = state.get("flow")
        if command == "help":
            return self._with_step_again(state, self._help(inp), inp) if flow_state else self._help(inp)
        if command in ("thanks", "goodbye", "about", "wishes"):
            reply_text = self.messages.text(f"{command}_reply")
            if command == "about":  # who to ask when a bot will not do
                reply_text += "\n\n" + self.messages.text("way_on_text")
            said = self._plain(reply_text, STATUS_COMMAND)
            return self._with_step_again(state, said, inp) if flow_state else said
        if command == "not_helpful":
            # "fel svar" after an answer is the 👎 button typed out: count it the same way
            # (mid-guide it is about the guide, not the last answer).
            if flow_state:  # about the guide: how to change an answer or leave
                return self._with_step_again(state, self._plain(self.messages.text("not_helpful_in_guide"), STATUS_COMMAND), inp)
            if self.recorder and state.get("last_entry") in self.kb.entries:
                self.recorder.record_feedback(state["last_entry"], "down", inp.today)
            sorry = "\n".join(self.messages.text(key) for key in ("not_helpful_reply", "way_on_text"))
            return self._plain(sorry, STATUS_COMMAND)
        if command in ("cancel", "restart", "back", "continue"):
            if flow_state and command == "continue" and not self.engine.wants_typed_text(flow_state):
                # "fortsätt" continues after the offer to cancel; at a step with buttons it is
                # typed text when it presses one ("Nästa"); otherwise, and where a name or text
                # is wanted, it only shows the step again, never becomes the answer.
                turn = self.engine.handle(flow_state, text, None, inp.now)
                if turn is not None:
                    return self._flow_turn(state, turn, inp.today)
            if flow_state:
                value = {"action": "command", "command": text}
                return self._flow_turn(state, self.engine.handle(flow_state, None, value, inp.now), inp.today)
            state.pop("offered_flow", None)
            state.pop("offered_answers", None)
            ended = state.pop("ended_flow", None)
            if command == "back" and ended and self.engine.is_current(ended):
                # A guide that just ended on an answer ("Nej" to "Arbetar du på SÄS?"): undo it.
                state["flow"] = ended
                messages = [Message(text=self.engine.text("back")), *self.engine.reprompt(ended)]
                return Reply([self._dynamic(m, inp.today) for m in messages], status=STATUS_DIALOG)
            if command == "restart":
                state.pop("last_entry", None)
                return self._plain(self.messages.text("restarted"), STATUS_COMMAND)
            return self._plain(self.messages.text("nothing_to_cancel"), STATUS_COMMAND)

        trigger = self.flows.match_trigger(text) or self.flows.match_guide_request(text, switching=bool(flow_state))
        if trigger:
            return self._start_flow(state, trigger, inp)
        if not flow_state and self.flows.is_guide_request(text) and len(tokens(text)) <= GUIDE_REQUEST_MAX_WORDS:
            # "ja, guida mig": the guide just offered, if any; else the help, which lists the guides.
            offered = state.get("offered_flow")
            if offered and self.flows.get(offered):
                return self._start_flow(state, offered, inp, state.get("offered_answers"))
            # After "Menade du …?": the guide of the first suggestion that has one.
            suggested = [self.kb.entries.get(str(b.get("entry"))) for b in state.get("buttons") or []]
            guide = next((e.flow for e in suggested if e and e.flow and self.flows.get(e.flow)), None)
            if guide:
                state.pop("buttons", None)
                state.pop("pending_question", None)
                return self._start_flow(state, guide, inp)
            return self._help(inp)

        buttons = state.pop("buttons", None) or []
        number = _number(text)
        picked = _choice_number(typed) if buttons else None  # "den första", "the first one"
        if picked is not None and 1 <= picked <= len(buttons):
            number = picked
        if number is not None and 1 <= number <= len(buttons):
            pending = state.pop("pending_question", None)
            return self._card_submit(TurnInput(pending, buttons[number - 1], inp.today, inp.now), state)

        if flow_state:
            return self._in_flow(inp, text, state, flow_state, typed)
        ended = state.get("ended_flow")
        if ended:
            # Right after a "no" ended the guide, the user takes it back and the guide goes on:
            # "jo det är jag" after "jag är inte hennes chef", or "oj jag menade ja, jag jobbar
            # på SÄS" after "Nej" to the workplace question.
            resume, notice = self.engine.taken_back_no(ended, typed), "corrected"
            if resume is None and self.matcher.workplace(text) is False:
                resume, notice = self.engine.workplace_choice(ended, at_sas=True), "workplace_changed"
                if resume is not None:
                    state["elsewhere"] = False
            if resume is not None:
                state.pop("ended_flow")
                reply = self._flow_turn(state, self.engine.handle(ended, resume, None, inp.now), inp.today, ended)
                reply.messages.insert(0, Message(text=self.engine.text(notice)))
                return reply

        if (
            command == "yes"
            and buttons
            and "pending_question" in state
            and not state.get("offered_flow")
            and fold(text.strip(" .!")) not in _ACKNOWLEDGEMENTS
        ):
            # "ja" to "Menade du …?": the one suggestion, or which of several?
            if len(buttons) == 1:
                pending = state.pop("pending_question", None)
                return self._card_submit(TurnInput(pending, buttons[0], inp.today, inp.now), state)
            entries = [self.kb.entries.get(str(b.get("entry"))) for b in buttons]
            if all(entries):  # the same suggestions again, so the number still presses them
                choices = [_ask_choice(e) for e in entries if e]
                text = self.messages.text("which_option", n=str(len(choices)))
                return Reply([Message(text=text, choices=choices)], status=STATUS_COMMAND)
        first = self.kb.entries.get(str(buttons[0].get("entry"))) if buttons and "pending_question" in state else None
        if first is not None and first.deadline and self._only_a_new_date(text, inp.today, first):
            # "och den 20:e?" after "Menade du …?" led by a deadline: that deadline for the day
            state.pop("pending_question", None)
            return self._answer_entry(state, first, text, inp.today, 1.0)
        state.pop("pending_question", None)
        if number is not None:  # a bare number that presses no button shown: say so, then the help
            help_reply = self._help(inp)
            note = self.messages.text("no_such_number", n=str(number))
            help_reply.messages[0].text = f"{note}\n\n{help_reply.messages[0].text}"
            return help_reply

        offered = state.pop("offered_flow", None)
        carried = state.pop("offered_answers", None)
        if command == "yes" and offered and self.flows.get(offered):
            return self._start_flow(state, offered, inp, carried)
        if command in ("yes", "no"):
            return self._plain(self.messages.text("offer_declined"), STATUS_COMMAND)

        return self._match(inp, text, state)

    def _match(self, inp: TurnInput, text: str, state: dict[str, Any]) -> Reply:
        place = self.matcher.workplace(text)  # "jag jobbar på NÄL": remembered for what follows
        if place is not None:
            state["elsewhere"] = place
        previous = self.kb.entries.get(state.get("last_entry") or "")
        if place is not None and previous and previous.id in self.matcher.vgr_wide and self.matcher.only_a_workplace(text):
            # "och om jag jobbar på NÄL?" after the 8th-of-month answer: the service description
            # holds for every administration, so the same answer, saying so.
            reply = self._answer_entry(state, previous, text, inp.today, 1.0)
            reply.messages[0].text = f"{self.messages.text('vgr_wide')}\n\n{reply.messages[0].text}"
            return reply
        decision: Decision | None = None
        if place is not None:
            after = text.split(",", 1)[1] if "," in text else ""
            if _is_statement(text) and not _INTENT_RE.search(fold(text)) and not self.matcher.names_a_topic(after):
                # "Jag jobbar på SÄS" asks nothing: say what that means here ("… och ska
                # avsluta en behörighet" or "…, behörighet heroma" says what they want: that
                # is matched instead)
                entry = self.matcher.sas_elsewhere_entry
                if place and entry is not None:
                    return self._answer_entry(state, entry, text, inp.today, 1.0)
                if not place:
                    # …unless it names a topic the base answers or suggests ("jag är ny
                    # heromarapportör på säs"): then it is a question all the same, matched once.
                    if not self.matcher.only_a_workplace(text):
                        decision = self.match_question(text, inp.today, state.get("last_entry"), False)
                    if decision is None or decision.status not in (STATUS_ANSWER, STATUS_CLARIFY):
                        return self._plain(self.messages.text("workplace_sas"), STATUS_COMMAND)
        if decision is None:
            decision = self.match_question(text, inp.today, state.get("last_entry"), bool(state.get("elsewhere")))
        top = decision.top
        if decision.status == STATUS_ANSWER and top:
            return self._answer_entry(state, top.entry, text, inp.today, top.score)
        if decision.status == STATUS_CLARIFY:
            reply = self._clarify(state, text, decision)
        elif decision.status in _NOT_IN_DOCUMENTS:
            reply = self._not_in_documents(decision)
        elif decision.status == STATUS_IN_CONTEXT and top:
            reply = self._nothing_more(top.entry, [c.entry for c in decision.candidates[1:]], top.score)
        else:
            reply = self._fallback(top.score if top else 0.0)
        if decision.status == STATUS_CLARIFY and self._action_request_re.search(normalise(text)):
            # "kan du boka ett möte med en pensionshandläggare?": the bot can't, whichever is meant.
            reply.messages[0].text = f"{self.messages.text('cannot_do_lead')}\n\n{reply.messages[0].text}"
        if decision.status != STATUS_IN_CONTEXT and self.matcher.names_a_topic(text):
            # A question on a topic of its own that wasn't answered: the conversation has
            # moved on, so "när senast?" next is not about the answer before it.
            state.pop("last_entry", None)
        if looks_english(text, self._english_words, self._english_vocab):
            # An English-only user gets one line they can read; the rest stays Swedish.
            if decision.status in _NOT_IN_DOCUMENTS:
                key = _NOT_IN_DOCUMENTS[decision.status][1]
            else:
                key = "english_clarify_lead" if decision.status == STATUS_CLARIFY else "english_not_found_lead"
            reply.messages[0].text = f"{self.messages.text(key)}\n\n{reply.messages[0].text}"
        return reply

    def _clarify(self, state: dict[str, Any], text: str, decision: Decision) -> Reply:
        """ "Menade du …?" with the candidates as buttons."""
        # Keep the question (redacted) so a chosen suggestion still sees its dates.
        state["pending_question"] = redact(text)
        top = decision.top
        return Reply(
            [Message(text=self.messages.text("clarify_text"), choices=[_ask_choice(c.entry) for c in decision.candidates])],
            status=STATUS_CLARIFY,
            score=round(top.score, 3) if top else 0.0,
            suggestions=[c.entry.title for c in decision.candidates],
        )

    def match_question(
        self, text: str, today: date, last_entry: str | None = None, elsewhere: bool = False
    ) -> Decision:
        """What matching decides for a typed question (the benchmark asks this too). A
        message of several sentences that isn't answered as a whole is tried by its
        question sentence ("Hi, I don't speak Swedish well. When is the deadline …?").
        ``elsewhere``: the user works outside SÄS (said earlier, or in this message), so
        no entry only the SÄS routine backs may answer."""
        place = self.matcher.workplace(text)
        elsewhere = place if place is not None else elsewhere
        decision = self._match_one(text, today, last_entry, elsewhere)
        if decision.status == STATUS_ANSWER:
            return decision
        tails = _question_tails(text)
        if not tails:
            return decision
        suggested = {c.entry.id for c in decision.candidates[: self.settings.match.max_suggestions]}
        near = (suggested if decision.status == STATUS_CLARIFY else set()) | ({decision.top.entry.id} if decision.top else set())
        readings = [self._match_one(question, today, last_entry, elsewhere) for question in tails]
        for i, alone in enumerate(readings):
            # The sentence alone (then with the sentences before it), unless the whole message
            # was nearly sure of something else ("… skickade in sina tider sent … Kommer det med
            # eller hur funkar det?" is about the deadline, not whatever "hur funkar det" alone
            # would be). A reading of several sentences answers only with the whole message's
            # best entry or one it offered: "Chefen säger att det ser rätt ut i systemet. Vad gör jag
            # nu?" alone is no question about Heroma permissions.
            elsewhere_sure = decision.status == STATUS_CLARIFY and alone.top and alone.top.entry.id not in suggested
            if alone.status == STATUS_ANSWER and not elsewhere_sure and (i == 0 or alone.top.entry.id in near):
                return alone
        # "… glömde skicka in underlaget … Kommer det med på decemberlönen?": the sentence
        # alone could be the pay day or the deadline; the whole message, or the question with
        # the sentences just before it, picks the deadline.
        # A longer reading's best entry counts unless the whole message offered others.
        alone = readings[0]
        tops = {r.top.entry.id for r in (decision, *readings[1:]) if r.top}
        if decision.status == STATUS_CLARIFY:
            tops &= suggested
        agreed = [c for c in alone.candidates if c.entry.id in tops]
        if alone.status == STATUS_CLARIFY and agreed and agreed[0].score >= self.settings.match.answer_threshold:
            return Decision(STATUS_ANSWER, [agreed[0], *[c for c in alone.candidates if c is not agreed[0]]])
        return decision

    def _match_one(self, text: str, today: date, last_entry: str | None = None, elsewhere: bool = False) -> Decision:
        """The decision for one text.

        Ranked without its date expression, read as a follow-up of the previous answer
        when that answers it, never answered with an entry that doesn't give the sum of
        money it asks for, nor when it names no topic the knowledge base declares."""
        previous = self.kb.entries.get(last_entry) if last_entry else None
        stand_in = self.matcher.sas_elsewhere_entry
        if previous is not None and elsewhere and previous.id in self.matcher.sas_only and stand_in is not None:
            # "men vem gör det då hos oss?" from someone outside SÄS after a SÄS-only answer:
            # about the entry that says the routine is SÄS's only.
            previous, last_entry = stand_in, stand_in.id
        if previous is not None and previous.deadline and self._only_a_new_date(text, today, previous):
            # "och i januari?" after a deadline answer: the same rule for that date.
            return Decision(STATUS_ANSWER, [Candidate(previous, 1.0, combined=1.0)])
        if previous is not None and not previous.deadline:
            neighbour = self._dated_neighbour(text, today, previous)
            if neighbour is not None:
                return neighbour
        plain = self.matching_text(text, today)
        decision = self.rank_and_decide(plain, last_entry, elsewhere)
        # "vem är Erik Lund?" names someone the base doesn't know: a question about them, not
        # about the previous answer (the name is gone from ``plain``, so check the text).
        undated = self._undated(text, today)
        names_someone = self.matcher.without_names(undated) != undated
        in_context = (
            previous is not None and not names_someone and self._leans_on_previous(plain, decision, previous, elsewhere)
        )
        if in_context:
            alone = decision
            decision = self._in_context(plain, previous, elsewhere)
            sends = self._sends_it_there(plain, previous, alone, decision)
            if sends is True:
                # "vart skickar jag det?" after the reorganisation deadline: the answer just
                # given says where (VGR Serviceportal), not the permission form it matched alone.
                decision = Decision(STATUS_ANSWER, decision.candidates)
            elif sends is False and alone.status == STATUS_ANSWER:
                # "vart skickar man den?" after how to fill in the form: its neighbour on
                # sending the form says where, which the previous answer doesn't.
                decision, in_context = alone, False
            elif decision.status == STATUS_IN_CONTEXT and alone.status == STATUS_ANSWER and alone.top and not self._timing(plain):
                # Nothing sure read with the previous answer, but a sure answer on its own ("och
                # anställningen, vem avslutar den?" after ending a permission): that one.
                decision, in_context = alone, False
            elif (
                previous is not None
                and not previous.deadline
                and alone.status == STATUS_ANSWER
                and alone.top
                and alone.top.entry.deadline
                and parse_date_expression(text, today) is not None
            ):
                # "och om omorgen gäller från 1 februari?" after how the organisation tree is
                # rebuilt: a date for a rule that gives dates, which the previous answer doesn't.
                decision, in_context = alone, False
        subject = self.matcher.unknown_subject(undated)
        if subject and not (decision.top and _is_exact(decision.top)):
            # "behörighet till Agresso": about Agresso, which the documents don't cover.
            return Decision(STATUS_UNKNOWN_SUBJECT, decision.candidates, subject)
        if self.matcher.unknown_amount(plain, decision.top):
            return Decision(STATUS_UNKNOWN_AMOUNT, decision.candidates)
        if self.matcher.unknown_contact(plain, decision.top):
            return Decision(STATUS_UNKNOWN_CONTACT, decision.candidates)
        if self.matcher.unknown_count(plain, decision.top):
            if self.matcher.counts.unit(plain) == DURATION:
                return Decision(STATUS_UNKNOWN_DURATION, decision.candidates)
            # "hur många utbildningar måste en chef gå?": the best entry lists the courses, a
            # plausible one next to it says "två utbildningar" – that one answers. (Not for
            # "how long": any entry with a time in it would do, the wrong one too.)
            stating = [
                c
                for c in decision.candidates[1:]
                if c.score >= self.settings.match.clarify_threshold and not self.matcher.unknown_count(plain, c)
            ]
            if stating:
                return Decision(STATUS_ANSWER, [stating[0], *[c for c in decision.candidates if c is not stating[0]]])
            return Decision(STATUS_UNKNOWN_COUNT, decision.candidates)
        if in_context:  # its topic is the previous answer's
            return decision
        if not self.matcher.names_a_topic(plain) and not (decision.top and _is_exact(decision.top)):
            # "kanske", "berätta mer"; but a question the editors wrote for an entry
            # ("Vem är Sara Jareteg?") names its topic whatever its words.
            return Decision(STATUS_FALLBACK, decision.candidates)
        return decision

    def _leans_on_previous(self, text: str, decision: Decision, previous: Entry, elsewhere: bool = False) -> bool:
        """A short question that only makes sense after the previous answer: it names no
        topic ("varför?", "vem gör det?") or points back at it ("hur skickar jag det?")
        and doesn't stand on its own. A question that answers well by itself stays itself,
        unless a pronoun or its tininess ties it to the previous answer's own words."""
        words = tokens(text)
        if not words or len(words) > CONTEXT_MAX_WORDS:
            return False
        if self._timing(text):  # "senast vilket datum?", "vad händer om vi missar?"
            return True
        vocabulary = self.matcher.entry_vocabulary
        topic = self._topic_terms(text)
        # "vad händer om det …", "vad händer då?" ask about the previous answer whatever it
        # says of happening: "händer" is no topic word of its own here.
        core = topic - self._happen_terms
        own_topic = bool(topic) and core <= vocabulary[previous.id]  # the previous answer's words
        # "det", "it", "hon", or a condition added to the answer ("och om underlaget behöver
        # ändras?", "om det kom in i fredags?", "what if …"); "då" only ends a question.
        condition = " ".join(words).startswith(CONDITION_CUES)
        pronoun = _points_at_previous(words)
        points_back = condition or any(w in REFERRING_WORDS for w in words)  # "det", "då", "mer" …
        # A question word and a word or two of the answer ("vem informeras?" after the
        # overpayment answer, which says who is told).
        tiny = len(words) <= CONTEXT_TINY_WORDS and any(w in _ASKING_WORDS for w in words)
        if decision.status == STATUS_ANSWER and decision.top and (
            _is_exact(decision.top) or self.matcher.names_a_topic(text)
        ):
            # Answered on its own: a question of its own ("och behörigheten då?"), unless it
            # points back with the previous answer's words ("How long does it take?" after
            # the certificate answer, though a longer contracts variant matched it alone).
            # A few words whose own answer comes from another document than the previous one
            # lean too: "how do I sign up?" after the pension meetings is not about Lärportalen.
            other_doc = not {r.doc for r in decision.top.entry.sources} & {r.doc for r in previous.sources}
            brief = len([w for w in words if w not in STOPWORDS]) <= CONTEXT_TINY_WORDS and any(w in _ASKING_WORDS for w in words)
            # "vart skickar jag det?" after the reorganisation deadline: where to send *that*,
            # not the permission form (QA pass 56); after how to apply, the form is that.
            unrelated = not _neighbours(decision.top.entry, previous)
            sends = bool(core & self._send_terms) and core - self._send_terms <= vocabulary[previous.id]
            if pronoun and unrelated and sends:
                return True
            return not _is_exact(decision.top) and (pronoun or tiny or (brief and other_doc)) and own_topic
        if not self.matcher.names_a_topic(text):
            # Its own words must be ones the knowledge base knows: "vem vann
            # melodifestivalen?" after an answer is no follow-up, however short.
            rest = " ".join(w for w in words if w not in REFERRING_WORDS)
            if self._foreign_words(rest):
                return False
            return "?" in text or any(w in _ASKING_WORDS for w in words) or points_back
        # A very short question the bot is unsure of on its own ("vilka utbildningar?" after
        # how to apply) leans on the previous answer when its topic is that answer's own.
        if decision.status != STATUS_ANSWER and len(words) <= CONTEXT_SHORT_WORDS and (
            core <= vocabulary[previous.id] or (pronoun and core - self._send_terms <= vocabulary[previous.id])
        ):
            return True  # "skicka det till vem?" after ordering a certificate
        if decision.status != STATUS_ANSWER and own_topic and len(topic) > 1:
            # Longer, and unsure on its own, but every topic word is the previous answer's
            # ("hur långt innan måste vi säga till löneservice?" after the reorganisation
            # answer): about it when read with it that answer or a neighbour answers clearly.
            return self._in_context(text, previous, elsewhere).status == STATUS_ANSWER
        # Pointing back with a topic word of its own: still about the previous answer when
        # that word is the previous answer's or a related one's ("hur beställer jag det?"
        # after what Heromaservice is), a change of topic when not ("hur gör jag med
        # pensionen då?" after the deadline).
        near = set().union(*(vocabulary[e] for e in (previous.id, *previous.related) if e in vocabulary))
        return points_back and core <= near

    def _timing(self, text: str) -> str | None:
        """"when" for a short question that asks only when ("senast vilket datum?",
        "deadline?"), "late" for one that asks only what if it is late ("vad händer om vi
        missar?"), else None. After an answer, either is about what was just answered."""
        m = self.matcher
        topic = {t for t in m.query_terms(text) if t in m.topic_terms}
        if not topic or len(tokens(text)) > CONTEXT_MAX_WORDS:
            return None
        if topic <= self._when_terms:
            return "when"
        return "late" if topic <= self._when_terms | self._late_terms and topic & (self._late_terms - self._happen_terms) else None

    def _foreign_words(self, text: str) -> bool:
        """Whether the text has a word the knowledge base has never seen ("melodifestivalen",
        "väder"): then it is about something else, not a follow-up."""
        pipeline, m = self.matcher.pipeline, self.matcher
        for word in tokens(text):
            if word.isdigit() or word in STOPWORDS or word in _ASKING_WORDS or len(word) < 3:
                continue
            terms = pipeline.terms(word)  # unrepaired: repair would make "väder" "vad"
            if terms and all(t not in m.idf for t in terms):
                return True
            # A word the base never writes whose stem is only a question word ("väder" → "vad").
            if terms and word not in pipeline._surface and all(t in m.question_terms for t in terms):
                return True
        return False

    def _sends_it_there(self, text: str, previous: Entry, alone: Decision, in_context: Decision) -> bool | None:
        """For a follow-up that only asks where to send what the previous answer spoke of
        ("vart skickar jag det?"), read best with that answer: True when the previous answer
        is meant (the entry matched on its own is a stranger to it), False when the entry
        matched on its own is its neighbour ("vart skickar man den?" after how to fill in the
        form: sending the form); None for any other question."""
        top = in_context.top
        if top is None or top.entry is not previous or top.score < self.settings.match.answer_threshold:
            return None
        topic = self._topic_terms(text)
        if not _points_at_previous(tokens(text)) or not topic or not topic <= self._send_terms:
            return None
        return alone.top is None or not _neighbours(alone.top.entry, previous)

    def _topic_terms(self, text: str) -> set[str]:
        """The question's terms that the knowledge base declares topics."""
        return {t for t in self.matcher.query_terms(text) if t in self.matcher.topic_terms}

    def _in_context(self, text: str, previous: Entry, elsewhere: bool = False) -> Decision:
        """``_in_context_uncached``, once per question: a longer follow-up is read in context
        to decide whether it leans on the previous answer, then that reading is used."""
        key = (text, previous.id, elsewhere)
        if self._last_in_context[0] != key:
            self._last_in_context = (key, self._in_context_uncached(text, previous, elsewhere))
        return self._last_in_context[1]

    def _in_context_uncached(self, text: str, previous: Entry, elsewhere: bool = False) -> Decision:
        """Read the question with the previous answer's topic. Predictable on purpose: only
        an entry the previous answer lists as related may answer it ("hur beställer jag
        det?" after what Heromaservice is); when the previous answer itself fits best, or
        nothing does, the decision is STATUS_IN_CONTEXT, whose candidates are the previous
        entry, then the entries worth offering (the plausible ones, else the related)."""
        match = self.settings.match
        if previous.deadline and mentions_weekend(text):
            # "räknas helger?" after a deadline: that answer again, now with what the
            # document says (or doesn't) about weekends in its fine print.
            return Decision(STATUS_ANSWER, [Candidate(previous, 1.0, combined=1.0)])
        related = [Candidate(self.kb.entries[r], 0.0) for r in previous.related if r in self.kb.entries]
        timing = self._timing(text)
        if timing or not [t for t in self.matcher.query_terms(text) if t not in self.matcher.question_terms]:
            # Only question words ("varför?", "hur då?"): any entry with a "varför" variant
            # would look close. Nothing answers it but the previous answer: again when its
            # editors ask it that way ("vem gör det?" after contracts: "Vem skriver …?"),
            # else say so and offer its related.
            asks_when = _asks_when(text) or timing == "when"
            # A monthly deadline's answer says what comes of being late: the next month's pay.
            late = timing == "late" and (previous.deadline or {}).get("type") == "monthly"
            if _asked_like(text, previous) or (asks_when and self._states_a_day(previous)) or late:
                # "gäller det från när?" after the roles answer, which says "från 260301"
                return Decision(STATUS_ANSWER, [Candidate(previous, 1.0, combined=1.0)])
            return Decision(STATUS_IN_CONTEXT, [Candidate(previous, 0.0), *related])
        neighbour = self._neighbour_answer(text, previous, elsewhere)
        if neighbour is not None:
            return neighbour
        ranked = self._scoped(self.matcher.rank_in_context(text, previous, match.follow_up_boost), elsewhere)
        decision = decide(ranked, match)
        top = decision.top
        titled = self._titled_neighbour(text, previous, ranked) if top and top.entry is previous else None
        if titled is not None:
            return titled
        vocabulary = self.matcher.entry_vocabulary
        # A condition with a topic of its own that the answer never mentions ("och om chefen
        # är sjuk?" after how to apply) is not answered by showing that answer again.
        asked = " ".join(w for w in tokens(text) if w not in _WHEN_WORDS)  # "innan nyår" is when, not what
        new_topic = self._topic_terms(asked) - vocabulary[previous.id]
        new_topic -= self._happen_terms  # "vad händer om det inte kommer i tid?" names nothing new
        if _points_at_previous(tokens(text)):
            new_topic -= self._send_terms  # "vart skickar jag det?": where the answer said
        again = top is not None and top.entry is previous and not new_topic
        if decision.status == STATUS_ANSWER and top and (top.entry.id in previous.related or again):
            # A neighbour that answers it, or the previous answer itself ("hur lång tid tar
            # det?" after intyg: five working days are in it) – shown again, not denied.
            return decision
        runner_up = decision.candidates[1].entry if len(decision.candidates) > 1 else None
        if (
            top
            and top.entry.id in previous.related
            and runner_up is previous
            and top.score >= match.answer_threshold
            and self.matcher.counts.unit(text) is None
        ):
            # "kan dom ge mig råd?" after who answers pension questions: a neighbour ahead of
            # the answer just given, which the user has already read, is what is asked. Not
            # "hur lång tid tar det?": a neighbour stating some time is not that time.
            return Decision(STATUS_ANSWER, decision.candidates)
        second = decision.candidates[1] if len(decision.candidates) > 1 else None
        if (
            top
            and top.entry is previous
            and second is not None
            and second.entry.id in previous.related
            and second.score >= match.answer_threshold
            and top.combined - second.combined < match.answer_margin
            and self.matcher.counts.unit(text) is None
            and not self._topic_terms(text) <= self._send_terms | self._happen_terms
        ):
            # "vilka kurser?" after how a new reporter gets started: the neighbour on the
            # trainings, close behind the answer just read, is what is asked.
            return Decision(STATUS_ANSWER, [second, *[c for c in decision.candidates if c is not second]])
        near = [c for c in ranked if c.entry.id != previous.id and c.score >= match.clarify_threshold]
        return Decision(STATUS_IN_CONTEXT, [Candidate(previous, top.score if top else 0.0), *(near or related)])

    def _dated_neighbour(self, text: str, today: date, previous: Entry) -> Decision | None:
        """"ska gälla från 1 april 2027, när måste vi skicka?" after how the organisation tree
        is rebuilt: a short question that gives a date and asks when, after an answer that
        gives no dates, is for the one related entry that computes them."""
        words = tokens(text)
        if len(words) > DATED_QUESTION_WORDS or not set(words) & _WHEN_ASKING:
            return None
        if parse_date_expression(text, today) is None:
            return None
        dated = [self.kb.entries[r] for r in previous.related if r in self.kb.entries and self.kb.entries[r].deadline]
        if len(dated) != 1:
            return None
        return Decision(STATUS_ANSWER, [Candidate(dated[0], 1.0, combined=1.0)])

    def _titled_neighbour(self, text: str, previous: Entry, ranked: list[Candidate]) -> Decision | None:
        """A related entry whose title names something the follow-up asks about that the previous
        answer's title doesn't ("och om det är en chef som byter enhet?" after ending a
        permission: changing one), when it scores an answer in context. None otherwise."""
        if _points_at_previous(tokens(text)):  # "vad händer om det kommer in för sent?" is about it
            return None
        m = self.matcher
        # Only words specific enough to name a topic: "lön" is asked in most entries.
        specific = len(m.entries) * TITLED_TERM_MAX_SHARE
        asked = {t for t in m.query_terms(text) if t in m.topic_terms and m.question_df.get(t, 0) <= specific}
        # Asking *when* names no neighbour: "senast vilket datum?" after signing the
        # disbursement list is about that list, whose answer says no day is given.
        asked -= self._when_terms
        # …that the previous entry is neither titled nor asked with ("hur beställer vi?" after
        # buying Heromaservice: its variants ask how to order it)
        new = asked - set(m.pipeline.terms(previous.title)) - m.entry_asked[previous.id]
        if not new:
            return None
        threshold = self.settings.match.answer_threshold
        for cand in ranked:
            if (
                cand.entry.id in previous.related
                and cand.score >= threshold
                and new & set(m.pipeline.terms(cand.entry.title))
            ):
                return Decision(STATUS_ANSWER, [cand, *[c for c in ranked if c is not cand]])
        return None

    def _states_a_day(self, entry: Entry) -> bool:
        """Whether the entry's answer gives a day: a rule with dates, a code ("260301") or a
        date written out ("1 mars 2026")."""
        if entry.id not in self._states_day:
            # Whether a day is written is the same whatever "today" the parser is given.
            written = any(r.kind == "day" for r in all_date_expressions(entry.answer, date(2026, 1, 1)))
            self._states_day[entry.id] = bool(entry.deadline) or bool(DATE_CODE_RE.search(entry.answer)) or written
        return self._states_day[entry.id]

    def _neighbour_answer(self, text: str, previous: Entry, elsewhere: bool = False) -> Decision | None:
        """A neighbour of the previous answer that the question's own words pick, clearly
        ahead of that answer ("och när betalas lönen ut då?" after the deadline: the pay-day
        entry); in context the previous answer's title would otherwise always win. None when
        a pronoun or a condition makes the previous answer the subject ("vad händer om det
        kommer in för sent?", "och om vi är sena?") or the question is tiny ("när senast?")."""
        match = self.settings.match
        words = tokens(text)
        if _points_at_previous(words) or len(words) <= CONTEXT_TINY_WORDS:
            return None
        alone = self._scoped(self.matcher.rank(text), elsewhere)
        if not alone or alone[0].entry.id not in previous.related or alone[0].score < match.answer_threshold:
            return None
        behind = next((c.combined for c in alone if c.entry is previous), 0.0)
        return Decision(STATUS_ANSWER, alone) if alone[0].combined - behind >= match.answer_margin else None

    def _said_at_sas(self, text: str, candidates: list[Candidate]) -> list[Candidate]:
        """A question that names SÄS and no other workplace ("… en ny enhetschef på säs") is
        not about working elsewhere: the outside-SÄS entry is no rival to the one it ranks
        behind (it still answers when it leads: "gäller SÄS-rutinen på NÄL?")."""
        outside = self.matcher.sas_elsewhere_entry
        if outside is None or len(candidates) < 2 or candidates[0].entry is outside:
            return candidates
        if not self.matcher.names_sas_only(text):
            return candidates
        return [c for c in candidates if c.entry is not outside]

    def _scoped(self, candidates: list[Candidate], elsewhere: bool) -> list[Candidate]:
        """Candidates for a user outside SÄS lose the entries only the SÄS routine backs."""
        return self.matcher.outside_sas(candidates) if elsewhere else candidates

    def _only_a_new_date(self, text: str, today: date, previous: Entry) -> bool:
        """A short message that gives a date and names no topic of its own ("och i
        januari?", "om det gäller 1 juni 2027 då?", "om jag beställer det 22 december?"):
        its other words are ones the previous entry uses, or point nowhere in particular."""
        ref = parse_date_expression(text, today)
        if ref is None or not ref.text:
            return False
        rest = self._undated(text, today)  # every date goes: "och efter nyår, typ 4 jan?"
        words = tokens(rest)
        if len(words) > FOLLOW_UP_DATE_WORDS:
            return False
        # "och om underlaget kommer 3 mars?": arriving or sending says when, not what about.
        said = " ".join(w for w in words if w not in _ARRIVING_WORDS)
        topic = [t for t in self.matcher.pipeline.terms(said) if t not in self.matcher.question_terms]
        if previous.deadline.get("type") == "before_effective" and len(words) <= 3 and words[:1] in (["vi"], ["we"]):
            # "vi planerar 1 maj" after the answer that asks for the date a change takes
            # effect: our own plan's date, whatever the verb.
            return True
        if self._foreign_words(rest):  # "vad blir det för väder i morgon?" is no date follow-up
            return False
        declared = {t for t in topic if t in self.matcher.topic_terms} - self.matcher.entry_asked[previous.id]
        if declared:
            # A topic the previous entry is not asked about ("och för omorganisation från 1
            # mars?" after the 8th): a new question, when another entry answers it.
            best = self.matcher.rank(rest, limit=1)
            if best and best[0].entry is not previous and best[0].score >= self.settings.match.answer_threshold:
                return False
        if not topic or set(topic) <= self.matcher.entry_vocabulary[previous.id]:
            return True
        best = self.matcher.rank(rest, limit=1)
        return not best or best[0].score < self.settings.match.answer_threshold

    def matching_text(self, text: str, today: date) -> str:
        """The question without its date expressions: "1 mars 2027" is about *when*, and
        its words must not pull the question towards entries that mention March. When too
        little would be left ("i fredags" alone), the date words stay."""
        rest = self.matcher.without_names(self._undated(text, today))  # "Anna Svensson har fel lön"
        rest = self._manner_re.sub(" ", rest)  # "steg för steg, hur avslutar jag en anställning?"
        rest = _TOPIC_RETURN_RE.sub("", rest)  # "tillbaka till lönen, …" is no paying back
        rest = _CORRECTION_OPENER_RE.sub("", rest)  # "fel, det ska vara chef" (QA pass 59)
        rest = self.matcher.without_occupation(rest)  # "jag är undersköterska och min lön blev fel"
        if rest == text:
            return text
        # "vad gäller från 1 mars 2026?": a day the documents write as a code ("260301") keeps
        # that code, which names the entry's topic; so does a day an answer writes out
        # ("efter 31 december 2026" → "2026-12-31", the service description's last day).
        codes = [
            code
            for ref in (all_date_expressions(text, today) if _YEAR_RE.search(text) else ())
            if ref.kind == "day" and _YEAR_RE.search(ref.text or "") and (code := self.matcher.date_codes.get(ref.value))
        ]
        if codes:
            rest = f"{rest} {' '.join(codes)}"
        return rest if len(self.matcher.pipeline.terms(rest)) >= 1 else text

    def _undated(self, text: str, today: date) -> str:
        """The text without personal data and date expressions (names go after the dates,
        or "January" in "January 2027" would look like one). A turn asks twice; the last
        answer is kept."""
        if self._last_undated[0] == (text, today):
            return self._last_undated[1]
        rest = self._undated_uncached(text, today)
        self._last_undated = ((text, today), rest)
        return rest

    def _undated_uncached(self, text: str, today: date) -> str:
        rest = without_personal_data(text)  # "jag heter Anna Svensson, …", a personnummer: no topic
        for ref in all_date_expressions(rest, today):
            if ref.text:
                pay = PAY_TAIL_RE.search(fold(ref.text))  # "marslönen" leaves "lönen"
                at = rest.find(ref.text)
                if at < 0:
                    continue
                start = at - weekday_before(rest[:at])  # "fre 18/12": the weekday goes too
                rest = f"{rest[:start]}{f' {pay.group(0)} ' if pay else ' '}{rest[at + len(ref.text) :]}"
        for day in impossible_days(rest):  # "31 april" is about when too, though no day
            rest = rest.replace(day, " ", 1)
        rest = HOLIDAY_STRETCH_RE.sub(" ", rest)  # "mellan jul och nyår" is when, not what
        return TIME_OF_DAY_RE.sub(" ", rest)  # "kl 23 på kvällen" is when, not what

    def rank_and_decide(self, text: str, last_entry: str | None = None, elsewhere: bool = False) -> Decision:
        """Matching for one text, using the previous answer for short follow-ups."""
        match = self.settings.match
        previous = self.kb.entries.get(last_entry) if last_entry else None
        own = decide(self._scoped(self._said_at_sas(text, self.matcher.rank(text)), elsewhere), match)
        if previous:
            follow = self.matcher.rank_follow_up(text, previous, match.follow_up_boost)
            follow = self._scoped(follow, elsewhere) if follow is not None else None
            if follow is not None:
                if own.status == STATUS_ANSWER and own.top and own.top.entry.id == previous.id:
                    return own  # "och vem ska jag mejla?" after where to send the form: that answer
                decision = decide(follow, match)
                if decision.status == STATUS_ANSWER:
                    return decision
        return own

    # ------------------------------------------------------------------ card submits

    def _card_submit(self, inp: TurnInput, state: dict[str, Any]) -> Reply:
        value = inp.value or {}
        action = value.get("action")
        if action == "ask" and _known(value.get("entry"), self.kb.entries):
            state.pop("offered_flow", None)
            state.pop("offered_answers", None)
            question = inp.text or state.pop("pending_question", None)
            entry = self.kb.entries[value["entry"]]
            if state.get("flow"):  # a follow-up pressed mid-guide: answer, then the step again
                return self._with_step_again(state, self._answer_entry(state, entry, question, inp.today, 1.0, in_guide=True), inp)
            return self._answer_entry(state, entry, question, inp.today, 1.0)
        if action == "flow.start" and isinstance(value.get("flow"), str) and self.flows.get(value["flow"]):
            return self._start_flow(state, value["flow"], inp, _carried(value.get("answers")))
        if action in ("flow.answer", "flow.continue"):
            if state.get("flow"):
                before = state["flow"]
                return self._flow_turn(state, self.engine.handle(before, None, value, inp.now), inp.today, before)
            return self._plain(self.messages.text("nothing_to_cancel"), STATUS_COMMAND)
        if action == "offer" and state.get("offered_flow"):
            offered = state.pop("offered_flow")
            state.pop("offered_answers", None)  # an answer's offer carries none
            if value.get("choice") == "yes" and self.flows.get(offered):
                return self._start_flow(state, offered, inp)
            return self._plain(self.messages.text("offer_declined"), STATUS_COMMAND)
        if action == "command" and isinstance(value.get("command"), str) and len(value["command"]) < 50:
            return self._dispatch(TurnInput(value["command"], None, inp.today, inp.now), state)
        if action == "feedback" and value.get("vote") in ("up", "down") and _known(value.get("entry"), self.kb.entries):
            if self.recorder:
                self.recorder.record_feedback(value["entry"], value["vote"], inp.today)
            key = "feedback_thanks_up" if value["vote"] == "up" else "feedback_thanks_down"
            return self._plain(self.messages.text(key), STATUS_COMMAND)
        # Unknown or malformed card data: treat like an empty message, never crash.
        if isinstance(inp.text, str) and inp.text.strip():
            return self._dispatch(TurnInput(inp.text, None, inp.today, inp.now), state)
        return self._plain(self.messages.text("empty_input"), STATUS_COMMAND)

    # ------------------------------------------------------------------ guided flows

    def _check_flow_health(self, state: dict[str, Any], inp: TurnInput) -> tuple[list[Message], bool]:
        """Close a flow left idle too long; restart one whose definition changed.

        Returns the notice and whether it replaces the turn: always after a restart (the
        input answered a question that no longer stands), after expiry only for a flow
        card (a typed question is still answered).
        """
        flow_state = state.get("flow")
        if not flow_state:
            return [], False
        idle = timedelta(minutes=self.settings.flow_idle_minutes)
        if self.engine.expired(flow_state, inp.now, idle):
            state.pop("flow", None)
            notice = [Message(text=self.messages.text("flow_expired", minutes=self.settings.flow_idle_minutes))]
            flow_card = isinstance(inp.value, dict) and str(inp.value.get("action", "")).startswith("flow.")
            return notice, flow_card
        if not self.engine.is_current(flow_state):
            state.pop("flow", None)
            notice = [Message(text=self.engine.text("version_changed"))]
            flow_id = flow_state.get("flow")
            if isinstance(flow_id, str) and self.flows.get(flow_id):
                turn = self.engine.start(flow_id, inp.now)
                state["flow"] = turn.state
                notice += [self._dynamic(m, inp.today) for m in turn.messages]
            return notice, True
        return [], False

    def _start_flow(
        self, state: dict[str, Any], flow_id: str, inp: TurnInput, carried: dict[str, str] | None = None
    ) -> Reply:
        """Start a guide; ``carried``: answers another guide already has (not asked again)."""
        state.pop("offered_flow", None)
        state.pop("offered_answers", None)
        current = state.get("flow")
        if current and current.get("flow") == flow_id and current.get("history"):
            # Starting the guide one is already in (a topic button, its trigger word) must
            # not silently throw the answers away: say so and ask the current step again.
            title = self.flows.flows[flow_id].title
            note = Reply([Message(text=self.engine.text("already_in_flow", title=title))], status=STATUS_DIALOG)
            return self._with_step_again(state, note, inp)
        # The user said where they work: the guide doesn't ask again (dialogs: workplace).
        place = state.get("elsewhere")
        at_sas = (not place) if isinstance(place, bool) else None
        turn = self.engine.start(flow_id, inp.now, carried, at_sas)
        # If that ends the guide at once (outside SÄS), "tillbaka" brings back its first question.
        ends_at_once = at_sas is not None and turn.state is None
        before = self.engine.start(flow_id, inp.now).state if ends_at_once else None
        reply = self._flow_turn(state, turn, inp.today, before)
        old = self.flows.get(current.get("flow", "")) if current else None
        if old is not None and old.id != flow_id:
            # Another guide was running (a topic button pressed from the help mid-guide): say it ended.
            reply.messages.insert(0, Message(text=self.engine.text("switched_flow", title=old.title)))
        return reply

    def _flow_turn(
        self, state: dict[str, Any], turn: FlowTurn | None, today: date, before: dict[str, Any] | None = None
    ) -> Reply:
        """Store the guide's new state and show its messages. ``before``: the state an answer
        was given in; if that answer ended the guide, "tillbaka" next turn brings it back."""
        if turn is None:  # not expected for commands and card values; be safe
            return self._plain(self.messages.text("empty_input"), STATUS_COMMAND)
        if turn.workplace:  # "Ja" to "Arbetar du på SÄS?": the conversation now knows it
            state["elsewhere"] = turn.workplace == "elsewhere"
        if turn.state is None:
            state.pop("flow", None)
            if before is not None:
                state["ended_flow"] = before
            # A guide that ends offering one guide ("Starta guiden igen", the chef's guide):
            # "ja" takes the offer, as it does after an answer.
            offers = [c.value for m in turn.messages for c in m.choices if c.value.get("action") == "flow.start"]
            if len(offers) == 1:
                state["offered_flow"] = offers[0]["flow"]
                if offers[0].get("answers"):
                    state["offered_answers"] = offers[0]["answers"]
        else:
            state["flow"] = turn.state
        messages = [self._dynamic(m, today) for m in turn.messages]
        if turn.finished and before is not None and messages and not messages[-1].source:
            # The checklist and e-mail rest on the routine like any answer: say where from.
            messages[-1].source = self._guide_source(str(before.get("flow")))
        return Reply(messages, status=STATUS_DIALOG)

    def _guide_source(self, flow_id: str) -> str | None:
        """The "Källa" line of a guide: the sources of the entries that offer it."""
        refs = [ref for entry in self.kb.entries.values() if entry.flow == flow_id for ref in entry.sources]
        return self.kb.sources_line(dict.fromkeys(refs))

    def _in_flow(
        self, inp: TurnInput, text: str, state: dict[str, Any], flow_state: dict[str, Any], typed: str | None = None
    ) -> Reply:
        """A message while a guide waits: the step's answer, a changed workplace, a question
        (answered, then the step again), or a miss. ``typed``: the message before a leading
        word like "nej," was dropped as an opener; to the guide that word is the answer."""
        typed = typed or text
        said_place = None if _asks_something(typed) else self.matcher.workplace(text)
        if said_place is not None:
            # "jag menar ja, jag jobbar på SÄS" after "Nej": the workplace answer again, before
            # its leading "ja" presses whatever the current step offers.
            changed = self.engine.change_workplace(flow_state, at_sas=not said_place, now=inp.now)
            if changed is not None:
                state["elsewhere"] = said_place
                return self._flow_turn(state, changed, inp.today, flow_state)
        corrected = self.engine.correct(flow_state, typed, inp.now)
        if corrected is not None:  # "nej förlåt, hon heter Ida Eklund": an earlier answer anew
            return self._flow_turn(state, corrected, inp.today, flow_state)
        turn = self.engine.handle(flow_state, typed, None, inp.now)
        if turn is None and typed != text and not self.engine.opens_with_correction(typed):
            # "ok, Anna Svensson": the opener dropped; not "oj, Per Holmberg heter han", a correction
            turn = self.engine.handle(flow_state, text, None, inp.now)
        if turn is not None:
            return self._flow_turn(state, turn, inp.today, flow_state)
        if self.engine.undecided(flow_state, typed):  # "ja men bara halva utbildningen", "chef och rapportör"
            return self._flow_turn(state, self.engine.miss(flow_state, inp.now), inp.today)
        if self.engine.means_to_correct(typed):
            # "fel roll", "jag skrev fel namn": how to change an answer, not the pay-error entry.
            return self._flow_turn(state, self.engine.unclear_correction(flow_state, inp.now), inp.today)
        # "vad är SÄS?", "är borås lasarett SÄS?" ask; they say nothing of where one works.
        place = said_place if said_place is not None or _asks_something(typed) else self.matcher.mentioned_workplace(text)
        choice = self.engine.workplace_choice(flow_state, at_sas=not place) if place is not None else None
        if choice is not None:
            # "jag jobbar på SÄS" at "Arbetar du på SÄS?": that is the answer (dialogs: workplace).
            state["elsewhere"] = place
            return self._flow_turn(state, self.engine.handle(flow_state, choice, None, inp.now), inp.today, flow_state)
        if said_place is None and place is not None:  # a stated workplace was tried above
            changed = self.engine.change_workplace(flow_state, at_sas=not place, now=inp.now)
            if changed is not None:
                # "nej förresten, Alingsås lasarett" after answering "Ja" to SÄS
                state["elsewhere"] = place
                return self._flow_turn(state, changed, inp.today, flow_state)
        # Not an answer to the step: maybe a knowledge question (a digression). A bare
        # number is a wrong button, never a question ("2" is not "steg 2").
        if _number(text) is not None:
            return self._flow_turn(state, self.engine.miss(flow_state, inp.now), inp.today)
        asks = looks_like_question(typed) or normalise(text).split(" ", 1)[0] in _ASKING_WORDS
        # A "no" said in words ("jag är inte chef", "har inte gjort introduktionen") answers the
        # step when its topic is the step's own, before any knowledge entry on that topic;
        # "jag hittar inte blanketten" is about something else.
        topic = self._topic_terms(typed)
        step_words = set(self.matcher.query_terms(" ".join(m.text for m in self.engine.reprompt(flow_state))))
        on_step = bool(topic) and topic <= step_words
        said_no = self.engine.answer_leading(flow_state, typed, inp.now, on_step=True) if on_step and not asks else None
        if said_no is not None:
            return self._flow_turn(state, said_no, inp.today, flow_state)
        decision = self.match_question(text, inp.today, elsewhere=bool(state.get("elsewhere")))
        if decision.status == STATUS_ANSWER and decision.top:
            answer = self._answer_entry(state, decision.top.entry, text, inp.today, decision.top.score, in_guide=True)
            return self._with_step_again(state, answer, inp)
        if decision.status in _NOT_IN_DOCUMENTS:
            # "hur mycket ob får man?" mid-guide: the documents don't say; then the step again.
            return self._with_step_again(state, self._not_in_documents(decision), inp)
        # "nej det e min chef som e ansvarig", "ja han har gjort introt men inte chefsutbildningen":
        # no question the bot is sure of and opening with an option's word, so an answer to the
        # step; a "no" in words too when nothing in the knowledge base is near ("I'm not the manager").
        says_no = decision.status == STATUS_FALLBACK
        leading = None if asks else self.engine.answer_leading(flow_state, typed, inp.now, says_no)
        if leading is not None:
            return self._flow_turn(state, leading, inp.today, flow_state)
        if decision.status == STATUS_CLARIFY and (asks or not self.engine.wants_typed_text(flow_state)):
            # Where the step offers choices, a question the bot is unsure of is still a
            # question, not a wrong answer. Where it wants a name or a description, the
            # text was most likely a try at one ("Anna 2"): the step's hint says what fits.
            return self._with_step_again(state, self._clarify(state, text, decision), inp)
        return self._flow_turn(state, self.engine.miss(flow_state, inp.now), inp.today)

    def _with_step_again(self, state: dict[str, Any], reply: Reply, inp: TurnInput) -> Reply:
        """A reply given while a guide waits (an answer, the help), then the guide's current
        question again: the last buttons shown are the step's, so a typed number or the
        next message still goes to the guide."""
        reply.messages += [self._dynamic(m, inp.today) for m in self.engine.reprompt(state["flow"])]
        return reply

    # ------------------------------------------------------------------ building replies

    def _answer_entry(
        self, state: dict[str, Any], entry: Entry, question: str | None, today: date, score: float, in_guide: bool = False
    ) -> Reply:
        """The entry's answer with its dates, contacts and source. ``in_guide``: a digression
        while a guide waits, so no offer of a guide and no follow-up buttons – the step's
        own buttons keep their numbers 1, 2, … under it."""
        previous = self.kb.entries.get(state.get("last_entry") or "")
        same_entry = previous is entry
        state["last_entry"] = entry.id
        text = self._expand(entry.answer, today)
        fine_print = None
        if entry.deadline:
            question = self._with_earlier_day(state, question or "", today, same_entry)
            question = self._with_earlier_month(state, question, today, previous, entry)
            info = describe_deadline(entry.deadline, question, today, self.calendar)
            state.pop("last_due", None)
            if info:
                if info.due:
                    state["last_due"] = info.due.isoformat()  # "och nästa efter det?" counts on from it
                text = f"{text}\n\n{info.text}"
                notes = [
                    info.fine_print or "",
                    *self._beyond_validity(entry, info.last_date, today),
                    *self._before_validity(entry, info.due),
                ]
                fine_print = " ".join(n for n in notes if n) or None
        elif question and (rule := self._rule_stated(entry)) and _IN_TIME_RE.search(fold(question)):
            # "vi blev klara med löneförhandlingarna igår, hinner retrolönen komma med i januari?":
            # the entry states a related entry's deadline (a source they share); count it.
            info = describe_deadline(rule.deadline or {}, question, today, self.calendar)
            if info:
                text = f"{text}\n\n{info.text}"
                notes = [info.fine_print or "", *self._beyond_validity(rule, info.last_date, today)]
                fine_print = " ".join(n for n in notes if n) or None
        elif question and (asked := parse_date_expression(question, today, prefer="nearest")) is not None:
            # "vad gäller från 1 januari 2027?": an answer about a time past the document's
            # last day rests on it all the same; say it may change (QA pass 43). "jag fick fel
            # lön i november" is the November that has been (QA pass 50), so no such note.
            fine_print = " ".join(self._beyond_validity(entry, asked.value, today)) or None
        if question and self._action_request_re.search(normalise(question)):
            # "kan du boka ett möte?": it can't; say so before how to do it oneself.
            text = f"{self.messages.text('cannot_do_lead')}\n\n{text}"
        if question and entry.english and looks_english(question, self._english_words, self._english_vocab):
            text = f"{self.messages.text('english_lead', text=entry.english)}\n\n{text}"
        if entry.contacts:
            lines = [f"- **{self.kb.contacts[k].name}:** {self.kb.contacts[k].text}" for k in entry.contacts]
            text = f"{text}\n\n" + "\n".join(lines)
        warnings = [
            self.messages.text("expired_warning", title=src.title, valid_to=src.valid_to.isoformat())
            for src in self.kb.expired_sources(entry, today)
        ]
        follow_ups = (
            [] if in_guide else [_ask_choice(self.kb.entries[r]) for r in entry.related[:3] if r in self.kb.entries]
        )
        msg = Message(
            text=text,
            title=entry.title,
            source=self.kb.source_line(entry),
            warning="\n".join(warnings) or None,
            fine_print=fine_print,
            follow_ups=follow_ups,
            feedback_entry=entry.id,
        )
        messages = [msg]
        other = self.flows.get(entry.flow or "") if in_guide else None
        if other is not None and other.triggers and other.id != (state.get("flow") or {}).get("flow"):
            # "egentligen vill jag avsluta en behörighet istället" mid-guide: how to switch.
            msg.text += "\n\n" + self.messages.text("other_flow_hint", title=other.title, trigger=other.triggers[0])
        if not in_guide and entry.flow and self.flows.get(entry.flow):
            state["offered_flow"] = entry.flow
            messages.append(
                Message(
                    text=self.messages.text("offer_flow"),
                    choices=[
                        Choice(self.messages.text("offer_flow_yes"), {"action": "offer", "choice": "yes"}),
                        Choice(self.messages.text("offer_flow_no"), {"action": "offer", "choice": "no"}),
                    ],
                )
            )
        return Reply(messages, status=STATUS_ANSWER, entry=entry.id, score=round(min(score, 1.0), 3))

    def _rule_stated(self, entry: Entry) -> Entry | None:
        """A related entry with a deadline that this entry states too (they cite the same
        passage): the retroactive pay entry says förhandlingsresultat is due by the 5th."""
        if entry.deadline:
            return None
        own = set(entry.sources)
        return next(
            (
                rule
                for r in entry.related
                if (rule := self.kb.entries.get(r)) is not None and rule.deadline and own & set(rule.sources)
            ),
            None,
        )

    def _with_earlier_day(self, state: dict[str, Any], question: str, today: date, same_entry: bool) -> str:
        """A deadline question with the day an earlier question of this topic gave, when it
        names none and points back: "vi blev klara med löneöversynen i fredags" → "hinner
        det med på decemberlönen?" is about what came in on that Friday. The day is kept
        as a date, so "i fredags" still means that Friday later."""
        ref = parse_date_expression(question, today)
        if ref is not None and ref.kind == "day":
            # The month of the day the user gave last ("den 9:e" → "och den 20:e då?"), or of
            # the month they asked about ("och för december då?"), else of the deadline just given.
            due = (state.get("last_day") or state.get("last_month") or state.get("last_due")) if same_entry else None
            if due and _ORDINAL_ONLY_RE.fullmatch(fold(ref.text or "").strip()):
                # "om det kommer in den 9:e?" after January's deadline: the 9th of January
                try:
                    day = date.fromisoformat(due).replace(day=ref.value.day)
                except ValueError:
                    day = ref.value
                state["last_day"] = day.isoformat()
                state.pop("last_day_needed", None)
                if day == ref.value or not ref.text:
                    return question
                return question.replace(ref.text, f"{day.day} {format_month_sv(day)}", 1)
            state["last_day"] = ref.value.isoformat()
            # "behöver det före jul": a day it is needed by stays one when carried on
            state["last_day_needed"] = bool(ref.text) and needed_by(question, ref.text)
            return question
        earlier = state.get("last_day") if same_entry else None
        needed = bool(state.pop("last_day_needed", False)) and earlier is not None
        if earlier and ref is not None and not _pay_month_of(ref.value, earlier):
            earlier = None  # "och för februari?" after the 20th of December: a month of its own
        state.pop("last_day", None)
        words = tokens(question)
        after = bool(NEXT_ONE_RE.search(fold(question)) and set(words) & {"efter", "after"})
        if after and not earlier and same_entry:
            earlier = state.get("last_due")  # "och nästa efter det?" after the day just given
        # "då"/"then" points back too: "när måste underlaget vara inne då?" after "… 1 april 2027".
        points = bool(set(words) & (_POINTING_PRONOUNS | _THEN_WORDS)) or len(words) <= CONTEXT_TINY_WORDS  # "när senast?"
        if not earlier or len(words) > CONTEXT_MAX_WORDS or not points:
            return question
        try:
            day = date.fromisoformat(earlier)
        except ValueError:
            return question
        state["last_day"] = earlier
        if after:
            day += timedelta(days=1)  # "och nästa efter det?": what comes in the day after
        if needed:
            state["last_day_needed"] = True
            return f"till {day.day} {format_month_sv(day)}: {question}"
        return f"{day.day} {format_month_sv(day)}: {question}"

    def _with_earlier_month(
        self, state: dict[str, Any], question: str, today: date, previous: Entry | None, entry: Entry
    ) -> str:
        """"och för löneöversynen?" after "deadline löneunderlag maj": the month asked about
        carries over from one monthly deadline to another, when the follow-up names no date.
        The month is kept while the conversation stays with monthly deadlines."""
        if (entry.deadline or {}).get("type") != "monthly":
            state.pop("last_month", None)
            return question
        carried = state.get("last_month")
        said_next = _NEXT_MONTH_RE.search(fold(question))
        if said_next and carried and previous is entry and len(tokens(question)) <= CONTEXT_MAX_WORDS:
            # "och nästa månad?" after February's deadline: March, the month after the one
            # just talked about, not the month after today.
            try:
                month = add_months(date.fromisoformat(carried).replace(day=1), 1)
            except ValueError:
                month = None
            if month is not None:
                state["last_month"] = month.isoformat()
                folded = fold(question)
                return f"{folded[: said_next.start()]}{format_month_sv(month)}{folded[said_next.end() :]}"
        ref = parse_date_expression(question, today, prefer="nearest")
        if ref is not None:
            if ref.kind == "month":
                state["last_month"] = ref.value.isoformat()  # a month's value is its 1st day
            else:
                state.pop("last_month", None)
            return question
        switched = previous is not None and previous is not entry and (previous.deadline or {}).get("type") == "monthly"
        # "är det en fredag?", "och om jag missar?" after January's deadline: still January.
        if not carried or not (switched or previous is entry) or len(tokens(question)) > CONTEXT_MAX_WORDS:
            return question
        try:
            month = date.fromisoformat(carried)
        except ValueError:
            return question
        return f"{format_month_sv(month)}: {question}"

    def _beyond_validity(self, entry: Entry, last: date | None, today: date) -> list[str]:
        """A date computed past the source's validity rests on a rule that may change:
        say so ("Datumet ligger efter 2026-12-31, då … slutar gälla")."""
        if last is None:
            return []
        sources = [self.kb.sources[doc] for doc in sorted({ref.doc for ref in entry.sources})]
        return [
            self.messages.text("beyond_validity", title=src.title, valid_to=src.valid_to.isoformat())
            for src in sources
            if last > src.valid_to and today <= src.valid_to  # once expired, the banner says it
        ]

    def _before_validity(self, entry: Entry, due: date | None) -> list[str]:
        """A date before the source version began ("vecka 50" of 2025) was under an earlier
        version the bot doesn't have: say so rather than imply this rule applied then."""
        if due is None:
            return []
        sources = [self.kb.sources[doc] for doc in sorted({ref.doc for ref in entry.sources})]
        return [
            self.messages.text("before_validity", title=src.title, valid_from=src.valid_from.isoformat())
            for src in sources
            if due < src.valid_from
        ]

    def _fallback(self, score: float) -> Reply:
        return self._dont_know("fallback_text", score)

    def _not_in_documents(self, decision: Decision) -> Reply:
        """"Beloppet står inte i dokumenten" (or the count, the duration, the subject: the
        decision's _NOT_IN_DOCUMENTS text), the way on, and what the bot can tell about the
        topic – entries it would have answered with – or else the main topics: a merely
        plausible entry ("sista dag för underlag" for an OB question) is noise here."""
        match = self.settings.match
        near = [c.entry for c in decision.candidates if c.score >= match.answer_threshold][: match.max_suggestions]
        top = decision.top
        key = _NOT_IN_DOCUMENTS.get(decision.status, _NOT_IN_DOCUMENTS[STATUS_UNKNOWN_AMOUNT])[0]
        if decision.subject:  # the user's own words, shown back: letters, digits and hyphens only
            subject = " ".join(SUBJECT_SHOWN_RE.sub(" ", decision.subject).split())[:SUBJECT_SHOWN_MAX]
            return self._dont_know(key, top.score if top else 0.0, near, subject=subject)
        return self._dont_know(key, top.score if top else 0.0, near)

    def _nothing_more(self, previous: Entry, near: list[Entry], score: float) -> Reply:
        """A follow-up about the previous answer that nothing else answers ("varför?"): say
        which answer it was read against and that there is nothing more, never a repeat
        of the whole card nor a guess from a stranger entry."""
        match = self.settings.match
        text = self.messages.text("in_context_text", title=previous.title)
        msgs = [Message(text=text + "\n" + self.messages.text("way_on_text"))]
        if near:
            choices = [_ask_choice(entry) for entry in near[: match.max_suggestions]]
            msgs.append(Message(text=self.messages.text("follow_ups_heading"), choices=choices))
        return Reply(msgs, status=STATUS_FALLBACK, score=round(score, 3))

    def _dont_know(self, reason_key: str, score: float, near: list[Entry] | None = None, **fill: str) -> Reply:
        """Every "I don't know" reply: the reason (its placeholders from ``fill``), the way
        on, then the entries near the question (``near``) or else the main topics."""
        if near:
            intro = self.messages.text("amount_topics_intro")
            choices = [_ask_choice(entry) for entry in near]
        else:
            intro = self.messages.text("fallback_topics_intro")
            choices = [self._topic_choice(t) for t in self.messages.raw("main_topics")]
        msgs = [
            Message(text=self.messages.text(reason_key, **fill) + "\n" + self.messages.text("way_on_text")),
            Message(text=intro, choices=choices),
        ]
        return Reply(msgs, status=STATUS_FALLBACK, score=round(score, 3))

    def _help(self, inp: TurnInput) -> Reply:
        topics = [self._topic_choice(t) for t in self.messages.raw("welcome_topics")]
        text = self.messages.text("help_text")
        if inp.shared:
            text = f"{text}\n{self.messages.text('shared_hint')}"
        return Reply([Message(text=text, choices=topics)], status=STATUS_COMMAND)

    def _plain(self, text: str, status: str) -> Reply:
        return Reply([Message(text=text)], status=status)

    def _note(self, state: dict[str, Any], inp: TurnInput, key: str, **values: Any) -> Reply:
        """A short note (messages.yaml); mid-guide, the guide's question again under it."""
        reply = self._plain(self.messages.text(key, **values), STATUS_COMMAND)
        flow_state = state.get("flow")
        if isinstance(flow_state, dict) and self.engine.is_current(flow_state):
            return self._with_step_again(state, reply, inp)
        return reply

    def _topic_choice(self, topic: dict[str, str]) -> Choice:
        if topic.get("flow"):
            return Choice(topic["title"], {"action": "flow.start", "flow": topic["flow"]})
        return Choice(topic["title"], {"action": "ask", "entry": topic["entry"]})

    def _without_opener(self, text: str) -> str:
        """The message without a word that only opens it (messages.yaml, openers):
        "perfekt, när kommer lönen?" asks about the pay day, "ok tack för hjälpen!" thanks.
        The word stays when nothing follows it or it may belong to the question ("bra lön?")."""
        for _ in range(2):  # "nej, jag menar intyg": two openers
            m = self._opener_re.match(text)
            rest = text[m.end() :].strip() if m else ""
            if not m or not rest:
                return text
            several_words = " " in m.group("word").strip()
            said = normalise(rest)
            thanks_next = any(said == p or said.startswith(p + " ") for p in self._thanks_phrases)
            if not (m.group("sep") or several_words or thanks_next):
                return text
            text = rest
        return text

    def _command(self, text: str) -> str | None:
        """The command the whole text is (messages.yaml, commands; an emoji such as 👍 too),
        or thanks: a short message that opens with a thanks word and asks nothing ("tack
        så mycket för hjälpen!"; "tack, men när ska underlaget vara inne?" is a question)."""
        key = normalise(text) or " ".join(text.split())
        for name, words in self._commands.items():
            if key in words:
                return name
        words = key.split()
        if "?" in text or any(w in _ASKING_WORDS for w in words):
            return None
        if len(words) <= WISHES_MAX_WORDS and self._wishes(key):
            return "wishes"
        if len(words) > THANKS_MAX_WORDS:
            return None
        for phrase in self._thanks_phrases:
            if key.startswith(phrase + " ") and not self.matcher.names_a_topic(key[len(phrase) :]):
                return "thanks"
        if len(words) <= YES_NO_MAX_WORDS:
            for name in ("yes", "no"):  # longest first, so "nej tack …" is no, not an unknown "nej"
                for phrase in sorted(self._commands.get(name, ()), key=len, reverse=True):
                    if key.startswith(phrase + " ") and not self.matcher.names_a_topic(key[len(phrase) :]):
                        return name
        return None

    def _wishes(self, key: str) -> bool:
        """Season wishes with thanks or small words around them and no topic: "tack för
        hjälpen, trevlig helg", "trevlig jul och tack för all hjälp i år"."""
        padded = f" {key} "
        found = False
        for phrase in (*self._wishes_phrases, *self._thanks_phrases):  # longest first within each
            if f" {phrase} " in padded:
                found = found or phrase in self._wishes_phrases
                padded = padded.replace(f" {phrase} ", " ")
        return found and not self.matcher.names_a_topic(padded)

    def _expand(self, text: str, today: date) -> str:
        """Fill {contact:…} and {deadline:ID} placeholders; deadlines need today."""

        def sub(match: Any) -> str:
            if match.group(1) == "deadline":
                entry = self.kb.entries[match.group(2)]
                info = describe_deadline(entry.deadline or {}, "", today, self.calendar)
                return info.text if info else ""
            return self.kb.expand(match.group(0))

        return PLACEHOLDER_RE.sub(sub, text)

    def _dynamic(self, message: Message, today: date) -> Message:
        """Flow texts may hold {deadline:…}; resolve them with the turn's date. A date past
        its source's validity gets the same note an answer would give it."""
        if "{deadline:" in message.text:
            notes: list[str] = []
            for match in PLACEHOLDER_RE.finditer(message.text):
                entry = self.kb.entries.get(match.group(2)) if match.group(1) == "deadline" else None
                info = describe_deadline(entry.deadline or {}, "", today, self.calendar) if entry else None
                if entry and info:
                    notes += self._beyond_validity(entry, info.last_date, today)
            message.text = self._expand(message.text, today)
            notes = list(dict.fromkeys(notes))  # one note per source
            if notes:
                message.fine_print = " ".join(n for n in (message.fine_print, *notes) if n)
        return message

    def _record(self, inp: TurnInput, reply: Reply) -> None:
        if not self.recorder or reply.status not in (STATUS_ANSWER, STATUS_CLARIFY, STATUS_FALLBACK):
            return
        if inp.value:  # a button press is not a question
            return
        try:
            entry = self.kb.entries.get(reply.entry) if reply.entry else None
            declined = reply.status == STATUS_ANSWER and entry is not None and entry.declines
            self.recorder.record_turn(inp.text, reply.status, reply.entry, inp.today, declined=declined)
        except Exception:  # analytics must never break a conversation
            log.exception("could not record analytics")


def _points_at_previous(words: list[str]) -> bool:
    """A pronoun ("det", "it", "hon") or an added condition ("och om …", "what if …")
    makes the previous answer's topic the subject of a follow-up; "då" only ends one.
    "och om det gäller löneöversynen?" names its own topic: that "det" points at nothing."""
    said = " ".join(words)
    pointing = set(words) & _POINTING_PRONOUNS
    if pointing and _DUMMY_SUBJECT_RE.search(said):
        pointing -= {"det", "it"}
    return bool(pointing) or (said.startswith(CONDITION_CUES) and not _DUMMY_SUBJECT_RE.search(said))


# "ska", "vill", "behöver": a statement that says what the user wants to do is a question.
_INTENT_RE = re.compile(r"\b(?:ska|skall|vill|behover|maste|undrar|funderar|need|want)\b")
_YEAR_RE = re.compile(r"\b(?:19|20)\d\d\b")  # a date written with its year
# A day of the month written without its month ("den 9:e", "9e"): the month is the context's.
_ORDINAL_ONLY_RE = re.compile(r"(?:den\s+|the\s+)?\d{1,2}(?::?[ea]|st|nd|rd|th)?")
# Verbs that say when something is in, not what it is ("om underlaget kommer 3 mars?").
_ARRIVING_WORDS = frozenset(
    "kommer kom komma skickar skickas skickade lamnar lamnas lamnade inkommer arrives arrive sent send".split()
)
# Words that ask when or whether in time ("när måste vi skicka?", "hinner vi?", "senast?").
_WHEN_ASKING = frozenset("nar senast hinner hinna hinns deadline when".split())
# Words that place a condition in time ("får jag det innan nyår?"), not on a new topic.
# Words that ask when, as terms: "sista dag" and "deadline" are one term ("deadlin").
_WHEN_TERM_WORDS = ("senast", "sista dag", "deadline", "datum", "när")
# …and what if it is late ("vad händer om vi missar?"): "händer" alone is no lateness.
_LATE_TERM_WORDS = ("sent", "missar", "glömmer", "händer")
_WHEN_WORDS = frozenset("innan fore efter senast forst sedan before after until".split())
# "om det gäller …", "if it's about …", "hur är det med löneöversynen?", "om det är en chef som
# …": the sentence's topic comes after, "det" points at nothing ("hur är det med det?" still points back).
_DUMMY_SUBJECT_RE = re.compile(
    r"\b(?:det (?:galler|handlar om|ror)|it (?:is|s) about|it concerns"
    r"|hur (?:ar|blir|gar|funkar) det med (?!(?:det|den|dom|dem|henne|honom|it)\b)"
    r"|det (?:ar|galler) (?:en|ett) \w+ som)\b"
)


# Asking whether something makes it in time (folded): "hinner det", "komma med", "in time".
_IN_TIME_RE = re.compile(r"\b(?:hinner|hinna|hann|komma med|kommer med|kommer det med|in time|make it)\b")
# "nästa månad", "månaden efter" (folded): after a month's deadline, the month after that one.
_NEXT_MONTH_RE = re.compile(r"\b(?:nasta manad|manaden efter|next month|the month after)\b")


def _neighbours(entry: Entry, other: Entry) -> bool:
    """The same entry, or one the other lists as related, or that lists the other."""
    return entry is other or entry.id in other.related or other.id in entry.related


def _asks_something(text: str) -> bool:
    """A question by its form: it ends with "?" after a few words, or opens with a question
    word or an inverted "är"/"is" ("är borås lasarett SÄS?")."""
    said = normalise(text)
    first = said.split(" ", 1)[0]
    return (text.rstrip().endswith("?") and " " in said) or first in _ASKING_WORDS


def _is_statement(text: str) -> bool:
    """A short message that asks nothing ("Jobbar på NÄL som avdelningschef")."""
    words = tokens(text)
    return "?" not in text and len(words) <= STATEMENT_MAX_WORDS and not any(w in _ASKING_WORDS for w in words)


def _pay_month_of(month: date, day: str) -> bool:
    """Whether ``month`` is the month of ``day`` (ISO) or the next: the pay months something
    that came in that day can make ("hinner det med på decemberlönen?" after 4 December)."""
    try:
        came = date.fromisoformat(day)
    except ValueError:
        return False
    return 0 <= (month.year - came.year) * 12 + month.month - came.month <= 1


def _asks_when(text: str) -> bool:
    """A question of only question words that asks when ("från när?", "when?")."""
    return any(w in ("nar", "when") for w in tokens(text))


def _asked_like(text: str, entry: Entry) -> bool:
    """Whether a question of only question words asks what the entry's editors ask it with
    ("vem gör det?" after contracts: "Vem skriver …?"). "var"/"vart" ask where only at the
    start ("var gör jag det?"); elsewhere "var" is "was"."""
    words = tokens(text)
    asked = [w for w in words if w in _ASKING_WORDS] or [w for w in words[:1] if w in ("var", "vart")]
    return bool(asked) and any(tokens(q)[:1] == asked[:1] for q in entry.questions)


def _ask_choice(entry: Entry) -> Choice:
    """A button that answers ``entry`` (suggestions, follow-ups, topics near a question)."""
    return Choice(entry.title, {"action": "ask", "entry": entry.id})


def _known(key: Any, table: dict[str, Any]) -> bool:
    """A card value names a known id (forged payloads carry lists and dicts: unhashable)."""
    return isinstance(key, str) and key in table


_STATE_TYPES: dict[str, type | tuple[type, ...]] = {
    "seen": list, "flow": dict, "last_entry": str, "offered_flow": str, "buttons": list, "pending_question": str,
    "ended_flow": dict, "offered_answers": dict, "last_day": str, "last_day_needed": bool, "last_due": str, "elsewhere": bool,
    "last_month": str,
}  # fmt: skip


def _sanitise(state: dict[str, Any]) -> dict[str, Any]:
    """Drop stored keys of the wrong shape (damaged storage must not break a turn)."""
    clean = {k: v for k, v in state.items() if k in _STATE_TYPES and isinstance(v, _STATE_TYPES[k])}
    if "seen" in clean:
        clean["seen"] = [x for x in clean["seen"] if isinstance(x, str)]
    if "buttons" in clean:
        clean["buttons"] = [x for x in clean["buttons"] if isinstance(x, dict)]
    return clean


# A card's carried answers (a guide offering another): at most this many, this long.
_MAX_CARRIED, _MAX_CARRIED_CHARS = 12, 200


def _carried(value: Any) -> dict[str, str] | None:
    """Answers carried on a "Starta guiden" button, if they have the shape the engine made;
    a forged payload gets a plain start (the engine also checks each answer against its step)."""
    if not isinstance(value, dict) or len(value) > _MAX_CARRIED:
        return None
    fine = all(isinstance(k, str) and isinstance(v, str) and len(v) <= _MAX_CARRIED_CHARS for k, v in value.items())
    return dict(value) if fine else None


_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+")


def _question_tails(text: str) -> list[str]:
    """Shorter readings of a text of several sentences: its question sentence (the last
    with a question mark, or the last), then that with the sentences before it one at a
    time ("Hej! Jag jobbar på NÄL sedan i höstas. Jag jobbade extra i julas och chefen la
    in det den 10 januari. Kommer det med på januarilönen?": the last two ask it). The
    whole text is not among them."""
    sentences = [p.strip() for p in _SENTENCE_END_RE.split(text.strip()) if p.strip()]
    if len(sentences) < 2:
        return []
    asking = [i for i, p in enumerate(sentences) if p.endswith("?")]
    last = asking[-1] if asking else len(sentences) - 1
    whole = (0, len(sentences) - 1)
    return [" ".join(sentences[first : last + 1]) for first in range(last, -1, -1) if (first, last) != whole]


def _number(text: str) -> int | None:
    key = text.strip().rstrip(".)")
    return int(key) if key.isdigit() and len(key) <= 2 else None


# Picking a shown option in words: "den första", "alternativ 2", "the first one", "2:an".
_ORDINALS = {
    "forsta": 1, "ettan": 1, "first": 1, "andra": 2, "tvaan": 2, "second": 2,
    "tredje": 3, "trean": 3, "third": 3, "fjarde": 4, "fyran": 4, "fourth": 4,
}  # fmt: skip
_CHOICE_FILLERS = frozenset(
    "den det the one ones alternativ alternativet option nummer nr number choice valj jag tar ta take an tack please".split()
)


def _choice_number(text: str) -> int | None:
    """The number of a shown option the text picks: a bare number, or an ordinal with
    words around it. A bare "andra" is "other", not "the second"."""
    number = _number(text)
    if number is not None:
        return number
    said = normalise(text).split()
    rest = [w for w in said if w not in _CHOICE_FILLERS]
    if len(rest) != 1 or len(said) > 5 or said == ["andra"]:
        return None
    word = rest[0]
    return int(word) if word.isdigit() and len(word) <= 2 else _ORDINALS.get(word)


# ---------------------------------------------------------------------- building


def build_assistant(settings: Settings, today: date | None = None, recorder: Any = None) -> Assistant:
    """Load and cross-check all content; raise ContentInvalid listing every problem."""
    from bot.deadlines import load_calendar_texts

    kb = load_knowledge(settings.knowledge_dir, today)
    errors: list[ContentError] = []
    calendar = None
    try:
        calendar = load_calendar_texts(settings.knowledge_dir / "calendar.yaml")
    except ContentInvalid as exc:
        errors.extend(exc.errors)
    flows = None
    try:
        flows = FlowSet.load(settings.dialogs_dir, kb.check_ref)
    except ContentInvalid as exc:
        errors.extend(exc.errors)
    if flows is not None:
        errors.extend(_cross_check(kb, flows))
    if errors:
        raise ContentInvalid(errors)
    if recorder is None and settings.analytics_path is not None:
        from bot.analytics import Recorder

        recorder = Recorder(settings.analytics_path)
    return Assistant(kb, flows, calendar, settings, recorder)


def _cross_check(kb: KnowledgeBase, flows: FlowSet) -> list[ContentError]:
    """References between knowledge/ and dialogs/: entry flows and topic buttons."""
    errors: list[ContentError] = []
    for entry in kb.entries.values():
        if entry.flow and not flows.get(entry.flow):
            errors.append(
                ContentError(entry.file, entry.line, f"posten '{entry.id}' erbjuder guiden '{entry.flow}' som inte finns i dialogs/")
            )
    path = display_path(kb.directory / "messages.yaml")
    for key in ("welcome_topics", "main_topics"):
        topics = kb.messages.raw(key)
        if not isinstance(topics, LineList):
            errors.append(ContentError(path, 1, f"'{key}' ska vara en lista med title + entry eller flow"))
            continue
        for i, topic in enumerate(topics):
            line = topics.line_of(i)
            if not isinstance(topic, LineDict) or not topic.get("title"):
                errors.append(ContentError(path, line, f"varje ämne i '{key}' behöver 'title' och 'entry' eller 'flow'"))
            elif topic.get("flow") and not flows.get(str(topic["flow"])):
                errors.append(ContentError(path, line, f"guiden '{topic['flow']}' finns inte i dialogs/"))
            elif not topic.get("flow") and topic.get("entry") not in kb.entries:
                errors.append(ContentError(path, line, f"posten '{topic.get('entry')}' finns inte i entries/"))
    return errors

