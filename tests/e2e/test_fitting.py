"""Clips outside Kling's 3-10 s window are fitted, not refused; clips outside Kling's other
input limits are converted. Real media made with ffmpeg, the real bot against the fake Bot API
and the ShortAPI emulator; what the provider fetched is downloaded and probed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from bot.media.encoding import stream_facts
from bot.media.probe import MediaInfo, probe
from bot.sandbox.samples import (
    make_gif,
    make_hevc_mkv,
    make_jpeg,
    make_late_motion,
    make_video,
)
from bot.sandbox.telegram_api import Call
from tests.e2e.harness import Harness, running_bot

# Above every price here: the job runs without a Confirm step unless a test wants one.
NO_CONFIRM = {"CONFIRM_ABOVE_USD": "50"}


async def _upload(h: Harness, clip: Path, kind: str = "video") -> None:
    mark = h.mark()
    h.tg.send_video(h.chat_id, clip, kind=kind)
    await h.answer(mark)


def _button(call: Call, word: str) -> str:
    """The callback data of the button whose text contains `word`."""
    for row in call.params["reply_markup"]["inline_keyboard"]:
        for button in row:
            if word in button["text"]:
                return str(button["callback_data"])
    raise AssertionError(f"no {word!r} button in {call.params['reply_markup']}")


async def _offer(h: Harness, text: str) -> tuple[dict[str, Any], Call]:
    instruction = h.tg.send_text(h.chat_id, text)
    return instruction, await h.reply_to(instruction)


async def _fetched(h: Harness, tmp_path: Path, timeout: float = 60.0) -> tuple[Any, MediaInfo]:
    """The emulator's one job, and the video it was given, downloaded as the provider did."""
    for _ in range(int(timeout / 0.1)):
        if h.em.jobs:
            break
        await __import__("asyncio").sleep(0.1)
    (job,) = h.em.jobs.values()
    async with httpx.AsyncClient() as client:
        response = await client.get(job.args["video"])
    assert response.status_code == 200
    path = tmp_path / "fetched.mp4"
    path.write_bytes(response.content)
    assert response.headers["content-type"] == "video/mp4"
    return job, await probe(path)


async def test_a_long_clip_is_offered_parts_and_the_first_ten_seconds_go_to_kling(
    tmp_path: Path,
) -> None:
    clip = make_video(tmp_path / "long.mp4", seconds=14, fps=30, audio=True)
    async with running_bot(tmp_path) as h:
        await _upload(h, clip)
        instruction, offer = await _offer(h, "remove the car")
        text = offer.params["text"]
        assert "14 s" in text
        for word in ("First", "Last", "Liveliest", "Choose"):
            _button(offer, word)
        assert not h.em.jobs and not h.em.requests  # nothing is spent before the pick

        mark = h.mark()
        h.tg.press_button(h.chat_id, offer.response["message_id"], _button(offer, "First"))
        done = await h.answer(mark)
        assert "0:00–0:10" in done.params["text"] and "10 s" in done.params["text"]
        assert "$1.43" in done.params["text"]  # pro edit: $0.143/s for the cut's 10 s
        # $1.43 is over the default $1.00 threshold: the confirmation step applies.
        prompt = await h.answer(done.index + 1)
        assert "$1.43" in prompt.params["text"]
        h.tg.press_button(h.chat_id, prompt.response["message_id"], _button(prompt, "Confirm"))

        job, fetched = await _fetched(h, tmp_path)
        assert abs((fetched.duration or 0) - 10.0) <= 0.1
        assert fetched.codec == "h264"
        assert job.args["prompt"] == "remove the car"
        await h.reply_to(instruction, "sendVideo", timeout=30)

        # The cut is a version: undo goes back to the 14 s upload, free.
        assert h.bot.db is not None
        rows = await h.bot.db.fetchall("SELECT version, duration FROM media ORDER BY id")
        assert [r["version"] for r in rows][:2] == [1, 2]
        ledger = await h.bot.db.fetchall("SELECT kind FROM ledger")
        assert {r["kind"] for r in ledger} <= {"reserve", "release", "charge"}


async def test_liveliest_lands_where_the_motion_is(tmp_path: Path) -> None:
    clip = make_late_motion(tmp_path / "late.mp4")  # still for 7 s, then moving for 7 s
    async with running_bot(tmp_path, env=NO_CONFIRM) as h:
        await _upload(h, clip)
        _, offer = await _offer(h, "remove the car")
        mark = h.mark()
        h.tg.press_button(h.chat_id, offer.response["message_id"], _button(offer, "Liveliest"))
        done = await h.answer(mark)
        assert "0:04–0:14" in done.params["text"]
        _, fetched = await _fetched(h, tmp_path)
        assert abs((fetched.duration or 0) - 10.0) <= 0.1


async def test_a_range_said_in_words_is_used(tmp_path: Path) -> None:
    clip = make_video(tmp_path / "long.mp4", seconds=14, fps=30)
    async with running_bot(tmp_path, env=NO_CONFIRM) as h:
        await _upload(h, clip)
        _, offer = await _offer(h, "make it rainy")
        # Choose... says how; then a part that is too long is refused, a good one is used.
        mark = h.mark()
        h.tg.press_button(h.chat_id, offer.response["message_id"], _button(offer, "Choose"))
        assert "0:05 to 0:12" in (await h.answer(mark)).params["text"]
        mark = h.mark()
        h.tg.send_text(h.chat_id, "from 1 to 13 seconds")
        refused = await h.answer(mark)
        assert "12 s" in refused.params["text"] and not h.em.jobs
        mark = h.mark()
        h.tg.send_text(h.chat_id, "use 0:05 to 0:12")
        assert "0:05–0:12" in (await h.answer(mark)).params["text"]
        job, fetched = await _fetched(h, tmp_path)
        assert abs((fetched.duration or 0) - 7.0) <= 0.1
        assert job.args["prompt"] == "make it rainy"
        # The answered offer's buttons are gone; a press that was already on its way is stale.
        assert "reply_markup" not in (h.tg.message(h.chat_id, offer.response["message_id"]) or {})
        mark = h.mark()
        h.tg.press_button(h.chat_id, offer.response["message_id"], _button(offer, "First"),
                          strict=False)
        stale = await h.tg.wait_for_call("answerCallbackQuery", after=mark)
        assert "already" in stale.params["text"]
        assert len(h.em.jobs) == 1


async def test_a_two_second_clip_is_looped_to_three(tmp_path: Path) -> None:
    clip = make_video(tmp_path / "short.mp4", seconds=2, fps=30, audio=True)
    async with running_bot(tmp_path, env=NO_CONFIRM) as h:
        await _upload(h, clip)
        _, offer = await _offer(h, "remove the car")
        for word in ("Loop", "Slow"):
            _button(offer, word)
        # Someone else's press changes nothing.
        other = h.tg.user(1002, "Bob", "bob")
        mark = h.mark()
        h.tg.press_button(h.chat_id, offer.response["message_id"], _button(offer, "Loop"),
                          user=other)
        refused = await h.tg.wait_for_call("answerCallbackQuery", after=mark)
        assert refused.params.get("show_alert") and not h.em.jobs
        mark = h.mark()
        h.tg.press_button(h.chat_id, offer.response["message_id"], _button(offer, "Loop"))
        assert "Looped" in (await h.answer(mark)).params["text"]
        _, fetched = await _fetched(h, tmp_path)
        assert abs((fetched.duration or 0) - 3.0) <= 0.1 and fetched.has_audio


async def test_the_offer_survives_a_restart(tmp_path: Path) -> None:
    clip = make_video(tmp_path / "long.mp4", seconds=12, fps=30)
    from bot.sandbox.telegram_api import TelegramEmulator

    with TelegramEmulator() as tg:
        async with running_bot(tmp_path, tg=tg, env=NO_CONFIRM) as h:
            await _upload(h, clip)
            _, offer = await _offer(h, "remove the car")
        async with running_bot(tmp_path, tg=tg, env=NO_CONFIRM) as h:
            mark = h.mark()
            h.tg.press_button(h.chat_id, offer.response["message_id"], _button(offer, "Last"))
            assert "0:02–0:12" in (await h.answer(mark)).params["text"]
            _, fetched = await _fetched(h, tmp_path)
            assert abs((fetched.duration or 0) - 10.0) <= 0.1


async def _converted(h: Harness, tmp_path: Path) -> MediaInfo:
    """Ask for an edit of the held clip; the status says it was converted; probe the fetch."""
    instruction = h.tg.send_text(h.chat_id, "make it rainy")
    status = await h.reply_to(instruction)
    assert "converted" in status.params["text"]
    _, fetched = await _fetched(h, tmp_path)
    assert fetched.codec == "h264" and fetched.container.startswith("mov,mp4")
    assert min(fetched.width, fetched.height) >= 720 and max(fetched.width, fetched.height) <= 2160
    assert fetched.fps is not None and 24 <= fetched.fps <= 60
    return fetched


async def test_an_hevc_mkv_upload_is_converted(tmp_path: Path) -> None:
    clip = make_hevc_mkv(tmp_path / "phone.mkv")
    async with running_bot(tmp_path, env=NO_CONFIRM) as h:
        mark = h.mark()
        h.tg.send_video(h.chat_id, clip, kind="document", mime_type="video/x-matroska",
                        file_name="phone.mkv")
        await h.answer(mark)
        fetched = await _converted(h, tmp_path)
        assert (fetched.width, fetched.height, fetched.audio_codec) == (1280, 720, "aac")


async def test_a_video_note_is_scaled_up(tmp_path: Path) -> None:
    clip = make_video(tmp_path / "note.mp4", seconds=5, size="640x640", fps=30)
    async with running_bot(tmp_path, env=NO_CONFIRM) as h:
        await _upload(h, clip, kind="video_note")
        fetched = await _converted(h, tmp_path)
        assert (fetched.width, fetched.height) == (720, 720)


async def test_a_15_fps_gif_is_converted(tmp_path: Path) -> None:
    clip = make_gif(tmp_path / "anim.gif", seconds=4, fps=15)
    async with running_bot(tmp_path, env=NO_CONFIRM) as h:
        await _upload(h, clip, kind="animation")
        fetched = await _converted(h, tmp_path)
        assert (fetched.width, fetched.height, fetched.fps) == (1280, 720, 24.0)
        facts = await stream_facts(tmp_path / "fetched.mp4")
        assert abs(facts.duration - 4.0) <= 0.1


async def test_a_png_is_stored_and_served_as_a_png(tmp_path: Path) -> None:
    png = make_jpeg(tmp_path / "still.png", size="1024x768")  # ffmpeg writes what the name says
    async with running_bot(tmp_path, env=NO_CONFIRM) as h:
        mark = h.mark()
        h.tg.send_document(h.chat_id, png, mime_type="image/png", file_name="still.png")
        await h.answer(mark)
        assert h.bot.db is not None
        row = await h.bot.db.fetchone("SELECT path FROM media")
        assert row is not None and row["path"].endswith(".png")
        instruction = h.tg.send_text(h.chat_id, "animate this")
        await h.reply_to(instruction, "sendVideo", timeout=30)
        (job,) = h.em.jobs.values()
        async with httpx.AsyncClient() as client:
            response = await client.get(job.args["images"][0]["image"])
        assert response.headers["content-type"] == "image/png"
        assert response.content == png.read_bytes()


async def test_a_kling_job_on_a_gif_version_gets_an_mp4(tmp_path: Path, clip: Path) -> None:
    async with running_bot(tmp_path, env=NO_CONFIRM) as h:
        await _upload(h, clip)
        gif = h.tg.send_text(h.chat_id, "make a gif")
        await h.reply_to(gif, "sendAnimation", timeout=60)
        fetched = await _converted(h, tmp_path)
        assert abs((fetched.duration or 0) - 6.2) <= 0.2


async def test_a_short_clip_slowed_down_to_three_seconds(tmp_path: Path) -> None:
    clip = make_video(tmp_path / "short.mp4", seconds=2, fps=30, audio=True)
    async with running_bot(tmp_path, env=NO_CONFIRM) as h:
        await _upload(h, clip)
        _, offer = await _offer(h, "next shot: the car drives into a tunnel")
        mark = h.mark()
        h.tg.press_button(h.chat_id, offer.response["message_id"], _button(offer, "Slow"))
        assert "Slowed down to 3 s" in (await h.answer(mark)).params["text"]
        job, fetched = await _fetched(h, tmp_path)
        assert abs((fetched.duration or 0) - 3.0) <= 0.1 and fetched.fps is not None
        assert job.args["action"] == "refer"


async def test_a_local_bot_api_server_lifts_the_20_mb_limit(tmp_path: Path) -> None:
    from bot.sandbox.samples import make_padded_video
    from bot.sandbox.telegram_api import TelegramEmulator

    big = make_padded_video(tmp_path / "big.mp4", 21)
    with TelegramEmulator(local_mode=True) as tg:
        async with running_bot(tmp_path, tg=tg, env={"TELEGRAM_LOCAL_MODE": "true"}) as h:
            mark = h.mark()
            h.tg.send_video(h.chat_id, big)
            assert "Got your video" in (await h.answer(mark)).params["text"]
