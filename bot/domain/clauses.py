"""What kind of message this is: a conversation word, a question, small talk, or an instruction.

The parser's first steps (see `intent.parse`). Conversation words are tried on the whole
message, fillers stripped ("ok, undo that please!"). Otherwise the message is read clause by
clause: a clause that opens with an editing verb is an instruction; "I removed the car myself",
"this is amazing" and questions are not. Word lists and patterns live in `vocabulary`.
"""

from __future__ import annotations

import re
from enum import Enum
from functools import lru_cache

from bot.domain import vocabulary as v
from bot.domain import wordforms as wf
from bot.domain.models import Intent
from bot.domain.text import one_edit


class MessageKind(Enum):
    STRONG = "strong"  # a clear instruction
    DESCRIPTIVE = "descriptive"  # a description; an instruction only in private
    QUESTION = "question"
    NONE = "none"


# Clause kinds that are small talk: dropped before the instruction ("nice! now make it rainy").
SMALL_TALK = frozenset({"chit", "empty"})


def first_word(body: str) -> str:
    m = v.WORD.search(body)
    return m.group() if m else ""


def conversation_core(body: str) -> str:
    """The message without fillers around it: "ok, undo that please!" -> "undo that".

    Written as a scan, not one regex: `.*?` followed by optional trailing classes would try
    every split of a long run of spaces.
    """
    end = len(body)
    while end and not body[end - 1].isalnum():
        end -= 1
    polite = v.TRAILING_POLITE.search(body, max(0, end - 24), end)
    if polite is not None:
        end = polite.start()
        while end and not body[end - 1].isalnum():
            end -= 1
    start = v.LEAD_FILLER.match(body, 0, end)
    return body[start.end() if start else 0 : end]


def near_conversation_word(core: str) -> Intent | None:
    """A one-word message one typo away from a conversation word ("undp", "cancle")."""
    if not core.isalpha() or core in v.NOT_CONVERSATION_TYPOS or not 4 <= len(core) <= 8:
        return None
    hits = {intent for word, intent in v.ONE_WORD.items() if one_edit(core, word)}
    return hits.pop() if len(hits) == 1 else None


def conversation(body: str, first: str) -> Intent | None:
    """The conversation intent of the whole message (undo, retry, spend, help...), if any."""
    core = conversation_core(body)
    if len(core) <= 80:
        for intent, rx in v.CONVERSATION:
            if rx.fullmatch(core):
                return intent
        near = near_conversation_word(core)
        if near is not None:
            return near
        said = wf.conversation(wf.tokens(core))
        if said is not None:
            return said
    if first in v.GROUP_VERBS:
        return None
    if v.SPEND.search(core):
        return Intent.SPEND
    if v.HELP.search(core):
        return Intent.HELP
    return None


def classify(body: str, group: bool, read_as: tuple[str, ...] = ()) -> MessageKind:
    """How much of an instruction the message is, from the kinds of its clauses."""
    kinds: set[str] = set()
    for piece in v.CLAUSES.finditer(body):
        for part in v.CLAUSE_SPLIT_WORDS.split(piece.group()):
            for clause in _LABEL_COLON.split(part):  # "quick draft: make it snowy"
                kinds.add(clause_kind(clause, read_as))
    if wf.wish(body) and "negation" not in kinds:
        kinds.add("private")
    if "verb" in kinds or (not group and "private" in kinds):
        return MessageKind.STRONG
    if "not" in kinds or kinds <= {"negation", "chit", "empty"}:
        return MessageKind.NONE
    if "question" in kinds:
        return MessageKind.QUESTION
    if "description" in kinds:
        return MessageKind.DESCRIPTIVE
    return MessageKind.NONE


@lru_cache(maxsize=4096)
def clause_kind(clause: str, read_as: tuple[str, ...] = ()) -> str:
    """verb, private (an instruction in private chats), negation, question, chit, not,
    description or empty."""
    question = clause.rstrip().endswith("?")
    if v.NEGATED_NEED.match(clause):
        return "negation"
    c = v.CLAUSE_FILLER.sub("", v.URL.sub(" ", clause).strip(" \t.!?;,\n"), count=1)
    if v.CHIT_PHRASE.match(c):
        return "chit"
    found = v.WORD.findall(c)
    if not found:
        return "empty"
    w0 = found[0]
    w1 = found[1] if len(found) > 1 else ""
    if w0 in v.GROUP_VERBS and _verb_use(w0, w1):
        return "verb"
    foreign = _foreign_kind(found, read_as, v.WORD.findall(clause))
    if foreign is not None:
        return foreign
    directive = v.DIRECTIVE.search(c)
    if directive is not None and _says_what(c[directive.end() :]):
        return "private"  # "it should look like winter"; a bare "must be" says nothing
    if w0 in v.PRIVATE_VERBS and _verb_use(w0, w1):
        return "private"
    if w0 in v.NEGATIONS or (w0 == "do" and w1 == "not"):
        return "negation"  # "don't add music, she jumps": the rest may still be an instruction
    if question or w0 in v.QUESTION_WORDS:
        return "question"
    if all(x in v.CHIT_CHAT for x in found):
        return "chit"
    if w0 in v.NARRATORS or w0 in v.PAST_TENSE or v.EVALUATIVE_START.match(c):
        return "not"
    if any(x not in v.CHIT_CHAT and x not in v.FUNCTION_WORDS for x in found) and (
        v.HAS_LETTERS.search(c)
    ):
        return "description"
    return "chit"


def _foreign_kind(words: list[str], read_as: tuple[str, ...], raw: list[str]) -> str | None:
    """The clause read in Russian, Spanish, Portuguese or German; None: read it as English.

    `words` is the clause without its English fillers, `raw` the clause as written (a leading
    "no" is a filler in English and a negation in Spanish: "no quites el coche").
    """
    start = 0
    while start < len(words) - 1 and (wf.is_modal(words[start]) or words[start] in _OPENERS):
        start += 1
    for k, word in enumerate(words):
        if not wf.is_verb(word, read_as, initial=k <= start):
            continue
        at = raw.index(word) if word in raw else k
        if any(wf.is_negation(x, read_as) for x in raw[:at]) or (
            "de" in read_as and any(x in ("nicht", "nichts") for x in words)
        ):
            return "negation"
        if k > 0 and wf.is_narrator(words[0], read_as):
            return "not"
        return "verb"
    if not read_as:
        return "chit" if all(wf.is_small_talk(x) for x in words) else None
    if all(wf.is_small_talk(x) for x in words):
        return "chit"
    if wf.is_narrator(words[0], read_as):
        return "not"
    if wf.is_negation(words[0], read_as):
        return "negation"
    content = [x for x in words if not wf.is_small_talk(x)]
    if wf.is_question_word(content[0], read_as):
        return "question"
    return None


_LABEL_COLON = re.compile(r":\s")
# Words before a verb that do not stop it from opening the clause: "ну сделай", "bitte mach".
_OPENERS = v.wordset(
    "ну ок ладно давай так а и теперь сейчас тогда пожалуйста y e und ahora agora jetzt dann "
    "pues bueno bom então entao also porfa bitte por favor ok vale"
)


def _says_what(rest: str) -> bool:
    return any(
        v.HAS_LETTERS.match(x) and x not in v.CHIT_CHAT and x not in v.FUNCTION_WORDS
        for x in v.WORD.findall(rest)
    )


def _verb_use(verb: str, following: str) -> bool:
    """'get rid of', 'take out', 'cut out': these verbs instruct only with their particle."""
    if verb == "set":
        return following != "of"
    if verb == "get":
        return following == "rid"
    if verb in ("take", "cut"):
        return following in ("out", "away", "off")
    if verb == "do":
        return following in ("a", "an", "the", "this", "something", "some")
    if verb == "make":
        return following not in ("sure", "sense")
    return True
