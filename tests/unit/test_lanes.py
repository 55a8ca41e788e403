"""The send lanes: answers go straight to the limiter together; progress edits enter it one
at a time, so a burst of them can never stand in front of an answer."""

from __future__ import annotations

import asyncio

from telegram.ext import AIORateLimiter

from bot.telegram.lanes import PROGRESS, LanedRateLimiter


async def _peak_inside(lane: str | None, requests: int = 5) -> int:
    limiter = LanedRateLimiter(AIORateLimiter(overall_max_rate=0, group_max_rate=0))
    inside = peak = 0

    async def call() -> bool:
        nonlocal inside, peak
        inside += 1
        peak = max(peak, inside)
        for _ in range(3):
            await asyncio.sleep(0)
        inside -= 1
        return True

    results = await asyncio.gather(*(
        limiter.process_request(call, (), {}, "editMessageText", {"chat_id": 7}, lane)
        for _ in range(requests)))
    assert results == [True] * requests
    return peak


async def test_progress_edits_enter_one_at_a_time() -> None:
    assert await _peak_inside(PROGRESS) == 1


async def test_answers_are_not_held_back_by_each_other() -> None:
    assert await _peak_inside(None) > 1
