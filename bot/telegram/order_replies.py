"""Answers to what the engine did with an order, and the Confirm / Cancel buttons."""

from __future__ import annotations

from telegram import Message, Update, User

from bot import texts
from bot.domain.money import to_micros
from bot.engine.orders import (
    AskFirst,
    Outcome,
    Press,
    Refused,
    Throttled,
    Unfunded,
    Unplannable,
)
from bot.telegram import keyboards
from bot.telegram.context import BotContext
from bot.telegram.payments import buy_button


def display_name(user: User | None) -> str:
    if user is None:
        return texts.THE_ASKER
    return f"@{user.username}" if user.username else user.first_name


async def render(message: Message, user: User | None, outcome: Outcome,
                 context: BotContext) -> None:
    """Say what happened; a submitted job already has its status message."""
    if isinstance(outcome, Unplannable):
        await message.reply_html(texts.escape(texts.plan_error(outcome.error)))
    elif isinstance(outcome, Refused):
        await message.reply_html(texts.budget_refused(outcome.refusal, outcome.estimate))
    elif isinstance(outcome, Unfunded):
        await message.reply_html(texts.unfunded(outcome.price, outcome.balance),
                                 reply_markup=buy_button())
    elif isinstance(outcome, Throttled):
        await message.reply_html(texts.too_many_jobs(outcome.too_many))
    elif isinstance(outcome, AskFirst):
        await _ask(message, user, outcome, context)


async def _ask(message: Message, user: User | None, ask: AskFirst, context: BotContext) -> None:
    if ask.guessed:  # "did you mean...": never a charge on a guess
        text = texts.offer_prompt(ask.instruction, ask.estimate)
        markup = keyboards.confirm(ask.confirmation_id, texts.OFFER_YES, texts.OFFER_NO)
    else:
        text = texts.confirm_prompt(ask.instruction, ask.estimate, ask.mode, display_name(user))
        markup = keyboards.confirm(ask.confirmation_id)
    if (rules := context.engine.credits.rules) is not None:
        text += texts.confirm_price(rules.stars(to_micros(ask.estimate)))
    prompt = await message.reply_html(text, reply_markup=markup, do_quote=True)
    await context.engine.orders.prompt_shown(ask.confirmation_id, prompt.message_id)


async def on_confirm_button(update: Update, context: BotContext) -> None:
    """Confirm or Cancel pressed: only the member who asked decides, once."""
    query = update.callback_query
    assert query is not None and context.matches
    action, confirmation_id = context.matches[0].group(1), int(context.matches[0].group(2))
    orders = context.engine.orders
    result = await orders.press(confirmation_id, query.from_user.id, action == "confirm")
    if result.press is Press.NOT_YOURS:
        asker = result.asker or texts.THE_MEMBER_WHO_ASKED
        await query.answer(texts.not_yours(asker), show_alert=True)
    elif result.press in (Press.ALREADY, Press.NOT_FOUND):
        await query.answer(
            texts.ALREADY_DECIDED if result.press is Press.ALREADY else texts.PROMPT_EXPIRED
        )
    elif result.press is Press.CANCELLED:
        await query.answer(texts.CANCELLED_BY_USER)
        await query.edit_message_text(texts.CANCELLED_BY_USER)
    else:
        await query.answer(texts.CONFIRMED)
        await query.edit_message_text(texts.CONFIRMED)
        assert result.confirmed is not None and update.effective_message is not None
        outcome = await orders.submit_confirmed(result.confirmed)
        await render(update.effective_message, query.from_user, outcome, context)
