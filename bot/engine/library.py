"""Adding media to a chat: probe facts, the file in the vault, the row, the session pointer."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from bot.domain.clip_rules import conversion_for, file_extension
from bot.media.probe import MediaInfo
from bot.media.vault import Vault
from bot.store import jobs, media_rows, sessions
from bot.store.db import Database, Tx
from bot.store.media_rows import Media, NewMedia

MAX_HELD_PHOTOS = 7  # Kling image-to-video takes at most 7 images


@dataclass(frozen=True)
class Origin:
    """Where a new media item comes from."""

    chat_id: int
    thread_id: int
    user_id: int | None
    message_id: int | None = None  # the chat message that shows it, if any
    tg_file_id: str | None = None
    tg_file_unique_id: str | None = None
    parent_id: int | None = None
    job_id: int | None = None
    version: int = 1


def fits_kling(info: MediaInfo) -> bool | None:
    """Whether a video fits Kling's input limits as probed (None for a photo): stored with
    the row, so an order on it never probes it again."""
    return conversion_for(info.facts()) is None if info.kind == "video" else None


async def add(db: Database, vault: Vault, tmp: Path, info: MediaInfo, origin: Origin) -> Media:
    """Record `tmp` as a new media item and make it the session's focus, in one transaction.

    A video becomes the current clip (and clears the redo trail); a photo joins the held
    photos, oldest dropped past Kling's limit of 7.
    """
    # A result keeps the type it was made as (a GIF stays .gif); a download has no suffix and
    # is named for what probing found (a PNG stays .png, so it is served as image/png).
    ext = tmp.suffix.lstrip(".") or file_extension(info.kind, info.container, info.codec)
    async with db.transaction() as tx:
        media_id = await media_rows.insert(
            tx,
            NewMedia(
                chat_id=origin.chat_id,
                thread_id=origin.thread_id,
                kind=info.kind,
                path="",
                width=info.width,
                height=info.height,
                codec=info.codec,
                size_bytes=info.size_bytes,
                duration=info.duration,
                has_audio=info.has_audio,
                tg_file_id=origin.tg_file_id,
                tg_file_unique_id=origin.tg_file_unique_id,
                parent_id=origin.parent_id,
                job_id=origin.job_id,
                version=origin.version,
                created_by=origin.user_id,
                fits_kling=fits_kling(info),
            ),
        )
        dest = await vault.adopt(tmp, media_id, ext)
        await media_rows.set_path(tx, media_id, str(dest.relative_to(vault.root)))
        if origin.message_id is not None:
            await media_rows.link_message(tx, origin.chat_id, origin.message_id, media_id)
        session = await sessions.load(tx, origin.chat_id, origin.thread_id)
        if info.kind == "video":
            session.current_media_id = media_id
            session.redo_ids = []
        else:
            held = await _in_chat_order(tx, origin.chat_id, [*session.photo_ids, media_id])
            session.photo_ids = held[-MAX_HELD_PHOTOS:]
        if origin.job_id is not None:
            await jobs.set_result(tx, origin.job_id, media_id)
        await sessions.save(tx, session)
        media = await media_rows.get(tx, media_id)
    assert media is not None
    return media


async def _in_chat_order(tx: Tx, chat_id: int, media_ids: list[int]) -> list[int]:
    """Photos in the order their messages appear in the chat: album parts are handled
    concurrently and may finish downloading in any order, but <image1> is the first shown."""
    position = await media_rows.message_positions(tx, chat_id, media_ids)
    arrival = {media_id: index for index, media_id in enumerate(media_ids)}
    return sorted(media_ids, key=lambda m: (position.get(m, float("inf")), arrival[m]))


class Library:
    """The media a chat holds: new files in, photos held, scratch space for downloads."""

    def __init__(self, db: Database, vault: Vault) -> None:
        self._db = db
        self._vault = vault

    async def stored_path(self, media_id: int) -> Path | None:
        """Where a media item's file lives (it may since have been deleted by retention);
        None for an id never stored."""
        media = await media_rows.get(self._db, media_id)
        return file_of(self._vault, media) if media is not None and media.path else None

    def scratch_path(self, suffix: str = "") -> Path:
        """A new file name in the vault's scratch area (for a download or an export)."""
        return self._vault.tmp_path(suffix)

    async def add(self, tmp: Path, info: MediaInfo, origin: Origin) -> Media:
        return await add(self._db, self._vault, tmp, info, origin)

    async def mark_fits_kling(self, media_id: int) -> None:
        """A stored video probed later (a row from before the flag) fits as it is."""
        async with self._db.transaction() as tx:
            await media_rows.set_fits_kling(tx, media_id)

    async def original(self, media_id: int, chat_id: int) -> tuple[Media, Path] | None:
        """A clip of this chat and its file, if the file is still kept."""
        media = await media_rows.get(self._db, media_id)
        if media is None or media.chat_id != chat_id or not media.path:
            return None
        path = file_of(self._vault, media)
        exists = await asyncio.to_thread(path.is_file)
        return (media, path) if exists else None

    async def shown_in(self, chat_id: int, message_id: int, media_id: int) -> None:
        """The chat message that shows a media item, so a reply to it finds the item."""
        async with self._db.transaction() as tx:
            await media_rows.link_message(tx, chat_id, message_id, media_id)

    async def forget_photos(self, chat_id: int, thread_id: int) -> int:
        """Drop the photos the session holds (the files stay, as the clips' sources may need
        them); how many were held."""
        async with self._db.transaction() as tx:
            session = await sessions.load(tx, chat_id, thread_id)
            held = len(session.photo_ids)
            if held:
                session.photo_ids = []
                await sessions.save(tx, session)
        return held

    async def held_photos(self, chat_id: int, thread_id: int) -> int:
        """How many photos the session holds for the next instruction."""
        return len((await sessions.load(self._db, chat_id, thread_id)).photo_ids)


def file_of(vault: Vault, media: Media) -> Path:
    return vault.root / media.path
