"""Fitting clips to Kling's window and limits, on real media made with ffmpeg (probed after)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.domain import clip_rules
from bot.domain.clip_rules import Change
from bot.domain.fitting import fixed_window
from bot.media.conform import conform_for_kling
from bot.media.encoding import stream_facts
from bot.media.ffmpeg import FfmpegRunner
from bot.media.fit import liveliest, loop_to, motion_profile, slow_to, trim
from bot.media.probe import MediaInfo, probe
from bot.sandbox.samples import (
    make_gif,
    make_hevc_mkv,
    make_late_motion,
    make_phone_like,
    make_rotated,
    make_video,
)


@dataclass(frozen=True)
class Clips:
    late: Path  # 14 s, still for 7 s then moving, 24 fps
    long: Path  # 14 s, 30 fps, with sound, a keyframe every 2 s
    short: Path  # 2 s, with sound
    hevc: Path
    note: Path  # 640x640 like a Telegram video note
    gif: Path  # 15 fps GIF
    rotated: Path


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> Clips:
    d = tmp_path_factory.mktemp("fit")
    long = d / "long.mp4"
    make_video(long, seconds=14, fps=30, audio=True)
    return Clips(
        late=make_late_motion(d / "late.mp4"),
        long=long,
        short=make_video(d / "short.mp4", seconds=2, size="640x360", fps=30, audio=True),
        hevc=make_hevc_mkv(d / "hevc.mkv"),
        note=make_video(d / "note.mp4", seconds=4, size="640x640", fps=30),
        gif=make_gif(d / "anim.gif"),
        rotated=make_rotated(d / "rot.mp4"),
    )


@pytest.fixture
def runner() -> FfmpegRunner:
    return FfmpegRunner(limit=2)


async def _within_a_frame(path: Path, seconds: float) -> None:
    facts = await stream_facts(path)
    assert abs(facts.duration - seconds) <= facts.frame_seconds + 1e-6, facts
    info = await probe(path)
    # Kling counts the container's length: never more than asked (to the microsecond).
    assert info.duration is not None and seconds - 0.1 <= info.duration <= seconds + 1e-6


async def test_liveliest_window_lands_where_the_motion_is(
    clips: Clips, runner: FfmpegRunner
) -> None:
    profile = await motion_profile(runner, clips.late)
    still = [m for t, m in profile if 0.1 < t < 6.9]
    moving = [m for t, m in profile if t > 7.1]
    assert max(still) < min(moving)
    start, end = await liveliest(runner, clips.late, 14.0)
    assert (start, end) == (4.0, 14.0)


@pytest.mark.parametrize("offer", ["first", "last"])
async def test_first_and_last_ten_seconds(
    clips: Clips, runner: FfmpegRunner, tmp_path: Path, offer: str
) -> None:
    start, end = fixed_window(offer, 14.0)  # type: ignore[arg-type]
    out = tmp_path / "cut.mp4"
    result = await trim(runner, clips.long, out, start, end)
    await _within_a_frame(out, 10.0)
    info = await probe(out)
    assert info.has_audio and info.codec == "h264"
    # testsrc2 keyframes fall every 250 frames (8.33 s): 0 allows a copy, 4 does not.
    assert result.method == ("copy" if offer == "first" else "reencode")


@pytest.mark.parametrize(("start", "end"), [(2.0, 6.0), (0.5, 9.25), (5.0, 12.0), (3.3, 9.0), (1.37, 11.37)])
async def test_trims_are_within_one_frame(
    clips: Clips, runner: FfmpegRunner, tmp_path: Path, start: float, end: float
) -> None:
    out = tmp_path / "cut.mp4"
    await trim(runner, clips.long, out, start, end)
    await _within_a_frame(out, end - start)


@pytest.mark.parametrize(
    ("start", "end", "method"),
    [(2.0, 8.0, "copy"), (0.0, 10.0, "copy"), (4.0, 9.5, "copy"), (1.9, 8.0, "reencode")],
)
async def test_trims_of_a_clip_with_b_frames(
    runner: FfmpegRunner, tmp_path: Path, start: float, end: float, method: str
) -> None:
    # B-frames make a copied cut stop by decoding order: the copy must still come out whole.
    source = make_phone_like(tmp_path / "phone.mp4")
    out = tmp_path / "cut.mp4"
    result = await trim(runner, source, out, start, end)
    assert result.method == method
    await _within_a_frame(out, end - start)
    facts = await stream_facts(out)
    assert abs(facts.duration - facts.frames * facts.frame_seconds) < facts.frame_seconds / 2


async def test_a_trim_past_the_end_keeps_what_there_is(
    clips: Clips, runner: FfmpegRunner, tmp_path: Path
) -> None:
    out = tmp_path / "cut.mp4"
    await trim(runner, clips.long, out, 10.0, 30.0)
    await _within_a_frame(out, 4.0)


async def test_a_two_second_clip_looped_to_three(
    clips: Clips, runner: FfmpegRunner, tmp_path: Path
) -> None:
    out = tmp_path / "loop.mp4"
    await loop_to(runner, clips.short, out)
    await _within_a_frame(out, 3.0)
    assert (await probe(out)).has_audio


async def test_a_two_second_clip_slowed_to_three(
    clips: Clips, runner: FfmpegRunner, tmp_path: Path
) -> None:
    out = tmp_path / "slow.mp4"
    await slow_to(runner, clips.short, out, await probe(clips.short))
    await _within_a_frame(out, 3.0)
    info = await probe(out)
    assert info.has_audio and info.fps is not None and info.fps >= 24


async def _conformed(runner: FfmpegRunner, source: Path, out: Path) -> tuple[str, MediaInfo]:
    conversion = await conform_for_kling(runner, source, out, await probe(source))
    assert conversion is not None
    info = await probe(out)
    assert clip_rules.conversion_for(info.facts()) is None  # now inside every limit
    assert info.codec == "h264" and clip_rules.is_mp4_family(info.container)
    assert info.fps is not None and 24 <= info.fps <= 60
    return conversion.code, info


async def test_hevc_in_mkv_is_converted(clips: Clips, runner: FfmpegRunner, tmp_path: Path) -> None:
    code, info = await _conformed(runner, clips.hevc, tmp_path / "out.mp4")
    assert code == "format+codec"
    assert (info.width, info.height, info.audio_codec) == (1280, 720, "aac")


async def test_a_video_note_is_scaled_up(clips: Clips, runner: FfmpegRunner, tmp_path: Path) -> None:
    code, info = await _conformed(runner, clips.note, tmp_path / "out.mp4")
    assert code == "upscaled"
    assert (info.width, info.height) == (720, 720)


async def test_a_15_fps_gif_is_converted(clips: Clips, runner: FfmpegRunner, tmp_path: Path) -> None:
    code, info = await _conformed(runner, clips.gif, tmp_path / "out.mp4")
    assert code == "format+codec+upscaled+frame rate"
    assert (info.width, info.height, info.fps) == (1280, 720, 24.0)
    assert abs(info.duration - 4.0) <= 0.1


async def test_rotation_is_applied(clips: Clips, runner: FfmpegRunner, tmp_path: Path) -> None:
    code, info = await _conformed(runner, clips.rotated, tmp_path / "out.mp4")
    assert Change.ROTATION.value in code
    assert (info.width, info.height, info.rotation) == (720, 1280, 0)


async def test_a_good_clip_is_left_alone(clips: Clips, runner: FfmpegRunner, tmp_path: Path) -> None:
    out = tmp_path / "untouched.mp4"
    assert await conform_for_kling(runner, clips.long, out, await probe(clips.long)) is None
    assert not out.exists()
