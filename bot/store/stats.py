"""Figures for the operator's metrics, read in one go at scrape time."""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.db import Reader
from bot.store.ledger import totals


@dataclass(frozen=True)
class JobCount:
    state: str
    model: str
    jobs: int


@dataclass(frozen=True)
class Snapshot:
    jobs: list[JobCount]  # every (state, model) that has at least one job
    spent_micros: int  # charges minus refunds, all time
    held_micros: int  # reserved for open jobs and not yet released


async def snapshot(db: Reader) -> Snapshot:
    rows = await db.fetchall(
        "SELECT state, model, COUNT(*) AS jobs FROM jobs GROUP BY state, model "
        "ORDER BY state, model"
    )
    spent, held = await totals(db)
    return Snapshot(
        jobs=[JobCount(r["state"], r["model"], int(r["jobs"])) for r in rows],
        spent_micros=spent, held_micros=held,
    )
