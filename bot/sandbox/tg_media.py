"""Files held by the fake server, and the probing Telegram does when media arrives."""

from __future__ import annotations

import io
import itertools
import mimetypes
import secrets
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

# file_id prefixes of real Bot API ids; nothing parses them, they only make logs look familiar.
_PREFIX = {
    "photo": "AgAC", "video": "BAAC", "document": "BQAC", "animation": "CgAC",
    "video_note": "DQAC", "thumbnail": "AAMC",
}
_FOLDER = {
    "photo": "photos", "video": "videos", "document": "documents", "animation": "animations",
    "video_note": "video_notes", "thumbnail": "thumbnails",
}
_counter = itertools.count(1)


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    kind: str
    size: int
    data: bytes | None = field(default=None, repr=False)
    path: Path | None = None
    mime_type: str | None = None
    file_name: str | None = None
    width: int = 0
    height: int = 0
    duration: int = 0
    file_path: str | None = None
    thumbnail: StoredFile | None = None
    # All sizes of the photo this file belongs to, so a re-sent photo shows every size.
    photo_set: list[StoredFile] | None = field(default=None, repr=False)

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.path is not None
        return self.path.read_bytes()

    def default_path(self) -> str:
        ext = Path(self.file_name or "").suffix
        if not ext and self.mime_type:
            ext = mimetypes.guess_extension(self.mime_type) or ""
        if not ext:
            ext = {"photo": ".jpg", "thumbnail": ".jpg", "video": ".mp4",
                   "animation": ".mp4", "video_note": ".mp4"}.get(self.kind, "")
        return f"{_FOLDER.get(self.kind, 'documents')}/file_{next(_counter)}{ext}"

    def photo_size(self) -> dict[str, Any]:
        return {"file_id": self.file_id, "file_unique_id": self.file_unique_id,
                "width": self.width, "height": self.height, "file_size": self.size}


def new_file(kind: str, data: bytes | None = None, path: Path | None = None,
             **attrs: Any) -> StoredFile:
    size = len(data) if data is not None else (path.stat().st_size if path else 0)
    token = secrets.token_urlsafe(36)
    return StoredFile(file_id=f"{_PREFIX.get(kind, 'BQAC')}gIAAxkBAA{token}",
                      file_unique_id=f"AgAD{secrets.token_urlsafe(9)}", kind=kind, size=size,
                      data=data, path=path, **attrs)


def _open(source: bytes | Path) -> Any:
    return av.open(io.BytesIO(source) if isinstance(source, bytes) else str(source))


def _jpeg(frame: Any, width: int, height: int) -> bytes:
    codec = av.CodecContext.create("mjpeg", "w")
    codec.width, codec.height = width, height
    codec.pix_fmt = "yuvj420p"
    codec.time_base = Fraction(1, 25)
    scaled = frame.reformat(width=width, height=height, format="yuvj420p")
    return b"".join(bytes(p) for p in [*codec.encode(scaled), *codec.encode(None)])


def _fit(width: int, height: int, limit: int) -> tuple[int, int]:
    scale = limit / max(width, height)
    # JPEG encoders want even dimensions for 4:2:0 chroma.
    return max(2, round(width * scale) // 2 * 2), max(2, round(height * scale) // 2 * 2)


Thumb = tuple[int, int, bytes]


def probe_video(source: bytes | Path) -> tuple[int, int, int, Thumb | None]:
    """(width, height, whole seconds, (w, h, JPEG) thumbnail); zeros if not a video."""
    try:
        with _open(source) as container:
            stream = container.streams.video[0]
            width, height = stream.codec_context.width, stream.codec_context.height
            if container.duration:
                seconds = container.duration / 1_000_000
            elif stream.duration and stream.time_base:
                seconds = float(stream.duration * stream.time_base)
            else:
                seconds = 0.0
            thumb = None
            try:
                frame = next(container.decode(stream))
                tw, th = _fit(width, height, 320)
                thumb = (tw, th, _jpeg(frame, tw, th))
            except (StopIteration, av.FFmpegError, ValueError):
                pass
            return width, height, int(seconds + 0.5), thumb
    except (av.FFmpegError, IndexError, ValueError, OSError):
        return 0, 0, 0, None


def photo_sizes(source: bytes | Path) -> tuple[int, int, list[Thumb]] | None:
    """Original (width, height) and the size ladder Telegram makes for a photo (90, 320, 800,
    1280, 2560 px boxes), smallest first; the largest keeps the original bytes when it fits.
    None if the bytes are not an image."""
    try:
        with _open(source) as container:
            frame = next(container.decode(video=0))
    except (av.FFmpegError, StopIteration, IndexError, ValueError, OSError):
        return None
    w, h = frame.width, frame.height
    original = source if isinstance(source, bytes) else source.read_bytes()
    out: list[Thumb] = []
    for limit in (90, 320, 800, 1280, 2560):
        if max(w, h) <= limit:
            out.append((w, h, original))
            break
        tw, th = _fit(w, h, limit)
        out.append((tw, th, _jpeg(frame, tw, th)))
    return w, h, out


def media_fields(f: StoredFile, kind: str) -> dict[str, Any]:
    """The Message fields that carry a file of this kind, shaped like the Bot API's."""
    if kind == "photo":
        return {"photo": [p.photo_size() for p in (f.photo_set or [f])]}
    d: dict[str, Any] = {"file_id": f.file_id, "file_unique_id": f.file_unique_id}
    if kind == "video_note":
        d |= {"length": f.width, "duration": f.duration}
    elif kind in ("video", "animation"):
        d |= {"width": f.width, "height": f.height, "duration": f.duration}
    if kind != "video_note":
        if f.file_name:
            d["file_name"] = f.file_name
        d["mime_type"] = f.mime_type or "application/octet-stream"
    if f.thumbnail is not None:
        d["thumbnail"] = f.thumbnail.photo_size()
    d["file_size"] = f.size
    if kind == "animation":
        # The Bot API sets `document` alongside `animation` for old clients.
        doc = {k: v for k, v in d.items() if k not in ("width", "height", "duration")}
        return {"animation": d, "document": doc}
    return {kind: d}
