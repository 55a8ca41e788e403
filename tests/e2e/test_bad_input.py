"""Bad input gets a short, specific answer and changes nothing else."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.sandbox.samples import make_padded_video, make_video
from tests.e2e.harness import Harness, running_bot


async def _count(h: Harness, table: str) -> int:
    assert h.bot.db is not None
    row = await h.bot.db.fetchone(f"SELECT COUNT(*) AS n FROM {table}")
    assert row is not None
    return int(row["n"])


async def test_video_over_20_mb_is_refused_with_the_limit(tmp_path: Path) -> None:
    big = make_padded_video(tmp_path / "big.mp4", 21)
    async with running_bot(tmp_path) as h:
        mark = h.mark()
        h.tg.send_video(h.chat_id, big)
        answer = await h.answer(mark)
        text = answer.params["text"]
        assert "20 MB" in text
        # How to get under it, and (for the operator) what lifts the limit.
        assert "as a video" in text and "editor" in text and "TELEGRAM_LOCAL_MODE" in text
        assert not h.tg.calls("getFile")
        assert await _count(h, "media") == 0


async def test_non_video_file_is_refused(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("remove the car\n")
    async with running_bot(tmp_path) as h:
        mark = h.mark()
        h.tg.send_document(h.chat_id, notes, mime_type="text/plain", file_name="notes.txt")
        answer = await h.answer(mark)
        assert "text/plain" in answer.params["text"]
        assert "video" in answer.params["text"]
        assert await _count(h, "media") == 0


async def test_garbage_with_a_video_type_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "clip.mp4"
    fake.write_bytes(b"\x00\x01 definitely not a video" * 100)
    async with running_bot(tmp_path) as h:
        mark = h.mark()
        h.tg.send_document(h.chat_id, fake, mime_type="video/mp4", file_name="clip.mp4")
        answer = await h.answer(mark)
        assert "couldn't read that file" in answer.params["text"]
        assert await _count(h, "media") == 0


async def test_text_before_any_video(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as h:
        mark = h.mark()
        h.tg.send_text(h.chat_id, "remove the car")
        answer = await h.answer(mark)
        assert "or a photo first" in answer.params["text"]
        assert not h.em.jobs and await _count(h, "jobs") == 0


async def test_short_and_long_videos_name_the_3_to_10_second_rule(tmp_path: Path) -> None:
    short = make_video(tmp_path / "short.mp4", seconds=2, size="1280x720")
    long = make_video(tmp_path / "long.mp4", seconds=12, size="1280x720")
    async with running_bot(tmp_path) as h:
        for clip, length in ((short, "2.0"), (long, "12.0")):
            mark = h.mark()
            h.tg.send_video(h.chat_id, clip)
            got = await h.answer(mark)
            assert "3–10" in got.params["text"] and length in got.params["text"]
            mark = h.mark()
            h.tg.send_text(h.chat_id, "remove the car")
            refusal = await h.answer(mark)
            text = refusal.params["text"]
            assert "3" in text and "10" in text, text
            assert length.rstrip("0").rstrip(".") in text or length in text, text
        assert not h.em.jobs and await _count(h, "jobs") == 0


async def test_video_note_animation_and_video_file_are_accepted(tmp_path: Path, clip: Path) -> None:
    async with running_bot(tmp_path) as h:
        for kind in ("video_note", "animation"):
            mark = h.mark()
            h.tg.send_video(h.chat_id, clip, kind=kind)
            got = await h.answer(mark)
            assert "6.2 s" in got.params["text"], kind
        mark = h.mark()
        h.tg.send_document(h.chat_id, clip, mime_type="video/mp4", file_name="holiday.mp4")
        got = await h.answer(mark)
        assert "6.2 s" in got.params["text"]
        assert await _count(h, "media") == 3


async def test_editing_an_instruction_does_not_start_another_job(tmp_path: Path, clip: Path) -> None:
    async with running_bot(tmp_path) as h:
        mark = h.mark()
        h.tg.send_video(h.chat_id, clip)
        await h.answer(mark)
        instruction = h.tg.send_text(h.chat_id, "remove the car")
        await h.reply_to(instruction, "sendVideo", timeout=30)
        mark = h.mark()
        h.tg.edit_text(h.chat_id, instruction["message_id"], "remove the red car")
        h.tg.send_text(h.chat_id, "/history")  # a marker: answered after the edit was seen
        history = await h.answer(mark)
        assert "Versions" in history.params["text"]
        await asyncio.sleep(0.5)
        assert len(h.em.jobs) == 1


async def test_unknown_command_gets_a_pointer_to_help(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as h:
        mark = h.mark()
        h.tg.send_text(h.chat_id, "/frobnicate now")
        answer = await h.answer(mark)
        assert answer.params["text"] == "I don't know /frobnicate. /help lists what I can do."
