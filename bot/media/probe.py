"""What a media file is: kind, length, size and codec, read with PyAV off the event loop.

A pixel budget comes first: the picture size is read from the file header (or from stream
headers, with FFmpeg told to decode nothing larger than the budget) and an oversized file is
refused before any frame is decoded. One decoded 16000x16000 PNG would be 768 MB.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Literal

import av
import av.error

from bot.domain import clip_rules
from bot.media.pixels import header_size

MediaKind = Literal["video", "photo"]

# FFmpeg happily "demuxes" a text file as an ANSI-art video (format "tty"); these are never media.
_TEXT_FORMATS = frozenset({"tty"})
_TEXT_CODECS = frozenset({"ansi", "bintext", "xbin", "idf"})

_PHOTO_CODECS = frozenset({"mjpeg", "png", "webp", "bmp", "tiff"})

# A broken file can demux forever without yielding a picture; give up well before reading it all.
_MAX_PACKETS_FOR_FIRST_FRAME = 300
# Larger of the two budgets: the exact one (photo or video) is checked once the kind is known.
_DECODE_LIMITS = {"max_pixels": str(clip_rules.MAX_IMAGE_PIXELS)}


class MediaError(Exception):
    """The file is not a video or photo we can read. The message is for the log; `code` picks
    the sentence a chat sees (`bot.texts.unreadable_media`)."""

    code = "unreadable"


class PixelBudgetError(MediaError):
    """The picture is larger than we decode; refused from its headers alone."""

    code = "too_large"

    def __init__(self, kind: str, width: int, height: int) -> None:
        super().__init__(f"{kind} of {width}x{height} is over the pixel budget")
        self.kind, self.width, self.height = kind, width, height


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
    rotation: int = 0  # degrees, from the display matrix (phones film sideways and say so)
    pix_fmt: str | None = None
    audio_codec: str | None = None

    @property
    def mime(self) -> str:
        """The real content type: a PNG is image/png, not relabelled JPEG."""
        return clip_rules.mime_type(self.kind, self.container, self.codec)

    def facts(self) -> clip_rules.ClipFacts:
        """What Kling's input rules need to know about this video."""
        return clip_rules.ClipFacts(
            container=self.container, video_codec=self.codec, width=self.width,
            height=self.height, fps=self.fps, size_bytes=self.size_bytes,
            duration=self.duration, rotation=self.rotation, pix_fmt=self.pix_fmt,
            audio_codec=self.audio_codec,
        )


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


def _size_of(path: Path) -> int:
    """The file's size; a missing, unreadable or empty file is not media."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise MediaError("file not found") from None
    except OSError as exc:
        raise MediaError(f"cannot read file ({exc.strerror or 'I/O error'})") from None
    if size == 0:
        raise MediaError("empty file")
    sniffed = header_size(path)
    if sniffed is not None:
        _check_budget("photo", *sniffed)
    return size


def _probe_sync(path: Path) -> MediaInfo:
    size = _size_of(path)

    try:
        # max_pixels makes FFmpeg's decoders refuse anything over budget, including the frame
        # that stream probing itself decodes when headers do not give the size.
        container = av.open(str(path), mode="r", options=_DECODE_LIMITS)
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
            # Also what an over-budget picture in a format we cannot sniff looks like.
            raise MediaError("no picture size (corrupt, or too large to read)")

        is_photo = _is_image_container(format_name)
        if is_photo and codec not in _PHOTO_CODECS:
            raise MediaError(f"unsupported image format ({codec})")
        _check_budget("photo" if is_photo else "video", width, height)

        audio = next(iter(container.streams.audio), None)
        duration = None if is_photo else _duration(container, video)
        fps = None if is_photo else _fps(video)
        pix_fmt = ctx.format.name if ctx.format else None
        # Headers can look fine on a truncated or corrupt file; decoding one picture proves it.
        rotation = _decode_first_frame(container, video)

    return MediaInfo(
        kind="photo" if is_photo else "video", duration=duration, width=width, height=height,
        codec=codec, fps=fps, size_bytes=size, has_audio=audio is not None,
        container=format_name, rotation=rotation, pix_fmt=pix_fmt,
        audio_codec=audio.codec_context.name if audio is not None else None,
    )


def _check_budget(kind: str, width: int, height: int) -> None:
    if clip_rules.over_pixel_budget(kind, width, height):
        raise PixelBudgetError(kind, width, height)


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


def _decode_first_frame(container: av.container.InputContainer, stream: av.VideoStream) -> int:
    """Decode the first picture; return its rotation in degrees (0, 90, 180, 270)."""
    try:
        for count, packet in enumerate(container.demux(stream)):
            frames = packet.decode()
            if frames:
                return round(getattr(frames[0], "rotation", 0) or 0) % 360
            if count >= _MAX_PACKETS_FOR_FIRST_FRAME:
                break
    except av.error.FFmpegError:
        raise MediaError("corrupt or unreadable picture data") from None
    raise MediaError("no decodable picture")
