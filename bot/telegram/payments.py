"""Telegram Stars payments: /balance, /buy and its invoices, the pre-checkout answer, crediting
a successful payment once, /paysupport, and /refund for the bot's admins.

The pre-checkout query must be answered within Telegram's 10 s: its handler runs in the
first handler group, reads no database, and its answer skips the per-chat order
(`update_order`) and the rate limiter's queue (`lanes`), so no backlog delays it.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LabeledPrice, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    PreCheckoutQueryHandler,
    filters,
)

from bot import texts
from bot.domain.credits import CURRENCY, Checkout, CreditRules, Payment, check, payload
from bot.engine.credits import Purchase
from bot.telegram.context import BotApplication, BotContext
from bot.telegram.money_commands import admins_only

log = logging.getLogger(__name__)

BUY_PATTERN = r"^buy:(menu|\d{1,6})$"
FIRST = -3  # handler group ahead of the metrics counter (-2) and the allow-list gate (-1)


def buy_button() -> InlineKeyboardMarkup:
    """Under a refusal for want of credits."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(texts.BUY_BUTTON,
                                                       callback_data="buy:menu")]])


def packs_keyboard(rules: CreditRules) -> InlineKeyboardMarkup:
    buttons = [InlineKeyboardButton(texts.pack_button(p), callback_data=f"buy:{p}")
               for p in rules.packs]
    return InlineKeyboardMarkup([buttons[i:i + 3] for i in range(0, len(buttons), 3)])


def _rules(context: BotContext) -> CreditRules:
    rules = context.engine.credits.rules
    assert rules is not None, "payment commands are registered only with PAYMENTS=stars"
    return rules


async def balance_command(update: Update, context: BotContext) -> None:
    """The asker's credits."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    credits = await context.engine.credits.balance(user.id)
    await message.reply_html(texts.balance(credits, _rules(context).stars_per_usd))


async def buy_command(update: Update, context: BotContext) -> None:
    """The packs as buttons; `/buy 500` sends that pack's invoice at once."""
    message = update.effective_message
    assert message is not None
    rules, args = _rules(context), context.args or []
    if not args:
        await message.reply_html(texts.BUY_MENU, reply_markup=packs_keyboard(rules))
    elif args[0].isdigit() and int(args[0]) in rules.packs:
        await _send_invoice(context, message.chat_id, message.message_thread_id, int(args[0]))
    else:
        await message.reply_html(texts.unknown_pack(rules.packs),
                                 reply_markup=packs_keyboard(rules))


async def on_buy_button(update: Update, context: BotContext) -> None:
    """A pack pressed (its invoice), or "Buy credits" under a refusal (the packs)."""
    query = update.callback_query
    assert query is not None and context.matches and query.message is not None
    rules, choice = _rules(context), context.matches[0].group(1)
    await query.answer()
    chat_id = query.message.chat.id
    thread = getattr(query.message, "message_thread_id", None)
    if choice == "menu":
        await context.bot.send_message(chat_id, texts.BUY_MENU, message_thread_id=thread,
                                       reply_markup=packs_keyboard(rules))
    elif int(choice) in rules.packs:
        await _send_invoice(context, chat_id, thread, int(choice))
    else:  # a button from before the operator changed the packs
        await context.bot.send_message(chat_id, texts.unknown_pack(rules.packs),
                                       message_thread_id=thread,
                                       reply_markup=packs_keyboard(rules))


async def _send_invoice(context: BotContext, chat_id: int, thread: int | None,
                        pack: int) -> None:
    rules = _rules(context)
    await context.bot.send_invoice(
        chat_id, texts.invoice_title(pack), texts.invoice_description(pack, rules.stars_per_usd),
        payload(pack), CURRENCY, [LabeledPrice(texts.invoice_title(pack), pack)],
        # No provider for Stars. Not "": with Defaults set, PTB sends an empty string as "[]".
        provider_token=None, message_thread_id=thread,
    )


async def on_pre_checkout(update: Update, context: BotContext) -> None:
    """Answer at once: ok only for a current pack at its price, else say why."""
    query = update.pre_checkout_query
    assert query is not None
    rules = context.engine.credits.rules
    if rules is None:
        await query.answer(ok=False, error_message=texts.PAYMENTS_OFF_CHECKOUT)
        raise ApplicationHandlerStop
    if not context.settings.serves_user(query.from_user.id):  # a forwarded invoice
        log.info("pre-checkout refused: user %s is not allowed", query.from_user.id)
        await query.answer(ok=False, error_message=texts.NOT_ALLOWED)
        raise ApplicationHandlerStop
    error = check(Checkout(query.invoice_payload, query.currency, query.total_amount), rules)
    if error is None:
        await query.answer(ok=True)
    else:
        log.info("pre-checkout refused (%s) for user %s", error.value, query.from_user.id)
        await query.answer(ok=False, error_message=texts.checkout_refused(error))
    raise ApplicationHandlerStop


async def on_successful_payment(update: Update, context: BotContext) -> None:
    """Telegram took the Stars: credit them, once per charge id (a repeat changes nothing)."""
    message = update.effective_message
    assert message is not None and message.successful_payment is not None
    paid, user = message.successful_payment, message.from_user
    assert user is not None
    outcome = await context.engine.credits.credit(
        user.id, message.chat_id, paid.telegram_payment_charge_id,
        Checkout(paid.invoice_payload, paid.currency, paid.total_amount),
    )
    if outcome is Purchase.ALREADY:
        log.info("payment %s arrived again; credited before", paid.telegram_payment_charge_id)
    else:
        log.info("payment %s: %d Stars credited to user %s", paid.telegram_payment_charge_id,
                 paid.total_amount, user.id)
        credits = await context.engine.credits.balance(user.id)
        await message.reply_html(texts.credited(paid.total_amount, credits))
    raise ApplicationHandlerStop


async def paysupport_command(update: Update, context: BotContext) -> None:
    """Telegram's terms: how to get help with a payment; with words, they go to the admins."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    question = " ".join(context.args or []).strip()
    if not question:
        recent = await context.engine.credits.recent_payments(user.id)
        await message.reply_html(texts.paysupport(
            [(p.charge_id, p.stars, p.refunded is not None) for p in recent]))
        return
    admins = sorted(context.settings.admin_user_ids)
    who = f"@{user.username}" if user.username else user.first_name
    sent = 0
    for admin in admins:
        try:
            await context.bot.send_message(admin, texts.support_request(who, user.id, question),
                                           parse_mode="HTML")
            sent += 1
        except TelegramError:
            log.warning("payment support: admin %s cannot be reached", admin)
    await message.reply_html(texts.SUPPORT_SENT if sent else texts.SUPPORT_NOBODY)


async def refund_command(update: Update, context: BotContext) -> None:
    """Bot admins: refund a Stars payment and remove its unspent credits."""
    message = update.effective_message
    assert message is not None
    args = context.args or []
    if len(args) != 1:
        await message.reply_html(texts.REFUND_USAGE)
        return
    credits = context.engine.credits
    found = await credits.payment(args[0])
    if found is None:
        await message.reply_html(texts.REFUND_UNKNOWN)
        return
    first = found.refunded is None
    if first and not await _refund_at_telegram(context, found):
        await message.reply_html(texts.REFUND_TELEGRAM_REFUSED)
        return
    done = await credits.refunded(found.charge_id)
    assert done is not None
    await message.reply_html(texts.refund_done(found.stars, done.removed, str(found.user_id),
                                               again=done.before))
    if not done.before:  # two admins at once: only the one who recorded it tells the payer
        await _tell_payer(context, found, done.removed)


async def _refund_at_telegram(context: BotContext, found: Payment) -> bool:
    """refundStarPayment; True also when Telegram had refunded it already (a crash between
    its refund and ours being recorded), so the credits follow."""
    try:
        await context.bot.refund_star_payment(found.user_id, found.charge_id)
    except BadRequest as exc:
        if "already_refunded" not in str(exc).lower():
            log.warning("refund of %s refused by Telegram: %s", found.charge_id, exc)
            return False
    return True


async def _tell_payer(context: BotContext, found: Payment, removed: int) -> None:
    try:
        await context.bot.send_message(found.user_id, texts.refunded_to_user(found.stars, removed))
    except TelegramError:
        log.info("refund of %s: the payer cannot be told", found.charge_id)


def add_payment_handlers(app: BotApplication, admin_ids: frozenset[int], enabled: bool) -> None:
    """Pre-checkout and successful payments always (an invoice may outlive PAYMENTS=stars);
    the commands only when payments are on."""
    app.add_handler(PreCheckoutQueryHandler(on_pre_checkout), group=FIRST)
    app.add_handler(MessageHandler(filters.SUCCESSFUL_PAYMENT, on_successful_payment),
                    group=FIRST)
    if not enabled:
        return
    app.add_handler(CommandHandler("balance", balance_command))
    app.add_handler(CommandHandler("buy", buy_command))
    app.add_handler(CommandHandler("paysupport", paysupport_command))
    app.add_handler(CommandHandler("refund", refund_command,
                                   filters=filters.User(user_id=admin_ids)))
    app.add_handler(CommandHandler("refund", admins_only))
    app.add_handler(CallbackQueryHandler(on_buy_button, pattern=BUY_PATTERN))
