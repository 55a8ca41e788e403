"""One conversation per Kling O3 path, each asserting the exact args the emulator received."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.sandbox.samples import make_jpeg
from tests.e2e.harness import Harness, running_bot

I2V = "kwaivgi/kling-o3/image-to-video"
V2V = "kwaivgi/kling-o3/video-to-video"


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("photos")
    colors = ["red", "green", "blue"]
    return [make_jpeg(folder / f"p{i}.jpg", size="640x480", color=c) for i, c in enumerate(colors)]


def _without_media(args: dict[str, Any]) -> dict[str, Any]:
    """Args with media URLs replaced by their kind, for exact comparison."""
    out = dict(args)
    if "video" in out:
        assert out["video"].startswith("http://127.0.0.1:") and "/media/" in out["video"]
        out["video"] = "<video url>"
    if "images" in out:
        out["images"] = [
            {**i, "image": "<url>"} if isinstance(i, dict) else "<url>" for i in out["images"]
        ]
    return out


async def _run(h: Harness, text: str, **kwargs: Any) -> Any:
    instruction = h.tg.send_text(h.chat_id, text, **kwargs)
    await h.delivery(instruction, timeout=40)
    return list(h.em.jobs.values())[-1]


async def _send_photos(h: Harness, photos: list[Path]) -> None:
    for photo in photos:
        mark = h.mark()
        h.tg.send_photo(h.chat_id, photo)
        await h.answer(mark)


async def test_album_of_three_with_a_reference_prompt(tmp_path: Path, photos: list[Path]) -> None:
    async with running_bot(tmp_path) as h:
        text = "the man from the first photo wearing the jacket from the second, walking through the third"
        first = h.tg.send_album(h.chat_id, photos, caption=text)[0]
        await h.delivery(first, timeout=40)
        job = list(h.em.jobs.values())[-1]
        assert job.model == I2V
        assert _without_media(job.args) == {
            "prompt": "the man from [@image1] wearing the jacket from [@image2], walking through [@image3]",
            "mode": "pro", "duration": 5, "aspect_ratio": "16:9", "sound": "off",
            "images": [{"image": "<url>"}] * 3,
        }
        # <image1> is the first photo of the album, whatever order the downloads finished in.
        media_ids = [int(i["image"].split("/media/")[1].split("?")[0]) for i in job.args["images"]]
        assert h.bot.db is not None
        shown_in = [
            (await h.bot.db.fetchone("SELECT message_id FROM messages WHERE media_id = ?", (m,)))[0]
            for m in media_ids
        ]
        assert shown_in == sorted(shown_in) and shown_in[0] == first["message_id"]
        assert len(job.fetches) == 3 and all(f.status == 200 for f in job.fetches)


async def test_first_and_last_frame(tmp_path: Path, photos: list[Path]) -> None:
    async with running_bot(tmp_path) as h:
        await _send_photos(h, photos[:2])
        job = await _run(h, "start from the first photo and end on the second, 8 seconds")
        assert job.model == I2V
        assert _without_media(job.args) == {
            "prompt": "start from the first photo and end on the second",
            "mode": "pro", "duration": 8, "aspect_ratio": "16:9", "sound": "off",
            "images": [{"image": "<url>", "type": "first_frame"}, {"image": "<url>", "type": "end_frame"}],
        }


async def test_multi_shot_customize(tmp_path: Path, photos: list[Path]) -> None:
    async with running_bot(tmp_path) as h:
        await _send_photos(h, photos[:1])
        job = await _run(h, "shot 1 (3s): a cat wakes up, shot 2 (4s): it stretches in the sun")
        assert job.args["multi_shot"] is True and job.args["shot_type"] == "customize"
        assert job.args["multi_prompt"] == [
            {"prompt": "a cat wakes up", "duration": 3},
            {"prompt": "it stretches in the sun", "duration": 4},
        ]
        assert job.args["duration"] == 7
        assert "type" not in job.args["images"][0]  # no first/last frames in multi-shot


async def test_refer_with_duration_and_aspect_ratio(tmp_path: Path, clip: Path) -> None:
    async with running_bot(tmp_path) as h:
        mark = h.mark()
        h.tg.send_video(h.chat_id, clip)
        await h.answer(mark)
        mark = h.mark()
        instruction = h.tg.send_text(
            h.chat_id, "next shot: the car drives into a tunnel, 8 seconds, vertical")
        prompt = await h.answer(mark)  # $1.14 is over the $1.00 confirmation threshold
        assert "$1.14" in prompt.params["text"]
        data = prompt.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        h.tg.press_button(h.chat_id, prompt.response["message_id"], data)
        await h.delivery(instruction, timeout=40)
        job = list(h.em.jobs.values())[-1]
        assert job.model == V2V
        assert _without_media(job.args) == {
            "action": "refer", "mode": "pro", "prompt": "the car drives into a tunnel",
            "video": "<video url>", "duration": 8, "aspect_ratio": "9:16",
        }
        assert str(job.amount) == "1.144"


async def test_std_mode(tmp_path: Path, clip: Path) -> None:
    async with running_bot(tmp_path) as h:
        mark = h.mark()
        h.tg.send_video(h.chat_id, clip)
        await h.answer(mark)
        instruction = h.tg.send_text(h.chat_id, "make it rainy, quick draft, vertical")
        status = await h.reply_to(instruction)
        assert "standard" in status.params["text"] and "$0.64" in status.params["text"]
        assert "An edit keeps the video's own aspect ratio." in status.params["text"]
        await h.delivery(instruction, timeout=40)
        job = list(h.em.jobs.values())[-1]
        assert _without_media(job.args) == {
            "action": "edit", "mode": "std", "prompt": "make it rainy", "video": "<video url>"}


async def test_video_with_two_reference_photos(tmp_path: Path, clip: Path, photos: list[Path]) -> None:
    async with running_bot(tmp_path) as h:
        mark = h.mark()
        h.tg.send_video(h.chat_id, clip)
        await h.answer(mark)
        await _send_photos(h, photos[:2])
        job = await _run(h, "replace his jacket with the one from the first photo and the hat from the second")
        assert job.model == V2V
        assert _without_media(job.args) == {
            "action": "edit", "mode": "pro",
            "prompt": "replace his jacket with the one from [@image1] and the hat from [@image2]",
            "video": "<video url>", "images": ["<url>", "<url>"],
        }
        assert [f.status for f in job.fetches] == [200, 200, 200]


async def test_animate_one_photo_with_sound_vertical(tmp_path: Path, photos: list[Path]) -> None:
    async with running_bot(tmp_path) as h:
        mark = h.mark()
        h.tg.send_photo(h.chat_id, photos[0], caption="animate this photo, vertical, with sound")
        status = await h.answer(mark)
        assert "$0.60" in status.params["text"]  # pro with sound, 5 s: 0.119 x 5
        delivered = await h.tg.wait_for_call("editMessageMedia", timeout=40)
        assert delivered.ok
        job = list(h.em.jobs.values())[-1]
        assert _without_media(job.args) == {
            "prompt": "animate this photo", "mode": "pro", "duration": 5, "aspect_ratio": "9:16",
            "sound": "on", "images": [{"image": "<url>", "type": "first_frame"}],
        }
