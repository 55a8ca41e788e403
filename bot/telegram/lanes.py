"""Two lanes to Telegram: answers and deliveries first, progress edits after them.

Telegram allows a bot about 30 messages a second overall, one a second per chat and twenty a
minute per group; `AIORateLimiter` keeps to those and waits out `RetryAfter`. Under load its
queue is first come, first served, so a burst of status edits would delay the first answer to
a new message. This wrapper lets a progress edit enter that queue only when no other request
has started for a moment (`QUIET_SECONDS`), and at most at its own rate, so the budget is there
for answers and deliveries first; everything else goes straight in. Under a steady stream of
answers, progress waits until the stream pauses (it is coalesced meanwhile, so only the latest
text of each status message is ever sent).

An answer to a pre-checkout query skips the queue altogether: Telegram cancels the payment
if it is not answered within 10 s, and it is no message, so no flood limit counts it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.ext import AIORateLimiter, BaseRateLimiter

PROGRESS = "progress"  # rate_limit_args of a request that may wait behind the others
QUIET_SECONDS = 0.25  # no other request started for this long: a progress edit may go
EXPRESS = frozenset({"answerPreCheckoutQuery"})  # sent at once, ahead of every queue

JSONDict = dict[str, Any]


class LanedRateLimiter(BaseRateLimiter[str]):
    def __init__(self, inner: AIORateLimiter, progress_per_second: float | None = None) -> None:
        """`progress_per_second`: the progress lane's own ceiling (None: only the yielding)."""
        self._inner = inner
        self._progress = (
            AsyncLimiter(progress_per_second, 1.0) if progress_per_second else None
        )
        self._urgent = 0
        self._last_urgent = 0.0  # monotonic time the last answer or delivery started

    async def initialize(self) -> None:
        await self._inner.initialize()

    async def shutdown(self) -> None:
        await self._inner.shutdown()

    async def _pause(self) -> None:
        """Until no answer or delivery is in flight and none started for QUIET_SECONDS."""
        while True:
            wait = self._last_urgent + QUIET_SECONDS - time.monotonic()
            if wait <= 0 and not self._urgent:
                return
            await asyncio.sleep(max(wait, 0.05))  # a poll: waking on every answer costs more

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: str | None,
    ) -> bool | JSONDict | list[JSONDict]:
        if endpoint in EXPRESS:
            return await callback(*args, **kwargs)
        if rate_limit_args == PROGRESS:
            if self._progress is not None:
                await self._progress.acquire()
            await self._pause()
            return await self._inner.process_request(callback, args, kwargs, endpoint, data, None)
        self._urgent += 1
        self._last_urgent = time.monotonic()
        try:
            return await self._inner.process_request(callback, args, kwargs, endpoint, data, None)
        finally:
            self._urgent -= 1
