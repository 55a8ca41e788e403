"""What a job costs, by the rule on the API page. Decimal only: money is never a float.

- video-to-video `edit`: rate(mode) x the input video's length rounded to whole seconds
  (half up: 6.5 s bills 7, 6.2 s bills 6)
- video-to-video `refer`: rate(mode) x duration
- image-to-video: rate(mode, sound) x duration

The `amount` the provider returns at create time is the truth once known; this estimate is for
budgets and for telling the user before spending.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from bot.domain.models import IMAGE_TO_VIDEO, VIDEO_TO_VIDEO

V2V_RATES = {"std": Decimal("0.107"), "pro": Decimal("0.143")}
# (mode, sound on) -> USD per second
I2V_RATES = {
    ("std", False): Decimal("0.071"),
    ("std", True): Decimal("0.095"),
    ("pro", False): Decimal("0.095"),
    ("pro", True): Decimal("0.119"),
}
_CENT = Decimal("0.01")


def billed_seconds(video_seconds: float) -> int:
    """An edit bills the input length rounded half up: repr() keeps 6.5 from becoming 6.4999."""
    return int(Decimal(repr(video_seconds)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def estimate(model: str, args: dict[str, Any], video_seconds: float | None) -> Decimal:
    """The exact cost of sending `args` to `model`. Raises ValueError when it cannot be known."""
    mode = args.get("mode", "pro")
    if model == VIDEO_TO_VIDEO:
        if mode not in V2V_RATES:
            raise ValueError(f"unknown mode {mode!r}")
        rate = V2V_RATES[mode]
        if args.get("action", "refer") == "edit":
            if video_seconds is None:
                raise ValueError("an edit is billed by the video's length, which is unknown")
            return rate * billed_seconds(video_seconds)
        return rate * _duration(args)
    if model == IMAGE_TO_VIDEO:
        key = (mode, args.get("sound", "off") == "on")
        if key not in I2V_RATES:
            raise ValueError(f"unknown mode {mode!r}")
        return I2V_RATES[key] * _duration(args)
    raise ValueError(f"unknown model {model!r}")


def _duration(args: dict[str, Any]) -> int:
    duration = args.get("duration", 5)
    if not isinstance(duration, int) or isinstance(duration, bool):
        raise ValueError(f"duration must be whole seconds, not {duration!r}")
    return duration


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(_CENT, rounding=ROUND_HALF_UP)


def format_usd(amount: Decimal) -> str:
    """'$0.86': cents, half up, for people."""
    value = cents(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,}"
