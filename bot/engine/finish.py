"""Ending a job: fetch the result, record the new version, deliver it once; or fail it,
refunding only what the provider refunded.

Delivery puts the clip into the job's status message (its media replaced in place), so a
delivery repeated after a crash, or after an answer that timed out, still leaves one clip in
the chat; only the short "done" reply after it can come twice (README, "Delivery: exactly
once, and the duplicate window")."""

from __future__ import annotations

import asyncio
import logging
import re
from collections import defaultdict
from dataclasses import replace

from bot.domain.job_states import JobState
from bot.domain.models import IMAGE_TO_VIDEO
from bot.domain.money import from_micros
from bot.engine.credits import settle_credits
from bot.engine.delivery import Failure, FailureKind, StatusGone, Undeliverable
from bot.engine.deps import Deps
from bot.engine.library import Origin, add, file_of
from bot.engine.queue import JobQueue
from bot.engine.submit import release_hold
from bot.engine.tasks import Tasks
from bot.engine.upload_fit import upload_copy
from bot.media.download import DownloadError, download_to
from bot.media.probe import MediaError, probe
from bot.ops.kill_points import kill_point
from bot.providers.base import Remote
from bot.store import jobs, ledger, media_rows, sessions
from bot.store.jobs import Job
from bot.store.ledger import Entry

log = logging.getLogger(__name__)

_MODERATION = re.compile(r"moderat|sensitive|flagged|nsfw|policy|inappropriate|safety", re.I)
DELIVERY_BACKOFF = 5.0  # seconds before the second delivery attempt; doubles each time
DELIVERY_MAX_PAUSE = 600.0


class Finisher:
    def __init__(self, deps: Deps, queue: JobQueue, tasks: Tasks) -> None:
        self._deps = deps
        self._tasks = tasks
        self._queue = queue  # told when a job leaves the provider, so the next may start
        # Callback, poll and recovery may race for one job: one at a time per job.
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def succeeded(self, job_id: int, result_url: str | None) -> None:
        async with self._locks[job_id]:
            await self._succeeded(job_id, result_url)
            job = await jobs.get(self._deps.db, job_id)
            # Forget the lock only once nothing can act on the job again; while it is still
            # `succeeded` (delivery to retry), later callers must queue on this same lock.
            if job is None or job.state.is_final:
                self._locks.pop(job_id, None)

    async def _succeeded(self, job_id: int, result_url: str | None) -> None:
        deps = self._deps
        async with deps.db.transaction() as tx:
            if await jobs.transition(tx, job_id, JobState.SUCCEEDED):
                self._queue.admit_soon()
        job = await jobs.get(deps.db, job_id)
        if job is None or job.state is not JobState.SUCCEEDED:
            return  # delivered, cancelled or failed already
        media = None
        if job.result_media_id is not None:
            media = await media_rows.get(deps.db, job.result_media_id)
        if media is None:
            if result_url is None:
                return  # recovery without a URL: the next poll brings it
            await deps.delivery.job_delivering(job)
            media = await self._fetch_result(job, result_url)
            if media is None:
                return
            kill_point("downloaded", job.id)
        await self._deliver(job, media)

    async def _fetch_result(self, job: Job, url: str) -> media_rows.Media | None:
        deps = self._deps
        tmp = deps.vault.tmp_path(".mp4")
        try:
            await download_to(deps.http, url, tmp, max_bytes=deps.timing.result_max_bytes)
            info = await probe(tmp)
        except (DownloadError, MediaError) as exc:
            log.error("job %s: result unusable: %s", job.id, exc)
            tmp.unlink(missing_ok=True)
            await self.fail(job, FailureKind.NO_RESULT, str(exc))
            return None
        parent = None
        if job.source_media_id is not None:
            parent = await media_rows.get(deps.db, job.source_media_id)
        version = parent.version + 1 if parent is not None else 1
        media = await add(
            deps.db, deps.vault, tmp, info,
            Origin(chat_id=job.chat_id, thread_id=job.thread_id, user_id=job.user_id,
                   parent_id=job.source_media_id, job_id=job.id, version=version),
        )
        if job.model == IMAGE_TO_VIDEO:
            # The photos became this clip; what the chat says next is about the clip.
            async with deps.db.transaction() as tx:
                session = await sessions.load(tx, job.chat_id, job.thread_id)
                session.photo_ids = [p for p in session.photo_ids if p not in job.image_media_ids]
                await sessions.save(tx, session)
        return media

    async def _deliver(self, job: Job, media: media_rows.Media, attempt: int = 1,
                       stage: int = 0) -> None:
        """Put the clip into the job's status message; on a passing fault retry with growing
        pauses (the process keeps trying, not only the next start); a chat that cannot be
        reached ends the job. `stage` 1: into a status message posted just now, because the
        first was gone; 2: as a new message, because the server refused that one too."""
        deps = self._deps
        smaller = await upload_copy(deps, media)  # a result over 50 MB, re-encoded to fit
        try:
            job = await self._with_status_message(job)
            sent = await deps.delivery.job_delivered(
                job, media, smaller or file_of(deps.vault, media), as_new_message=stage == 2)
        except StatusGone as exc:
            fresh = await jobs.get(deps.db, job.id)
            if fresh is None or fresh.state is not JobState.SUCCEEDED:
                return
            if stage == 0:  # deleted, most likely: post a fresh one and deliver into it
                log.info("job %s: status message gone (%s); delivering into a new one",
                         job.id, exc)
                async with deps.db.transaction() as tx:
                    await jobs.set_status_message(tx, job.id, None)
                await self._deliver(replace(fresh, status_message_id=None), media, attempt, 1)
            elif stage == 1:  # an old self-hosted Bot API server: no media into a text
                log.warning("job %s: the Bot API server would not put the clip into a text "
                            "message (%s); sending it as a new message", job.id, exc)
                await self._deliver(fresh, media, attempt, 2)
            else:
                self._retry_later(job.id, attempt)
            return
        except Undeliverable:
            await self._undeliverable(job)
            return
        except Exception as exc:  # the edge raises whatever Telegram raised: try again later
            # An expected fault (Telegram down, throttled): one line, no traceback.
            log.warning("job %s: delivery attempt %d failed: %s", job.id, attempt,
                        str(exc) or type(exc).__name__)
            self._retry_later(job.id, attempt)
            return
        finally:
            if smaller is not None:
                await asyncio.to_thread(smaller.unlink, missing_ok=True)
        kill_point("delivered", job.id)
        async with deps.db.transaction() as tx:
            if await jobs.transition(tx, job.id, JobState.DELIVERED):
                await media_rows.link_message(tx, job.chat_id, sent.message_id, media.id)
                if sent.file_id:
                    await media_rows.set_file_id(tx, media.id, sent.file_id)
        log.info("job %s delivered as version %s", job.id, media.version)

    async def _with_status_message(self, job: Job) -> Job:
        """The job as it will be delivered: with a status message to carry the clip, posted
        and recorded first if it has none (then a crash can only leave a spare status text,
        never a second clip)."""
        if job.status_message_id is not None:
            return job
        message_id = await self._deps.delivery.job_status_again(job)
        async with self._deps.db.transaction() as tx:
            await jobs.set_status_message(tx, job.id, message_id)
        fresh = await jobs.get(self._deps.db, job.id)
        assert fresh is not None
        return fresh

    def _retry_later(self, job_id: int, attempt: int) -> None:
        pause = min(DELIVERY_BACKOFF * 2 ** (attempt - 1), DELIVERY_MAX_PAUSE)
        log.info("job %s: next delivery attempt in %.0f s", job_id, pause)
        self._tasks.spawn(self._redeliver(job_id, pause, attempt + 1),
                          name=f"redeliver-job-{job_id}")

    async def _redeliver(self, job_id: int, pause: float, attempt: int) -> None:
        await asyncio.sleep(pause)
        async with self._locks[job_id]:
            job = await jobs.get(self._deps.db, job_id)
            if job is None or job.state is not JobState.SUCCEEDED or job.result_media_id is None:
                return  # delivered meanwhile, or cancelled
            media = await media_rows.get(self._deps.db, job.result_media_id)
            if media is not None:
                await self._deliver(job, media, attempt)

    async def _undeliverable(self, job: Job) -> None:
        """The chat is gone for the bot: record why, keep what was charged, send nothing."""
        async with self._deps.db.transaction() as tx:
            await jobs.transition(tx, job.id, JobState.FAILED, error="undeliverable",
                                  provider_error="the chat cannot be reached")
            await release_hold(tx, job, "undeliverable")
            await settle_credits(tx, self._deps.credits, job.id)
        log.warning("job %s: chat %s cannot be reached; the clip is kept, not sent", job.id,
                    job.chat_id)

    async def failed_remotely(self, job_id: int, remote: Remote) -> None:
        job = await jobs.get(self._deps.db, job_id)
        if job is None:
            return
        error = remote.error or ""
        kind = FailureKind.MODERATED if _MODERATION.search(error) else FailureKind.REMOTE_FAILED
        await self.fail(job, kind, error, refunded=remote.refunded)

    async def fail(
        self, job: Job, kind: FailureKind, detail: str, *, refunded: bool = False,
        target: JobState = JobState.FAILED,
    ) -> bool:
        """End an open job without a clip. The charge stays unless the provider refunded it."""
        async with self._deps.db.transaction() as tx:
            before = await jobs.get(tx, job.id)
            if before is None or not await jobs.transition(
                tx, job.id, target, error=kind.value, provider_error=detail[:500],
                refunded=int(refunded),
            ):
                return False
            await release_hold(tx, job, kind.value)
            if refunded and job.amount_micros:
                await ledger.append(
                    tx, job_id=job.id, chat_id=job.chat_id, user_id=job.user_id,
                    model=job.model, kind=Entry.REFUND, micros=job.amount_micros,
                    note="provider refunded",
                )
            spent, _ = await ledger.totals(tx, job_id=job.id)
            settled = await settle_credits(tx, self._deps.credits, job.id)
        self._queue.admit_soon()
        fresh = await jobs.get(self._deps.db, job.id)
        assert fresh is not None
        started = before.state is not JobState.PENDING  # else it never reached the provider
        await self._deps.delivery.job_failed(
            fresh, Failure(kind, charged=from_micros(spent), refunded=refunded, started=started,
                           credits=settled)
        )
        return True
