"""Online backups: a consistent copy of the database while the bot keeps writing to it.

SQLite's backup API copies page by page under a read transaction, so the copy is the database
as of one moment (WAL lets the bot's writers go on meanwhile). The copy is written beside its
destination and renamed into place, so a half-written backup never carries the final name.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time
from pathlib import Path


class BackupError(Exception):
    """The copy could not be made; the message is one line for the operator."""


async def backup_database(source: Path, destination: Path) -> Path:
    """Copy `source` to `destination` (a file, or a directory to put a dated file in) and
    check the copy's integrity. Returns the path written."""
    return await asyncio.to_thread(_backup, source, destination)


def _backup(source: Path, destination: Path) -> Path:
    if not source.is_file():
        raise BackupError(f"no database at {source}")
    if destination.is_dir():
        destination = destination / time.strftime("bot-%Y%m%d-%H%M%S.sqlite3", time.gmtime())
    if destination.exists() and destination.resolve() == source.resolve():
        raise BackupError("the backup must not overwrite the database itself")
    partial = destination.with_name(f".{destination.name}.partial")
    partial.unlink(missing_ok=True)
    # Read-only: a backup must never change (or create) the live database.
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)  # all pages in one step: one snapshot of the source
            # A single self-contained file: no -wal beside the copy.
            dst.execute("PRAGMA journal_mode=DELETE")
            verdict = dst.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            dst.close()
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"backup of {source} failed: {exc}") from exc
    finally:
        src.close()
    if verdict != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"the copy failed its integrity check: {verdict}")
    os.replace(partial, destination)
    return destination
