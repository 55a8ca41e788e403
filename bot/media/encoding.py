"""The encoder settings every local conversion shares, and stream facts read without decoding."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass
from pathlib import Path

import av
import av.error

from bot.media.probe import MediaError

# veryfast: on two shared cores a 10 s 720p clip encodes in about a second; CRF 20 keeps a
# re-encoded clip visually the same as its source (it is what Kling will be shown).
H264 = ("-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p")
AAC = ("-c:a", "aac", "-b:a", "128k")
MP4_OUT = ("-movflags", "+faststart", "-f", "mp4")
# The first video stream and the first audio stream if there is one; no subtitles or data.
MAP_AV = ("-map", "0:v:0", "-map", "0:a:0?", "-sn", "-dn", "-map_chapters", "-1")


@dataclass(frozen=True, slots=True)
class StreamFacts:
    """The video stream's keyframe times and real frame timing, from packets only."""

    keyframes: tuple[float, ...]  # seconds from the stream's start, ascending
    frames: int
    duration: float  # from the first frame's start to the last frame's end
    frame_seconds: float  # typical length of one frame
    container_seconds: float  # what the container says (what Kling and players count)


async def stream_facts(path: Path) -> StreamFacts:
    """Demux (never decode) the first video stream: cheap, and memory stays flat."""
    return await asyncio.to_thread(_stream_facts_sync, path)


def _stream_facts_sync(path: Path) -> StreamFacts:
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            base = stream.time_base
            if base is None:
                raise MediaError("video has no time base")
            starts: list[float] = []
            keys: list[float] = []
            last_end = 0.0
            said = container.duration / 1_000_000 if container.duration else None
            for packet in container.demux(stream):
                if packet.pts is None:
                    continue
                t = float(packet.pts * base)
                starts.append(t)
                if packet.is_keyframe:
                    keys.append(t)
                last_end = max(last_end, t + float((packet.duration or 0) * base))
    except (av.error.FFmpegError, IndexError, OSError):
        raise MediaError("not a readable video") from None
    if not starts:
        raise MediaError("no video frames")
    first = min(starts)
    starts.sort()
    gaps = [b - a for a, b in itertools.pairwise(starts) if b > a]
    frame = sorted(gaps)[len(gaps) // 2] if gaps else (last_end - first or 1 / 30)
    # The last frame lasts one typical frame: a muxer's duration for the last packet is often
    # padded (B-frame delay, edit lists), which would overstate the length.
    end = starts[-1] + frame
    return StreamFacts(
        keyframes=tuple(sorted(k - first for k in keys)),
        frames=len(starts),
        duration=end - first,
        frame_seconds=frame,
        container_seconds=end - first if said is None else said,
    )
