"""`GET /media/{id}`: serves a stored file to whoever holds an unexpired signed link."""

from __future__ import annotations

import asyncio
import logging
import mimetypes
import os
import stat
from collections.abc import Awaitable, Callable
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.media.signing import UrlSigner

log = logging.getLogger(__name__)

Resolver = Callable[[int], Awaitable[Path | None]]

# Explicit so the answer does not depend on the host's /etc/mime.types.
_CONTENT_TYPES = {
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".mov": "video/quicktime",
    ".webm": "video/webm",
    ".mkv": "video/x-matroska",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
}


def media_routes(signer: UrlSigner, resolve: Resolver) -> list[Route]:
    async def serve(request: Request) -> Response:
        media_id: int = request.path_params["media_id"]
        exp = request.query_params.get("exp", "")
        sig = request.query_params.get("sig", "")
        # Check the signature before touching storage, so unsigned probing learns nothing,
        # not even which ids exist; every failure below looks the same from outside.
        if not signer.verify(media_id, exp, sig):
            return _not_found(media_id, "bad or expired signature")
        path = await resolve(media_id)
        if path is None:
            return _not_found(media_id, "unknown id")
        file_stat = await _regular_file_stat(path)
        if file_stat is None:
            return _not_found(media_id, "file missing")
        return FileResponse(
            path,
            media_type=content_type(path),
            stat_result=file_stat,
            headers={"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"},
        )

    return [Route("/media/{media_id:int}", serve, methods=["GET", "HEAD"])]


def content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    known = _CONTENT_TYPES.get(suffix)
    if known is not None:
        return known
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


async def _regular_file_stat(path: Path) -> os.stat_result | None:
    try:
        file_stat = await asyncio.to_thread(os.stat, path)
    except OSError:
        return None
    return file_stat if stat.S_ISREG(file_stat.st_mode) else None


def _not_found(media_id: int, reason: str) -> Response:
    log.debug("media %d not served: %s", media_id, reason)
    return PlainTextResponse("not found", status_code=404)
