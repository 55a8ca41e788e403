"""Budget limits (operator defaults, per-chat overrides) and usage sums over the ledger."""

from __future__ import annotations

import time
from dataclasses import fields, replace
from datetime import datetime

from bot.domain.budget import CONFIRM_ABOVE, NO_LIMIT, OVERRIDABLE, Limits, Usage, period_starts
from bot.store.db import Reader, Tx
from bot.store.ledger import signed_hold, signed_spend

__all__ = ["NO_LIMIT", "OVERRIDABLE", "confirm_above", "limits_for", "set_override", "usage"]


async def overrides(db: Reader, chat_id: int) -> dict[str, int | None]:
    row = await db.fetchone("SELECT * FROM chat_budgets WHERE chat_id = ?", (chat_id,))
    if row is None:
        return {}
    keys = [s.value for s in OVERRIDABLE] + [CONFIRM_ABOVE]
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


async def confirm_above(db: Reader, chat_id: int, default: int) -> int | None:
    """Jobs estimated above this many micro-dollars wait for a Confirm press; None: never ask
    (the chat turned confirmation off)."""
    value = (await overrides(db, chat_id)).get(CONFIRM_ABOVE)
    if value is None:
        return default
    return None if value == NO_LIMIT else value


async def set_override(
    tx: Tx, chat_id: int, name: str, micros: int | None, user_id: int
) -> None:
    """Set one override (`micros` None clears it back to the default)."""
    allowed = {s.value for s in OVERRIDABLE} | {CONFIRM_ABOVE}
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


# Charges and holds count, releases and refunds give back; one pass over this month's rows.
_USAGE = """
SELECT
  COALESCE(SUM(CASE WHEN user_id = :user AND created_at >= :day THEN signed END), 0),
  COALESCE(SUM(CASE WHEN user_id = :user THEN signed END), 0),
  COALESCE(SUM(CASE WHEN chat_id = :chat AND created_at >= :day THEN signed END), 0),
  COALESCE(SUM(CASE WHEN chat_id = :chat THEN signed END), 0),
  COALESCE(SUM(signed), 0)
FROM (
  SELECT user_id, chat_id, created_at,
         (""" + signed_spend() + ") + (" + signed_hold() + """) AS signed
  FROM ledger WHERE created_at >= :month
)
"""


async def usage(db: Reader, chat_id: int, user_id: int, now: datetime) -> Usage:
    """Spent plus held in each scope's current period (call inside the reserving transaction)."""
    day, month = period_starts(now)
    row = await db.fetchone(_USAGE, {
        "user": user_id, "chat": chat_id, "day": day.timestamp(), "month": month.timestamp(),
    })
    values = [int(v) for v in row] if row is not None else [0] * 5
    return Usage(*values)
