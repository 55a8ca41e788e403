"""A user's file, from a chat message into the library: size check, download, probe, record.

Used for what a user sends, and for a group member's video or photo that an instruction
replies to when the bot never saw it (privacy mode hides uncaptioned media from bots)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

from telegram import Message

from bot import texts
from bot.domain.limits import CLOUD_DOWNLOAD_LIMIT
from bot.domain.records import Media
from bot.engine.library import Origin
from bot.media.probe import MediaError, MediaInfo, PixelBudgetError, describe, probe
from bot.telegram.context import BotContext
from bot.telegram.files import FetchError, fetch

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    file_id: str
    unique_id: str
    size: int | None
    kind: str  # "video" | "photo": what the message sends it as


def attachment_of(message: Message) -> Attachment | None:
    """The video or photo a message carries, if any."""
    if message.photo:
        size = message.photo[-1]
        return Attachment(size.file_id, size.file_unique_id, size.file_size, "photo")
    video = message.video or message.video_note or message.animation
    if video is not None:
        return Attachment(video.file_id, video.file_unique_id, video.file_size, "video")
    doc = message.document
    if doc is not None and doc.mime_type and doc.mime_type.split("/")[0] in ("video", "image"):
        kind = "photo" if doc.mime_type.startswith("image/") else "video"
        return Attachment(doc.file_id, doc.file_unique_id, doc.file_size, kind)
    return None


def thread_of(message: Message) -> int:
    """Forum topics keep separate sessions; everything else shares thread 0."""
    if message.is_topic_message and message.message_thread_id:
        return message.message_thread_id
    return 0


async def take(context: BotContext, shown_in: Message, attachment: Attachment,
               answer_to: Message, user_id: int | None) -> Media | None:
    """Record the file `shown_in` carries; answer `answer_to` and return None when it cannot
    be used."""
    local = context.settings.telegram_local_mode
    size = attachment.size
    if not local and size is not None and size > CLOUD_DOWNLOAD_LIMIT:
        await answer_to.reply_html(texts.file_too_big(size))
        return None
    library = context.engine.library
    tmp = library.scratch_path()
    info = await _fetch_and_probe(context, attachment, tmp)
    if isinstance(info, str):  # what to answer instead
        await asyncio.to_thread(tmp.unlink, missing_ok=True)
        await answer_to.reply_html(info)
        return None
    media = await library.add(tmp, info, Origin(
        chat_id=shown_in.chat_id, thread_id=thread_of(shown_in), user_id=user_id,
        message_id=shown_in.message_id, tg_file_id=attachment.file_id,
        tg_file_unique_id=attachment.unique_id,
    ))
    log.info("chat %s: stored %s as media %s", shown_in.chat_id, describe(info), media.id)
    return media


async def _fetch_and_probe(context: BotContext, attachment: Attachment,
                           tmp: Path) -> MediaInfo | str:
    """The probed file, or the answer that says why it cannot be used."""
    try:
        await fetch(context.bot, context.services.http, attachment.file_id, tmp,
                    local_mode=context.settings.telegram_local_mode)
        info = await probe(tmp)
    except FetchError as exc:
        if exc.too_big:
            return texts.file_too_big(attachment.size or CLOUD_DOWNLOAD_LIMIT)
        log.warning("download failed: %s", exc)
        return texts.DOWNLOAD_FAILED
    except MediaError as exc:
        log.info("unusable file: %s", exc)
        if isinstance(exc, PixelBudgetError):
            return texts.too_many_pixels(exc.kind, exc.width, exc.height)
        return texts.unreadable_media()
    if info.kind == "video" and not info.duration:
        return texts.unreadable(texts.UNKNOWN_LENGTH)
    if info.kind != attachment.kind:
        return texts.file_sent_as_wrong_kind(info.kind)
    return info
