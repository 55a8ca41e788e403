"""Fetching a job's inputs for real (streamed with httpx) and probing them with PyAV."""

from __future__ import annotations

import asyncio
import base64
import binascii
import time
from dataclasses import dataclass
from pathlib import Path

import av
import httpx

MAX_VIDEO_BYTES = 200 * 1024 * 1024  # Kling's documented input limit
MAX_IMAGE_BYTES = 50 * 1024 * 1024
_IMAGE_FORMATS = ("image2", "jpeg_pipe", "png_pipe", "webp_pipe", "gif", "bmp_pipe")


@dataclass
class Fetch:
    """One input the emulator fetched (or decoded, for Base64: then `status` is None)."""

    url: str
    status: int | None
    bytes: int
    error: str | None
    at: float


@dataclass(frozen=True)
class Probe:
    format_name: str
    duration: float | None
    width: int
    height: int
    has_video: bool
    has_audio: bool

    @property
    def is_image(self) -> bool:
        return self.format_name in _IMAGE_FORMATS or self.format_name.endswith("_pipe")


class FetchError(Exception):
    """An input could not be fetched or is not what it should be; the text goes to the client."""


def short(url: str, limit: int = 80) -> str:
    return url if len(url) <= limit else url[: limit - 3] + "..."


async def download(
    client: httpx.AsyncClient, url: str, dest: Path, what: str, max_bytes: int, log: list[Fetch]
) -> Path:
    """Stream `url` to `dest`, recording the fetch in `log`; raise FetchError on any failure."""
    status: int | None = None
    size = 0
    try:
        async with client.stream("GET", url) as response:
            status = response.status_code
            if status >= 400:
                raise FetchError(f"failed to fetch {what}: HTTP {status}")
            with dest.open("wb") as out:
                async for chunk in response.aiter_bytes(1 << 16):
                    size += len(chunk)
                    if size > max_bytes:
                        raise FetchError(f"{what} exceeds {max_bytes // (1024 * 1024)} MB")
                    out.write(chunk)
    except FetchError as err:
        log.append(Fetch(short(url, 500), status, size, str(err), time.time()))
        raise
    except httpx.HTTPError as err:
        message = f"failed to fetch {what}: {type(err).__name__}: {err}".rstrip(": ")
        log.append(Fetch(short(url, 500), status, size, message, time.time()))
        raise FetchError(message) from err
    log.append(Fetch(short(url, 500), status, size, None, time.time()))
    return dest


def decode_base64(source: str, dest: Path, what: str, log: list[Fetch]) -> Path:
    """Write a `data:...;base64,` URI or a bare Base64 string to `dest`."""
    payload = source.partition(",")[2] if source.startswith("data:") else source
    try:
        raw = base64.b64decode("".join(payload.split()), validate=True)
    except (binascii.Error, ValueError):
        message = f"{what} is neither an http(s) URL nor valid Base64"
        log.append(Fetch(short(source), None, 0, message, time.time()))
        raise FetchError(message) from None
    if not raw:
        message = f"{what} is empty"
        log.append(Fetch(short(source), None, 0, message, time.time()))
        raise FetchError(message)
    dest.write_bytes(raw)
    log.append(Fetch(short(source), None, len(raw), None, time.time()))
    return dest


def _probe_sync(path: Path) -> Probe:
    with av.open(str(path)) as container:
        video = container.streams.video
        audio = container.streams.audio
        duration: float | None = None
        if container.duration is not None:
            duration = container.duration / av.time_base
        elif video and video[0].duration is not None and video[0].time_base is not None:
            duration = float(video[0].duration * video[0].time_base)
        width = video[0].codec_context.width if video else 0
        height = video[0].codec_context.height if video else 0
        return Probe(
            format_name=container.format.name,
            duration=duration,
            width=width,
            height=height,
            has_video=bool(video),
            has_audio=bool(audio),
        )


async def probe(path: Path) -> Probe | None:
    """PyAV facts about a media file, or None when it is not readable media."""
    try:
        return await asyncio.to_thread(_probe_sync, path)
    except (av.FFmpegError, OSError, ValueError):
        return None


async def fetch_video(
    client: httpx.AsyncClient, url: str, dest: Path, log: list[Fetch]
) -> tuple[Path, Probe]:
    await download(client, url, dest, "video", MAX_VIDEO_BYTES, log)
    facts = await probe(dest)
    if facts is None or not facts.has_video or facts.is_image:
        raise FetchError("video is not a readable video file (expected MP4/MOV)")
    if not facts.duration or facts.duration <= 0:
        raise FetchError("video has no duration")
    return dest, facts


async def fetch_image(
    client: httpx.AsyncClient, source: str, dest: Path, what: str, log: list[Fetch]
) -> Path:
    if source.startswith(("http://", "https://")):
        await download(client, source, dest, what, MAX_IMAGE_BYTES, log)
    else:
        decode_base64(source, dest, what, log)
    facts = await probe(dest)
    if facts is None or not facts.has_video:
        raise FetchError(f"{what} is not a readable image")
    return dest
