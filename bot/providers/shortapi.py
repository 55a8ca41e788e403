"""ShortAPI client (httpx): create and query, Bearer auth, retries through tenacity.

Errors usually arrive as HTTP 200 with `code != 0`; we branch on that, never on numbers.

Retries: network errors, 5xx and 429 are tried again after a jittered exponential wait, or
after the provider's `Retry-After` when it gives one (seconds or an HTTP date). One rule
overrides all of that: a create that may have reached the provider is never sent again
(`may_send_again`), because a second create can be a second charge.
"""

from __future__ import annotations

import email.utils
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt
from tenacity.wait import wait_random_exponential

from bot.providers.base import Created, Remote, RemoteStatus
from bot.providers.errors import (
    ProviderAmbiguous,
    ProviderBadResponse,
    ProviderError,
    ProviderRejected,
    ProviderUnavailable,
)

log = logging.getLogger(__name__)

# Connection never established: the request cannot have reached the provider.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# The longest we wait between two attempts, whatever Retry-After asks for: a job's create
# should fail soon and say so rather than hang for an hour.
MAX_RETRY_WAIT = 60.0

Sleep = Callable[[float], Awaitable[None]]


class RequestObserver(Protocol):
    """Told about every attempt (e.g. `bot.ops.metrics.Metrics`); operation is create|query."""

    def provider_request(self, operation: str, seconds: float) -> None: ...

    def provider_error(self, operation: str, kind: str) -> None: ...


class _Unobserved:
    def provider_request(self, operation: str, seconds: float) -> None:
        return None

    def provider_error(self, operation: str, kind: str) -> None:
        return None


class _Failed(Exception):
    """One attempt failed. `error` is what the caller gets if it is not tried again."""

    def __init__(
        self, error: ProviderError, *, kind: str = "other", maybe_applied: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(error.detail)
        self.error = error
        self.kind = kind  # for metrics: unreachable, no_answer, http_504, http_429, http_5xx
        self.maybe_applied = maybe_applied  # the request may have taken effect at the provider
        self.retry_after = retry_after  # seconds, from the provider's Retry-After


def may_send_again(*, idempotent: bool, failure: _Failed) -> bool:
    """Never retry an ambiguous create: a request that may already have taken effect is sent
    again only if repeating it is harmless (a query). Everything else that failed in transit,
    answered 5xx or 429, may be tried again."""
    return idempotent or not failure.maybe_applied


class ShortApiClient:
    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float = 30.0,
        retries: int = 3,
        backoff: float = 0.5,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep | None = None,
        observer: RequestObserver | None = None,
    ) -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=httpx.Timeout(timeout, connect=10.0),
            transport=transport,
        )
        self._retries = retries
        self._jitter = wait_random_exponential(multiplier=backoff, max=MAX_RETRY_WAIT)
        self._sleep = sleep
        self._observer: RequestObserver = observer or _Unobserved()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def create(
        self, model: str, args: dict[str, Any], callback_url: str | None
    ) -> Created:
        body: dict[str, Any] = {"model": model, "args": args}
        if callback_url:
            body["callback_url"] = callback_url
        data = await self._call(
            "create", "POST", "/api/v1/job/create", json=body, idempotent=False
        )
        job_id = data.get("job_id")
        if not isinstance(job_id, str) or not job_id:
            raise ProviderBadResponse("create answered without a job_id")
        return Created(job_id=job_id, amount=_decimal(data.get("amount")))

    async def query(self, job_id: str) -> Remote:
        data = await self._call(
            "query", "GET", "/api/v1/job/query", params={"id": job_id}, idempotent=True
        )
        return parse_remote(data)

    async def _call(
        self,
        operation: str,
        method: str,
        path: str,
        *,
        idempotent: bool,
        json: Any = None,
        params: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        options: dict[str, Any] = {} if self._sleep is None else {"sleep": self._sleep}
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self._retries + 1),
            retry=retry_if_exception(
                lambda exc: isinstance(exc, _Failed)
                and may_send_again(idempotent=idempotent, failure=exc)
            ),
            wait=self._wait,
            before_sleep=lambda state: _log_retry(method, path, state),
            reraise=True,
            **options,
        )
        try:
            response: httpx.Response = await retrying(
                self._observed, operation, method, path, idempotent=idempotent, json=json,
                params=params,
            )
        except _Failed as failed:
            raise failed.error from failed.__cause__
        try:
            return _unwrap(response)
        except ProviderRejected:
            self._observer.provider_error(operation, "rejected")
            raise
        except ProviderBadResponse:
            self._observer.provider_error(operation, "bad_response")
            raise

    async def _observed(
        self, operation: str, method: str, path: str, **options: Any
    ) -> httpx.Response:
        started = time.perf_counter()
        try:
            return await self._attempt(method, path, **options)
        except _Failed as failed:
            self._observer.provider_error(operation, failed.kind)
            raise
        finally:
            self._observer.provider_request(operation, time.perf_counter() - started)

    async def _attempt(
        self, method: str, path: str, *, idempotent: bool, json: Any,
        params: dict[str, str] | None,
    ) -> httpx.Response:
        """One request: the response to read, or `_Failed` for anything worth retrying."""
        try:
            response = await self._client.request(method, path, json=json, params=params)
        except _NOT_SENT as exc:
            unsent = ProviderUnavailable(f"cannot reach provider: {type(exc).__name__}")
            raise _Failed(unsent, kind="unreachable") from exc
        except httpx.TransportError as exc:
            # Sent, but the answer was lost: the request may have taken effect.
            name = type(exc).__name__
            error: ProviderError = ProviderUnavailable(f"provider did not answer: {name}")
            if not idempotent:
                error = ProviderAmbiguous(f"no answer to create: {name}")
            raise _Failed(error, kind="no_answer", maybe_applied=True) from exc
        status = response.status_code
        if status == 504:
            # The gateway stopped waiting; the provider may still have created (and charged
            # for) the job.
            timeout: ProviderError = ProviderUnavailable("provider HTTP 504", status=504)
            if not idempotent:
                timeout = ProviderAmbiguous("create answered HTTP 504", status=504)
            raise _Failed(timeout, kind="http_504", maybe_applied=True)
        if status >= 500 or status == 429:
            raise _Failed(
                ProviderUnavailable(f"provider HTTP {status}", status=status),
                kind="http_429" if status == 429 else "http_5xx",
                retry_after=retry_after_seconds(response.headers.get("retry-after")),
            )
        return response

    def _wait(self, state: RetryCallState) -> float:
        jittered = float(self._jitter(state))
        failure = state.outcome.exception() if state.outcome is not None else None
        if isinstance(failure, _Failed) and failure.retry_after is not None:
            return min(max(failure.retry_after, jittered), MAX_RETRY_WAIT)
        return jittered


def retry_after_seconds(value: str | None, *, now: float | None = None) -> float | None:
    """A `Retry-After` header in seconds: delta-seconds or an HTTP date; None when absent or
    unreadable (then our own backoff applies)."""
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(min(int(value), 10**6))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = datetime.now(UTC).timestamp() if now is None else now
    return max(0.0, when.timestamp() - current)


def _log_retry(method: str, path: str, state: RetryCallState) -> None:
    failure = state.outcome.exception() if state.outcome is not None else None
    reason = failure.error.detail if isinstance(failure, _Failed) else repr(failure)
    delay = state.next_action.sleep if state.next_action is not None else 0.0
    log.warning(
        "provider %s %s failed (attempt %d: %s), retrying in %.1fs",
        method, path, state.attempt_number, reason, delay,
    )


def _unwrap(response: httpx.Response) -> dict[str, Any]:
    try:
        payload = response.json()
    except ValueError:
        if response.status_code >= 400:
            raise ProviderRejected(
                f"HTTP {response.status_code}", status=response.status_code
            ) from None
        raise ProviderBadResponse("response is not JSON", status=response.status_code) from None
    if not isinstance(payload, dict):
        raise ProviderBadResponse("response is not an object", status=response.status_code)
    code = payload.get("code")
    if response.status_code >= 400 or code not in (0, "0", None):
        raise ProviderRejected(
            _message(payload) or f"HTTP {response.status_code}",
            status=response.status_code,
            code=code if isinstance(code, int) else None,
        )
    data = payload.get("data")
    if not isinstance(data, dict):
        raise ProviderBadResponse("response has no data object", status=response.status_code)
    return data


def _message(payload: dict[str, Any]) -> str | None:
    for key in ("message", "info", "error", "msg"):
        value = payload.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def _decimal(value: Any) -> Decimal:
    if value is None:
        return Decimal(0)
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ProviderBadResponse(f"amount is not a number: {value!r}") from None
    if not amount.is_finite() or amount < 0:
        raise ProviderBadResponse(f"amount is not a price: {value!r}")
    return amount


def parse_remote(data: dict[str, Any]) -> Remote:
    """Read a query (or callback) `data` object into a Remote; defensive about every key."""
    status = data.get("status")
    try:
        number = int(status) if status is not None else -1
    except (TypeError, ValueError):
        raise ProviderBadResponse(f"unknown status {status!r}") from None
    if number in (0, -1):
        return Remote(RemoteStatus.QUEUED)
    if number == 1:
        return Remote(RemoteStatus.RUNNING)
    if number == 2:
        url = _first_url(data.get("result"))
        if url is None:
            return Remote(RemoteStatus.FAILED, error="succeeded without a result URL")
        return Remote(RemoteStatus.SUCCEEDED, result_url=url)
    return Remote(
        RemoteStatus.FAILED,
        error=_message(data) or "failed without a reason",
        refunded=bool(data.get("refunded")),
    )


def _first_url(result: Any) -> str | None:
    if not isinstance(result, dict):
        return None
    for key in ("videos", "images", "video", "url"):
        items = result.get(key)
        if isinstance(items, str) and items:
            return items
        if isinstance(items, dict):
            items = [items]
        if isinstance(items, list):
            for item in items:
                url = item.get("url") if isinstance(item, dict) else item
                if isinstance(url, str) and url:
                    return url
    return None


__all__ = ["ProviderError", "ShortApiClient", "parse_remote"]
