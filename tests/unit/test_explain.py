"""`python -m bot explain`: the contract object, --jsonl, and bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.domain.models import ChatContext
from bot.explain import explain_json, main, run_jsonl

ROOT = Path(__file__).resolve().parents[2]


def test_contract_object() -> None:
    assert explain_json("remove the car", ChatContext(video_seconds=6.2)) == {
        "intent": "edit",
        "model": "kwaivgi/kling-o3/video-to-video",
        "args": {"action": "edit", "mode": "pro", "prompt": "remove the car", "video": "<video>"},
        "estimated_cost_usd": 0.86,
        "error": None,
    }


def test_error_object() -> None:
    result = explain_json("remove the car", ChatContext(video_seconds=12.4))
    assert result["estimated_cost_usd"] is None
    assert result["error"]["code"] == "video_too_long"
    assert "12.4 s" in result["error"]["message"]
    assert result["fit"] == ["first", "last", "liveliest"]


def test_a_short_clip_is_offered_a_loop_or_a_slow_down() -> None:
    result = explain_json("next shot: a tunnel", ChatContext(video_seconds=2))
    assert result["error"]["code"] == "video_too_short"
    assert result["fit"] == ["loop", "slow"]
    assert "fit" not in explain_json("remove the car", ChatContext(video_seconds=6.2))


def test_main_prints_one_json_object(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--video", "6.2", "remove", "the", "car"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert json.loads(out)["args"]["prompt"] == "remove the car"


def test_main_keeps_non_ascii(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--photos", "1", "--group", "animate the café ☕ scene"]) == 0
    out = capsys.readouterr().out
    assert "café ☕" in out
    assert json.loads(out)["intent"] == "image_to_video"


def test_main_rejects_bad_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--video", "abc", "x"]) == 2
    assert main(["--video", "-1", "x"]) == 2
    assert main(["--photos", "-1", "x"]) == 2
    capsys.readouterr()


def test_jsonl_in_order_with_missing_keys() -> None:
    lines = [
        {"text": "remove the car", "video_seconds": 6.2},
        {"text": "animate this", "photos": 1},
        {"text": "a night sky", "video_seconds": 6.2, "group": True},
        {"text": "undo"},
        {"text": "make her wave", "photos": 1, "defaults": {"mode": "std", "sound": True}},
        {"text": "remove the car", "video_seconds": None, "photos": None, "group": None},
    ]
    source = io.StringIO("".join(json.dumps(line) + "\n" for line in lines))
    sink = io.StringIO()
    assert run_jsonl(source, sink) == len(lines)
    results = [json.loads(line) for line in sink.getvalue().splitlines()]
    assert [r["intent"] for r in results] == [
        "edit", "image_to_video", "none", "undo", "image_to_video", "edit"
    ]  # fmt: skip
    assert results[0]["estimated_cost_usd"] == 0.86
    assert results[4]["args"]["mode"] == "std" and results[4]["args"]["sound"] == "on"
    assert results[5]["error"]["code"] == "no_media"


@pytest.mark.parametrize(
    "line",
    [
        b"not json", b"[1, 2]", b'{"text": 5}', b'{"video_seconds": 3}', b'"just a string"',
        b'{"text": "x", "video_seconds": -1}', b'{"text": "x", "video_seconds": "6"}',
        b'{"text": "x", "video_seconds": NaN}', b'{"text": "x", "photos": 1.5}',
        b'{"text": "x", "photos": -2}', b'{"text": "x", "photos": true}',
        b'{"text": "x", "group": "yes"}', b'{"text": "x", "defaults": {"mode": "ultra"}}',
        b"\xff\xfe broken utf-8", b"", b"[" * 100_000,
    ],
)  # fmt: skip
def test_a_malformed_line_gets_an_error_line(line: bytes) -> None:
    source = [b'{"text": "undo"}\n', line + b"\n", b'{"text": "help"}\n']
    sink = io.StringIO()
    assert run_jsonl(source, sink) == 3
    first, bad, last = (json.loads(x) for x in sink.getvalue().splitlines())
    assert first["intent"] == "undo" and last["intent"] == "help"
    assert bad["intent"] == "none" and bad["model"] is None and bad["args"] == {}
    assert bad["estimated_cost_usd"] is None
    assert bad["error"]["code"] == "empty_prompt"
    assert bad["error"]["message"].startswith("line 2 is not a valid case")


def test_the_cli_end_to_end() -> None:
    cases = '{"text": "remove the car", "video_seconds": 6.2}\n{"text": "thanks"}\n'
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from bot.explain import main; sys.exit(main(sys.argv[1:]))", "--jsonl"],
        input=cases.encode(), capture_output=True, cwd=ROOT, check=True,
    )  # fmt: skip
    lines = result.stdout.decode().splitlines()
    assert [json.loads(x)["intent"] for x in lines] == ["edit", "none"]


def test_a_possible_instruction_asks_and_shows_the_offer() -> None:
    result = explain_json("a night sky", ChatContext(video_seconds=6.2))
    assert result == {
        "intent": "none",
        "model": None,
        "args": {},
        "estimated_cost_usd": None,
        "error": None,
        "ask": True,
        "offer": {
            "intent": "edit",
            "model": "kwaivgi/kling-o3/video-to-video",
            "args": {"action": "edit", "mode": "pro", "prompt": "a night sky", "video": "<video>"},
            "estimated_cost_usd": 0.86,
            "error": None,
        },
    }
    # Not in a group, and not with nothing to edit: there the bot stays quiet.
    assert "ask" not in explain_json("a night sky", ChatContext(video_seconds=6.2, group=True))
    assert "ask" not in explain_json("a night sky", ChatContext())


def test_jsonl_cases_carry_the_language() -> None:
    lines = [
        json.dumps({"text": "haz que nieve", "video_seconds": 6.2, "language": "es"}),
        json.dumps({"text": "de nuevo", "video_seconds": 6.2, "language": "es"}),
        json.dumps({"text": "отмена", "video_seconds": 6.2}),
        json.dumps({"text": "ok", "language": 7}),
    ]
    out = io.StringIO()
    run_jsonl(lines, out)
    results = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["intent"] for r in results] == ["edit", "retry", "cancel", "none"]
    assert results[0]["args"]["prompt"] == "haz que nieve"
    assert results[3]["error"]["code"] == "empty_prompt"  # a bad case still gets its line
