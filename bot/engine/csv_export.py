"""Writing a table of append-only rows to CSV a batch at a time, off the event loop: /export's
ledger and credits files share it."""

from __future__ import annotations

import asyncio
import csv
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol, TypeVar


class _Row(Protocol):
    @property
    def id(self) -> int: ...


R = TypeVar("R", bound=_Row)


def utc_iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="seconds")


async def export_rows(
    dest: Path, columns: Sequence[str], rows_after: Callable[[int], Awaitable[Sequence[R]]],
    as_cells: Callable[[R], Sequence[object]],
) -> int:
    """Write `columns`, then every row `rows_after(last id)` yields, batch by batch (rows come
    in id order); return how many rows were written."""
    count = last_id = 0
    handle = await asyncio.to_thread(dest.open, "w", newline="", encoding="utf-8")
    try:
        writer = csv.writer(handle)
        await asyncio.to_thread(writer.writerow, columns)
        while rows := await rows_after(last_id):
            await asyncio.to_thread(writer.writerows, [as_cells(r) for r in rows])
            count += len(rows)
            last_id = rows[-1].id
    finally:
        await asyncio.to_thread(handle.close)
    return count
