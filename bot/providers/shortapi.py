"""ShortAPI client (httpx): create and query, Bearer auth, retries on network errors and 5xx.

Errors usually arrive as HTTP 200 with `code != 0`; we branch on that, never on numbers.
"""

from __future__ import annotations

import asyncio
import logging
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

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
    ) -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=httpx.Timeout(timeout, connect=10.0),
            transport=transport,
        )
        self._retries = retries
        self._backoff = backoff

    async def aclose(self) -> None:
        await self._client.aclose()

    async def create(
        self, model: str, args: dict[str, Any], callback_url: str | None
    ) -> Created:
        body: dict[str, Any] = {"model": model, "args": args}
        if callback_url:
            body["callback_url"] = callback_url
        data = await self._call("POST", "/api/v1/job/create", json=body, idempotent=False)
        job_id = data.get("job_id")
        if not isinstance(job_id, str) or not job_id:
            raise ProviderBadResponse("create answered without a job_id")
        return Created(job_id=job_id, amount=_decimal(data.get("amount")))

    async def query(self, job_id: str) -> Remote:
        data = await self._call(
            "GET", "/api/v1/job/query", params={"id": job_id}, idempotent=True
        )
        return parse_remote(data)

    async def _call(
        self,
        method: str,
        path: str,
        *,
        idempotent: bool,
        json: Any = None,
        params: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await self._client.request(method, path, json=json, params=params)
            except _NOT_SENT as exc:
                if attempt > self._retries:
                    raise ProviderUnavailable(
                        f"cannot reach provider: {type(exc).__name__}"
                    ) from exc
            except httpx.TransportError as exc:
                # Sent, but the answer was lost: a repeated create could be charged twice.
                if not idempotent:
                    raise ProviderAmbiguous(f"no answer to create: {type(exc).__name__}") from exc
                if attempt > self._retries:
                    raise ProviderUnavailable(
                        f"provider did not answer: {type(exc).__name__}"
                    ) from exc
            else:
                if response.status_code == 504 and not idempotent:
                    # The gateway stopped waiting; the provider may still have created (and
                    # charged for) the job. Never send a paid create twice.
                    raise ProviderAmbiguous("create answered HTTP 504", status=504)
                if response.status_code >= 500:
                    if attempt > self._retries:
                        raise ProviderUnavailable(
                            f"provider HTTP {response.status_code}", status=response.status_code
                        )
                else:
                    return _unwrap(response)
            delay = self._backoff * 2 ** (attempt - 1)
            log.warning(
                "provider %s %s failed (attempt %d), retrying in %.1fs",
                method, path, attempt, delay,
            )
            await asyncio.sleep(delay)


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
