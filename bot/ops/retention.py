"""Media retention: files older than MEDIA_RETENTION_DAYS are deleted, their rows kept and
marked expired. A version that is current in some session (or waits in a session or an open
job) is kept whatever its age.

Call `retention_loop` as a background task of the running bot, or `sweep_media` once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

from bot.store import retention
from bot.store.db import Database

log = logging.getLogger(__name__)

DAY = 86_400.0
# Rows per transaction: the write lock is held while their files are unlinked.
BATCH = 200


async def sweep_media(
    db: Database, media_root: Path, *, days: int, now: float | None = None, batch: int = BATCH
) -> int:
    """Delete the files of media older than `days` and mark their rows expired; returns how
    many were expired. `days <= 0` keeps everything.

    Each batch unlinks its files inside the transaction that marks the rows: a crash before
    the commit leaves rows unmarked, and the next sweep finds them again (missing files are
    fine), so nothing is marked expired whose file is still on disk, or the other way round.
    """
    if days <= 0:
        return 0
    current = time.time() if now is None else now
    cutoff = current - days * DAY
    total = 0
    while True:
        async with db.transaction() as tx:
            expired = await retention.expire_older_than(
                tx, cutoff=cutoff, now=current, limit=batch
            )
            await asyncio.to_thread(_unlink_all, media_root, [e.path for e in expired])
        total += len(expired)
        if len(expired) < batch:
            break
    if total:
        log.info("media retention: %d file(s) older than %d days deleted", total, days)
    return total


async def retention_loop(
    db: Database, media_root: Path, *, days: int, every: float = 6 * 3600
) -> None:
    """Sweep now and then every `every` seconds, until cancelled."""
    while True:
        try:
            await sweep_media(db, media_root, days=days)
        except OSError as exc:  # a file we may not delete: say which, try again later
            log.warning("media retention: sweep failed: %s", exc)
        await asyncio.sleep(every)


def _unlink_all(media_root: Path, paths: list[str]) -> None:
    root = media_root.resolve()
    for relative in paths:
        path = (root / relative).resolve()
        if not path.is_relative_to(root):  # a row must never make us delete outside MEDIA_DIR
            log.warning("media retention: %s is outside the media folder; left alone", relative)
            continue
        path.unlink(missing_ok=True)
