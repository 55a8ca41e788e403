"""The process can die at any line: the next start picks up every open job and delivers each
result exactly once, and never re-sends a create whose answer was lost."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from decimal import Decimal
from pathlib import Path

from bot.domain.money import from_micros
from bot.emulator.server import EmulatorServer
from bot.emulator.state import EmulatorConfig
from bot.engine.deps import Timing
from bot.sandbox.telegram_api import TelegramEmulator
from bot.store import ledger
from tests.e2e.harness import FAST, clip_messages, deliveries, running_bot

# With callbacks working the first poll would wait 30 s; after a restart the bot must look at
# once, not wait for a callback that went to the dead process.
PATIENT = Timing(first_poll=30, max_poll_with_callback=30, job_timeout=120)


async def _upload(h, clip: Path) -> None:  # type: ignore[no-untyped-def]
    mark = h.mark()
    h.tg.send_video(h.chat_id, clip)
    await h.answer(mark)


async def _user_id(h) -> int:  # type: ignore[no-untyped-def]
    row = await h.bot.db.fetchone("SELECT id FROM users")
    return int(row["id"])


async def test_restart_while_the_provider_works_delivers_once(tmp_path: Path, clip: Path) -> None:
    with TelegramEmulator() as tg:
        config = EmulatorConfig(time_scale=0.02, running_seconds=60,  # 1.2 s of running
                                callback_retry_seconds=0.05, work_dir=tmp_path / "em")
        async with EmulatorServer(config) as emulator:
            async with running_bot(tmp_path, tg=tg, emulator=emulator, timing=PATIENT) as h:
                await _upload(h, clip)
                instruction = tg.send_text(h.chat_id, "remove the car")
                await h.reply_to(instruction)
                await h.wait_job_state(1, "submitted")
            # The bot is down; the provider finishes and its callback finds nobody.
            job = next(iter(emulator.emulator.jobs.values()))
            await asyncio.wait_for(emulator.emulator.wait_finished(job.id), 20)
            assert not tg.calls("editMessageMedia")
            async with running_bot(tmp_path, tg=tg, emulator=emulator, timing=PATIENT) as h:
                delivered = await h.delivery(instruction, timeout=15)
                assert "v2" in delivered.params["caption"]
                await h.wait_job_state(1, "delivered")
            async with running_bot(tmp_path, tg=tg, emulator=emulator, timing=PATIENT) as h:
                await asyncio.sleep(0.5)
            assert len(deliveries(tg)) == 1 and len(clip_messages(tg, 4242)) == 1
            assert len(emulator.emulator.jobs) == 1  # never re-submitted


async def test_crash_during_create_marks_the_job_lost_and_never_resends(
    tmp_path: Path, clip: Path
) -> None:
    with TelegramEmulator() as tg:
        async with EmulatorServer(EmulatorConfig(time_scale=0.02, work_dir=tmp_path / "em")) as emulator:
            async with running_bot(tmp_path, tg=tg, emulator=emulator) as h:
                await _upload(h, clip)
                db = h.bot.db
                assert db is not None
                user_id = await _user_id(h)
                # What a crash between "create sent" and "answer recorded" leaves behind.
                async with db.transaction() as tx:
                    await tx.execute(
                        "INSERT INTO jobs(chat_id, thread_id, user_id, request_message_id, "
                        "source_media_id, intent, instruction, model, args, state, "
                        "callback_token_hash, estimate_micros, created_at, updated_at) "
                        "VALUES (?, 0, ?, 2, 1, 'edit', 'remove the car', "
                        "'kwaivgi/kling-o3/video-to-video', ?, 'submitting', 'h', 858000, ?, ?)",
                        (h.chat_id, user_id, json.dumps({"action": "edit", "mode": "pro",
                                                "prompt": "remove the car", "video": "<video>"}),
                         time.time(), time.time()),
                    )
                    await tx.execute(
                        "INSERT INTO ledger(job_id, chat_id, user_id, model, kind, micros, "
                        "created_at) VALUES (1, ?, ?, 'm', 'reserve', 858000, ?)",
                        (h.chat_id, user_id, time.time()),
                    )
            mark = len(tg.calls())
            async with running_bot(tmp_path, tg=tg, emulator=emulator) as h:
                await h.wait_job_state(1, "lost")
                told = await h.answer(mark)
                assert "can't tell whether ShortAPI received it" in told.params["text"]
                assert "$0.86" in told.params["text"]
                spent, held = await ledger.totals(h.bot.db, chat_id=h.chat_id)  # type: ignore[arg-type]
                assert from_micros(spent) == Decimal("0.858") and held == 0
            assert not emulator.emulator.jobs  # nothing was sent again


async def test_pending_job_left_at_a_crash_is_sent_on_start(tmp_path: Path, clip: Path) -> None:
    with TelegramEmulator() as tg:
        async with EmulatorServer(EmulatorConfig(time_scale=0.02, callback_retry_seconds=0.05,
                                                 work_dir=tmp_path / "em")) as emulator:
            async with running_bot(tmp_path, tg=tg, emulator=emulator) as h:
                await _upload(h, clip)
                assert h.bot.db is not None
                user_id = await _user_id(h)
                async with h.bot.db.transaction() as tx:
                    await tx.execute(
                        "INSERT INTO jobs(chat_id, thread_id, user_id, request_message_id, "
                        "source_media_id, intent, instruction, model, args, state, "
                        "callback_token_hash, estimate_micros, created_at, updated_at) "
                        "VALUES (?, 0, ?, 2, 1, 'edit', 'make it rainy', "
                        "'kwaivgi/kling-o3/video-to-video', ?, 'pending', '', 858000, ?, ?)",
                        (h.chat_id, user_id, json.dumps({"action": "edit", "mode": "pro",
                                                "prompt": "make it rainy", "video": "<video>"}),
                         time.time(), time.time()),
                    )
            async with running_bot(tmp_path, tg=tg, emulator=emulator, timing=FAST) as h:
                await h.wait_job_state(1, "delivered", timeout=30)
            assert len(emulator.emulator.jobs) == 1
            assert len(deliveries(tg)) == 1 and len(clip_messages(tg, 4242)) == 1


async def test_a_finished_job_is_delivered_after_a_long_downtime(
    tmp_path: Path, clip: Path
) -> None:
    """Kling finished, Telegram refused the clip until the bot stopped, and the bot came back
    after the job timeout: the clip is delivered. It used to end "Kling took too long", a
    paid result thrown away."""
    with TelegramEmulator() as tg:
        config = EmulatorConfig(time_scale=0.02, callback_retry_seconds=0.05,
                                work_dir=tmp_path / "em")
        async with EmulatorServer(config) as emulator:
            async with running_bot(tmp_path, tg=tg, emulator=emulator) as h:
                await _upload(h, clip)
                tg.set_flood("editMessageMedia", 1000, retry_after=1)
                instruction = tg.send_text(h.chat_id, "remove the car")
                await h.wait_job_state(1, "succeeded", timeout=30)
            tg.set_flood("editMessageMedia", 0)
            with sqlite3.connect(tmp_path / "bot.sqlite3") as db:  # the bot is down for 2 h
                db.execute("UPDATE jobs SET submitted_at = submitted_at - 7200, "
                           "created_at = created_at - 7200")
            async with running_bot(tmp_path, tg=tg, emulator=emulator) as h:
                await h.delivery(instruction, timeout=30)
                await h.wait_job_state(1, "delivered")
            assert len(deliveries(tg)) == 1 and len(clip_messages(tg, 4242)) == 1
