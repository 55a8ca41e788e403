"""What a clip must be for Kling, what must change to get there, and how big a picture we read.

Kling's own limits on an input video: MP4/MOV, 720-2160 px on each side, 24-60 fps, at most
200 MB (its 3-10 s window is `kling.INPUT_SECONDS`, fitted separately). `conversion_for` looks at
probe facts and returns the one conversion that brings a clip inside them (or None when it
already is); the media layer performs it. Pure: no I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

MIN_SIDE, MAX_SIDE = 720, 2160
MIN_FPS, MAX_FPS = 24.0, 60.0
MAX_BYTES = 200 * 1000 * 1000  # Kling says "200 MB"; the decimal reading is the safe one
# Aim below the limit when re-encoding: bitrate control is not exact.
_TARGET_BYTES = int(MAX_BYTES * 0.85)
AUDIO_KBPS = 128

# Pixel budget: checked from headers before anything is decoded. A 40 MP photo is more than
# any phone takes; video above 4096 px (DCI 4K) costs far more to scale down to Kling's 2160 px
# than a clip is worth, and one decoded 8K frame alone is ~100 MB.
MAX_IMAGE_PIXELS = 40_000_000
MAX_VIDEO_SIDE = 4096
MAX_VIDEO_PIXELS = 4096 * 2304

# What PyAV calls the MP4/MOV demuxer: one name for the whole ISO family.
_MP4_FAMILY = frozenset({"mov", "mp4", "m4a", "3gp", "3g2", "mj2"})
_H264_PIX_FMTS = frozenset({"yuv420p", "yuvj420p"})
_PHOTO_MIME = {
    "mjpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "bmp": "image/bmp",
    "tiff": "image/tiff",
}
_VIDEO_MIME = {"mp4": "video/mp4", "matroska": "video/x-matroska", "webm": "video/webm",
               "gif": "image/gif", "avi": "video/x-msvideo"}


class Change(StrEnum):
    """What a conversion changed; the value is the word shown to the user."""

    FORMAT = "format"  # not MP4/MOV: put into MP4
    CODEC = "codec"  # not H.264 (or AAC for the sound): re-encoded
    UPSCALED = "upscaled"  # a side under 720 px
    DOWNSCALED = "downscaled"  # a side over 2160 px
    PADDED = "padded"  # too thin for both limits at once: bars added
    FPS = "frame rate"  # outside 24-60 fps
    ROTATION = "rotation"  # rotation metadata turned into real pixels
    SIZE = "file size"  # over 200 MB


@dataclass(frozen=True, slots=True)
class ClipFacts:
    """What probing a video found, as far as Kling's limits care."""

    container: str  # FFmpeg demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm"
    video_codec: str
    width: int  # as stored, before rotation
    height: int
    fps: float | None
    size_bytes: int
    duration: float | None = None
    rotation: int = 0  # degrees from the display matrix
    pix_fmt: str | None = None
    audio_codec: str | None = None  # None: no sound track


@dataclass(frozen=True, slots=True)
class Conversion:
    """One ffmpeg pass: scale to `scale`, pad to `frame`, frame rate `fps`, H.264/AAC in MP4.
    `reencode_video` False means the video stream is copied (only the container changes)."""

    scale: tuple[int, int]
    frame: tuple[int, int]
    fps: float | None  # None: keep the source's rate
    reencode_video: bool
    reencode_audio: bool
    max_video_kbps: int | None
    changes: tuple[Change, ...]

    @property
    def code(self) -> str:
        """A short tag for logs and the user message: "upscaled+frame rate"."""
        return "+".join(c.value for c in self.changes)


def display_size(facts: ClipFacts) -> tuple[int, int]:
    """Width and height as shown, after the rotation metadata."""
    if facts.rotation % 180:
        return facts.height, facts.width
    return facts.width, facts.height


def conversion_for(facts: ClipFacts) -> Conversion | None:
    """The conversion that brings the clip inside Kling's limits, or None if it is inside."""
    width, height = display_size(facts)
    scale, frame, size_change = fit_size(width, height)
    changes: list[Change] = []
    if not is_mp4_family(facts.container):
        changes.append(Change.FORMAT)
    codec_ok = facts.video_codec == "h264" and (facts.pix_fmt or "yuv420p") in _H264_PIX_FMTS
    audio_ok = facts.audio_codec in (None, "aac")
    if not codec_ok or not audio_ok:
        changes.append(Change.CODEC)
    if facts.rotation % 360:
        changes.append(Change.ROTATION)
    changes.extend(size_change)
    fps = _target_fps(facts.fps)
    if fps is not None:
        changes.append(Change.FPS)
    if facts.size_bytes > MAX_BYTES:
        changes.append(Change.SIZE)
    if not changes:
        return None
    reencode = not codec_ok or any(c not in (Change.FORMAT, Change.CODEC) for c in changes)
    return Conversion(
        scale=scale if reencode else (width, height),
        frame=frame if reencode else (width, height),
        fps=fps,
        reencode_video=reencode,
        reencode_audio=not audio_ok,
        max_video_kbps=_video_kbps(facts.duration) if reencode else None,
        changes=tuple(changes),
    )


def fit_size(width: int, height: int) -> tuple[tuple[int, int], tuple[int, int], list[Change]]:
    """(picture size, frame size, changes) for a display size, keeping the aspect ratio.
    Both sides come out even (H.264 4:2:0 needs it) and inside 720-2160; a picture thinner
    than 1:3 cannot have both, so its long side is fitted to 2160 and bars pad the short one."""
    short, long_ = min(width, height), max(width, height)
    changes: list[Change] = []
    factor = 1.0
    if short < MIN_SIDE or long_ > MAX_SIDE:
        factor = MIN_SIDE / short if short < MIN_SIDE else MAX_SIDE / long_
        factor = min(factor, MAX_SIDE / long_)
        changes.append(Change.UPSCALED if factor > 1 else Change.DOWNSCALED)
    padded = short * factor < MIN_SIDE - 1
    if padded:
        changes.append(Change.PADDED)
    pic_short = _even(short * factor) if padded else _clamp(_even(short * factor))
    pic_long = _clamp(_even(long_ * factor))
    frame_short = max(pic_short, MIN_SIDE)
    if width <= height:
        return (pic_short, pic_long), (frame_short, pic_long), changes
    return (pic_long, pic_short), (pic_long, frame_short), changes


def is_mp4_family(container: str) -> bool:
    return bool(_MP4_FAMILY & set(container.split(",")))


def mime_type(kind: str, container: str, codec: str) -> str:
    """The real content type of a probed file: a PNG stays image/png."""
    if kind == "photo":
        return _PHOTO_MIME.get(codec, "application/octet-stream")
    if is_mp4_family(container):
        return "video/quicktime" if container == "mov" else "video/mp4"
    for name in container.split(","):
        if name in _VIDEO_MIME:
            return _VIDEO_MIME[name]
    return "application/octet-stream"


_PHOTO_EXT = {"mjpeg": "jpg", "png": "png", "webp": "webp", "bmp": "bmp", "tiff": "tiff"}
_VIDEO_EXT = {"matroska": "mkv", "gif": "gif", "avi": "avi"}
# What a stored file's extension says it is: how it is served, and named inline (Base64).
MIME_BY_EXTENSION = {
    "mp4": "video/mp4", "m4v": "video/mp4", "mov": "video/quicktime", "webm": "video/webm",
    "mkv": "video/x-matroska", "avi": "video/x-msvideo", "gif": "image/gif",
    "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp",
    "bmp": "image/bmp", "tiff": "image/tiff",
}  # fmt: skip


def file_extension(kind: str, container: str, codec: str) -> str:
    """The extension a probed file is stored under, so it is served as what it is: a PNG
    stays .png (image/png), an MKV .mkv; MP4/MOV (one demuxer family) is .mp4."""
    if kind == "photo":
        return _PHOTO_EXT.get(codec, "jpg")
    if is_mp4_family(container):
        return "mp4"
    for name in container.split(","):
        if name in _VIDEO_EXT:
            return _VIDEO_EXT[name]
    return "mp4"


def over_pixel_budget(kind: str, width: int, height: int) -> bool:
    """A picture of this size is refused before decoding (a photo over MAX_IMAGE_PIXELS, a
    video past 4K)."""
    if kind == "photo":
        return width * height > MAX_IMAGE_PIXELS
    return max(width, height) > MAX_VIDEO_SIDE or width * height > MAX_VIDEO_PIXELS


def _even(value: float) -> int:
    """Nearest even integer, never below 2."""
    return max(2, 2 * math.floor(value / 2 + 0.5))


def _clamp(side: int) -> int:
    return min(MAX_SIDE, max(MIN_SIDE, side))


def _target_fps(fps: float | None) -> float | None:
    if fps is None or fps < MIN_FPS:
        return MIN_FPS
    if fps > MAX_FPS:
        return MAX_FPS
    return None


def _video_kbps(duration: float | None) -> int | None:
    if not duration or duration <= 0:
        return None
    return max(500, int(_TARGET_BYTES * 8 / 1000 / duration) - AUDIO_KBPS)


# Below this many bits per pixel per frame, H.264 shows blocks on ordinary footage: a result
# that would need less to fit Telegram's upload limit is sent as a link instead.
MIN_BITS_PER_PIXEL = 0.05
# Aim below the limit when re-encoding: bitrate control is not exact, and MP4 has overhead.
_UPLOAD_HEADROOM = 0.85


def upload_kbps(size_bytes: int, limit: int, duration: float | None, width: int, height: int,
                fps: float | None) -> int | None:
    """The video bitrate (kbps) that brings a clip of `size_bytes` under an upload `limit` while
    keeping good quality; None when it is under already, or when fitting would cost quality."""
    if size_bytes <= limit or not duration or duration <= 0:
        return None
    video = int(limit * _UPLOAD_HEADROOM * 8 / 1000 / duration) - AUDIO_KBPS
    floor = MIN_BITS_PER_PIXEL * width * height * (fps or 30.0) / 1000
    return video if video >= floor else None
