"""Following submitted jobs to the end: polls with a growing interval, woken early by a
provider callback. Whichever reports first wins; the finisher makes delivery happen once.

A waiting job costs nothing: it is one timer on the event loop's own timer heap (no task, no
wake-up of its own) until its next look is due. A look is a short task: query the provider,
act on the answer, read the job back and set the next timer. When callbacks work, polls are
only a safety net, so timer-driven looks are also paced to `Timing.safety_polls_per_second`
overall: with thousands of open jobs, each is simply looked at less often. A callback, a
restart and a job's timeout are looked at at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Coroutine
from typing import Any

from bot.domain.job_states import JobState
from bot.engine.delivery import FailureKind
from bot.engine.deps import Deps
from bot.engine.finish import Finisher
from bot.ops.kill_points import kill_point
from bot.providers.base import RemoteStatus
from bot.providers.errors import ProviderError
from bot.store import jobs

log = logging.getLogger(__name__)

LOOKS_AT_ONCE = 8  # provider queries in flight together: a burst never floods the loop
_FOLLOWED = (JobState.SUBMITTED, JobState.RUNNING, JobState.SUCCEEDED)


class Tracker:
    def __init__(self, deps: Deps, finisher: Finisher) -> None:
        self._deps = deps
        self._finisher = finisher
        timing = deps.timing
        self._ceiling = (timing.max_poll_with_callback if deps.callbacks
                         else timing.max_poll_without_callback)
        self._pace = 1 / timing.safety_polls_per_second if (
            deps.callbacks and timing.safety_polls_per_second > 0) else 0.0
        self._delay: dict[int, float] = {}  # every tracked job: the wait after its next look
        self._timers: dict[int, asyncio.TimerHandle] = {}  # job -> its next look
        self._tasks: dict[int, asyncio.Task[None]] = {}  # job -> its look (or first read) now
        self._again: set[int] = set()  # a callback came while the job was being looked at
        self._ready: deque[int] = deque()  # safety polls that are due, in order
        self._queued: set[int] = set()
        self._ready_event = asyncio.Event()
        self._pacer: asyncio.Task[None] | None = None
        self._slots = asyncio.Semaphore(LOOKS_AT_ONCE)

    @property
    def tracked(self) -> int:
        return len(self._delay)

    def track(self, job_id: int, *, look_now: bool = False) -> None:
        if job_id in self._delay:
            return
        timing = self._deps.timing
        self._delay[job_id] = timing.first_poll
        if look_now:
            self._start(job_id, self._look(job_id))
            return
        # Just submitted: its time is not up before the first look, so no need to read it.
        first = min(timing.first_poll, timing.job_timeout)
        self._set_timer(job_id, first, paced=first < timing.job_timeout)

    def notify(self, job_id: int) -> None:
        """A callback said something happened: look now (re-query, never trust the callback)."""
        if job_id not in self._delay:
            self.track(job_id, look_now=True)
        elif job_id in self._tasks:
            self._again.add(job_id)  # look once more when the current look ends
        else:
            self._look_now(job_id)

    def stop_tracking(self, job_id: int) -> None:
        task = self._tasks.get(job_id)
        if task is asyncio.current_task():
            return  # the look itself ends the tracking when it returns
        self._forget(job_id)
        if task is not None:
            task.cancel()

    async def aclose(self) -> None:
        tasks = list(self._tasks.values())
        if self._pacer is not None:
            tasks.append(self._pacer)
        for job_id in list(self._delay):
            self._forget(job_id)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # ---- scheduling -----------------------------------------------------------------------
    def _forget(self, job_id: int) -> None:
        self._delay.pop(job_id, None)
        timer = self._timers.pop(job_id, None)
        if timer is not None:
            timer.cancel()
        self._tasks.pop(job_id, None)
        self._again.discard(job_id)
        self._queued.discard(job_id)  # its entry in _ready is skipped

    def _start(self, job_id: int, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coro, name=f"track-job-{job_id}")
        self._tasks[job_id] = task
        task.add_done_callback(lambda t: self._ended(job_id, t))

    def _ended(self, job_id: int, task: asyncio.Task[None]) -> None:
        if self._tasks.get(job_id) is task:
            del self._tasks[job_id]
        if not task.cancelled() and job_id in self._delay and job_id not in self._timers \
                and job_id not in self._tasks and job_id not in self._queued:
            self._forget(job_id)  # the look ended without setting a next one: done

    def _look_now(self, job_id: int) -> None:
        timer = self._timers.pop(job_id, None)
        if timer is not None:
            timer.cancel()
        self._queued.discard(job_id)
        self._start(job_id, self._look(job_id))

    def _set_timer(self, job_id: int, wait: float, *, paced: bool) -> None:
        if job_id in self._again:
            self._again.discard(job_id)
            wait, paced = 0.0, False
        loop = asyncio.get_running_loop()
        self._timers[job_id] = loop.call_later(max(wait, 0.0), self._due, job_id, paced)

    def _due(self, job_id: int, paced: bool) -> None:
        self._timers.pop(job_id, None)
        if job_id not in self._delay:
            return
        if not paced or not self._pace:
            self._start(job_id, self._look(job_id))
            return
        self._queued.add(job_id)
        self._ready.append(job_id)
        self._ready_event.set()
        if self._pacer is None or self._pacer.done():
            self._pacer = asyncio.create_task(self._pace_safety_polls(), name="tracker-pacer")

    async def _pace_safety_polls(self) -> None:
        """Start due safety polls one every `_pace` seconds, oldest first."""
        while True:
            while not self._ready:
                self._ready_event.clear()
                await self._ready_event.wait()
            job_id = self._ready.popleft()
            if job_id not in self._queued:
                continue  # stopped, or looked at meanwhile
            self._queued.discard(job_id)
            self._start(job_id, self._look(job_id))
            await asyncio.sleep(self._pace)

    # ---- looking --------------------------------------------------------------------------
    async def _look(self, job_id: int) -> None:
        try:
            await self._look_guarded(job_id)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("job %s: tracking stopped by an unexpected error", job_id)

    async def _look_guarded(self, job_id: int) -> None:
        job = await jobs.get(self._deps.db, job_id)
        if job is None or job.state not in _FOLLOWED or job.provider_job_id is None:
            return
        if await self._query(job):
            await self._plan_next(job_id)

    async def _query(self, job: jobs.Job) -> bool:
        """Ask the provider once and act on the answer. False when the job is settled."""
        deps, timing = self._deps, self._deps.timing
        assert job.provider_job_id is not None
        grown = min(self._delay.get(job.id, timing.first_poll) * timing.poll_growth,
                    self._ceiling)
        try:
            async with self._slots:
                remote = await deps.provider.query(job.provider_job_id)
        except ProviderError as exc:
            log.warning("job %s: query failed: %s", job.id, exc.detail)
            self._delay[job.id] = grown
            return True
        await jobs.count_poll(deps.db, job.id)
        if remote.status is RemoteStatus.SUCCEEDED:
            await self._finisher.succeeded(job.id, remote.result_url)
            return False
        if remote.status is RemoteStatus.FAILED:
            await self._finisher.failed_remotely(job.id, remote)
            return False
        if remote.status is RemoteStatus.RUNNING:
            if job.state is JobState.SUBMITTED:
                async with deps.db.transaction() as tx:
                    await jobs.transition(tx, job.id, JobState.RUNNING)
                kill_point("running", job.id)
            started = job.submitted_at or job.created_at
            await deps.delivery.job_running(job, time.time() - started)
        self._delay[job.id] = grown
        return True

    async def _plan_next(self, job_id: int) -> None:
        """Read the job back; fail it if its time is up, else set the timer of its next look
        (at the latest when its time is up: that look is not paced)."""
        job = await jobs.get(self._deps.db, job_id)
        if job is None or job.state not in _FOLLOWED or job_id not in self._delay:
            return
        started = job.submitted_at or job.created_at
        remaining = started + self._deps.timing.job_timeout - time.time()
        delay = self._delay[job_id]
        if job.state is JobState.SUCCEEDED:
            remaining = max(remaining, delay)  # Kling finished: only delivery is left
        if remaining <= 0:
            await self._finisher.fail(job, FailureKind.TIMED_OUT, "timed out waiting")
            return
        if job.provider_job_id is None:
            return
        self._set_timer(job_id, min(delay, remaining), paced=delay < remaining)
