"""Parameter phrases: mode, aspect ratio, sound, duration and "multi-shot", said in words.

A phrase found in the text is a candidate with a strength:

- STRONG phrases mean a parameter wherever they stand ("9:16", "with sound", "pro mode",
  "a 10-second clip").
- MEDIUM phrases ("10 seconds", "high quality") count when they stand in a clause of their own
  ("make it rainy, 10 seconds") or trail the message ("make her wave for 10 seconds").
- WEAK words ("vertical", "pro", "square", "landscape") are also ordinary words ("vertical
  stripes", "a pro skater", "the town square", "a beautiful landscape"), so they count only in a
  clause made of parameters alone ("make it rainy, vertical"), or trailing the message next to a
  stronger parameter ("... 10 seconds vertical").

Accepted phrases are removed from what Kling receives; the rest stays in the prompt as the
user's words. All positions here are in the normalised text (see `text.Norm`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from bot.domain import languages as lang
from bot.domain.models import AspectRatio, Mode
from bot.domain.vocabulary import (
    ASPECT_WORDS,
    CONNECTORS,
    MODE_WORDS,
    NUMBER_WORDS,
    RATIO_FIRST,
    alternation,
    wordset,
)


class Kind(str, Enum):
    MODE = "mode"
    ASPECT = "aspect_ratio"
    SOUND = "sound"
    DURATION = "duration"  # the clip's length (or a shot's, inside a multi-shot segment)
    TOTAL = "total"  # explicitly the total length ("10 seconds in total")
    MULTI = "multi_shot"


STRONG, MEDIUM, WEAK = 3, 2, 1


@dataclass(frozen=True, slots=True)
class Found:
    start: int
    end: int
    kind: Kind
    value: object  # Mode | AspectRatio | bool | Decimal
    strength: int


_NUM = r"(?P<n>\d{1,4}(?:\.\d{1,3})?|" + alternation(NUMBER_WORDS) + ")"
_SEC = r"(?P<u>seconds?|secs?|sec\.|s)(?![\w'])"
_B = r"(?<![\w:.@/'])"  # a word starts here (not inside "mp4", "x9:16", "@bot_9s")
_E = r"(?![\w'])"

_AW = r"(?P<w>vertical|portrait|landscape|horizontal|widescreen|wide[ -]screen|square)"
_MW = r"(?P<m>pro|professional|std|standard|draft|cheap|cheapest|economy|budget|premium|fast|normal|basic)"  # noqa: E501
_QW = r"(?P<m>best|highest|high|top|max|maximum|premium|full|great|better|higher|low|lower|lowest|standard|normal|basic|reduced)"  # noqa: E501
_NUM_FOREIGN = r"(?P<n>\d{1,3}|" + alternation(lang.NUMBERS) + ")"
_MEDIA_NOUN = r"(?:video|clip|version|movie|reel|animation|cut|loop|gif|story|sequence|edit|take)"

# (pattern, kind, strength); the value comes from the named groups (see _value).
_RAW: list[tuple[str, Kind, int]] = [
    # --- duration ---
    # "a 10-second clip": remove "10-second " and keep the noun.
    (_B + _NUM + r"[\s-]?(?P<u>seconds?|secs?|sec|s)(?:[\s-]long)?[\s-](?=" + _MEDIA_NOUN
     + r"\b|shot\b)", Kind.DURATION, STRONG),
    (_B + r"(?:(?:make|set|render|keep)\s+(?:it|the\s+(?:video|clip|duration|length|animation))"
     r"\s+(?:to\s+)?(?:be\s+)?)?(?:(?:about|around|exactly|roughly|approximately|just)\s+)?"
     + _NUM + r"\s?" + _SEC + r"\s+long" + _E, Kind.DURATION, STRONG),
    (_B + r"(?:duration|length)(?:\s+of|\s+is|\s+should\s+be|\s+to|\s*=|\s*:)?\s*"
     r"(?:(?:about|around|exactly)\s+)?" + _NUM + r"(?:\s?" + _SEC + ")?" + _E,
     Kind.DURATION, STRONG),
    (_B + _NUM + r"\s?" + _SEC + r"\s+(?:in\s+)?(?:total|overall|altogether|in\s+all)" + _E,
     Kind.TOTAL, STRONG),
    (_B + r"(?:in\s+)?(?:total|overall|altogether)(?:\s+(?:duration|length|time))?"
     r"(?:\s+of|\s*:|\s+is)?\s*" + _NUM + r"\s?" + _SEC + _E, Kind.TOTAL, STRONG),
    (_B + r"(?:(?:for|lasting|about|around|exactly|approximately|roughly|just|only)\s+){0,2}"
     + _NUM + r"[\s-]?" + _SEC, Kind.DURATION, MEDIUM),
    (_B + r"(?:(?:for|lasting|about|around|exactly|just|only)\s+){0,2}(?P<n>\d{1,3})\s?"
     r"(?P<min>minutes?|mins?)" + _E, Kind.DURATION, MEDIUM),
    (_B + r"(?:for\s+)?(?P<half>half\s+)?an?\s+(?P<min>minute)" + _E, Kind.DURATION, WEAK),
    # --- aspect ratio ---
    (_B + r"(?:(?:in|at|to|as|into)\s+)?(?:(?:an?\s+)?(?:aspect\s+ratio|ratio|format)"
     r"(?:\s+of)?\s*+:?\s*+)?(?P<r>9\s?[:x×/]\s?16|16\s?[:x×/]\s?9|1\s?[:x×]\s?1|9\s+by\s+16|"
     r"16\s+by\s+9|1\s+by\s+1)(?:\s+(?:aspect\s+ratio|aspect|ratio|format|crop))?(?![\w:.])",
     Kind.ASPECT, STRONG),
    (_B + r"(?:(?:in|as|into|to)\s+(?:an?\s+)?)?" + _AW + r"(?:\s+|-)(?:format|orientation|mode|"
     r"aspect\s+ratio|aspect|ratio|crop|framing|layout|size)" + _E, Kind.ASPECT, STRONG),
    (_B + r"(?P<w>vertical|portrait|horizontal|widescreen|wide[ -]screen|square)[\s-](?="
     + _MEDIA_NOUN + r"\b)", Kind.ASPECT, STRONG),
    (_B + r"(?:in|as)\s+" + _AW + r"(?!\s+(?:of|with|style|painting|photo|picture|and|shot)\b)"
     + _E, Kind.ASPECT, STRONG),
    (_B + r"(?P<w>widescreen|wide[ -]screen)" + _E, Kind.ASPECT, STRONG),
    (_B + r"for\s+(?:(?:instagram|insta|ig|facebook|fb|youtube|yt)\s+)?(?P<v>stories|story|reels?|"
     r"tik\s?tok|shorts|snapchat|snap|phones?|mobile)" + _E, Kind.ASPECT, STRONG),
    (_B + r"for\s+(?P<h>youtube|yt)(?!\s+shorts)" + _E, Kind.ASPECT, STRONG),
    (_B + r"for\s+(?:an?\s+)?(?:instagram|insta|ig)\s+(?P<q>post|feed)" + _E,
     Kind.ASPECT, STRONG),
    (_B + r"(?P<v>tik\s?tok|reels?|stories|shorts)[\s-](?:format|style|size|sized|ratio)" + _E,
     Kind.ASPECT, STRONG),
    (_B + r"(?:(?:in|as)\s+)?(?P<w>vertical|vertically|portrait|landscape|horizontal|"
     r"horizontally|square|tall)" + _E, Kind.ASPECT, WEAK),
    # --- mode ---
    (_B + r"(?:(?:in|use|using|with|at|on)\s+)?(?:the\s+)?" + _MW + r"(?:[\s-]+quality)?[\s-]+"
     r"(?:mode|tier|setting|settings|preset|plan)" + _E, Kind.MODE, STRONG),
    (_B + r"(?:(?:in|use|using|with|at|on)\s+)?(?:the\s+)?(?P<m>pro|std|standard|draft|cheap|"
     r"premium|economy)[\s-]+(?:quality|version|render|rendering|option)" + _E, Kind.MODE, STRONG),
    (_B + r"(?:in|at)\s+(?:the\s+)?" + _QW + r"(?:\s+possible)?[\s-]+quality" + _E,
     Kind.MODE, STRONG),
    (_B + r"(?P<m>std|hq)" + _E, Kind.MODE, STRONG),
    (_B + r"(?:(?:as\s+)?an?\s+)?(?:quick|rough|fast|cheap)\s+(?P<m>draft)s?" + _E,
     Kind.MODE, STRONG),
    (_B + r"as\s+an?\s+(?P<m>draft)" + _E, Kind.MODE, STRONG),
    (_B + r"(?:in|use|using)\s+(?:the\s+)?(?P<m>pro|standard|std|draft|premium|economy|cheap)"
     r"(?=\s*(?:$|[,.;:!?)]|and\b|please\b|with\b|mode\b))", Kind.MODE, STRONG),
    # "low quality is ok", "top quality please": a quality said with a verdict on it.
    (_B + _QW + r"(?:\s+possible)?[\s-]+quality\s+(?:is\s+|'s\s+|would\s+be\s+)?(?:ok|okay|"
     r"fine|enough|good\s+enough|alright|acceptable|please|pls)" + _E, Kind.MODE, STRONG),
    (_B + r"(?P<m>top|best|highest|max|maximum|premium|lowest|low)[\s-]+quality(?=\s*[,.;:!]\s*\w)",
     Kind.MODE, STRONG),
    (_B + _QW + r"(?:\s+possible)?[\s-]+quality" + _E, Kind.MODE, MEDIUM),
    (_B + r"(?P<m>cheaper|cheapest|cheaply)" + _E, Kind.MODE, MEDIUM),
    (_B + r"(?P<m>pro|professional|best|standard|draft|cheap|premium|economy)" + _E,
     Kind.MODE, WEAK),
    # --- sound ---
    (_B + r"(?P<neg>(?:don't|dont|do\s+not|no\s+need\s+to|never)\s+)?(?:with|and|plus|add|adding|"
     r"include|including|enable|enabling|turn\s+on|switch\s+on|generate|generating|put|"
     r"put\s+on)\s+(?:(?:some|the|an?|background|ambient|matching|nice|cool)\s+)*"
     r"(?P<s>sound\s+effects|sound\s+fx|sounds|sound|audio|music|soundtrack|sfx)"
     r"(?!\s+(?:of|from|like)\b)" + _E, Kind.SOUND, STRONG),
    (_B + r"(?P<s>sound|audio)\s*(?:[:=]\s*)?(?P<on>on|yes|enabled)" + _E, Kind.SOUND, STRONG),
    (_B + r"(?P<off>without|no|w/o|minus|mute|muted|turn\s+off|switch\s+off|disable)\s+"
     r"(?:the\s+|any\s+)?(?P<s>sound|sounds|audio|music)(?!\s+(?:of|from)\b)" + _E,
     Kind.SOUND, STRONG),
    (_B + r"(?P<s>sound|audio)\s*(?:[:=]\s*)?(?P<off>off|no|disabled)" + _E, Kind.SOUND, STRONG),
    (_B + r"(?P<off>silent|silently|muted)[\s-](?=(?:video|version|clip|mode)\b)",
     Kind.SOUND, STRONG),
    (_B + r"(?:(?P<off>silent|silently|muted|mute|no\s+sound|no\s+audio)|(?P<s>sound|audio|"
     r"music))" + _E, Kind.SOUND, WEAK),
    # --- multi-shot (image-to-video only) ---
    (_B + r"(?:(?:make|turn|do)\s+(?:it|this)\s+(?:into\s+|as\s+)?(?:an?\s+)?|"
     r"(?:as|in|into|with)\s+(?:an?\s+)?)?(?:multi[\s-]?shots?|multiple\s+shots|several\s+shots|"
     r"many\s+shots|a\s+few\s+shots|(?:[2-6]|two|three|four|five|six)\s+shots|"
     r"multi[\s-]?scenes?|multiple\s+scenes|several\s+scenes)"
     r"(?:\s+(?:video|sequence|version|clip|mode|style|format|edit))?(?!\s+(?:of|from)\b)" + _E,
     Kind.MULTI, STRONG),
    # --- the same in Russian, Spanish, Portuguese and German (phrases in languages.py) ---
    (_B + r"(?:(?:на|por|durante|für|em|de)\s+)?" + _NUM_FOREIGN + r"[\s-]?" + lang.SECONDS + _E,
     Kind.DURATION, STRONG),
    (_B + r"(?P<pro>" + lang.PRO + ")" + _E, Kind.MODE, STRONG),
    (_B + r"(?P<std>" + lang.STD + ")" + _E, Kind.MODE, STRONG),
    (_B + r"(?P<iv>" + lang.VERTICAL + ")" + _E, Kind.ASPECT, STRONG),
    (_B + r"(?P<ih>" + lang.LANDSCAPE + ")" + _E, Kind.ASPECT, STRONG),
    (_B + r"(?P<iq>" + lang.SQUARE + ")" + _E, Kind.ASPECT, STRONG),
    (_B + r"(?P<son>" + lang.SOUND_ON + ")" + _E, Kind.SOUND, STRONG),
    (_B + r"(?P<off>" + lang.SOUND_OFF + ")" + _E, Kind.SOUND, STRONG),
]  # fmt: skip
_PATTERNS = [(re.compile(p), kind, strength) for p, kind, strength in _RAW]

# A cheap pre-check: a pattern of a kind can only match where one of its trigger words is.
# One pass finds which kinds to try; it keeps `explain` fast, since most messages name no
# parameter at all. Triggers are short and never overlap a trigger of another group.
_TRIGGER_KINDS: dict[str, frozenset[Kind]] = {
    "digit": frozenset({Kind.DURATION, Kind.TOTAL, Kind.ASPECT}),
    "number": frozenset({Kind.DURATION, Kind.TOTAL}),
    "aspect": frozenset({Kind.ASPECT}),
    "mode": frozenset({Kind.MODE}),
    "sound": frozenset({Kind.SOUND}),
    "multi": frozenset({Kind.MULTI}),
    "foreign": frozenset(Kind),
}
_TRIGGER = re.compile(
    r"(?P<digit>\d)|(?P<number>"
    + alternation(NUMBER_WORDS)
    + r"|minute|half)|(?P<aspect>vertical|portrait|landscape|horizontal|square|wide|tall|"
    r"stor(?:y|ies)|reel|tik|short|youtube|yt|insta|ig\b|snap|phone|mobile|facebook|fb)|"
    r"(?P<mode>pro|std|standard|draft|cheap|economy|budget|premium|quality|hq|best|fast|normal|"
    r"basic|high|top|max|full|great|better|low|reduced)|(?P<sound>sound|audio|music|sfx|silent|"
    r"mute)|(?P<multi>multi|shots|scenes)|(?P<foreign>" + lang.TRIGGER + ")"
)

# A trailing run of parameters does not start right after these ("a video of 10 seconds").
_BLOCKERS = wordset(
    "of the a an this that my his her their its every each per than after before within"
    " next last first"
)
_CLAUSE_SPLIT = re.compile(r"[,;:.!?()\[\]{}\n]+|\s[-–—]+\s|\s(?:and|but|then|plus|&)\s")
_TOKEN = re.compile(r"[^\s,;:.!?()\[\]{}]+")
_PLACEHOLDER = "\x00"
# "the 90s", "1980s style": decades, not durations.
_DECADE_AFTER = re.compile(
    r"\s*+(?:style|vibes?|look|aesthetic|era|fashion|music|movies?|films?|tv|decor|outfits?|"
    r"clothes|retro|disco|rock|pop|hip|kids?|cartoons?|anime|vhs)\b"
)


def _decimal(text: str) -> Decimal:
    if text in NUMBER_WORDS:
        return Decimal(NUMBER_WORDS[text])
    if text in lang.NUMBERS:
        return Decimal(lang.NUMBERS[text])
    return Decimal(text)


def _value(kind: Kind, m: re.Match[str]) -> object:
    g = m.groupdict()
    if kind in (Kind.DURATION, Kind.TOTAL):
        if g.get("min"):
            base = Decimal(1) if g.get("n") is None else _decimal(g["n"])
            return base * 60 / (2 if g.get("half") else 1)
        return _decimal(g["n"])
    if kind is Kind.ASPECT:
        if g.get("ih"):
            return AspectRatio.LANDSCAPE
        if g.get("iq"):
            return AspectRatio.SQUARE
        if g.get("iv"):
            return AspectRatio.VERTICAL
        if g.get("r"):
            return RATIO_FIRST[re.split(r"\s*(?:[:x×/]|by)\s*", g["r"])[0]]
        if g.get("w"):
            return ASPECT_WORDS[g["w"]]
        if g.get("h"):
            return AspectRatio.LANDSCAPE
        if g.get("q"):
            return AspectRatio.SQUARE
        return AspectRatio.VERTICAL
    if kind is Kind.MODE:
        if g.get("pro") or g.get("std"):
            return Mode.PRO if g.get("pro") else Mode.STD
        return MODE_WORDS[g["m"]]
    if kind is Kind.SOUND:
        return not (g.get("off") or g.get("neg"))
    return True


def _is_decade(low: str, m: re.Match[str]) -> bool:
    """'the 90s', '1980s style', '70s vibe': decades, not durations."""
    text = m.group()
    if not (text.endswith("s") and text[-2:-1].isdigit()):
        return False
    n = m.group("n")
    before = low[max(0, m.start() - 6) : m.start()]
    return (
        (n.isdigit() and (int(n) >= 100 or (int(n) % 10 == 0 and int(n) >= 20)))
        or before.endswith(("the ", "early ", "late ", "mid "))
        or bool(_DECADE_AFTER.match(low, m.end()))
    )


def _candidates(low: str, protected: list[tuple[int, int]]) -> list[Found]:
    found: list[Found] = []
    kinds: set[Kind] = set()
    for m in _TRIGGER.finditer(low):
        kinds |= _TRIGGER_KINDS[m.lastgroup or ""]
    for rx, kind, strength in _PATTERNS:
        if kind not in kinds:
            continue
        for m in rx.finditer(low):
            start, end = m.span()
            if end == start or any(s < end and start < e for s, e in protected):
                continue
            if kind is Kind.DURATION and m.groupdict().get("u") and _is_decade(low, m):
                continue
            found.append(Found(start, end, kind, _value(kind, m), strength))
    found.sort(key=lambda f: (f.start, -(f.end - f.start), -f.strength))
    chosen: list[Found] = []
    last_end = -1
    for f in found:
        if f.start >= last_end:
            chosen.append(f)
            last_end = f.end
    return chosen


def extract(
    low: str, protected: list[tuple[int, int]] | None = None
) -> tuple[list[Found], list[tuple[int, int]]]:
    """The parameter phrases of `low` that count, and the spans to remove from the prompt."""
    chosen = _candidates(low, protected or [])
    if not chosen:
        return [], []
    masked_parts: list[str] = []
    pos = 0
    for f in chosen:
        masked_parts.append(low[pos : f.start])
        masked_parts.append(_PLACEHOLDER * (f.end - f.start))
        pos = f.end
    masked_parts.append(low[pos:])
    masked = "".join(masked_parts)

    accepted: set[int] = {i for i, f in enumerate(chosen) if f.strength == STRONG}
    removals: list[tuple[int, int]] = [(f.start, f.end) for f in chosen if f.strength == STRONG]

    # Clauses made of parameters (and connector words) alone.
    clause_start = 0
    bounds = [(m.start(), m.end()) for m in _CLAUSE_SPLIT.finditer(masked)]
    for cut_start, cut_end in [*bounds, (len(masked), len(masked))]:
        _accept_clause(masked, clause_start, cut_start, chosen, accepted, removals)
        clause_start = cut_end

    # A run of parameters trailing the message: "make her wave for 10 seconds vertical".
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(masked)]
    i = len(tokens)
    while i > 0 and (_is_param_token(tokens[i - 1][2]) or tokens[i - 1][2] in CONNECTORS):
        i -= 1
    if i < len(tokens) and (i == 0 or tokens[i - 1][2] not in _BLOCKERS):
        run_start = tokens[i][0]
        inside = [k for k, f in enumerate(chosen) if f.start >= run_start]
        if inside and any(chosen[k].strength >= MEDIUM for k in inside):
            accepted.update(inside)
            removals.append((run_start, tokens[-1][1]))
    return [chosen[k] for k in sorted(accepted)], removals


def _is_param_token(token: str) -> bool:
    return bool(token) and token.strip(_PLACEHOLDER) == ""


def _accept_clause(
    masked: str,
    start: int,
    end: int,
    chosen: list[Found],
    accepted: set[int],
    removals: list[tuple[int, int]],
) -> None:
    clause = masked[start:end]
    if _PLACEHOLDER not in clause:
        return
    words = _TOKEN.findall(clause.replace(_PLACEHOLDER, " "))
    if any(w not in CONNECTORS for w in words):
        return
    inside = [k for k, f in enumerate(chosen) if start <= f.start and f.end <= end]
    if not inside:
        return
    accepted.update(inside)
    stripped_start = start + (len(clause) - len(clause.lstrip()))
    stripped_end = end - (len(clause) - len(clause.rstrip()))
    removals.append((stripped_start, stripped_end))
