"""Waiting jobs are timers, not tasks: thirty open jobs leave no task behind each, and a
callback still makes the tracker look at its job at once."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.domain.job_states import JobState
from bot.emulator.server import EmulatorServer
from bot.emulator.state import EmulatorConfig
from bot.engine.deps import Timing
from bot.engine.submit import JobRequest
from bot.providers.shortapi import ShortApiClient
from bot.store import jobs
from tests.integration.engine_kit import animate_plan, open_engine, stored_photo


async def test_open_jobs_wait_as_timers_and_a_callback_wakes_one(tmp_path: Path) -> None:
    async with EmulatorServer(EmulatorConfig(time_scale=0.01, work_dir=tmp_path / "em")) as em:
        em.emulator.inject(stuck=True)
        client = ShortApiClient(em.url, "key")
        engine, _, http = await open_engine(
            tmp_path, client, signed=False, timing=Timing(first_poll=3600, job_timeout=7200))
        db = engine.deps.db
        try:
            photo = await stored_photo(engine, tmp_path)
            plan = animate_plan("0.1")

            def tracking_tasks() -> int:  # the emulator's own tasks are not the bot's
                return sum(t.get_name().startswith("track-job-") for t in asyncio.all_tasks())

            submitted = [await engine.submit(JobRequest(
                chat_id=-100, thread_id=0, user_id=1, request_message_id=i, instruction="wave",
                plan=plan, source=None, photos=[photo])) for i in range(30)]
            assert all(j.state is JobState.SUBMITTED for j in submitted)
            for _ in range(200):  # each job's first read back ends quickly
                if tracking_tasks() == 0:
                    break
                await asyncio.sleep(0.01)
            assert engine.tracker.tracked == 30
            assert tracking_tasks() == 0  # not one task per waiting job: timers

            first = submitted[0]
            em.emulator.jobs[first.provider_job_id or ""].status = 2  # "succeeded" at once
            polls_before = (await jobs.get(db, first.id)).polls  # type: ignore[union-attr]
            engine.tracker.notify(first.id)  # as a callback would
            for _ in range(500):
                job = await jobs.get(db, first.id)
                assert job is not None
                if job.polls > polls_before:
                    break
                await asyncio.sleep(0.01)
            assert job.polls == polls_before + 1  # looked at now, not in an hour
        finally:
            await engine.aclose()
            await client.aclose()
            await http.aclose()
            await db.close()
