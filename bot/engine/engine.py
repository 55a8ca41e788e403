"""The engine's front door: submit, callbacks, cancel, and start-up recovery of open jobs."""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Coroutine

from bot.domain.jobs import JobState
from bot.engine.delivery import FailureKind
from bot.engine.deps import Deps
from bot.engine.finish import Finisher
from bot.engine.submit import JobRequest, Submitter, token_hash
from bot.engine.tracker import Tracker
from bot.store import jobs
from bot.store.jobs import Job

log = logging.getLogger(__name__)


class Engine:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.finisher = Finisher(deps)
        self.tracker = Tracker(deps, self.finisher)
        self.submitter = Submitter(deps, self.tracker.track, deps.delivery.job_failed)
        self._background: set[asyncio.Task[object]] = set()

    async def submit(self, request: JobRequest) -> Job:
        return await self.submitter.submit(request)

    async def on_callback(self, job_id: int, token: str) -> bool:
        """A provider callback arrived. True if it is genuine; the job is then re-queried."""
        job = await jobs.get(self.deps.db, job_id)
        if job is None or not job.callback_token_hash:
            return False
        if not hmac.compare_digest(job.callback_token_hash, token_hash(token)):
            return False
        if job.state in (JobState.SUBMITTED, JobState.RUNNING, JobState.SUCCEEDED):
            self.tracker.notify(job_id)
        return True

    async def cancel(self, job: Job) -> bool:
        """Stop waiting for a job. ShortAPI has no cancel: whatever it charged stays spent."""
        self.tracker.stop_tracking(job.id)
        return await self.finisher.fail(
            job, FailureKind.CANCELLED, "cancelled by the user", target=JobState.CANCELLED
        )

    async def recover(self) -> int:
        """Pick up every open job after a start. Returns how many were found."""
        open_jobs = await jobs.open_jobs(self.deps.db)
        for job in open_jobs:
            if job.state is JobState.PENDING:
                self._spawn(self.submitter.send(job.id))
            elif job.state is JobState.SUBMITTING:
                log.warning("job %s: crashed during create; marking lost, not re-sending", job.id)
                await self.submitter.mark_lost(job)
            else:
                self.tracker.track(job.id, look_now=True)
        if open_jobs:
            log.info("recovered %d open job(s)", len(open_jobs))
        return len(open_jobs)

    async def aclose(self) -> None:
        await self.tracker.aclose()
        for task in list(self._background):
            task.cancel()

    def _spawn(self, coro: Coroutine[object, object, object]) -> None:
        task = asyncio.create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
