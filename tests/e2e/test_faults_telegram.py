"""Telegram faults through the fake Bot API's fault injection: each ends in a clear state,
with no loop and no traceback in the log."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from bot.sandbox.telegram_api import Call, TelegramEmulator
from tests.e2e.harness import Harness, running_bot

BOT_LOGGERS = ("bot", "telegram")


def bot_tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Log records of the bot (and of PTB on its behalf) that carry a traceback."""
    return [r.getMessage() for r in caplog.records
            if r.exc_info and r.name.split(".")[0] in BOT_LOGGERS]


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_an_update_the_library_cannot_read_is_passed_over(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, mode: str
) -> None:
    """PTB failed the whole batch on one unreadable update and asked for it again about 100
    times a second, forever; no later update was handled. A webhook answered it 500, and
    Telegram sends it again and again, holding up every update behind it."""
    caplog.set_level(logging.WARNING)
    with TelegramEmulator(allow_http_webhook=True) as tg:
        async with running_bot(tmp_path, tg=tg, env={"TELEGRAM_MODE": mode}) as h:
            polls_before = len(h.tg.calls("getUpdates"))
            bad = h.tg.send_update("message", {"text": "no date, no chat"})
            h.tg.send_update("message", {"message_id": 1, "date": 0,
                                         "chat": {"id": h.chat_id, "type": "private"},
                                         "text": "x", "entities": [{"type": "bold"}]})
            mark = h.mark()
            h.tg.send_text(h.chat_id, "/start")
            answer = await h.answer(mark)
            assert "video" in answer.params["text"].lower()
            # Both bad updates were confirmed with the good one: a few polls, not hundreds.
            assert len(h.tg.calls("getUpdates")) - polls_before < 10
            with h.tg.world.lock:
                assert h.tg.world.webhook_error is None
        skipped = [r.getMessage() for r in caplog.records if "cannot read" in r.getMessage()]
        assert len(skipped) == 2 and str(bad["update_id"]) in skipped[0]
        assert not bot_tracebacks(caplog)


def ok_answers(h: Harness, after: int, method: str = "sendMessage") -> list[Call]:
    return [c for c in h.tg.calls(method) if c.ok and c.index >= after]


@pytest.mark.parametrize("fault", ["flood", "5xx", "network"])
async def test_a_reply_through_a_passing_fault_arrives_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, fault: str
) -> None:
    """RetryAfter is waited out; a 5xx or a dropped connection is tried again."""
    caplog.set_level(logging.INFO)
    async with running_bot(tmp_path) as h:
        if fault == "flood":
            h.tg.set_flood("sendMessage", 2, retry_after=1)
        elif fault == "5xx":
            h.tg.fail("sendMessage", 2, status=502, description="Bad Gateway")
        else:
            h.tg.fail("sendMessage", 2, drop=True)
        mark = h.mark()
        h.tg.send_text(h.chat_id, "/start")
        answer = await h.answer(mark)
        assert "video" in answer.params["text"].lower()
        assert len(ok_answers(h, mark)) == 1
        assert len([c for c in h.tg.calls("sendMessage") if c.index >= mark]) == 3
        assert not bot_tracebacks(caplog)


async def test_a_telegram_that_keeps_failing_costs_one_line_and_no_loop(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    async with running_bot(tmp_path) as h:
        h.tg.fail("sendMessage", 1000, status=500)
        mark = h.mark()
        h.tg.send_text(h.chat_id, "/start")
        await h.tg.wait_for_call("sendMessage", after=mark)
        await asyncio.sleep(6)  # the retries' waits are at most 0.5 + 1 + 2 s
        tries = [c for c in h.tg.calls("sendMessage") if c.index >= mark]
        assert 1 < len(tries) <= 4 and not any(c.ok for c in tries)
        assert len([r for r in caplog.records if "could not be sent" in r.getMessage()]) == 1
        assert not bot_tracebacks(caplog)
        h.tg.fail("sendMessage", 0)
        mark = h.mark()
        h.tg.send_text(h.chat_id, "/start")  # and the bot still answers afterwards
        await h.answer(mark)


@pytest.mark.parametrize("refusal", [(403, "Forbidden: bot was kicked from the group chat"),
                                     (400, "Bad Request: chat not found")])
async def test_a_chat_that_is_gone_gets_no_retries(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, refusal: tuple[int, str]
) -> None:
    caplog.set_level(logging.INFO)
    status, description = refusal
    async with running_bot(tmp_path) as h:
        h.tg.fail("sendMessage", 1000, status=status, description=description)
        mark = h.mark()
        h.tg.send_text(h.chat_id, "/start")
        await h.tg.wait_for_call("sendMessage", after=mark)
        await asyncio.sleep(1.0)
        assert len([c for c in h.tg.calls("sendMessage") if c.index >= mark]) == 1
        assert not bot_tracebacks(caplog)


async def _start_job(h: Harness, clip: Path) -> dict:
    mark = h.mark()
    h.tg.send_video(h.chat_id, clip)
    await h.answer(mark)
    instruction = h.tg.send_text(h.chat_id, "remove the car")
    await h.reply_to(instruction)  # the status message
    return instruction


async def _ledger_kinds(h: Harness, job_id: int = 1) -> list[str]:
    assert h.bot.db is not None
    rows = await h.bot.db.fetchall("SELECT kind FROM ledger WHERE job_id = ? ORDER BY id",
                                   (job_id,))
    return [r["kind"] for r in rows]


async def test_a_status_message_that_was_deleted_does_not_stop_the_clip(
    tmp_path: Path, clip: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    async with running_bot(tmp_path) as h:
        h.em.inject(slow=5.0)
        await _start_job(h, clip)
        h.tg.fail("editMessageText", 1000, status=400,
                  description="Bad Request: message to edit not found")
        await h.wait_job_state(1, "delivered", timeout=40)
        assert await _ledger_kinds(h) == ["reserve", "release", "charge"]
        assert not bot_tracebacks(caplog)


async def test_telegram_failing_for_a_while_mid_job_still_delivers_once(
    tmp_path: Path, clip: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    async with running_bot(tmp_path) as h:
        h.em.inject(slow=3.0)
        await _start_job(h, clip)
        h.tg.fail("*", 6, status=502, description="Bad Gateway")
        await h.wait_job_state(1, "delivered", timeout=60)
        await asyncio.sleep(0.5)
        clips = [c for c in h.tg.calls() if c.ok and c.method in ("sendVideo", "editMessageMedia")]
        assert len(clips) == 1
        assert await _ledger_kinds(h) == ["reserve", "release", "charge"]


async def test_a_bot_kicked_from_the_chat_mid_job_ends_it_without_a_loop(
    tmp_path: Path, clip: Path
) -> None:
    async with running_bot(tmp_path) as h:
        h.em.inject(slow=5.0)
        await _start_job(h, clip)
        h.tg.fail("*", 10_000, status=403, description="Forbidden: bot was kicked from the "
                  "group chat")
        await h.wait_job_state(1, "failed", timeout=40)
        await asyncio.sleep(1.0)
        tries = len(h.tg.calls())
        await asyncio.sleep(2.0)
        assert len([c for c in h.tg.calls()[tries:] if c.method != "getUpdates"]) == 0
        assert h.bot.db is not None
        row = await h.bot.db.fetchone("SELECT error FROM jobs WHERE id = 1")
        assert row is not None and row["error"] == "undeliverable"
        assert await _ledger_kinds(h) == ["reserve", "release", "charge"]  # it was paid for


async def test_a_command_menu_telegram_refuses_at_start_up_does_not_stop_the_bot(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    with TelegramEmulator() as tg:
        tg.fail("setMyCommands", 100, status=500)
        async with running_bot(tmp_path, tg=tg) as h:
            mark = h.mark()
            h.tg.send_text(h.chat_id, "/start")
            await h.answer(mark)
        menu = [r for r in caplog.records if "command menu" in r.getMessage()]
        assert len(menu) == 1 and not bot_tracebacks(caplog)
