"""Media rows: every video and photo the bot holds, and which chat message shows which."""

from __future__ import annotations

import time
from dataclasses import dataclass

import aiosqlite

from bot.domain.records import Media as Media  # re-exported: the row type
from bot.store.db import Database, Reader, Tx


def _media(row: aiosqlite.Row) -> Media:
    return Media(
        id=row["id"],
        chat_id=row["chat_id"],
        thread_id=row["thread_id"],
        kind=row["kind"],
        tg_file_id=row["tg_file_id"],
        path=row["path"],
        duration=row["duration"],
        width=row["width"],
        height=row["height"],
        codec=row["codec"],
        size_bytes=row["size_bytes"],
        has_audio=bool(row["has_audio"]),
        parent_id=row["parent_id"],
        job_id=row["job_id"],
        version=row["version"],
        created_at=row["created_at"],
        expired_at=row["expired_at"],
        fits_kling=None if row["fits_kling"] is None else bool(row["fits_kling"]),
    )


@dataclass(frozen=True)
class NewMedia:
    chat_id: int
    thread_id: int
    kind: str
    path: str
    width: int
    height: int
    codec: str
    size_bytes: int
    duration: float | None = None
    has_audio: bool = False
    tg_file_id: str | None = None
    tg_file_unique_id: str | None = None
    parent_id: int | None = None
    job_id: int | None = None
    version: int = 1
    created_by: int | None = None
    fits_kling: bool | None = None


async def insert(conn: Tx, new: NewMedia) -> int:
    """Insert inside the caller's transaction; returns the new id."""
    cur = await conn.execute(
        "INSERT INTO media(chat_id, thread_id, kind, tg_file_id, tg_file_unique_id, path, "
        "duration, width, height, codec, size_bytes, has_audio, parent_id, job_id, version, "
        "created_by, fits_kling, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            new.chat_id, new.thread_id, new.kind, new.tg_file_id, new.tg_file_unique_id,
            new.path, new.duration, new.width, new.height, new.codec, new.size_bytes,
            int(new.has_audio), new.parent_id, new.job_id, new.version, new.created_by,
            None if new.fits_kling is None else int(new.fits_kling), time.time(),
        ),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


async def get(db: Reader, media_id: int) -> Media | None:
    row = await db.fetchone("SELECT * FROM media WHERE id = ?", (media_id,))
    return _media(row) if row else None


async def get_many(db: Reader, media_ids: list[int]) -> list[Media]:
    """The media with these ids, in the order given; ids that no longer exist are skipped."""
    if not media_ids:
        return []
    marks = ", ".join("?" for _ in media_ids)
    rows = await db.fetchall(f"SELECT * FROM media WHERE id IN ({marks})", media_ids)
    found = {row["id"]: _media(row) for row in rows}
    return [found[i] for i in media_ids if i in found]


async def set_fits_kling(conn: Tx, media_id: int) -> None:
    """The video was probed and fits Kling's input limits as it is."""
    await conn.execute("UPDATE media SET fits_kling = 1 WHERE id = ?", (media_id,))


async def set_path(conn: Tx, media_id: int, path: str) -> None:
    """Where the file lives, relative to the vault root (known once the id exists)."""
    await conn.execute("UPDATE media SET path = ? WHERE id = ?", (path, media_id))


async def message_positions(conn: Reader, chat_id: int, media_ids: list[int]) -> dict[int, int]:
    """media id -> the chat message id that shows it, for the media that have one."""
    if not media_ids:
        return {}
    marks = ", ".join("?" for _ in media_ids)
    rows = await conn.fetchall(
        f"SELECT media_id, message_id FROM messages WHERE chat_id = ? AND media_id IN ({marks})",
        (chat_id, *media_ids),
    )
    return {row["media_id"]: row["message_id"] for row in rows}


async def link_message(
    conn: Tx, chat_id: int, message_id: int, media_id: int
) -> None:
    await conn.execute(
        "INSERT OR REPLACE INTO messages(chat_id, message_id, media_id) VALUES (?, ?, ?)",
        (chat_id, message_id, media_id),
    )


async def by_message(db: Database, chat_id: int, message_id: int) -> Media | None:
    row = await db.fetchone(
        "SELECT media.* FROM messages JOIN media ON media.id = messages.media_id "
        "WHERE messages.chat_id = ? AND messages.message_id = ?",
        (chat_id, message_id),
    )
    return _media(row) if row else None


async def set_file_id(conn: Tx, media_id: int, file_id: str) -> None:
    await conn.execute("UPDATE media SET tg_file_id = ? WHERE id = ?", (file_id, media_id))


async def lineage(db: Database, media_id: int, limit: int = 20) -> list[Media]:
    """The version and its ancestors, newest first."""
    rows = await db.fetchall(
        "WITH RECURSIVE chain(id, depth) AS (SELECT ?, 0 UNION ALL "
        "SELECT media.parent_id, chain.depth + 1 FROM media JOIN chain ON media.id = chain.id "
        "WHERE media.parent_id IS NOT NULL AND chain.depth < ?) "
        "SELECT media.* FROM chain JOIN media ON media.id = chain.id ORDER BY chain.depth",
        (media_id, limit),
    )
    return [_media(r) for r in rows]


async def session_videos(db: Reader, chat_id: int, thread_id: int, limit: int = 24) -> list[Media]:
    """The clips of a session (every branch), newest first."""
    rows = await db.fetchall(
        "SELECT * FROM media WHERE chat_id = ? AND thread_id = ? AND kind = 'video' "
        "ORDER BY id DESC LIMIT ?", (chat_id, thread_id, limit),
    )
    return [_media(r) for r in rows]
