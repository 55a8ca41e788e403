"""The queue in front of the provider: a recorded job (`pending`, its budget reserved) goes to
the provider when its chat and its asker are under their running-jobs limits, oldest first.

The queue is the `pending` rows in SQLite, so it survives a restart; the decisions are
`domain.queue.admit`. In memory there is only what a restart may forget: the slots taken by
jobs whose create is about to be sent, and the place each queued job was last shown.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable

from bot.domain.queue import Admission, RunLimits, Waiting, admit
from bot.engine.deps import Deps
from bot.engine.tasks import Tasks
from bot.store import jobs
from bot.store.jobs import Job

log = logging.getLogger(__name__)


class JobQueue:
    def __init__(self, deps: Deps, tasks: Tasks, limits: RunLimits) -> None:
        self._deps = deps
        self._tasks = tasks
        self._limits = limits
        self._lock = asyncio.Lock()
        self._starting: set[int] = set()  # slot taken; the job is still `pending`
        self._shown: dict[int, int] = {}  # job id -> the place its status message shows
        self._start: Callable[[int], Awaitable[object]] | None = None
        self._admitting = False

    def bind(self, start: Callable[[int], Awaitable[object]]) -> None:
        """What starts a job that leaves the queue (the submitter's `send`)."""
        self._start = start

    async def take_slot(self, job: Job) -> int | None:
        """None: the job may go to the provider now (its slot is held until `release`).
        Otherwise its place in the queue; it starts by itself when a slot frees."""
        async with self._lock:
            admission = await self._admission(new=job)
            self._spawn_starts(admission, keep=job.id)
            if job.id in admission.start:
                return None
            place = admission.places.get(job.id, 1)
            self._shown[job.id] = place
            return place

    def release(self, job_id: int) -> None:
        """The job's create was sent (or it ended): its slot is now counted from SQLite."""
        self._starting.discard(job_id)

    def admit_soon(self) -> None:
        """A slot may have freed: start what fits, in the background."""
        if not self._admitting:
            self._admitting = True
            self._tasks.spawn(self.admit(), name="queue-admit")

    async def admit(self) -> None:
        """Start every queued job that fits now; tell the others their new place."""
        self._admitting = False
        async with self._lock:
            admission = await self._admission()
            self._spawn_starts(admission)
            moved = {j: p for j, p in admission.places.items() if self._shown.get(j) != p}
            self._shown = dict(admission.places)
        for job_id, place in moved.items():
            job = await jobs.get(self._deps.db, job_id)
            if job is not None:
                await self._deps.delivery.job_queued(job, place)

    async def _admission(self, new: Job | None = None) -> Admission:
        """Who may start now. `new`: the job just recorded; when nothing else waits, only its
        chat and its asker are counted (two index lookups, not every open job)."""
        db = self._deps.db
        counted: tuple[int, int] | None = None
        if new is not None:  # the queue and the new job's two counts, in one query
            rows, counted = await jobs.waiting_and_at_provider_for(db, new.chat_id, new.user_id)
            pending = {r[0]: Waiting(*r) for r in rows}
        else:
            pending = {j.id: Waiting(j.id, j.chat_id, j.user_id) for j in await jobs.waiting(db)}
        queued = [j for j in pending if j not in self._starting and (new is None or j != new.id)]
        if not queued and new is None:
            self._starting &= pending.keys()  # the others left `pending`: SQLite counts them
            return Admission([], {})
        chats: Counter[int] = Counter()
        users: Counter[int] = Counter()
        if not queued and new is not None:
            assert counted is not None
            chats[new.chat_id], users[new.user_id] = counted
        else:
            by_chat, by_user = await jobs.at_provider_counts(db)
            chats.update(by_chat)
            users.update(by_user)
        for job_id in list(self._starting):
            held = pending.pop(job_id, None)
            if held is None:  # no longer pending: SQLite counts it (or it ended)
                self._starting.discard(job_id)
                continue
            chats[held.chat_id] += 1
            users[held.user_id] += 1
        return admit(list(pending.values()), chats, users, self._limits)

    def _spawn_starts(self, admission: Admission, keep: int | None = None) -> None:
        """Hold a slot for every job that may start; start all but `keep` (its caller runs
        it inline)."""
        for job_id in admission.start:
            self._starting.add(job_id)
            self._shown.pop(job_id, None)
            if job_id != keep:
                self._tasks.spawn(self._run(job_id), name=f"send-job-{job_id}")

    async def _run(self, job_id: int) -> None:
        assert self._start is not None, "bind() the queue before starting jobs"
        try:
            await self._start(job_id)
        finally:
            self.release(job_id)
