"""Money commands and buttons: /spend, /budget, /stats, /export, and Confirm / Cancel."""

from __future__ import annotations

import asyncio
import logging
import re
from decimal import Decimal, InvalidOperation

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.domain.budget import Scope
from bot.domain.money import from_micros, to_micros
from bot.engine import confirm, money
from bot.engine.confirm import Decision
from bot.engine.submit import BudgetExceeded, JobRequest
from bot.store import budgets
from bot.telegram import texts
from bot.telegram.services import Services, services

log = logging.getLogger(__name__)

CONFIRM_PATTERN = r"^job:(confirm|cancel):(\d+)$"


def _name(update: Update) -> str:
    user = update.effective_user
    if user is None:
        return "the asker"
    return f"@{user.username}" if user.username else user.first_name


async def submit_or_ask(update: Update, svc: Services, request: JobRequest) -> None:
    """Submit now, or above the chat's threshold ask first; over budget, refuse either way
    (the refusal for a direct submit comes from the reserving transaction itself)."""
    message = update.effective_message
    assert message is not None
    plan = request.plan
    estimate = plan.estimated_cost_usd or Decimal(0)
    threshold = await budgets.confirm_above(
        svc.db, request.chat_id, to_micros(svc.settings.confirm_above_usd)
    )
    if to_micros(estimate) <= threshold:
        await submit(update, svc, request)
        return
    # Don't ask someone to confirm what the budget would refuse anyway.
    refusal = await svc.engine.submitter.refusal(svc.db, request, to_micros(estimate))
    if refusal is not None:
        await message.reply_html(texts.budget_refused(refusal, estimate))
        return
    confirmation_id = await confirm.ask(svc.db, request)
    mode = "pro" if plan.args.get("mode", "pro") == "pro" else "standard"
    keyboard = InlineKeyboardMarkup([[
        InlineKeyboardButton(texts.CONFIRM_BUTTON, callback_data=f"job:confirm:{confirmation_id}"),
        InlineKeyboardButton(texts.CANCEL_BUTTON, callback_data=f"job:cancel:{confirmation_id}"),
    ]])
    prompt = await message.reply_html(
        texts.confirm_prompt(request.instruction, estimate, mode, _name(update)),
        reply_markup=keyboard, do_quote=True,
    )
    await confirm.set_prompt(svc.db, confirmation_id, prompt.message_id)


async def submit(update: Update, svc: Services, request: JobRequest) -> int | None:
    """Submit; a budget the race lost to is answered, not raised. Returns the job id."""
    try:
        job = await svc.engine.submit(request)
    except BudgetExceeded as exc:
        message = update.effective_message
        assert message is not None
        estimate = request.plan.estimated_cost_usd or Decimal(0)
        await message.reply_html(texts.budget_refused(exc.refusal, estimate))
        return None
    return job.id


async def on_confirm_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Confirm or Cancel pressed: only the member who asked decides, once."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.from_user is not None
    match = re.match(CONFIRM_PATTERN, query.data)
    assert match is not None
    svc = services(context)
    action, confirmation_id = match.group(1), int(match.group(2))
    outcome = await confirm.decide(svc.db, confirmation_id, query.from_user.id,
                                   confirm=action == "confirm")
    if outcome.decision is Decision.NOT_YOURS:
        asker = await _asker_name(svc, outcome.asker_id)
        await query.answer(texts.not_yours(asker), show_alert=True)
        return
    if outcome.decision in (Decision.ALREADY, Decision.NOT_FOUND):
        already = outcome.decision is Decision.ALREADY
        await query.answer(texts.ALREADY_DECIDED if already else texts.PROMPT_EXPIRED)
        return
    if outcome.decision is Decision.CANCELLED:
        await query.answer(texts.CANCELLED_BY_USER)
        await query.edit_message_text(texts.CANCELLED_BY_USER)
        return
    await query.answer(texts.CONFIRMED)
    await query.edit_message_text(texts.CONFIRMED)
    assert outcome.request is not None
    job_id = await submit(update, svc, outcome.request)
    if job_id is not None:
        await confirm.link_job(svc.db, confirmation_id, job_id)


async def _asker_name(svc: Services, user_id: int | None) -> str:
    row = await svc.db.fetchone("SELECT username, first_name FROM users WHERE id = ?", (user_id,))
    if row is None:
        return "the member who asked"
    return f"@{row['username']}" if row["username"] else str(row["first_name"])


async def spend_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What the asker and the chat spent today and this month, and what is left."""
    svc = services(context)
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    summary = await money.spend_summary(svc.db, message.chat_id, user.id, svc.settings.budgets)
    await message.reply_html(texts.spend_report(
        summary.used(Scope.USER_DAILY), summary.used(Scope.USER_MONTHLY),
        summary.used(Scope.CHAT_DAILY), summary.used(Scope.CHAT_MONTHLY),
        summary.left, message.chat.type != "private",
    ))


def _is_bot_admin(svc: Services, update: Update) -> bool:
    user = update.effective_user
    return user is not None and user.id in svc.settings.admin_user_ids


async def admins_only(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    """An admin command from someone who is not one of the bot's admins."""
    assert update.effective_message is not None
    await update.effective_message.reply_html(texts.ADMINS_ONLY)


async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admins: spend by chat, user and model; job outcomes."""
    svc = services(context)
    message = update.effective_message
    assert message is not None
    by, counts = await money.stats(svc.db)
    await message.reply_html(texts.stats(by, counts))


async def export_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admins: the ledger as a CSV file."""
    svc = services(context)
    message = update.effective_message
    assert message is not None
    path = svc.vault.tmp_path(".csv")
    try:
        await money.export_csv(svc.db, path)
        await message.reply_document(path, caption=texts.EXPORT_CAPTION, filename="ledger.csv")
    finally:
        await asyncio.to_thread(path.unlink, missing_ok=True)


async def budget_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show this chat's budgets, or change one (chat admins lower; bot admins anything)."""
    svc = services(context)
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    args = context.args or []
    defaults = svc.settings.budgets
    default_confirm = to_micros(svc.settings.confirm_above_usd)
    if not args:
        limits = await budgets.limits_for(svc.db, message.chat_id, defaults)
        threshold = await budgets.confirm_above(svc.db, message.chat_id, default_confirm)
        await message.reply_html(texts.budget_show(limits, from_micros(threshold), defaults))
        return
    if len(args) != 2:
        await message.reply_html(texts.BUDGET_USAGE)
        return
    bot_admin = _is_bot_admin(svc, update)
    if not bot_admin and not await _is_chat_admin(update, context):
        await message.reply_html(texts.CHAT_ADMINS_ONLY)
        return
    name = "confirm_above" if args[0].lower() == "confirm" else args[0].lower()
    if name not in {s.value for s in budgets.OVERRIDABLE} | {"confirm_above"}:
        await message.reply_html(texts.BUDGET_USAGE)
        return
    value = args[1].lower().removeprefix("$")
    micros: int | None
    if value == "default":
        micros, shown = None, "the operator's default"
    elif value in {"off", "none", "unlimited"}:
        micros, shown = budgets.NO_LIMIT, "no limit"
    else:
        try:
            amount = Decimal(value)
        except InvalidOperation:
            await message.reply_html(texts.BUDGET_USAGE)
            return
        if not amount.is_finite() or amount < 0:
            await message.reply_html(texts.BUDGET_USAGE)
            return
        micros, shown = to_micros(amount), f"${amount:.2f}"
    if not bot_admin and name != "confirm_above" and micros is not None:
        default = defaults.of(Scope(name))
        if default is not None and (micros == budgets.NO_LIMIT or micros > default):
            await message.reply_html(texts.budget_above_default(name, from_micros(default)))
            return
    async with svc.db.transaction() as tx:
        await budgets.set_override(tx, message.chat_id, name, micros, user.id)
    await message.reply_html(texts.budget_set(args[0].lower(), shown))


async def _is_chat_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return False
    if chat.type == "private":
        return True
    member = await context.bot.get_chat_member(chat.id, user.id)
    return member.status in ("administrator", "creator")



