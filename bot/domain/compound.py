"""Compound requests: steps back through the versions first, then maybe an instruction.

"revert and make it foggy instead" is one step back, then "make it foggy" on the clip it
restored; "go back two versions" is two steps back and nothing else. The message is split at
its first joint (a comma, "and", "then", "и", "y", "e", "und", ...) whose left side is only a
step back ("undo", "revert it", "верни как было", "deshaz", "zurück") or a counted one ("go
back two versions", "отмени два раза", "zweimal rückgängig"). Whether the right side is an
instruction is the parser's to say (`intent.parse`), so "revert and make it rainy, no wait,
forget it" stays a retraction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.domain import languages
from bot.domain import vocabulary as v
from bot.domain import wordforms as wf
from bot.domain.models import Intent

MAX_STEPS_BACK = 10  # "go back 40 versions" is not a step count anyone means


@dataclass(frozen=True, slots=True)
class Compound:
    back: int  # versions to step back first
    rest: str  # the instruction that follows, as written; "" when there is none


_NUMBER = {
    **v.numbers_up_to(MAX_STEPS_BACK),
    **{w: n for w, n in languages.NUMBERS.items() if n <= MAX_STEPS_BACK},
    **{str(n): n for n in range(1, MAX_STEPS_BACK + 1)},
}
_TIMES = {
    "twice": 2, "thrice": 3, "дважды": 2, "трижды": 3, "zweimal": 2, "dreimal": 3,
}  # fmt: skip
_N = "(?P<n>" + v.alternation(_NUMBER) + ")"
_N_TIMES = "(?P<t>" + v.alternation(_TIMES) + ")"
_UNITS = (
    r"(?:versions?|steps?|times|edits?|changes?|верси[йяюи]|шаг[аов]*|раз[а]?|изменени[яей]|"
    r"versiones|pasos|veces|cambios|vers[õo]es|passos|vezes|mudan[çc]as|versionen|schritte|mal)"
)
_BACK_VERB = (
    r"(?:go\s+back|step\s+back|roll\s+back|revert|undo|back|верни(?:сь)?|вернуть|откати(?:сь)?|"
    r"отмени|назад|vuelve|volver|regresa|retrocede|deshaz|deshacer|volta|volte|voltar|"
    r"retroceda|desfaz|desfazer|desfa[çc]a|geh|gehe|spring|mach)"
)
_BACK_WORD = r"(?:back|назад|atr[aá]s|zur[üu]ck|r[üu]ckg[äa]ngig)"
_BY = r"(?:(?:by|на|um)\s+)?"
_COUNT = rf"(?:{_N}\s+{_UNITS}|{_N_TIMES})"
# The whole of a counted step back, fillers stripped: "go back 3 steps", "undo twice",
# "верни на две версии назад", "vuelve dos versiones atrás", "geh zwei versionen zurück",
# "2 versionen zurück", "zweimal rückgängig"; "go back one" is one.
_COUNTED = (
    re.compile(rf"{_BACK_VERB}\s+{_BY}{_COUNT}(?:\s+{_BACK_WORD})?"),
    re.compile(rf"(?:{_BACK_VERB}\s+)?{_BY}{_COUNT}\s+{_BACK_WORD}"),
)
_ONE = re.compile(
    rf"{_BACK_VERB}\s+(?:(?:one|a\s+step|one\s+step)(?:\s+back)?|(?:на\s+)?(?:шаг|один\s+шаг|"
    r"одну\s+версию)(?:\s+назад)?|(?:un|uma?)\s+paso(?:\s+atr[aá]s)?|um\s+passo(?:\s+atr[aá]s)?|"
    r"einen\s+schritt(?:\s+zur[üu]ck)?)"
)
# Cheap gate: a step back needs one of these stems somewhere.
_GATE = re.compile(
    r"undo|revert|back|previous|верн|откат|отмен|назад|как\s+было|предыдущ|desha|vuelv|volv|"
    r"regres|retroce|atr[aá]s|anterior|desfa|volt|r[üu]ckg|zur[üu]ck|vorherig|vorig"
)
# Where the step back may end and the instruction begin.
_JOINT = re.compile(
    r"\s*[,;.!]+\s*(?:(?:and|then|and\s+then|и|потом|затем|а\s+потом|и\s+потом|y|luego|"
    r"y\s+luego|despu[ée]s|e|depois|e\s+depois|und|dann|und\s+dann)\s+)?"
    r"|\s+(?:and\s+then|and|then|&|\+|и\s+потом|а\s+потом|и|потом|затем|y\s+luego|y|luego|"
    r"e\s+depois|e|depois|und\s+dann|und|dann)\s+"
)
# A word that says the instruction replaces what was undone; not for Kling.
_INSTEAD = re.compile(
    r"[\s,]*(?:instead|вместо\s+этого|лучше|en\s+su\s+lugar|mejor|em\s+vez\s+disso|"
    r"no\s+lugar|stattdessen|lieber)[\s.!]*$"
)
# "don't revert", "не отменяй", "no deshagas": no step back. A "no," alone is a filler.
_NEGATED = re.compile(
    r"(?<!\w)(?:don'?t|do\s+not|never|не|нельзя|no|nunca|não|nao|nicht|kein\w*)\s+\w"
)
# Before an instruction, "отмени" (cancel, undo) undoes: "отмени и добавь снег".
_UNDO_LEADS = frozenset({"отмени", "отмени это", "отмени изменение", "отмени последнее"})
_EDGES = " \t\n,.;:!?-–—"


@lru_cache(maxsize=1024)  # the planner and the parser both ask about the same message
def split(text: str, language: str | None = None) -> Compound | None:
    """The steps back a message starts with and what follows; None when it starts with none."""
    low = text.lower()
    if not _GATE.search(low):
        return None
    counted = _counted(low)
    if counted is not None:
        return Compound(counted, "")
    for joint in _JOINT.finditer(low):
        back = _steps_back(low[: joint.start()], language)
        if back is None or low.startswith("forth", joint.end()):  # "back and forth"
            continue
        rest = text[joint.end() :]
        instead = _INSTEAD.search(rest.lower())
        if instead is not None:
            rest = rest[: instead.start()]
        rest = rest.strip(_EDGES)
        return Compound(back, rest) if rest else None
    return None


def _steps_back(lead: str, language: str | None) -> int | None:
    """How many versions a message's first part steps back, if that is all it says."""
    core = _core(lead)
    if not core or _NEGATED.search(lead):
        return None
    if core in _UNDO_LEADS:
        return 1
    counted = _counted(core)
    if counted is not None:
        return counted
    for intent, rx in v.CONVERSATION:
        if rx.fullmatch(core):
            return 1 if intent is Intent.UNDO else None
    said = wf.conversation(wf.tokens(core))
    return 1 if said is Intent.UNDO else None


def _counted(text: str) -> int | None:
    core = _core(text)
    if _ONE.fullmatch(core):
        return 1
    for rx in _COUNTED:
        m = rx.fullmatch(core)
        if m is not None:
            return _TIMES[m["t"]] if m["t"] else _NUMBER[m["n"]]
    return None


def _core(text: str) -> str:
    """The words without fillers around them: "ugh no, revert it pls" -> "revert it"."""
    core = text.strip(_EDGES)
    while True:
        start = _LEAD.match(core)
        polite = v.TRAILING_POLITE.search(core)
        if (start is None or not start.group()) and polite is None:
            return core
        core = core[start.end() if start else 0 : polite.start() if polite else len(core)]
        core = core.strip(_EDGES)


_LEAD = re.compile(
    r"(?:(?:ugh|hmm+|ok|okay|no|nah|nope|yeah|well|please|pls|can\s+(?:you|u)|could\s+(?:you|u)|"
    r"ну|нет|не|ок|давай|ладно|"
    r"пожалуйста|mmm|bueno|vale|porfa|não|nao|bom|ja|nein|nee|bitte|also)\b[\s,.!]*)+"
)
