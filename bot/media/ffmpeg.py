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


async def run_ffmpeg(*args: str, timeout: float = 300.0) -> None:
    """Run `ffmpeg -hide_banner -loglevel error -y ARGS`; raise FfmpegError on failure."""
    proc = await asyncio.create_subprocess_exec(
        ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        _, stderr = await asyncio.wait_for(proc.communicate(), timeout)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise FfmpegError(-1, "timed out") from None
    if proc.returncode != 0:
        raise FfmpegError(proc.returncode or -1, stderr.decode(errors="replace")[-2000:])
