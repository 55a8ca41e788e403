"""Bot API calls that fail in transit or with a 5xx are tried again, with jittered backoff.

Telegram's `RetryAfter` (429) is the rate limiter's to wait out; this layer sits under it, at
the HTTP request, where the status code and the network error are still visible. Which
failures are tried again:
- the connection was never made (nothing reached Telegram): every method;
- a 5xx, or an answer lost on the way back: every method except those that send a clip
  (`CLIP_SENDS`). Sending a clip twice is the one duplicate that matters, so those are left to
  the engine's delivery, which decides when and how to try again; a second text answer or a
  repeated edit is harmless, a lost one is not.
`getMe` is left alone: it is the start-up probe, which has its own backoff and log line.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx
from telegram.error import NetworkError
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt
from tenacity.wait import wait_random_exponential

from bot.ops.telegram_metrics import TimedRequest, api_method

log = logging.getLogger(__name__)

CLIP_SENDS = frozenset({"sendVideo", "sendDocument", "sendAnimation", "sendMediaGroup"})
STARTUP_PROBE = "getMe"
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
ATTEMPTS = 4
MAX_WAIT = 5.0


class _ServerError(Exception):
    def __init__(self, status: int, body: bytes) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.body = body


def may_try_again(method: str, failure: BaseException) -> bool:
    """Whether a failed call of `method` may be sent again (see the module's rules)."""
    if method == STARTUP_PROBE:
        return False
    if isinstance(failure, NetworkError) and isinstance(failure.__cause__, _NOT_SENT):
        return True
    if method in CLIP_SENDS:
        return False
    return isinstance(failure, _ServerError | NetworkError)


class RetryingRequest(TimedRequest):
    """The bot's Bot API request: timed per attempt (TimedRequest), retried by the rules."""

    def __init__(self, *args: Any, backoff: float = 0.5, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._wait = wait_random_exponential(multiplier=backoff, max=MAX_WAIT)

    async def do_request(
        self, url: str, method: str, *args: Any, **kwargs: Any
    ) -> tuple[int, bytes]:
        name = api_method(url)
        retrying = AsyncRetrying(
            stop=stop_after_attempt(ATTEMPTS),
            retry=retry_if_exception(lambda exc: may_try_again(name, exc)),
            wait=self._wait,
            before_sleep=lambda state: _log_retry(name, state),
            reraise=True,
        )
        try:
            return await retrying(self._attempt, url, method, *args, **kwargs)
        except _ServerError as failed:
            return failed.status, failed.body  # PTB turns it into its own error

    async def _attempt(self, url: str, method: str, *args: Any, **kwargs: Any
                       ) -> tuple[int, bytes]:
        status, body = await super().do_request(url, method, *args, **kwargs)
        if status >= 500:
            raise _ServerError(status, body)
        return status, body


def _log_retry(method: str, state: RetryCallState) -> None:
    failure = state.outcome.exception() if state.outcome is not None else None
    delay = state.next_action.sleep if state.next_action is not None else 0.0
    log.warning("Telegram %s failed (attempt %d: %s), retrying in %.1fs", method,
                state.attempt_number, failure, delay)
