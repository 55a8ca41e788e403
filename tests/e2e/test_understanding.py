"""What people write, through the real bot: other languages, compound requests, held photos,
dry runs, and chit-chat that must not cost anything."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.sandbox.samples import make_jpeg
from tests.e2e.harness import Harness, running_bot

I2V = "kwaivgi/kling-o3/image-to-video"


def _speaker(h: Harness, language: str) -> dict[str, Any]:
    return {**h.tg.user(h.chat_id, "Sam", "sam"), "language_code": language}


async def _video(h: Harness, clip: Path) -> None:
    mark = h.mark()
    h.tg.send_video(h.chat_id, clip)
    await h.answer(mark)


async def _say(h: Harness, text: str, user: dict[str, Any] | None = None) -> str:
    mark = h.mark()
    h.tg.send_text(h.chat_id, text, user=user)
    return str((await h.answer(mark)).params["text"])


def _source(job: Any) -> int:
    """The media id of the video a job was sent."""
    return int(job.args["video"].split("/media/")[1].split("?")[0])


async def _jobs(h: Harness) -> int:
    assert h.bot.db is not None
    row = await h.bot.db.fetchone("SELECT COUNT(*) AS n FROM jobs")
    assert row is not None
    return int(row["n"])


async def test_a_russian_instruction_runs_with_its_parameters(
    tmp_path: Path, photo: Path
) -> None:
    async with running_bot(tmp_path) as h:
        russian = _speaker(h, "ru")
        mark = h.mark()
        h.tg.send_photo(h.chat_id, photo, user=russian)
        await h.answer(mark)
        sent = h.tg.send_text(
            h.chat_id, "оживи фотку: собака бежит по пляжу, 10 секунд, вертикально, со звуком",
            user=russian,
        )
        prompt = await h.reply_to(sent)  # $1.19 is over the chat's confirmation threshold
        assert "$1.19" in prompt.params["text"]
        confirm = prompt.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        h.tg.press_button(h.chat_id, prompt.response["message_id"], confirm, user=russian)
        await h.delivery(sent, timeout=40)
        job = list(h.em.jobs.values())[-1]
        assert job.model == I2V
        assert job.args["duration"] == 10
        assert job.args["aspect_ratio"] == "9:16"
        assert job.args["sound"] == "on"
        assert job.args["prompt"] == "оживи фотку: собака бежит по пляжу"


async def test_a_spanish_de_nuevo_runs_the_same_job_again(tmp_path: Path, clip: Path) -> None:
    async with running_bot(tmp_path) as h:
        spanish = _speaker(h, "es")
        await _video(h, clip)
        first = h.tg.send_text(h.chat_id, "quita el coche porfa", user=spanish)
        await h.delivery(first, timeout=40)
        again = h.tg.send_text(h.chat_id, "de nuevo", user=spanish)
        await h.delivery(again, timeout=40)
        jobs = list(h.em.jobs.values())
        assert len(jobs) == 2
        assert jobs[1].model == jobs[0].model
        assert {k: v for k, v in jobs[1].args.items() if k != "video"} == {
            k: v for k, v in jobs[0].args.items() if k != "video"
        }
        assert _source(jobs[1]) == _source(jobs[0])


async def test_revert_and_make_it_foggy_is_one_undo_then_one_job(
    tmp_path: Path, clip: Path
) -> None:
    async with running_bot(tmp_path) as h:
        await _video(h, clip)
        first = h.tg.send_text(h.chat_id, "remove the car")
        await h.delivery(first, timeout=40)
        original = _source(next(iter(h.em.jobs.values())))

        mark = h.mark()
        sent = h.tg.send_text(h.chat_id, "revert and make it foggy instead")
        said = await h.answer(mark)
        assert "Went back one version, to version 1" in said.params["text"]
        assert "make it foggy" in said.params["text"]
        await h.delivery(sent, timeout=40)
        jobs = list(h.em.jobs.values())
        assert len(jobs) == 2  # the undo cost nothing; one job for the rest
        assert jobs[1].args["prompt"] == "make it foggy"
        assert _source(jobs[1]) == original  # on the restored clip, not the edited one

        history = await _say(h, "history")
        assert history.count("from v1") == 2  # two branches from v1; the foggy one current
        assert "There aren't 3 earlier versions" in await _say(h, "go back 3 versions")
        assert "now at version 1" in await _say(h, "go back 1 version")


async def test_chit_chat_next_to_a_video_starts_nothing(tmp_path: Path, clip: Path) -> None:
    async with running_bot(tmp_path) as h:
        await _video(h, clip)
        for text, language in (("thx!! 😂", "en"), ("спасибо огромное", "ru"),
                               ("jajaja qué bueno", "es"), ("valeu, ficou top", "pt"),
                               ("danke dir!", "de")):
            await _say(h, text, _speaker(h, language))
        assert h.em.jobs == {}
        assert await _jobs(h) == 0
        assert "$0.00" in await _say(h, "/spend")


async def test_held_photos_go_with_a_video_job_only_when_named(
    tmp_path: Path, clip: Path, media_dir: Path
) -> None:
    photos = [make_jpeg(media_dir / f"held{i}.jpg") for i in range(5)]
    async with running_bot(tmp_path) as h:
        await _video(h, clip)
        for path in photos:  # five: more than an edit takes, yet edits still run
            mark = h.mark()
            h.tg.send_photo(h.chat_id, path)
            await h.answer(mark)
        plain = h.tg.send_text(h.chat_id, "remove the car")
        status = await h.reply_to(plain)
        assert "The photos I hold are not used" in status.params["text"]
        await h.delivery(plain, timeout=40)
        assert "images" not in list(h.em.jobs.values())[-1].args

        named = h.tg.send_text(h.chat_id, "put the hat from the second photo on him")
        await h.delivery(named, timeout=40)
        assert len(list(h.em.jobs.values())[-1].args["images"]) == 1

        assert "Forgot the 5 photos" in await _say(h, "forget the photos")
        assert "not holding any photos" in await _say(h, "/clear")


async def test_dry_runs_in_the_chat_spend_nothing(tmp_path: Path, clip: Path) -> None:
    async with running_bot(tmp_path) as h:
        await _video(h, clip)
        said = await _say(h, "/explain make it snowy")
        assert "Dry run, nothing spent" in said
        assert "kwaivgi/kling-o3/video-to-video" in said and "$0.86" in said
        assert '"prompt": "make it snowy"' in said
        asked = await _say(h, "сколько будет стоить убрать машину?", _speaker(h, "ru"))
        assert "$0.86" in asked and '"prompt": "убрать машину"' in asked
        assert "Write the instruction after the command" in await _say(h, "/explain")
        assert h.em.jobs == {}
        assert await _jobs(h) == 0


async def test_a_photo_sent_with_the_instruction_goes_with_the_video_job(
    tmp_path: Path, clip: Path, photo: Path
) -> None:
    async with running_bot(tmp_path) as h:
        await _video(h, clip)
        sent = h.tg.send_photo(h.chat_id, photo, caption="put this jacket on him")
        await h.delivery(sent, timeout=40)
        job = list(h.em.jobs.values())[-1]
        assert job.args["action"] == "edit" and len(job.args["images"]) == 1
        # Held now, the photo stays out of the next edit, which does not name it.
        plain = h.tg.send_text(h.chat_id, "make it snowy")
        await h.delivery(plain, timeout=40)
        assert "images" not in list(h.em.jobs.values())[-1].args
