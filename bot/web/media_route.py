"""`GET /media/{id}`: serves a stored file to whoever holds an unexpired signed link."""

from __future__ import annotations

import asyncio
import logging
import mimetypes
import os
import re
import stat
from collections.abc import Awaitable, Callable
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.domain.clip_rules import MIME_BY_EXTENSION
from bot.media.signing import UrlSigner
from bot.web.limits import parse_id

log = logging.getLogger(__name__)

Resolver = Callable[[int], Awaitable[Path | None]]

# One or more `first-last`, `first-` or `-suffix` specs; anything else is not a range we serve.
_RANGE_SPEC = re.compile(r"\s*(?:(\d{1,100})-(\d{0,100})|-(\d{1,100}))\s*")
_MAX_RANGES = 16


def media_routes(signer: UrlSigner, resolve: Resolver) -> list[Route]:
    async def serve(request: Request) -> Response:
        media_id = parse_id(request.path_params["media_id"])
        if media_id is None:
            return _not_found(request.path_params["media_id"][:40], "not an id")
        exp = request.query_params.get("exp", "")
        sig = request.query_params.get("sig", "")
        # Check the signature before touching storage, so unsigned probing learns nothing,
        # not even which ids exist; every failure below looks the same from outside.
        if not signer.verify(media_id, exp, sig):
            return _not_found(media_id, "bad or expired signature")
        path = await resolve(media_id)
        if path is None:
            return _not_found(media_id, "unknown id")
        _drop_unusable_range(request)
        whole = request.method == "GET" and "range" not in request.headers
        found = await asyncio.to_thread(_stat_and_read, path, whole)
        if found is None:
            return _not_found(media_id, "file missing")
        file_stat, body = found
        response = _FileResponse(
            path,
            media_type=content_type(path),
            stat_result=file_stat,
            headers={"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"},
        )
        if body is not None:  # read already: the same headers, no more trips to a thread
            return Response(body, headers=dict(response.headers))
        return response

    return [Route("/media/{media_id}", serve, methods=["GET", "HEAD"])]


class _FileResponse(FileResponse):
    """Read in 512 KiB pieces, not Starlette's 64 KiB: each piece is a trip to a worker thread
    and back (a 45 MB result: 90, not 720), for at most 512 KiB held per download."""

    chunk_size = 512 * 1024


def _drop_unusable_range(request: Request) -> None:
    """RFC 9110: a Range header that is not valid is ignored and the whole file is served.
    (Starlette answers 400 to an inverted range.) Too many ranges also get the whole file."""
    value = request.headers.get("range")
    if value is None or _usable_range(value):
        return
    request.scope["headers"] = [
        (name, data) for name, data in request.scope["headers"] if name.lower() != b"range"
    ]


def _usable_range(value: str) -> bool:
    unit, _, specs = value.partition("=")
    parts = specs.split(",")
    if unit.strip().lower() != "bytes" or len(parts) > _MAX_RANGES:
        return False
    for part in parts:
        match = _RANGE_SPEC.fullmatch(part)
        if match is None:
            return False
        first, last, _suffix = match.groups()
        if first is not None and last and int(last) < int(first):
            return False
    return True


def content_type(path: Path) -> str:
    # Explicit so the answer does not depend on the host's /etc/mime.types.
    known = MIME_BY_EXTENSION.get(path.suffix.lower().lstrip("."))
    if known is not None:
        return known
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


# A whole file up to this size is read in the same trip to a worker thread as its stat (a
# clip the provider fetches for a job is mostly 1-10 MB); larger files and ranges stream.
_READ_WHOLE_MAX = 8 * 1024 * 1024


def _stat_and_read(path: Path, whole: bool) -> tuple[os.stat_result, bytes | None] | None:
    """The file's stat, and its bytes when `whole` and it is small; None if it is not a
    regular file (gone, or never one)."""
    try:
        file_stat = os.stat(path)
        if not stat.S_ISREG(file_stat.st_mode):  # stat first: opening a FIFO would block
            return None
        if not whole or file_stat.st_size > _READ_WHOLE_MAX:
            return file_stat, None
        return file_stat, path.read_bytes()
    except OSError:
        return None


def _not_found(media_id: object, reason: str) -> Response:
    log.debug("media %r not served: %s", media_id, reason)
    return PlainTextResponse("not found", status_code=404)
