"""Where the ffmpeg binary is, and running it as a subprocess off the event loop."""

from __future__ import annotations

import asyncio
import shutil
from functools import cache


class FfmpegError(Exception):
    """ffmpeg exited non-zero; `stderr_tail` holds its last lines for the log, never for a chat."""

    def __init__(self, returncode: int, stderr_tail: str) -> None:
        super().__init__(f"ffmpeg exited with {returncode}")
        self.returncode = returncode
        self.stderr_tail = stderr_tail


@cache
def ffmpeg_exe() -> str:
    """The system ffmpeg if there is one, else the binary shipped by imageio-ffmpeg."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    import imageio_ffmpeg  # a wheel that ships a static ffmpeg: no apt needed

    return str(imageio_ffmpeg.get_ffmpeg_exe())


async def run_ffmpeg(*args: str, limit_seconds: float = 300.0) -> None:
    """Run `ffmpeg -hide_banner -loglevel error -y ARGS`; raise FfmpegError on failure.
    A cancelled or timed-out run kills and reaps the child, so no ffmpeg outlives its task."""
    proc = await asyncio.create_subprocess_exec(
        ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(limit_seconds):
            _, stderr = await proc.communicate()
    except BaseException as exc:  # timeout or cancellation: do not leave ffmpeg behind
        if proc.returncode is None:
            proc.kill()
        await asyncio.shield(proc.wait())
        if isinstance(exc, TimeoutError):
            raise FfmpegError(-1, "timed out") from None
        raise
    if proc.returncode != 0:
        raise FfmpegError(proc.returncode or -1, stderr.decode(errors="replace")[-2000:])
