"""Media rows: every video and photo the bot holds, and which chat message shows which."""

from __future__ import annotations

import time
from dataclasses import dataclass

import aiosqlite

from bot.store.db import Database, Reader, Tx


@dataclass(frozen=True)
class Media:
    id: int
    chat_id: int
    thread_id: int
    kind: str  # "video" | "photo"
    tg_file_id: str | None
    path: str  # relative to MEDIA_DIR
    duration: float | None
    width: int
    height: int
    codec: str
    size_bytes: int
    has_audio: bool
    parent_id: int | None
    job_id: int | None
    version: int
    created_at: float
    expired_at: float | None = None  # the file was deleted by retention; the row stays

    @staticmethod
    def from_row(row: aiosqlite.Row) -> Media:
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


async def insert(conn: Tx, new: NewMedia) -> int:
    """Insert inside the caller's transaction; returns the new id."""
    cur = await conn.execute(
        "INSERT INTO media(chat_id, thread_id, kind, tg_file_id, tg_file_unique_id, path, "
        "duration, width, height, codec, size_bytes, has_audio, parent_id, job_id, version, "
        "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            new.chat_id, new.thread_id, new.kind, new.tg_file_id, new.tg_file_unique_id,
            new.path, new.duration, new.width, new.height, new.codec, new.size_bytes,
            int(new.has_audio), new.parent_id, new.job_id, new.version, new.created_by,
            time.time(),
        ),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


async def get(db: Database, media_id: int) -> Media | None:
    row = await db.fetchone("SELECT * FROM media WHERE id = ?", (media_id,))
    return Media.from_row(row) if row else None


async def get_many(db: Reader, media_ids: list[int]) -> list[Media]:
    """The media with these ids, in the order given; ids that no longer exist are skipped."""
    if not media_ids:
        return []
    marks = ", ".join("?" for _ in media_ids)
    rows = await db.fetchall(f"SELECT * FROM media WHERE id IN ({marks})", media_ids)
    found = {row["id"]: Media.from_row(row) for row in rows}
    return [found[i] for i in media_ids if i in found]


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
    return Media.from_row(row) if row else None


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
    return [Media.from_row(r) for r in rows]
