"""Media the user sends: size check, download, probe, record, answer."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from telegram import Message, Update

from bot import texts
from bot.domain.limits import CLOUD_DOWNLOAD_LIMIT
from bot.domain.records import Media
from bot.engine.library import Origin
from bot.media.probe import MediaError, MediaInfo, describe, probe
from bot.telegram.context import BotContext, PendingAlbum
from bot.telegram.conversation import handle_instruction, thread_of
from bot.telegram.files import FetchError, fetch

log = logging.getLogger(__name__)

ALBUM_QUIET_SECONDS = 1.5


async def on_video(update: Update, context: BotContext) -> None:
    """A video, video note, GIF or video file: keep it as the current clip."""
    message = update.effective_message
    assert message is not None
    attachment = message.video or message.video_note or message.animation or message.document
    assert attachment is not None
    media = await _take(update, context, attachment.file_id, attachment.file_unique_id,
                        attachment.file_size, expect="video")
    if media is None:
        return
    if message.caption:
        await handle_instruction(update, context, message.caption)
        return
    if message.media_group_id:
        return
    await message.reply_html(texts.received_video(media))


async def on_photo(update: Update, context: BotContext) -> None:
    """A photo (or image file): held as a reference for the next instruction."""
    message = update.effective_message
    assert message is not None
    if message.photo:
        size = message.photo[-1]
        file_id, unique, file_size = size.file_id, size.file_unique_id, size.file_size
    else:
        assert message.document is not None
        doc = message.document
        file_id, unique, file_size = doc.file_id, doc.file_unique_id, doc.file_size
    media = await _take(update, context, file_id, unique, file_size, expect="photo")
    if media is None:
        return
    if message.media_group_id:
        _answer_album_later(update, context, message)
        return
    if message.caption:
        await handle_instruction(update, context, message.caption)
        return
    held = await _held_photos(context, message)
    await message.reply_html(texts.received_photos(held))


async def on_other_file(update: Update, context: BotContext) -> None:
    """A document that is neither a video nor an image."""
    message = update.effective_message
    assert message is not None
    doc = message.document
    what = (doc.mime_type or doc.file_name or "unknown type") if doc else "unknown type"
    await message.reply_html(texts.unsupported_file(what))


async def _take(
    update: Update, context: BotContext, file_id: str, unique_id: str, file_size: int | None,
    *, expect: str,
) -> Media | None:
    """Download, probe and record a file; answer and return None when it cannot be used."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None
    local = context.settings.telegram_local_mode
    if not local and file_size is not None and file_size > CLOUD_DOWNLOAD_LIMIT:
        await message.reply_html(texts.file_too_big(file_size))
        return None
    library = context.engine.library
    tmp = library.scratch_path()
    info = await _fetch_and_probe(context, file_id, file_size, tmp, expect=expect)
    if isinstance(info, str):  # what to answer instead
        await asyncio.to_thread(tmp.unlink, missing_ok=True)
        await message.reply_html(info)
        return None
    user = update.effective_user
    media = await library.add(
        tmp, info,
        Origin(chat_id=chat.id, thread_id=thread_of(message), user_id=user.id if user else None,
               message_id=message.message_id, tg_file_id=file_id, tg_file_unique_id=unique_id),
    )
    log.info("chat %s: stored %s as media %s", chat.id, describe(info), media.id)
    return media


async def _fetch_and_probe(
    context: BotContext, file_id: str, file_size: int | None, tmp: Path, *, expect: str
) -> MediaInfo | str:
    """The probed file, or the answer that says why it cannot be used."""
    try:
        await fetch(context.bot, context.services.http, file_id, tmp,
                    local_mode=context.settings.telegram_local_mode)
        info = await probe(tmp)
    except FetchError as exc:
        if exc.too_big:
            return texts.file_too_big(file_size or CLOUD_DOWNLOAD_LIMIT)
        log.warning("download failed: %s", exc)
        return texts.DOWNLOAD_FAILED
    except MediaError as exc:
        return texts.unreadable(str(exc))
    if info.kind == "video" and not info.duration:
        return texts.unreadable(texts.UNKNOWN_LENGTH)
    if info.kind != expect:
        return texts.file_sent_as_wrong_kind(info.kind)
    return info


async def _held_photos(context: BotContext, message: Message) -> int:
    return await context.engine.library.held_photos(message.chat_id, thread_of(message))


def _answer_album_later(
    update: Update, context: BotContext, message: Message
) -> None:
    """Answer an album once, after its last part: Telegram sends no end marker."""
    albums = context.services.albums
    group_id = message.media_group_id
    assert group_id is not None
    previous = albums.get(group_id)
    captioned = update if message.caption else None
    if previous is not None:
        previous.task.cancel()
        captioned = captioned or previous.captioned

    async def answer() -> None:
        await asyncio.sleep(ALBUM_QUIET_SECONDS)
        albums.pop(group_id, None)
        if captioned is not None and captioned.effective_message is not None:
            caption = captioned.effective_message.caption or ""
            await handle_instruction(captioned, context, caption)
        else:
            await message.reply_html(texts.received_photos(await _held_photos(context, message)))

    # The application's task runner reports a failure to the error handler, with the update.
    task = context.application.create_task(answer(), update=update, name=f"album-{group_id}")
    albums[group_id] = PendingAlbum(task, captioned)
