"""Payments and the append-only credits table (whole Stars). Balances are sums of rows."""

from __future__ import annotations

import time
from dataclasses import dataclass

from bot.domain.credits import CreditKind, JobCredits, Payment
from bot.store.db import Reader, Tx


def signed_balance(alias: str = "") -> str:
    """SQL for a row's effect on a balance (the one place the rule is written)."""
    a = f"{alias}." if alias else ""
    return (
        f"CASE {a}kind WHEN 'purchase' THEN {a}stars WHEN 'refund' THEN {a}stars "
        f"WHEN 'release' THEN {a}stars ELSE -{a}stars END"
    )


async def append(
    tx: Tx, *, user_id: int, kind: CreditKind, stars: int, job_id: int | None = None,
    charge_id: str | None = None, note: str | None = None,
) -> None:
    await tx.execute(
        "INSERT INTO credits(user_id, job_id, charge_id, kind, stars, note, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (user_id, job_id, charge_id, kind.value, stars, note, time.time()),
    )


async def balance(db: Reader, user_id: int) -> int:
    row = await db.fetchone(
        f"SELECT COALESCE(SUM({signed_balance()}), 0) AS b FROM credits WHERE user_id = ?",
        (user_id,),
    )
    return int(row["b"]) if row else 0


async def of_job(db: Reader, job_id: int) -> JobCredits:
    row = await db.fetchone(
        "SELECT COALESCE(SUM(CASE kind WHEN 'hold' THEN stars WHEN 'release' THEN -stars "
        "ELSE 0 END), 0) AS held, "
        "COALESCE(SUM(CASE kind WHEN 'charge' THEN stars ELSE 0 END), 0) AS charged, "
        "COALESCE(SUM(CASE kind WHEN 'refund' THEN stars ELSE 0 END), 0) AS refunded "
        "FROM credits WHERE job_id = ?",
        (job_id,),
    )
    if row is None:
        return JobCredits()
    return JobCredits(int(row["held"]), int(row["charged"]), int(row["refunded"]))


async def add_payment(
    tx: Tx, *, charge_id: str, user_id: int, chat_id: int | None, stars: int, pack: int,
    payload: str,
) -> bool:
    """Record a payment and credit it; False (nothing changes) when it was recorded before."""
    cursor = await tx.execute(
        "INSERT OR IGNORE INTO payments(telegram_payment_charge_id, user_id, chat_id, stars, "
        "pack, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (charge_id, user_id, chat_id, stars, pack, payload, time.time()),
    )
    if cursor.rowcount != 1:
        return False
    await append(tx, user_id=user_id, kind=CreditKind.PURCHASE, stars=stars,
                 charge_id=charge_id, note=f"pack {pack}")
    return True


_PAYMENT = (
    "SELECT p.telegram_payment_charge_id AS charge_id, p.user_id, p.chat_id, p.stars, p.pack, "
    "p.created_at, r.stars AS refunded FROM payments p LEFT JOIN credits r "
    "ON r.charge_id = p.telegram_payment_charge_id AND r.kind = 'purchase_refund' "
)


async def payment(db: Reader, charge_id: str) -> Payment | None:
    row = await db.fetchone(_PAYMENT + "WHERE p.telegram_payment_charge_id = ?", (charge_id,))
    return Payment(*tuple(row)) if row is not None else None


async def payments_of(db: Reader, user_id: int, limit: int = 5) -> list[Payment]:
    """The user's latest payments, newest first."""
    rows = await db.fetchall(
        _PAYMENT + "WHERE p.user_id = ? ORDER BY p.id DESC LIMIT ?", (user_id, limit)
    )
    return [Payment(*tuple(r)) for r in rows]


async def add_purchase_refund(tx: Tx, pay: Payment, stars: int) -> bool:
    """Record that a payment was refunded, removing `stars` credits; False if it already was
    (the unique index keeps it to one)."""
    cursor = await tx.execute(
        "INSERT OR IGNORE INTO credits(user_id, job_id, charge_id, kind, stars, note, "
        "created_at) VALUES (?, NULL, ?, 'purchase_refund', ?, ?, ?)",
        (pay.user_id, pay.charge_id, stars, f"refunded {pay.stars} Stars", time.time()),
    )
    return cursor.rowcount == 1


async def totals_since(db: Reader, since: float) -> dict[str, int]:
    """Stars by kind of row since `since` (purchase, purchase_refund, charge, refund, ...)."""
    rows = await db.fetchall(
        "SELECT kind, SUM(stars) AS s FROM credits WHERE created_at >= ? GROUP BY kind",
        (since,),
    )
    return {str(r["kind"]): int(r["s"] or 0) for r in rows}


async def balances(db: Reader, limit: int = 10) -> tuple[int, list[tuple[str, int]]]:
    """(all users' credits together, the largest balances by user name)."""
    total = await db.fetchone(f"SELECT COALESCE(SUM({signed_balance()}), 0) AS t FROM credits")
    rows = await db.fetchall(
        f"SELECT COALESCE('@' || u.username, u.first_name, CAST(c.user_id AS TEXT)) AS name, "
        f"SUM({signed_balance('c')}) AS b FROM credits c LEFT JOIN users u ON u.id = c.user_id "
        "GROUP BY c.user_id HAVING b > 0 ORDER BY b DESC LIMIT ?", (limit,),
    )
    return (int(total["t"]) if total else 0), [(str(r["name"]), int(r["b"])) for r in rows]


@dataclass(frozen=True)
class CreditRow:
    id: int
    created_at: float
    user_id: int
    kind: str
    stars: int
    job_id: int | None
    charge_id: str | None
    note: str | None


async def rows_after(db: Reader, last_id: int, limit: int = 1000) -> list[CreditRow]:
    """The next `limit` credit rows after id `last_id`, oldest first (a streamed export)."""
    rows = await db.fetchall(
        "SELECT id, created_at, user_id, kind, stars, job_id, charge_id, note FROM credits "
        "WHERE id > ? ORDER BY id LIMIT ?", (last_id, limit),
    )
    return [CreditRow(*tuple(r)) for r in rows]
