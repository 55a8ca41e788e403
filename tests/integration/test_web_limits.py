"""Hostile input on the bot's public endpoints, over real HTTP on loopback: bodies too large,
bad JSON, ids SQLite cannot hold, odd ranges, clients that hang up or never finish."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.webapp_kit import WEBHOOK_SECRET, WebKit, web_kit

CHUNK = b"x" * 65536
SECRET = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}


@pytest.fixture
async def kit(tmp_path: Path) -> AsyncIterator[WebKit]:
    async with web_kit(tmp_path, header_timeout=0.5, body_timeout=0.5) as k:
        yield k


async def _chunks(total: int) -> AsyncIterator[bytes]:
    for _ in range(total // len(CHUNK)):
        yield CHUNK


def _tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


async def _raw(kit: WebKit, data: bytes, *, close_after: bool = False) -> bytes:
    """Send `data` on a fresh connection; return all the server sends until it closes."""
    parts = urlsplit(kit.url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    writer.write(data)
    await writer.drain()
    if close_after:
        writer.close()
        return b""
    received = b""
    async with asyncio.timeout(20):  # liveness only: the server must close well before
        while chunk := await reader.read(65536):
            received += chunk
    writer.close()
    return received


async def test_a_declared_length_over_the_limit_is_refused_unread(kit: WebKit) -> None:
    head = (f"POST /callbacks/1/tok HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"Content-Length: {200 * 2**20}\r\n\r\n").encode()
    answer = await _raw(kit, head)  # no body is ever sent: only the length can tell
    assert answer.startswith(b"HTTP/1.1 413")
    head = (f"POST /telegram HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: "
            f"{WEBHOOK_SECRET}\r\nContent-Length: {2 * 2**20}\r\n\r\n").encode()
    assert (await _raw(kit, head)).startswith(b"HTTP/1.1 413")
    assert kit.callbacks == [] and kit.updates == []


async def test_chunked_bodies_over_the_limit_are_refused_while_streaming(kit: WebKit) -> None:
    async with httpx.AsyncClient(base_url=kit.url) as client:
        r = await client.post("/callbacks/1/tok", content=_chunks(2 * 65536))
        assert r.status_code == 413
        r = await client.post("/telegram", content=_chunks(17 * 65536), headers=SECRET)
        assert r.status_code == 413
        small = await client.post("/telegram", json={"update_id": 1}, headers=SECRET)
        assert small.status_code == 200
    assert kit.callbacks == []
    assert kit.updates == [{"update_id": 1}]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [(b"{not json", "application/json"), (b"[1, 2]", "application/json"),
     (b'{"update_id": 1}', "text/plain"), (b"\xff\xfe", "application/json"),
     (b'{"update_id": 1}', "application/x-www-form-urlencoded")],
)
async def test_bad_webhook_bodies_are_400_with_no_effect(
    kit: WebKit, body: bytes, content_type: str
) -> None:
    async with httpx.AsyncClient(base_url=kit.url) as client:
        r = await client.post("/telegram", content=body,
                              headers={**SECRET, "Content-Type": content_type})
    assert r.status_code == 400
    assert kit.updates == []


async def test_malformed_callback_bodies_are_400_and_never_reach_the_engine(kit: WebKit) -> None:
    async with httpx.AsyncClient(base_url=kit.url) as client:
        bad = await client.post("/callbacks/1/tok", content=b"{oops",
                                headers={"Content-Type": "application/json"})
        unknown = await client.post("/callbacks/1/tok", json={"status": 2})
    assert bad.status_code == 400
    assert unknown.status_code == 404  # well formed, but there is no job 1
    assert kit.callbacks == [(1, "tok")]


@pytest.mark.parametrize(
    "job", [str(2**63), str(2**64), "9" * 40, "-1", "+1", "1_0", "１２", "0x10", " 1"]
)
async def test_odd_callback_ids_are_404_without_a_traceback(
    kit: WebKit, job: str, caplog: pytest.LogCaptureFixture
) -> None:
    async with httpx.AsyncClient(base_url=kit.url) as client:
        r = await client.post(f"/callbacks/{job}/tok", json={})
    assert r.status_code == 404
    assert kit.callbacks == []
    assert _tracebacks(caplog) == []


async def test_media_ids_past_64_bits_are_404_without_a_traceback(
    kit: WebKit, caplog: pytest.LogCaptureFixture
) -> None:
    async with httpx.AsyncClient() as client:
        for media_id in (2**63, 2**64, 10**40):
            r = await client.get(kit.signer.url(media_id))  # validly signed, even so
            assert r.status_code == 404
    assert _tracebacks(caplog) == []


@pytest.mark.parametrize(
    ("header", "status", "length"),
    [("bytes=100-5", 200, 1000), ("bytes=0-99999999999999999999999999", 206, 1000),
     ("bytes=99999999999999999999999-", 416, 0), ("bytes=5000-6000", 416, 0),
     ("bytes=-99999999999999999999", 206, 1000), ("bytes=0-1,9-3", 200, 1000),
     ("bytes=" + ",".join(f"{i}-{i}" for i in range(0, 4000, 2)), 200, 1000),
     ("bytes=abc", 200, 1000), ("bytes=10-19", 206, 10)],
)
async def test_ranges_are_served_refused_or_ignored_never_an_error(
    kit: WebKit, tmp_path: Path, header: str, status: int, length: int
) -> None:
    kit.files[7] = tmp_path / "clip.mp4"
    kit.files[7].write_bytes(os.urandom(1000))
    async with httpx.AsyncClient() as client:
        r = await client.get(kit.signer.url(7), headers={"Range": header})
    assert (r.status_code, len(r.content)) == (status, length)


async def test_a_client_that_hangs_up_mid_body_logs_no_traceback(
    kit: WebKit, caplog: pytest.LogCaptureFixture
) -> None:
    for path in ("/callbacks/1/tok", "/telegram"):
        head = (f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n"
                f"X-Telegram-Bot-Api-Secret-Token: {WEBHOOK_SECRET}\r\n\r\n{{\"a\": ").encode()
        await _raw(kit, head, close_after=True)
    async with httpx.AsyncClient(base_url=kit.url) as client:  # the server is still well
        for _ in range(20):
            await asyncio.sleep(0.05)
            assert (await client.get("/healthz")).status_code == 200
    assert _tracebacks(caplog) == []
    assert kit.callbacks == [] and kit.updates == []


@pytest.mark.parametrize(
    "sent",
    [b"", b"POST /callbacks/1/tok HTTP/1.1\r\nHost: x\r\n",
     b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /heal"],
)
async def test_slow_clients_are_disconnected(kit: WebKit, sent: bytes) -> None:
    answer = await _raw(kit, sent)  # returns only once the server closes the connection
    assert answer == b"" or answer.startswith(b"HTTP/1.1 200")


async def test_a_body_that_never_finishes_is_408(kit: WebKit) -> None:
    for path in ("/callbacks/1/tok", "/telegram"):
        head = (f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n"
                f"X-Telegram-Bot-Api-Secret-Token: {WEBHOOK_SECRET}\r\n\r\n{{").encode()
        assert (await _raw(kit, head)).startswith(b"HTTP/1.1 408")
    assert kit.callbacks == [] and kit.updates == []
