"""The foundation path: upload -> "remove the car" -> status -> clip -> "now make it rainy"."""

from __future__ import annotations

import logging
from decimal import Decimal
from pathlib import Path

import av
import pytest

from bot.store import ledger
from tests.e2e.harness import PROVIDER_KEY, running_bot

V2V = "kwaivgi/kling-o3/video-to-video"


async def test_upload_edit_and_edit_again(tmp_path: Path, clip: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)  # the level the bot runs at
    async with running_bot(tmp_path) as h:
        tg, chat = h.tg, h.chat_id
        mark = h.mark()
        tg.send_video(chat, clip)
        got = await h.answer(mark)
        assert "6.2 s, 1280x720" in got.params["text"]

        instruction = tg.send_text(chat, "remove the car")
        status = await h.reply_to(instruction)
        assert "Estimated cost: $0.86" in status.params["text"]
        assert "pro" in status.params["text"]
        assert "remove the car" in status.params["text"]

        delivered = await h.delivery(instruction, timeout=30)
        assert "remove the car" in delivered.params["caption"]
        assert "v2" in delivered.params["caption"] and "$0.86" in delivered.params["caption"]
        sent_bytes = tg.uploaded_bytes(delivered)
        result_path = tmp_path / "result.mp4"
        result_path.write_bytes(sent_bytes)
        with av.open(str(result_path)) as container:
            assert container.streams.video[0].width == 1280

        jobs = list(h.em.jobs.values())
        assert len(jobs) == 1
        first = jobs[0]
        assert first.model == V2V
        assert {k: v for k, v in first.args.items() if k != "video"} == {
            "action": "edit", "mode": "pro", "prompt": "remove the car"}
        assert first.args["video"].startswith(f"{h.bot.public_url}/media/")
        assert "sig=" in first.args["video"] and tg.token not in first.args["video"]
        assert first.fetches and first.fetches[0].status == 200
        assert first.callback_url and first.callback_url.startswith(f"{h.bot.public_url}/callbacks/")

        # The result is now the current clip: the next instruction edits version 2.
        again = tg.send_text(chat, "now make it rainy")
        await h.reply_to(again)
        second_clip = await h.delivery(again, timeout=30)
        assert "v3" in second_clip.params["caption"]
        second = next(j for j in h.em.jobs.values() if j.id != first.id)
        assert second.args["prompt"] == "now make it rainy" or "rainy" in second.args["prompt"]
        assert second.args["video"] != first.args["video"]

        # The ledger holds exactly what the emulator reported, and nothing is left reserved.
        assert h.bot.db is not None
        spent, held = await ledger.totals(h.bot.db, chat_id=chat)
        expected = sum((j.amount for j in h.em.jobs.values()), Decimal(0))
        assert Decimal(spent) / 1_000_000 == expected
        assert held == 0

    logs = caplog.text
    assert tg.token not in logs and tg.token.split(":")[1] not in logs
    assert PROVIDER_KEY not in logs
    assert "/file/bot" not in logs


async def test_in_process_emulator_says_so(tmp_path: Path, clip: Path) -> None:
    async with running_bot(tmp_path, emulated_in_process=True) as h:
        mark = h.mark()
        h.tg.send_video(h.chat_id, clip)
        await h.answer(mark)
        instruction = h.tg.send_text(h.chat_id, "make it look like a watercolor")
        status = await h.reply_to(instruction)
        assert "Demo mode" in status.params["text"]
        delivered = await h.delivery(instruction, timeout=30)
        assert "v2" in delivered.params["caption"]
