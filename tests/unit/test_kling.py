"""Every provider rule, checked before money is spent."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain.kling import i2v_args, v2v_args, validate
from bot.domain.models import IMAGE_TO_VIDEO, VIDEO_TO_VIDEO, AspectRatio, ErrorCode, Mode
from bot.texts.plans import plan_error


def edit(**extra: Any) -> dict[str, Any]:
    return {"action": "edit", "mode": "pro", "prompt": "remove the car", "video": "<video>"} | extra


def refer(**extra: Any) -> dict[str, Any]:
    base = {
        "action": "refer", "mode": "std", "prompt": "a tunnel", "video": "<video>",
        "duration": 5, "aspect_ratio": "16:9",
    }  # fmt: skip
    return base | extra


def i2v(**extra: Any) -> dict[str, Any]:
    base = {
        "prompt": "she waves", "mode": "pro", "duration": 5, "aspect_ratio": "9:16",
        "sound": "off", "images": [{"image": "<image1>", "type": "first_frame"}],
    }  # fmt: skip
    return base | extra


def code(model: str, args: dict[str, Any], seconds: float | None = 6.2) -> str | None:
    error = validate(model, args, seconds)
    return None if error is None else error.code.value


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (3.0, None), (6.2, None), (10.0, None), (2.99, "video_too_short"), (0.5, "video_too_short"),
        (10.01, "video_too_long"), (12.4, "video_too_long"), (600.0, "video_too_long"),
        (None, "no_media"), (float("nan"), "no_media"), (float("inf"), "no_media"),
        (-1.0, "no_media"), (0.0, "no_media"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("args", [edit(), refer()], ids=["edit", "refer"])
def test_source_video_must_be_3_to_10_seconds(
    args: dict[str, Any], seconds: float | None, expected: str | None
) -> None:
    assert code(VIDEO_TO_VIDEO, args, seconds) == expected


def test_too_long_message_says_the_rule_the_length_and_what_to_do() -> None:
    error = validate(VIDEO_TO_VIDEO, edit(), 12.4)
    assert error is not None and error.code is ErrorCode.VIDEO_TOO_LONG
    message = plan_error(error)
    assert "3-10 seconds" in message and "12.4 s" in message
    assert "Trim it to 10 seconds or less and send it again" in message
    short = validate(VIDEO_TO_VIDEO, edit(), 2.1)
    assert short is not None
    assert "2.1 s" in plan_error(short) and "at least 3 seconds" in plan_error(short)
    # One decimal would round 10.04 to "10 s" and hide why it is too long.
    edge = validate(VIDEO_TO_VIDEO, edit(), 10.04)
    assert edge is not None and "10.04 s" in plan_error(edge)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (edit(prompt=""), "empty_prompt"), (edit(prompt="   "), "empty_prompt"),
        (edit(prompt="x" * 2500), None), (edit(prompt="x" * 2501), "prompt_too_long"),
        (edit(video=""), "no_media"),
        (edit(images=["<image1>"] * 4), None), (edit(images=["<image1>"] * 5), "too_many_images"),
        (edit(images=["<image1>"] * 2, elements=[{"frontal_image_url": "<image3>"}]), None),
        (edit(elements=[{"frontal_image_url": "<image1>", "reference_image_urls": ["a", "b", "c"]}]), None),
        (edit(images=["<image1>"], elements=[{"frontal_image_url": "<image2>", "reference_image_urls": ["a", "b", "c"]}]), "too_many_images"),
        (refer(duration=3), None), (refer(duration=10), None), (refer(duration=2), "invalid_duration"),
        (refer(duration=11), "invalid_duration"), (refer(duration=5.5), "invalid_duration"),
        (refer(duration=True), "invalid_duration"), (refer(duration=None), "invalid_duration"),
        (refer(prompt=""), "empty_prompt"),
    ],
)  # fmt: skip
def test_video_to_video_rules(args: dict[str, Any], expected: str | None) -> None:
    assert code(VIDEO_TO_VIDEO, args) == expected


def shots(*parts: tuple[str, Any]) -> list[dict[str, Any]]:
    return [{"prompt": p, "duration": d} for p, d in parts]


MULTI = {"multi_shot": True, "shot_type": "customize", "images": [{"image": "<image1>"}]}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (i2v(), None), (i2v(duration=3), None), (i2v(duration=15), None),
        (i2v(duration=2), "invalid_duration"), (i2v(duration=16), "invalid_duration"),
        (i2v(duration=7.5), "invalid_duration"), (i2v(duration="5"), "invalid_duration"),
        (i2v(prompt=""), "empty_prompt"), (i2v(prompt="x" * 2500), None),
        (i2v(prompt="x" * 2501), "prompt_too_long"),
        (i2v(images=[]), "no_media"),
        (i2v(images=[{"image": f"<image{i}>"} for i in range(1, 8)]), None),
        (i2v(images=[{"image": f"<image{i}>"} for i in range(1, 9)]), "too_many_images"),
        (i2v(images=[{"image": "<image1>", "type": "end_frame"}]), "end_frame_without_first_frame"),
        (i2v(images=[{"image": "<image2>"}, {"image": "<image1>", "type": "end_frame"}]), "end_frame_without_first_frame"),
        (i2v(images=[{"image": "<image1>", "type": "first_frame"}, {"image": "<image2>", "type": "end_frame"}]), None),
        # multi-shot: prompt may be empty with customize, never with intelligence
        (i2v(prompt="", **MULTI, duration=5, multi_prompt=shots(("a", 3), ("b", 2))), None),
        (i2v(prompt="", multi_shot=True, shot_type="intelligence", images=[{"image": "<image1>"}]), "empty_prompt"),
        (i2v(multi_shot=True, shot_type="intelligence", images=[{"image": "<image1>"}]), None),
        (i2v(multi_shot=True, shot_type="intelligence"), "invalid_multi_prompt"),  # a first frame
        (i2v(**MULTI, duration=5, multi_prompt=shots(("a", 3), ("b", 3))), "invalid_multi_prompt"),
        (i2v(**MULTI, duration=5, multi_prompt=[]), "invalid_multi_prompt"),
        (i2v(**MULTI, duration=7, multi_prompt=shots(*[("s", 1)] * 7)), "invalid_multi_prompt"),
        (i2v(**MULTI, duration=6, multi_prompt=shots(*[("s", 1)] * 6)), None),
        (i2v(**MULTI, duration=5, multi_prompt=shots(("", 3), ("b", 2))), "invalid_multi_prompt"),
        (i2v(**MULTI, duration=5, multi_prompt=shots(("x" * 513, 3), ("b", 2))), "invalid_multi_prompt"),
        (i2v(**MULTI, duration=5, multi_prompt=shots(("x" * 512, 3), ("b", 2))), None),
        (i2v(**MULTI, duration=5, multi_prompt=shots(("a", 0), ("b", 5))), "invalid_multi_prompt"),
        (i2v(**MULTI, duration=5, multi_prompt=shots(("a", 2.5), ("b", 2.5))), "invalid_multi_prompt"),
        (i2v(**MULTI, duration=15, multi_prompt=shots(("a", 15))), None),
    ],
)  # fmt: skip
def test_image_to_video_rules(args: dict[str, Any], expected: str | None) -> None:
    assert code(IMAGE_TO_VIDEO, args, None) == expected


@pytest.mark.parametrize(
    ("model", "args"),
    [
        ("kwaivgi/kling-o3/text-to-video", i2v()),
        (VIDEO_TO_VIDEO, edit(mode="ultra")),
        (VIDEO_TO_VIDEO, edit(action="remix")),
        (VIDEO_TO_VIDEO, refer(aspect_ratio="4:3")),
        (IMAGE_TO_VIDEO, i2v(sound="yes")),
        (IMAGE_TO_VIDEO, i2v(images=[{"image": "<image1>", "type": "middle_frame"}])),
        (IMAGE_TO_VIDEO, i2v(multi_shot=True)),  # shot_type is required
    ],
)
def test_args_no_message_could_produce_are_a_bug(model: str, args: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        validate(model, args, 6.2)


def test_edit_args_leave_length_and_ratio_to_kling() -> None:
    args = v2v_args(
        action="edit", mode=Mode.STD, prompt="p", duration=8, aspect=AspectRatio.VERTICAL
    )
    assert args == {"action": "edit", "mode": "std", "prompt": "p", "video": "<video>"}


def test_refer_args_default_to_five_seconds_landscape() -> None:
    args = v2v_args(action="refer", mode=Mode.PRO, prompt="p", images=[2])
    assert args == {
        "action": "refer", "mode": "pro", "prompt": "p", "video": "<video>",
        "images": ["<image2>"], "duration": 5, "aspect_ratio": "16:9",
    }  # fmt: skip


def test_element_args_put_the_first_photo_in_front() -> None:
    args = v2v_args(action="edit", mode=Mode.PRO, prompt="p", element=[1, 2, 3])
    assert args["elements"] == [
        {"frontal_image_url": "<image1>", "reference_image_urls": ["<image2>", "<image3>"]}
    ]
    alone = v2v_args(action="edit", mode=Mode.PRO, prompt="p", element=[2])
    assert alone["elements"] == [{"frontal_image_url": "<image2>"}]


def test_image_to_video_args() -> None:
    args = i2v_args(
        prompt="p", mode=Mode.STD, duration=4, aspect=AspectRatio.SQUARE, sound=True,
        images=[(1, None), (2, "first_frame")], shots=[("a", 1), ("b", 3)],
    )  # fmt: skip
    assert args == {
        "prompt": "p", "mode": "std", "duration": 4, "aspect_ratio": "1:1", "sound": "on",
        "images": [{"image": "<image1>"}, {"image": "<image2>", "type": "first_frame"}],
        "multi_shot": True, "shot_type": "customize",
        "multi_prompt": [{"prompt": "a", "duration": 1}, {"prompt": "b", "duration": 3}],
    }  # fmt: skip
    smart = i2v_args(
        prompt="p", mode=Mode.PRO, duration=5, aspect=AspectRatio.LANDSCAPE, sound=False,
        images=[(1, None)], intelligent_shots=True,
    )  # fmt: skip
    assert smart["shot_type"] == "intelligence" and "multi_prompt" not in smart
