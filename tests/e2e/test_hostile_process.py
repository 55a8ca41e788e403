"""The whole bot as a real process (`python -m bot`, built-in emulator, the fake Bot API in
this test) under forged requests and media bombs: they change nothing, the process's memory
stays within 20 MB of where it was (floods) and under 300 MB (bombs), and each bomb gets a
clear answer. Memory is the process's own peak (VmHWM in /proc, reset before each round with
/proc/PID/clear_refs), so a spike between two samples is counted too."""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from bot.sandbox.samples import _run, make_huge_png
from bot.sandbox.telegram_api import TelegramEmulator
from bot.web.serving import free_port

ROOT = Path(__file__).resolve().parents[2]
MB = 2**20
CHUNK = b"x" * 65536
USER = 4242

pytestmark = pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(),
                                reason="needs Linux /proc")


def _kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"no {field} for {pid}")


def _reset_peak(pid: int) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # VmHWM := VmRSS


def _count(db: Path, sql: str) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return int(conn.execute(sql).fetchone()[0])


@pytest.fixture
def bot(tmp_path: Path, clip: Path) -> Iterator[tuple[TelegramEmulator, int, str, Path]]:
    """The bot running as its own process, after one real job, so every path is warm."""
    port = free_port()
    with TelegramEmulator() as tg:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "TELEGRAM_BOT_TOKEN": tg.token,
               "TELEGRAM_API_URL": tg.url, "WEB_HOST": "127.0.0.1", "WEB_PORT": str(port),
               "DATABASE_PATH": str(tmp_path / "bot.sqlite3"),
               "MEDIA_DIR": str(tmp_path / "media"), "EMULATOR_TIME_SCALE": "0.02",
               "SHORTAPI_KEY": ""}
        log = (tmp_path / "bot.log").open("w")
        process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=tmp_path, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while not tg.calls("getUpdates"):
                assert process.poll() is None and time.monotonic() < deadline, "no start"
                time.sleep(0.1)
            tg.send_video(USER, clip)
            tg.send_text(USER, "remove the car")
            db = tmp_path / "bot.sqlite3"
            while _count(db, "SELECT COUNT(*) FROM jobs WHERE state = 'delivered'") < 1:
                assert process.poll() is None and time.monotonic() < deadline, "no delivery"
                time.sleep(0.2)
            yield tg, process.pid, f"http://127.0.0.1:{port}", db
        finally:
            process.terminate()
            process.wait(timeout=30)
            log.close()
        assert "Traceback" not in (tmp_path / "bot.log").read_text()


async def _chunks(total: int) -> AsyncIterator[bytes]:
    for _ in range(total // len(CHUNK)):
        yield CHUNK


async def _post(client: httpx.AsyncClient, path: str, size: int, declared: bool) -> int | None:
    headers = {"Content-Type": "application/json",
               "X-Telegram-Bot-Api-Secret-Token": "a-guess"}
    if declared:
        headers["Content-Length"] = str(size)
    try:
        return (await client.post(path, content=_chunks(size), headers=headers)).status_code
    except httpx.HTTPError:
        return None  # the server closed the connection on a body it would not read


def _slow_clients(url: str, count: int) -> list[socket.socket]:
    """Clients that send half a request and then nothing."""
    host, port = url.removeprefix("http://").split(":")
    sockets = []
    for i in range(count):
        s = socket.create_connection((host, int(port)))
        head = (b"POST /callbacks/1/x HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"
                if i % 2 else b"GET /media/1?exp=1&sig=")
        s.sendall(head)
        sockets.append(s)
    return sockets


async def _forged(client: httpx.AsyncClient) -> list[int | None]:
    """Every kind of forged or malformed request, many times over."""
    statuses: list[int | None] = []
    for i in range(40):
        statuses += [
            (await client.post("/telegram", content=b"{not json",
                               headers={"X-Telegram-Bot-Api-Secret-Token": "a-guess"})
             ).status_code,
            (await client.post(f"/callbacks/{2**64 + i}/token", json={"status": 2})).status_code,
            (await client.post("/callbacks/1/stolen-or-guessed", json={"status": 2})
             ).status_code,
            (await client.post("/callbacks/1/x", content=b"\xff" * 100,
                               headers={"Content-Type": "text/plain"})).status_code,
            (await client.get(f"/media/{10**30}?exp=9999999999&sig=00")).status_code,
            (await client.get("/media/1?exp=1&sig=deadbeef",
                              headers={"Range": "bytes=99999999999999999999-1"})).status_code,
        ]
    return statuses


async def test_forged_requests_and_floods_change_nothing_and_keep_memory_flat(
    bot: tuple[TelegramEmulator, int, str, Path],
) -> None:
    tg, pid, url, db = bot
    jobs, entries = _count(db, "SELECT COUNT(*) FROM jobs"), _count(db, "SELECT COUNT(*) FROM ledger")
    sent = len(tg.calls())
    slow = _slow_clients(url, 20)
    try:
        async with httpx.AsyncClient(base_url=url, timeout=120) as client:
            await _forged(client)  # once to warm up every path
            start = _kb(pid, "VmRSS")
            _reset_peak(pid)
            statuses = [await _post(client, "/callbacks/1/t", 200 * MB, declared=False),
                        await _post(client, "/telegram", 200 * MB, declared=False)]
            statuses += await asyncio.gather(*(
                _post(client, f"/callbacks/{i}/t" if i % 2 else "/telegram", 50 * MB,
                      declared=i % 4 < 2) for i in range(20)))
            forged = await _forged(client)
            assert (await client.get("/healthz")).status_code == 200
        peak = _kb(pid, "VmHWM")
    finally:
        for s in slow:
            s.close()
    assert set(statuses) <= {403, 413, None}, statuses
    assert all(s is not None and 400 <= s < 500 for s in forged), sorted(set(forged), key=str)
    assert peak - start < 20 * 1024, f"peak {peak} kB, {start} kB before"
    assert (_count(db, "SELECT COUNT(*) FROM jobs"),
            _count(db, "SELECT COUNT(*) FROM ledger")) == (jobs, entries)
    assert [c.method for c in tg.calls()[sent:] if c.method != "getUpdates"] == []


async def test_media_bombs_are_refused_clearly_and_memory_stays_under_300_mb(
    bot: tuple[TelegramEmulator, int, str, Path], tmp_path: Path,
) -> None:
    tg, pid, _, db = bot
    png = make_huge_png(tmp_path / "huge.png")
    video = tmp_path / "8k.mp4"
    _run("-f", "lavfi", "-i", "color=c=blue:s=8192x8192:r=24:d=1", "-c:v", "libx264",
         "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(video))
    jobs = _count(db, "SELECT COUNT(*) FROM jobs")
    _reset_peak(pid)
    for send, expected in (
        (lambda: tg.send_document(USER, png, mime_type="image/png", file_name="huge.png"),
         "16000x16000"),
        (lambda: tg.send_video(USER, video), "8192x8192"),
    ):
        mark = len(tg.calls())
        send()
        answer = await tg.wait_for_call(
            "sendMessage", lambda c, said=expected: c.ok and said in str(c.params.get("text")),
            timeout=60, after=mark)
        assert "smaller" in answer.params["text"]  # what to do instead
    assert _kb(pid, "VmHWM") < 300 * 1024
    assert _count(db, "SELECT COUNT(*) FROM jobs") == jobs
    assert _count(db, "SELECT COUNT(*) FROM media WHERE width >= 8192") == 0
