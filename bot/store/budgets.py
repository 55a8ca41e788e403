"""Budget limits (operator defaults, per-chat overrides) and usage sums over the ledger."""

from __future__ import annotations

import time
from dataclasses import fields, replace
from datetime import datetime

from bot.domain.budget import Limits, Scope, Usage, period_starts
from bot.store.db import Reader, Tx

NO_LIMIT = -1  # stored override meaning "no limit here", distinct from NULL ("use default")
OVERRIDABLE = (Scope.USER_DAILY, Scope.USER_MONTHLY, Scope.CHAT_DAILY, Scope.CHAT_MONTHLY)


async def overrides(db: Reader, chat_id: int) -> dict[str, int | None]:
    row = await db.fetchone("SELECT * FROM chat_budgets WHERE chat_id = ?", (chat_id,))
    if row is None:
        return {}
    keys = [s.value for s in OVERRIDABLE] + ["confirm_above"]
    return {k: row[k] for k in keys if row[k] is not None}


async def limits_for(db: Reader, chat_id: int, defaults: Limits) -> Limits:
    """The operator's limits with this chat's overrides applied (the global cap never)."""
    found = await overrides(db, chat_id)
    changes: dict[str, int | None] = {}
    for f in fields(Limits):
        if f.name in found:
            value = found[f.name]
            changes[f.name] = None if value == NO_LIMIT else value
    return replace(defaults, **changes)


async def confirm_above(db: Reader, chat_id: int, default: int) -> int:
    value = (await overrides(db, chat_id)).get("confirm_above")
    return default if value is None else value


async def set_override(
    tx: Tx, chat_id: int, name: str, micros: int | None, user_id: int
) -> None:
    """Set one override (`micros` None clears it back to the default)."""
    allowed = {s.value for s in OVERRIDABLE} | {"confirm_above"}
    if name not in allowed:
        raise ValueError(f"not a budget: {name}")
    await tx.execute(
        "INSERT INTO chat_budgets(chat_id, updated_by, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT(chat_id) DO NOTHING",
        (chat_id, user_id, time.time()),
    )
    await tx.execute(
        f"UPDATE chat_budgets SET {name} = ?, updated_by = ?, updated_at = ? WHERE chat_id = ?",
        (micros, user_id, time.time(), chat_id),
    )


_USAGE = (
    "SELECT COALESCE(SUM(CASE kind WHEN 'charge' THEN micros WHEN 'reserve' THEN micros "
    "ELSE -micros END), 0) AS used FROM ledger WHERE created_at >= ?"
)


async def usage(db: Reader, chat_id: int, user_id: int, now: datetime) -> Usage:
    """Spent plus held in each scope's current period (call inside the reserving transaction)."""
    day, month = period_starts(now)

    async def used(since: datetime, where: str = "", *params: int) -> int:
        row = await db.fetchone(_USAGE + where, (since.timestamp(), *params))
        return int(row["used"]) if row else 0

    return Usage(
        user_daily=await used(day, " AND user_id = ?", user_id),
        user_monthly=await used(month, " AND user_id = ?", user_id),
        chat_daily=await used(day, " AND chat_id = ?", chat_id),
        chat_monthly=await used(month, " AND chat_id = ?", chat_id),
        global_monthly=await used(month),
    )
