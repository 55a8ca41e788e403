"""Money through the real bot: confirmation, budgets, /spend, /stats, /export, /budget."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from bot.sandbox.telegram_api import TelegramEmulator
from tests.e2e.harness import Harness, running_bot

GROUP = -1001234


def _people(tg: TelegramEmulator) -> tuple[dict, dict]:
    return tg.user(1001, "Ada", "ada"), tg.user(1002, "Bob", "bob")


async def _upload(h: Harness, clip: Path, chat: int, user: dict) -> None:
    mark = h.mark()
    h.tg.send_video(chat, clip, user=user)
    await h.answer(mark, chat_id=chat)


async def _say(h: Harness, chat: int, user: dict, text: str) -> str:
    mark = h.mark()
    h.tg.send_text(chat, text, user=user)
    return str((await h.answer(mark, chat_id=chat)).params["text"])


async def test_confirmation_flow_in_a_group(tmp_path: Path, clip: Path) -> None:
    async with running_bot(tmp_path, env={"CONFIRM_ABOVE_USD": "0.50"}) as h:
        tg = h.tg
        tg.chat(GROUP, chat_type="supergroup", title="Film crew")
        ada, bob = _people(tg)
        await _upload(h, clip, GROUP, ada)

        mark = h.mark()
        tg.send_text(GROUP, "remove the car", user=ada)
        prompt = await h.answer(mark, chat_id=GROUP)
        assert "$0.86" in prompt.params["text"] and "@ada" in prompt.params["text"]
        buttons = prompt.params["reply_markup"]["inline_keyboard"][0]
        confirm_data, cancel_data = buttons[0]["callback_data"], buttons[1]["callback_data"]
        prompt_id = prompt.response["message_id"]

        # Bob may not decide for Ada.
        mark = h.mark()
        tg.press_button(GROUP, prompt_id, confirm_data, user=bob)
        refused = await tg.wait_for_call("answerCallbackQuery", after=mark)
        assert "Only @ada" in refused.params["text"] and refused.params.get("show_alert")
        assert not h.em.jobs

        # Ada cancels: nothing is spent.
        mark = h.mark()
        tg.press_button(GROUP, prompt_id, cancel_data, user=ada)
        await tg.wait_for_call("editMessageText", lambda c: "Cancelled" in c.params["text"],
                               after=mark)
        assert not h.em.jobs

        # A second press on a decided prompt changes nothing.
        mark = h.mark()
        tg.press_button(GROUP, prompt_id, confirm_data, user=ada, strict=False)
        again = await tg.wait_for_call("answerCallbackQuery", after=mark)
        assert "already decided" in again.params["text"]
        assert not h.em.jobs

        # Asked again and confirmed: the job runs.
        mark = h.mark()
        instruction = tg.send_text(GROUP, "remove the car", user=ada)
        prompt = await h.answer(mark, chat_id=GROUP)
        data = prompt.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        tg.press_button(GROUP, prompt.response["message_id"], data, user=ada)
        delivered = await h.delivery(instruction, timeout=30)
        assert "v2" in delivered.params["caption"]
        assert len(h.em.jobs) == 1


async def test_budget_refusal_names_the_limit(tmp_path: Path, clip: Path) -> None:
    env = {"BUDGET_USER_DAILY_USD": "1.00", "CONFIRM_ABOVE_USD": "5"}
    async with running_bot(tmp_path, env=env) as h:
        await _upload(h, clip, h.chat_id, h.tg.user(h.chat_id, "Ada", "ada"))
        first = h.tg.send_text(h.chat_id, "remove the car")
        await h.delivery(first, timeout=30)
        refusal = await _say(h, h.chat_id, h.tg.user(h.chat_id, "Ada", "ada"), "make it rainy")
        assert "your daily budget of $1.00 has $0.14 left" in refusal
        assert "resets" in refusal and "Nothing was charged" in refusal
        assert len(h.em.jobs) == 1
        spend = await _say(h, h.chat_id, h.tg.user(h.chat_id, "Ada", "ada"), "/spend")
        assert "$0.86 today ($0.14 left)" in spend


async def test_admin_stats_export_and_budget(tmp_path: Path, clip: Path) -> None:
    env = {"ADMIN_USER_IDS": "1001", "BUDGET_CHAT_DAILY_USD": "20"}
    async with running_bot(tmp_path, env=env) as h:
        tg = h.tg
        tg.chat(GROUP, chat_type="supergroup", title="Film crew")
        ada, bob = _people(tg)
        await _upload(h, clip, GROUP, ada)
        instruction = tg.send_text(GROUP, "remove the car", user=ada)
        await h.delivery(instruction, timeout=30)
        await h.wait_job_state(1, "delivered")

        assert "Only the bot's admins" in await _say(h, GROUP, bob, "/stats")
        stats = await _say(h, GROUP, ada, "/stats")
        assert "Film crew: $0.86" in stats and "@ada: $0.86" in stats
        assert "kwaivgi/kling-o3/video-to-video: $0.86" in stats
        assert "succeeded: 1" in stats and "failed: 0" in stats

        mark = h.mark()
        tg.send_text(GROUP, "/export", user=ada)
        export = await h.answer(mark, "sendDocument", chat_id=GROUP)
        rows = list(csv.DictReader(io.StringIO(tg.uploaded_bytes(export, "document").decode())))
        kinds = [r["kind"] for r in rows]
        assert kinds == ["reserve", "release", "charge"]
        assert Decimal(rows[2]["amount_usd"]) == next(iter(h.em.jobs.values())).amount

        # /budget: members may not change it, chat admins may lower, not raise.
        assert "Only this chat's admins" in await _say(h, GROUP, bob, "/budget chat_daily 5")
        tg.set_member(GROUP, 1002, "administrator")
        assert "Done: chat_daily is now $5.00" in await _say(h, GROUP, bob, "/budget chat_daily 5")
        assert "only lower" in await _say(h, GROUP, bob, "/budget chat_daily 50")
        assert "only lower" in await _say(h, GROUP, bob, "/budget chat_daily off")
        shown = await _say(h, GROUP, bob, "/budget")
        assert "chat_daily</code>: $5.00 (operator default: $20.00)" in shown
        assert "Usage" in await _say(h, GROUP, bob, "/budget chat_daily lots")
        # A bot admin may raise it.
        assert "Done" in await _say(h, GROUP, ada, "/budget chat_daily 50")


async def test_admins_are_not_exempt_from_the_global_cap(tmp_path: Path, clip: Path) -> None:
    env = {"ADMIN_USER_IDS": str(4242), "BUDGET_GLOBAL_MONTHLY_USD": "0.50"}
    async with running_bot(tmp_path, env=env) as h:
        ada = h.tg.user(h.chat_id, "Ada", "ada")
        await _upload(h, clip, h.chat_id, ada)
        refusal = await _say(h, h.chat_id, ada, "remove the car")
        assert "the bot's overall monthly budget of $0.50 has $0.50 left" in refusal
        assert not h.em.jobs
        # Not even a bot admin can lift it from the chat.
        assert "global_monthly" not in await _say(h, h.chat_id, ada, "/budget global_monthly off")
        assert not h.em.jobs
