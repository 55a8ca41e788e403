"""Budget limits (operator defaults, per-chat overrides) and usage sums over the ledger."""

from __future__ import annotations

import time
from dataclasses import fields, replace
from datetime import datetime

from bot.domain.budget import CONFIRM_ABOVE, NO_LIMIT, OVERRIDABLE, Limits, Usage, period_starts
from bot.store.db import Reader, Tx
from bot.store.ledger import signed_hold, signed_spend

__all__ = ["NO_LIMIT", "OVERRIDABLE", "confirm_above", "limits_and_confirm_above", "limits_for",
           "set_override", "usage"]


async def overrides(db: Reader, chat_id: int) -> dict[str, int | None]:
    row = await db.fetchone("SELECT * FROM chat_budgets WHERE chat_id = ?", (chat_id,))
    if row is None:
        return {}
    keys = [s.value for s in OVERRIDABLE] + [CONFIRM_ABOVE]
    return {k: row[k] for k in keys if row[k] is not None}


async def limits_for(db: Reader, chat_id: int, defaults: Limits) -> Limits:
    """The operator's limits with this chat's overrides applied (the global cap never)."""
    return _applied(await overrides(db, chat_id), defaults)


async def limits_and_confirm_above(
    db: Reader, chat_id: int, defaults: Limits, default_confirm: int
) -> tuple[Limits, int | None]:
    """`limits_for` and `confirm_above` from one read of the chat's overrides."""
    found = await overrides(db, chat_id)
    return _applied(found, defaults), _confirm_above(found, default_confirm)


def _applied(found: dict[str, int | None], defaults: Limits) -> Limits:
    changes: dict[str, int | None] = {}
    for f in fields(Limits):
        if f.name in found:
            value = found[f.name]
            changes[f.name] = None if value == NO_LIMIT else value
    return replace(defaults, **changes)


async def confirm_above(db: Reader, chat_id: int, default: int) -> int | None:
    """Jobs estimated above this many micro-dollars wait for a Confirm press; None: never ask
    (the chat turned confirmation off)."""
    return _confirm_above(await overrides(db, chat_id), default)


def _confirm_above(found: dict[str, int | None], default: int) -> int | None:
    value = found.get(CONFIRM_ABOVE)
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


# Charges and holds count, releases and refunds give back. Each scope is its own subquery so
# that SQLite reads it through an index (ledger_user, ledger_chat, ledger_created): a person's
# or a chat's rows, not every row of the month.
_SIGNED = "COALESCE(SUM((" + signed_spend() + ") + (" + signed_hold() + ")), 0)"
_USER_SINCE = f"(SELECT {_SIGNED} FROM ledger WHERE user_id = :user AND created_at >= :%s)"
_CHAT_SINCE = f"(SELECT {_SIGNED} FROM ledger WHERE chat_id = :chat AND created_at >= :%s)"
_ALL_SINCE = f"(SELECT {_SIGNED} FROM ledger WHERE created_at >= :month)"


def _usage_sql(everyone: bool) -> str:
    return "SELECT " + ", ".join((
        _USER_SINCE % "day", _USER_SINCE % "month", _CHAT_SINCE % "day",
        _CHAT_SINCE % "month", _ALL_SINCE if everyone else "0",
    ))


_USAGE = _usage_sql(everyone=True)
_USAGE_NOT_GLOBAL = _usage_sql(everyone=False)


async def usage(db: Reader, chat_id: int, user_id: int, now: datetime, *,
                everyone: bool = True) -> Usage:
    """Spent plus held in each scope's current period (call inside the reserving transaction).
    `everyone=False` leaves the global month at 0: that sum reads all of the month's rows,
    which only a global budget needs."""
    day, month = period_starts(now)
    row = await db.fetchone(_USAGE if everyone else _USAGE_NOT_GLOBAL, {
        "user": user_id, "chat": chat_id, "day": day.timestamp(), "month": month.timestamp(),
    })
    values = [int(v) for v in row] if row is not None else [0] * 5
    return Usage(*values)
