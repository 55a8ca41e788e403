"""Media the user sends: size check, download, probe, record, answer."""

from __future__ import annotations

import asyncio
import logging

from telegram import Message, Update

from bot import texts
from bot.domain.records import Media
from bot.telegram.context import BotContext, PendingAlbum
from bot.telegram.conversation import handle_instruction
from bot.telegram.media_files import attachment_of, take, thread_of

log = logging.getLogger(__name__)

ALBUM_QUIET_SECONDS = 1.5


async def on_video(update: Update, context: BotContext) -> None:
    """A video, video note, GIF or video file: keep it as the current clip."""
    message = update.effective_message
    assert message is not None
    media = await _take(message, context)
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
    if message.media_group_id:
        _album_part_arrived(context, message.media_group_id)
    taken = await _take(message, context) is not None
    if message.media_group_id:
        _answer_album_later(update, context, message, captioned=taken and bool(message.caption))
        return
    if not taken:
        return
    if message.caption:
        await handle_instruction(update, context, message.caption)
        return
    held = await _held_photos(context, message)
    await message.reply_html(texts.received_photos(held))


async def _take(message: Message, context: BotContext) -> Media | None:
    attachment = attachment_of(message)
    assert attachment is not None  # the wiring's filters let only videos and images here
    user = message.from_user
    return await take(context, message, attachment, message, user.id if user else None)


async def on_other_file(update: Update, context: BotContext) -> None:
    """A document that is neither a video nor an image."""
    message = update.effective_message
    assert message is not None
    doc = message.document
    what = (doc.mime_type or doc.file_name or "unknown type") if doc else "unknown type"
    await message.reply_html(texts.unsupported_file(what))


async def _held_photos(context: BotContext, message: Message) -> int:
    return await context.engine.library.held_photos(message.chat_id, thread_of(message))


def _album_part_arrived(context: BotContext, group_id: str) -> None:
    """A part is here: the quiet time restarts after it is downloaded, not before, so a slow
    part cannot split its album."""
    pending = context.services.albums.get(group_id)
    if pending is not None:
        pending.task.cancel()


def _answer_album_later(
    update: Update, context: BotContext, message: Message, *, captioned: bool
) -> None:
    """Answer an album once, after its last part: Telegram sends no end marker. `captioned`:
    this part carries the instruction (and was taken)."""
    albums = context.services.albums
    group_id = message.media_group_id
    assert group_id is not None
    previous = albums.get(group_id)
    instruction = update if captioned else None
    if previous is not None:
        previous.task.cancel()
        instruction = instruction or previous.captioned
    captioned_update = instruction

    async def answer() -> None:
        await asyncio.sleep(ALBUM_QUIET_SECONDS)
        albums.pop(group_id, None)
        if captioned_update is not None and captioned_update.effective_message is not None:
            caption = captioned_update.effective_message.caption or ""
            await handle_instruction(captioned_update, context, caption)
        else:
            await message.reply_html(texts.received_photos(await _held_photos(context, message)))

    # The application's task runner reports a failure to the error handler, with the update.
    task = context.application.create_task(answer(), update=update, name=f"album-{group_id}")
    albums[group_id] = PendingAlbum(task, captioned_update)
