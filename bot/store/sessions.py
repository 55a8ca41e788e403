"""Per chat (and forum topic) session: the current clip, photos held, the undo/redo trail."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from bot.store.db import Reader, Tx


@dataclass
class Session:
    chat_id: int
    thread_id: int
    current_media_id: int | None = None
    photo_ids: list[int] = field(default_factory=list)
    redo_ids: list[int] = field(default_factory=list)
    last_job_id: int | None = None


async def load(db: Reader, chat_id: int, thread_id: int) -> Session:
    sql = "SELECT * FROM sessions WHERE chat_id = ? AND thread_id = ?"
    row = await db.fetchone(sql, (chat_id, thread_id))
    if row is None:
        return Session(chat_id, thread_id)
    return Session(
        chat_id=chat_id,
        thread_id=thread_id,
        current_media_id=row["current_media_id"],
        photo_ids=json.loads(row["photo_ids"]),
        redo_ids=json.loads(row["redo_ids"]),
        last_job_id=row["last_job_id"],
    )


async def save(conn: Tx, s: Session) -> None:
    """Write inside the caller's transaction."""
    await conn.execute(
        "INSERT INTO sessions(chat_id, thread_id, current_media_id, photo_ids, redo_ids, "
        "last_job_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(chat_id, thread_id) DO UPDATE SET "
        "current_media_id = excluded.current_media_id, "
        "photo_ids = excluded.photo_ids, redo_ids = excluded.redo_ids, "
        "last_job_id = excluded.last_job_id, updated_at = excluded.updated_at",
        (
            s.chat_id, s.thread_id, s.current_media_id, json.dumps(s.photo_ids),
            json.dumps(s.redo_ids), s.last_job_id, time.time(),
        ),
    )


async def set_last_job(conn: Tx, chat_id: int, thread_id: int, job_id: int) -> None:
    """The session's last job, leaving the rest as it is (one statement, no read)."""
    await conn.execute(
        "INSERT INTO sessions(chat_id, thread_id, last_job_id, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(chat_id, thread_id) DO UPDATE SET "
        "last_job_id = excluded.last_job_id, updated_at = excluded.updated_at",
        (chat_id, thread_id, job_id, time.time()),
    )
