"""Free edits said in plain words: done here with ffmpeg, at no cost, each a version in the
tree; nothing reaches the provider and the ledger stays empty."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import av

from bot.sandbox.samples import make_video
from tests.e2e.harness import Harness, running_bot


def probe_bytes(data: bytes, tmp_path: Path, name: str) -> tuple[float, int, int, bool]:
    path = tmp_path / name
    path.write_bytes(data)
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        seconds = float(container.duration or 0) / av.time_base
        return seconds, video.width, video.height, bool(container.streams.audio)


async def ask(h: Harness, text: str, method: str) -> dict:
    instruction = h.tg.send_text(h.chat_id, text)
    call = await h.reply_to(instruction, method, timeout=60)
    assert call.ok
    return {"call": call, "response": call.response}


async def test_free_edits_make_versions_and_cost_nothing(tmp_path: Path) -> None:
    clip = make_video(tmp_path / "sound.mp4", seconds=8.0, size="1280x720", audio=True)
    async with running_bot(tmp_path) as h:
        mark = h.mark()
        h.tg.send_video(h.chat_id, clip)
        await h.answer(mark)

        trimmed = await ask(h, "keep the first 5 seconds", "sendVideo")
        seconds, width, height, audio = probe_bytes(
            h.tg.uploaded_bytes(trimmed["call"]), tmp_path, "trim.mp4")
        assert abs(seconds - 5.0) <= 0.1 and (width, height) == (1280, 720) and audio
        assert "v2" in trimmed["call"].params["caption"] and "free" in trimmed["call"].params[
            "caption"]

        muted = await ask(h, "remove the sound", "sendVideo")
        seconds, _, _, audio = probe_bytes(h.tg.uploaded_bytes(muted["call"]), tmp_path, "m.mp4")
        assert not audio and abs(seconds - 5.0) <= 0.1

        vertical = await ask(h, "crop to vertical", "sendVideo")
        _, width, height, _ = probe_bytes(h.tg.uploaded_bytes(vertical["call"]), tmp_path,
                                          "v.mp4")
        assert width < height and abs(width / height - 9 / 16) < 0.02

        gif = await ask(h, "make a gif", "sendAnimation")
        assert h.tg.uploaded_bytes(gif["call"], "animation")[:4] == b"GIF8"

        mark = h.mark()
        h.tg.send_text(h.chat_id, "undo")
        assert "version 4" in (await h.answer(mark)).params["text"]  # back from the GIF

        assert not h.em.jobs  # nothing went to the provider
        assert h.bot.db is not None
        assert await h.bot.db.fetchall("SELECT * FROM ledger") == []


async def test_a_grabbed_frame_becomes_the_photo_to_animate(tmp_path: Path, clip: Path) -> None:
    async with running_bot(tmp_path) as h:
        mark = h.mark()
        h.tg.send_video(h.chat_id, clip)
        await h.answer(mark)
        frame = await ask(h, "grab the frame at 3 s", "sendPhoto")
        assert h.tg.uploaded_bytes(frame["call"], "photo")[:2] == b"\xff\xd8"  # a JPEG
        animated = h.tg.send_text(h.chat_id, "now animate that frame")
        await h.delivery(animated, timeout=30)
        (job,) = h.em.jobs.values()
        assert job.model.endswith("image-to-video")
        assert job.args["images"][0]["type"] == "first_frame"


def test_explain_reports_a_free_edit() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "explain", "--video", "12", "cut from 2 to 6"],
        capture_output=True, text=True, check=True, timeout=60)
    result = json.loads(done.stdout)
    assert result == {"intent": "local_edit", "model": None,
                      "args": {"op": "trim", "start": 2.0, "end": 6.0},
                      "estimated_cost_usd": 0.0, "error": None}
