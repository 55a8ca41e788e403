"""Updates python-telegram-bot cannot read are passed over, not retried forever.

PTB parses a whole batch of `getUpdates` at once; one update it cannot read (a field newer
than the library, a malformed entity) fails the batch, the offset never moves, and polling asks
for the same batch about 100 times a second while no later update is handled. Here each update
is tried on its own first; one that cannot be read is replaced by a bare `{"update_id": N}`, so
PTB confirms it like any other and the handlers see an update with nothing in it.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from telegram import Update
from telegram.request import HTTPXRequest

log = logging.getLogger(__name__)


def readable_update(payload: Any) -> dict[str, Any] | None:
    """`payload` if PTB can read it, a bare update with its id if not, None without an id."""
    if not isinstance(payload, dict):
        log.warning("skipped an update that is not an object")
        return None
    update_id = payload.get("update_id")
    if isinstance(update_id, bool) or not isinstance(update_id, int):
        log.warning("skipped an update without a numeric update_id")
        return None
    try:
        Update.de_json(payload, None)
    except Exception as exc:  # whatever PTB trips on, the answer is the same
        log.warning("skipped update %d: python-telegram-bot cannot read it (%s)",
                    update_id, type(exc).__name__)
        return {"update_id": update_id}
    return payload


def readable_batch(body: bytes) -> bytes:
    """A `getUpdates` answer with every update PTB cannot read made bare; other answers as
    they came (errors are PTB's to read)."""
    try:
        answer = json.loads(body)
    except ValueError:
        return body
    if not isinstance(answer, dict) or answer.get("ok") is not True:
        return body
    result = answer.get("result")
    if not isinstance(result, list):
        return body
    kept = [u for u in (readable_update(item) for item in result) if u is not None]
    if kept == result:
        return body
    return json.dumps({**answer, "result": kept}).encode()


class ReadableUpdatesRequest(HTTPXRequest):
    """The request PTB uses for `getUpdates` (`.get_updates_request(...)`)."""

    async def do_request(
        self, url: str, method: str, *args: Any, **kwargs: Any
    ) -> tuple[int, bytes]:
        status, body = await super().do_request(url, method, *args, **kwargs)
        if status == 200 and url.rstrip("/").lower().endswith("/getupdates"):
            body = readable_batch(body)
        return status, body
