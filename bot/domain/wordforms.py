"""Word forms in five languages: which words of a message are instruction verbs, conversation
words, negations, small talk. Reads the lists of `languages`.

Inflection is Snowball's (one stemmer per language): "уберите" and "убрать" are the verb of
"убери". Typos are rapidfuzz's: a word one edit (two, for long words) from a verb form is that
verb, unless it is a word the vocabulary knows as something else. A message is read in the
languages its letters or the chat's language code point to; in other languages only exact,
unambiguous verb forms count, so that an English "tire" or "anime" is not taken for a
Portuguese or Spanish verb.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.domain import languages as lang
from bot.domain.models import Intent
from bot.domain.vocabulary import wordlist

FOREIGN = ("ru", "es", "pt", "de")
_STEMMER = {code: snowballstemmer.stemmer(lang.STEMMERS[code]) for code in FOREIGN}
_ACCENTS = str.maketrans({"ё": "е", "ß": "ss"})
TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Accents dropped, for people who type without them ("anadir", "rueckgaengig")."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFD", word.translate(_ACCENTS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def stem(code: str, word: str) -> str:
    return str(_STEMMER[code].stemWord(word))


def _forms(text: str) -> frozenset[str]:
    """The words, and the long ones without accents too ("dá" stays: "da" is another word)."""
    words = wordlist(text)
    return frozenset(words) | frozenset(fold(w) for w in words if len(w) >= 4)


_VERB_FORMS = {code: _forms(lang.VERBS[code]) for code in FOREIGN}
_VERB_STEMS = {
    code: frozenset(stem(code, w) for w in wordlist(lang.VERBS[code])) for code in FOREIGN
}
_VERB_CHOICES = {code: sorted(_VERB_FORMS[code]) for code in FOREIGN}
_MODALS = {code: _forms(lang.MODALS[code]) for code in FOREIGN}
_NEGATIONS = {code: _forms(lang.NEGATIONS[code]) for code in FOREIGN}
_NARRATORS = {code: _forms(lang.NARRATORS[code]) for code in FOREIGN}
_QUESTIONS = {code: _forms(lang.QUESTION_WORDS[code]) for code in FOREIGN}
FILLERS = frozenset().union(*(_forms(t) for t in lang.FILLERS.values()))
CHIT_CHAT = frozenset().union(*(_forms(t) for t in lang.CHIT_CHAT.values()))
_CHATTY = frozenset().union(*(_forms(t) for t in lang.CHATTY.values()))
_CONVERSATION = {intent: _forms(words) for intent, words in lang.CONVERSATION.items()}
_NEUTRAL = _forms(lang.CONVERSATION_NEUTRAL)
_ANY_CONVERSATION = frozenset().union(*_CONVERSATION.values())
# A message holds a conversation phrase only if it holds one of these words: a cheap test.
_CONVERSATION_WORDS = frozenset(w for phrase in _ANY_CONVERSATION for w in phrase.split("_"))
_KNOWN = FILLERS | CHIT_CHAT | _NEUTRAL | frozenset().union(*_CONVERSATION.values())
_RETRACTIONS = frozenset(fold(r) for r in lang.RETRACTIONS)
_WISHES = tuple(w for ws in lang.WISHES.values() for w in ws)
# Unaccented Spanish and Portuguese clitics after an imperative: "quítale", "hazlo", "dale".
_CLITICS = ("selo", "sela", "melo", "mela", "los", "las", "les", "nos", "lo", "la", "le", "me")
# Shapes of past tenses and participles: "убрал", "quité", "tirei", "gemacht" tell, not ask.
_PAST = {
    "ru": re.compile(r"(?:л|ла|ло|ли|лся|лась|лось|лись)$"),
    "es": re.compile(r"(?:[éíó]|aste|iste|ado|ido|ada|ida|aron|ieron)$"),
    "pt": re.compile(r"(?:ei|ou|aram|eram|ado|ido|ada|ida|iu)$"),
    "de": re.compile(r"(?:^ge\w+t|te|ten|test|tet)$"),
}
# Exact forms that are also English words: they count only in a message read as that language.
_ENGLISH_TOO = frozenset(
    wordlist(
        "tire anime dale pinta mal male hell film da dar pon gira rueda viste bota muda mete saca "
        "sigue para take remove continue vuelve helle dreh stell lass mach zeig gib setz filme"
    )
)
_CYRILLIC = re.compile(r"[а-яё]")
_MARKS = {"es": re.compile(r"[ñ¿¡]"), "pt": re.compile(r"[ãõç]"), "de": re.compile(r"[äöüß]")}


def languages_of(text: str, hint: str | None) -> tuple[str, ...]:
    """The foreign languages to read `text` in: the chat's, and those its letters show."""
    found: list[str] = []
    code = (hint or "").lower()[:2]
    if code in FOREIGN:
        found.append(code)
    if _CYRILLIC.search(text) and "ru" not in found:
        found.append("ru")
    for code, marks in _MARKS.items():
        if code not in found and marks.search(text):
            found.append(code)
    return tuple(found)


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


@lru_cache(maxsize=65536)
def is_verb(word: str, read_as: tuple[str, ...], *, initial: bool) -> bool:
    """An instruction verb in one of the five languages. Short forms count at the start only."""
    w = word.lower()
    if len(w) < 5 and not initial:
        return False
    bare = w.split("-")[0]
    for candidate in (bare, *_without_clitic(bare)):
        if any(candidate in _VERB_FORMS[c] for c in read_as):
            return True
        long_enough = candidate not in _ENGLISH_TOO and len(candidate) >= 5
        if long_enough and any(candidate in _VERB_FORMS[c] for c in FOREIGN):
            return True
    if bare in _KNOWN or fold(bare) in _KNOWN:
        return False  # small talk or a conversation word, not a verb's inflection or typo
    # A misspelt word is read as a verb only where a verb stands: "убири машину".
    return _inflected_verb(bare, read_as) or (initial and _misspelt_verb(bare, read_as))


def _without_clitic(word: str) -> Iterable[str]:
    for clitic in _CLITICS:
        if word.endswith(clitic) and len(word) > len(clitic) + 1:
            yield fold(word[: -len(clitic)])


def _inflected_verb(word: str, read_as: tuple[str, ...]) -> bool:
    for code in read_as:
        if len(word) >= 4 and stem(code, word) in _VERB_STEMS[code]:
            return not _PAST[code].search(word)
    return False


def _misspelt_verb(word: str, read_as: tuple[str, ...]) -> bool:
    if len(word) < 5 or word in _KNOWN or fold(word) in _KNOWN:
        return False
    cutoff = 1 if len(word) < 8 else 2
    for code in read_as:
        if _PAST[code].search(word):
            continue
        choices = _VERB_CHOICES[code]
        hit = process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=cutoff)
        if hit is not None:
            return True
    return False


def is_modal(word: str) -> bool:
    w = word.lower()
    return any(w in _MODALS[c] for c in FOREIGN)


def is_negation(word: str, read_as: Sequence[str]) -> bool:
    w = word.lower()
    return any(w in _NEGATIONS[c] for c in read_as)


def is_narrator(word: str, read_as: Sequence[str]) -> bool:
    w = word.lower()
    return any(w in _NARRATORS[c] for c in read_as)


def is_question_word(word: str, read_as: Sequence[str]) -> bool:
    w = word.lower()
    return any(w in _QUESTIONS[c] for c in read_as)


def is_small_talk(word: str) -> bool:
    w = word.lower()
    return w in CHIT_CHAT or w in FILLERS or fold(w) in CHIT_CHAT or _laughter(w)


def _laughter(word: str) -> bool:
    if word == "he":  # a pronoun ("he sits down"); "hehe" laughs
        return False
    return bool(
        re.fullmatch(r"(?:[hj]a|ха|ах|he|хе|k|rs)+[hj]?|a+h+|l+o+l+|ор+|х+|h+m+|х+м+|m+|м+", word)
    )


def chatty(text: str) -> bool:
    """Talk rather than a picture: thanks, people, "is/was", "today", laughter."""
    for word in tokens(text):  # already lower case (a normalised body)
        if word in CHIT_CHAT or word in _CHATTY or fold(word) in CHIT_CHAT or _laughter(word):
            return True
    return False


def is_retraction(clause: str) -> bool:
    """A clause that takes back what came before: "no wait", "хотя нет", "mejor no"."""
    words = [fold(t.lower()) for t in tokens(clause)]
    if not words:
        return False
    text = " ".join(words)
    if text in _RETRACTIONS or conversation(words) is Intent.CANCEL:
        return True
    return all(w in _RETRACTIONS or w in FILLERS for w in words) and any(
        w in _RETRACTIONS for w in words
    )


def wish(text: str) -> bool:
    """'хочу чтобы...', 'quiero que...', 'ich möchte, dass...': a wish for the clip."""
    start = text.lstrip()
    opener = next((w for w in _WISHES if start.startswith(w)), None)
    if opener is None:
        return False
    rest = tokens(start[len(opener) :])
    return any(not is_small_talk(w) for w in rest)


_PRIORITY = (
    Intent.REDO, Intent.UNDO, Intent.RETRY, Intent.CANCEL, Intent.HISTORY, Intent.SPEND,
    Intent.HELP,
)  # fmt: skip


def conversation(words: Sequence[str]) -> Intent | None:
    """The conversation step a short message of these words is, if it is nothing else."""
    if not words or len(words) > 8:
        return None
    low = [w.lower() for w in words]
    if not any(w in _CONVERSATION_WORDS or fold(w) in _CONVERSATION_WORDS for w in low):
        return None
    scores: dict[Intent, int] = {}
    used = [False] * len(low)
    for n in (3, 2, 1):
        for i in range(len(low) - n + 1):
            if any(used[i : i + n]):
                continue
            phrase = "_".join(low[i : i + n])
            if phrase not in _ANY_CONVERSATION and fold(phrase) not in _ANY_CONVERSATION:
                continue
            for intent in _PRIORITY:
                if phrase in _CONVERSATION[intent] or fold(phrase) in _CONVERSATION[intent]:
                    scores[intent] = scores.get(intent, 0) + 1
                    used[i : i + n] = [True] * n
    if not scores:
        return None
    for i, w in enumerate(low):
        neutral = w in FILLERS or w in _NEUTRAL or fold(w) in _NEUTRAL or is_small_talk(w)
        if not used[i] and not neutral:
            return None
    best = max(scores.values())
    return next(i for i in _PRIORITY if scores.get(i) == best)
