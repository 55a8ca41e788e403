"""The chat around a job: buttons on every clip and status, the queue, cancel, history buttons,
group manners, and status edits that do not flood the chat."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from bot.emulator.server import EmulatorServer
from bot.emulator.state import EmulatorConfig
from bot.sandbox.telegram_api import Call, TelegramEmulator
from tests.e2e.harness import Harness, running_bot

GROUP = -1009876


def buttons(message: dict[str, Any]) -> dict[str, str]:
    """Button text -> callback data, of a message as sent (or as it is now)."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return {b["text"]: b["callback_data"] for row in rows for b in row}


def button(message: dict[str, Any], word: str) -> str:
    found = [data for text, data in buttons(message).items() if word in text]
    assert found, f"no {word!r} button in {buttons(message)}"
    return found[0]


async def upload(h: Harness, clip: Path, chat_id: int | None = None, **kw: Any) -> None:
    mark = h.mark()
    h.tg.send_video(chat_id or h.chat_id, clip, **kw)
    await h.answer(mark, chat_id=chat_id)


async def edit(h: Harness, text: str, chat_id: int | None = None, **kw: Any) -> Call:
    instruction = h.tg.send_text(chat_id or h.chat_id, text, **kw)
    return await h.delivery(instruction, timeout=30)


async def answered(h: Harness, query_id: str, timeout: float = 10.0) -> dict[str, Any]:
    """answerCallbackQuery's parameters for a press: every press gets one."""
    await h.tg.wait_for_call(
        "answerCallbackQuery", lambda c: str(c.params.get("callback_query_id")) == query_id,
        timeout=timeout)
    answer = h.tg.callback_answer(query_id)
    assert answer is not None
    return answer


async def db_rows(h: Harness, sql: str, *params: Any) -> list[Any]:
    assert h.bot.db is not None
    return list(await h.bot.db.fetchall(sql, params))


async def test_result_buttons_undo_original_retry_and_history(tmp_path: Path, clip: Path) -> None:
    async with running_bot(tmp_path) as h:
        await upload(h, clip)
        delivered = await edit(h, "remove the car")
        clip_message = delivered.response
        shown = buttons(clip_message)
        assert any("Undo" in t for t in shown) and any("Original" in t for t in shown)
        assert any("Retry" in t and "$0.86" in t for t in shown)  # the price, before pressing

        # Original: the stored file as a document, byte for byte what was delivered.
        mark = h.mark()
        h.tg.press_button(h.chat_id, clip_message["message_id"], button(clip_message, "Original"))
        document = await h.answer(mark, "sendDocument")
        assert h.tg.uploaded_bytes(document, "document") == h.tg.uploaded_bytes(delivered)

        # Undo from the button: back to the upload, said in the chat.
        mark = h.mark()
        h.tg.press_button(h.chat_id, clip_message["message_id"], button(clip_message, "Undo"))
        undone = await h.answer(mark)
        assert "version 1" in undone.params["text"]

        # Retry: a second create with the same instruction on the same source clip.
        h.tg.press_button(h.chat_id, clip_message["message_id"], button(clip_message, "Retry"))
        await h.delivery(clip_message, timeout=30)
        first, second = (await db_rows(h, "SELECT args, source_media_id FROM jobs ORDER BY id"))
        assert json.loads(first["args"]) == json.loads(second["args"])
        assert first["source_media_id"] == second["source_media_id"] == 1
        assert len(h.em.jobs) == 2

        # History lists both branches with a button each; a press goes back for free.
        mark = h.mark()
        h.tg.send_text(h.chat_id, "/history")
        history = await h.answer(mark)
        assert history.params["text"].count("from v1") == 2
        v1 = next(d for t, d in buttons(history.response).items() if t.startswith("v1"))
        mark = h.mark()
        h.tg.press_button(h.chat_id, history.response["message_id"], v1)
        now = await h.answer(mark)
        assert "version 1" in now.params["text"]
        assert len(h.em.jobs) == 2  # going back costs nothing
        again = await edit(h, "make it rainy")
        assert "v2" in again.params["caption"]  # made from v1 again


async def test_stale_and_foreign_presses_are_answered(tmp_path: Path, clip: Path) -> None:
    async with running_bot(tmp_path) as h:
        await upload(h, clip)
        delivered = await edit(h, "remove the car")
        (status_id,) = [r["status_message_id"] for r in await db_rows(
            h, "SELECT status_message_id FROM jobs")]
        # The status message lost its Cancel button when the job ended; an old client may
        # still press it.
        qid = h.tg.press_button(h.chat_id, status_id, "job:stop:1", strict=False)
        assert "already finished" in (await answered(h, qid))["text"]
        # Data the bot never sent, and an id past 64 bits: a short answer, nothing else.
        for data in ("zz:top", "clip:retry:99999999999999999999999", "clip:retry:77"):
            qid = h.tg.press_button(h.chat_id, delivered.response["message_id"], data,
                                    strict=False)
            assert (await answered(h, qid))["text"]
        assert len(h.em.jobs) == 1


async def test_buttons_work_after_a_restart(tmp_path: Path, clip: Path) -> None:
    with TelegramEmulator() as tg:
        emulator = EmulatorServer(EmulatorConfig(time_scale=0.02, work_dir=tmp_path / "emu"))
        await emulator.start()
        try:
            async with running_bot(tmp_path, tg=tg, emulator=emulator) as h:
                await upload(h, clip)
                delivered = (await edit(h, "remove the car")).response
            async with running_bot(tmp_path, tg=tg, emulator=emulator) as h:
                mark = h.mark()
                tg.press_button(h.chat_id, delivered["message_id"], button(delivered, "Undo"))
                assert "version 1" in (await h.answer(mark)).params["text"]
        finally:
            await emulator.stop()


async def test_cancel_a_running_job_from_its_status(tmp_path: Path, clip: Path) -> None:
    async with running_bot(tmp_path) as h:
        await upload(h, clip)
        h.em.inject(slow=25.0)  # about 5 s at the provider
        instruction = h.tg.send_text(h.chat_id, "remove the car")
        status = (await h.reply_to(instruction)).response
        await h.wait_job_state(1, "submitted")
        qid = h.tg.press_button(h.chat_id, status["message_id"], button(status, "Cancel"))
        assert (await answered(h, qid))["text"] == "Stopped."
        await h.wait_job_state(1, "cancelled")
        (provider_job,) = h.em.jobs
        await h.em.wait_finished(provider_job)
        await asyncio.sleep(1.5)  # polls and callbacks that come late must deliver nothing
        assert not h.tg.calls("editMessageMedia")
        kinds = [r["kind"] for r in await db_rows(h, "SELECT kind FROM ledger ORDER BY id")]
        assert kinds == ["reserve", "release", "charge"]  # ShortAPI cannot cancel: spent
        edits = [c for c in h.tg.calls("editMessageText")
                 if c.params.get("message_id") == status["message_id"]]
        assert "Stopped waiting" in edits[-1].params["text"]
        assert len(edits) <= 3  # submitted, maybe one running update, and the last word


async def test_queue_per_person_in_order_with_places_and_cancel(tmp_path: Path,
                                                                clip: Path) -> None:
    env = {"MAX_RUNNING_JOBS_PER_USER": "1"}
    async with running_bot(tmp_path, env=env) as h:
        await upload(h, clip)
        h.em.inject(slow=10.0)  # about 2 s a job
        statuses = []
        for text in ("remove the car", "make it rainy", "make it snowy", "make it foggy"):
            instruction = h.tg.send_text(h.chat_id, text)
            statuses.append((await h.reply_to(instruction)).response)
        assert "queue" not in statuses[0]["text"]
        assert "In the queue: 1st" in statuses[1]["text"]
        assert "In the queue: 2nd" in statuses[2]["text"]
        assert "In the queue: 3rd" in statuses[3]["text"]
        assert len(h.em.jobs) == 1

        # The fourth is cancelled while it waits: no create, its reservation released.
        qid = h.tg.press_button(h.chat_id, statuses[3]["message_id"],
                                button(statuses[3], "Cancel"))
        await answered(h, qid)
        await h.wait_job_state(4, "cancelled")
        for job_id in (1, 2, 3):
            await h.wait_job_state(job_id, "delivered", timeout=40)
        prompts = [j.args["prompt"] for j in h.em.jobs.values()]
        assert prompts == ["remove the car", "make it rainy", "make it snowy"]  # in order
        moved = [c.params["text"] for c in h.tg.calls("editMessageText")
                 if c.params.get("message_id") == statuses[2]["message_id"]]
        assert any("In the queue: 1st" in t for t in moved)  # its place moved up
        ledger = await db_rows(h, "SELECT kind FROM ledger WHERE job_id = 4 ORDER BY id")
        assert [r["kind"] for r in ledger] == ["reserve", "release"]
        final = h.tg.message(h.chat_id, statuses[3]["message_id"])
        assert final is not None and "nothing was spent" in final["text"]


async def test_groups_act_on_what_was_meant_and_bill_the_presser(tmp_path: Path,
                                                                 clip: Path) -> None:
    with TelegramEmulator(privacy_mode=True) as tg:
        tg.chat(GROUP, chat_type="supergroup", title="Crew")
        alice, bob = tg.user(1001, "Alice", "alice"), tg.user(1002, "Bob", "bob")
        async with running_bot(tmp_path, tg=tg) as h:
            first = tg.send_video(GROUP, clip, user=alice, caption="@kling_test_bot remove the car")
            delivered = (await h.delivery(first, timeout=30)).response

            # Alice posts a clip without addressing the bot: privacy mode hides it. Bob's
            # reply to it still edits that clip, not the session's current one.
            unseen = tg.send_video(GROUP, clip, user=alice)
            reply = tg.send_text(GROUP, "@kling_test_bot make it snowy", user=bob,
                                 reply_to=unseen["message_id"])
            await h.delivery(reply, timeout=30)
            second = (await db_rows(h, "SELECT source_media_id, user_id FROM jobs WHERE id = 2"))[0]
            adopted = (await db_rows(h, "SELECT media_id FROM messages WHERE message_id = ?",
                                     unseen["message_id"]))[0]["media_id"]
            assert second["source_media_id"] == adopted and second["user_id"] == 1002

            # Bob presses Retry on Alice's clip: a new job, billed to Bob.
            tg.press_button(GROUP, delivered["message_id"], button(delivered, "Retry"),
                            user=bob)
            await h.wait_job_state(3, "delivered", timeout=30)
            third = (await db_rows(h, "SELECT user_id FROM jobs WHERE id = 3"))[0]
            assert third["user_id"] == 1002
            charged = await db_rows(h, "SELECT user_id FROM ledger WHERE job_id = 3 "
                                       "AND kind = 'charge'")
            assert [r["user_id"] for r in charged] == [1002]

            # Alice's slow job is not Bob's to stop.
            h.em.inject(slow=25.0)
            mine = tg.send_text(GROUP, "@kling_test_bot make it rainy", user=alice)
            await h.reply_to(mine)
            await h.wait_job_state(4, "submitted")
            mark = h.mark()
            tg.send_text(GROUP, "@kling_test_bot stop", user=bob)
            refusal = await h.answer(mark, chat_id=GROUP)
            assert "only a chat admin" in refusal.params["text"]
            await h.wait_job_state(4, "delivered", timeout=40)


async def test_status_edits_are_coalesced(tmp_path: Path) -> None:
    """Twenty state changes within a second, with the board's interval scaled down from 12 s to
    0.2 s: at most one edit per interval reaches Telegram, and the last one is the latest."""
    from telegram.ext import AIORateLimiter, ExtBot

    from bot.telegram.lanes import LanedRateLimiter
    from bot.telegram.status_board import StatusBoard

    with TelegramEmulator() as tg:
        bot: ExtBot[str] = ExtBot(tg.token, base_url=f"{tg.url}/bot",
                                  rate_limiter=LanedRateLimiter(AIORateLimiter()))
        tg.send_text(4242, "hello")  # the chat exists once its user wrote
        async with bot:
            sent = await bot.send_message(4242, "status")
            board = StatusBoard(bot, interval=0.2)
            for n in range(20):
                await board.progress(4242, sent.message_id, f"step {n}", None)
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.4)
            edits = [c for c in tg.calls("editMessageText") if c.ok]
            assert 1 <= len(edits) <= 6
            assert edits[-1].params["text"] == "step 19"
            await board.final(4242, sent.message_id, "done")
            assert tg.calls("editMessageText")[-1].params["text"] == "done"
            await board.aclose()


async def test_a_guess_is_asked_never_charged(tmp_path: Path, clip: Path) -> None:
    """Chit-chat starts nothing; a bare description is asked about with its price, and runs
    only on a yes."""
    async with running_bot(tmp_path) as h:
        await upload(h, clip)
        for chat in ("thx!", "спасибо!", "de nuevo", "hold on, stop that", "ok cool"):
            mark = h.mark()
            h.tg.send_text(h.chat_id, chat)
            await h.answer(mark)
        assert not h.em.jobs
        instruction = h.tg.send_text(h.chat_id, "rainy")
        question = (await h.reply_to(instruction)).response
        assert "$0.86" in question["text"] and not h.em.jobs
        h.tg.press_button(h.chat_id, question["message_id"], button(question, "Edit it"))
        await h.wait_job_state(1, "delivered", timeout=30)
        (job,) = h.em.jobs.values()
        assert job.args["prompt"] == "rainy"
        rows = await db_rows(h, "SELECT kind FROM ledger")
        assert [r["kind"] for r in rows] == ["reserve", "release", "charge"]
