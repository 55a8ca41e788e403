"""The "submitted" edit of a job's status message: left out when the create answers right
after the status message appeared (the message already says the job is on its way), sent
when the create came later (here: the window is zero, as if the create had been slow)."""

from __future__ import annotations

from pathlib import Path

from bot.domain.job_states import JobState
from bot.emulator.server import EmulatorServer
from bot.emulator.state import EmulatorConfig
from bot.engine.deps import Timing
from bot.engine.submit import JobRequest
from bot.providers.shortapi import ShortApiClient
from tests.integration.engine_kit import animate_plan, open_engine, stored_photo


async def _submit_one(tmp_path: Path, window: float) -> tuple[list[int], JobState]:
    async with EmulatorServer(EmulatorConfig(time_scale=0.01, work_dir=tmp_path / "em")) as em:
        em.emulator.inject(stuck=True)  # the job stays open: only its start is looked at
        client = ShortApiClient(em.url, "key")
        timing = Timing(first_poll=60, job_timeout=600, submitted_edit_after=window)
        engine, delivery, http = await open_engine(tmp_path, client, timing=timing,
                                                   signed=False)
        try:
            photo = await stored_photo(engine, tmp_path)
            plan = animate_plan("0.5")
            job = await engine.submit(JobRequest(
                chat_id=-100, thread_id=0, user_id=1, request_message_id=1,
                instruction="wave", plan=plan, source=None, photos=[photo]))
            return delivery.submitted, job.state
        finally:
            await engine.aclose()
            await client.aclose()
            await http.aclose()
            await engine.deps.db.close()


async def test_no_submitted_edit_when_the_create_answers_at_once(tmp_path: Path) -> None:
    submitted, state = await _submit_one(tmp_path, window=3600.0)
    assert state is JobState.SUBMITTED
    assert submitted == []


async def test_submitted_edit_when_the_create_came_later(tmp_path: Path) -> None:
    submitted, state = await _submit_one(tmp_path, window=0.0)
    assert state is JobState.SUBMITTED
    assert len(submitted) == 1
