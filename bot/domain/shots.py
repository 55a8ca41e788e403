"""Multi-shot scripts: "shot 1 (3s): a man walks in, shot 2 (2s): he sits down", or without
marks: "shot 1 3s a man walks in; shot 2 2s he sits down".

A header names a shot and may carry its length. The text between one header and the next is
that shot's prompt. Positions are in the normalised text (see `text.Norm`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from bot.domain.vocabulary import alternation, numbers_up_to

_WORDS = numbers_up_to(15)
_WORD_ALT = alternation(_WORDS)
_DUR = rf"(?P<d>\d{{1,3}}(?:\.\d{{1,2}})?|{_WORD_ALT})\s*(?:seconds?|secs?|sec|s)\b"
_HEADER = re.compile(
    r"(?<![\w@])(?:"
    r"(?:shot|scene)\s*+(?:#|no\.?\s*+|number\s+)?(?P<n>[1-9]|one|two|three|four|five|six|seven|"
    r"eight|nine)\b"
    r"|(?:the\s+)?(?P<o>first|second|third|fourth|fifth|sixth|seventh|1st|2nd|3rd|4th|5th|6th|"
    r"7th|final|last)\s+(?:shot|scene)\b"
    r")"
    rf"(?:\s*+(?:(?P<p>[(\[])|[,=\-–—])?\s*+{_DUR}\s*+[)\]]?)?\s*+(?P<t>[:.\-–—]+)?"
)
_CHEAP = re.compile(r"shot|scene")


@dataclass(frozen=True, slots=True)
class Header:
    start: int
    end: int
    duration: Decimal | None


def find_headers(low: str) -> list[Header]:
    """Shot headers in order. Ordinal ones ("first shot:") count only when there are two."""
    if not _CHEAP.search(low):
        return []
    headers: list[Header] = []
    numbered = False
    for m in _HEADER.finditer(low):
        numbered_length = m.group("n") is not None and m.group("d") is not None
        if m.group("t") is None and m.group("p") is None and not numbered_length:
            continue  # "the first shot of the car" is not a header; "shot 1 3s ..." is
        d = m.group("d")
        duration = None if d is None else Decimal(_WORDS[d]) if d in _WORDS else Decimal(d)
        headers.append(Header(m.start(), m.end(), duration))
        numbered = numbered or m.group("n") is not None
    if len(headers) < 2 and not numbered:
        return []
    return headers
