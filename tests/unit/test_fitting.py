"""Fitting offers and window choice: pure."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.fitting import (
    PART_TOO_LONG,
    PART_TOO_SHORT,
    atempo_chain,
    fit_offers,
    fixed_window,
    liveliest_window,
    offers_for,
    part_problem,
    range_problem,
)


@pytest.mark.parametrize(
    ("duration", "offers"),
    [(14.0, ["first", "last", "liveliest"]), (10.0, []), (3.0, []), (6.2, []),
     (10.01, ["first", "last", "liveliest"]), (2.0, ["loop", "slow"]), (0.4, ["loop", "slow"])],
)
def test_offers(duration: float, offers: list[str]) -> None:
    assert fit_offers(duration) == offers


def test_fixed_windows() -> None:
    assert fixed_window("first", 14.0) == (0.0, 10.0)
    assert fixed_window("last", 14.0) == (4.0, 14.0)
    with pytest.raises(ValueError):
        fixed_window("liveliest", 14.0)


def test_liveliest_follows_the_motion() -> None:
    samples = [(i / 10, 5.0 if 150 <= i < 180 else 0.1) for i in range(300)]  # 30 s, burst 15-18
    start, end = liveliest_window(samples, 30.0)
    assert start <= 15.0 and end >= 18.0 and end - start == 10.0


def test_a_still_clip_gives_its_first_seconds() -> None:
    samples = [(i / 24, 0.0) for i in range(24 * 14)]
    assert liveliest_window(samples, 14.0) == (0.0, 10.0)
    assert liveliest_window([], 14.0) == (0.0, 10.0)


@given(st.lists(st.floats(0, 100), min_size=1, max_size=400), st.floats(10.5, 60))
def test_the_window_is_always_inside_the_clip(motions: list[float], duration: float) -> None:
    step = duration / len(motions)
    start, end = liveliest_window([(i * step, m) for i, m in enumerate(motions)], duration)
    assert start >= 0 and end <= duration + 1e-9 and math.isclose(end - start, 10.0)


@pytest.mark.parametrize("speed", [0.25, 1 / 3, 0.5, 0.75, 1.5, 2.0, 4.0, 8.0])
def test_atempo_chain_multiplies_to_the_speed(speed: float) -> None:
    chain = atempo_chain(speed)
    assert all(0.5 <= s <= 2.0 for s in chain)
    assert math.isclose(math.prod(chain), speed)


def test_range_problems() -> None:
    assert range_problem(2, 6, 14) is None
    assert range_problem(6, 2, 14) is not None
    assert range_problem(20, 25, 14) is not None


def test_offers_for_a_plan_refused_for_its_length() -> None:
    from bot.domain.models import ChatContext
    from bot.domain.planner import plan

    assert offers_for(plan("remove the car", ChatContext(video_seconds=14))) == [
        "first", "last", "liveliest"]
    assert offers_for(plan("next shot: a tunnel", ChatContext(video_seconds=2))) == [
        "loop", "slow"]
    assert offers_for(plan("remove the car", ChatContext(video_seconds=6))) == []
    assert offers_for(plan("remove the car", ChatContext())) == []  # no clip: nothing to fit
    assert offers_for(plan("/edit " + "x" * 2600, ChatContext(video_seconds=14))) == []


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [(5, 12, None), (0, 10, None), (3, 6, None), (1, 13, PART_TOO_LONG), (2, 4, PART_TOO_SHORT)],
)
def test_part_problems(start: float, end: float, code: str | None) -> None:
    assert part_problem(start, end) == code
