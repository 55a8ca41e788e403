"""Undo, redo, history, replies to older clips, stop, again, spend, timeouts, webhook mode."""

from __future__ import annotations

from pathlib import Path

from bot.engine.deps import Timing
from bot.sandbox.telegram_api import TelegramEmulator
from tests.e2e.harness import Harness, running_bot


async def _edit(h: Harness, text: str, reply_to: int | None = None) -> dict:
    instruction = h.tg.send_text(h.chat_id, text, reply_to=reply_to)
    delivered = await h.delivery(instruction, timeout=30)
    return delivered.response


async def _say(h: Harness, text: str) -> str:
    mark = h.mark()
    h.tg.send_text(h.chat_id, text)
    return str((await h.answer(mark)).params["text"])


async def test_versions_undo_redo_history_and_branching(tmp_path: Path, clip: Path) -> None:
    async with running_bot(tmp_path) as h:
        mark = h.mark()
        h.tg.send_video(h.chat_id, clip)
        await h.answer(mark)
        v2 = await _edit(h, "remove the car")
        v3 = await _edit(h, "make it rainy")
        assert "v3" in v3["caption"]

        assert "version 2" in await _say(h, "undo")
        assert "version 3" in await _say(h, "redo")
        assert "nothing to redo" in await _say(h, "redo")
        history = await _say(h, "/history")
        assert history.index("v3") < history.index("v2") < history.index("v1")
        assert "current" in history

        # A reply to the v2 clip continues from v2: a new branch, version 3 again.
        branch = await _edit(h, "make it snowy", reply_to=v2["message_id"])
        assert "v3" in branch["caption"]
        sources = [j.args["video"].split("/media/")[1].split("?")[0] for j in h.em.jobs.values()]
        assert sources == ["1", "2", "2"]  # upload -> v2 -> v3; then v2 -> another v3

        spend = await _say(h, "how much have I spent?")
        assert "$2.57" in spend  # three pro edits of a 6 s clip: 3 x 0.858


async def test_stop_then_again(tmp_path: Path, clip: Path) -> None:
    async with running_bot(tmp_path) as h:
        mark = h.mark()
        h.tg.send_video(h.chat_id, clip)
        await h.answer(mark)
        h.em.inject(stuck=True)
        instruction = h.tg.send_text(h.chat_id, "remove the car")
        await h.reply_to(instruction)
        await h.wait_job_state(1, "submitted")
        h.tg.send_text(h.chat_id, "stop")
        await h.tg.wait_for_call(
            "editMessageText", lambda c: c.ok and "Stopped waiting" in c.params["text"])
        await h.wait_job_state(1, "cancelled")
        assert "Nothing is running" in await _say(h, "stop")

        h.em.inject(stuck=False)
        again = h.tg.send_text(h.chat_id, "try again")
        delivered = await h.delivery(again, timeout=30)
        assert "remove the car" in delivered.params["caption"]


async def test_a_job_that_never_finishes_times_out(tmp_path: Path, clip: Path) -> None:
    quick_timeout = Timing(first_poll=0.2, max_poll_with_callback=0.3, job_timeout=2.0)
    async with running_bot(tmp_path, timing=quick_timeout) as h:
        mark = h.mark()
        h.tg.send_video(h.chat_id, clip)
        await h.answer(mark)
        h.em.inject(stuck=True)
        h.tg.send_text(h.chat_id, "remove the car")
        await h.tg.wait_for_call(
            "editMessageText", lambda c: c.ok and "took too long" in c.params["text"], timeout=15)
        await h.wait_job_state(1, "failed")


async def test_webhook_mode(tmp_path: Path, clip: Path) -> None:
    with TelegramEmulator(allow_http_webhook=True) as tg:
        async with running_bot(tmp_path, tg=tg, env={"TELEGRAM_MODE": "webhook"}) as h:
            hook = tg.calls("setWebhook")[-1]
            assert hook.params["url"].endswith("/telegram") and hook.params["secret_token"]
            mark = h.mark()
            tg.send_video(h.chat_id, clip)
            await h.answer(mark)
            delivered = await _edit(h, "remove the car")
            assert "v2" in delivered["caption"]
            assert not tg.calls("getUpdates")


async def test_start_and_help_explain_with_examples(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as h:
        for command in ("/start", "/help", "what can you do?"):
            text = await _say(h, command)
            assert "remove the car" in text and "make it rainy" in text, command


async def test_webhook_refuses_requests_without_the_secret(tmp_path: Path) -> None:
    import httpx

    with TelegramEmulator(allow_http_webhook=True) as tg:
        async with running_bot(tmp_path, tg=tg, env={"TELEGRAM_MODE": "webhook"}) as h:
            update = {"update_id": 1, "message": {"message_id": 1, "date": 0, "text": "/start",
                                                  "chat": {"id": 5, "type": "private"}}}
            async with httpx.AsyncClient() as client:
                missing = await client.post(f"{h.bot.public_url}/telegram", json=update)
                wrong = await client.post(f"{h.bot.public_url}/telegram", json=update,
                                          headers={"X-Telegram-Bot-Api-Secret-Token": "guess"})
            assert missing.status_code == 403 and wrong.status_code == 403
            assert not tg.calls("sendMessage")
