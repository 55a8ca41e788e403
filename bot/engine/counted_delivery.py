"""Counting deliveries at the engine's door to the chat: every attempt to hand a finished
job's clip over, by outcome (delivered | retry | undeliverable), for `bot_deliveries_total`.

A wrapper around whatever implements `Delivery`, so neither the engine's finishing steps nor
the Telegram edge need to know about metrics; every other method passes straight through."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.engine.delivery import Delivery, Sent, Undeliverable
from bot.store.jobs import Job
from bot.store.media_rows import Media


class CountedDelivery:
    def __init__(self, inner: Delivery, count: Callable[[str], None]) -> None:
        self._inner = inner
        self._count = count

    async def job_delivered(self, job: Job, media: Media, path: Path, *,
                            as_new_message: bool = False) -> Sent:
        try:
            sent = await self._inner.job_delivered(job, media, path,
                                                   as_new_message=as_new_message)
        except Undeliverable:
            self._count("undeliverable")
            raise
        except Exception:
            self._count("retry")  # the engine tries again later
            raise
        self._count("delivered")
        return sent

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)
