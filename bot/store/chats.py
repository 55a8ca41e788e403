"""Chats and users: upserted as they are seen; chat defaults live on the chat row."""

from __future__ import annotations

import time
from dataclasses import dataclass

import aiosqlite

from bot.domain.models import AspectRatio, ChatDefaults, Mode
from bot.store.db import Database, Reader


@dataclass(frozen=True)
class Member:
    """A chat and one person in it, as an update shows them."""

    chat_id: int
    chat_type: str
    title: str | None
    user_id: int
    username: str | None
    first_name: str | None
    language_code: str | None = None  # None: the update did not say


@dataclass(frozen=True)
class ChatRow:
    """What one read tells about a chat and a member of it."""

    stored_as_given: bool  # the chat and the user are stored exactly as the update says
    language: str | None  # the chat's /settings choice; None: each person's own
    defaults: ChatDefaults
    user_language: str | None  # the language_code Telegram last reported for the user


async def read(db: Reader, member: Member) -> ChatRow | None:
    """The chat's settings and whether it and the user are stored as given (one read for
    everything the start of an update needs); None when the chat was never stored. A
    language_code of None matches any stored one (updates do not always carry it)."""
    m = member
    row = await db.fetchone(
        "SELECT (u.id IS NOT NULL AND c.type = ? AND c.title IS ? AND u.username IS ? "
        "AND u.first_name IS ? AND (? IS NULL OR u.language_code IS ?)) AS same, "
        "c.language, c.default_mode, c.default_aspect_ratio, c.default_sound, "
        "u.language_code "
        "FROM chats c LEFT JOIN users u ON u.id = ? WHERE c.id = ?",
        (m.chat_type, m.title, m.username, m.first_name, m.language_code, m.language_code,
         m.user_id, m.chat_id),
    )
    if row is None:
        return None
    return ChatRow(stored_as_given=bool(row["same"]),
                   language=str(row["language"]) if row["language"] else None,
                   defaults=_defaults(row),
                   user_language=row["language_code"] or None)


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
) -> ChatRow | None:
    """Store the chat and the user as given, unless they are stored so already; return what
    the read found before (None: the chat was new)."""
    member = Member(chat_id, chat_type, title, user_id, username, first_name, language_code)
    # Mostly the rows are there already, as they are: one read instead of a write transaction.
    known = await read(db, member)
    if known is None or not known.stored_as_given:
        await _store_member(db, member)
    return known


async def _store_member(db: Database, member: Member) -> None:
    """Upsert the chat and the user as the update shows them, in one transaction."""
    m, now = member, time.time()
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO chats(id, type, title, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET type = excluded.type, title = excluded.title",
            (m.chat_id, m.chat_type, m.title, now),
        )
        await conn.execute(
            "INSERT INTO users(id, username, first_name, language_code, created_at) "
            "VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET username = excluded.username, "
            "first_name = excluded.first_name, "
            "language_code = COALESCE(excluded.language_code, users.language_code)",
            (m.user_id, m.username, m.first_name, m.language_code, now),
        )


async def defaults(db: Database, chat_id: int) -> ChatDefaults:
    row = await db.fetchone(
        "SELECT default_mode, default_aspect_ratio, default_sound FROM chats WHERE id = ?",
        (chat_id,),
    )
    return ChatDefaults() if row is None else _defaults(row)


def _defaults(row: aiosqlite.Row) -> ChatDefaults:
    base = ChatDefaults()
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
