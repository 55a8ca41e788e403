"""Photos referred to by position, and first/end frames, in words.

"the man from the first photo wearing the jacket from the second, walking through the third"
names photos 1, 2 and 3; "start from the first photo and end on the second" names a first and
an end frame. Positions are 1-based session positions (photo 1 is `<image1>`); "the last photo"
and "this photo" are the most recent one. Text positions are in the normalised text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.vocabulary import ORDINALS, PHOTO_NOUNS, alternation, numbers_up_to

_NUMBERS = numbers_up_to(10)
_ORD = "(?:" + alternation(ORDINALS) + ")"
_NUMW = r"(?:\d{1,2}|" + alternation(_NUMBERS) + ")"
_PHOTO = "(?:" + alternation(PHOTO_NOUNS) + ")s?"
_NOT_DURATION = r"(?!\s*(?:s|sec|secs|seconds?|minutes?|mins?)\b)"

_LIST = re.compile(
    rf"(?<!\w)(?:the\s+)?(?P<list>{_ORD}(?:\s*(?:,\s*and|,|and|&)\s*(?:the\s+)?{_ORD})+)\s+"
    rf"(?:{_PHOTO}|ones)\b"
)
_BY_ORDINAL = re.compile(
    rf"(?<!\w)(?:the\s+|my\s+|this\s+|that\s+)?(?P<o>{_ORD})\s+(?P<noun>{_PHOTO}|one)\b"
)
_BY_NUMBER = re.compile(
    rf"(?<!\w)(?:the\s+|my\s+)?{_PHOTO}\s*(?:#|no\.?\s*|number\s+)?(?P<k>{_NUMW})\b{_NOT_DURATION}"
)
_BARE = re.compile(
    rf"(?<!\w)(?:the\s+)?(?P<o>{_ORD})\b(?=\s*(?:$|[,.;:!?)]|and\b|or\b|to\b|into\b|as\b|with\b|"
    r"then\b|while\b|but\b))"
)
_ANY_PHOTO = re.compile(rf"(?<!\w){_PHOTO}\b")
# "the dog from the second runs across", once photos are named by position (frames): a bare
# ordinal after a preposition, unless a noun follows ("in the second half").
_AFTER_PREPOSITION = re.compile(
    rf"(?<!\w)(?:from|in|of|like|using|with|wearing|holding)\s+(?P<r>(?:the\s+)?(?P<o>{_ORD}))\b"
    r"(?!\s+(?:time|half|part|row|place|shot|scene|seconds?|frame|version|clip|video|try|take|"
    r"attempt|round|step|minute|person|man|woman|one|day|week)\b)"
)
_ORD_WORD = re.compile(_ORD)

_REF = (
    rf"(?:(?:the\s+|my\s+|this\s+|that\s+)?{_ORD}(?:\s+(?:{_PHOTO}|one))?"
    rf"|(?:the\s+|my\s+)?{_PHOTO}\s*(?:#|no\.?\s*|number\s+)?{_NUMW}\b{_NOT_DURATION}"
    rf"|(?:this|that|the|my)\s+{_PHOTO}|this|that|it)(?!\w)"
)
_START = re.compile(
    r"(?<!\w)(?:(?:start|starts|starting|begin|begins|beginning|open|opens|opening)"
    r"(?:\s+(?:it|the\s+(?:video|clip|animation)))?\s+(?:from|with|on|at|in)\s+"
    rf"(?P<a>{_REF})|(?P<a2>{_REF})\s+as\s+(?:the\s+|a\s+)?(?:first|start|starting|opening|"
    r"initial|beginning)\s+frame|(?:first|start|starting|opening|initial)\s+frame\s*"
    rf"(?:is|:|=|should\s+be|from|of)?\s*(?P<a3>{_REF}))"
)
_END = re.compile(
    r"(?<!\w)(?:(?:end|ends|ending|finish|finishes|finishing|close|closes|closing|land|lands)"
    r"(?:\s+(?:it|the\s+(?:video|clip|animation)))?\s+(?:on|with|at|in|as)\s+"
    rf"(?P<b>{_REF})|(?P<b2>{_REF})\s+as\s+(?:the\s+|an?\s+)?(?:last|end|ending|final|closing)"
    r"\s+frame|(?:last|end|ending|final|closing)\s+frame\s*(?:is|:|=|should\s+be|from|of)?\s*"
    rf"(?P<b3>{_REF}))"
)
_FROM_TO = re.compile(
    rf"(?<!\w)(?:from|(?:morph|transition|turn|transform|go|move)(?:\s+from)?)\s+(?P<a>{_REF})"
    rf"\s+(?:to|into|until|till|towards?)\s+(?P<b>{_REF})"
)
_CHEAP = re.compile(rf"{_PHOTO}|frame|{_ORD}|\bone\b")
_COMPONENT_BEFORE = ("from ", "in ", "of ", "like ", "with ", "using ", "on ", "into ")


@dataclass(frozen=True, slots=True)
class Ref:
    """A photo named by position: low[start:end] is the phrase, `index` the session position."""

    start: int
    end: int
    indexes: tuple[int, ...]  # one photo, or several: "the first and second photos"
    component: bool  # "from the first photo": a part of the scene, not the picture to animate


@dataclass(frozen=True, slots=True)
class Frames:
    first: int | None = None  # session position of the first frame
    end: int | None = None  # session position of the end frame
    spans: tuple[tuple[int, int], ...] = ()  # where they were named

    @property
    def any(self) -> bool:
        return self.first is not None or self.end is not None


def mentions_photo(low: str) -> bool:
    return bool(_ANY_PHOTO.search(low))


def _index(word: str, photos: int) -> int:
    value = ORDINALS.get(word)
    if value is None:
        value = _NUMBERS.get(word)
    if value is None:
        value = int(word) if word.isdigit() else photos
    return photos if value == -1 else value


def _ref_index(phrase: str, photos: int) -> int:
    m = re.search(rf"{_PHOTO}\s*(?:#|no\.?\s*|number\s+)?(?P<k>{_NUMW})\b", phrase)
    if m:
        return _index(m.group("k"), photos)
    m = _ORD_WORD.search(phrase)
    if m and re.fullmatch(rf"(?:(?:the|my|this|that)\s+)?{_ORD}(?:\s+.*)?", phrase):
        return _index(m.group(), photos)
    return photos  # "this photo", "it": the most recent one


def find_refs(low: str, photos: int) -> list[Ref]:
    """Photos named by position, in text order, overlaps resolved longest-first."""
    if not _CHEAP.search(low):
        return []
    has_photo_word = mentions_photo(low)
    found: list[tuple[int, int, list[int]]] = []
    for m in _LIST.finditer(low):
        found.append(
            (m.start(), m.end(), [_index(w, photos) for w in _ORD_WORD.findall(m["list"])])
        )
    for m in _BY_ORDINAL.finditer(low):
        if m.group("noun") != "one" or has_photo_word:
            found.append((m.start(), m.end(), [_index(m.group("o"), photos)]))
    for m in _BY_NUMBER.finditer(low):
        found.append((m.start(), m.end(), [_index(m.group("k"), photos)]))
    if has_photo_word or _names_frames(low):
        for m in _AFTER_PREPOSITION.finditer(low):
            found.append((m.start("r"), m.end("r"), [_index(m.group("o"), photos)]))
    if has_photo_word:
        first_photo = _ANY_PHOTO.search(low)
        for m in _BARE.finditer(low):
            if first_photo is not None and first_photo.start() < m.start():
                found.append((m.start(), m.end(), [_index(m.group("o"), photos)]))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    refs: list[Ref] = []
    last_end = -1
    for start, end, indexes in found:
        if start < last_end or low.endswith("[@", 0, start):
            continue  # overlapping, or a [@imageN] the user wrote: kept as written
        last_end = end
        component = low[max(0, start - 8) : start].endswith(_COMPONENT_BEFORE)
        refs.append(Ref(start, end, tuple(indexes), component))
    return refs


def _names_frames(low: str) -> bool:
    return bool(_START.search(low) or _END.search(low) or _FROM_TO.search(low))


def find_frames(low: str, photos: int) -> Frames:
    """The first and end frames the text asks for, if any."""
    if "frame" not in low and not _CHEAP.search(low):
        return Frames()
    first: int | None = None
    end: int | None = None
    spans: list[tuple[int, int]] = []
    for m in _FROM_TO.finditer(low):
        first, end = _ref_index(m["a"], photos), _ref_index(m["b"], photos)
        spans.append(m.span())
    for m in _START.finditer(low):
        phrase = m["a"] or m["a2"] or m["a3"]
        first = _ref_index(phrase, photos)
        spans.append(m.span())
    for m in _END.finditer(low):
        phrase = m["b"] or m["b2"] or m["b3"]
        end = _ref_index(phrase, photos)
        spans.append(m.span())
    return Frames(first, end, tuple(spans))
