"""Free edits said in plain English: trim, speed, reverse, mute, crop, rotate, GIF, a still frame.

`parse` answers only when the WHOLE message is one such edit ("2x faster", "keep the first 5
seconds", "remove the sound", "crop to vertical"), give or take politeness ("please", "can you").
Anything more is a job for Kling and gets None: "remove the car" names no sound, and
"make it slow and dreamy" or "slow motion rain" say more than a speed. Pure: no I/O.

Times: "5", "5s", "5 seconds", "0:05", "1:02.5", "five". In a trim, a negative `start` or
`end` counts from the clip's end ("the last 6 seconds" is start=-6) until `resolved` is given
the clip's length; `end` None means the clip's end.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any, Literal

Op = Literal["trim", "speed", "reverse", "mute", "crop", "rotate", "gif", "frame"]
MIN_FACTOR, MAX_FACTOR = 0.25, 4.0


@dataclass(frozen=True, slots=True)
class LocalEdit:
    op: Op
    start: float | None = None
    end: float | None = None
    factor: float | None = None  # playback speed: 2.0 twice as fast, 0.5 half speed
    aspect_ratio: str | None = None  # "9:16", "1:1" or "16:9"
    degrees: int | None = None  # clockwise: 90, 180 or 270
    at: float | None = None  # seconds, for a still frame

    def args(self) -> dict[str, Any]:
        """The explain contract's args: {"op": "trim", "start": 2.0, "end": 6.0}."""
        out: dict[str, Any] = {"op": self.op}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name != "op" and value is not None:
                out[f.name] = value
        return out

    def resolved(self, duration: float) -> LocalEdit:
        """Times counted from the end (and an open end) made absolute for a clip this long."""
        if self.op == "trim":
            start = _absolute(self.start or 0.0, duration)
            end = duration if self.end is None else _absolute(self.end, duration)
            return replace(self, start=round(start, 3), end=round(min(end, duration), 3))
        if self.op == "frame" and self.at is not None:
            return replace(self, at=round(min(_absolute(self.at, duration), duration), 3))
        return self


# Why a free edit cannot be made; `bot.texts.free_edit_out_of_range` says it in words.
BACKWARDS = "backwards"  # a trim whose end is not after its start
PAST_THE_END = "past_the_end"  # a time past the clip's length
SPEED_RANGE = "speed_range"  # a speed outside MIN_FACTOR..MAX_FACTOR


def problem(edit: LocalEdit, duration: float | None) -> str | None:
    """Why this edit cannot be done on a clip of `duration` seconds (a code above), or None.
    Resolve first."""
    if edit.op == "trim" and edit.start is not None and edit.end is not None:
        if edit.start < 0 or edit.end <= edit.start:
            return BACKWARDS
        if duration is not None and edit.start >= duration:
            return PAST_THE_END
    if edit.op == "frame" and duration is not None and edit.at is not None and edit.at > duration:
        return PAST_THE_END
    if edit.op == "speed" and edit.factor is not None and not (
            MIN_FACTOR <= edit.factor <= MAX_FACTOR):
        return SPEED_RANGE
    return None


def _absolute(t: float, duration: float) -> float:
    return max(0.0, duration + t) if t < 0 else t


# ---- words ---------------------------------------------------------------------------------
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
}  # fmt: skip
_NUM = r"(?:\d+(?::\d{1,2})?(?:\.\d+)?|\.\d+|" + "|".join(_NUMBER_WORDS) + ")"
_UNIT = r"(?:\s*(?:s|secs?|seconds?))"
_ONLY = r"(?:(?:only|just)\s+)?"
T = rf"(?:(?:second\s+)?({_NUM}){_UNIT}?)"
_OBJ = r"(?:\s+(?:it|this|that|the\s+(?:video|clip|footage|movie)|my\s+(?:video|clip)))?"
_FIRST = r"(?:the\s+)?first"
_LAST = r"(?:the\s+)?(?:last|final)"
_LEAD = re.compile(
    r"^(?:(?:please|pls|plz|ok|okay|now|just|and|then|hey|bot|kling|"
    r"(?:can|could|would|will)\s+you|i\s+(?:want|need|would\s+like)\s+(?:you\s+)?to|"
    r"let'?s|i'?d\s+like\s+to)\b[\s,]*)+"
)
_TRAIL = re.compile(r"(?:[\s,]+(?:please|pls|plz|thanks|thank\s+you|for\s+me|now|only))+$")


def _seconds(word: str) -> float:
    if word in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[word])
    if ":" in word:
        minutes, _, secs = word.partition(":")
        return int(minutes) * 60 + float(secs)
    return float(word)


def _normalise(text: str) -> str:
    text = text.lower().replace("°", " degrees ").replace("×", "x")
    text = re.sub(r"[–—‑]", "-", text)
    text = re.sub(r"\s+", " ", text).strip(" \t\n.!?;")
    text = _LEAD.sub("", text)
    return _TRAIL.sub("", text).strip(" ,")


Builder = Callable[[re.Match[str]], LocalEdit]


def _trim_range(m: re.Match[str]) -> LocalEdit:
    return LocalEdit("trim", start=_seconds(m[1]), end=_seconds(m[2]))


def _keep_first(m: re.Match[str]) -> LocalEdit:
    return LocalEdit("trim", start=0.0, end=_seconds(m[1]))


def _keep_last(m: re.Match[str]) -> LocalEdit:
    return LocalEdit("trim", start=-_seconds(m[1]))


def _drop_first(m: re.Match[str]) -> LocalEdit:
    return LocalEdit("trim", start=_seconds(m[1]))


def _drop_last(m: re.Match[str]) -> LocalEdit:
    return LocalEdit("trim", start=0.0, end=-_seconds(m[1]))


def _times(m: re.Match[str]) -> LocalEdit:
    factor = 2.0 if m["x"] is None else _seconds(m["x"])
    if m["dir"] in ("slower", "slow"):
        factor = 1 / factor
    return LocalEdit("speed", factor=factor)


def _fixed(edit: LocalEdit) -> Builder:
    return lambda _m: edit


def _speed(factor: float) -> Builder:
    return _fixed(LocalEdit("speed", factor=factor))


def _crop(m: re.Match[str]) -> LocalEdit:
    word = m["shape"]
    ratio = ("9:16" if word in ("vertical", "portrait", "9:16", "tiktok", "reels", "stories")
             else "1:1" if word in ("square", "1:1") else "16:9")
    return LocalEdit("crop", aspect_ratio=ratio)


def _rotate(m: re.Match[str]) -> LocalEdit:
    degrees = int(m["deg"] or 90)
    if m["way"] in ("left", "counterclockwise", "counter-clockwise", "anticlockwise",
                    "anti-clockwise", "ccw"):
        degrees = (360 - degrees) % 360
    return LocalEdit("rotate", degrees=degrees)


def _frame(m: re.Match[str]) -> LocalEdit:
    said = m.groupdict().get("t")
    return LocalEdit("frame", at=0.0 if said is None else _seconds(said))


_KEEP = (r"(?:(?:use|keep|take|trim(?:\s+it)?\s+(?:down\s+)?to|cut(?:\s+it)?\s+(?:down\s+)?to|"
         r"only(?:\s+(?:use|keep))?|just(?:\s+(?:use|keep))?|give\s+me)\s+)")
_RANGE_VERB = (r"(?:(?:use|keep|take|trim|cut|clip|crop|play|only|just|give\s+me)"
               rf"{_OBJ}(?:\s+(?:down\s+)?to)?(?:\s+only)?\s+)")
_TO = r"\s*(?:to|-|until|till|through|up\s+to)\s*"
_SECS = r"(?:\s*(?:s|secs?|seconds?))"
_DROP = r"(?:cut(?:\s+off|\s+out)?|remove|drop|delete|trim(?:\s+off)?|lose|skip|chop\s+off)"
_DIR = r"(?:faster|quicker|speed|as\s+fast|slower|slow)"
_MUTE_NOUN = r"(?:the\s+)?(?:sound|audio|soundtrack|audio\s+track)"
_SHAPE = (r"(?P<shape>vertical|portrait|9:16|tiktok|reels|stories|square|1:1|16:9|"
          r"horizontal|landscape|widescreen)")
_WAY = r"(?P<way>clockwise|counter-?clockwise|anti-?clockwise|left|right|cw|ccw)"
_DEG = r"(?P<deg>90|180|270)(?:\s*(?:degrees?|deg))?"
_STILL = (r"(?:a\s+|the\s+)?(?:still(?:\s+frame)?|frame|screenshot|snapshot|screen\s*grab|"
          r"photo|picture|image)")
_GRAB = r"(?:grab|get|take|give\s+me|send\s+me|save|export|extract|capture|show\s+me|make)"
_RULES: list[tuple[str, Builder]] = [
    (rf"{_RANGE_VERB}?(?:from\s+)?{T}{_TO}{T}", _trim_range),
    (rf"{_RANGE_VERB}?(?:the\s+part\s+)?between\s+{T}\s+and\s+{T}", _trim_range),
    (rf"{_DROP}{_OBJ}\s+{_FIRST}\s+{T}{_SECS}?", _drop_first),
    (rf"{_DROP}{_OBJ}\s+{_LAST}\s+{T}{_SECS}?", _drop_last),
    (rf"(?:{_KEEP}|{_ONLY})?{_FIRST}\s+{T}{_SECS}?", _keep_first),
    (rf"(?:{_KEEP}|{_ONLY})?{_LAST}\s+{T}{_SECS}?", _keep_last),
    (rf"(?:(?:make\s+it|play\s+it|speed{_OBJ}\s+up(?:\s+by)?|slow{_OBJ}\s+down(?:\s+by)?)\s+)?"
     rf"(?:(?P<x>{_NUM})\s*(?:x|times)|twice|double)(?:\s+(?P<dir>{_DIR}))?(?:\s+speed)?", _times),
    (rf"(?:make\s+it\s+|play\s+it\s+)?(?:faster|speed{_OBJ}\s+up|fast\s+forward)", _speed(2.0)),
    (r"(?:(?:make|play|put)\s+it\s+)?(?:in\s+)?(?:slow|slo)[\s-]*mo(?:tion)?", _speed(0.5)),
    (r"(?:make\s+it\s+|play\s+it\s+(?:at\s+)?)?(?:half|50%)\s+(?:the\s+)?speed", _speed(0.5)),
    (r"(?:make\s+it\s+|play\s+it\s+(?:at\s+)?)?(?:quarter|25%)\s+(?:the\s+)?speed", _speed(0.25)),
    (rf"slow{_OBJ}\s+down|make\s+it\s+slower|slower", _speed(0.5)),
    (rf"reverse{_OBJ}|play{_OBJ}\s+(?:in\s+)?(?:reverse|backwards?)|backwards?|rewind{_OBJ}|"
     rf"make\s+it\s+(?:go\s+|play\s+|run\s+)?(?:backwards?|in\s+reverse)|in\s+reverse",
     _fixed(LocalEdit("reverse"))),
    (rf"mute{_OBJ}|(?:remove|delete|drop|strip|kill|cut|take\s+out|get\s+rid\s+of|lose)"
     rf"(?:\s+(?:the\s+)?(?:video'?s|clip'?s))?\s+{_MUTE_NOUN}(?:\s+(?:from|of){_OBJ})?|"
     rf"(?:turn|switch)\s+off\s+{_MUTE_NOUN}|(?:no|without)\s+(?:sound|audio)|silence{_OBJ}|"
     r"make\s+it\s+silent", _fixed(LocalEdit("mute"))),
    (rf"(?:crop|cut|make|convert|change|turn|reframe|resize){_OBJ}\s*(?:(?:in)?to\s+)?(?:a\s+)?"
     rf"{_SHAPE}(?:\s+(?:format|aspect(?:\s+ratio)?|ratio|video|crop|version))?", _crop),
    (rf"{_SHAPE}(?:\s+(?:crop|format|version|please))?", _crop),
    (rf"rotate{_OBJ}(?:\s+by)?(?:\s+{_DEG})?(?:\s+{_WAY})?", _rotate),
    (rf"turn\s+(?:it|this|the\s+(?:video|clip))(?:\s+by)?(?:\s+{_DEG})?\s+{_WAY}", _rotate),
    (rf"turn\s+(?:it|this|the\s+(?:video|clip))(?:\s+by)?\s+{_DEG}(?:\s+{_WAY})?", _rotate),
    (r"(?:flip|turn|rotate)(?:\s+it)?\s+upside\s+down", _fixed(LocalEdit("rotate", degrees=180))),
    (rf"(?:(?:make|turn|convert|export|send|save|give\s+me)(?:{_OBJ})?\s+)?(?:(?:in)?to\s+|as\s+)?"
     r"(?:an?\s+)?gif(?:\s+(?:of|from|out\s+of)\s+(?:it|this|that))?", _fixed(LocalEdit("gif"))),
    (rf"(?:{_GRAB}\s+)?{_STILL}\s+(?:at|from)\s+(?P<t>{_NUM}){_UNIT}?", _frame),
    (rf"{_GRAB}\s+(?:the\s+)?first\s+frame", _frame),
]  # fmt: skip
_COMPILED = [(re.compile(pattern), build) for pattern, build in _RULES]


def parse(text: str) -> LocalEdit | None:
    """The local edit `text` asks for, or None when it asks for anything else."""
    said = _normalise(text)
    for pattern, build in _COMPILED:
        match = pattern.fullmatch(said)
        if match:
            return build(match)
    return None


def result_kind(op: Op) -> Literal["video", "animation", "photo"]:
    """How the result goes back to the chat: sendVideo, sendAnimation (GIF) or sendPhoto."""
    return "animation" if op == "gif" else "photo" if op == "frame" else "video"


def centre_crop(width: int, height: int, aspect_ratio: str) -> tuple[int, int, int, int]:
    """(w, h, x, y) of the largest centred box of `aspect_ratio` ("9:16") inside the picture,
    with even sides (H.264 4:2:0 needs them)."""
    across, down = (int(part) for part in aspect_ratio.split(":"))
    w, h = width, width * down // across
    if h > height:
        w, h = height * across // down, height
    w, h = max(2, w - w % 2), max(2, h - h % 2)
    return w, h, (width - w) // 2, (height - h) // 2
