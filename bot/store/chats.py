"""Chats and users: upserted as they are seen; chat defaults live on the chat row."""

from __future__ import annotations

import time

from bot.domain.models import AspectRatio, ChatDefaults, Mode
from bot.store.db import Database, Reader


async def remember(
    db: Database,
    *,
    chat_id: int,
    chat_type: str,
    title: str | None,
    user_id: int,
    username: str | None,
    first_name: str | None,
    language_code: str | None = None,
) -> None:
    # Mostly the rows are there already, as they are: one read instead of a write transaction.
    same = await db.fetchone(
        "SELECT 1 FROM chats c, users u WHERE c.id = ? AND c.type = ? AND c.title IS ? "
        "AND u.id = ? AND u.username IS ? AND u.first_name IS ?",
        (chat_id, chat_type, title, user_id, username, first_name),
    )
    if same is not None:
        return
    now = time.time()
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO chats(id, type, title, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET type = excluded.type, title = excluded.title",
            (chat_id, chat_type, title, now),
        )
        await conn.execute(
            "INSERT INTO users(id, username, first_name, language_code, created_at) "
            "VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET username = excluded.username, "
            "first_name = excluded.first_name, "
            "language_code = COALESCE(excluded.language_code, users.language_code)",
            (user_id, username, first_name, language_code, now),
        )


async def defaults(db: Database, chat_id: int) -> ChatDefaults:
    row = await db.fetchone(
        "SELECT default_mode, default_aspect_ratio, default_sound FROM chats WHERE id = ?",
        (chat_id,),
    )
    base = ChatDefaults()
    if row is None:
        return base
    return ChatDefaults(
        mode=Mode(row["default_mode"]) if row["default_mode"] else base.mode,
        aspect_ratio=(
            AspectRatio(row["default_aspect_ratio"])
            if row["default_aspect_ratio"]
            else base.aspect_ratio
        ),
        sound=bool(row["default_sound"]) if row["default_sound"] is not None else base.sound,
    )


async def set_defaults(db: Database, chat_id: int, new: ChatDefaults) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE chats SET default_mode = ?, default_aspect_ratio = ?, default_sound = ? "
            "WHERE id = ?",
            (new.mode.value, new.aspect_ratio.value, int(new.sound), chat_id),
        )


async def user_handle(db: Reader, user_id: int) -> str | None:
    """'@username', else the first name, of a user the bot has seen; None if never seen."""
    row = await db.fetchone("SELECT username, first_name FROM users WHERE id = ?", (user_id,))
    if row is None:
        return None
    return f"@{row['username']}" if row["username"] else str(row["first_name"])


async def language(db: Reader, chat_id: int) -> str | None:
    """The language the chat chose in /settings; None: each person's own."""
    row = await db.fetchone("SELECT language FROM chats WHERE id = ?", (chat_id,))
    return str(row["language"]) if row is not None and row["language"] else None


async def set_language(db: Database, chat_id: int, language: str | None) -> None:
    async with db.transaction() as conn:
        await conn.execute("UPDATE chats SET language = ? WHERE id = ?", (language, chat_id))


async def user_language(db: Reader, user_id: int) -> str | None:
    """The language_code Telegram last reported for the user."""
    row = await db.fetchone("SELECT language_code FROM users WHERE id = ?", (user_id,))
    return str(row["language_code"]) if row is not None and row["language_code"] else None
