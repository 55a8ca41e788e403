"""Where the ffmpeg binary is, and running it as a subprocess off the event loop.

`FfmpegRunner` is what the bot uses: at most `limit` ffmpeg processes at once (the rest wait
their turn on a semaphore), each with a time limit, its stderr kept (the tail) for the log, and
its stdout optionally handed over line by line, so a long analysis never sits in memory.
`run_ffmpeg` is the same run without a bound, for the emulator's own renders.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
from collections.abc import Callable
from functools import cache

# Enough of stderr to see why ffmpeg failed; ffmpeg can print megabytes on a corrupt input.
_STDERR_TAIL = 4000
# A line of ffmpeg's metadata output is short; a longer one is garbage, not worth buffering.
_MAX_LINE = 64 * 1024
_BASE_ARGS = ("-hide_banner", "-loglevel", "error", "-nostdin", "-y")

LineSink = Callable[[str], None]


class FfmpegError(Exception):
    """ffmpeg exited non-zero or ran out of time; `stderr_tail` holds its last lines for the
    log, never for a chat."""

    def __init__(self, returncode: int, stderr_tail: str) -> None:
        super().__init__(f"ffmpeg exited with {returncode}")
        self.returncode = returncode
        self.stderr_tail = stderr_tail


class FfmpegTimeout(FfmpegError):
    """ffmpeg ran past its time limit and was killed."""

    def __init__(self, limit_seconds: float) -> None:
        super().__init__(-1, f"timed out after {limit_seconds:g} s")


@cache
def ffmpeg_exe() -> str:
    """The system ffmpeg if there is one, else the binary shipped by imageio-ffmpeg."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    import imageio_ffmpeg  # a wheel that ships a static ffmpeg: no apt needed

    return str(imageio_ffmpeg.get_ffmpeg_exe())


class FfmpegRunner:
    """Runs ffmpeg with at most `limit` processes at once.

    Each child is started at `niceness` (added to ours) so that, on a small machine, encoding
    yields the CPU to the bot's event loop instead of competing with it as an equal.
    """

    def __init__(self, limit: int = 2, timeout: float = 300.0, niceness: int = 10) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self.timeout = timeout
        self.niceness = niceness
        self._slots = asyncio.Semaphore(limit)
        self._running = 0
        self._waiting = 0

    @property
    def busy(self) -> bool:
        """True when a new run would have to wait for a free slot (worth telling the user)."""
        return self._running + self._waiting >= self.limit

    @property
    def waiting(self) -> int:
        """Runs queued behind the limit right now."""
        return self._waiting

    async def run(
        self, *args: str, limit_seconds: float | None = None, on_line: LineSink | None = None
    ) -> str:
        """Run `ffmpeg -hide_banner -loglevel error -nostdin -y ARGS` once a slot is free.

        `on_line` receives each stdout line (use `pipe:1` as an output). Returns the stderr
        tail; raises FfmpegError on a non-zero exit and FfmpegTimeout past the time limit
        (waiting for a slot does not count towards it)."""
        self._waiting += 1
        try:
            await self._slots.acquire()
        finally:
            self._waiting -= 1
        self._running += 1
        try:
            return await _run(args, self.timeout if limit_seconds is None else limit_seconds,
                              on_line, self.niceness)
        finally:
            self._running -= 1
            self._slots.release()


async def run_ffmpeg(*args: str, limit_seconds: float = 300.0) -> None:
    """Run `ffmpeg -hide_banner -loglevel error -y ARGS` unbounded; raise FfmpegError on failure.
    A cancelled or timed-out run kills and reaps the child, so no ffmpeg outlives its task."""
    await _run(args, limit_seconds, None, 0)


async def _run(
    args: tuple[str, ...], limit_seconds: float, on_line: LineSink | None, niceness: int
) -> str:
    proc = await asyncio.create_subprocess_exec(
        ffmpeg_exe(), *_BASE_ARGS, *args,
        stdout=asyncio.subprocess.PIPE if on_line else asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        limit=_MAX_LINE,
    )
    if niceness:
        # After the start rather than in preexec_fn, which is unsafe in a threaded process.
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, proc.pid, os.getpriority(os.PRIO_PROCESS, 0) + niceness)
    try:
        async with asyncio.timeout(limit_seconds):
            readers = [_tail(proc.stderr)]
            if on_line is not None:
                readers.append(_lines(proc.stdout, on_line))
            stderr, *_ = await asyncio.gather(*readers)
            await proc.wait()
    except BaseException as exc:  # timeout, cancellation or a failing sink: leave no ffmpeg
        if proc.returncode is None:
            proc.kill()
        await asyncio.shield(proc.wait())
        if isinstance(exc, TimeoutError):
            raise FfmpegTimeout(limit_seconds) from None
        raise
    if proc.returncode != 0:
        raise FfmpegError(proc.returncode or -1, stderr)
    return stderr


async def _tail(stream: asyncio.StreamReader | None) -> str:
    """Read `stream` to the end keeping only its last few thousand bytes."""
    kept = b""
    while stream is not None and (chunk := await stream.read(65536)):
        kept = (kept + chunk)[-_STDERR_TAIL:]
    return kept.decode(errors="replace")


async def _lines(stream: asyncio.StreamReader | None, sink: LineSink) -> str:
    while stream is not None:
        try:
            raw = await stream.readline()
        except ValueError:  # a line over the buffer limit: skip what was buffered
            continue
        if not raw:
            break
        sink(raw.decode(errors="replace").rstrip("\r\n"))
    return ""
