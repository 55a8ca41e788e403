"""What the bot keeps about a chat itself: who was seen in it, and its own defaults."""

from __future__ import annotations

from bot.domain.models import ChatDefaults
from bot.store import chats
from bot.store.db import Database


class ChatSettings:
    def __init__(self, db: Database) -> None:
        self._db = db
        # (chat, user) pairs already written this run: one write per pair, not per update.
        self._known: set[tuple[int, int]] = set()

    async def remember(self, *, chat_id: int, chat_type: str, title: str | None, user_id: int,
                       username: str | None, first_name: str | None) -> None:
        """Record a chat and a member the first time this run sees them together."""
        if (chat_id, user_id) in self._known:
            return
        await chats.remember(self._db, chat_id=chat_id, chat_type=chat_type, title=title,
                             user_id=user_id, username=username, first_name=first_name)
        self._known.add((chat_id, user_id))

    async def defaults(self, chat_id: int) -> ChatDefaults:
        return await chats.defaults(self._db, chat_id)

    async def save_defaults(self, chat_id: int, defaults: ChatDefaults) -> None:
        await chats.set_defaults(self._db, chat_id, defaults)
