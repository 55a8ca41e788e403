"""What the bot keeps about a chat itself: who was seen in it, its defaults and its language."""

from __future__ import annotations

from bot.domain.locales import choose, supported
from bot.domain.models import ChatDefaults
from bot.store import chats
from bot.store.db import Database


class ChatSettings:
    def __init__(self, db: Database) -> None:
        self._db = db
        # (chat, user) pairs already written this run: one write per pair, not per update.
        self._known: set[tuple[int, int]] = set()
        # Read on every update, changed rarely: kept here once read (None: no choice made).
        self._chosen: dict[int, str | None] = {}
        self._defaults: dict[int, ChatDefaults] = {}
        self._telegram: dict[int, str | None] = {}  # user -> Telegram's language_code

    async def remember(self, *, chat_id: int, chat_type: str, title: str | None, user_id: int,
                       username: str | None, first_name: str | None,
                       language_code: str | None = None) -> None:
        """Record a chat and a member the first time this run sees them together (again when
        Telegram reports another language for them). The same read brings the chat's
        language and defaults, which the rest of the update needs."""
        seen = self._telegram.get(user_id)
        if (chat_id, user_id) in self._known and (language_code is None or seen == language_code):
            return
        row = await chats.remember(self._db, chat_id=chat_id, chat_type=chat_type, title=title,
                                   user_id=user_id, username=username, first_name=first_name,
                                   language_code=language_code)
        if row is not None:
            self._chosen[chat_id] = supported(row.language)
            self._defaults[chat_id] = row.defaults
            self._telegram.setdefault(user_id, row.user_language)
        self._known.add((chat_id, user_id))
        if language_code is not None:
            self._telegram[user_id] = language_code

    async def defaults(self, chat_id: int) -> ChatDefaults:
        if chat_id not in self._defaults:
            self._defaults[chat_id] = await chats.defaults(self._db, chat_id)
        return self._defaults[chat_id]

    async def save_defaults(self, chat_id: int, defaults: ChatDefaults) -> None:
        await chats.set_defaults(self._db, chat_id, defaults)
        self._defaults[chat_id] = defaults

    async def chosen_language(self, chat_id: int) -> str | None:
        """The language the chat chose in /settings (its admins, in a group); None: none."""
        if chat_id not in self._chosen:
            self._chosen[chat_id] = supported(await chats.language(self._db, chat_id))
        return self._chosen[chat_id]

    async def choose_language(self, chat_id: int, language: str | None) -> None:
        await chats.set_language(self._db, chat_id, supported(language))
        self._chosen[chat_id] = supported(language)

    async def language(self, chat_id: int, user_id: int | None,
                       telegram: str | None = None) -> str:
        """The language to speak in the chat: its own choice, else the person's Telegram
        language (`telegram` as the update says, else as last seen), else English."""
        chosen = await self.chosen_language(chat_id)
        if chosen is None and telegram is None and user_id is not None:
            if user_id not in self._telegram:
                self._telegram[user_id] = await chats.user_language(self._db, user_id)
            telegram = self._telegram[user_id]
        return choose(chosen, telegram)
