"""Fitting a clip to Kling's 3-10 s window: the offer, its buttons, and what a pick did."""

from __future__ import annotations

from decimal import Decimal

from bot.domain import fitting
from bot.domain.kling import INPUT_SECONDS
from bot.texts.format import escape, seconds, span, usd

_WINDOW = span(INPUT_SECONDS, "–")  # "3–10"
_MAX = INPUT_SECONDS[1]
_MIN = INPUT_SECONDS[0]

# Outside checks press these by their words: "First", "Last", "Liveliest", "Loop", "Slow".
FIT_BUTTONS = {
    "first": f"First {_MAX} s",
    "last": f"Last {_MAX} s",
    "liveliest": f"Liveliest {_MAX} s",
    "loop": f"Loop to {_MIN} s",
    "slow": f"Slow down to {_MIN} s",
}
FIT_CHOOSE_BUTTON = "Choose…"


def fit_offer(length: float, instruction: str) -> str:
    """The one answer to an instruction on a clip outside Kling's window."""
    said = f"<i>{escape(instruction)}</i>"
    if length > _MAX:
        return (
            f"✂️ Kling takes clips of {_WINDOW} s; this one is {seconds(length)}. Which "
            f"{_MAX} s should I use for {said}? <b>Liveliest</b> picks the part with the most "
            "movement. Cutting is free; nothing is spent until you pick."
        )
    return (
        f"✂️ Kling takes clips of {_WINDOW} s; this one is {seconds(length)}. Should I loop it "
        f"or slow it down to {_MIN} s for {said}? That is free; nothing is spent until you pick."
    )


FIT_CHOOSE_HELP = (
    "Tell me the part to use in words, up to "
    f"{_MAX} seconds, for example: <i>use 0:05 to 0:12</i>, <i>from 3 to 9 seconds</i> or "
    "<i>only the last 6 seconds</i>."
)


def _clock(value: float) -> str:
    whole = int(round(value, 1))
    tenths = round(value - whole, 1)
    text = f"{whole // 60}:{whole % 60:02d}"
    return text + (f".{round(tenths * 10)}" if tenths > 0 else "")


def fit_done(choice: str, start: float, end: float, length: float, version: int,
             estimate: Decimal | None) -> str:
    """What the pick made: the part kept (or the loop / slow-down), the version, free; and
    the instruction's price for the new length."""
    if choice == "loop":
        what = f"Looped to {seconds(length)}"
    elif choice == "slow":
        what = f"Slowed down to {seconds(length)}"
    else:
        what = f"Cut {_clock(start)}–{_clock(end)} ({seconds(length)})"
    text = f"✂️ {what} · v{version} · free."
    if estimate is not None:
        text += f" Kling's price for these {seconds(length)}: {usd(estimate)}."
    return text


FIT_FAILED = "I couldn't cut that part of the clip. Nothing was spent; pick again."
FIT_SOURCE_GONE = "That clip is no longer stored here. Send it again."
FIT_ALREADY = "A part was already picked for this instruction."


def fit_part_refused(code: str, length: float) -> str:
    """A part said in words that Kling would still refuse."""
    if code == fitting.PART_TOO_LONG:
        return (f"That part is {seconds(length)}; Kling takes at most {_MAX} seconds. "
                "Say a shorter part.")
    return (f"That part is {seconds(length)}; Kling needs at least {_MIN} seconds. "
            "Say a longer part.")
