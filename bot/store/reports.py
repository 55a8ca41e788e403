"""Reports over the ledger and jobs for /stats and /export."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.job_states import OPEN_STATES, JobState
from bot.store.db import Reader
from bot.store.ledger import signed_spend

_SPENT = f"COALESCE(SUM({signed_spend('l')}), 0)"
_BY = {
    "chat": f"SELECT COALESCE(c.title, CAST(l.chat_id AS TEXT)) AS name, {_SPENT} AS s "
            "FROM ledger l LEFT JOIN chats c ON c.id = l.chat_id WHERE l.created_at >= ? "
            "GROUP BY l.chat_id ORDER BY s DESC",
    "user": f"SELECT COALESCE('@' || u.username, u.first_name, CAST(l.user_id AS TEXT)) "
            f"AS name, {_SPENT} AS s FROM ledger l LEFT JOIN users u ON u.id = l.user_id "
            "WHERE l.created_at >= ? GROUP BY l.user_id ORDER BY s DESC",
    "model": f"SELECT l.model AS name, {_SPENT} AS s FROM ledger l WHERE l.created_at >= ? "
             "GROUP BY l.model ORDER BY s DESC",
}


async def spend_by(db: Reader, since: float) -> dict[str, list[tuple[str, int]]]:
    """Spend in micro-dollars since `since`, by chat, by user and by model, largest first."""
    by: dict[str, list[tuple[str, int]]] = {}
    for title, sql in _BY.items():
        rows = await db.fetchall(sql, (since,))
        by[title] = [(str(r["name"]), int(r["s"])) for r in rows]
    return by


def _marks(states: frozenset[JobState]) -> str:
    return ", ".join(f"'{s.value}'" for s in sorted(states, key=lambda s: s.value))


_COUNTS = (
    f"SELECT SUM(state = '{JobState.DELIVERED.value}') AS succeeded, "
    f"SUM(state = '{JobState.FAILED.value}') AS failed, "
    "SUM(refunded = 1) AS refunded, "
    f"SUM(state = '{JobState.CANCELLED.value}') AS cancelled, "
    f"SUM(state = '{JobState.LOST.value}') AS lost, "
    f"SUM(state IN ({_marks(OPEN_STATES)})) AS open "
    "FROM jobs"
)


async def job_counts(db: Reader) -> dict[str, int]:
    """Jobs by outcome, all time: succeeded, failed, refunded, cancelled, lost, open."""
    row = await db.fetchone(_COUNTS)
    return {k: int(row[k] or 0) for k in row.keys()} if row else {}  # noqa: SIM118


@dataclass(frozen=True)
class LedgerRow:
    id: int
    created_at: float
    job_id: int | None
    chat_id: int
    user_id: int
    model: str
    kind: str
    micros: int
    note: str | None


async def ledger_after(db: Reader, last_id: int, limit: int = 1000) -> list[LedgerRow]:
    """The next `limit` ledger rows after id `last_id`, oldest first (for a streamed export)."""
    rows = await db.fetchall(
        "SELECT id, created_at, job_id, chat_id, user_id, model, kind, micros, note "
        "FROM ledger WHERE id > ? ORDER BY id LIMIT ?", (last_id, limit)
    )
    return [LedgerRow(*tuple(r)) for r in rows]
