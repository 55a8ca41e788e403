"""Following submitted jobs to the end: polls with a growing interval, woken early by a
provider callback. Whichever reports first wins; the finisher makes delivery happen once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from bot.domain.job_states import JobState
from bot.engine.delivery import FailureKind
from bot.engine.deps import Deps
from bot.engine.finish import Finisher
from bot.ops.kill_points import kill_point
from bot.providers.base import RemoteStatus
from bot.providers.errors import ProviderError
from bot.store import jobs

log = logging.getLogger(__name__)


class Tracker:
    def __init__(self, deps: Deps, finisher: Finisher) -> None:
        self._deps = deps
        self._finisher = finisher
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._wake: dict[int, asyncio.Event] = {}

    @property
    def tracked(self) -> int:
        return len(self._tasks)

    def track(self, job_id: int, *, look_now: bool = False) -> None:
        if job_id in self._tasks:
            return
        event = asyncio.Event()
        if look_now:
            event.set()
        self._wake[job_id] = event
        task = asyncio.create_task(self._follow(job_id), name=f"track-job-{job_id}")
        self._tasks[job_id] = task
        task.add_done_callback(lambda _t: self._forget(job_id))

    def notify(self, job_id: int) -> None:
        """A callback said something happened: look now (re-query, never trust the callback)."""
        event = self._wake.get(job_id)
        if event is None:
            self.track(job_id, look_now=True)
        else:
            event.set()

    def stop_tracking(self, job_id: int) -> None:
        task = self._tasks.get(job_id)
        if task is not None and task is not asyncio.current_task():
            task.cancel()

    async def aclose(self) -> None:
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _forget(self, job_id: int) -> None:
        self._tasks.pop(job_id, None)
        self._wake.pop(job_id, None)

    async def _follow(self, job_id: int) -> None:
        try:
            await self._follow_unguarded(job_id)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("job %s: tracking stopped by an unexpected error", job_id)

    async def _follow_unguarded(self, job_id: int) -> None:
        timing = self._deps.timing
        ceiling = (timing.max_poll_with_callback if self._deps.callbacks
                   else timing.max_poll_without_callback)
        delay = timing.first_poll
        event = self._wake[job_id]
        while True:
            job = await jobs.get(self._deps.db, job_id)
            if job is None or job.state not in (
                JobState.SUBMITTED, JobState.RUNNING, JobState.SUCCEEDED
            ):
                return
            started = job.submitted_at or job.created_at
            remaining = started + timing.job_timeout - time.time()
            if job.state is JobState.SUCCEEDED:
                remaining = max(remaining, delay)  # Kling finished: only delivery is left
            if remaining <= 0:
                await self._finisher.fail(job, FailureKind.TIMED_OUT, "timed out waiting")
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), timeout=min(delay, remaining))
            event.clear()
            if job.provider_job_id is None:
                return
            try:
                remote = await self._deps.provider.query(job.provider_job_id)
            except ProviderError as exc:
                log.warning("job %s: query failed: %s", job_id, exc.detail)
                delay = min(delay * timing.poll_growth, ceiling)
                continue
            await jobs.count_poll(self._deps.db, job_id)
            if remote.status is RemoteStatus.SUCCEEDED:
                await self._finisher.succeeded(job_id, remote.result_url)
                return
            if remote.status is RemoteStatus.FAILED:
                await self._finisher.failed_remotely(job_id, remote)
                return
            if remote.status is RemoteStatus.RUNNING:
                if job.state is JobState.SUBMITTED:
                    async with self._deps.db.transaction() as tx:
                        await jobs.transition(tx, job_id, JobState.RUNNING)
                    kill_point("running", job_id)
                await self._deps.delivery.job_running(job, time.time() - started)
            delay = min(delay * timing.poll_growth, ceiling)
