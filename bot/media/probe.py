"""What a media file is: kind, length, size and codec, read with PyAV off the event loop."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Literal

import av
import av.error

MediaKind = Literal["video", "photo"]

# FFmpeg happily "demuxes" a text file as an ANSI-art video (format "tty"); these are never media.
_TEXT_FORMATS = frozenset({"tty"})
_TEXT_CODECS = frozenset({"ansi", "bintext", "xbin", "idf"})

_PHOTO_CODECS = frozenset({"mjpeg", "png", "webp", "bmp", "tiff"})

# A broken file can demux forever without yielding a picture; give up well before reading it all.
_MAX_PACKETS_FOR_FIRST_FRAME = 300


class MediaError(Exception):
    """The file is not a video or photo we can read; the message is short and safe to show."""


@dataclass(frozen=True, slots=True)
class MediaInfo:
    kind: MediaKind
    duration: float | None
    width: int
    height: int
    codec: str
    fps: float | None
    size_bytes: int
    has_audio: bool
    container: str


async def probe(path: Path) -> MediaInfo:
    """Inspect `path`; raise MediaError if it is not a readable video or image."""
    return await asyncio.to_thread(_probe_sync, path)


def describe(info: MediaInfo) -> str:
    """A short human summary: "6.2 s, 1280x720" or "1024x768 photo"."""
    dims = f"{info.width}x{info.height}"
    if info.kind == "photo":
        return f"{dims} photo"
    if info.duration is None:
        return f"{dims} video"
    return f"{info.duration:.1f} s, {dims}"


def _is_image_container(format_name: str) -> bool:
    # Single images come through the image2 demuxer or one of the per-codec *_pipe probes.
    return format_name == "image2" or format_name.endswith("_pipe")


def _probe_sync(path: Path) -> MediaInfo:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise MediaError("file not found") from None
    except OSError as exc:
        raise MediaError(f"cannot read file ({exc.strerror or 'I/O error'})") from None
    if size == 0:
        raise MediaError("empty file")

    try:
        container = av.open(str(path), mode="r")
    except (av.error.FFmpegError, OSError):
        # PyAV's message repeats the path; the caller only needs to know it is not media.
        raise MediaError("not a readable video or image") from None

    with container:
        format_name = container.format.name
        video = next(iter(container.streams.video), None)
        if video is None:
            raise MediaError("no video or image stream")
        ctx = video.codec_context
        codec = ctx.name
        if format_name in _TEXT_FORMATS or codec in _TEXT_CODECS:
            raise MediaError("not a readable video or image")
        width, height = ctx.width, ctx.height
        if width <= 0 or height <= 0:
            raise MediaError("no picture size")

        is_photo = _is_image_container(format_name)
        if is_photo and codec not in _PHOTO_CODECS:
            raise MediaError(f"unsupported image format ({codec})")

        has_audio = len(container.streams.audio) > 0
        duration = None if is_photo else _duration(container, video)
        fps = None if is_photo else _fps(video)
        # Headers can look fine on a truncated or corrupt file; decoding one picture proves it.
        _decode_first_frame(container, video)

    return MediaInfo(
        kind="photo" if is_photo else "video",
        duration=duration,
        width=width,
        height=height,
        codec=codec,
        fps=fps,
        size_bytes=size,
        has_audio=has_audio,
        container=format_name,
    )


def _duration(container: av.container.InputContainer, stream: av.VideoStream) -> float | None:
    if container.duration is not None and container.duration > 0:
        return container.duration / av.time_base
    if stream.duration is not None and stream.time_base is not None and stream.duration > 0:
        return float(stream.duration * stream.time_base)
    return None


def _fps(stream: av.VideoStream) -> float | None:
    rate: Fraction | None = stream.average_rate or stream.guessed_rate
    if rate is None or rate <= 0:
        return None
    return float(rate)


def _decode_first_frame(container: av.container.InputContainer, stream: av.VideoStream) -> None:
    try:
        for count, packet in enumerate(container.demux(stream)):
            if packet.decode():
                return
            if count >= _MAX_PACKETS_FOR_FIRST_FRAME:
                break
    except av.error.FFmpegError:
        raise MediaError("corrupt or unreadable picture data") from None
    raise MediaError("no decodable picture")
