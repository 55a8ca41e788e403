"""The engine as the edges see it: orders in (`orders`), callbacks, cancel, and start-up
recovery of open jobs."""

from __future__ import annotations

import hmac
import logging
from enum import Enum

from bot.domain.job_states import JobState
from bot.engine.chat_settings import ChatSettings
from bot.engine.credits import Credits
from bot.engine.delivery import FailureKind
from bot.engine.deps import Deps
from bot.engine.finish import Finisher
from bot.engine.fitter import Fitter
from bot.engine.free_edits import FreeEdits
from bot.engine.kling_inputs import KlingInputs
from bot.engine.library import Library
from bot.engine.orders import Orders
from bot.engine.queue import JobQueue
from bot.engine.spending import Spending
from bot.engine.submit import JobRequest, Submitter, token_hash
from bot.engine.tasks import Tasks
from bot.engine.tracker import Tracker
from bot.engine.versions import Versions
from bot.store import jobs
from bot.store.jobs import Job

log = logging.getLogger(__name__)


class Stop(str, Enum):
    """What a Cancel press did."""

    STOPPED = "stopped"
    NOT_ALLOWED = "not_allowed"  # not the asker, and not a chat admin
    ALREADY_FINISHED = "already_finished"  # delivered, failed, cancelled, or not this chat's


class Engine:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self._tasks = Tasks()
        self.queue = JobQueue(deps, self._tasks, deps.run_limits)
        self.finisher = Finisher(deps, self.queue, self._tasks)
        self.tracker = Tracker(deps, self.finisher)
        self.submitter = Submitter(
            deps, self.queue, self.tracker.track, deps.delivery.job_failed
        )
        self.queue.bind(self.submitter.send)
        # The use cases the edges call, each bound to what it needs.
        self.chat_settings = ChatSettings(deps.db)
        self.versions = Versions(deps.db, self.chat_settings.defaults)
        self.library = Library(deps.db, deps.vault)
        self.orders = Orders(deps, self.submitter, self.versions,
                             KlingInputs(deps, self.library))
        self.fitter = Fitter(deps, self.library, self.orders, self.versions)
        self.free_edits = FreeEdits(self.library, deps.vault, deps.ffmpeg)
        self.spending = Spending(deps.db, deps.budgets, deps.confirm_above)
        self.credits = Credits(deps.db, deps.credits)

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

    async def stop_job(self, job_id: int, chat_id: int, user_id: int, *,
                       may_stop_any: bool) -> Stop:
        """A Cancel press on a job's status message: only its asker, or a chat admin."""
        job = await self.versions.job_of_chat(job_id, chat_id)
        if job is None or not job.state.is_open or job.state is JobState.SUCCEEDED:
            return Stop.ALREADY_FINISHED
        if job.user_id != user_id and not may_stop_any:
            return Stop.NOT_ALLOWED
        return Stop.STOPPED if await self.cancel(job) else Stop.ALREADY_FINISHED

    async def stop_words(self, chat_id: int, thread_id: int, user_id: int, *,
                         may_stop_any: bool) -> int:
        """"stop" said in a chat: the speaker's own open jobs (a chat admin's: everyone's).
        Returns how many were stopped."""
        running = await self.versions.running_jobs(chat_id, thread_id)
        stopped = 0
        for job in running:
            if (job.user_id == user_id or may_stop_any) and await self.cancel(job):
                stopped += 1
        return stopped

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
                continue  # the queue sends them, oldest first, within the limits
            if job.state is JobState.SUBMITTING:
                log.warning("job %s: crashed during create; marking lost, not re-sending", job.id)
                await self.submitter.mark_lost(job)
            elif self.deps.provider_forgets and job.result_media_id is None:
                # Demo mode: the emulator restarted empty, so the job is gone and cost nothing.
                await self.finisher.fail(job, FailureKind.FORGOTTEN, "emulator restarted",
                                         refunded=True)
            else:
                self.tracker.track(job.id, look_now=True)
        await self.queue.admit()
        if open_jobs:
            log.info("recovered %d open job(s)", len(open_jobs))
        return len(open_jobs)

    async def aclose(self) -> None:
        await self.tracker.aclose()
        await self._tasks.aclose()
