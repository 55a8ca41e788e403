"""Oversized bodies do not grow the web server: it runs as a child process and its peak
resident memory (VmHWM in /proc) is read before and after the flood."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from tests.webapp_kit import WEBHOOK_SECRET

MB = 2**20
CHUNK = b"x" * 65536


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, int]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.webapp_kit", str(tmp_path)],
        stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("url "), line
        yield line.split()[1], proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _memory_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"no {field} for {pid}")


async def _chunks(total: int) -> AsyncIterator[bytes]:
    for _ in range(total // len(CHUNK)):
        yield CHUNK


async def _post(client: httpx.AsyncClient, path: str, size: int, *, declared: bool) -> int | None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET,
               "Content-Type": "application/json"}
    if declared:
        headers["Content-Length"] = str(size)
    try:
        r = await client.post(path, content=_chunks(size), headers=headers)
    except httpx.HTTPError:
        return None  # the server closed the connection on a body it would not read
    return r.status_code


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
async def test_floods_of_large_bodies_keep_memory_flat(server: tuple[str, int]) -> None:
    url, pid = server
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        for _ in range(3):  # warm up every path once, so imports and buffers are counted
            await _post(client, "/callbacks/1/t", 70_000, declared=False)
            await _post(client, "/telegram", 2 * MB, declared=True)
            assert (await client.get("/healthz")).status_code == 200
        start = _memory_kb(pid, "VmRSS")
        statuses = [await _post(client, "/callbacks/1/t", 200 * MB, declared=False),
                    await _post(client, "/telegram", 200 * MB, declared=False)]
        statuses += await asyncio.gather(*(
            _post(client, "/callbacks/1/t" if i % 2 else "/telegram", 50 * MB, declared=i % 4 < 2)
            for i in range(20)
        ))
        assert (await client.get("/healthz")).status_code == 200
    peak = _memory_kb(pid, "VmHWM")
    assert set(statuses) <= {413, None}, statuses
    assert peak - start < 20 * 1024, f"peak {peak} kB vs {start} kB before"
