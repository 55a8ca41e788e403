"""A pre-checkout query is never held back: not by a busy chat's backlog in the update
processor, not by the rate limiter's queue. Each blocked path here would deadlock (the
wait_for is a guard against hanging, not a timing claim; the figure is in bench/)."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Bot, Update
from telegram.ext import BaseRateLimiter

from bot.telegram.lanes import LanedRateLimiter
from bot.telegram.update_order import PerChatOrder

BOT = Bot("123456:TEST")
GUARD = 10.0


def _message(update_id: int, chat_id: int) -> Update:
    return Update.de_json({"update_id": update_id, "message": {
        "message_id": update_id, "date": 0, "text": "remove the car",
        "chat": {"id": chat_id, "type": "private"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "A"}}}, BOT)


def _pre_checkout(update_id: int) -> Update:
    return Update.de_json({"update_id": update_id, "pre_checkout_query": {
        "id": "q1", "from": {"id": 7, "is_bot": False, "first_name": "A"}, "currency": "XTR",
        "total_amount": 100, "invoice_payload": "credits:100"}}, BOT)


async def test_a_pre_checkout_passes_a_full_processor() -> None:
    order = PerChatOrder(max_concurrent_updates=2)
    release = asyncio.Event()
    started: list[int] = []

    async def busy(n: int) -> None:
        started.append(n)
        await release.wait()

    # 200 instructions: two chats' handlers at work, the rest waiting for their turn.
    waiting = [asyncio.create_task(order.process_update(_message(n, 1 + n % 2), busy(n)))
               for n in range(200)]
    await asyncio.sleep(0)
    answered = asyncio.Event()

    async def answer() -> None:
        answered.set()

    await asyncio.wait_for(order.process_update(_pre_checkout(999), answer()), GUARD)
    assert answered.is_set() and len(started) == 2  # the others still wait
    release.set()
    await asyncio.wait_for(asyncio.gather(*waiting), GUARD)
    assert len(started) == 200


class _Stuck(BaseRateLimiter[int]):
    """A limiter whose queue never moves: anything that enters it waits forever."""

    def __init__(self) -> None:
        self.entered: list[str] = []

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(self, callback: Any, args: Any, kwargs: dict[str, Any],
                              endpoint: str, data: dict[str, Any],
                              rate_limit_args: int | None) -> Any:
        self.entered.append(endpoint)
        await asyncio.Event().wait()


async def test_the_answer_skips_the_rate_limiters_queue() -> None:
    stuck = _Stuck()
    lanes = LanedRateLimiter(stuck)  # type: ignore[arg-type]

    async def call(*_: Any, **__: Any) -> bool:
        return True

    queued = asyncio.create_task(lanes.process_request(call, (), {}, "sendMessage", {}, None))
    await asyncio.sleep(0)
    answer = lanes.process_request(call, (), {}, "answerPreCheckoutQuery", {}, None)
    assert await asyncio.wait_for(answer, GUARD) is True
    assert stuck.entered == ["sendMessage"]
    queued.cancel()
