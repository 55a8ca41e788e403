"""Media the user sends: size check, download, probe, record, answer."""

from __future__ import annotations

import asyncio
import logging

from telegram import Message, Update
from telegram.ext import ContextTypes

from bot.domain.kling import INPUT_SECONDS
from bot.engine import library
from bot.engine.library import Origin
from bot.media.probe import MediaError, describe, probe
from bot.store import sessions
from bot.store.media import Media
from bot.telegram import texts
from bot.telegram.conversation import handle_instruction, thread_of
from bot.telegram.files import CLOUD_DOWNLOAD_LIMIT, FetchError, fetch
from bot.telegram.services import PendingAlbum, Services, services

log = logging.getLogger(__name__)

ALBUM_QUIET_SECONDS = 1.5


async def on_video(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
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
    seconds = media.duration or 0.0
    low, high = INPUT_SECONDS
    edit_ok = low <= seconds <= high
    summary = f"{seconds:.1f} s, {media.width}x{media.height}"
    await message.reply_html(texts.received_video(summary, edit_ok, seconds))


async def on_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
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
    held = await _held_photos(services(context), message)
    await message.reply_html(texts.received_photos(held))


async def on_other_file(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A document that is neither a video nor an image."""
    message = update.effective_message
    assert message is not None
    doc = message.document
    what = (doc.mime_type or doc.file_name or "unknown type") if doc else "unknown type"
    await message.reply_html(texts.UNSUPPORTED_FILE.format(what=what))


async def _take(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    file_id: str,
    unique_id: str,
    file_size: int | None,
    *,
    expect: str,
) -> Media | None:
    svc = services(context)
    message = update.effective_message
    chat = update.effective_chat
    assert message is not None and chat is not None
    local = svc.settings.telegram_local_mode
    if not local and file_size is not None and file_size > CLOUD_DOWNLOAD_LIMIT:
        await message.reply_html(texts.FILE_TOO_BIG.format(size=f"{file_size / 1048576:.1f}"))
        return None
    tmp = svc.vault.tmp_path()
    try:
        await fetch(context.bot, svc.http, file_id, tmp, local_mode=local)
        info = await probe(tmp)
    except FetchError as exc:
        tmp.unlink(missing_ok=True)
        if exc.too_big:
            size = f"{(file_size or CLOUD_DOWNLOAD_LIMIT) / 1048576:.1f}"
            await message.reply_html(texts.FILE_TOO_BIG.format(size=size))
        else:
            log.warning("download failed: %s", exc)
            await message.reply_html(texts.DOWNLOAD_FAILED)
        return None
    except MediaError as exc:
        tmp.unlink(missing_ok=True)
        await message.reply_html(texts.UNREADABLE.format(reason=str(exc)))
        return None
    if info.kind == "video" and not info.duration:
        tmp.unlink(missing_ok=True)
        await message.reply_html(texts.UNREADABLE.format(reason="its length is unknown"))
        return None
    if info.kind != expect:
        tmp.unlink(missing_ok=True)
        what = "a photo" if info.kind == "photo" else "a video"
        await message.reply_html(texts.UNSUPPORTED_FILE.format(what=f"it is {what} sent as a file"))
        return None
    user = update.effective_user
    media = await library.add(
        svc.db, svc.vault, tmp, info,
        Origin(chat_id=chat.id, thread_id=thread_of(message), user_id=user.id if user else None,
               message_id=message.message_id, tg_file_id=file_id, tg_file_unique_id=unique_id),
    )
    log.info("chat %s: stored %s as media %s", chat.id, describe(info), media.id)
    return media


async def _held_photos(svc: Services, message: Message) -> int:
    session = await sessions.load(svc.db, message.chat_id, thread_of(message))
    return len(session.photo_ids)


def _answer_album_later(
    update: Update, context: ContextTypes.DEFAULT_TYPE, message: Message
) -> None:
    """Answer an album once, after its last part: Telegram sends no end marker."""
    svc = services(context)
    group_id = message.media_group_id
    assert group_id is not None
    previous = svc.albums.get(group_id)
    captioned = update if message.caption else None
    if previous is not None:
        previous.task.cancel()
        captioned = captioned or previous.captioned

    async def answer() -> None:
        await asyncio.sleep(ALBUM_QUIET_SECONDS)
        svc.albums.pop(group_id, None)
        if captioned is not None and captioned.effective_message is not None:
            caption = captioned.effective_message.caption or ""
            await handle_instruction(captioned, context, caption)
        else:
            await message.reply_html(texts.received_photos(await _held_photos(svc, message)))

    svc.albums[group_id] = PendingAlbum(
        asyncio.create_task(answer(), name=f"album-{group_id}"), captioned
    )
