"""Money use cases: what was spent and what is left, admin statistics, the ledger export,
and budget overrides."""

from __future__ import annotations

import asyncio
import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from bot.domain.budget import Limits, Scope, Usage, period_starts, remaining
from bot.domain.money import from_micros
from bot.store import budgets
from bot.store.db import Database


@dataclass(frozen=True)
class SpendSummary:
    usage: Usage
    left: dict[Scope, Decimal | None]

    def used(self, scope: Scope) -> Decimal:
        return from_micros(self.usage.of(scope))


async def spend_summary(
    db: Database, chat_id: int, user_id: int, defaults: Limits, now: datetime | None = None
) -> SpendSummary:
    moment = now or datetime.now(UTC)
    usage = await budgets.usage(db, chat_id, user_id, moment)
    limits = await budgets.limits_for(db, chat_id, defaults)
    left = {
        scope: None if value is None else from_micros(value)
        for scope, value in remaining(limits, usage).items()
    }
    return SpendSummary(usage, left)


async def stats(
    db: Database, now: datetime | None = None
) -> tuple[dict[str, list[tuple[str, Decimal]]], dict[str, int]]:
    """Spend this month by chat, user and model; job counts by outcome (all time)."""
    _, month = period_starts(now or datetime.now(UTC))
    spent = (
        "COALESCE(SUM(CASE l.kind WHEN 'charge' THEN l.micros "
        "WHEN 'refund' THEN -l.micros ELSE 0 END), 0)"
    )
    queries = {
        "chat": f"SELECT COALESCE(c.title, CAST(l.chat_id AS TEXT)) AS name, {spent} AS s "
                "FROM ledger l LEFT JOIN chats c ON c.id = l.chat_id WHERE l.created_at >= ? "
                "GROUP BY l.chat_id ORDER BY s DESC",
        "user": f"SELECT COALESCE('@' || u.username, u.first_name, CAST(l.user_id AS TEXT)) "
                f"AS name, {spent} AS s FROM ledger l LEFT JOIN users u ON u.id = l.user_id "
                "WHERE l.created_at >= ? GROUP BY l.user_id ORDER BY s DESC",
        "model": f"SELECT l.model AS name, {spent} AS s FROM ledger l WHERE l.created_at >= ? "
                 "GROUP BY l.model ORDER BY s DESC",
    }
    by: dict[str, list[tuple[str, Decimal]]] = {}
    for title, sql in queries.items():
        rows = await db.fetchall(sql, (month.timestamp(),))
        by[title] = [(str(r["name"]), from_micros(int(r["s"]))) for r in rows]
    row = await db.fetchone(
        "SELECT SUM(state = 'delivered') AS succeeded, SUM(state = 'failed') AS failed, "
        "SUM(refunded = 1) AS refunded, SUM(state = 'cancelled') AS cancelled, "
        "SUM(state = 'lost') AS lost, "
        "SUM(state IN ('pending', 'submitting', 'submitted', 'running', 'succeeded')) AS open "
        "FROM jobs"
    )
    counts = {k: int(row[k] or 0) for k in row.keys()} if row else {}  # noqa: SIM118
    return by, counts


EXPORT_COLUMNS = ("id", "created_at_utc", "job_id", "chat_id", "user_id", "model", "kind",
                  "amount_usd", "note")


async def export_csv(db: Database, dest: Path) -> int:
    """Write the whole ledger to `dest` as CSV, a batch of rows at a time; return the count."""
    count = 0
    last_id = 0
    handle = await asyncio.to_thread(dest.open, "w", newline="", encoding="utf-8")
    try:
        writer = csv.writer(handle)
        await asyncio.to_thread(writer.writerow, EXPORT_COLUMNS)
        while True:
            rows = await db.fetchall(
                "SELECT * FROM ledger WHERE id > ? ORDER BY id LIMIT 1000", (last_id,)
            )
            if not rows:
                break
            batch = [
                (
                    r["id"],
                    datetime.fromtimestamp(r["created_at"], UTC).isoformat(timespec="seconds"),
                    r["job_id"], r["chat_id"], r["user_id"], r["model"], r["kind"],
                    str(from_micros(r["micros"])), r["note"] or "",
                )
                for r in rows
            ]
            await asyncio.to_thread(writer.writerows, batch)
            count += len(batch)
            last_id = rows[-1]["id"]
    finally:
        await asyncio.to_thread(handle.close)
    return count
