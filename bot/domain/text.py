"""Matching text for the parser, and the way back to the user's own characters.

Every decision is taken on a normalised copy of the message: lower-cased, apostrophes
unified, and one-letter typos of the parser's own keywords repaired ("remvoe" -> "remove",
"vertcal" -> "vertical"; the keywords are the words marked `~` in `vocabulary`). What Kling
receives, though, is cut from the user's original text, so the copy keeps a map from its
positions back to the original ones. Typos in content words
are never touched: Kling reads them fine, and they are the user's words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.domain.vocabulary import KEYWORDS, MISSPELLINGS, NOT_TYPOS, SHORT_KEYWORDS

# Same length in and out, so positions survive the translation.
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})

_BY_LENGTH: dict[int, tuple[str, ...]] = {}
for _kw in KEYWORDS:
    _BY_LENGTH.setdefault(len(_kw), ())
    _BY_LENGTH[len(_kw)] = (*_BY_LENGTH[len(_kw)], _kw)

# A whole word of ASCII letters: never the start of "qualität" or "tiktoка".
_WORD = re.compile(r"(?<![\w'])[a-z]{4,}(?!\w)")
_INFLECTIONS = ("ing", "ers", "ed", "er", "es", "ly", "s", "d", "y")


def one_edit(a: str, b: str) -> bool:
    """True when a and b differ by exactly one substitution, insertion, deletion or swap."""
    la, lb = len(a), len(b)
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    if abs(la - lb) != 1:
        return False
    short, long_ = (a, b) if la < lb else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


def _is_swap(a: str, b: str) -> bool:
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and a[diff[0]] == b[diff[1]]
        and a[diff[1]] == b[diff[0]]
    )


def _inflected(word: str) -> bool:
    """'removed', 'changes', 'animated': real words built on a keyword, not typos of it."""
    for suffix in _INFLECTIONS:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            if stem in KEYWORDS or stem + "e" in KEYWORDS or stem in SHORT_KEYWORDS:
                return True
    return False


@lru_cache(maxsize=16384)
def correct(word: str) -> str | None:
    """The keyword a lower-case word is a typo of, or None when it is not one."""
    if word in KEYWORDS or word in SHORT_KEYWORDS or word in NOT_TYPOS:
        return None
    fixed = MISSPELLINGS.get(word)
    if fixed is not None:
        return fixed
    if len(word) == 4:
        swaps = [kw for kw in SHORT_KEYWORDS if _is_swap(word, kw)]
        return swaps[0] if len(swaps) == 1 else None
    if _inflected(word):
        return None
    found = [
        kw
        for n in (len(word) - 1, len(word), len(word) + 1)
        if n >= 5
        for kw in _BY_LENGTH.get(n, ())
        if one_edit(word, kw)
    ]
    return found[0] if len(found) == 1 else None


def canonical(word: str) -> str:
    """A word as the parser sees it: lower-cased and, when it is a keyword typo, repaired."""
    low = word.lower()
    return correct(low) or low


@dataclass(frozen=True, slots=True)
class Norm:
    """The user's text and its matching copy. `low` positions map back with `orig`."""

    text: str
    low: str
    index: tuple[int, ...] | None = None  # low position -> text position; None: identity

    def orig(self, i: int) -> int:
        return i if self.index is None else self.index[i]


def _lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    # A few characters grow when lower-cased ('İ' -> 'i̇'); keep those as they are.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def normalize(text: str) -> Norm:
    low = _lower_same_length(text.translate(_APOSTROPHES))
    fixes = [(m.start(), m.end(), c) for m in _WORD.finditer(low) if (c := correct(m.group()))]
    if not fixes:
        return Norm(text, low)
    parts: list[str] = []
    index: list[int] = []
    pos = 0
    for start, end, word in fixes:
        parts.append(low[pos:start])
        index.extend(range(pos, start))
        parts.append(word)
        index.extend(min(start + k, end - 1) for k in range(len(word)))
        pos = end
    parts.append(low[pos:])
    index.extend(range(pos, len(low) + 1))
    return Norm(text, "".join(parts), tuple(index))


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace text[start:end] (original positions) with `repl` ("" removes it)."""

    start: int
    end: int
    repl: str = ""


_MULTISPACE = re.compile(r"[^\S\n]{2,}")
_SPACE_BEFORE_PUNCT = re.compile(r"[^\S\n]+(?=[,;:.!?)\]])")
_REPEATED_SEP = re.compile(r"([,;:])(?:[^\S\n]*[,;:])+")
_SEP_BEFORE_END = re.compile(r"[,;:][^\S\n]*(?=[.!?])")
_EMPTY_BRACKETS = re.compile(r"\([\s,;:.]*\)|\[[\s,;:.]*\]")
_LONE_STOP = re.compile(r"(?<=[.!?])[^\S\n]+[.!?]+")  # "rainy. ." left by a removed sentence
_JUNK = " \t\n\r\f\v,;:-–—"
_JOINING_WORDS = ("and", "but", "then", "plus", "or", "&")
_BLANK_LINES = re.compile(r"[^\S\n]*\n\s*")


def splice(text: str, start: int, end: int, edits: Iterable[Edit], *, segment: bool = False) -> str:
    """The user's text[start:end] with the edits applied, and the seams tidied.

    Only punctuation and spacing left behind by removals is touched: ", , " and "( )" and a
    dangling "and" at the end. The user's words stay as they wrote them. A `segment` (one shot
    of a multi-shot script) also loses the separators that joined it to its neighbours.
    """
    out: list[str] = []
    pos = start
    applied = False
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        s, e = max(edit.start, start), min(edit.end, end)
        if e <= s and not (edit.repl and start <= edit.start < end):
            continue
        if s < pos:
            continue  # overlaps an edit already applied
        out.append(text[pos:s])
        out.append(edit.repl)
        pos = e
        applied = True
    out.append(text[pos:end])
    result = "".join(out)
    if not applied and not segment:
        return result.strip()
    result = _MULTISPACE.sub(" ", result)  # first: the rules below then never meet long runs
    result = _REPEATED_SEP.sub(r"\1", result)
    result = _EMPTY_BRACKETS.sub("", result)
    result = _LONE_STOP.sub("", result)
    result = _SPACE_BEFORE_PUNCT.sub("", result)
    result = _REPEATED_SEP.sub(r"\1", result)
    result = _SEP_BEFORE_END.sub("", result)
    result = _BLANK_LINES.sub("\n", result)
    return _trim(result.lstrip(_JUNK + "."), dangling=applied)


def _trim(text: str, dangling: bool) -> str:
    """Strip separators left at the end, and a joining word left dangling ("rainy and").

    A scan rather than a `$`-anchored regex, which would retry from every position of a long
    run of separators.
    """
    end = len(text)
    while True:
        while end and text[end - 1] in _JUNK:
            end -= 1
        tail = text[max(0, end - 5) : end].lower()
        word = next((w for w in _JOINING_WORDS if tail.endswith(w)), None) if dangling else None
        cut = end - len(word) if word else 0
        if word is None or cut == 0 or text[cut - 1] not in " \t\n,":
            return text[:end]
        end = cut


def merge(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, overlapping or touching spans joined."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
