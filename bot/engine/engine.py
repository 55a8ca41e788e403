"""The engine as the edges see it: orders in (`orders`), callbacks, cancel, and start-up
recovery of open jobs."""

from __future__ import annotations

import hmac
import logging

from bot.domain.job_states import JobState
from bot.engine.chat_settings import ChatSettings
from bot.engine.delivery import FailureKind
from bot.engine.deps import Deps
from bot.engine.finish import Finisher
from bot.engine.library import Library
from bot.engine.orders import Orders
from bot.engine.spending import Spending
from bot.engine.submit import JobRequest, Submitter, token_hash
from bot.engine.tasks import Tasks
from bot.engine.tracker import Tracker
from bot.engine.versions import Versions
from bot.store import jobs
from bot.store.jobs import Job

log = logging.getLogger(__name__)


class Engine:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.finisher = Finisher(deps)
        self.tracker = Tracker(deps, self.finisher)
        self.submitter = Submitter(deps, self.tracker.track, deps.delivery.job_failed)
        self._tasks = Tasks()
        # The use cases the edges call, each bound to what it needs.
        self.versions = Versions(deps.db)
        self.orders = Orders(deps, self.submitter, self.versions)
        self.library = Library(deps.db, deps.vault)
        self.spending = Spending(deps.db, deps.budgets, deps.confirm_above)
        self.chat_settings = ChatSettings(deps.db)

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
                self._tasks.spawn(self.submitter.send(job.id), name=f"send-job-{job.id}")
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
        await self._tasks.aclose()
