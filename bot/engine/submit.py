"""Submitting a job: reserve and record (one transaction), show the status, call create,
record what the provider charged. A create whose answer was lost is never re-sent."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from bot.domain import budget, kling, submission_rate
from bot.domain.budget import Limits, Refusal
from bot.domain.clip_rules import MIME_BY_EXTENSION
from bot.domain.job_states import JobState
from bot.domain.models import Plan
from bot.domain.money import from_micros, to_micros
from bot.domain.submission_rate import TooMany
from bot.engine.credits import require_credits, settle_credits
from bot.engine.delivery import Failure, FailureKind
from bot.engine.deps import Deps
from bot.engine.library import file_of
from bot.engine.queue import JobQueue
from bot.ops.kill_points import kill_point
from bot.providers.errors import (
    ProviderAmbiguous,
    ProviderBadResponse,
    ProviderError,
    ProviderUnavailable,
)
from bot.store import budgets, jobs, ledger, media_rows, sessions
from bot.store.db import Reader, Tx
from bot.store.jobs import Job, NewJob
from bot.store.ledger import Entry
from bot.store.media_rows import Media

log = logging.getLogger(__name__)


class TooManyJobs(Exception):
    """The user reached MAX_JOBS_PER_USER_PER_HOUR; nothing was recorded or reserved."""

    def __init__(self, too_many: TooMany) -> None:
        super().__init__(f"{too_many.limit} jobs per hour")
        self.too_many = too_many


class BudgetExceeded(Exception):
    """The job would break a budget; nothing was recorded or reserved."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.scope.value)
        self.refusal = refusal


@dataclass(frozen=True)
class JobRequest:
    chat_id: int
    thread_id: int
    user_id: int
    request_message_id: int | None
    instruction: str
    plan: Plan
    source: Media | None  # the video, when the model takes one
    photos: list[Media]  # <image1>, <image2>, ... in order


def _new_job(request: JobRequest, model: str, estimate: int) -> NewJob:
    plan = request.plan
    return NewJob(
        chat_id=request.chat_id,
        thread_id=request.thread_id,
        user_id=request.user_id,
        request_message_id=request.request_message_id,
        source_media_id=request.source.id if request.source else None,
        image_media_ids=[p.id for p in request.photos],
        intent=plan.intent.value,
        instruction=request.instruction,
        model=model,
        args=plan.args,
        callback_token_hash="",
        estimate_micros=estimate,
    )


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def release_hold(tx: Tx, job: Job, note: str) -> None:
    """Give back whatever is still reserved for the job (idempotent: a sum, not a flag)."""
    await ledger.release_held(tx, job_id=job.id, chat_id=job.chat_id, user_id=job.user_id,
                              model=job.model, note=note)


class Submitter:
    def __init__(self, deps: Deps, queue: JobQueue, on_submitted: Callable[[int], None],
                 on_failed: Callable[[Job, Failure], Awaitable[None]]) -> None:
        self._deps = deps
        self._queue = queue
        self._on_submitted = on_submitted
        self._on_failed = on_failed

    async def submit(self, request: JobRequest, limits: Limits | None = None) -> Job:
        """Record the job with its reservation, show the status, and send it. `limits`: the
        chat's budgets as just read (else read here)."""
        plan = request.plan
        assert plan.model is not None and plan.error is None, "only valid job plans are submitted"
        estimate = to_micros(plan.estimated_cost_usd or Decimal(0))
        db = self._deps.db
        # BEGIN IMMEDIATE: the budget check and the reservation are one step, so concurrent
        # requests see each other's holds and can never overspend together.
        async with db.transaction() as tx:
            await self._within_limits(tx, request, estimate, limits)
            await require_credits(tx, self._deps.credits, request.user_id, estimate)
            inserted = await jobs.insert_row(tx, _new_job(request, plan.model, estimate))
            job_id = inserted.id
            await ledger.append(
                tx, job_id=job_id, chat_id=request.chat_id, user_id=request.user_id,
                model=plan.model, kind=Entry.RESERVE, micros=estimate, note="estimate",
            )
            await settle_credits(tx, self._deps.credits, job_id)
            await sessions.set_last_job(tx, request.chat_id, request.thread_id, job_id)
        kill_point("reserved", job_id)
        job = inserted  # the row as the reserving transaction left it
        place = await self._queue.take_slot(job)
        message_id = await self._deps.delivery.job_accepted(job, plan.notes, place)
        shown_at = time.monotonic()
        if place is not None:  # queued: it starts when a slot frees
            if message_id is not None:
                async with db.transaction() as tx:
                    await jobs.set_status_message(tx, job_id, message_id)
            return await self._reload(job_id)
        try:
            # The status message is recorded with the move to `submitting` (one transaction
            # less); a crash before it leaves a pending job, re-sent at start-up as before.
            return await self.send(job_id, shown_at=shown_at, status_message_id=message_id,
                                   known=job)
        finally:
            self._queue.release(job_id)

    async def _within_limits(self, tx: Tx, request: JobRequest, estimate: int,
                             limits: Limits | None) -> None:
        """Raise TooManyJobs or BudgetExceeded when the request would break a limit."""
        too_many = await self.too_many(tx, request.user_id)
        if too_many is not None:
            raise TooManyJobs(too_many)
        refusal = await self.refusal(tx, request, estimate, limits)
        if refusal is not None:
            raise BudgetExceeded(refusal)

    async def too_many(self, db: Reader, user_id: int) -> TooMany | None:
        """Whether the user has used up this hour's job submissions."""
        limit = self._deps.jobs_per_user_per_hour
        if limit <= 0:
            return None
        now = time.time()
        recent = await jobs.created_since(db, user_id, submission_rate.window_start(now))
        return submission_rate.check(limit, recent, now)

    async def refusal(self, db: Reader, request: JobRequest, estimate: int,
                      limits: Limits | None = None) -> Refusal | None:
        """The budget this request would break, if any (no reservation is made). `limits`:
        the chat's budgets, when just read (they change only by /budget; the usage below is
        what must be read in the reserving transaction)."""
        if limits is None:
            limits = await budgets.limits_for(db, request.chat_id, self._deps.budgets)
        if limits == Limits():
            return None  # no budget anywhere: nothing to sum
        now = datetime.now(UTC)
        usage = await budgets.usage(db, request.chat_id, request.user_id, now,
                                    everyone=limits.global_monthly is not None)
        return budget.check(estimate, limits, usage, now)

    async def send(self, job_id: int, *, shown_at: float | None = None,
                   status_message_id: int | None = None, known: Job | None = None) -> Job:
        """Call create for a pending job. Safe to call at start-up for jobs left pending.
        `shown_at`: when (monotonic) its status message appeared, if just now, and
        `status_message_id` that message, recorded with the move to `submitting`. `known`:
        the job as just read (the move itself checks that it is still pending)."""
        deps = self._deps
        job = known if known is not None else await self._reload(job_id)
        if job.state is not JobState.PENDING:
            return job
        try:
            args = await self._materialize(job)
        except _Unpublishable:
            if status_message_id is not None:
                async with deps.db.transaction() as tx:
                    await jobs.set_status_message(tx, job_id, status_message_id)
            await self._fail(job, Failure(FailureKind.SETUP), "no public URL for media")
            return await self._reload(job_id)
        token = secrets.token_urlsafe(24)
        if not await self._to_submitting(job_id, token, status_message_id):
            return await self._reload(job_id)
        try:
            created = await deps.provider.create(job.model, args,
                                                 self._callback_url(job.id, token))
        except (ProviderAmbiguous, ProviderBadResponse) as exc:
            log.error("job %s: create outcome unknown (%s)", job.id, exc.detail)
            await self.mark_lost(job)
            return await self._reload(job_id)
        except ProviderError as exc:
            log.warning("job %s: create refused: %s", job.id, exc.detail)
            unavailable = isinstance(exc, ProviderUnavailable)
            kind = FailureKind.UNAVAILABLE if unavailable else FailureKind.REJECTED
            await self._fail(job, Failure(kind), exc.detail)
            return await self._reload(job_id)
        kill_point("create_answered", job.id)
        moved = await self._record_charge(job, created.job_id, to_micros(created.amount))
        kill_point("submitted", job.id)
        job = await self._reload(job_id)
        if moved:
            log.info("job %s submitted as %s, charged %s", job.id, created.job_id,
                     from_micros(job.amount_micros or 0))
            fresh = shown_at is not None and (
                time.monotonic() - shown_at < deps.timing.submitted_edit_after)
            if not fresh:
                await deps.delivery.job_submitted(job)
            self._on_submitted(job.id)
        return job

    async def _to_submitting(self, job_id: int, token: str,
                             status_message_id: int | None) -> bool:
        """pending -> submitting, with the callback token's hash and the status message, in
        one transaction. False when the job left `pending` meanwhile (cancelled): its status
        message is recorded all the same."""
        shown = {} if status_message_id is None else {"status_message_id": status_message_id}
        async with self._deps.db.transaction() as tx:
            if await jobs.transition(tx, job_id, JobState.SUBMITTING,
                                     callback_token_hash=token_hash(token), **shown):
                return True
            if status_message_id is not None:
                await jobs.set_status_message(tx, job_id, status_message_id)
            return False

    async def _record_charge(self, job: Job, provider_job_id: str, amount: int) -> bool:
        """The provider took the job and charged `amount`: one transaction. False when the job
        had left `submitting` meanwhile (then the charge is still recorded)."""
        async with self._deps.db.transaction() as tx:
            moved = await jobs.transition(
                tx, job.id, JobState.SUBMITTED,
                provider_job_id=provider_job_id, amount_micros=amount, submitted_at=time.time(),
            )
            if not moved:
                # Cancelled while create was in flight: ShortAPI charged all the same, and
                # the ledger must say so.
                await jobs.record_late_charge(tx, job.id, provider_job_id, amount)
            await release_hold(tx, job, "charged")
            await ledger.append(
                tx, job_id=job.id, chat_id=job.chat_id, user_id=job.user_id,
                model=job.model, kind=Entry.CHARGE, micros=amount, note=provider_job_id,
            )
            await settle_credits(tx, self._deps.credits, job.id)
        return moved

    async def mark_lost(self, job: Job) -> None:
        """The create may have gone through: count the estimate as spent and never re-send."""
        async with self._deps.db.transaction() as tx:
            if not await jobs.transition(tx, job.id, JobState.LOST,
                                         error="the provider's answer to create was lost"):
                return
            await release_hold(tx, job, "outcome unknown")
            await ledger.append(
                tx, job_id=job.id, chat_id=job.chat_id, user_id=job.user_id, model=job.model,
                kind=Entry.CHARGE, micros=job.estimate_micros,
                note="assumed: create may have been charged",
            )
            settled = await settle_credits(tx, self._deps.credits, job.id)
        self._queue.admit_soon()
        await self._on_failed(
            await self._reload(job.id),
            Failure(FailureKind.LOST, charged=from_micros(job.estimate_micros), credits=settled),
        )

    async def _fail(self, job: Job, failure: Failure, detail: str) -> None:
        async with self._deps.db.transaction() as tx:
            if not await jobs.transition(tx, job.id, JobState.FAILED,
                                         error=failure.kind.value, provider_error=detail[:500]):
                return
            await release_hold(tx, job, "not created")
            await settle_credits(tx, self._deps.credits, job.id)
        self._queue.admit_soon()
        await self._on_failed(await self._reload(job.id), failure)

    async def _materialize(self, job: Job) -> dict[str, Any]:
        """The job's args with its media as references the provider can fetch."""
        video = self._video_url(job.source_media_id) if job.source_media_id is not None else None
        images = [await self._image_ref(media_id) for media_id in job.image_media_ids]
        return kling.materialize(job.args, video, images)

    def _video_url(self, media_id: int) -> str:
        if self._deps.signer is None:
            raise _Unpublishable
        return self._deps.signer.url(media_id)

    async def _image_ref(self, media_id: int) -> str:
        if self._deps.signer is not None:
            return self._deps.signer.url(media_id)
        # No public URL: images may travel inline as Base64 (videos cannot).
        media = await media_rows.get(self._deps.db, media_id)
        if media is None:
            raise _Unpublishable
        path = file_of(self._deps.vault, media)
        data = await asyncio.to_thread(path.read_bytes)
        mime = MIME_BY_EXTENSION.get(path.suffix.lower().lstrip("."), "image/jpeg")
        return f"data:{mime};base64," + base64.b64encode(data).decode()

    def _callback_url(self, job_id: int, token: str) -> str | None:
        if not self._deps.callbacks or self._deps.public_url is None:
            return None
        return f"{self._deps.public_url}/callbacks/{job_id}/{token}"

    async def _reload(self, job_id: int) -> Job:
        job = await jobs.get(self._deps.db, job_id)
        assert job is not None
        return job


class _Unpublishable(Exception):
    """The provider would need a public URL for our media, and there is none."""
