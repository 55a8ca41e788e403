"""Random sequences of purchases (some delivered twice), refunds of purchases, jobs, provider
failures and refunds, cancels and crashes with PAYMENTS=stars: no balance is ever negative,
and every user's credits equal purchases - refunds of purchases - charges + job refunds
- holds, each figured here from the money ledger and a model of the payments, not read back
from the credits table.

The provider is the scripted ShortAPI of `test_ledger_properties`; it charges at most the
estimate, as ShortAPI does for the prices we estimate (a charge above the estimate is capped
at the balance, covered in tests/unit/test_credits.py). Database, engine, recovery are real.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.credits import (
    UNDELIVERABLE,
    Checkout,
    CreditRules,
    RefundPolicy,
    payload,
)
from bot.domain.job_states import JobState
from bot.engine.credits import CreditsShort, Purchase
from bot.engine.engine import Engine
from bot.providers.base import Remote, RemoteStatus
from bot.store import credits, jobs, ledger
from tests.integration.engine_kit import open_engine, photo_request
from tests.integration.test_ledger_properties import Crash, ScriptedShortApi

PACKS = (50, 100, 300)
USERS = (1, 2)

buy_op = st.tuples(st.just("buy"), st.sampled_from(USERS), st.sampled_from(PACKS),
                   st.integers(0, 5))  # a small id range: the same payment arrives again
refund_op = st.tuples(st.just("refund_purchase"), st.integers(0, 5))
submit_op = st.tuples(
    st.just("submit"), st.sampled_from(USERS),
    st.integers(10_000, 1_500_000),  # estimate, micro-dollars
    st.floats(0, 1),  # what the provider charges, as a share of the estimate
    st.sampled_from(["ok", "ok", "ok", "rejected", "unavailable", "lost_answer_created",
                     "lost_answer_not_created", "crash", "cancelled_in_flight"]),
)
end_op = st.tuples(st.sampled_from(["fail", "fail_refunded", "cancel"]), st.integers(0, 20))
restart_op = st.tuples(st.just("restart"))
ops = st.lists(st.one_of(buy_op, buy_op, refund_op, submit_op, submit_op, end_op, restart_op),
               max_size=16)


class Model:
    """What the payments alone say each user should have: distinct purchases, minus what
    refunds of them removed (checked against the balance they left when they happened)."""

    def __init__(self) -> None:
        self.paid: dict[str, tuple[int, int]] = {}  # charge id -> (user, stars)
        self.removed: Counter[int] = Counter()
        self.refunded: set[str] = set()

    def purchases(self, user: int) -> int:
        return sum(stars for who, stars in self.paid.values() if who == user)


def _expected_refund(row: Any, charge: int, provider_charged: int, provider_refunded: int,
                     rules: CreditRules) -> int:
    state = JobState(row["state"])
    if provider_charged and provider_refunded >= provider_charged:
        return charge
    failed = state is JobState.LOST or (state is JobState.FAILED
                                         and row["error"] != UNDELIVERABLE)
    if failed and rules.refund_failed is RefundPolicy.ALWAYS:
        return charge
    return min(rules.stars(provider_refunded), charge)


async def _expected_balance(engine: Engine, model: Model, user: int, rules: CreditRules) -> int:
    db = engine.deps.db
    balance = model.purchases(user) - model.removed[user]
    for row in await db.fetchall("SELECT * FROM jobs WHERE user_id = ?", (user,)):
        charged, refunded = await ledger.charged_and_refunded(db, row["id"])
        held = await ledger.held_for_job(db, row["id"])
        charge = rules.stars(charged)
        balance -= charge - _expected_refund(row, charge, charged, refunded, rules)
        if JobState(row["state"]).is_open:
            balance -= rules.stars(held)
    return balance


async def _check(engine: Engine, model: Model, rules: CreditRules) -> None:
    for user in USERS:
        actual = await credits.balance(engine.deps.db, user)
        assert actual >= 0, f"user {user} has a negative balance: {actual}"
        assert actual == await _expected_balance(engine, model, user, rules)


async def _step(engine: Engine, provider: ScriptedShortApi, model: Model, rules: CreditRules,
                step: tuple[Any, ...]) -> str:
    db = engine.deps.db
    kind = step[0]
    if kind == "buy":
        _, user, pack, n = step
        charge_id = f"charge-{n}"
        first = charge_id not in model.paid
        who = model.paid[charge_id][0] if not first else user  # Telegram's ids are unique
        done = await engine.credits.credit(who, who, charge_id,
                                           Checkout(payload(pack), "XTR", pack))
        assert done is (Purchase.CREDITED if first else Purchase.ALREADY)
        model.paid.setdefault(charge_id, (who, pack))
    elif kind == "refund_purchase":
        charge_id = f"charge-{step[1]}"
        if charge_id not in model.paid:
            assert await engine.credits.refunded(charge_id) is None
            return kind
        who, stars = model.paid[charge_id]
        before = await _expected_balance(engine, model, who, rules)
        done = await engine.credits.refunded(charge_id)
        assert done is not None
        if charge_id not in model.refunded:
            assert done.removed == min(stars, before) and not done.before
            model.removed[who] += done.removed
            model.refunded.add(charge_id)
        else:
            assert done.before  # a second refund of one payment changes nothing
    elif kind == "submit":
        _, user, estimate, share, outcome = step
        provider.outcomes.append((outcome, int(estimate * share)))
        balance = await credits.balance(db, user)
        request = photo_request(str(Decimal(estimate) / 1_000_000), user_id=user)
        try:
            await engine.submit(request)
        except Crash:
            return "restart"
        except CreditsShort as short:
            provider.outcomes.pop()
            assert short.missing == rules.stars(estimate) - balance > 0
    elif kind in ("fail", "fail_refunded", "cancel"):
        open_rows = await db.fetchall(
            "SELECT id, provider_job_id FROM jobs WHERE state IN ('submitted', 'running')")
        if open_rows:
            row = open_rows[step[1] % len(open_rows)]
            job = await jobs.get(db, row["id"])
            assert job is not None
            if kind == "cancel":
                await engine.cancel(job)
            else:
                pid = row["provider_job_id"]
                if kind == "fail_refunded":
                    provider.refunded[pid] = provider.charged[pid]
                await engine.finisher.failed_remotely(job.id, Remote(
                    RemoteStatus.FAILED, error="boom", refunded=kind == "fail_refunded"))
    return kind


async def _scenario(steps: list[tuple[Any, ...]], folder: Path, rules: CreditRules) -> None:
    provider = ScriptedShortApi()
    model = Model()
    engine, _, http = await open_engine(folder, provider, credits=rules)

    async def cancel_in_flight() -> None:
        for row in await engine.deps.db.fetchall("SELECT id FROM jobs WHERE state = 'submitting'"):
            job = await jobs.get(engine.deps.db, row["id"])
            assert job is not None
            await engine.cancel(job)

    provider.during_create = cancel_in_flight
    try:
        for step in steps:
            if await _step(engine, provider, model, rules, step) == "restart":
                await engine.aclose()
                await engine.deps.db.close()
                await http.aclose()
                engine, _, http = await open_engine(folder, provider, credits=rules)
                await engine.recover()
            await _check(engine, model, rules)
    finally:
        await engine.aclose()
        await engine.deps.db.close()
        await http.aclose()


@settings(max_examples=40, deadline=None)
@given(ops, st.sampled_from(list(RefundPolicy)), st.sampled_from([Decimal(100), Decimal("37.5")]))
def test_credits_balance_through_payments_jobs_and_crashes(
    steps: list[tuple[Any, ...]], policy: RefundPolicy, rate: Decimal
) -> None:
    rules = CreditRules(stars_per_usd=rate, packs=PACKS, refund_failed=policy)
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_scenario(steps, Path(folder), rules))
