"""Delivery over Telegram: the status message as the job moves, the clip as a reply with its
buttons, failures in plain words."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from telegram import InlineKeyboardMarkup, InputFile, Message, ReplyParameters
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ExtBot

from bot import texts
from bot.domain.limits import CLOUD_UPLOAD_LIMIT
from bot.domain.models import Note
from bot.domain.records import Job, Media
from bot.engine.delivery import Failure, FailureKind, Sent, Undeliverable
from bot.telegram import keyboards
from bot.telegram.lanes import PROGRESS
from bot.telegram.status_board import StatusBoard

log = logging.getLogger(__name__)

# Failures after which the same job may be worth running again, for its price.
_RETRYABLE = frozenset({FailureKind.REMOTE_FAILED, FailureKind.TIMED_OUT, FailureKind.LOST,
                        FailureKind.NO_RESULT, FailureKind.UNAVAILABLE})


class TelegramDelivery:
    def __init__(
        self, bot: ExtBot[Any], *, local_mode: bool = False, emulated: bool = False,
        link_for: Callable[[int], str] | None = None,
    ) -> None:
        self._bot = bot
        self._local_mode = local_mode
        self._emulated = emulated  # the built-in emulator runs the jobs: status messages say so
        # A signed, expiring link to our own copy: used when a clip is too big to upload.
        self._link_for = link_for
        self.board = StatusBoard(bot)

    async def job_accepted(
        self, job: Job, notes: tuple[Note, ...] = (), place: int | None = None
    ) -> int | None:
        text = (
            texts.accepted(job, emulated=self._emulated, notes=notes) if place is None
            else texts.queued(job, place, emulated=self._emulated, notes=notes)
        )
        try:
            message = await self._bot.send_message(
                job.chat_id, text, parse_mode=ParseMode.HTML,
                message_thread_id=job.thread_id or None,
                reply_parameters=_reply_to(job.request_message_id),
                reply_markup=keyboards.status(job),
            )
        except TelegramError:
            log.warning("job %s: could not send the status message", job.id, exc_info=True)
            return None
        return message.message_id

    async def job_queued(self, job: Job, place: int) -> None:
        await self._progress(job, texts.queued(job, place, emulated=self._emulated))

    async def job_submitted(self, job: Job) -> None:
        await self._progress(job, texts.submitted(job, emulated=self._emulated))

    async def job_running(self, job: Job, elapsed: float) -> None:
        await self._progress(job, texts.running(job, elapsed, emulated=self._emulated))

    async def job_delivering(self, job: Job) -> None:
        await self._progress(job, texts.delivering(job), cancellable=False)

    async def job_delivered(self, job: Job, media: Media, path: Path) -> Sent:
        try:
            return await self._deliver(job, media, path)
        except Forbidden as exc:  # blocked, kicked, or the user deactivated
            raise Undeliverable(str(exc)) from exc
        except BadRequest as exc:
            if "chat not found" in str(exc).lower():
                raise Undeliverable(str(exc)) from exc
            raise

    async def _deliver(self, job: Job, media: Media, path: Path) -> Sent:
        # The file handed over may be a copy re-encoded to fit; its size decides.
        if not self._local_mode and media.tg_file_id is None and (
            await _size(path, media.size_bytes) > CLOUD_UPLOAD_LIMIT
        ):
            return await self._deliver_link(job, media)
        await self._uploading(job)
        if media.tg_file_id is not None:
            message = await self._send_video(job, media, media.tg_file_id)
        else:
            # An open handle with read_file_handle=False lets httpx stream the file in chunks;
            # given a Path, PTB would read the whole clip into memory first.
            handle = await asyncio.to_thread(path.open, "rb")
            try:
                upload = InputFile(handle, filename=path.name, read_file_handle=False)
                message = await self._send_video(job, media, upload)
            finally:
                await asyncio.to_thread(handle.close)
        await self._final(job, texts.done_status(media, job))
        file_id = message.video.file_id if message.video else None
        return Sent(message_id=message.message_id, file_id=file_id)

    async def _send_video(self, job: Job, media: Media, source: str | InputFile) -> Message:
        return await self._bot.send_video(
            job.chat_id,
            source,
            caption=texts.caption(job, media),
            parse_mode=ParseMode.HTML,
            duration=round(media.duration) if media.duration else None,
            width=media.width,
            height=media.height,
            supports_streaming=True,
            message_thread_id=job.thread_id or None,
            reply_parameters=_reply_to(job.request_message_id),
            reply_markup=keyboards.result(job, media),
            read_timeout=120,
            write_timeout=120,
        )

    async def _deliver_link(self, job: Job, media: Media) -> Sent:
        """Telegram refuses bot uploads over 50 MB: give a download link instead, or say so."""
        size_mb = media.size_bytes / 1048576
        link = self._link_for(media.id) if self._link_for is not None else None
        message = await self._bot.send_message(
            job.chat_id,
            texts.too_big_to_send(job, media, size_mb, link),
            parse_mode=ParseMode.HTML,
            message_thread_id=job.thread_id or None,
            reply_parameters=_reply_to(job.request_message_id),
        )
        await self._final(job, texts.done_status(media, job))
        return Sent(message_id=message.message_id)

    async def job_failed(self, job: Job, failure: Failure) -> None:
        text = texts.failed(job, failure)
        markup = keyboards.retry(job) if failure.kind in _RETRYABLE else None
        if await self._final(job, text, markup):
            return
        try:
            await self._bot.send_message(
                job.chat_id, text, parse_mode=ParseMode.HTML,
                message_thread_id=job.thread_id or None,
                reply_parameters=_reply_to(job.request_message_id), reply_markup=markup,
            )
        except TelegramError:
            log.warning("job %s: could not report its failure", job.id, exc_info=True)

    async def _progress(self, job: Job, text: str, *, cancellable: bool = True) -> None:
        if job.status_message_id is None:
            return
        markup: InlineKeyboardMarkup | None = keyboards.status(job) if cancellable else None
        await self.board.progress(job.chat_id, job.status_message_id, text, markup)

    async def _final(self, job: Job, text: str,
                     markup: InlineKeyboardMarkup | None = None) -> bool:
        if job.status_message_id is None:
            return False
        return await self.board.final(job.chat_id, job.status_message_id, text, markup)

    async def _uploading(self, job: Job) -> None:
        """Telegram's "sending video..." while the clip uploads; only a courtesy."""
        try:
            await self._bot.send_chat_action(
                job.chat_id, ChatAction.UPLOAD_VIDEO, message_thread_id=job.thread_id or None,
                rate_limit_args=PROGRESS,
            )
        except TelegramError:
            log.info("job %s: no chat action", job.id)


def _reply_to(message_id: int | None) -> ReplyParameters | None:
    if message_id is None:
        return None
    # The instruction may have been deleted meanwhile; deliver anyway.
    return ReplyParameters(message_id=message_id, allow_sending_without_reply=True)


async def _size(path: Path, fallback: int) -> int:
    try:
        return (await asyncio.to_thread(path.stat)).st_size
    except OSError:
        return fallback
