"""A result over Telegram's 50 MB upload limit is re-encoded to fit when that keeps good
quality (`clip_rules.upload_kbps`); otherwise it goes as a signed download link, as the chat
delivery decides from the size of the file it is handed. The stored version stays exactly
what Kling made (the Original button and the link serve it); only the upload is smaller."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from bot.domain.clip_rules import upload_kbps
from bot.domain.records import Media
from bot.engine.deps import Deps
from bot.engine.library import file_of
from bot.media.conform import shrink
from bot.media.ffmpeg import FfmpegError
from bot.media.probe import MediaError, probe

log = logging.getLogger(__name__)


async def upload_copy(deps: Deps, media: Media) -> Path | None:
    """A scratch copy of `media` under the upload limit (the caller deletes it), or None when
    the file goes as it is: under the limit, uploaded before (a file id), a local Bot API
    server (no limit), or too long to fit without losing quality (then a link)."""
    limit = deps.upload_limit
    if limit is None or media.tg_file_id is not None or media.size_bytes <= limit:
        return None
    source = file_of(deps.vault, media)
    try:
        info = await probe(source)
    except MediaError:
        return None
    kbps = upload_kbps(info.size_bytes, limit, info.duration, info.width, info.height, info.fps)
    if kbps is None:
        return None
    dest = deps.vault.tmp_path(".mp4")
    try:
        await shrink(deps.ffmpeg, source, dest, kbps)
        size = (await asyncio.to_thread(dest.stat)).st_size
    except (FfmpegError, OSError) as exc:
        log.warning("media %s: re-encoding to fit the upload limit failed: %s", media.id, exc)
        size = limit + 1
    if size > limit:
        await asyncio.to_thread(dest.unlink, missing_ok=True)
        return None
    log.info("media %s: %d bytes re-encoded to %d for upload", media.id, media.size_bytes, size)
    return dest
