"""Streaming HTTP downloads to disk with a size cap, tried again after a passing fault.

Telegram file URLs embed the bot token, so no message raised or logged here ever includes the URL.
A download is a GET: repeating it is harmless, and a paid result lost to one 502 is not.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from pathlib import Path
from typing import BinaryIO

import httpx
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt
from tenacity.wait import wait_random_exponential

# Large enough that the thread hop per write is negligible, small enough to keep memory flat.
_CHUNK_SIZE = 256 * 1024


class DownloadError(Exception):
    """A download failed; the message is short, URL-free and safe to log. `transient`: a
    server error or a network failure, which another try may get past."""

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


async def download_to(
    client: httpx.AsyncClient, url: str, dest: Path, *, max_bytes: int | None,
    retries: int = 2, backoff: float = 0.5,
) -> int:
    """Stream `url` into `dest` and return the number of bytes written; a transient failure
    is tried again up to `retries` times after a jittered pause.

    The body goes to a hidden temp file beside `dest` and is renamed into place only when
    complete, so `dest` is never a partial file; on any failure the temp file is removed.
    """
    retrying = AsyncRetrying(
        stop=stop_after_attempt(retries + 1),
        retry=retry_if_exception(lambda exc: isinstance(exc, DownloadError) and exc.transient),
        wait=wait_random_exponential(multiplier=backoff, max=10.0),
        reraise=True,
    )
    written: int = await retrying(_download_once, client, url, dest, max_bytes)
    return written


async def _download_once(
    client: httpx.AsyncClient, url: str, dest: Path, max_bytes: int | None
) -> int:
    part = dest.with_name(f".{dest.name}.{uuid.uuid4().hex}.part")
    try:
        try:
            await asyncio.to_thread(dest.parent.mkdir, parents=True, exist_ok=True)
            written = await _fetch(client, url, part, max_bytes)
            await asyncio.to_thread(os.replace, part, dest)
        except OSError as exc:
            # Disk trouble (full, permissions): one error type for callers, detail kept in cause.
            raise DownloadError(f"cannot write file ({exc.strerror or 'I/O error'})") from exc
    except BaseException:
        # Synchronous on purpose: this also runs on cancellation, where awaiting is unreliable.
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
        raise
    return written


async def _fetch(client: httpx.AsyncClient, url: str, part: Path, max_bytes: int | None) -> int:
    try:
        async with client.stream("GET", url) as response:
            status = response.status_code
            if status != httpx.codes.OK:
                raise DownloadError(f"HTTP {status}", transient=status >= 500 or status == 429)
            declared = _content_length(response)
            if max_bytes is not None and declared is not None and declared > max_bytes:
                raise DownloadError(_too_large(max_bytes))
            return await _write_body(response, part, max_bytes)
    except httpx.HTTPError as exc:
        # str(exc) of some httpx errors (e.g. HTTPStatusError, InvalidURL) quotes the URL.
        raise DownloadError(f"network error ({type(exc).__name__})", transient=isinstance(
            exc, httpx.TransportError)) from exc


async def _write_body(response: httpx.Response, part: Path, max_bytes: int | None) -> int:
    file: BinaryIO = await asyncio.to_thread(open, part, "wb")
    try:
        written = 0
        async for chunk in response.aiter_bytes(_CHUNK_SIZE):
            written += len(chunk)
            # Checked before writing so an oversized body costs at most one chunk of reading.
            if max_bytes is not None and written > max_bytes:
                raise DownloadError(_too_large(max_bytes))
            await asyncio.to_thread(file.write, chunk)
        await asyncio.to_thread(file.flush)
        return written
    finally:
        await asyncio.shield(asyncio.to_thread(file.close))


def _content_length(response: httpx.Response) -> int | None:
    raw = response.headers.get("content-length")
    if raw is None or not raw.isascii() or not raw.isdigit():
        return None
    return int(raw)


def _too_large(max_bytes: int) -> str:
    return f"file is larger than the {max_bytes / 1_048_576:.1f} MB limit"
