"""Charging users with Telegram Stars, through the real bot: buy a pack, pay for jobs with the
credits, refunds of failed jobs and of payments, refusals, duplicated payment updates."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path
from typing import Any

from bot.domain.credits import stars_for
from bot.domain.money import to_micros
from bot.sandbox.telegram_api import Call, TelegramEmulator
from bot.store import credits
from tests.e2e.harness import Harness, deliveries, running_bot

RATE = 100  # Stars per USD: the $0.86 edit costs 86 Stars
STARS = {"PAYMENTS": "stars", "STARS_PER_USD": str(RATE), "CREDIT_PACKS": "100,500"}
USER = 4242  # the harness's private chat is this user's


def _user(h: Harness) -> dict[str, Any]:
    return h.tg.user(USER, "Ada", "ada")


async def _say(h: Harness, text: str) -> Call:
    mark = h.mark()
    h.tg.send_text(h.chat_id, text, user=_user(h))
    return await h.answer(mark)


async def _balance(h: Harness) -> int:
    assert h.bot.db is not None
    return await credits.balance(h.bot.db, USER)


async def _buy(h: Harness, pack: int) -> str:
    """/buy, press the pack, pay the invoice: returns the payment's charge id."""
    menu = await _say(h, "/buy")
    buttons = [b for row in menu.params["reply_markup"]["inline_keyboard"] for b in row]
    assert [b["callback_data"] for b in buttons] == ["buy:100", "buy:500"]
    mark = h.mark()
    h.tg.press_button(h.chat_id, menu.response["message_id"], f"buy:{pack}", user=_user(h))
    invoice = await h.answer(mark, "sendInvoice")
    assert invoice.params["currency"] == "XTR" and not invoice.params.get("provider_token")
    mark = h.mark()
    query = h.tg.pay(h.chat_id, invoice.response["message_id"], user=_user(h))
    await h.tg.wait_for_call("answerPreCheckoutQuery", after=mark)
    assert h.tg.pre_checkout_answer(query) == {"ok": True, "error_message": None}
    thanks = await h.answer(mark)
    assert f"{pack} ⭐ added" in thanks.params["text"]
    paid = [m for m in h.tg.bot_messages(h.chat_id) if m.get("invoice")]
    assert paid
    row = h.tg.calls("answerPreCheckoutQuery")[-1]
    assert row.ok
    charges = [c for c, p in h.tg.world.payments.charges.items() if p["user_id"] == USER]
    return charges[-1]


async def _clip_and_say(h: Harness, clip: Path, text: str = "remove the car") -> dict[str, Any]:
    mark = h.mark()
    h.tg.send_video(h.chat_id, clip, user=_user(h))
    await h.answer(mark)
    return h.tg.send_text(h.chat_id, text, user=_user(h))


async def test_buy_a_pack_run_a_job_and_pay_the_real_charge(tmp_path: Path, clip: Path) -> None:
    async with running_bot(tmp_path, env=STARS) as h:
        _user(h)
        await _buy(h, 100)
        assert await _balance(h) == 100
        assert "<b>100</b> credits" in (await _say(h, "/balance")).params["text"]

        instruction = await _clip_and_say(h, clip)
        status = await h.reply_to(instruction)
        assert "Price: 86 ⭐" in status.params["text"]
        await h.delivery(instruction, timeout=30)
        job = next(iter(h.em.jobs.values()))
        charged = stars_for(to_micros(job.amount), RATE)
        assert await _balance(h) == 100 - charged
        spend = (await _say(h, "/spend")).params["text"]
        assert f"Your credits: {100 - charged} ⭐" in spend
        shown = h.tg.message(h.chat_id, status.response["message_id"])
        assert shown is not None and "video" in shown  # the status message became the clip


async def test_a_job_over_the_balance_is_refused_with_a_buy_button(
    tmp_path: Path, clip: Path
) -> None:
    async with running_bot(tmp_path, env=STARS) as h:
        _user(h)
        h.tg.successful_payment(h.chat_id, payload="credits:100", total=50, charge_id="c-50",
                                user=_user(h))  # an old, cheaper pack: what was paid counts
        await h.tg.wait_for_call("sendMessage", lambda c: "50 ⭐ added" in c.params["text"])
        await _clip_and_say(h, clip)
        refusal = await h.tg.wait_for_call("sendMessage", lambda c: "Not started" in c.params[
            "text"])
        text = refusal.params["text"]
        assert "costs 86 ⭐" in text and "balance is 50 ⭐" in text and "36 ⭐ are missing" in text
        assert "Nothing was charged" in text
        button = refusal.params["reply_markup"]["inline_keyboard"][0][0]
        assert button["callback_data"] == "buy:menu"
        assert not h.em.jobs and await _balance(h) == 50

        mark = h.mark()
        h.tg.press_button(h.chat_id, refusal.response["message_id"], "buy:menu", user=_user(h))
        menu = await h.answer(mark)
        assert "Choose a pack" in menu.params["text"]


async def test_a_failed_job_gives_its_credits_back(tmp_path: Path, clip: Path) -> None:
    async with running_bot(tmp_path, env=STARS) as h:
        _user(h)
        await _buy(h, 100)
        h.em.inject(fail_next={"error": "internal error", "refunded": False, "times": 1})
        instruction = await _clip_and_say(h, clip)
        await h.tg.wait_for_call(
            "editMessageText", lambda c: c.ok and "could not finish" in c.params.get("text", ""),
            timeout=20)
        failed = next(c for c in h.tg.calls("editMessageText")
                      if "could not finish" in c.params.get("text", ""))
        assert "are back in your credits" in failed.params["text"]
        assert await _balance(h) == 100  # ShortAPI kept the money; the operator pays (always)
        assert not deliveries(h.tg) and instruction["text"] == "remove the car"


async def test_the_same_payment_twice_credits_once(tmp_path: Path) -> None:
    async with running_bot(tmp_path, env=STARS) as h:
        user = _user(h)
        for _ in range(2):
            h.tg.successful_payment(h.chat_id, payload="credits:500", total=500,
                                    charge_id="stx-dup", user=user)
        await h.tg.wait_for_call("sendMessage", lambda c: "500 ⭐ added" in c.params["text"])
        await _say(h, "/balance")  # after both: this chat's updates are handled in order
        assert await _balance(h) == 500
        thanks = [c for c in h.tg.calls("sendMessage") if "added" in c.params["text"]]
        assert len(thanks) == 1
        assert h.bot.db is not None
        row = await h.bot.db.fetchone("SELECT COUNT(*) AS n FROM payments")
        assert row is not None and row["n"] == 1


async def test_the_same_payment_after_a_restart_credits_nothing(
    tmp_path: Path, tg: TelegramEmulator
) -> None:
    async with running_bot(tmp_path, env=STARS, tg=tg) as h:
        tg.successful_payment(h.chat_id, payload="credits:100", total=100, charge_id="stx-r",
                              user=_user(h))
        await tg.wait_for_call("sendMessage", lambda c: "100 ⭐ added" in c.params["text"])
    async with running_bot(tmp_path, env=STARS, tg=tg) as again:
        mark = again.mark()
        tg.successful_payment(again.chat_id, payload="credits:100", total=100,
                              charge_id="stx-r", user=_user(again))
        await _say(again, "/balance")
        assert await _balance(again) == 100
        assert not [c for c in tg.calls("sendMessage")[mark:] if "added" in c.params["text"]]


async def test_pre_checkout_refuses_a_pack_no_longer_offered(tmp_path: Path) -> None:
    async with running_bot(tmp_path, env=STARS) as h:
        user = _user(h)
        gone = h.tg.pre_checkout(user, payload="credits:300", total=300, chat_id=h.chat_id)
        cheap = h.tg.pre_checkout(user, payload="credits:500", total=5, chat_id=h.chat_id)
        good = h.tg.pre_checkout(user, payload="credits:500", total=500, chat_id=h.chat_id)
        for _ in range(200):
            if all(h.tg.pre_checkout_answer(q) for q in (gone, cheap, good)):
                break
            await asyncio.sleep(0.05)
        assert "no longer offered" in (h.tg.pre_checkout_answer(gone) or {})["error_message"]
        assert "price has changed" in (h.tg.pre_checkout_answer(cheap) or {})["error_message"]
        assert h.tg.pre_checkout_answer(good) == {"ok": True, "error_message": None}
        await _say(h, "/balance")
        assert await _balance(h) == 500  # only the accepted one was paid


async def test_an_admin_refunds_a_payment_partly_spent(tmp_path: Path, clip: Path) -> None:
    admin = 777
    async with running_bot(tmp_path, env={**STARS, "ADMIN_USER_IDS": str(admin)}) as h:
        _user(h)
        charge = await _buy(h, 100)
        instruction = await _clip_and_say(h, clip)
        await h.delivery(instruction, timeout=30)
        left = await _balance(h)
        assert 0 < left < 100

        support = (await _say(h, "/paysupport")).params["text"]
        assert charge in support and "Payment support" in support
        assert "Only the bot's admins" in (await _say(h, f"/refund {charge}")).params["text"]

        async def as_admin(text: str) -> str:
            mark = h.mark()
            h.tg.send_text(admin, text, user=h.tg.user(admin, "Op", "op"))
            return str((await h.answer(mark, chat_id=admin)).params["text"])

        mark = h.mark()
        done = await as_admin(f"/refund {charge}")
        assert f"{left} ⭐ removed" in done and "Partial" in done
        told = await h.answer(mark)  # the payer hears of it in their own chat
        assert f"{left} ⭐ left your credits" in told.params["text"]
        assert (h.tg.star_payment(charge) or {})["refunded"] is True
        assert await _balance(h) == 0
        assert "refunded before" in await as_admin(f"/refund {charge}")
        assert "No payment" in await as_admin("/refund nope")

        charged = 100 - left
        stats = await as_admin("/stats")
        assert f"Bought: 100, refunded to buyers: {left}" in stats
        assert f"Charged for jobs: {charged}, given back for failed jobs: 0" in stats
        assert "Credits held by users now</b>: 0" in stats
        mark = h.mark()
        h.tg.send_text(admin, "/export", user=h.tg.user(admin, "Op", "op"))
        await h.tg.wait_for_call("sendDocument", lambda c: c.params.get("caption", "")
                                 .startswith("Credits"), after=mark)
        ledger_csv, credits_csv = h.tg.calls("sendDocument")[-2:]
        rows = list(csv.DictReader(io.StringIO(
            h.tg.uploaded_bytes(credits_csv, "document").decode())))
        assert [r["kind"] for r in rows] == [
            "purchase", "hold", "release", "charge", "purchase_refund"]
        assert rows[0]["telegram_payment_charge_id"] == charge and rows[0]["stars"] == "100"
        assert ledger_csv.params["caption"].startswith("The ledger")


async def test_payments_off_answers_a_stray_pre_checkout(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as h:
        query = h.tg.pre_checkout(_user(h), payload="credits:100", total=100)
        for _ in range(200):
            if h.tg.pre_checkout_answer(query):
                break
            await asyncio.sleep(0.05)
        answer = h.tg.pre_checkout_answer(query) or {}
        assert answer.get("ok") is False and "no longer takes payments" in answer["error_message"]
        assert "I don't know /buy" in (await _say(h, "/buy")).params["text"]


async def test_confirm_shows_stars_and_no_confirm_for_what_credits_refuse(
    tmp_path: Path, clip: Path
) -> None:
    async with running_bot(tmp_path, env={**STARS, "CONFIRM_ABOVE_USD": "0.50"}) as h:
        user = _user(h)
        h.tg.successful_payment(h.chat_id, payload="credits:100", total=100, charge_id="c-1",
                                user=user)
        instruction = await _clip_and_say(h, clip)
        prompt = await h.reply_to(instruction)
        assert "In credits: 86 ⭐" in prompt.params["text"]
        data = prompt.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        h.tg.press_button(h.chat_id, prompt.response["message_id"], data, user=user)
        await h.delivery(instruction, timeout=30)
        left = await _balance(h)
        assert left < 86
        h.tg.send_text(h.chat_id, "make it rainy", user=user)
        refusal = await h.tg.wait_for_call("sendMessage", lambda c: "Not started" in c.params[
            "text"])
        assert f"balance is {left} ⭐" in refusal.params["text"]
        # Not asked to confirm what the credits refuse anyway: one question in all.
        assert sum("In credits" in c.params["text"] for c in h.tg.calls("sendMessage")) == 1
        assert len(h.em.jobs) == 1


async def test_a_user_the_allow_list_leaves_out_cannot_pay(tmp_path: Path) -> None:
    """A forwarded invoice reaches someone the bot does not serve: the pre-checkout says no,
    so no Stars are taken for credits they could never use."""
    async with running_bot(tmp_path, env={**STARS, "ALLOWED_USER_IDS": "777"}) as h:
        mark = h.mark()
        query = h.tg.pre_checkout(_user(h), payload="credits:100", total=100)
        await h.tg.wait_for_call("answerPreCheckoutQuery", after=mark)
        answer = h.tg.pre_checkout_answer(query)
        assert answer is not None and answer["ok"] is False and answer["error_message"]
        assert await _balance(h) == 0
