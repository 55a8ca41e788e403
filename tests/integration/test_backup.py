"""`python -m bot backup PATH`: a consistent copy of a database that is being written to."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.store.backup import BackupError, backup_database
from bot.store.db import Database

ROOT = Path(__file__).resolve().parents[2]


async def _writer(db: Database, stop: asyncio.Event) -> int:
    """Pairs of rows, each pair one transaction: a consistent copy holds an even count."""
    written = 0
    while not stop.is_set():
        async with db.transaction() as tx:
            for _ in range(2):
                await tx.execute("INSERT INTO pairs(payload) VALUES (?)", (os.urandom(512),))
        written += 2
        await asyncio.sleep(0)
    return written


def _check(copy: Path) -> int:
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        versions = {r[0] for r in conn.execute("SELECT version FROM schema_migrations")}
        assert "0001_initial" in versions
        return int(conn.execute("SELECT count(*) FROM pairs").fetchone()[0])
    finally:
        conn.close()


async def test_copies_under_concurrent_writes_are_consistent(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    await db.migrate()
    await db.conn.execute("CREATE TABLE pairs (id INTEGER PRIMARY KEY, payload BLOB)")
    stop = asyncio.Event()
    writer = asyncio.create_task(_writer(db, stop))
    counts = []
    try:
        for n in range(6):
            await asyncio.sleep(0.05)
            copy = await backup_database(tmp_path / "bot.sqlite3", tmp_path / f"copy{n}.sqlite3")
            counts.append(_check(copy))
    finally:
        stop.set()
        written = await writer
        await db.close()
    assert all(c % 2 == 0 for c in counts), counts
    assert counts == sorted(counts) and counts[-1] <= written
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".partial")]


async def test_a_directory_gets_a_dated_file_and_bad_sources_are_one_line(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    await db.migrate()
    await db.close()
    (tmp_path / "backups").mkdir()
    written = await backup_database(tmp_path / "bot.sqlite3", tmp_path / "backups")
    assert written.parent == tmp_path / "backups" and written.name.startswith("bot-")
    with pytest.raises(BackupError, match="no database"):
        await backup_database(tmp_path / "missing.sqlite3", tmp_path / "x.sqlite3")
    with pytest.raises(BackupError, match="must not overwrite"):
        await backup_database(tmp_path / "bot.sqlite3", tmp_path / "bot.sqlite3")


def test_cli_backup_while_another_process_holds_the_database(tmp_path: Path) -> None:
    database = tmp_path / "data" / "bot.sqlite3"
    env = {**os.environ, "DATABASE_PATH": str(database), "PYTHONPATH": str(ROOT)}
    run = [sys.executable, "-m", "bot"]
    migrate = subprocess.run([*run, "migrate"], env=env, cwd=tmp_path, capture_output=True,
                             text=True, timeout=60, check=False)
    assert migrate.returncode == 0, migrate.stderr
    live = sqlite3.connect(database)  # a writer with an open WAL, as the running bot has
    live.execute("PRAGMA journal_mode=WAL")
    live.execute("CREATE TABLE note (text TEXT)")
    live.execute("INSERT INTO note VALUES ('committed')")
    live.commit()
    live.execute("BEGIN IMMEDIATE")
    live.execute("INSERT INTO note VALUES ('not committed')")
    try:
        done = subprocess.run([*run, "backup", str(tmp_path / "copy.sqlite3")], env=env,
                              cwd=tmp_path, capture_output=True, text=True, timeout=60,
                              check=False)
    finally:
        live.rollback()
        live.close()
    assert done.returncode == 0, done.stderr
    assert "backed up" in done.stdout
    copy = sqlite3.connect(tmp_path / "copy.sqlite3")
    assert copy.execute("SELECT text FROM note").fetchall() == [("committed",)]
    copy.close()
    usage = subprocess.run([*run, "backup"], env=env, cwd=tmp_path, capture_output=True,
                           text=True, timeout=60, check=False)
    assert usage.returncode == 2 and "Traceback" not in usage.stderr
