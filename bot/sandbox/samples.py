"""Real sample media made with ffmpeg, for tests, benchmarks and the sandbox. Never fake bytes.

Blocking (subprocess.run): call from a fixture, a script, or `asyncio.to_thread`.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from bot.media.ffmpeg import ffmpeg_exe


def _run(*args: str) -> None:
    subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args],
        check=True,
        timeout=300,
    )


def make_video(
    path: Path,
    seconds: float = 6.2,
    size: str = "1280x720",
    fps: int = 24,
    audio: bool = False,
) -> Path:
    """A real H.264 MP4 test pattern of the given length and size."""
    args = ["-f", "lavfi", "-i", f"testsrc2=duration={seconds}:size={size}:rate={fps}"]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
    args += ["-c:v", "libx264", "-preset", "ultrafast", "-crf", "35", "-pix_fmt", "yuv420p"]
    if audio:
        args += ["-c:a", "aac", "-shortest"]
    _run(*args, "-movflags", "+faststart", str(path))
    return path


def make_padded_video(path: Path, megabytes: float, seconds: float = 5.0) -> Path:
    """A real MP4 whose size exceeds `megabytes` (high-bitrate noise)."""
    rate = int(megabytes * 8 * 1024 * 1024 / seconds * 1.3)
    _run(
        "-f", "lavfi", "-i",
        f"nullsrc=size=1280x720:rate=24:duration={seconds},geq=random(1)*255:128:128",
        "-c:v", "libx264", "-preset", "ultrafast", "-b:v", str(rate), "-minrate", str(rate),
        "-maxrate", str(rate), "-bufsize", str(rate), "-pix_fmt", "yuv420p", str(path),
    )
    return path


def make_jpeg(path: Path, size: str = "1024x768", color: str = "teal") -> Path:
    """A real JPEG photo."""
    _run("-f", "lavfi", "-i", f"testsrc2=size={size}:rate=1:duration=1", "-frames:v", "1",
         "-vf", f"drawbox=x=0:y=0:w=iw/3:h=ih/3:color={color}:t=fill", str(path))
    return path
