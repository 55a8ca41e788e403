"""Text from the chat: parse it once, then act on the intent."""

from __future__ import annotations

import logging
import re

from telegram import Message, Update
from telegram.ext import ContextTypes

from bot.domain.models import Intent, Plan
from bot.domain.planner import plan as make_plan
from bot.engine import sessions
from bot.engine.submit import JobRequest
from bot.store import media as media_store
from bot.store.media import Media
from bot.telegram import texts
from bot.telegram.money import spend_command, submit_or_ask
from bot.telegram.services import Services, services

log = logging.getLogger(__name__)

JOB_INTENTS = frozenset({Intent.EDIT, Intent.REFER, Intent.IMAGE_TO_VIDEO})


def thread_of(message: Message) -> int:
    """Forum topics keep separate sessions; everything else shares thread 0."""
    if message.is_topic_message and message.message_thread_id:
        return message.message_thread_id
    return 0


def _is_group(message: Message) -> bool:
    return message.chat.type in ("group", "supergroup")


def _strip_mention(text: str, username: str) -> str:
    if not username:
        return text.strip()
    return re.sub(rf"@{re.escape(username)}\b[,:]?", "", text, flags=re.IGNORECASE).strip()


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any plain text: an instruction, a conversation word, or chit-chat."""
    message = update.effective_message
    assert message is not None and message.text is not None
    await handle_instruction(update, context, message.text)


async def handle_instruction(
    update: Update, context: ContextTypes.DEFAULT_TYPE, text: str
) -> None:
    svc = services(context)
    message = update.effective_message
    assert message is not None
    group = _is_group(message)
    text = _strip_mention(text, svc.bot_username)
    replied = await _replied_media(svc, message)
    target = await sessions.resolve(
        svc.db, message.chat_id, thread_of(message), group=group, replied=replied
    )
    plan = make_plan(text, target.context)
    if plan.intent in JOB_INTENTS:
        await _run_job(update, svc, text, plan, target)
    else:
        await act(update, context, plan.intent)


def replied_message(message: Message) -> Message | None:
    """The message this one really replies to. In a forum topic Telegram fills
    reply_to_message with the topic's opening service message; that is not a reply."""
    reply = message.reply_to_message
    opener = message.is_topic_message and reply is not None and (
        reply.message_id == message.message_thread_id
    )
    if reply is None or opener:
        return None
    return reply


async def _replied_media(svc: Services, message: Message) -> Media | None:
    reply = replied_message(message)
    if reply is None:
        return None
    return await media_store.by_message(svc.db, message.chat_id, reply.message_id)


async def _run_job(
    update: Update, svc: Services, text: str, plan: Plan, target: sessions.Target
) -> None:
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    if plan.error is not None:
        await message.reply_html(texts.plan_error(plan.error))
        return
    uses_video = plan.args.get("video") == "<video>"
    if uses_video and target.video is not None and replied_message(message) is not None:
        # Replying to an older clip moves the conversation to that version.
        await sessions.select(svc.db, message.chat_id, thread_of(message), target.video)
    await submit_or_ask(update, svc, JobRequest(
            chat_id=message.chat_id,
            thread_id=thread_of(message),
            user_id=user.id,
            request_message_id=message.message_id,
            instruction=text,
            plan=plan,
            source=target.video if uses_video else None,
            photos=target.photos if _uses_images(plan) else [],
    ))


def _uses_images(plan: Plan) -> bool:
    images = plan.args.get("images") or []
    elements = plan.args.get("elements") or []
    return bool(images or elements)


async def act(update: Update, context: ContextTypes.DEFAULT_TYPE, intent: Intent) -> None:
    """Conversation words and their commands: undo, redo, retry, cancel, history, spend, help."""
    svc = services(context)
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    chat_id, thread = message.chat_id, thread_of(message)
    db = svc.db
    if intent is Intent.HELP:
        await message.reply_html(texts.HELP)
    elif intent is Intent.UNDO:
        media = await sessions.undo(db, chat_id, thread)
        await message.reply_html(texts.now_at(media, "Undone") if media else texts.NOTHING_TO_UNDO)
    elif intent is Intent.REDO:
        media = await sessions.redo(db, chat_id, thread)
        await message.reply_html(texts.now_at(media, "Redone") if media else texts.NOTHING_TO_REDO)
    elif intent is Intent.HISTORY:
        versions, current = await sessions.history(db, chat_id, thread)
        await message.reply_html(texts.history(versions, current) if versions else texts.NO_HISTORY)
    elif intent is Intent.SPEND:
        await spend_command(update, context)
    elif intent is Intent.CANCEL:
        running = await sessions.running_jobs(db, chat_id, thread)
        if not running:
            await message.reply_html(texts.NOTHING_TO_CANCEL)
        for job in running:
            await svc.engine.cancel(job)
    elif intent is Intent.RETRY:
        await _retry(update, svc)
    elif not _is_group(message):
        target = await sessions.resolve(db, chat_id, thread, group=False, replied=None)
        has_media = target.video is not None or target.photos
        await message.reply_html(texts.CHITCHAT_HINT if has_media else texts.NO_MEDIA_YET)


async def _retry(update: Update, svc: Services) -> None:
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    last = await sessions.last_job(svc.db, message.chat_id, thread_of(message))
    if last is None:
        await message.reply_html(texts.NOTHING_TO_RETRY)
        return
    plan, source, photos = await sessions.retry_plan(svc.db, last)
    await submit_or_ask(update, svc, JobRequest(
        chat_id=message.chat_id, thread_id=thread_of(message), user_id=user.id,
        request_message_id=message.message_id, instruction=last.instruction, plan=plan,
        source=source, photos=photos,
    ))
