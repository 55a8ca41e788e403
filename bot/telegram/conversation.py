"""Text from the chat: parse it once, then act on the intent."""

from __future__ import annotations

import re

from telegram import Message, Update, User

from bot import texts
from bot.domain import compound
from bot.domain.fitting import offers_for
from bot.domain.intent import JOB_INTENTS, question_language
from bot.domain.models import Intent, Plan
from bot.domain.planner import offer
from bot.domain.planner import plan as make_plan
from bot.domain.records import Media
from bot.engine.orders import Order
from bot.engine.versions import Target
from bot.telegram import keyboards
from bot.telegram.aside_replies import dry_run, forget_photos, go_back
from bot.telegram.context import BotContext
from bot.telegram.fit_replies import offer_fit
from bot.telegram.free_edit_replies import do_free_edit
from bot.telegram.media_files import attachment_of, take, thread_of
from bot.telegram.money_commands import is_chat_admin, spend_command
from bot.telegram.order_replies import render


def is_group(message: Message) -> bool:
    return message.chat.type in ("group", "supergroup")


def _strip_mention(text: str, username: str) -> str:
    if not username:
        return text.strip()
    return re.sub(rf"@{re.escape(username)}\b[,:]?", "", text, flags=re.IGNORECASE).strip()


async def on_text(update: Update, context: BotContext) -> None:
    """Any plain text: an instruction, a conversation word, or chit-chat."""
    message = update.effective_message
    assert message is not None and message.text is not None
    await handle_instruction(update, context, message.text)


async def handle_instruction(update: Update, context: BotContext, text: str) -> None:
    """An instruction (a text or a caption) becomes a job order, or a conversation action."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    username = context.services.bot_username
    addressed = _addressed(message, text, username, context.bot.id)
    text = _strip_mention(text, username)
    replied = await _replied_media(context, message)
    if await _says_expired(message, replied, context):
        return
    target = await _target(context, message, replied)
    language = user.language_code
    plan = make_plan(text, target.context, language)
    if plan.forget_photos or plan.dry_run is not None or (plan.intent is Intent.UNDO and plan.back):
        if addressed:  # in a group, only when said to the bot
            await _aside(message, context, plan, target, question_language(text, language))
        return
    if plan.back:  # "revert and make it foggy": step back, then the rest on the restored clip
        stepped = await _step_back(message, context, plan.back, target, text, language)
        if stepped is None:
            return
        target, text = stepped
        plan, replied = make_plan(text, target.context, language), None
    await _carry_out(update, context, text, plan, target, addressed=addressed,
                     replied=replied is not None and replied_message(message) is not None)


async def _carry_out(update: Update, context: BotContext, text: str, plan: Plan,
                     target: Target, *, addressed: bool, replied: bool) -> None:
    """A free edit, a job (or the offer of one), or a conversation action."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    if plan.intent is Intent.LOCAL_EDIT:
        await do_free_edit(message, user, plan, target, context)
        return
    language = user.language_code
    guessing = plan.intent is Intent.NONE and not is_group(message)
    offered = offer(text, target.context, language) if guessing else None
    if plan.intent not in JOB_INTENTS and offered is None:
        if addressed:  # in a group, a bare "undo" may be meant for someone else
            await act(update, context, plan.intent)
        return
    order = Order(
        chat_id=message.chat_id, thread_id=thread_of(message), user_id=user.id,
        request_message_id=message.message_id, instruction=text, plan=offered or plan,
        target=target, replied=replied,
    )
    await _place(message, user, order, offered is not None, language, context)


async def _place(message: Message, user: User, order: Order, guessed: bool,
                 language: str | None, context: BotContext) -> None:
    """Take the order, or ask first about a guess; an instruction on a clip outside Kling's
    3-10 s window gets the fitting offer instead, and nothing is spent until a pick."""
    fit = [] if guessed else offers_for(order.plan)
    if fit and order.target.video is not None:
        await offer_fit(message, order, language, fit, context)
        return
    orders = context.engine.orders
    outcome = await (orders.offer(order) if guessed else orders.take(order))
    await render(message, user, outcome, context)


def _brought_photos(message: Message) -> bool:
    """The message carries photos itself: a captioned photo, or a part of an album."""
    document = message.document
    image = document is not None and (document.mime_type or "").startswith("image/")
    return bool(message.photo) or image or message.media_group_id is not None


async def _aside(
    message: Message, context: BotContext, plan: Plan, target: Target, language: str | None
) -> None:
    """Forgetting the photos, a dry run, or going back several versions at once."""
    if plan.forget_photos:
        await forget_photos(message, context)
    elif plan.dry_run is not None:
        await dry_run(message, plan.dry_run, target, language)
    else:
        await go_back(message, context, plan.back)


async def _step_back(
    message: Message, context: BotContext, steps: int, target: Target, text: str,
    language: str | None,
) -> tuple[Target, str] | None:
    """Step back `steps` versions from the clip the message is about, say so, and return the
    restored clip's target and the instruction left to do; None when there is no going back."""
    versions, thread = context.engine.versions, thread_of(message)
    if target.video is not None:  # a reply to an older clip steps back from that clip
        await versions.select(message.chat_id, thread, target.video)
    media = await versions.undo(message.chat_id, thread, steps)
    if media is None:
        await message.reply_html(texts.cannot_go_back(steps))
        return None
    split = compound.split(text, language)
    rest = split.rest if split is not None and split.rest else text
    await message.reply_html(texts.went_back(media, steps, rest))
    restored = await versions.resolve(
        message.chat_id, thread, group=is_group(message),
        photos_with_message=target.context.photos_with_message,
    )
    return restored, rest


async def _target(context: BotContext, message: Message, replied: Media | None) -> Target:
    return await context.engine.versions.resolve(
        message.chat_id, thread_of(message), group=is_group(message), replied=replied,
        photos_with_message=_brought_photos(message),
    )


async def _says_expired(message: Message, replied: Media | None, context: BotContext) -> bool:
    """A reply to a clip or photo whose file retention deleted: say so (True), do nothing."""
    if replied is None or replied.expired_at is None:
        return False
    days = context.settings.media_retention_days
    await message.reply_html(texts.media_expired(replied.kind, days))
    return True


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


def _addressed(message: Message, text: str, username: str, bot_id: int) -> bool:
    """Said to the bot: any private message; in a group, a mention or a reply to the bot."""
    if not is_group(message):
        return True
    reply = replied_message(message)
    if reply is not None and reply.from_user is not None and reply.from_user.id == bot_id:
        return True
    return bool(username) and f"@{username.lower()}" in text.lower()


async def _replied_media(context: BotContext, message: Message) -> Media | None:
    """The clip or photo the message replies to. A member's video the bot never saw (privacy
    mode hides uncaptioned media) is fetched now, so the instruction acts on what was meant."""
    reply = replied_message(message)
    if reply is None:
        return None
    known = await context.engine.versions.replied_media(message.chat_id, reply.message_id)
    attachment = attachment_of(reply)
    from_bot = reply.from_user is not None and reply.from_user.id == context.bot.id
    if known is not None or attachment is None or from_bot:
        # One of the bot's own clips is always known (or about to be: its delivery is being
        # recorded); until then the session's current clip is that same clip.
        return known
    sender = reply.from_user
    return await take(context, reply, attachment, message, sender.id if sender else None)


async def act(update: Update, context: BotContext, intent: Intent) -> None:
    """Conversation words and their commands: undo, redo, retry, cancel, history, spend, help."""
    message = update.effective_message
    assert message is not None
    if intent is Intent.SPEND:
        await spend_command(update, context)
    elif intent is Intent.RETRY:
        await _retry(update, context)
    elif intent is Intent.HISTORY:
        await _history(context, message)
    elif intent in _VERSION_WORDS:
        await message.reply_html(await _VERSION_WORDS[intent](context, message))
    elif intent is Intent.CANCEL:
        await _cancel(update, context)
    elif not is_group(message):
        target = await context.engine.versions.resolve(
            message.chat_id, thread_of(message), group=False
        )
        has_media = target.video is not None or target.photos
        await message.reply_html(texts.CHITCHAT_HINT if has_media else texts.NO_MEDIA_YET)


async def _help(context: BotContext, message: Message) -> str:
    return texts.HELP


async def _undo(context: BotContext, message: Message) -> str:
    media = await context.engine.versions.undo(message.chat_id, thread_of(message))
    return texts.now_at(media, texts.UNDONE) if media else texts.NOTHING_TO_UNDO


async def _redo(context: BotContext, message: Message) -> str:
    media = await context.engine.versions.redo(message.chat_id, thread_of(message))
    return texts.now_at(media, texts.REDONE) if media else texts.NOTHING_TO_REDO


_VERSION_WORDS = {Intent.HELP: _help, Intent.UNDO: _undo, Intent.REDO: _redo}


async def _history(context: BotContext, message: Message) -> None:
    """Every version, branches included, with a button each to go back to it for free."""
    clips, current = await context.engine.versions.history(message.chat_id, thread_of(message))
    if not clips:
        await message.reply_html(texts.NO_HISTORY)
        return
    await message.reply_html(texts.history(clips, current),
                             reply_markup=keyboards.versions(clips, current))


async def _cancel(update: Update, context: BotContext) -> None:
    """"stop": the speaker's own jobs; a chat admin's (or a bot admin's) stops everyone's."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    thread = thread_of(message)
    running = await context.engine.versions.running_jobs(message.chat_id, thread)
    others = any(job.user_id != user.id for job in running)
    admin = others and (user.id in context.settings.admin_user_ids
                        or await is_chat_admin(update, context))
    stopped = await context.engine.stop_words(message.chat_id, thread, user.id,
                                              may_stop_any=admin)
    if not stopped:
        await message.reply_html(
            texts.NOTHING_OF_YOURS_TO_CANCEL if running else texts.NOTHING_TO_CANCEL
        )


async def _retry(update: Update, context: BotContext) -> None:
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    outcome = await context.engine.orders.retry(
        message.chat_id, thread_of(message), user.id, message.message_id
    )
    if outcome is None:
        await message.reply_html(texts.NOTHING_TO_RETRY)
        return
    await render(message, user, outcome, context)
