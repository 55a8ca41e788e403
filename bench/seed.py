"""Seeding the bot's SQLite file directly (after `python -m bot migrate`): chats, users,
sessions, each session with a current clip, in one transaction."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

FIRST_CHAT = 500_000
CLIP_PATH = "bench/clip.mp4"  # relative to MEDIA_DIR; every seeded clip row shares the file


def seed_sessions(db_path: Path, media_dir: Path, clip: Path, count: int,
                  first_chat: int = FIRST_CHAT) -> list[int]:
    """`count` private chats (chat id = user id), each with a user, a session and a current
    4 s clip. Returns the chat ids."""
    (media_dir / "bench").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(clip, media_dir / CLIP_PATH)
    size = clip.stat().st_size
    now = time.time()
    chats = list(range(first_chat, first_chat + count))
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        with conn:
            conn.executemany(
                "INSERT INTO chats(id, type, title, created_at) VALUES (?, 'private', NULL, ?)",
                [(c, now) for c in chats])
            conn.executemany(
                "INSERT INTO users(id, username, first_name, created_at) VALUES (?, ?, ?, ?)",
                [(c, f"user{c}", f"User{c}", now) for c in chats])
            conn.executemany(
                "INSERT INTO media(id, chat_id, thread_id, kind, path, duration, width, height, "
                "codec, size_bytes, has_audio, version, created_by, created_at) "
                "VALUES (?, ?, 0, 'video', ?, 4.0, 320, 240, 'h264', ?, 0, 1, ?, ?)",
                [(i + 1, c, CLIP_PATH, size, c, now) for i, c in enumerate(chats)])
            conn.executemany(
                "INSERT INTO sessions(chat_id, thread_id, current_media_id, photo_ids, redo_ids, "
                "updated_at) VALUES (?, 0, ?, '[]', '[]', ?)",
                [(c, i + 1, now) for i, c in enumerate(chats)])
    finally:
        conn.close()
    return chats
