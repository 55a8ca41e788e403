"""A free edit asked for in the chat: done by the engine, the result sent back as a reply."""

from __future__ import annotations

import asyncio

from telegram import Message, User

from bot import texts
from bot.domain.models import Plan
from bot.engine.free_edits import Edited, NotEdited
from bot.engine.versions import Target
from bot.telegram.context import BotContext
from bot.telegram.fit_replies import said_part
from bot.telegram.media_files import thread_of


async def do_free_edit(message: Message, user: User, plan: Plan, target: Target,
                       context: BotContext) -> None:
    """Trim, speed, crop, ...: no provider, no money; the result is the chat's new clip."""
    if plan.error is not None:
        await message.reply_html(texts.escape(texts.plan_error(plan.error)))
        return
    if await said_part(message, user, plan, target.video, context):
        return  # the part a waiting instruction was fitted to, not a plain trim
    free_edits = context.engine.free_edits
    if free_edits.busy:
        await message.reply_html(texts.FREE_EDIT_WAITING)
    done = await free_edits.apply(plan, target.video, chat_id=message.chat_id,
                                  thread_id=thread_of(message), user_id=user.id)
    if isinstance(done, NotEdited):
        await message.reply_html(_why_not(done))
        return
    sent = await _send(message, done, str(plan.args["op"]))
    await context.engine.library.shown_in(message.chat_id, sent.message_id, done.media.id)


def _why_not(refused: NotEdited) -> str:
    if refused.reason == "no_clip":
        return texts.NO_MEDIA_YET
    if refused.reason == "out_of_range":
        return texts.free_edit_out_of_range(refused.detail, refused.seconds)
    return texts.FREE_EDIT_FAILED


async def _send(message: Message, done: Edited, op: str) -> Message:
    media, photo = done.media, done.send_as == "photo"
    caption = texts.free_edit_caption(op, media.version, photo)
    handle = await asyncio.to_thread(done.path.open, "rb")
    try:
        if done.send_as == "animation":
            return await message.reply_animation(handle, caption=caption, parse_mode="HTML",
                                                 do_quote=True)
        if photo:
            return await message.reply_photo(handle, caption=caption, parse_mode="HTML",
                                             do_quote=True)
        return await message.reply_video(
            handle, caption=caption, parse_mode="HTML", supports_streaming=True, do_quote=True,
            duration=round(media.duration) if media.duration else None,
            width=media.width, height=media.height, read_timeout=120, write_timeout=120,
        )
    finally:
        await asyncio.to_thread(handle.close)
