"""Ending a job: fetch the result, record the new version, deliver it once; or fail it,
refunding only what the provider refunded."""

from __future__ import annotations

import asyncio
import logging
import re
from collections import defaultdict

from bot.domain.job_states import JobState
from bot.domain.models import IMAGE_TO_VIDEO
from bot.domain.money import from_micros
from bot.engine.delivery import Failure, FailureKind, Undeliverable
from bot.engine.deps import Deps
from bot.engine.library import Origin, add, file_of
from bot.engine.queue import JobQueue
from bot.engine.submit import release_hold
from bot.engine.tasks import Tasks
from bot.engine.upload_fit import upload_copy
from bot.media.download import DownloadError, download_to
from bot.media.probe import MediaError, probe
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

    async def _deliver(self, job: Job, media: media_rows.Media, attempt: int = 1) -> None:
        """Send the clip; on a passing fault retry with growing pauses (the process keeps
        trying, not only the next start); a chat that cannot be reached ends the job."""
        deps = self._deps
        smaller = await upload_copy(deps, media)  # a result over 50 MB, re-encoded to fit
        try:
            sent = await deps.delivery.job_delivered(
                job, media, smaller or file_of(deps.vault, media))
        except Undeliverable:
            await self._undeliverable(job)
            return
        except Exception:  # the edge raises whatever Telegram raised: try again later
            pause = min(DELIVERY_BACKOFF * 2 ** (attempt - 1), DELIVERY_MAX_PAUSE)
            log.warning("job %s: delivery attempt %d failed; next in %.0f s", job.id, attempt,
                        pause, exc_info=True)
            self._tasks.spawn(self._redeliver(job.id, pause, attempt + 1),
                              name=f"redeliver-job-{job.id}")
            return
        finally:
            if smaller is not None:
                await asyncio.to_thread(smaller.unlink, missing_ok=True)
        async with deps.db.transaction() as tx:
            if await jobs.transition(tx, job.id, JobState.DELIVERED):
                await media_rows.link_message(tx, job.chat_id, sent.message_id, media.id)
                if sent.file_id:
                    await media_rows.set_file_id(tx, media.id, sent.file_id)
        log.info("job %s delivered as version %s", job.id, media.version)

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
        self._queue.admit_soon()
        fresh = await jobs.get(self._deps.db, job.id)
        assert fresh is not None
        started = before.state is not JobState.PENDING  # else it never reached the provider
        await self._deps.delivery.job_failed(
            fresh, Failure(kind, charged=from_micros(spent), refunded=refunded, started=started)
        )
        return True
