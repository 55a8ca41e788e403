"""The fitting offer in the chat: an instruction on a clip outside Kling's 3-10 s window gets
one answer with buttons; a press, or a part said in words, cuts the clip (free) and the
waiting instruction goes on as any order does."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Message, Update, User
from telegram.error import TelegramError

from bot import texts
from bot.domain import fitting
from bot.domain.fitting import FitOffer
from bot.domain.models import Plan
from bot.domain.records import Media
from bot.engine.fitter import RANGE, Claim, Claimed, NotFitted, PartRefused
from bot.engine.orders import Order
from bot.telegram import keyboards
from bot.telegram.context import BotContext
from bot.telegram.media_files import thread_of
from bot.telegram.order_replies import render

log = logging.getLogger(__name__)


async def offer_fit(message: Message, order: Order, language: str | None,
                    offers: list[FitOffer], context: BotContext) -> None:
    """Ask which part to use; the instruction waits (in SQLite) for the pick."""
    fitter = context.engine.fitter
    offer_id = await fitter.ask(order, language, offers)
    assert order.target.video is not None
    text = texts.fit_offer(order.target.video.duration or 0.0, order.instruction)
    prompt = await message.reply_html(text, reply_markup=keyboards.fit(offer_id, offers),
                                      do_quote=True)
    await fitter.prompt_shown(offer_id, prompt.message_id)


async def said_part(message: Message, user: User, plan: Plan, video: Media | None,
                    context: BotContext) -> bool:
    """A part said in words while the speaker's instruction waits for one: cut it and go on.
    False when nothing waits (the words are then an ordinary free trim)."""
    fitter = context.engine.fitter
    found = await fitter.said_part(message.chat_id, thread_of(message), user.id, video, plan)
    if found is None:
        return False
    if isinstance(found, PartRefused):
        await message.reply_html(_part_refused(found))
    elif found.claim is Claim.TAKEN:
        await _drop_buttons(context, message.chat_id, found)
        await _cut_and_run(message, user, found, context)
    else:
        await message.reply_html(texts.FIT_ALREADY)
    return True


async def on_fit_button(update: Update, context: BotContext) -> None:
    """First / Last / Liveliest / Loop / Slow pressed: only the asker, once; Choose...
    explains how to say a part in words."""
    query = update.callback_query
    assert query is not None and context.matches
    choice, offer_id = context.matches[0].group(1), int(context.matches[0].group(2))
    message = query.message
    if not isinstance(message, Message):
        await query.answer(texts.BUTTON_EXPIRED)
        return
    if choice == "choose":
        await query.answer()
        await message.reply_html(texts.FIT_CHOOSE_HELP)
        return
    fitter = context.engine.fitter
    claimed = await fitter.claim(offer_id, message.chat_id, query.from_user.id, choice)
    if claimed.claim is not Claim.TAKEN:
        await _refused(query, claimed)
        return
    await query.answer(texts.FIT_BUTTONS[choice])
    await query.edit_message_reply_markup(None)
    await _cut_and_run(message, query.from_user, claimed, context, choice)


async def _drop_buttons(context: BotContext, chat_id: int, claimed: Claimed) -> None:
    """The offer was answered in words: its buttons go, as after a press."""
    prompt = claimed.offer.prompt_message_id if claimed.offer is not None else None
    if prompt is None:
        return
    try:
        await context.bot.edit_message_reply_markup(chat_id, prompt, reply_markup=None)
    except TelegramError as exc:  # too old to edit, or deleted: the buttons answer "already"
        log.info("fit offer buttons left in chat %s: %s", chat_id, exc)


async def _refused(query: CallbackQuery, claimed: Claimed) -> None:
    """Someone else's offer, one decided already, or one the bot no longer has."""
    if claimed.claim is Claim.NOT_YOURS:
        asker = claimed.asker or texts.THE_MEMBER_WHO_ASKED
        await query.answer(texts.not_yours(asker), show_alert=True)
    elif claimed.claim is Claim.ALREADY:
        await query.answer(texts.ALREADY_DECIDED)
    else:
        await query.answer(texts.BUTTON_EXPIRED)


async def _cut_and_run(reply_to: Message, user: User, claimed: Claimed, context: BotContext,
                       choice: str = RANGE) -> None:
    """Cut the part (a new version, free), say so with the new price, then the order."""
    fitter = context.engine.fitter
    if context.engine.free_edits.busy:
        await reply_to.reply_html(texts.FREE_EDIT_WAITING)
    done = await fitter.cut(claimed, choice)
    if isinstance(done, NotFitted):
        failed = done.reason == "failed"
        await reply_to.reply_html(texts.FIT_FAILED if failed else texts.FIT_SOURCE_GONE)
        return
    media = done.media
    said = await reply_to.reply_html(texts.fit_done(
        done.choice, done.start, done.end, media.duration or 0.0, media.version, done.estimate))
    await context.engine.library.shown_in(reply_to.chat_id, said.message_id, media.id)
    await render(reply_to, user, await fitter.run(done), context)


def _part_refused(refused: PartRefused) -> str:
    if refused.code in (fitting.PART_TOO_LONG, fitting.PART_TOO_SHORT):
        return texts.fit_part_refused(refused.code, refused.seconds)
    return texts.free_edit_out_of_range(refused.code, refused.seconds)
