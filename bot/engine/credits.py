"""Prepaid credits: balances, purchases, refunds of purchases, and `settle_credits`, which keeps a
job's credit rows in step with its money ledger.

`settle_credits` runs inside the same transaction as every ledger change of a job, so credits and
spend can never disagree after a crash; it appends whatever brings the job's credit sums to
their target (sums, not flags: calling it twice adds nothing). With PAYMENTS=off the rules
are None and nothing here runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path

from bot.domain import credits as rules_of
from bot.domain.budget import period_starts
from bot.domain.credits import Checkout, CreditRules, JobCredits, JobMoney, Payment
from bot.domain.job_states import JobState
from bot.engine.csv_export import export_rows, utc_iso
from bot.store import credits, jobs, ledger
from bot.store.db import Database, Reader, Tx


class CreditsShort(Exception):
    """The user's balance does not cover the job's estimate; nothing was recorded."""

    def __init__(self, price: int, balance: int) -> None:
        super().__init__(f"{price - balance} Stars missing")
        self.price = price
        self.balance = balance

    @property
    def missing(self) -> int:
        return self.price - self.balance


async def require_credits(tx: Reader, rules: CreditRules | None, user_id: int,
                          estimate: int) -> None:
    """Raise CreditsShort when the user cannot pay for a job of this estimate."""
    if rules is None:
        return
    balance = await credits.balance(tx, user_id)
    if rules_of.shortfall(estimate, balance, rules):
        raise CreditsShort(rules.stars(estimate), balance)


async def settle_credits(tx: Tx, rules: CreditRules | None, job_id: int) -> JobCredits | None:
    """Append the rows that bring the job's credits to what its ledger and state call for;
    return its sums after that (None with payments off)."""
    if rules is None:
        return None
    job = await jobs.get(tx, job_id)
    assert job is not None, "settle runs in the transaction that changed the job"
    charged, refunded = await ledger.charged_and_refunded(tx, job_id)
    money = JobMoney(
        open=job.state.is_open, cancelled=job.state is JobState.CANCELLED, error=job.error,
        held=await ledger.held_for_job(tx, job_id), charged=charged, refunded=refunded,
    )
    now = await credits.of_job(tx, job_id)
    wanted = rules_of.target(money, now, await credits.balance(tx, job.user_id), rules)
    for row in rules_of.rows_to(now, wanted):
        await credits.append(tx, user_id=job.user_id, kind=row.kind, stars=row.stars,
                             job_id=job_id, note=job.state.value)
    return wanted


class Purchase(str, Enum):
    """What a successful payment did."""

    CREDITED = "credited"
    ALREADY = "already"  # the same charge id was credited before (a repeated update)


@dataclass(frozen=True)
class RefundDone:
    """A payment refunded by Telegram, and the credits that went with it."""

    payment: Payment
    removed: int  # credits taken from the balance: at most what was unspent
    before: bool = False  # it had been recorded as refunded already: nothing changed now

    @property
    def partial(self) -> bool:
        return self.removed < self.payment.stars


@dataclass(frozen=True)
class CreditReport:
    """For /stats: this month's credit movements, and what users hold now (Stars)."""

    month: dict[str, int]  # by kind of row: purchase, purchase_refund, charge, refund, ...
    outstanding: int  # all users' balances together: Stars paid for and not yet used
    largest: list[tuple[str, int]]  # user name, balance


EXPORT_COLUMNS = ("id", "created_at_utc", "user_id", "kind", "stars", "job_id",
                  "telegram_payment_charge_id", "note")


class Credits:
    """The use cases the Telegram edge calls for payments."""

    def __init__(self, db: Database, rules: CreditRules | None) -> None:
        self._db = db
        self.rules = rules

    async def balance(self, user_id: int) -> int:
        return await credits.balance(self._db, user_id)

    async def credit(self, user_id: int, chat_id: int | None, charge_id: str,
                     paid: Checkout) -> Purchase:
        """A successful payment: credited exactly once per Telegram charge id. What was paid is
        credited even if the pack was withdrawn meanwhile (Telegram took the Stars)."""
        pack = rules_of.pack_of(paid) or paid.total
        async with self._db.transaction() as tx:
            new = await credits.add_payment(
                tx, charge_id=charge_id, user_id=user_id, chat_id=chat_id, stars=paid.total,
                pack=pack, payload=paid.payload,
            )
        return Purchase.CREDITED if new else Purchase.ALREADY

    async def payment(self, charge_id: str) -> Payment | None:
        return await credits.payment(self._db, charge_id)

    async def recent_payments(self, user_id: int) -> list[Payment]:
        return await credits.payments_of(self._db, user_id)

    async def refunded(self, charge_id: str) -> RefundDone | None:
        """Telegram refunded the payment: remove its unspent credits (never below zero), once.
        None when the payment is unknown."""
        async with self._db.transaction() as tx:
            pay = await credits.payment(tx, charge_id)
            if pay is None:
                return None
            if pay.refunded is not None:
                return RefundDone(pay, pay.refunded, before=True)
            removed = min(pay.stars, max(await credits.balance(tx, pay.user_id), 0))
            await credits.add_purchase_refund(tx, pay, removed)
        again = await credits.payment(self._db, charge_id)
        assert again is not None
        return RefundDone(again, removed)

    async def report(self, now: datetime | None = None) -> CreditReport:
        _, month = period_starts(now or datetime.now(UTC))
        outstanding, largest = await credits.balances(self._db)
        return CreditReport(await credits.totals_since(self._db, month.timestamp()),
                            outstanding, largest)

    async def export_csv(self, dest: Path) -> int:
        """Every credit row (purchases, refunds, holds, charges) as CSV; returns the count."""
        return await export_rows(
            dest, EXPORT_COLUMNS, lambda last_id: credits.rows_after(self._db, last_id),
            lambda r: (r.id, utc_iso(r.created_at), r.user_id, r.kind, r.stars, r.job_id or "",
                       r.charge_id or "", r.note or ""),
        )
