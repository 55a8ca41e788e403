"""Free local edits performed with ffmpeg: each writes a new file and leaves the source alone.

`apply_edit` is the one entry point; `output_suffix` says what file it writes (.mp4, .gif for a
GIF, .jpg for a still frame). Edits that only touch one stream copy the other (mute copies the
picture, crop and rotate copy the sound) so they cost no more than they must.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from bot.domain import clip_rules
from bot.domain.local_edits import LocalEdit, centre_crop
from bot.media.encoding import AAC, H264, MAP_AV, MP4_OUT, stream_facts
from bot.media.ffmpeg import FfmpegRunner
from bot.media.fit import change_speed, trim
from bot.media.probe import MediaInfo

_SUFFIX = {"gif": ".gif", "frame": ".jpg"}
# Reversing holds every decoded frame of a stretch in memory; stretches are sized to this.
REVERSE_MEMORY_BYTES = 150 * 1024 * 1024
_GIF_FPS = 12
_GIF_MAX_WIDTH = 480


def output_suffix(edit: LocalEdit) -> str:
    return _SUFFIX.get(edit.op, ".mp4")


async def apply_edit(
    runner: FfmpegRunner, source: Path, dest: Path, edit: LocalEdit, info: MediaInfo
) -> None:
    """Perform `edit` (already `resolved` for the clip's length) on `source` into `dest`."""
    if edit.op == "trim":
        if edit.start is None or edit.end is None or edit.start < 0 or edit.end < 0:
            raise ValueError("resolve the trim against the clip's length first")
        await trim(runner, source, dest, edit.start, edit.end, h264_mp4=_is_h264_mp4(info))
    elif edit.op == "speed":
        await change_speed(runner, source, dest, info, edit.factor or 2.0)
    elif edit.op == "reverse":
        await reverse(runner, source, dest, info)
    elif edit.op == "mute":
        video = ("-c:v", "copy") if _is_h264_mp4(info) else H264
        await runner.run("-i", str(source), "-map", "0:v:0", *video, "-an", *MP4_OUT, str(dest))
    elif edit.op == "crop":
        width, height = clip_rules.display_size(info.facts())
        w, h, x, y = centre_crop(width, height, edit.aspect_ratio or "9:16")
        await _refilter(runner, source, dest, info, f"crop={w}:{h}:{x}:{y},setsar=1")
    elif edit.op == "rotate":
        turns = {90: "transpose=1", 180: "hflip,vflip", 270: "transpose=2"}
        await _refilter(runner, source, dest, info, turns[edit.degrees or 90])
    elif edit.op == "gif":
        await to_gif(runner, source, dest)
    elif edit.op == "frame":
        await grab_frame(runner, source, dest, edit.at or 0.0)
    else:  # pragma: no cover - the Literal type makes this unreachable
        raise ValueError(f"unknown local edit {edit.op}")


async def _refilter(
    runner: FfmpegRunner, source: Path, dest: Path, info: MediaInfo, video_filter: str
) -> None:
    """Re-encode the picture through `video_filter`; copy AAC sound, convert any other."""
    audio = ("-c:a", "copy") if info.audio_codec in (None, "aac") else AAC
    await runner.run("-i", str(source), *MAP_AV, "-vf", f"{video_filter},format=yuv420p",
                     *H264, *audio, *MP4_OUT, str(dest))


async def reverse(runner: FfmpegRunner, source: Path, dest: Path, info: MediaInfo) -> None:
    """Play the clip (and its sound) backwards. FFmpeg's reverse filter keeps every frame it
    is given in memory, so a long or large clip is reversed in stretches that fit
    REVERSE_MEMORY_BYTES, which are then joined last-first without re-encoding."""
    facts = await stream_facts(source)
    width, height = clip_rules.display_size(info.facts())
    per_second = width * height * 1.5 / facts.frame_seconds  # decoded 4:2:0 frames
    stretch = max(0.5, REVERSE_MEMORY_BYTES / per_second)
    if stretch >= facts.duration:
        await _reverse_part(runner, source, dest, 0.0, facts.duration, info.has_audio)
        return
    parts_dir = dest.with_name(f".{dest.name}.parts")
    await asyncio.to_thread(parts_dir.mkdir, parents=True, exist_ok=True)
    try:
        parts: list[Path] = []
        start = 0.0
        while start < facts.duration - facts.frame_seconds / 2:
            length = min(stretch, facts.duration - start)
            part = parts_dir / f"{len(parts):04d}.mp4"
            await _reverse_part(runner, source, part, start, length, info.has_audio)
            parts.append(part)
            start += length
        listing = parts_dir / "parts.txt"
        text = "".join(f"file '{p.name}'\n" for p in reversed(parts))
        await asyncio.to_thread(listing.write_text, text)
        await runner.run("-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy",
                         *MP4_OUT, str(dest))
    finally:
        await asyncio.shield(asyncio.to_thread(shutil.rmtree, parts_dir, ignore_errors=True))


async def _reverse_part(runner: FfmpegRunner, source: Path, dest: Path, start: float,
                        length: float, audio: bool) -> None:
    sound = ["-af", "areverse", *AAC] if audio else ["-an"]
    # -t before -i: the input itself stops at the stretch's end. As an output option it would
    # let the reverse filter swallow the rest of the clip first (and hold all of it in memory).
    await runner.run("-ss", f"{start:.6f}", "-t", f"{length:.6f}", "-i", str(source), *MAP_AV,
                     "-vf", "reverse,format=yuv420p", *H264, *sound, *MP4_OUT, str(dest))


async def to_gif(runner: FfmpegRunner, source: Path, dest: Path) -> None:
    """A GIF at 12 fps, at most 480 px wide, with a palette made for this clip. Two passes:
    one filter graph doing both would hold every frame until the palette is known."""
    scale = f"fps={_GIF_FPS},scale='min({_GIF_MAX_WIDTH},iw)':-2:flags=lanczos"
    palette = dest.with_name(f".{dest.name}.palette.png")
    try:
        await runner.run("-i", str(source), "-vf", f"{scale},palettegen=stats_mode=diff",
                         "-frames:v", "1", "-update", "1", str(palette))
        await runner.run("-i", str(source), "-i", str(palette), "-lavfi",
                         f"{scale}[v];[v][1:v]paletteuse=dither=bayer:bayer_scale=5",
                         "-f", "gif", str(dest))
    finally:
        await asyncio.shield(asyncio.to_thread(palette.unlink, missing_ok=True))


async def grab_frame(runner: FfmpegRunner, source: Path, dest: Path, at: float) -> None:
    """The picture shown at `at` seconds as a JPEG (the last one if `at` is past the end)."""
    facts = await stream_facts(source)
    at = min(max(0.0, at), max(0.0, facts.duration - facts.frame_seconds))
    await runner.run("-ss", f"{at:.6f}", "-i", str(source), "-frames:v", "1", "-update", "1",
                     "-q:v", "2", "-f", "image2", "-c:v", "mjpeg", str(dest))


def _is_h264_mp4(info: MediaInfo) -> bool:
    return info.codec == "h264" and clip_rules.is_mp4_family(info.container)
