"""A clip outside Kling's input limits (not MP4/MOV, under 720 or over 2160 px, outside 24-60
fps, over 200 MB, rotated by metadata, a GIF) is converted before a job uses it, so what the
provider fetches is always a file Kling takes. The converted clip is a new version ($0)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from bot.domain.clip_rules import conversion_for
from bot.domain.records import Media
from bot.engine.deps import Deps
from bot.engine.library import Library, Origin, file_of
from bot.media.conform import conform
from bot.media.ffmpeg import FfmpegError
from bot.media.probe import MediaError, probe

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Converted:
    """The new version the job will use, and what was changed ("format+codec")."""

    media: Media
    code: str


class KlingInputs:
    def __init__(self, deps: Deps, library: Library) -> None:
        self._deps = deps
        self._library = library

    async def conformed(self, source: Media, chat_id: int, thread_id: int,
                        user_id: int | None) -> Converted | None:
        """Convert `source` if Kling would refuse it; None when it is fine as it is (or cannot
        be read here: then it goes as it is, and the provider's refusal releases the hold)."""
        if source.fits_kling:  # probed on the way in, or by an order before
            return None
        vault, runner = self._deps.vault, self._deps.ffmpeg
        path = file_of(vault, source)
        try:
            info = await probe(path)
        except MediaError as exc:
            log.warning("media %s: not checked against Kling's limits: %s", source.id, exc)
            return None
        conversion = conversion_for(info.facts())
        if conversion is None:
            await self._library.mark_fits_kling(source.id)
            return None
        dest = vault.tmp_path(".mp4")
        try:
            await conform(runner, path, dest, conversion)
            made = await probe(dest)
        except (FfmpegError, MediaError) as exc:
            log.warning("media %s: conversion (%s) failed: %s", source.id, conversion.code, exc)
            await asyncio.to_thread(dest.unlink, missing_ok=True)
            return None
        media = await self._library.add(dest, made, Origin(
            chat_id=chat_id, thread_id=thread_id, user_id=user_id, parent_id=source.id,
            version=source.version + 1,
        ))
        log.info("media %s converted for Kling (%s) as media %s", source.id, conversion.code,
                 media.id)
        return Converted(media, conversion.code)
