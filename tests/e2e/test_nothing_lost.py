"""Defects that lost paid work or asked at the wrong time, each with the test that found it:
order within a chat, stuck deliveries, blocked chats, captions past Telegram's limit, and
`/budget confirm off`."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.sandbox.samples import make_video
from bot.sandbox.telegram_api import TelegramEmulator
from tests.e2e.harness import clip_messages, deliveries, running_bot


async def test_a_video_and_its_instruction_in_one_batch_make_one_job(tmp_path: Path) -> None:
    """30 chats each send a video and, right behind it, the instruction: the bot gets them in
    one batch of updates. Before updates of a chat were kept in order, the instruction found
    no video yet ("send a video first") and no job started."""
    chats = list(range(5001, 5031))
    clip = make_video(tmp_path / "short.mp4", seconds=3.2)  # 30 of them: keep each light
    with TelegramEmulator() as tg:
        for chat in chats:
            tg.user(chat, f"User{chat}", None)
        async with running_bot(tmp_path, tg=tg) as h:
            for chat in chats:  # all before the bot's next getUpdates returns
                tg.send_video(chat, clip, user={"id": chat, "is_bot": False,
                                                "first_name": f"User{chat}"})
                tg.send_text(chat, "remove the car", user={"id": chat, "is_bot": False,
                                                           "first_name": f"User{chat}"})
            deadline = asyncio.get_running_loop().time() + 120
            while len(deliveries(tg)) < len(chats):
                assert asyncio.get_running_loop().time() < deadline, "not every clip arrived"
                await asyncio.sleep(0.2)
            await asyncio.sleep(1.0)
            delivered = [int(c.params["chat_id"]) for c in deliveries(tg)]
            assert sorted(delivered) == chats  # one clip per chat, none twice
            assert len(h.em.jobs) == len(chats)
            texts = [str(c.params.get("text", "")) for c in tg.calls("sendMessage")]
            assert not any("video or a photo first" in t for t in texts)


async def test_a_delivery_that_keeps_failing_is_retried_by_the_running_bot(
    tmp_path: Path, clip: Path
) -> None:
    """Telegram refuses the delivery more often than the rate limiter retries: the job used to
    stay `succeeded` until the next start. Now the running process tries again later."""
    async with running_bot(tmp_path) as h:
        mark = h.mark()
        h.tg.send_video(h.chat_id, clip)
        await h.answer(mark)
        h.tg.set_flood("editMessageMedia", 5, retry_after=1)
        instruction = h.tg.send_text(h.chat_id, "remove the car")
        delivered = await h.delivery(instruction, timeout=45)
        assert delivered.ok
        await h.wait_job_state(1, "delivered")
        assert len(deliveries(h.tg)) == 1 and len(clip_messages(h.tg, h.chat_id)) == 1


async def test_a_chat_that_blocked_the_bot_ends_the_job_without_a_loop(
    tmp_path: Path, clip: Path
) -> None:
    async with running_bot(tmp_path) as h:
        mark = h.mark()
        h.tg.send_video(h.chat_id, clip)
        await h.answer(mark)
        h.em.inject(slow=10.0)
        instruction = h.tg.send_text(h.chat_id, "remove the car")
        await h.reply_to(instruction)
        h.tg.block(h.chat_id)
        await h.wait_job_state(1, "failed", timeout=30)
        await asyncio.sleep(1.0)
        assert len(h.tg.calls("editMessageMedia")) == 1  # tried once, refused, not retried
        assert h.bot.db is not None
        row = await h.bot.db.fetchone("SELECT error FROM jobs WHERE id = 1")
        assert row is not None and row["error"] == "undeliverable"
        kinds = await h.bot.db.fetchall("SELECT kind FROM ledger WHERE job_id = 1 ORDER BY id")
        assert [r["kind"] for r in kinds] == ["reserve", "release", "charge"]  # it was paid for


async def test_a_deleted_status_message_gets_a_new_one_for_the_clip(
    tmp_path: Path, clip: Path
) -> None:
    """The clip goes into the job's status message; if someone deleted it meanwhile, the bot
    posts a new one (recorded first) and the clip goes into that: delivered once."""
    async with running_bot(tmp_path) as h:
        mark = h.mark()
        h.tg.send_video(h.chat_id, clip)
        await h.answer(mark)
        h.em.inject(slow=10.0)
        instruction = h.tg.send_text(h.chat_id, "remove the car")
        status = (await h.reply_to(instruction)).response
        assert h.tg.delete_message(h.chat_id, status["message_id"])
        delivered = await h.delivery(instruction, timeout=40)
        await h.wait_job_state(1, "delivered")
        refused = [c for c in h.tg.calls("editMessageMedia") if not c.ok]
        assert refused and "message to edit not found" in str(refused[0].error)
        assert delivered.response["message_id"] != status["message_id"]
        assert len(clip_messages(h.tg, h.chat_id)) == 1
        assert h.bot.db is not None
        row = await h.bot.db.fetchone("SELECT status_message_id FROM jobs WHERE id = 1")
        assert row is not None and row["status_message_id"] == delivered.response["message_id"]


async def test_a_server_that_cannot_put_media_into_text_still_gets_the_clip(
    tmp_path: Path, clip: Path
) -> None:
    """An older self-hosted Bot API server refuses editMessageMedia on a text message: the
    bot tries a fresh status message once, then sends the clip as a new message, once."""
    async with running_bot(tmp_path) as h:
        h.tg.world.media_into_text = False
        mark = h.mark()
        h.tg.send_video(h.chat_id, clip)
        await h.answer(mark)
        instruction = h.tg.send_text(h.chat_id, "remove the car")
        delivered = await h.reply_to(instruction, "sendVideo", timeout=30)
        assert "v2" in delivered.params["caption"]
        await h.wait_job_state(1, "delivered")
        refused = [c for c in h.tg.calls("editMessageMedia") if not c.ok]
        assert len(refused) == 2 and "no media" in str(refused[0].error)
        await asyncio.sleep(0.5)
        assert len(clip_messages(h.tg, h.chat_id)) == 1
        assert len(h.tg.calls("sendVideo")) == 1


async def test_an_instruction_of_emoji_still_gets_its_clip(tmp_path: Path, clip: Path) -> None:
    """Captions are limited to 1,024 UTF-16 units; cutting at 800 characters left 600 emoji
    at 1,200 units, the delivery failed for good, and the paid clip never arrived."""
    async with running_bot(tmp_path) as h:
        mark = h.mark()
        h.tg.send_video(h.chat_id, clip)
        await h.answer(mark)
        instruction = h.tg.send_text(h.chat_id, "make it rainy " + "🌧" * 600)
        delivered = await h.delivery(instruction, timeout=30)
        assert delivered.ok and "…" in delivered.params["caption"]


async def test_budget_confirm_off_means_never_ask(tmp_path: Path, clip: Path) -> None:
    """`/budget confirm off` stored -1, so every job asked and /budget said "over $0.00"."""
    async with running_bot(tmp_path) as h:
        mark = h.mark()
        h.tg.send_video(h.chat_id, clip)
        await h.answer(mark)
        mark = h.mark()
        h.tg.send_text(h.chat_id, "/budget confirm off")
        assert "no limit" in (await h.answer(mark)).params["text"]
        mark = h.mark()
        h.tg.send_text(h.chat_id, "/budget")
        shown = (await h.answer(mark)).params["text"]
        assert "never ask" in shown and "$0.00" not in shown
        # A $1.43 new shot (over the default $1.00 threshold) starts without a question.
        instruction = h.tg.send_text(h.chat_id, "next shot: the car drives into a tunnel, 10 s")
        delivered = await h.delivery(instruction, timeout=30)
        assert delivered.ok
        assert not [c for c in h.tg.calls("sendMessage") if "Confirm" in str(c.params)]


async def test_demo_mode_restart_charges_nothing(tmp_path: Path, clip: Path) -> None:
    """With the built-in emulator, a restart mid-job ended, after the job timeout, in
    "ShortAPI did not refund it: $0.86 was spent", in a mode where nothing is charged."""
    with TelegramEmulator() as tg:
        async with running_bot(tmp_path, tg=tg, emulated_in_process=True) as h:
            mark = h.mark()
            tg.send_video(h.chat_id, clip)
            await h.answer(mark)
            assert h.bot.emulator is not None
            h.bot.emulator.emulator.inject(stuck=True)
            instruction = tg.send_text(h.chat_id, "remove the car")
            status = (await h.reply_to(instruction)).response
            await h.wait_job_state(1, "submitted")
        async with running_bot(tmp_path, tg=tg, emulated_in_process=True) as h:
            await h.wait_job_state(1, "failed", timeout=15)
            assert h.bot.db is not None
            row = await h.bot.db.fetchone(
                "SELECT COALESCE(SUM(CASE kind WHEN 'charge' THEN micros WHEN 'refund' "
                "THEN -micros END), 0) AS spent FROM ledger WHERE job_id = 1")
            assert row is not None and row["spent"] == 0
            final = tg.message(h.chat_id, status["message_id"])
            assert final is not None and "nothing was charged" in final["text"]
