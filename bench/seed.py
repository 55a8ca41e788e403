"""Seeding the bot's SQLite file (after `python -m bot migrate`) through the store's own
functions, so the rows are what the bot itself would write: chats, users, and sessions, each
with a current clip."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from bot.store import chats as chat_store
from bot.store import media_rows
from bot.store import sessions as session_store
from bot.store.db import Database

FIRST_CHAT = 500_000
CLIP_PATH = "bench/clip.mp4"  # relative to MEDIA_DIR; every seeded clip row shares the file


async def seed_sessions(db_path: Path, media_dir: Path, clip: Path, count: int,
                        first_chat: int = FIRST_CHAT) -> list[int]:
    """`count` private chats (chat id = user id), each with a user, a session and a current
    4 s 320x240 clip. Returns the chat ids."""
    await asyncio.to_thread((media_dir / "bench").mkdir, parents=True, exist_ok=True)
    await asyncio.to_thread(shutil.copyfile, clip, media_dir / CLIP_PATH)
    size = (await asyncio.to_thread(clip.stat)).st_size
    chats = list(range(first_chat, first_chat + count))
    db = await Database.open(db_path)
    try:
        for c in chats:
            await chat_store.remember(db, chat_id=c, chat_type="private", title=None,
                                      user_id=c, username=f"user{c}", first_name=f"User{c}")
        async with db.transaction() as conn:
            for c in chats:
                media_id = await media_rows.insert(conn, media_rows.NewMedia(
                    chat_id=c, thread_id=0, kind="video", path=CLIP_PATH, width=320,
                    height=240, codec="h264", size_bytes=size, duration=4.0, created_by=c))
                await session_store.save(conn, session_store.Session(
                    chat_id=c, thread_id=0, current_media_id=media_id))
    finally:
        await db.close()
    return chats
