"""Stars payments on the fake Bot API, through the real python-telegram-bot client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import telegram
from telegram import LabeledPrice
from telegram.error import BadRequest

from bot.sandbox.telegram_api import TelegramEmulator
from bot.sandbox.tg_payments import QUERY_TOO_OLD

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
USER = 1001


@pytest.fixture
def tg() -> Iterator[TelegramEmulator]:
    with TelegramEmulator() as fake:
        yield fake


@pytest.fixture
async def bot(tg: TelegramEmulator) -> AsyncIterator[telegram.Bot]:
    async with telegram.Bot(tg.token, base_url=f"{tg.url}/bot") as b:
        yield b


async def _invoice(tg: TelegramEmulator, bot: telegram.Bot, stars: int = 100) -> telegram.Message:
    tg.send_text(USER, "/buy")
    return await bot.send_invoice(USER, "100 credits", "Credits for video jobs", "credits:100",
                                  "XTR", [LabeledPrice("100 credits", stars)], provider_token="")


async def test_invoice_pay_answer_and_successful_payment(
    tg: TelegramEmulator, bot: telegram.Bot
) -> None:
    invoice = await _invoice(tg, bot)
    assert invoice.invoice is not None and invoice.invoice.total_amount == 100
    assert invoice.invoice.currency == "XTR"
    assert invoice.reply_markup is not None and invoice.reply_markup.inline_keyboard[0][0].pay
    updates = await bot.get_updates(timeout=0)
    qid = tg.pay(USER, invoice.message_id)
    updates = await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)
    query = updates[-1].pre_checkout_query
    assert query is not None and query.id == qid and query.invoice_payload == "credits:100"
    assert query.total_amount == 100 and query.from_user.id == USER

    assert await bot.answer_pre_checkout_query(qid, ok=True)
    assert tg.pre_checkout_answer(qid) == {"ok": True, "error_message": None}
    paid = (await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0))[-1].message
    assert paid is not None and paid.successful_payment is not None
    charge = paid.successful_payment.telegram_payment_charge_id
    assert paid.successful_payment.invoice_payload == "credits:100"

    with pytest.raises(BadRequest, match=r"(?i)query is too old"):  # answered already
        await bot.answer_pre_checkout_query(qid, ok=True)
    assert await bot.refund_star_payment(USER, charge)
    assert (tg.star_payment(charge) or {})["refunded"] is True
    with pytest.raises(BadRequest, match=r"(?i)CHARGE_ALREADY_REFUNDED"):
        await bot.refund_star_payment(USER, charge)
    with pytest.raises(BadRequest, match=r"(?i)CHARGE_ID_INVALID"):
        await bot.refund_star_payment(USER, "nope")


async def test_a_late_or_refusing_answer(tg: TelegramEmulator, bot: telegram.Bot) -> None:
    user = tg.user(USER)
    tg.set_pre_checkout_window(0)
    late = tg.pre_checkout(user, payload="credits:100", total=100)
    with pytest.raises(BadRequest) as info:
        await bot.answer_pre_checkout_query(late, ok=True)
    assert QUERY_TOO_OLD.lower() in str(info.value).lower()
    assert tg.pre_checkout_answer(late) == {"late": True}

    tg.set_pre_checkout_window(10)
    refused = tg.pre_checkout(user, payload="credits:300", total=300)
    with pytest.raises(BadRequest, match=r"(?i)ERROR_MESSAGE_EMPTY"):
        await bot.answer_pre_checkout_query(refused, ok=False)
    assert await bot.answer_pre_checkout_query(refused, ok=False, error_message="Gone")
    assert not [u for u in await bot.get_updates(timeout=0) if u.message]  # nothing paid


async def test_invoice_rules(tg: TelegramEmulator, bot: telegram.Bot) -> None:
    tg.send_text(USER, "hi")
    with pytest.raises(BadRequest, match=r"(?i)STARS_INVOICE_INVALID"):
        await bot.send_invoice(USER, "t", "d", "p", "XTR",
                               [LabeledPrice("a", 1), LabeledPrice("b", 2)])
    with pytest.raises(BadRequest, match=r"(?i)PAYMENT_PROVIDER_INVALID"):
        await bot.send_invoice(USER, "t", "d", "p", "XTR", [LabeledPrice("a", 1)],
                               provider_token="123:TEST")
    with pytest.raises(BadRequest, match=r"(?i)CURRENCY_TOTAL_AMOUNT_INVALID"):
        await bot.send_invoice(USER, "t", "d", "p", "XTR", [LabeledPrice("a", 0)])
    link = await bot.create_invoice_link("t", "d", "p", "XTR", [LabeledPrice("a", 5)])
    assert link.startswith("https://t.me/$")


async def test_the_same_payment_twice(tg: TelegramEmulator, bot: telegram.Bot) -> None:
    tg.user(USER)
    tg.successful_payment(USER, payload="credits:100", total=100, charge_id="c-1")
    tg.successful_payment(USER, payload="credits:100", total=100, charge_id="c-1")
    updates = await bot.get_updates(timeout=0)
    ids = [u.message.successful_payment.telegram_payment_charge_id for u in updates
           if u.message and u.message.successful_payment]
    assert ids == ["c-1", "c-1"]
