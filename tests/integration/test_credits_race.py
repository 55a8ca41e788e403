"""Thirty requests at once from one user whose credits pay for five: five reach the provider,
the rest are refused with what is missing, and the balance never goes below zero."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

from bot.domain.credits import Checkout, CreditRules, payload
from bot.emulator.server import EmulatorServer
from bot.emulator.state import EmulatorConfig
from bot.engine.credits import CreditsShort
from bot.engine.submit import JobRequest
from bot.providers.shortapi import ShortApiClient
from bot.store import credits
from tests.integration.engine_kit import animate_plan, open_engine, stored_photo

RULES = CreditRules(stars_per_usd=Decimal(100), packs=(500,))


async def test_thirty_at_once_against_credits_for_five(tmp_path: Path) -> None:
    async with EmulatorServer(EmulatorConfig(time_scale=0.01, work_dir=tmp_path / "em")) as em:
        em.emulator.inject(stuck=True)  # jobs stay open: their charges stay where they are
        client = ShortApiClient(em.url, "key")
        engine, _, http = await open_engine(tmp_path, client, credits=RULES, signed=False)
        db = engine.deps.db
        photo = await stored_photo(engine, tmp_path)
        plan = animate_plan("0.855", mode="pro", duration=9)  # 86 Stars, rounded up
        await engine.credits.credit(1, 1, "c1", Checkout(payload(500), "XTR", 500))

        async def ask() -> str:
            try:
                await engine.submit(JobRequest(
                    chat_id=-100, thread_id=0, user_id=1, request_message_id=1,
                    instruction="wave", plan=plan, source=None, photos=[photo]))
            except CreditsShort as exc:
                assert exc.missing > 0 and exc.price == 86
                return "refused"
            return "submitted"

        outcomes = await asyncio.gather(*(ask() for _ in range(30)))
        assert outcomes.count("submitted") == 5  # 5 x 86 = 430 of 500
        assert len(em.emulator.jobs) == 5
        left = await credits.balance(db, 1)
        charged = sum(RULES.stars(int(j.amount * 1_000_000)) for j in em.emulator.jobs.values())
        assert left == 500 - charged >= 0
        await engine.aclose()
        await client.aclose()
        await http.aclose()
        await db.close()
