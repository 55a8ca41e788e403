"""Handlers for what is not a job or money: the gate, /start, unknown commands, errors; and
`register`, the one place where every handler is wired with its filters."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import texts
from bot.domain.locales import choose
from bot.domain.models import Intent
from bot.telegram.aside_replies import clear_command, explain_command
from bot.telegram.context import BotApplication, BotContext
from bot.telegram.conversation import act, on_text
from bot.telegram.fit_replies import on_fit_button
from bot.telegram.intake import on_other_file, on_photo, on_video
from bot.telegram.job_buttons import (
    on_clip_button,
    on_stale_button,
    on_stop_button,
    on_version_button,
)
from bot.telegram.keyboards import (
    CLIP_PATTERN,
    CONFIRM_PATTERN,
    FIT_PATTERN,
    STOP_PATTERN,
    VERSION_PATTERN,
)
from bot.telegram.money_commands import (
    admins_only,
    budget_command,
    export_command,
    spend_command,
    stats_command,
)
from bot.telegram.order_replies import on_confirm_button
from bot.telegram.payments import add_payment_handlers
from bot.telegram.settings import SETTINGS_PATTERN, on_settings_button, settings_command

log = logging.getLogger(__name__)


async def gate(update: Update, context: BotContext) -> None:
    """Allow-lists (when set, only listed users and chats are served); remember who is here,
    and speak their language for the rest of this update (its own task)."""
    settings = context.settings
    user, chat = update.effective_user, update.effective_chat
    user_ok = settings.serves_user(user.id if user is not None else None)
    chat_ok = settings.serves_chat(chat.id if chat is not None else None)
    texts.use(choose(None, user.language_code if user is not None else None))
    if user_ok and chat_ok:
        if user is not None and chat is not None:
            chat_settings = context.engine.chat_settings
            await chat_settings.remember(
                chat_id=chat.id, chat_type=chat.type, title=chat.title, user_id=user.id,
                username=user.username, first_name=user.first_name,
                language_code=user.language_code,
            )
            texts.use(await chat_settings.language(chat.id, user.id, user.language_code))
        return
    if update.callback_query is not None:  # a press is always answered, even a refused one
        await update.callback_query.answer(texts.NOT_ALLOWED)
    elif chat is not None and chat.type == "private" and update.effective_message:
        await update.effective_message.reply_text(texts.NOT_ALLOWED)
    raise ApplicationHandlerStop


async def start(update: Update, _: BotContext) -> None:
    """Greet and explain."""
    assert update.effective_message is not None
    await update.effective_message.reply_html(texts.START)


async def unknown(update: Update, _: BotContext) -> None:
    """A command the bot does not have."""
    message = update.effective_message
    assert message is not None and message.text is not None
    command = message.text.split()[0].split("@")[0]
    await message.reply_html(texts.unknown_command(command))


def _intent_command(intent: Intent) -> CommandHandler[BotContext, None]:
    async def handler(update: Update, context: BotContext) -> None:
        await act(update, context, intent)

    return CommandHandler(intent.value, handler)


async def on_error(update: object, context: BotContext) -> None:
    """Log with the traceback; tell the chat something short, never the exception. A fault
    of Telegram's (still failing after the retries, or a chat that is gone) is one log line."""
    error = context.error
    if isinstance(error, Forbidden) or (
        isinstance(error, BadRequest) and any(m in error.message.lower() for m in _GONE)
    ):
        log.info("an answer could not be sent: %s", error.message)
        return
    if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
        # Telegram kept failing through the retries: a second message would fail the same way.
        log.warning("an answer could not be sent: %s: %s", type(error).__name__, error.message)
        return
    log.error("unhandled error while handling an update", exc_info=error)
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            await update.effective_message.reply_text(
                texts.INTERNAL_ERROR, parse_mode=ParseMode.HTML
            )
        except Exception:  # the chat may be unreachable; the log has the original error
            log.warning("could not report the error to the chat", exc_info=True)


# Telegram's words for a chat, message or button press that is no longer there to answer.
_GONE = ("chat not found", "message to edit not found", "message to be replied not found",
         "query is too old")


def _no_data(_data: object) -> bool:
    """Called only for a press that has data: never ours to take (see `register`)."""
    return False


VIDEO_DOCUMENT = filters.Document.VIDEO | filters.Document.MimeType("video/quicktime")
IMAGE_DOCUMENT = filters.Document.IMAGE


def register(app: BotApplication, admin_ids: frozenset[int], payments: bool = False) -> None:
    app.add_handler(TypeHandler(Update, gate), group=-1)
    app.add_handler(CommandHandler("start", start))
    for intent in (Intent.HELP, Intent.UNDO, Intent.REDO, Intent.HISTORY, Intent.RETRY,
                   Intent.CANCEL):
        app.add_handler(_intent_command(intent))
    app.add_handler(CommandHandler("spend", spend_command))
    app.add_handler(CommandHandler("budget", budget_command))
    admins = filters.User(user_id=admin_ids)  # empty: nobody
    app.add_handler(CommandHandler("stats", stats_command, filters=admins))
    app.add_handler(CommandHandler("export", export_command, filters=admins))
    app.add_handler(CommandHandler(["stats", "export"], admins_only))
    # First: PTB hands a press without data to every handler with a pattern (its match is
    # then True, not a Match); a pattern that never matches data takes exactly those.
    app.add_handler(CallbackQueryHandler(on_stale_button, pattern=_no_data))
    app.add_handler(CallbackQueryHandler(on_confirm_button, pattern=CONFIRM_PATTERN))
    app.add_handler(CommandHandler("settings", settings_command))
    app.add_handler(CommandHandler("explain", explain_command))
    app.add_handler(CommandHandler("clear", clear_command))
    app.add_handler(CallbackQueryHandler(on_settings_button, pattern=SETTINGS_PATTERN))
    app.add_handler(CallbackQueryHandler(on_stop_button, pattern=STOP_PATTERN))
    app.add_handler(CallbackQueryHandler(on_clip_button, pattern=CLIP_PATTERN))
    app.add_handler(CallbackQueryHandler(on_version_button, pattern=VERSION_PATTERN))
    app.add_handler(CallbackQueryHandler(on_fit_button, pattern=FIT_PATTERN))
    add_payment_handlers(app, admin_ids, enabled=payments)  # before the catch-alls below
    app.add_handler(CallbackQueryHandler(on_stale_button))  # last: every press gets an answer
    # New messages only: editing an old instruction must not start (and pay for) another job.
    new = filters.UpdateType.MESSAGE
    app.add_handler(MessageHandler(
        new & (filters.VIDEO | filters.VIDEO_NOTE | filters.ANIMATION | VIDEO_DOCUMENT), on_video
    ))
    app.add_handler(MessageHandler(new & (filters.PHOTO | IMAGE_DOCUMENT), on_photo))
    app.add_handler(MessageHandler(new & filters.Document.ALL, on_other_file))
    app.add_handler(MessageHandler(new & filters.TEXT & ~filters.COMMAND, on_text))
    # Last: a command nothing above knew. In groups it may be meant for another bot.
    app.add_handler(MessageHandler(new & filters.COMMAND & filters.ChatType.PRIVATE, unknown))
    app.add_error_handler(on_error)
