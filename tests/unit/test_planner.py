"""Plans: exact args, chat defaults, costs, and messages that say what to do."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.domain.kling import validate
from bot.domain.models import (
    IMAGE_TO_VIDEO,
    VIDEO_TO_VIDEO,
    AspectRatio,
    ChatContext,
    ChatDefaults,
    ErrorCode,
    Intent,
    Mode,
)
from bot.domain.planner import plan
from bot.texts.plans import plan_error

VIDEO = ChatContext(video_seconds=6.2)


def test_the_documented_example() -> None:
    result = plan("remove the car", VIDEO)
    assert result.intent is Intent.EDIT
    assert result.model == VIDEO_TO_VIDEO
    assert result.args == {
        "action": "edit", "mode": "pro", "prompt": "remove the car", "video": "<video>"
    }  # fmt: skip
    assert result.estimated_cost_usd == Decimal("0.858")
    assert result.error is None and result.is_job


def test_conversation_intents_carry_nothing() -> None:
    for text in (
        "undo",
        "redo",
        "again",
        "stop",
        "history",
        "how much have I spent?",
        "help",
        "lol",
    ):
        result = plan(text, VIDEO)
        assert result.model is None and result.args == {} and result.error is None
        assert result.estimated_cost_usd is None and not result.is_job


STD_VERTICAL_SOUND = ChatDefaults(mode=Mode.STD, aspect_ratio=AspectRatio.VERTICAL, sound=True)


def test_chat_defaults_apply_where_the_message_is_silent() -> None:
    ctx = ChatContext(photos=1, defaults=STD_VERTICAL_SOUND)
    result = plan("make her wave", ctx)
    assert result.args["mode"] == "std"
    assert result.args["aspect_ratio"] == "9:16"
    assert result.args["sound"] == "on"
    assert result.estimated_cost_usd == Decimal("0.475")


def test_the_message_overrides_chat_defaults() -> None:
    ctx = ChatContext(photos=1, defaults=STD_VERTICAL_SOUND)
    result = plan("make her wave, pro, square, no sound, 10 seconds", ctx)
    assert result.args["mode"] == "pro"
    assert result.args["aspect_ratio"] == "1:1"
    assert result.args["sound"] == "off"
    assert result.estimated_cost_usd == Decimal("0.950")


def test_defaults_reach_video_to_video() -> None:
    ctx = ChatContext(video_seconds=6.2, defaults=STD_VERTICAL_SOUND)
    edit = plan("remove the car", ctx)
    assert edit.args == {
        "action": "edit", "mode": "std", "prompt": "remove the car", "video": "<video>"
    }  # fmt: skip
    refer = plan("next shot: a tunnel", ctx)
    assert refer.args["aspect_ratio"] == "9:16" and "sound" not in refer.args


def test_refer_costs_its_duration() -> None:
    result = plan("next shot: a tunnel, 8 seconds, standard", VIDEO)
    assert result.estimated_cost_usd == Decimal("0.856")


def test_edit_costs_the_rounded_input_length() -> None:
    result = plan("make it rainy, std", ChatContext(video_seconds=6.5))
    assert result.estimated_cost_usd == Decimal("0.749")


def test_errors_keep_the_model_and_no_cost() -> None:
    result = plan("remove the car", ChatContext(video_seconds=12.4))
    assert result.model == VIDEO_TO_VIDEO and result.estimated_cost_usd is None
    assert result.error is not None and result.error.code is ErrorCode.VIDEO_TOO_LONG
    assert not result.is_job


@pytest.mark.parametrize(
    ("text", "ctx", "code", "words"),
    [
        ("remove the car", ChatContext(), "no_media", ["Send a video", "photo"]),
        ("next shot: a tunnel", ChatContext(), "no_media", ["send a video"]),
        ("animate this", ChatContext(), "no_media", ["Send a photo"]),
        ("shot 1: a. shot 2: b", VIDEO, "no_media", ["photos", "next shot"]),
        ("remove the car", ChatContext(video_seconds=12.4), "video_too_long", ["3-10", "12.4 s", "Trim"]),
        ("next shot: a tunnel", ChatContext(video_seconds=12.4), "video_too_long", ["3-10", "12.4 s"]),
        ("remove the car", ChatContext(video_seconds=2), "video_too_short", ["3-10", "2 s"]),
        ("10 seconds, vertical", VIDEO, "empty_prompt", ["length and aspect ratio", "remove the car"]),
        ("add music", VIDEO, "empty_prompt", ["Sound is only for clips made from photos"]),
        ("make her wave, 20 seconds", ChatContext(photos=1), "invalid_duration", ["3-15", "20 s"]),
        ("next shot: a tunnel, 12 s", VIDEO, "invalid_duration", ["3-10", "12 s"]),
        ("she jumps, 2.5 seconds", ChatContext(photos=1), "invalid_duration", ["whole"]),
        ("end on the second photo", ChatContext(photos=2), "end_frame_without_first_frame", ["start from the first photo"]),
        ("animate these", ChatContext(photos=8), "too_many_images", ["7", "8", "which ones"]),
        ("replace him with the man in the photos", ChatContext(video_seconds=5, photos=6), "too_many_images", ["4", "6"]),
        ("animate the fifth photo", ChatContext(photos=2), "no_media", ["photo 5", "2 photos"]),
        ("/edit " + "x" * 2600, VIDEO, "prompt_too_long", ["2,600", "2,500"]),
    ],
)  # fmt: skip
def test_error_messages_say_what_to_do(
    text: str, ctx: ChatContext, code: str, words: list[str]
) -> None:
    result = plan(text, ctx)
    assert result.error is not None, result
    assert result.error.code.value == code
    for word in words:
        assert word in plan_error(result.error), plan_error(result.error)


def test_messages_promise_no_trimming_command() -> None:
    for seconds in (1.0, 12.4, 60.0):
        result = plan("remove the car", ChatContext(video_seconds=seconds))
        assert result.error is not None
        message = plan_error(result.error)
        assert "/trim" not in message and "I can trim" not in message


def test_valid_plans_pass_the_validator_again() -> None:
    cases = [
        ("remove the car", VIDEO),
        ("next shot: a tunnel, vertical", VIDEO),
        ("the man from the first photo walks through the second", ChatContext(photos=2)),
        ("shot 1 (3s): a, shot 2 (4s): b, with sound", ChatContext(photos=1)),
        ("use the photos as an element", ChatContext(video_seconds=4, photos=3)),
    ]
    for text, ctx in cases:
        result = plan(text, ctx)
        assert result.error is None and result.model is not None, (text, result)
        assert validate(result.model, result.args, ctx.video_seconds) is None


def test_image_to_video_sends_every_arg_explicitly() -> None:
    result = plan("animate this", ChatContext(photos=1))
    assert result.model == IMAGE_TO_VIDEO
    assert result.args == {
        "prompt": "animate this", "mode": "pro", "duration": 5, "aspect_ratio": "16:9",
        "sound": "off", "images": [{"image": "<image1>", "type": "first_frame"}],
    }  # fmt: skip
    assert result.estimated_cost_usd == Decimal("0.475")


def test_hostile_contexts_do_not_break_planning() -> None:
    for ctx in (
        ChatContext(video_seconds=float("nan"), photos=-3),
        ChatContext(video_seconds=float("inf"), photos=10**12),
        ChatContext(video_seconds=-5.0, photos=0, group=True),
    ):
        for text in ("remove the car", "animate this", "photo 999 dances", "next shot: x"):
            result = plan(text, ctx)
            assert result.error is not None or result.model is None
