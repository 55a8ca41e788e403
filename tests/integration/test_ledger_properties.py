"""Random sequences of submits, provider outcomes, failures, refunds, cancels and crashes:
the ledger always matches what the provider charged, and nothing stays reserved.

The provider here is a scripted stand-in for ShortAPI's billing (what it charges, whether it
answers, refunds), because hypothesis needs hundreds of outcomes per second; the HTTP client
and the emulator are tested elsewhere. The database, engine and recovery are the real ones.
"""

from __future__ import annotations

import asyncio
import itertools
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.job_states import JobState
from bot.engine.engine import Engine
from bot.engine.submit import BudgetExceeded
from bot.providers.base import Created, Remote, RemoteStatus
from bot.providers.errors import ProviderAmbiguous, ProviderRejected, ProviderUnavailable
from bot.store import jobs, ledger
from tests.integration.engine_kit import open_engine, photo_request


class Crash(BaseException):
    """The process dies here: nothing after this line runs."""


@dataclass
class ScriptedShortApi:
    outcomes: list[tuple[str, int]] = field(default_factory=list)
    charged: dict[str, int] = field(default_factory=dict)  # provider job id -> micros
    refunded: dict[str, int] = field(default_factory=dict)
    status: dict[str, Remote] = field(default_factory=dict)
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    # Runs while a create is in flight (the user says "stop" before the answer arrives).
    during_create: Callable[[], Awaitable[None]] | None = None

    async def create(self, model: str, args: dict[str, Any], callback_url: str | None) -> Created:
        outcome, amount = self.outcomes.pop(0)
        job_id = f"p{next(self.ids)}"
        if outcome == "rejected":
            raise ProviderRejected("invalid args")
        if outcome == "unavailable":
            raise ProviderUnavailable("HTTP 503")
        if outcome == "lost_answer_not_created":
            raise ProviderAmbiguous("read timeout")
        self.charged[job_id] = amount
        self.status[job_id] = Remote(RemoteStatus.RUNNING)
        if outcome == "lost_answer_created":
            raise ProviderAmbiguous("read timeout")
        if outcome == "crash":
            raise Crash
        if outcome == "cancelled_in_flight" and self.during_create is not None:
            await self.during_create()
        return Created(job_id=job_id, amount=Decimal(amount) / 1_000_000)

    async def query(self, job_id: str) -> Remote:
        return self.status[job_id]

    async def aclose(self) -> None:
        return None


submit_op = st.tuples(
    st.just("submit"),
    st.integers(10_000, 2_000_000),  # estimate, micro-dollars
    st.integers(0, 2_500_000),  # what the provider charges
    st.sampled_from(["ok", "ok", "ok", "rejected", "unavailable", "lost_answer_created",
                     "lost_answer_not_created", "crash", "cancelled_in_flight"]),
)
end_op = st.tuples(st.sampled_from(["fail", "fail_refunded", "cancel"]), st.integers(0, 20))
restart_op = st.tuples(st.just("restart"))
ops = st.lists(st.one_of(submit_op, submit_op, end_op, restart_op), max_size=14)


async def _settle(engine: Engine, job_id: int) -> None:
    for _ in range(200):
        job = await jobs.get(engine.deps.db, job_id)
        assert job is not None
        if job.state.is_final:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"job {job_id} stuck in {job.state}")


async def _check(engine: Engine, provider: ScriptedShortApi) -> None:
    db = engine.deps.db
    rows = await db.fetchall("SELECT * FROM jobs")
    for row in rows:
        spent, held = await ledger.totals(db, job_id=row["id"])
        state = JobState(row["state"])
        assert state not in (JobState.PENDING, JobState.SUBMITTING), "nothing left mid-create"
        assert held == 0, f"job {row['id']} ({state}) still holds {held}"
        if state is JobState.LOST:
            assert spent == row["estimate_micros"]  # counted as spent: may have been charged
        elif row["provider_job_id"]:
            pid = row["provider_job_id"]
            assert spent == provider.charged[pid] - provider.refunded.get(pid, 0)
        else:
            assert spent == 0  # never created: nothing charged


async def _scenario(steps: list[tuple[Any, ...]], folder: Path) -> None:
    provider = ScriptedShortApi()
    engine, _, http = await open_engine(folder, provider)

    async def cancel_in_flight() -> None:
        for row in await engine.deps.db.fetchall("SELECT id FROM jobs WHERE state = 'submitting'"):
            job = await jobs.get(engine.deps.db, row["id"])
            assert job is not None
            await engine.cancel(job)

    provider.during_create = cancel_in_flight
    try:
        for step in steps:
            if step[0] == "submit":
                _, estimate, amount, outcome = step
                provider.outcomes.append((outcome, amount))
                request = photo_request(str(Decimal(estimate) / 1_000_000))
                try:
                    await engine.submit(request)
                except Crash:
                    step = ("restart",)
                except BudgetExceeded:  # no budgets here
                    raise AssertionError("unexpected budget refusal") from None
            if step[0] in ("fail", "fail_refunded", "cancel"):
                open_rows = await engine.deps.db.fetchall(
                    "SELECT id, provider_job_id FROM jobs WHERE state IN ('submitted', 'running')")
                if not open_rows:
                    continue
                row = open_rows[step[1] % len(open_rows)]
                if step[0] == "cancel":
                    job = await jobs.get(engine.deps.db, row["id"])
                    assert job is not None
                    await engine.cancel(job)
                else:
                    refunded = step[0] == "fail_refunded"
                    pid = row["provider_job_id"]
                    if refunded:
                        provider.refunded[pid] = provider.charged[pid]
                    provider.status[pid] = Remote(RemoteStatus.FAILED, error="boom",
                                                  refunded=refunded)
                    engine.tracker.notify(row["id"])
                    await _settle(engine, row["id"])
            if step[0] == "restart":
                await engine.aclose()
                await engine.deps.db.close()
                await http.aclose()
                engine, _, http = await open_engine(folder, provider)
                await engine.recover()
            await _check(engine, provider)
    finally:
        await engine.aclose()
        await engine.deps.db.close()
        await http.aclose()


@settings(max_examples=40, deadline=None)
@given(ops)
def test_ledger_matches_the_provider_through_crashes(steps: list[tuple[Any, ...]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_scenario(steps, Path(folder)))
