"""50 requests at once against a budget that fits 10: at most 10 reach the provider."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

from bot.domain.budget import Limits, Scope
from bot.emulator.server import EmulatorServer
from bot.emulator.state import EmulatorConfig
from bot.engine.submit import BudgetExceeded, JobRequest
from bot.providers.shortapi import ShortApiClient
from bot.store import ledger
from tests.integration.engine_kit import animate_plan, open_engine, stored_photo


async def test_fifty_at_once_against_a_budget_for_ten(tmp_path: Path) -> None:
    async with EmulatorServer(EmulatorConfig(time_scale=0.01, work_dir=tmp_path / "em")) as em:
        em.emulator.inject(stuck=True)  # jobs stay open: nothing is released meanwhile
        client = ShortApiClient(em.url, "key")
        engine, _, http = await open_engine(
            tmp_path, client, budgets=Limits(chat_daily=7_150_000), signed=False)
        db = engine.deps.db
        photo = await stored_photo(engine, tmp_path)
        plan = animate_plan("0.715", duration=10)  # a tenth of the budget, rounded up

        async def ask(user: int) -> str:
            request = JobRequest(chat_id=-100, thread_id=0, user_id=user, request_message_id=1,
                                 instruction="wave", plan=plan, source=None, photos=[photo])
            try:
                await engine.submit(request)
            except BudgetExceeded as exc:
                assert exc.refusal.scope is Scope.CHAT_DAILY
                assert exc.refusal.left < 715_000
                return "refused"
            return "submitted"

        outcomes = await asyncio.gather(*(ask(1 + i % 2) for i in range(50)))
        assert outcomes.count("submitted") <= 10
        assert outcomes.count("submitted") >= 9  # 0.71 each: at least nine fit
        assert len(em.emulator.jobs) == outcomes.count("submitted")
        spent, held = await ledger.totals(db, chat_id=-100)
        charged = sum(j.amount for j in em.emulator.jobs.values())
        assert Decimal(spent) / 1_000_000 == charged and held == 0
        assert spent <= 7_150_000
        await engine.aclose()
        await client.aclose()
        await http.aclose()
        await db.close()
