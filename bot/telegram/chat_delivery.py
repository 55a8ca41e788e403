"""Delivery over Telegram: the status message as the job moves, then the clip put into that
same message (editMessageMedia) with its buttons and one short "done" reply, failures in plain
words. Putting the clip into an existing message is what makes a repeated delivery harmless:
Telegram has no idempotency key for sendVideo, but an edit of one message cannot make two."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import IO, Any, TypeVar, cast

from telegram import InlineKeyboardMarkup, InputFile, InputMediaVideo, Message, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ExtBot

from bot import texts
from bot.domain.credits import CreditRules
from bot.domain.limits import CLOUD_UPLOAD_LIMIT
from bot.domain.models import Note
from bot.domain.records import Job, Media
from bot.engine.delivery import Failure, FailureKind, Sent, StatusGone, Undeliverable
from bot.ops.kill_points import armed, kill_point
from bot.telegram import keyboards
from bot.telegram.status_board import StatusBoard

log = logging.getLogger(__name__)

# Failures after which the same job may be worth running again, for its price.
_RETRYABLE = frozenset({FailureKind.REMOTE_FAILED, FailureKind.TIMED_OUT, FailureKind.LOST,
                        FailureKind.NO_RESULT, FailureKind.UNAVAILABLE})
# Telegram's answers meaning the status message cannot carry the clip: deleted, or not one
# this bot may edit. Delivery then goes into a fresh status message.
_STATUS_GONE = ("message to edit not found", "message can't be edited",
                "there is no media in the message to edit", "message_id_invalid")

# (chat, user) -> the language to speak to them there
LanguageOf = Callable[[int, int | None], Awaitable[str]]
Method = TypeVar("Method", bound=Callable[..., Coroutine[Any, Any, Any]])


def _in_chat_language(method: Method) -> Method:
    """The engine calls these by itself, outside any update: speak the job's chat's language
    (its /settings choice, else the asker's Telegram language) while the message is made."""

    @functools.wraps(method)
    async def speaking(self: TelegramDelivery, job: Job, *args: Any, **kwargs: Any) -> Any:
        language = await self.language_of(job.chat_id, job.user_id)
        with texts.speaking(language):
            return await method(self, job, *args, **kwargs)

    return cast(Method, speaking)


async def _english(chat_id: int, user_id: int | None) -> str:
    return "en"


class TelegramDelivery:
    def __init__(
        self, bot: ExtBot[Any], *, local_mode: bool = False, emulated: bool = False,
        link_for: Callable[[int], str] | None = None, credits: CreditRules | None = None,
        language_of: LanguageOf | None = None,
    ) -> None:
        self._bot = bot
        self._local_mode = local_mode
        self._emulated = emulated  # the built-in emulator runs the jobs: status messages say so
        # A signed, expiring link to our own copy: used when a clip is too big to upload.
        self._link_for = link_for
        self.board = StatusBoard(bot)
        self._credits = credits  # PAYMENTS=stars: prices in Stars on the status message
        # The chat's language for the messages the engine sends by itself (default: English).
        self.language_of: LanguageOf = language_of or _english

    @_in_chat_language
    async def job_accepted(
        self, job: Job, notes: tuple[Note, ...] = (), place: int | None = None
    ) -> int | None:
        text = (
            texts.accepted(job, emulated=self._emulated, notes=notes) if place is None
            else texts.queued(job, place, emulated=self._emulated, notes=notes)
        )
        text = self._priced(job, text)
        try:
            message = await self._bot.send_message(
                job.chat_id, text, parse_mode=ParseMode.HTML,
                message_thread_id=job.thread_id or None,
                reply_parameters=_reply_to(job.request_message_id),
                reply_markup=keyboards.status(job),
            )
        except TelegramError as exc:  # expected (Telegram down, throttled): one line
            log.warning("job %s: could not send the status message: %s", job.id, exc)
            return None
        return message.message_id

    @_in_chat_language
    async def job_queued(self, job: Job, place: int) -> None:
        await self._progress(job, self._priced(
            job, texts.queued(job, place, emulated=self._emulated)))

    @_in_chat_language
    async def job_submitted(self, job: Job) -> None:
        await self._progress(job, self._priced(job, texts.submitted(job, emulated=self._emulated)))

    @_in_chat_language
    async def job_running(self, job: Job, elapsed: float) -> None:
        await self._progress(job, self._priced(
            job, texts.running(job, elapsed, emulated=self._emulated)))

    def _priced(self, job: Job, text: str) -> str:
        """With PAYMENTS=stars: the job's price in Stars, held or charged."""
        if self._credits is None:
            return text
        if job.amount_micros is None:
            return text + texts.price_held(self._credits.stars(job.estimate_micros))
        return text + texts.price_charged(self._credits.stars(job.amount_micros))

    @_in_chat_language
    async def job_delivering(self, job: Job) -> None:
        await self._progress(job, texts.delivering(job), cancellable=False)

    @_in_chat_language
    async def job_status_again(self, job: Job) -> int:
        try:
            message = await self._bot.send_message(
                job.chat_id, texts.delivering(job), parse_mode=ParseMode.HTML,
                message_thread_id=job.thread_id or None,
                reply_parameters=_reply_to(job.request_message_id),
            )
        except TelegramError as exc:
            meaning = _meaning(exc)
            if meaning is None:
                raise
            raise meaning from exc
        return message.message_id

    @_in_chat_language
    async def job_delivered(self, job: Job, media: Media, path: Path, *,
                            as_new_message: bool = False) -> Sent:
        try:
            return await self._deliver(job, media, path, as_new_message)
        except TelegramError as exc:
            meaning = _meaning(exc)
            if meaning is None:
                raise
            raise meaning from exc

    async def _deliver(self, job: Job, media: Media, path: Path, as_new_message: bool) -> Sent:
        status_id = job.status_message_id
        assert status_id is not None, "the engine gives every delivery a status message"
        self.board.close(job.chat_id, status_id)  # no late progress over the clip
        # The file handed over may be a copy re-encoded to fit; its size decides.
        if not self._local_mode and media.tg_file_id is None and (
            await _size(path, media.size_bytes) > CLOUD_UPLOAD_LIMIT
        ):
            await self._put_link(job, media, status_id)
            await self._say_done(job, media, status_id)
            return Sent(message_id=status_id)
        # No "sending video..." chat action first: it waits in the progress lane, and the
        # clip landing in the status message is the signal (measured: +130 ms per delivery).
        if media.tg_file_id is not None:
            message = await self._send_clip(job, media, status_id, media.tg_file_id,
                                            as_new_message)
        else:
            # An open handle with read_file_handle=False lets httpx stream the file in chunks;
            # given a Path, PTB would read the whole clip into memory first.
            handle = await asyncio.to_thread(path.open, "rb")
            try:
                reader = (cast(IO[bytes], _KilledMidway(handle, job.id))
                          if armed("uploading", job.id) else handle)
                # attach://: the file of an InputMedia is a part named in its JSON.
                upload = InputFile(reader, filename=path.name, attach=not as_new_message,
                                   read_file_handle=False)
                message = await self._send_clip(job, media, status_id, upload, as_new_message)
            finally:
                await asyncio.to_thread(handle.close)
        if as_new_message and message is not None:
            await self.board.final(job.chat_id, status_id, texts.done_status(media, job))
            return Sent(message_id=message.message_id,
                        file_id=message.video.file_id if message.video else None)
        await self._say_done(job, media, status_id)
        file_id = message.video.file_id if message is not None and message.video else None
        return Sent(message_id=status_id, file_id=file_id)

    async def _send_clip(self, job: Job, media: Media, status_id: int,
                         source: str | InputFile, as_new_message: bool) -> Message | None:
        if not as_new_message:
            return await self._put_clip(job, media, status_id, source)
        # The fallback for a server that cannot put media into a text message: a new message,
        # so a repeat after a crash could send the clip twice (README, the duplicate window).
        return await self._bot.send_video(
            job.chat_id, source, caption=texts.caption(job, media), parse_mode=ParseMode.HTML,
            duration=round(media.duration) if media.duration else None,
            width=media.width, height=media.height, supports_streaming=True,
            message_thread_id=job.thread_id or None,
            reply_parameters=_reply_to(job.request_message_id),
            reply_markup=keyboards.result(job, media), read_timeout=120, write_timeout=120,
        )

    async def _put_clip(self, job: Job, media: Media, status_id: int,
                        source: str | InputFile) -> Message | None:
        """The status message becomes the clip, with its caption and buttons. Done again (a
        restart, an answer that timed out), it is the same message: Telegram replaces the clip
        or answers "not modified"; never a second clip."""
        clip = InputMediaVideo(
            source, caption=texts.caption(job, media), parse_mode=ParseMode.HTML,
            width=media.width, height=media.height,
            duration=round(media.duration) if media.duration else None,
            supports_streaming=True,
        )
        try:
            result = await self._bot.edit_message_media(
                clip, chat_id=job.chat_id, message_id=status_id,
                reply_markup=keyboards.result(job, media), read_timeout=120, write_timeout=120,
            )
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return None  # this very clip is already there
            raise
        return result if isinstance(result, Message) else None

    async def _put_link(self, job: Job, media: Media, status_id: int) -> None:
        """Telegram refuses bot uploads over 50 MB: the status message gives a download link
        instead, or says so."""
        size_mb = media.size_bytes / 1048576
        link = self._link_for(media.id) if self._link_for is not None else None
        try:
            await self._bot.edit_message_text(
                texts.too_big_to_send(job, media, size_mb, link), chat_id=job.chat_id,
                message_id=status_id, parse_mode=ParseMode.HTML,
            )
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():
                raise

    async def _say_done(self, job: Job, media: Media, status_id: int) -> None:
        """An edit notifies nobody, so one short reply to the clip does. After a crash it may
        come twice: a second note, never a second clip."""
        try:
            await self._bot.send_message(
                job.chat_id, texts.done_status(media, job), parse_mode=ParseMode.HTML,
                message_thread_id=job.thread_id or None, reply_parameters=_reply_to(status_id),
            )
        except TelegramError:
            log.info("job %s: the clip is in place, but the done note could not be sent", job.id)

    @_in_chat_language
    async def job_failed(self, job: Job, failure: Failure) -> None:
        text = texts.failed(job, failure) + texts.credits_after_failure(failure.credits)
        markup = keyboards.retry(job) if failure.kind in _RETRYABLE else None
        if await self._final(job, text, markup):
            return
        try:
            await self._bot.send_message(
                job.chat_id, text, parse_mode=ParseMode.HTML,
                message_thread_id=job.thread_id or None,
                reply_parameters=_reply_to(job.request_message_id), reply_markup=markup,
            )
        except TelegramError as exc:  # expected (Telegram down, throttled): one line
            log.warning("job %s: could not report its failure: %s", job.id, exc)

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


def _meaning(exc: TelegramError) -> Exception | None:
    """What a refusal means for a delivery: the chat is gone for the bot (Undeliverable), the
    status message is gone (StatusGone), or None: a fault that may pass."""
    text = str(exc).lower()
    if isinstance(exc, Forbidden) or (isinstance(exc, BadRequest) and "chat not found" in text):
        return Undeliverable(str(exc))  # blocked, kicked, deactivated, or deleted
    if isinstance(exc, BadRequest) and any(gone in text for gone in _STATUS_GONE):
        return StatusGone(str(exc))
    return None


class _KilledMidway:
    """The crash suite's reader (only when `uploading` is armed for this job): the process
    dies on the second read, with the first part of the clip already on its way."""

    def __init__(self, handle: IO[bytes], job_id: int) -> None:
        self._handle = handle
        self._job_id = job_id
        self._reads = 0

    def read(self, size: int = -1) -> bytes:
        self._reads += 1
        if self._reads == 2:
            kill_point("uploading", self._job_id)
        return self._handle.read(size)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


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
