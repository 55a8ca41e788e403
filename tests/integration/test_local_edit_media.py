"""Each free local edit on a real clip: duration, size, sound and frame order, probed after.

The source goes from pure red (0 s) to pure blue (4 s), so a frame's colour says where in the
clip it came from."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

import pytest

from bot.domain.local_edits import LocalEdit, parse
from bot.media import edits
from bot.media.edits import apply_edit, output_suffix
from bot.media.encoding import stream_facts
from bot.media.ffmpeg import FfmpegRunner
from bot.media.probe import MediaInfo, probe
from bot.sandbox.samples import make_colour_ramp, make_hevc_mkv, mean_colour


@pytest.fixture(scope="module")
def ramp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_colour_ramp(tmp_path_factory.mktemp("edits") / "ramp.mp4", seconds=4.0)


async def _edit(source: Path, text: str, out_dir: Path) -> tuple[Path, MediaInfo]:
    edit = parse(text)
    assert edit is not None, text
    info = await probe(source)
    assert info.duration is not None
    edit = edit.resolved(info.duration)
    await asyncio.to_thread(out_dir.mkdir, parents=True, exist_ok=True)
    dest = out_dir / f"out{output_suffix(edit)}"
    await apply_edit(FfmpegRunner(), source, dest, edit, info)
    return dest, await probe(dest)


def _bluer(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    """True when colour `a` is further along the red-to-blue ramp than `b`."""
    return a[2] - a[0] > b[2] - b[0] + 40


async def _duration(path: Path, seconds: float) -> None:
    facts = await stream_facts(path)
    assert abs(facts.duration - seconds) <= facts.frame_seconds + 1e-6, facts


@pytest.mark.parametrize(
    ("text", "seconds", "size", "audio"),
    [
        ("cut from 1 to 3", 2.0, (1280, 720), True),
        ("only the last 1.5 seconds", 1.5, (1280, 720), True),
        ("2x faster", 2.0, (1280, 720), True),
        ("half speed", 8.0, (1280, 720), True),
        ("mute", 4.0, (1280, 720), False),
        ("crop to vertical", 4.0, (404, 720), True),
        ("square", 4.0, (720, 720), True),
        ("16:9", 4.0, (1280, 720), True),
        ("rotate 90°", 4.0, (720, 1280), True),
        ("turn it upside down", 4.0, (1280, 720), True),
        ("reverse", 4.0, (1280, 720), True),
    ],
)
async def test_video_edits(
    ramp: Path, tmp_path: Path, text: str, seconds: float, size: tuple[int, int], audio: bool
) -> None:
    out, info = await _edit(ramp, text, tmp_path)
    assert info.kind == "video" and info.codec == "h264" and info.mime == "video/mp4"
    await _duration(out, seconds)
    assert (info.width, info.height) == size
    assert info.has_audio is audio
    assert info.fps is not None and abs(info.fps - 30) < 0.5


async def test_speed_keeps_frame_order_and_trim_keeps_the_right_part(
    ramp: Path, tmp_path: Path
) -> None:
    fast, _ = await _edit(ramp, "2x faster", tmp_path / "a")
    assert _bluer(mean_colour(fast, 1.5), mean_colour(ramp, 1.5))  # 1.5 s in is 3 s of source
    cut, _ = await _edit(ramp, "cut from 2 to 4", tmp_path / "b")
    assert _bluer(mean_colour(cut, 0.0), mean_colour(ramp, 1.0))


async def test_reverse_plays_backwards(ramp: Path, tmp_path: Path) -> None:
    out, _ = await _edit(ramp, "reverse", tmp_path)
    first, last = mean_colour(out, 0.0), mean_colour(out, last=True)
    assert first[2] > 200 and first[0] < 50  # starts blue
    assert last[0] > 200 and last[2] < 50  # ends red


async def test_reverse_in_stretches_joins_them_last_first(
    ramp: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A budget of ~1.3 s of 720p frames forces four stretches.
    monkeypatch.setattr(edits, "REVERSE_MEMORY_BYTES", 1280 * 720 * 1.5 * 30 * 1.3)
    out, info = await _edit(ramp, "reverse", tmp_path)
    await _duration(out, 4.0)
    assert info.has_audio
    colours = [mean_colour(out, t) for t in (0.1, 1.1, 2.1, 3.1)]
    assert all(_bluer(a, b) for a, b in itertools.pairwise(colours))
    assert not await asyncio.to_thread(lambda: list(tmp_path.glob(".*parts")))  # scratch gone


async def test_gif(ramp: Path, tmp_path: Path) -> None:
    out, info = await _edit(ramp, "make a gif", tmp_path)
    assert out.suffix == ".gif" and info.container == "gif" and info.mime == "image/gif"
    assert (info.width, info.height) == (480, 270)
    assert info.duration is not None and abs(info.duration - 4.0) <= 0.2
    assert not info.has_audio


async def test_frame_grab(ramp: Path, tmp_path: Path) -> None:
    out, info = await _edit(ramp, "grab the frame at 3 s", tmp_path)
    assert info.kind == "photo" and info.mime == "image/jpeg" and out.suffix == ".jpg"
    assert (info.width, info.height) == (1280, 720)
    r, _, b = mean_colour(out)
    assert 30 < r < 100 and 150 < b < 230  # three quarters of the way to blue


async def test_a_frame_past_the_end_is_the_last_one(ramp: Path, tmp_path: Path) -> None:
    dest = tmp_path / "late.jpg"
    await apply_edit(FfmpegRunner(), ramp, dest, LocalEdit("frame", at=60.0), await probe(ramp))
    assert mean_colour(dest)[2] > 200


async def test_edits_on_a_source_that_is_not_h264_mp4(tmp_path: Path) -> None:
    source = make_hevc_mkv(tmp_path / "in.mkv", seconds=3.0)
    out, info = await _edit(source, "mute", tmp_path / "a")
    assert info.codec == "h264" and not info.has_audio
    out, info = await _edit(source, "rotate 90", tmp_path / "b")
    assert (info.width, info.height, info.audio_codec) == (720, 1280, "aac")
    out, info = await _edit(source, "from 1 to 2.5", tmp_path / "c")
    await _duration(out, 1.5)
