"""Spending use cases: what was spent and what is left, admin statistics, the ledger export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from bot.domain.budget import BudgetChange, Limits, Scope, Usage, period_starts, remaining
from bot.domain.money import from_micros
from bot.engine.csv_export import export_rows, utc_iso
from bot.store import budgets, reports
from bot.store.db import Database


@dataclass(frozen=True)
class SpendSummary:
    usage: Usage
    left: dict[Scope, Decimal | None]

    def used(self, scope: Scope) -> Decimal:
        return from_micros(self.usage.of(scope))

    @property
    def used_by_scope(self) -> dict[Scope, Decimal]:
        return {scope: self.used(scope) for scope in Scope}


class Spending:
    """What was spent and what is left, budgets, and the admins' reports, for the edges."""

    def __init__(self, db: Database, defaults: Limits, confirm_above: int) -> None:
        self._db = db
        self._defaults = defaults  # the operator's limits
        self._confirm_above = confirm_above  # the operator's threshold, micro-dollars

    async def summary(self, chat_id: int, user_id: int) -> SpendSummary:
        return await spend_summary(self._db, chat_id, user_id, self._defaults)

    async def budgets(self, chat_id: int) -> BudgetView:
        return await budget_view(self._db, chat_id, self._defaults, self._confirm_above)

    async def set_budget(self, chat_id: int, change: BudgetChange, user_id: int) -> None:
        async with self._db.transaction() as tx:
            await budgets.set_override(tx, chat_id, change.name, change.micros, user_id)

    async def stats(self) -> tuple[dict[str, list[tuple[str, Decimal]]], dict[str, int]]:
        return await stats(self._db)

    async def export_csv(self, dest: Path) -> int:
        return await export_csv(self._db, dest)


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


@dataclass(frozen=True)
class BudgetView:
    limits: Limits  # with the chat's overrides
    confirm_above: Decimal | None  # None: the chat never asks for confirmation


async def budget_view(db: Database, chat_id: int, defaults: Limits, confirm_above: int
                      ) -> BudgetView:
    limits = await budgets.limits_for(db, chat_id, defaults)
    threshold = await budgets.confirm_above(db, chat_id, confirm_above)
    return BudgetView(limits, None if threshold is None else from_micros(threshold))


async def stats(
    db: Database, now: datetime | None = None
) -> tuple[dict[str, list[tuple[str, Decimal]]], dict[str, int]]:
    """Spend this month by chat, user and model; job counts by outcome (all time)."""
    _, month = period_starts(now or datetime.now(UTC))
    by = await reports.spend_by(db, month.timestamp())
    in_usd = {
        title: [(name, from_micros(micros)) for name, micros in rows] for title, rows in by.items()
    }
    return in_usd, await reports.job_counts(db)


EXPORT_COLUMNS = ("id", "created_at_utc", "job_id", "chat_id", "user_id", "model", "kind",
                  "amount_usd", "note")


async def export_csv(db: Database, dest: Path) -> int:
    """Write the whole ledger to `dest` as CSV, a batch of rows at a time; return the count."""
    return await export_rows(
        dest, EXPORT_COLUMNS, lambda last_id: reports.ledger_after(db, last_id),
        lambda r: (r.id, utc_iso(r.created_at), r.job_id, r.chat_id, r.user_id, r.model, r.kind,
                   str(from_micros(r.micros)), r.note or ""),
    )
