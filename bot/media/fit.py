"""Cutting, looping and slowing clips with ffmpeg, and measuring where a clip moves.

Every function writes a new MP4 at `dest` and leaves the source alone. Lengths are checked by
demuxing the result: a trim is within one frame of what was asked, or it is redone by
re-encoding (a stream copy can only start on a keyframe).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bot.domain import clip_rules, fitting
from bot.media.encoding import AAC, H264, MAP_AV, MP4_OUT, StreamFacts, stream_facts
from bot.media.ffmpeg import FfmpegRunner
from bot.media.probe import MediaInfo

# The motion analysis looks at a thumbnail: plenty to tell still from moving, and cheap.
_ANALYSIS_WIDTH = 160
# The time limit for one analysis, long clips included (it decodes every frame once).
_ANALYSIS_SECONDS = 600.0


@dataclass(frozen=True, slots=True)
class TrimResult:
    method: Literal["copy", "reencode"]
    duration: float  # the result's video length, from its packets


def _fmt(seconds: float) -> str:
    return f"{max(0.0, seconds):.6f}"


async def trim(runner: FfmpegRunner, source: Path, dest: Path, start: float, end: float,
               *, h264_mp4: bool = True) -> TrimResult:
    """Keep [start, end) of `source`. A stream copy when a keyframe sits within half a frame of
    `start` and the source is already H.264 in MP4 (`h264_mp4`), else a re-encode. The result
    is demuxed, and a copy that came out more than a frame off is redone by re-encoding."""
    facts = await stream_facts(source)
    start, end = fitting.clamp_range(start, end, facts.duration)
    # A whole number of frames, rounded down: never longer than asked (Kling counts the
    # container's length against its 10 s limit), never more than one frame shorter.
    length = max(1, math.floor((end - start) / facts.frame_seconds + 1e-6)) * facts.frame_seconds
    key = _keyframe_near(facts, start)
    if h264_mp4 and key is not None:
        copied = await _copy_cut(runner, source, dest, key, length, facts.frame_seconds)
        if copied is not None:
            return TrimResult("copy", copied)
    # Restarting the clocks at zero: a cut between two frames would otherwise start the
    # picture a fraction of a frame late, and the container would count that gap as length.
    await runner.run(*_window(start, length, source), *MAP_AV, "-vf", "setpts=PTS-STARTPTS",
                     "-af", "asetpts=PTS-STARTPTS", *H264, *AAC, *MP4_OUT, str(dest))
    return TrimResult("reencode", (await stream_facts(dest)).duration)


async def _copy_cut(runner: FfmpegRunner, source: Path, dest: Path, key: float, length: float,
                    frame: float) -> float | None:
    """Cut by stream copy from keyframe `key`; the video length if it is within a frame of
    `length` (and not over it), else None. The picture is copied; the sound is re-encoded
    (cheap), because a copied AAC track overhangs the cut and Kling counts the container's
    length. With B-frames the input stops by decoding time, which lets a frame or two of the
    next group in and leaves B-frames out: the cut is then redone that much shorter."""
    wanted = round(length / frame)
    cut = length
    for _ in range(3):
        # No -avoid_negative_ts: shifting the B-frame delay to zero would start the sound
        # late and make the container longer than the picture; MP4's edit list handles it.
        await runner.run(*_window(key, cut, source), *MAP_AV, "-c:v", "copy", *AAC,
                         *MP4_OUT, str(dest))
        got = await stream_facts(dest)
        # Whole and gapless: every frame there (no held picture where a B-frame was left
        # behind), at most one short, and the container no longer than asked.
        gapless = abs(got.duration - got.frames * frame) < frame / 2
        if gapless and wanted - 1 <= got.frames <= wanted and (
                got.container_seconds <= length + 1e-6):
            return got.duration
        cut -= max(1, got.frames - wanted) * frame
    return None


def _window(start: float, length: float, source: Path) -> tuple[str, ...]:
    # -ss and -t both on the input: the input stops at the cut, so no stream runs past it
    # (an output -t leaves the sound up to one AAC frame longer than the picture).
    return ("-ss", _fmt(start), "-t", _fmt(length), "-i", str(source))


def _keyframe_near(facts: StreamFacts, start: float) -> float | None:
    near = [k for k in facts.keyframes if abs(k - start) <= facts.frame_seconds / 2]
    return near[0] if near else None


async def loop_to(runner: FfmpegRunner, source: Path, dest: Path,
                  seconds: float = fitting.MIN_SECONDS) -> None:
    """Play the clip again and again until it lasts `seconds` (sound loops with it)."""
    await runner.run("-stream_loop", "-1", "-i", str(source), "-t", _fmt(seconds), *MAP_AV,
                     *H264, *AAC, *MP4_OUT, str(dest))


async def slow_to(runner: FfmpegRunner, source: Path, dest: Path, info: MediaInfo,
                  seconds: float = fitting.MIN_SECONDS) -> None:
    """Slow the clip down so it lasts `seconds`, keeping its frame rate (frames are repeated)
    and its sound's pitch (atempo)."""
    if not info.duration:
        raise ValueError("slowing needs the clip's duration")
    factor = fitting.slow_factor(info.duration, seconds)
    await change_speed(runner, source, dest, info, 1 / factor, limit=seconds)


async def change_speed(runner: FfmpegRunner, source: Path, dest: Path, info: MediaInfo,
                       speed: float, *, limit: float | None = None) -> None:
    """Play `speed` times as fast (0.5 = half speed). The frame rate stays the source's (at
    least 24), so a speed-up drops frames rather than asking players for 120 fps."""
    fps = max(info.fps or 30.0, clip_rules.MIN_FPS)
    video = f"setpts=PTS/{speed:.6f},fps={fps:.6f}"
    args = ["-i", str(source), *MAP_AV, "-vf", video, *H264]
    if info.has_audio:
        args += ["-af", ",".join(f"atempo={s:.6f}" for s in fitting.atempo_chain(speed)), *AAC]
    if limit is not None:
        args += ["-t", _fmt(limit)]
    await runner.run(*args, *MP4_OUT, str(dest))


async def motion_profile(runner: FfmpegRunner, source: Path) -> list[tuple[float, float]]:
    """(time, motion) per frame: the mean absolute difference from the previous frame (FFmpeg's
    scdet `mafd`) of a 160 px thumbnail. Read as a stream, one short line at a time."""
    samples: list[tuple[float, float]] = []
    now = [0.0]

    def take(line: str) -> None:
        if line.startswith("frame:"):
            _, _, rest = line.partition("pts_time:")
            now[0] = float(rest.split()[0]) if rest else now[0]
        elif line.startswith("lavfi.scd.mafd="):
            samples.append((now[0], float(line.partition("=")[2])))

    graph = (f"scale={_ANALYSIS_WIDTH}:-2:flags=fast_bilinear,scdet=threshold=100,"
             "metadata=mode=print:key=lavfi.scd.mafd:file=pipe\\\\:1")
    await runner.run("-an", "-sn", "-dn", "-i", str(source), "-vf", graph, "-f", "null", "-",
                     limit_seconds=_ANALYSIS_SECONDS, on_line=take)
    return samples


async def liveliest(runner: FfmpegRunner, source: Path, duration: float,
                    length: float = fitting.MAX_SECONDS) -> tuple[float, float]:
    """(start, end) of the `length`-second window of `source` with the most motion."""
    return fitting.liveliest_window(await motion_profile(runner, source), duration, length)
