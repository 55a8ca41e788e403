"""Updates of one chat in the order they arrived; different chats at the same time.

PTB with `concurrent_updates` handles every update as its own task, so a video and the
instruction right behind it (one batch of updates) race: the instruction can find no video
yet, and no job starts. One FIFO lock per chat keeps a chat's updates in order while other
chats go on concurrently; updates with no chat (e.g. inline queries) are not held back.

PTB takes its concurrency semaphore before `do_process_update`, so an update merely waiting
for its chat's turn would hold a slot, and a backlog of one busy chat could keep every other
update (a payment's pre-checkout query among them, which Telegram gives 10 s) from starting.
Here PTB's bound is set out of reach and the real one is taken once an update's turn has come;
a pre-checkout query takes no slot at all.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

_UNBOUNDED = 1 << 30


class PerChatOrder(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(_UNBOUNDED)
        self._running = asyncio.Semaphore(max_concurrent_updates)  # handlers at work at once
        self._locks: dict[int, asyncio.Lock] = {}
        self._holders: Counter[int] = Counter()  # updates waiting for or holding each lock

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        if isinstance(update, Update) and update.pre_checkout_query is not None:
            await coroutine  # answered at once, whatever else is waiting
            return
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            async with self._running:
                await coroutine
            return
        lock = self._locks.setdefault(chat.id, asyncio.Lock())
        self._holders[chat.id] += 1
        try:
            async with lock, self._running:  # asyncio.Lock is FIFO: arrival order is kept
                await coroutine
        finally:
            self._holders[chat.id] -= 1
            if not self._holders[chat.id]:  # forget idle chats: memory stays flat
                del self._holders[chat.id]
                del self._locks[chat.id]

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
