"""Limits for untrusted requests: bodies read in bounded pieces, ids checked before use.

Anyone on the internet can reach `/callbacks`, `/telegram` and `/media`, so nothing a client
sends is held in memory past its limit, waited for past its deadline, or handed to SQLite
unchecked (an id past 64 bits makes sqlite3 raise OverflowError).
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, Response

MAX_ID = 2**63 - 1  # SQLite's INTEGER
_ID = re.compile(r"[0-9]{1,19}")


class BodyRefused(Exception):
    """A request body we will not read; `response` says why."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.response: Response = PlainTextResponse(
            text, status_code=status,
            # Close the connection: the rest of an oversized or stalled body is not read.
            headers={"Connection": "close"},
        )


class ClientGone(Exception):
    """The client disconnected before sending the whole body: an everyday event, not a bug."""


def parse_id(text: str) -> int | None:
    """A positive database id written in plain ASCII digits, else None.

    int() also takes "+1", "1_0", " 1" and non-ASCII digits; none of those is an id we made.
    """
    if _ID.fullmatch(text) is None:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


async def read_body(request: Request, *, limit: int, seconds: float) -> bytes:
    """The request body, refused with 413 as soon as it passes `limit` bytes (by its declared
    length before a byte is read, else by a running count) and with 408 after `seconds`."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isascii() or not declared.isdigit():
            raise BodyRefused(400, "bad content-length")
        if int(declared) > limit:
            raise BodyRefused(413, "too large")
    body = bytearray()
    try:
        async with asyncio.timeout(seconds):
            async for chunk in request.stream():
                body += chunk
                if len(body) > limit:
                    raise BodyRefused(413, "too large")
    except TimeoutError:
        raise BodyRefused(408, "request timeout") from None
    except ClientDisconnect:
        raise ClientGone from None
    return bytes(body)


def is_json(content_type: str | None) -> bool:
    return (content_type or "").partition(";")[0].strip().lower() == "application/json"


def json_object(body: bytes) -> dict[str, Any] | None:
    """The body as a JSON object, or None when it is not one."""
    try:
        payload = json.loads(body)
    except ValueError:  # UnicodeDecodeError included
        return None
    return payload if isinstance(payload, dict) else None
