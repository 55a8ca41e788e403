"""Free local edits said in English: what fires, with which values, and what must not fire."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.local_edits import LocalEdit, parse, problem


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ("use 0:05 to 0:12", {"op": "trim", "start": 5.0, "end": 12.0}),
        ("from 3 to 9 seconds", {"op": "trim", "start": 3.0, "end": 9.0}),
        ("only the last 6 seconds", {"op": "trim", "start": -6.0}),
        ("keep the first 5 seconds", {"op": "trim", "start": 0.0, "end": 5.0}),
        ("keep the first five seconds", {"op": "trim", "start": 0.0, "end": 5.0}),
        ("cut from 2 to 6", {"op": "trim", "start": 2.0, "end": 6.0}),
        ("Trim it to 2.5-7s please", {"op": "trim", "start": 2.5, "end": 7.0}),
        ("between 1:02 and 1:08", {"op": "trim", "start": 62.0, "end": 68.0}),
        ("cut the first 2 seconds", {"op": "trim", "start": 2.0}),
        ("remove the last 3 seconds", {"op": "trim", "start": 0.0, "end": -3.0}),
        ("2x faster", {"op": "speed", "factor": 2.0}),
        ("Can you make it 3 times faster?", {"op": "speed", "factor": 3.0}),
        ("twice as fast", {"op": "speed", "factor": 2.0}),
        ("speed it up", {"op": "speed", "factor": 2.0}),
        ("0.5x", {"op": "speed", "factor": 0.5}),
        ("slow motion", {"op": "speed", "factor": 0.5}),
        ("slo-mo please", {"op": "speed", "factor": 0.5}),
        ("half speed", {"op": "speed", "factor": 0.5}),
        ("reverse", {"op": "reverse"}),
        ("play it backwards", {"op": "reverse"}),
        ("mute", {"op": "mute"}),
        ("remove the sound", {"op": "mute"}),
        ("remove the audio from the video", {"op": "mute"}),
        ("no sound", {"op": "mute"}),
        ("crop to vertical", {"op": "crop", "aspect_ratio": "9:16"}),
        ("crop it to 9:16", {"op": "crop", "aspect_ratio": "9:16"}),
        ("square", {"op": "crop", "aspect_ratio": "1:1"}),
        ("make it square", {"op": "crop", "aspect_ratio": "1:1"}),
        ("16:9", {"op": "crop", "aspect_ratio": "16:9"}),
        ("crop to landscape", {"op": "crop", "aspect_ratio": "16:9"}),
        ("rotate 90°", {"op": "rotate", "degrees": 90}),
        ("rotate it 90 degrees counterclockwise", {"op": "rotate", "degrees": 270}),
        ("rotate left", {"op": "rotate", "degrees": 270}),
        ("turn it upside down", {"op": "rotate", "degrees": 180}),
        ("make a gif", {"op": "gif"}),
        ("turn it into a GIF", {"op": "gif"}),
        ("gif", {"op": "gif"}),
        ("grab the frame at 3 s", {"op": "frame", "at": 3.0}),
        ("screenshot at 0:03", {"op": "frame", "at": 3.0}),
        ("grab the first frame", {"op": "frame", "at": 0.0}),
    ],
)
def test_local_edits(text: str, args: dict[str, Any]) -> None:
    edit = parse(text)
    assert edit is not None, text
    assert edit.args() == args


@pytest.mark.parametrize(
    "text",
    [
        "remove the car",
        "make it slow and dreamy",
        "slow motion rain",
        "make it rainy",
        "reverse the car's direction",
        "the car drives backwards",
        "rotate the camera around the car",
        "turn left",
        "mute the dog",
        "remove the background music",
        "make it black and white",
        "crop out the man on the left",
        "speed up the clouds",
        "next shot: the car drives into a tunnel",
        "animate this photo, 10 seconds, vertical, with sound",
        "give me a photo of a cat at 3",
        "play it from 2 to 5 with rain",
        "make it 5 seconds",
        "a square logo on the wall",
        "first, remove the car",
        "",
        "undo",
    ],
)
def test_kling_instructions_are_not_local_edits(text: str) -> None:
    assert parse(text) is None


def test_times_from_the_end_are_resolved_with_the_clip_length() -> None:
    last = parse("only the last 6 seconds")
    assert last is not None and last.resolved(14.0).args() == {"op": "trim", "start": 8.0,
                                                               "end": 14.0}
    drop = parse("remove the last 3 seconds")
    assert drop is not None and drop.resolved(10.0).args() == {"op": "trim", "start": 0.0,
                                                               "end": 7.0}
    first = parse("keep the first 5 seconds")
    assert first is not None and first.resolved(3.0).end == 3.0  # shorter clip: all of it


def test_problems() -> None:
    assert problem(LocalEdit("trim", start=6.0, end=2.0), 10.0) is not None
    assert problem(LocalEdit("trim", start=12.0, end=14.0), 10.0) is not None
    assert problem(LocalEdit("trim", start=2.0, end=6.0), 10.0) is None
    assert problem(LocalEdit("speed", factor=10.0), 10.0) is not None
    assert problem(LocalEdit("frame", at=30.0), 10.0) is not None


@given(st.text(max_size=200))
def test_parse_never_raises(text: str) -> None:
    edit = parse(text)
    assert edit is None or edit.op in {"trim", "speed", "reverse", "mute", "crop", "rotate",
                                       "gif", "frame"}
