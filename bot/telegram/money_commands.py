"""Money commands: /spend, /budget, /stats, /export."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot import texts
from bot.domain.budget import above_default, parse_change
from bot.domain.money import from_micros
from bot.telegram.context import BotContext


async def spend_command(update: Update, context: BotContext) -> None:
    """What the asker and the chat spent today and this month, and what is left."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    summary = await context.engine.spending.summary(message.chat_id, user.id)
    report = texts.spend_report(summary.used_by_scope, summary.left,
                                message.chat.type != "private")
    if context.engine.credits.rules is not None:
        report += "\n" + texts.balance_line(await context.engine.credits.balance(user.id))
    await message.reply_html(report)


async def admins_only(update: Update, _: BotContext) -> None:
    """An admin command from someone who is not one of the bot's admins."""
    assert update.effective_message is not None
    await update.effective_message.reply_html(texts.ADMINS_ONLY)


async def stats_command(update: Update, context: BotContext) -> None:
    """Admins: spend by chat, user and model; job outcomes; credits (PAYMENTS=stars)."""
    assert update.effective_message is not None
    by, counts = await context.engine.spending.stats()
    text = texts.stats(by, counts)
    if context.engine.credits.rules is not None:
        report = await context.engine.credits.report()
        text += texts.credit_stats(report.month, report.outstanding, report.largest)
    await update.effective_message.reply_html(text)


async def export_command(update: Update, context: BotContext) -> None:
    """Admins: the ledger as a CSV file (and the credits, with PAYMENTS=stars)."""
    message = update.effective_message
    assert message is not None
    path = context.engine.library.scratch_path(".csv")
    try:
        await context.engine.spending.export_csv(path)
        await message.reply_document(path, caption=texts.EXPORT_CAPTION, filename="ledger.csv")
        if context.engine.credits.rules is not None:
            await context.engine.credits.export_csv(path)
            await message.reply_document(path, caption=texts.CREDITS_EXPORT_CAPTION,
                                         filename="credits.csv")
    finally:
        await asyncio.to_thread(path.unlink, missing_ok=True)


async def budget_command(update: Update, context: BotContext) -> None:
    """Show this chat's budgets, or change one (chat admins lower; bot admins anything)."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    args, settings = context.args or [], context.settings
    if not args:
        view = await context.engine.spending.budgets(message.chat_id)
        await message.reply_html(
            texts.budget_show(view.limits, view.confirm_above, settings.budgets)
        )
        return
    bot_admin = user.id in settings.admin_user_ids
    if len(args) != 2:
        answer = texts.BUDGET_USAGE
    elif not bot_admin and not await is_chat_admin(update, context):
        answer = texts.CHAT_ADMINS_ONLY
    elif (change := parse_change(args[0], args[1])) is None:
        answer = texts.BUDGET_USAGE
    elif not bot_admin and (default := above_default(change, settings.budgets)) is not None:
        answer = texts.budget_above_default(change.name, from_micros(default))
    else:
        await context.engine.spending.set_budget(message.chat_id, change, user.id)
        answer = texts.budget_set(args[0].lower(), texts.budget_value(change.micros))
    await message.reply_html(answer)


async def is_chat_admin(update: Update, context: BotContext) -> bool:
    """True in a private chat; in a group, for its administrators and creator."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return False
    if chat.type == "private":
        return True
    member = await context.bot.get_chat_member(chat.id, user.id)
    return member.status in ("administrator", "creator")
