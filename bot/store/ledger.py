"""The append-only ledger. Balances are sums of rows, never counters updated in place."""

from __future__ import annotations

import time
from enum import Enum

from bot.store.db import Database, Reader, Tx


class Entry(str, Enum):
    RESERVE = "reserve"  # estimate held while a job is open
    RELEASE = "release"  # the hold given back (job charged, failed or ended)
    CHARGE = "charge"  # what the provider said it took
    REFUND = "refund"  # what the provider gave back for a failed job


async def append(
    conn: Tx,
    *,
    job_id: int,
    chat_id: int,
    user_id: int,
    model: str,
    kind: Entry,
    micros: int,
    note: str | None = None,
) -> None:
    await conn.execute(
        "INSERT INTO ledger(job_id, chat_id, user_id, model, kind, micros, note, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (job_id, chat_id, user_id, model, kind.value, micros, note, time.time()),
    )


def signed_spend(alias: str = "") -> str:
    """SQL for a row's effect on spend: a charge counts, a refund gives back (the one place
    the rule "spent = charges - refunds" is written)."""
    a = f"{alias}." if alias else ""
    return (f"CASE {a}kind WHEN 'charge' THEN {a}micros WHEN 'refund' THEN -{a}micros "
            "ELSE 0 END")


def signed_hold(alias: str = "") -> str:
    """SQL for a row's effect on what is held: a reserve holds, a release gives back."""
    a = f"{alias}." if alias else ""
    return (f"CASE {a}kind WHEN 'reserve' THEN {a}micros WHEN 'release' THEN -{a}micros "
            "ELSE 0 END")


_SUMS = (
    f"SELECT COALESCE(SUM({signed_spend()}), 0) AS spent, "
    f"COALESCE(SUM({signed_hold()}), 0) AS held FROM ledger"
)


async def release_held(conn: Tx, *, job_id: int, chat_id: int, user_id: int, model: str,
                       note: str) -> None:
    """Append a release of whatever is still reserved for the job, if anything is: one
    statement (the sum and the row), so the hold is never read apart from its release."""
    await conn.execute(
        "INSERT INTO ledger(job_id, chat_id, user_id, model, kind, micros, note, created_at) "
        f"SELECT ?, ?, ?, ?, ?, held, ?, ? FROM ({_SUMS} WHERE job_id = ?) WHERE held > 0",
        (job_id, chat_id, user_id, model, Entry.RELEASE.value, note, time.time(), job_id),
    )


async def held_for_job(conn: Tx | Database, job_id: int) -> int:
    """Micro-dollars still reserved for this job."""
    sql = _SUMS + " WHERE job_id = ?"
    row = await conn.fetchone(sql, (job_id,))
    return int(row["held"]) if row else 0


async def totals(
    db: Reader,
    *,
    chat_id: int | None = None,
    user_id: int | None = None,
    job_id: int | None = None,
    since: float | None = None,
) -> tuple[int, int]:
    """(spent, held) in micro-dollars for the rows that match every given filter."""
    where: list[str] = []
    params: list[object] = []
    for column, value in (("chat_id", chat_id), ("user_id", user_id), ("job_id", job_id)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if since is not None:
        where.append("created_at >= ?")
        params.append(since)
    sql = _SUMS + (" WHERE " + " AND ".join(where) if where else "")
    row = await db.fetchone(sql, params)
    return (int(row["spent"]), int(row["held"])) if row else (0, 0)


async def charged_and_refunded(conn: Reader, job_id: int) -> tuple[int, int]:
    """(charges, refunds) of one job in micro-dollars, each summed on its own."""
    row = await conn.fetchone(
        "SELECT COALESCE(SUM(CASE kind WHEN 'charge' THEN micros ELSE 0 END), 0) AS c, "
        "COALESCE(SUM(CASE kind WHEN 'refund' THEN micros ELSE 0 END), 0) AS r "
        "FROM ledger WHERE job_id = ?", (job_id,),
    )
    return (int(row["c"]), int(row["r"])) if row else (0, 0)
