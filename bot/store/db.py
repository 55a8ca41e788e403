"""One aiosqlite connection in WAL mode, serialized write transactions, and migrations."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import sqlite3
import time
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent.parent / "migrations"
_MIGRATION_NAME = re.compile(r"^(\d{4})_[\w-]+\.sql$")


Params = Iterable[Any] | Mapping[str, Any]  # positional (?) or named (:name) parameters


def _bind(params: Params) -> tuple[Any, ...] | Mapping[str, Any]:
    return params if isinstance(params, Mapping) else tuple(params)


class Reader:
    """Queries over one connection; both Database and an open Tx are readers."""

    conn: aiosqlite.Connection

    # execute_fetchall is one hop to aiosqlite's thread; a cursor costs three.
    async def fetchone(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        rows = await self.conn.execute_fetchall(sql, _bind(params))
        return next(iter(rows), None)

    async def fetchall(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        return list(await self.conn.execute_fetchall(sql, _bind(params)))


class Tx(Reader):
    """An open write transaction: reads see its own writes."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Cursor:
        return await self.conn.execute(sql, tuple(params))


class Database(Reader):
    """The bot's SQLite file. Every state change that matters goes through `transaction()`."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn
        # aiosqlite shares one connection: a lock keeps one transaction open at a time, so a
        # coroutine never writes into another's transaction.
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path) -> Database:
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA synchronous=NORMAL")
        await conn.execute("PRAGMA foreign_keys=ON")
        await conn.execute("PRAGMA busy_timeout=5000")
        return cls(conn)

    async def close(self) -> None:
        await self.conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """BEGIN IMMEDIATE ... COMMIT; rolled back on any exception."""
        async with self._write_lock:
            try:
                await self.conn.execute("BEGIN IMMEDIATE")
                yield Tx(self.conn)
            except BaseException:
                # A task cancelled while BEGIN (or COMMIT) was queued on aiosqlite's thread
                # leaves that statement to run anyway: always queue a ROLLBACK behind it, so no
                # transaction outlives the lock.
                await asyncio.shield(self._rollback())
                raise
            try:
                await self.conn.execute("COMMIT")
            except BaseException:
                await asyncio.shield(self._rollback())
                raise

    async def _rollback(self) -> None:
        with contextlib.suppress(sqlite3.OperationalError):  # "no transaction is active"
            await self.conn.execute("ROLLBACK")

    async def migrate(self, directory: Path = MIGRATIONS_DIR) -> list[str]:
        """Apply `NNNN_name.sql` files in order, each in its own transaction; return new ones."""
        await self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version TEXT PRIMARY KEY, applied_at REAL NOT NULL)"
        )
        rows = await self.fetchall("SELECT version FROM schema_migrations")
        done = {row["version"] for row in rows}
        applied: list[str] = []
        for file in await asyncio.to_thread(lambda: sorted(directory.glob("*.sql"))):
            if not _MIGRATION_NAME.match(file.name) or file.stem in done:
                continue
            script = await asyncio.to_thread(file.read_text, encoding="utf-8")
            statements = [s for s in script.split(";\n") if s.strip()]
            async with self.transaction() as conn:
                for statement in statements:
                    await conn.execute(statement)
                await conn.execute(
                    "INSERT INTO schema_migrations(version, applied_at) VALUES (?, ?)",
                    (file.stem, time.time()),
                )
            log.info("applied migration %s", file.stem)
            applied.append(file.stem)
        return applied
