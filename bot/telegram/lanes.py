"""Two lanes to Telegram: answers and deliveries first, progress edits after them.

Telegram allows a bot about 30 messages a second overall, one a second per chat and twenty a
minute per group; `AIORateLimiter` keeps to those and waits out `RetryAfter`. Under load its
queue is first come, first served, so a burst of status edits would delay the first answer to
a new message. This wrapper lets a progress edit enter that queue only while no other request
is waiting or in flight, and at most `progress_share` of the overall rate, so the rest of the
budget is always there for answers and deliveries; everything else goes straight in.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.ext import AIORateLimiter, BaseRateLimiter

PROGRESS = "progress"  # rate_limit_args of a request that may wait behind the others

JSONDict = dict[str, Any]


class LanedRateLimiter(BaseRateLimiter[str]):
    def __init__(self, inner: AIORateLimiter, progress_per_second: float | None = None) -> None:
        """`progress_per_second`: the progress lane's own ceiling (None: only the yielding)."""
        self._inner = inner
        self._progress = (
            AsyncLimiter(progress_per_second, 1.0) if progress_per_second else None
        )
        self._urgent = 0
        self._quiet = asyncio.Event()
        self._quiet.set()

    async def initialize(self) -> None:
        await self._inner.initialize()

    async def shutdown(self) -> None:
        await self._inner.shutdown()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: str | None,
    ) -> bool | JSONDict | list[JSONDict]:
        if rate_limit_args == PROGRESS:
            if self._progress is not None:
                await self._progress.acquire()
            while self._urgent:
                await self._quiet.wait()
            return await self._inner.process_request(callback, args, kwargs, endpoint, data, None)
        self._urgent += 1
        self._quiet.clear()
        try:
            return await self._inner.process_request(callback, args, kwargs, endpoint, data, None)
        finally:
            self._urgent -= 1
            if not self._urgent:
                self._quiet.set()
