"""Bringing any video inside Kling's input limits: one ffmpeg pass planned by the domain."""

from __future__ import annotations

from pathlib import Path

from bot.domain.clip_rules import Conversion, conversion_for
from bot.media.encoding import AAC, H264, MAP_AV, MP4_OUT
from bot.media.ffmpeg import FfmpegRunner
from bot.media.probe import MediaInfo


async def conform(runner: FfmpegRunner, source: Path, dest: Path, conversion: Conversion) -> None:
    """Write `source` to `dest` as `conversion` says: H.264/AAC in MP4, scaled (and padded) to
    its size, at its frame rate, rotation applied (FFmpeg turns the display matrix into real
    pixels when it decodes), bitrate capped to stay under 200 MB."""
    args = ["-i", str(source), *MAP_AV]
    if conversion.reencode_video:
        args += ["-vf", _video_filter(conversion), *H264]
        if conversion.max_video_kbps is not None:
            rate = conversion.max_video_kbps
            args += ["-maxrate", f"{rate}k", "-bufsize", f"{2 * rate}k"]
    else:
        args += ["-c:v", "copy"]
    args += list(AAC) if conversion.reencode_audio else ["-c:a", "copy"]
    await runner.run(*args, *MP4_OUT, str(dest))


async def conform_for_kling(
    runner: FfmpegRunner, source: Path, dest: Path, info: MediaInfo
) -> Conversion | None:
    """Convert `source` into `dest` if Kling would not take it; return what was done (its
    `code` is the word for the user), or None when the source is fine as it is (no file)."""
    conversion = conversion_for(info.facts())
    if conversion is not None:
        await conform(runner, source, dest, conversion)
    return conversion


async def shrink(runner: FfmpegRunner, source: Path, dest: Path, video_kbps: int) -> None:
    """Re-encode `source` at the same size and frame rate, its video capped at `video_kbps`
    (capped CRF: a simple clip comes out smaller still), to fit an upload limit."""
    await runner.run("-i", str(source), *MAP_AV, *H264, "-maxrate", f"{video_kbps}k",
                     "-bufsize", f"{2 * video_kbps}k", *AAC, *MP4_OUT, str(dest))


def _video_filter(conversion: Conversion) -> str:
    (width, height), (frame_w, frame_h) = conversion.scale, conversion.frame
    parts = [f"scale={width}:{height}:flags=bicubic", "setsar=1"]
    if (width, height) != (frame_w, frame_h):
        parts.append(f"pad={frame_w}:{frame_h}:(ow-iw)/2:(oh-ih)/2")
    if conversion.fps is not None:
        parts.append(f"fps={conversion.fps:g}")
    parts.append("format=yuv420p")
    return ",".join(parts)
