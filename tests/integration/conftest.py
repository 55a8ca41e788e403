"""Shared fixtures for the integration tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store import chats
from bot.store.db import Database


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated SQLite file that knows private chat 1 with its user, Ada."""
    database = await Database.open(tmp_path / "bot.sqlite3")
    await database.migrate()
    await chats.remember(database, chat_id=1, chat_type="private", title=None, user_id=1,
                         username="ada", first_name="Ada")
    yield database
    await database.close()
