"""Telegram-side metrics without touching the handlers: a request class that times every
Bot API call by method, a rate limiter that counts what is inside it, and a handler that counts
updates by kind.

Wiring (in the application builder, and once the application exists):
    .request(TimedRequest(metrics))                  # not .get_updates_request: long polls
    .get_updates_request(HTTPXRequest(read_timeout=30))  # PTB then refuses get_updates_*()
    .rate_limiter(CountingRateLimiter(metrics, overall_max_rate=..., max_retries=3))
    app.add_handler(TypeHandler(Update, update_counter(metrics)), group=-2)  # a group of
    # its own: in one group only the first matching handler runs (the gate is in group -1)
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import AIORateLimiter
from telegram.request import HTTPXRequest

from bot.ops.metrics import Metrics

# A Bot API method name; anything else (a file path, a surprise) gets a fixed label, so a
# label can never carry a token or grow without bound.
_METHOD = re.compile(r"[A-Za-z]{1,40}")


def api_method(url: str) -> str:
    """The Bot API method of a request URL ({root}/bot{token}/{method}), or file | other."""
    if "/file/bot" in url:
        return "file"
    last = url.rstrip("/").rsplit("/", 1)[-1]
    return last if _METHOD.fullmatch(last) else "other"


class TimedRequest(HTTPXRequest):
    def __init__(self, metrics: Metrics, **options: Any) -> None:
        # ApplicationBuilder gives the request it builds itself 256 connections; a request
        # passed in keeps HTTPXRequest's default of 1, which would send one call at a time.
        options.setdefault("connection_pool_size", 256)
        super().__init__(**options)
        self._metrics = metrics

    async def do_request(
        self, url: str, method: str, *args: Any, **kwargs: Any
    ) -> tuple[int, bytes]:
        started = time.perf_counter()
        try:
            return await super().do_request(url, method, *args, **kwargs)
        finally:
            seconds = time.perf_counter() - started
            self._metrics.telegram_seconds.labels(api_method(url)).observe(seconds)


Result = bool | dict[str, Any] | list[dict[str, Any]]


class CountingRateLimiter(AIORateLimiter):
    """PTB's AIORateLimiter; the metrics' queue depth counts the calls inside it (waiting for
    their turn or being sent)."""

    def __init__(self, metrics: Metrics, **options: Any) -> None:
        super().__init__(**options)
        self._metrics = metrics

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        self._metrics.telegram_queue.inc()
        try:
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )
        finally:
            self._metrics.telegram_queue.dec()


def update_kind(update: Update) -> str:
    """message, edited_message, callback_query, ... (the first field the update carries)."""
    return next((k for k in Update.ALL_TYPES if getattr(update, k, None) is not None), "other")


def update_counter(metrics: Metrics) -> Callable[[Update, Any], Coroutine[Any, Any, None]]:
    """A callback for a `TypeHandler(Update, ...)` in a group of its own before the others: it
    counts every update and lets it go on to them."""

    async def count(update: Update, _context: Any) -> None:
        metrics.updates.labels(update_kind(update)).inc()

    return count
