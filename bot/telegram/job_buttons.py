"""Buttons on a job's messages: Cancel on the status, Undo / Retry / Original on the clip,
and a version from /history. Each acts on what its data names in SQLite, checked against the
chat it was pressed in; a stale press gets a short note."""

from __future__ import annotations

from telegram import CallbackQuery, Message, Update

from bot import texts
from bot.domain.limits import CLOUD_UPLOAD_LIMIT
from bot.engine.engine import Stop
from bot.telegram.context import BotContext
from bot.telegram.media_files import thread_of
from bot.telegram.money_commands import is_chat_admin
from bot.telegram.order_replies import render


async def _pressed(update: Update, context: BotContext
                   ) -> tuple[CallbackQuery, Message, int] | None:
    """The press, the message it is on, and the id its data names; None (the press already
    answered) when the bot can no longer see that message (too old, or an inline message)."""
    query = update.callback_query
    assert query is not None and context.matches
    if not isinstance(query.message, Message):
        await on_stale_button(update, context)
        return None
    return query, query.message, int(context.matches[0].groups()[-1])


async def on_stale_button(update: Update, _: BotContext) -> None:
    """Any press no other handler took: data the bot never sent, or a message it can't see.
    Telegram shows a spinner until a press is answered, so every press is."""
    query = update.callback_query
    assert query is not None
    await query.answer(texts.BUTTON_EXPIRED)


async def on_stop_button(update: Update, context: BotContext) -> None:
    """Cancel on a status message: at once, for the asker or a chat admin."""
    if (pressed := await _pressed(update, context)) is None:
        return
    query, message, job_id = pressed
    engine = context.engine
    job = await engine.versions.job_of_chat(job_id, message.chat_id)
    others = job is not None and job.user_id != query.from_user.id
    admin = others and await _may_act_for_others(update, context)
    result = await engine.stop_job(job_id, message.chat_id, query.from_user.id,
                                   may_stop_any=admin)
    answers = {Stop.STOPPED: texts.STOPPED, Stop.ALREADY_FINISHED: texts.ALREADY_FINISHED,
               Stop.NOT_ALLOWED: texts.ONLY_ASKER_OR_ADMIN_CANCELS}
    await query.answer(answers[result], show_alert=result is Stop.NOT_ALLOWED)


async def on_clip_button(update: Update, context: BotContext) -> None:
    """Undo, Retry or Original under a delivered clip."""
    if (pressed := await _pressed(update, context)) is None:
        return
    query, message, number = pressed
    assert context.matches
    action = context.matches[0].group(1)
    if action == "undo":
        media = await context.engine.versions.undo(message.chat_id, thread_of(message))
        await query.answer()
        await message.reply_html(
            texts.now_at(media, texts.UNDONE) if media else texts.NOTHING_TO_UNDO
        )
    elif action == "retry":
        await _retry(query, message, number, context)
    else:
        await _original(query, message, number, context)


async def _retry(query: CallbackQuery, message: Message, job_id: int,
                 context: BotContext) -> None:
    """The same instruction on the same source, as a new job billed to whoever pressed."""
    orders = context.engine.orders
    job = await context.engine.versions.job_of_chat(job_id, message.chat_id)
    if job is None:
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)
        return
    await query.answer()
    outcome = await orders.retry_job(job, query.from_user.id, message.message_id)
    await render(message, query.from_user, outcome, context)


async def _original(query: CallbackQuery, message: Message, media_id: int,
                    context: BotContext) -> None:
    """The clip as a document: Telegram recompresses videos, a document keeps every byte."""
    found = await context.engine.library.original(media_id, message.chat_id)
    if found is None:
        await query.answer(texts.ORIGINAL_GONE, show_alert=True)
        return
    media, path = found
    if media.size_bytes > CLOUD_UPLOAD_LIMIT and not context.settings.telegram_local_mode:
        await query.answer(texts.ORIGINAL_TOO_BIG, show_alert=True)
        return
    await query.answer()
    await message.reply_document(
        path, caption=texts.original_caption(media.version), filename=f"v{media.version}.mp4",
        read_timeout=120, write_timeout=120,
    )


async def on_version_button(update: Update, context: BotContext) -> None:
    """A version from /history becomes the current clip: free, no job."""
    if (pressed := await _pressed(update, context)) is None:
        return
    query, message, media_id = pressed
    media = await context.engine.versions.make_current(
        message.chat_id, thread_of(message), media_id
    )
    if media is None:
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)
        return
    await query.answer(texts.now_at_version(media.version))
    await message.reply_html(texts.now_at_version(media.version))


async def _may_act_for_others(update: Update, context: BotContext) -> bool:
    user = update.effective_user
    if user is not None and user.id in context.settings.admin_user_ids:
        return True
    chat = update.effective_chat
    return chat is not None and chat.type != "private" and await is_chat_admin(update, context)
