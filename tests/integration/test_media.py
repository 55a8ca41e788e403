"""Media probing, downloads, the vault and the signed media route, on real files over real HTTP."""

from __future__ import annotations

import asyncio
import os
import socket
import traceback
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp

from bot.media.download import DownloadError, download_to
from bot.media.probe import MediaError, MediaInfo, describe, probe
from bot.media.signing import UrlSigner
from bot.media.vault import Vault
from bot.sandbox.samples import make_jpeg, make_video
from bot.web import media_route
from bot.web.media_route import media_routes

# Telegram file URLs look like this; the token part must never surface in an error.
TOKEN = "123456789:AAH-very-secret-token"
FILE_PATH = f"/file/bot{TOKEN}/videos/file_0.mp4"


@dataclass(frozen=True)
class Media:
    main: Path  # 6.2 s, 1280x720, silent
    short: Path  # 2 s
    long: Path  # 12 s
    with_audio: Path
    jpeg: Path


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Media:
    d = tmp_path_factory.mktemp("media")
    return Media(
        main=make_video(d / "main.mp4"),
        short=make_video(d / "short.mp4", seconds=2, size="320x240"),
        long=make_video(d / "long.mp4", seconds=12, size="320x240"),
        with_audio=make_video(d / "audio.mp4", seconds=2, size="320x240", audio=True),
        jpeg=make_jpeg(d / "photo.jpg"),
    )


@asynccontextmanager
async def serving(app: ASGIApp) -> AsyncIterator[str]:
    """Run `app` under uvicorn on a free loopback port, inside the test's own event loop."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app, log_level="warning", lifespan="off", access_log=False, timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        async with asyncio.timeout(5):
            while not server.started:
                if task.done():
                    task.result()
                await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _full_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc))


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


# --- probe ---------------------------------------------------------------------------------


async def test_probe_main_video(media: Media) -> None:
    info = await probe(media.main)
    assert info.kind == "video"
    assert info.duration == pytest.approx(6.2, abs=0.1)
    assert (info.width, info.height) == (1280, 720)
    assert info.codec == "h264"
    assert info.fps == pytest.approx(24.0)
    assert info.size_bytes == media.main.stat().st_size
    assert info.has_audio is False
    assert "mp4" in info.container
    assert describe(info) == "6.2 s, 1280x720"


@pytest.mark.parametrize(("name", "seconds"), [("short", 2.0), ("long", 12.0)])
async def test_probe_durations(media: Media, name: str, seconds: float) -> None:
    info = await probe(getattr(media, name))
    assert info.kind == "video"
    assert info.duration == pytest.approx(seconds, abs=0.1)
    assert (info.width, info.height) == (320, 240)


async def test_probe_video_with_audio(media: Media) -> None:
    info = await probe(media.with_audio)
    assert info.has_audio is True
    assert info.kind == "video"
    assert info.codec == "h264"


async def test_probe_jpeg(media: Media, tmp_path: Path) -> None:
    info = await probe(media.jpeg)
    assert info == MediaInfo(
        kind="photo",
        duration=None,
        width=1024,
        height=768,
        codec="mjpeg",
        fps=None,
        size_bytes=media.jpeg.stat().st_size,
        has_audio=False,
        container=info.container,
        pix_fmt=info.pix_fmt,
    )
    assert info.mime == "image/jpeg"
    assert describe(info) == "1024x768 photo"
    # Recognised by content, not by name.
    nameless = tmp_path / "upload"
    nameless.write_bytes(media.jpeg.read_bytes())
    assert (await probe(nameless)).kind == "photo"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("garbage.mp4", os.urandom(64 * 1024)),
        ("garbage.jpg", os.urandom(64 * 1024)),
        ("empty.mp4", b""),
        ("notes.txt", b"hello, this is not a video\n" * 200),
        ("notes.mp4", b"hello, this is not a video\n" * 200),
    ],
)
async def test_probe_rejects_non_media(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(MediaError) as caught:
        await probe(path)
    assert str(caught.value)
    assert str(tmp_path) not in str(caught.value)


async def test_probe_missing_file(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match="not found"):
        await probe(tmp_path / "nope.mp4")


# --- download ------------------------------------------------------------------------------


@dataclass
class StreamLog:
    chunks_sent: int = 0


STREAM_CHUNK = 64 * 1024
STREAM_CHUNKS = 1000  # 64 MiB if read to the end


@pytest.fixture
async def file_server(media: Media) -> AsyncIterator[tuple[str, StreamLog]]:
    log = StreamLog()

    async def telegram_file(request: Request) -> Response:
        return FileResponse(media.main)

    async def endless(request: Request) -> Response:
        async def body() -> AsyncIterator[bytes]:
            chunk = b"\0" * STREAM_CHUNK
            for _ in range(STREAM_CHUNKS):
                log.chunks_sent += 1
                yield chunk
                await asyncio.sleep(0)

        # No Content-Length: the limit must be enforced while reading.
        return StreamingResponse(body(), media_type="video/mp4")

    async def broken(request: Request) -> Response:
        return Response("boom", status_code=500)

    app = Starlette(
        routes=[
            Route(FILE_PATH, telegram_file),
            Route(f"/file/bot{TOKEN}/stream.mp4", endless),
            Route(f"/file/bot{TOKEN}/broken.mp4", broken),
        ]
    )
    async with serving(app) as base:
        yield base, log


async def test_download_success(
    file_server: tuple[str, StreamLog], media: Media, tmp_path: Path
) -> None:
    base, _ = file_server
    dest = tmp_path / "in" / "clip.mp4"
    async with httpx.AsyncClient() as client:
        n = await download_to(client, base + FILE_PATH, dest, max_bytes=50 * 1024 * 1024)
    assert n == media.main.stat().st_size
    assert dest.read_bytes() == media.main.read_bytes()
    assert _leftovers(dest.parent) == ["clip.mp4"]
    assert (await probe(dest)).duration == pytest.approx(6.2, abs=0.1)


async def test_download_too_large_by_header(
    file_server: tuple[str, StreamLog], tmp_path: Path
) -> None:
    base, _ = file_server
    dest = tmp_path / "clip.mp4"
    async with httpx.AsyncClient() as client:
        with pytest.raises(DownloadError, match="larger") as caught:
            await download_to(client, base + FILE_PATH, dest, max_bytes=10_000)
    assert TOKEN not in _full_text(caught.value)
    assert _leftovers(tmp_path) == []


async def test_download_too_large_while_streaming_stops_early(
    file_server: tuple[str, StreamLog], tmp_path: Path
) -> None:
    base, log = file_server
    dest = tmp_path / "clip.mp4"
    url = f"{base}/file/bot{TOKEN}/stream.mp4"
    async with httpx.AsyncClient() as client:
        with pytest.raises(DownloadError, match="larger") as caught:
            await download_to(client, url, dest, max_bytes=1024 * 1024)
    assert TOKEN not in _full_text(caught.value)
    assert _leftovers(tmp_path) == []
    # The server can only run ahead of the reader by what socket buffers hold.
    assert log.chunks_sent < STREAM_CHUNKS // 4


@pytest.mark.parametrize(("path", "status"), [("/missing.mp4", 404), ("/broken.mp4", 500)])
async def test_download_http_error(
    file_server: tuple[str, StreamLog], tmp_path: Path, path: str, status: int
) -> None:
    base, _ = file_server
    url = f"{base}/file/bot{TOKEN}{path}"
    dest = tmp_path / "clip.mp4"
    async with httpx.AsyncClient() as client:
        with pytest.raises(DownloadError, match=f"HTTP {status}") as caught:
            await download_to(client, url, dest, max_bytes=None)
    assert TOKEN not in _full_text(caught.value)
    assert _leftovers(tmp_path) == []


async def test_download_connection_refused(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_free_port()}{FILE_PATH}"
    async with httpx.AsyncClient() as client:
        with pytest.raises(DownloadError, match="network error") as caught:
            await download_to(client, url, tmp_path / "clip.mp4", max_bytes=None)
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert TOKEN not in _full_text(caught.value)
    assert _leftovers(tmp_path) == []


async def test_download_connection_dropped_mid_body(tmp_path: Path) -> None:
    """A server that promises 1 MB, sends 64 KiB and hangs up: no partial file may remain."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1048576\r\n\r\n" + b"x" * 65536)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with httpx.AsyncClient() as client:
            url = f"http://127.0.0.1:{port}{FILE_PATH}"
            with pytest.raises(DownloadError, match="network error") as caught:
                await download_to(client, url, tmp_path / "c.mp4", max_bytes=None)
    finally:
        server.close()
        await server.wait_closed()
    assert TOKEN not in _full_text(caught.value)
    assert _leftovers(tmp_path) == []


async def test_download_error_text_hides_url_even_if_httpx_quotes_it(tmp_path: Path) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"cannot reach {request.url}", request=request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(fail)) as client:
        with pytest.raises(DownloadError) as caught:
            await download_to(
                client, f"https://api.telegram.org{FILE_PATH}", tmp_path / "c.mp4", max_bytes=None
            )
    assert TOKEN not in str(caught.value)
    assert TOKEN not in repr(caught.value)
    assert _leftovers(tmp_path) == []


# --- vault ---------------------------------------------------------------------------------


async def test_vault_layout_adopt_and_cleanup(media: Media, tmp_path: Path) -> None:
    vault = Vault(tmp_path / "media")
    assert vault.path_for(42, "mp4") == tmp_path / "media" / "2a" / "42.mp4"
    assert vault.path_for(42, ".JPG") == tmp_path / "media" / "2a" / "42.jpg"
    with pytest.raises(ValueError):
        vault.path_for(1, "../x")

    tmp = vault.tmp_path(".mp4")
    assert tmp.parent == tmp_path / "media" / "tmp"
    assert tmp.suffix == ".mp4"
    assert not tmp.exists()
    assert vault.tmp_path(".mp4") != tmp

    tmp.write_bytes(media.short.read_bytes())
    final = await vault.adopt(tmp, 42, "mp4")
    assert final == vault.path_for(42, "mp4")
    assert not tmp.exists()
    assert final.read_bytes() == media.short.read_bytes()

    leftover = vault.tmp_path(".part")
    leftover.write_bytes(b"half a download")
    (vault.tmp_dir / "stale-dir").mkdir()
    assert await vault.cleanup_tmp() == 2
    assert _leftovers(vault.tmp_dir) == []
    assert final.exists()  # adopted media is never touched by cleanup


async def test_vault_cleanup_on_fresh_root(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "fresh")
    assert await vault.cleanup_tmp() == 0
    assert vault.tmp_dir.is_dir()


# --- the signed media route ----------------------------------------------------------------

SIGNER = UrlSigner(b"test-media-secret", "http://placeholder")


@dataclass(frozen=True)
class RouteEnv:
    base: str


@pytest.fixture
async def media_server(media: Media, tmp_path: Path) -> AsyncIterator[RouteEnv]:
    files = {1: media.main, 2: media.jpeg, 3: tmp_path / "deleted.mp4"}

    async def resolve(media_id: int) -> Path | None:
        return files.get(media_id)

    # The signer needs the public URL, which is only known once the port is: sign with a
    # placeholder base and swap it for the real one when requesting.
    app = Starlette(routes=media_routes(SIGNER, resolve))
    async with serving(app) as base:
        yield RouteEnv(base=base)


def _local(env: RouteEnv, signed: str) -> str:
    return signed.replace("http://placeholder", env.base)


async def test_route_full_body(media_server: RouteEnv, media: Media) -> None:
    async with httpx.AsyncClient() as client:
        r = await client.get(_local(media_server, SIGNER.url(1)))
    assert r.status_code == 200
    assert r.headers["content-type"] == "video/mp4"
    assert r.headers["accept-ranges"] == "bytes"
    assert int(r.headers["content-length"]) == media.main.stat().st_size
    assert r.content == media.main.read_bytes()


async def test_route_large_file_streams_with_the_same_answer(
    media_server: RouteEnv, media: Media, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file over the size read whole streams in pieces; the client sees the same answer."""
    async with httpx.AsyncClient() as client:
        whole = await client.get(_local(media_server, SIGNER.url(1)))
        monkeypatch.setattr(media_route, "_READ_WHOLE_MAX", 1000)
        monkeypatch.setattr(media_route._FileResponse, "chunk_size", 4096)
        streamed = await client.get(_local(media_server, SIGNER.url(1)))
    assert media.main.stat().st_size > 1000
    assert streamed.status_code == whole.status_code == 200
    assert streamed.content == whole.content == media.main.read_bytes()
    for name in ("content-type", "content-length", "accept-ranges", "etag", "last-modified",
                 "cache-control", "x-content-type-options"):
        assert streamed.headers[name] == whole.headers[name], name


async def test_route_photo_content_type(media_server: RouteEnv, media: Media) -> None:
    async with httpx.AsyncClient() as client:
        r = await client.get(_local(media_server, SIGNER.url(2)))
    assert r.status_code == 200
    assert r.headers["content-type"] == "image/jpeg"
    assert r.content == media.jpeg.read_bytes()


async def test_route_range(media_server: RouteEnv, media: Media) -> None:
    size = media.main.stat().st_size
    async with httpx.AsyncClient() as client:
        r = await client.get(_local(media_server, SIGNER.url(1)), headers={"Range": "bytes=0-99"})
        tail = await client.get(
            _local(media_server, SIGNER.url(1)), headers={"Range": "bytes=-10"}
        )
    assert r.status_code == 206
    assert r.headers["content-range"] == f"bytes 0-99/{size}"
    assert r.content == media.main.read_bytes()[:100]
    assert len(r.content) == 100
    assert tail.status_code == 206
    assert tail.content == media.main.read_bytes()[-10:]


async def test_route_head(media_server: RouteEnv, media: Media) -> None:
    async with httpx.AsyncClient() as client:
        r = await client.head(_local(media_server, SIGNER.url(1)))
    assert r.status_code == 200
    assert int(r.headers["content-length"]) == media.main.stat().st_size
    assert r.content == b""


def _tampered(url: str) -> str:
    head, sig = url.rsplit("sig=", 1)
    return head + "sig=" + ("0" if sig[0] != "0" else "1") + sig[1:]


def _bad_urls(env: RouteEnv) -> Iterator[tuple[str, str]]:
    yield "tampered signature", _tampered(SIGNER.url(1))
    yield "expired", SIGNER.url(1, ttl=60, now=1_000_000_000)
    yield "id swapped", SIGNER.url(2).replace("/media/2?", "/media/1?")
    yield "unknown id", SIGNER.url(99)
    yield "file missing", SIGNER.url(3)
    yield "no query", "http://placeholder/media/1"
    yield "malformed exp", SIGNER.url(1).replace("exp=", "exp=x")
    yield "other secret", UrlSigner(b"other", "http://placeholder").url(1)


async def test_route_not_found_looks_the_same_for_every_failure(media_server: RouteEnv) -> None:
    async with httpx.AsyncClient() as client:
        for label, url in _bad_urls(media_server):
            r = await client.get(_local(media_server, url))
            assert r.status_code == 404, label
            assert r.text == "not found", label
            h = await client.head(_local(media_server, url))
            assert h.status_code == 404, label


async def test_route_end_to_end_with_download_and_vault(
    media_server: RouteEnv, media: Media, tmp_path: Path
) -> None:
    """What a provider does with a signed link: fetch it; the result is the same media."""
    vault = Vault(tmp_path / "vault")
    tmp = vault.tmp_path(".mp4")
    async with httpx.AsyncClient() as client:
        n = await download_to(client, _local(media_server, SIGNER.url(1)), tmp, max_bytes=None)
    final = await vault.adopt(tmp, 1, "mp4")
    assert n == media.main.stat().st_size
    info = await probe(final)
    assert describe(info) == "6.2 s, 1280x720"
