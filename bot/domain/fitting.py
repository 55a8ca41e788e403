"""Fitting a clip to Kling's 3-10 s input window: what to offer, and which part to keep.

A clip over 10 s is offered its first, last or liveliest 10 s; a clip under 3 s is offered a
loop or a slow-down to 3 s. The liveliest window is chosen here from a motion profile the media
layer measures (`(time, motion)` samples); nothing here reads a file.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Literal

from bot.domain.kling import INPUT_SECONDS
from bot.domain.models import VIDEO_TO_VIDEO, ErrorCode, Plan

FitOffer = Literal["first", "last", "liveliest", "loop", "slow"]
LONG_OFFERS: tuple[FitOffer, ...] = ("first", "last", "liveliest")
SHORT_OFFERS: tuple[FitOffer, ...] = ("loop", "slow")
MIN_SECONDS = float(INPUT_SECONDS[0])
MAX_SECONDS = float(INPUT_SECONDS[1])


def fit_offers(duration: float) -> list[FitOffer]:
    """What the bot offers for a clip of `duration` seconds; empty when it already fits."""
    if duration > MAX_SECONDS:
        return list(LONG_OFFERS)
    if duration < MIN_SECONDS:
        return list(SHORT_OFFERS)
    return []


def offers_for(plan: Plan) -> list[FitOffer]:
    """What to offer for a video-to-video plan refused only because of its clip's length
    (the `explain` contract's `fit`); empty for anything else."""
    error = plan.error
    if plan.model != VIDEO_TO_VIDEO or error is None:
        return []
    if error.code not in (ErrorCode.VIDEO_TOO_LONG, ErrorCode.VIDEO_TOO_SHORT):
        return []
    seconds = error.values.get("seconds")
    return fit_offers(float(seconds)) if isinstance(seconds, int | float) else []


def parse_offer(word: str) -> FitOffer | None:
    """A button's word back as an offer; None for anything else."""
    for offer in (*LONG_OFFERS, *SHORT_OFFERS):
        if word == offer:
            return offer
    return None


# Why a part said in words cannot be used for Kling (worded by the catalogue).
PART_TOO_LONG = "too_long"
PART_TOO_SHORT = "too_short"


def part_problem(start: float, end: float) -> str | None:
    """A part to keep (already inside the clip) that Kling would still refuse: a code, or
    None."""
    length = end - start
    if length > MAX_SECONDS + 1e-6:
        return PART_TOO_LONG
    if length < MIN_SECONDS - 1e-6:
        return PART_TOO_SHORT
    return None


def fixed_window(
    offer: FitOffer, duration: float, length: float = MAX_SECONDS
) -> tuple[float, float]:
    """(start, end) of the first or last `length` seconds of a clip."""
    length = min(length, duration)
    if offer == "first":
        return 0.0, length
    if offer == "last":
        return duration - length, duration
    raise ValueError(f"{offer} is not a fixed window")


def liveliest_window(
    samples: Sequence[tuple[float, float]], duration: float, length: float = MAX_SECONDS
) -> tuple[float, float]:
    """(start, end) of the `length`-second window holding the most motion.

    `samples` are (time, motion) pairs in time order, e.g. one mean frame difference per frame.
    Candidate windows start at every sample time (and at the very end minus `length`); ties
    go to the earliest window, so a still clip gives its first seconds."""
    if duration <= length or not samples:
        return 0.0, min(duration, length)
    times = [t for t, _ in samples]
    totals = [0.0]
    for _, motion in samples:
        totals.append(totals[-1] + max(0.0, motion))
    latest = duration - length
    best_start, best = 0.0, -1.0
    for start in sorted({min(t, latest) for t in times} | {0.0, latest}):
        lo = bisect.bisect_left(times, start)
        hi = bisect.bisect_left(times, start + length)
        score = totals[hi] - totals[lo]
        if score > best + 1e-9:
            best_start, best = start, score
    return best_start, best_start + length


def range_problem(start: float, end: float, duration: float | None) -> str | None:
    """Why (start, end) is not a usable part of a clip of `duration` seconds (a code of
    `local_edits.problem`, worded by the catalogue), or None."""
    if start < 0 or end <= start:
        return "backwards"
    if duration is not None and start >= duration:
        return "past_the_end"
    return None


def clamp_range(start: float, end: float, duration: float) -> tuple[float, float]:
    """The part of (start, end) that lies inside the clip."""
    return max(0.0, start), min(end, duration)


def slow_factor(duration: float, target: float = MIN_SECONDS) -> float:
    """How much longer each frame lasts when a clip is slowed to `target` seconds."""
    return target / duration


def atempo_chain(speed: float) -> list[float]:
    """FFmpeg's atempo takes 0.5-2.0 per filter (older builds); chain filters for the rest."""
    if speed <= 0:
        raise ValueError("speed must be positive")
    chain: list[float] = []
    while speed > 2.0:
        chain.append(2.0)
        speed /= 2.0
    while speed < 0.5:
        chain.append(0.5)
        speed /= 0.5
    chain.append(speed)
    return chain
