"""A job's status message, edited in place as the job moves.

Progress (queued place, submitted, running time, delivering) is coalesced per message: at most
one edit every `interval` seconds, only the latest text is sent, and it goes in the progress
lane so that answers and deliveries overtake it. The last word (done, failed, cancelled) is sent
at once and drops any progress still waiting.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import ExtBot

from bot.telegram.lanes import PROGRESS

log = logging.getLogger(__name__)

PROGRESS_EDIT_INTERVAL = 12.0  # seconds: at most 5-6 progress edits of one message a minute
CLOSED_REMEMBERED = 50_000  # finished status messages remembered, so late progress is dropped

Key = tuple[int, int]  # (chat id, message id)


@dataclass
class _Latest:
    text: str
    markup: InlineKeyboardMarkup | None


class StatusBoard:
    def __init__(self, bot: ExtBot[Any], interval: float = PROGRESS_EDIT_INTERVAL) -> None:
        self._bot = bot
        self._interval = interval
        self._last_edit: dict[Key, float] = {}
        self._waiting: dict[Key, _Latest] = {}
        self._timers: dict[Key, asyncio.Task[None]] = {}
        self._closed: OrderedDict[Key, None] = OrderedDict()  # messages that had their last word

    async def progress(self, chat_id: int, message_id: int, text: str,
                       markup: InlineKeyboardMarkup | None) -> None:
        """Note the latest progress; it goes out in the background, so the job (and the
        update being handled) never waits behind the progress lane."""
        key = (chat_id, message_id)
        if key in self._closed:
            return  # the job already had its last word: a late poll must not undo it
        self._waiting[key] = _Latest(text, markup)  # only the latest text is ever sent
        if key not in self._timers:
            wait = self._last_edit.get(key, 0.0) + self._interval - time.monotonic()
            self._timers[key] = asyncio.create_task(self._later(key, max(wait, 0.0)))

    async def final(self, chat_id: int, message_id: int, text: str,
                    markup: InlineKeyboardMarkup | None = None) -> bool:
        """The job's last word, at once. False if the message can't be edited."""
        self.close(chat_id, message_id)
        return await self._edit((chat_id, message_id), _Latest(text, markup), lane=None)

    def close(self, chat_id: int, message_id: int) -> None:
        """No more progress on this message: it is about to carry the clip (or its last word),
        which a late progress edit must not overwrite."""
        key = (chat_id, message_id)
        timer = self._timers.pop(key, None)
        if timer is not None and timer is not asyncio.current_task():
            timer.cancel()
        self._waiting.pop(key, None)
        self._last_edit.pop(key, None)
        self._closed[key] = None
        while len(self._closed) > CLOSED_REMEMBERED:
            self._closed.popitem(last=False)

    async def _later(self, key: Key, delay: float) -> None:
        try:
            await asyncio.sleep(delay)
            latest = self._waiting.pop(key, None)
            if latest is not None:
                self._last_edit[key] = time.monotonic()
                await self._edit(key, latest, lane=PROGRESS)
        finally:
            self._timers.pop(key, None)
            if key in self._waiting and key not in self._closed:  # more came meanwhile
                wait = self._last_edit.get(key, 0.0) + self._interval - time.monotonic()
                self._timers[key] = asyncio.create_task(self._later(key, max(wait, 0.0)))

    async def _edit(self, key: Key, latest: _Latest, lane: str | None) -> bool:
        chat_id, message_id = key
        try:
            await self._bot.edit_message_text(
                latest.text, chat_id=chat_id, message_id=message_id, parse_mode=ParseMode.HTML,
                reply_markup=latest.markup, rate_limit_args=lane,
            )
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return True
            log.info("status message %s in chat %s not editable: %s", message_id, chat_id, exc)
            return False
        except TelegramError as exc:  # expected (Telegram down, throttled): one line
            log.warning("could not edit status message %s in chat %s: %s", message_id, chat_id,
                        exc)
            return False
        return True

    async def aclose(self) -> None:
        self._waiting.clear()  # nothing is rescheduled while closing
        for timer in list(self._timers.values()):
            timer.cancel()
