"""The bounded ffmpeg runner, on real ffmpeg processes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.media.ffmpeg import FfmpegError, FfmpegRunner, FfmpegTimeout


def _realtime(seconds: float) -> tuple[str, ...]:
    # `-re` paces the input at its native rate, so the run lasts about `seconds` whatever the CPU.
    return ("-re", "-f", "lavfi", "-i", f"color=c=red:s=32x32:r=10:d={seconds}", "-f", "null", "-")


async def test_no_more_than_limit_at_once_and_the_rest_wait() -> None:
    runner = FfmpegRunner(limit=2)
    tasks = [asyncio.create_task(runner.run(*_realtime(1.0))) for _ in range(4)]
    seen_waiting = 0
    while not all(t.done() for t in tasks):
        assert runner._running <= 2
        seen_waiting = max(seen_waiting, runner.waiting)
        if runner.waiting:
            assert runner.busy
        await asyncio.sleep(0.02)
    await asyncio.gather(*tasks)
    assert seen_waiting == 2
    assert not runner.busy and runner.waiting == 0


async def test_failure_is_typed_with_the_stderr_tail(tmp_path: Path) -> None:
    bad = tmp_path / "not-media.mp4"
    bad.write_bytes(b"this is not a video")
    runner = FfmpegRunner()
    with pytest.raises(FfmpegError) as caught:
        await runner.run("-i", str(bad), "-f", "null", "-")
    assert caught.value.returncode != 0
    assert caught.value.stderr_tail.strip()
    assert not runner.busy  # the slot was given back


async def test_timeout_kills_the_child_and_frees_the_slot() -> None:
    runner = FfmpegRunner(limit=1)
    with pytest.raises(FfmpegTimeout):
        await runner.run(*_realtime(30), limit_seconds=0.5)
    assert not runner.busy
    await runner.run(*_realtime(0.1))  # the slot is usable again


async def test_stdout_lines_are_streamed_to_the_sink() -> None:
    lines: list[str] = []
    await FfmpegRunner().run(
        "-f", "lavfi", "-i", "color=c=red:s=32x32:r=10:d=1",
        "-vf", "scdet,metadata=mode=print:file=pipe\\\\:1", "-f", "null", "-",
        on_line=lines.append,
    )
    assert sum(1 for line in lines if line.startswith("frame:")) == 10


async def test_cancelling_a_run_gives_its_slot_back() -> None:
    runner = FfmpegRunner(limit=1)
    task = asyncio.create_task(runner.run(*_realtime(30)))
    await asyncio.sleep(0.2)  # let it take the slot and start ffmpeg
    assert runner.busy
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not runner.busy
