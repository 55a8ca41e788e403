"""Fitting a clip to Kling's 3-10 s window: the offer, its buttons, and what a pick did."""

from __future__ import annotations

from decimal import Decimal

from bot.domain import fitting
from bot.domain.kling import INPUT_SECONDS
from bot.texts.format import escape, seconds, span, usd
from bot.texts.i18n import _, lazy, msg

_WINDOW = span(INPUT_SECONDS, "–")  # "3–10"
_MAX = INPUT_SECONDS[1]
_MIN = INPUT_SECONDS[0]

# Outside checks press these by their words: "First", "Last", "Liveliest", "Loop", "Slow".
FIT_BUTTONS: dict[str, str] = lazy(lambda: {
    "first": _("First {seconds} s").format(seconds=_MAX),
    "last": _("Last {seconds} s").format(seconds=_MAX),
    "liveliest": _("Liveliest {seconds} s").format(seconds=_MAX),
    "loop": _("Loop to {seconds} s").format(seconds=_MIN),
    "slow": _("Slow down to {seconds} s").format(seconds=_MIN),
})
FIT_CHOOSE_BUTTON = msg("Choose…")


def fit_offer(length: float, instruction: str) -> str:
    """The one answer to an instruction on a clip outside Kling's window."""
    if length > _MAX:
        return _(
            "✂️ Kling takes clips of {window} s; this one is {length}. Which {seconds} s should "
            "I use for <i>{instruction}</i>? <b>Liveliest</b> picks the part with the most "
            "movement. Cutting is free; nothing is spent until you pick."
        ).format(window=_WINDOW, length=seconds(length), seconds=_MAX,
                 instruction=escape(instruction))
    return _(
        "✂️ Kling takes clips of {window} s; this one is {length}. Should I loop it or slow it "
        "down to {seconds} s for <i>{instruction}</i>? That is free; nothing is spent until you "
        "pick."
    ).format(window=_WINDOW, length=seconds(length), seconds=_MIN,
             instruction=escape(instruction))


FIT_CHOOSE_HELP = msg(
    "Tell me the part to use in words, up to {seconds} seconds, for example: <i>use 0:05 to "
    "0:12</i>, <i>from 3 to 9 seconds</i> or <i>only the last 6 seconds</i>.",
    seconds=_MAX,
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
        what = _("Looped to {length}").format(length=seconds(length))
    elif choice == "slow":
        what = _("Slowed down to {length}").format(length=seconds(length))
    else:
        what = _("Cut {start}–{end} ({length})").format(
            start=_clock(start), end=_clock(end), length=seconds(length))
    text = _("✂️ {done} · v{version} · free.").format(done=what, version=version)
    if estimate is not None:
        text += " " + _("Kling's price for these {length}: {cost}.").format(
            length=seconds(length), cost=usd(estimate))
    return text


FIT_FAILED = msg("I couldn't cut that part of the clip. Nothing was spent; pick again.")
FIT_SOURCE_GONE = msg("That clip is no longer stored here. Send it again.")
FIT_ALREADY = msg("A part was already picked for this instruction.")


def fit_part_refused(code: str, length: float) -> str:
    """A part said in words that Kling would still refuse."""
    if code == fitting.PART_TOO_LONG:
        return _(
            "That part is {length}; Kling takes at most {seconds} seconds. Say a shorter part."
        ).format(length=seconds(length), seconds=_MAX)
    return _(
        "That part is {length}; Kling needs at least {seconds} seconds. Say a longer part."
    ).format(length=seconds(length), seconds=_MIN)
