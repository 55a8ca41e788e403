"""The bot's web server: Starlette on uvicorn, sharing the bot's event loop.

Routes: signed media, provider callbacks, the Telegram webhook, a health check.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.media.signing import UrlSigner
from bot.web.media import media_routes

log = logging.getLogger(__name__)

MAX_CALLBACK_BYTES = 64 * 1024
MAX_UPDATE_BYTES = 1024 * 1024


def build_web_app(
    *,
    signer: UrlSigner | None,
    resolve_media: Callable[[int], Awaitable[Path | None]],
    on_callback: Callable[[int, str], Awaitable[bool]],
    health: Callable[[], Awaitable[dict[str, Any]]],
    on_update: Callable[[dict[str, Any]], Awaitable[None]] | None = None,
    webhook_secret: str | None = None,
) -> Starlette:
    async def callback(request: Request) -> Response:
        """A provider says a job moved. Only a hint: the engine re-queries before acting."""
        try:
            job_id = int(request.path_params["job_id"])
        except ValueError:
            return PlainTextResponse("not found", status_code=404)
        body = await request.body()
        if len(body) > MAX_CALLBACK_BYTES:
            return PlainTextResponse("too large", status_code=413)
        if not await on_callback(job_id, request.path_params["token"]):
            return PlainTextResponse("not found", status_code=404)
        return JSONResponse({"ok": True})

    async def healthz(_: Request) -> Response:
        return JSONResponse(await health())

    async def telegram_webhook(request: Request) -> Response:
        given = request.headers.get("x-telegram-bot-api-secret-token", "")
        if on_update is None or webhook_secret is None or not hmac.compare_digest(
            given.encode(), webhook_secret.encode()
        ):
            return PlainTextResponse("forbidden", status_code=403)
        body = await request.body()
        if len(body) > MAX_UPDATE_BYTES:
            return PlainTextResponse("too large", status_code=413)
        try:
            payload = json.loads(body)
        except ValueError:
            return PlainTextResponse("bad request", status_code=400)
        if not isinstance(payload, dict):
            return PlainTextResponse("bad request", status_code=400)
        await on_update(payload)
        return Response(status_code=200)

    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/callbacks/{job_id}/{token}", callback, methods=["POST", "GET"]),
        Route("/telegram", telegram_webhook, methods=["POST"]),
    ]
    if signer is not None:
        routes += media_routes(signer, resolve_media)
    return Starlette(routes=routes)


class WebServer:
    """uvicorn in the current event loop, on a socket bound first (port 0 = any free), so the
    port is known before the app, which needs the public URL, is built."""

    def __init__(self, host: str, port: int) -> None:
        self._host = host
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        # IPPROTO_TCP explicitly: only then does asyncio set TCP_NODELAY on accepted
        # connections; without it keep-alive responses stall ~40 ms on delayed ACKs.
        self._sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))
        self._sock.listen(2048)
        self._sock.setblocking(False)
        self.port: int = self._sock.getsockname()[1]
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self, app: Starlette) -> None:
        sock = self._sock
        config = uvicorn.Config(
            app, log_level="warning", lifespan="off", access_log=False,
            timeout_graceful_shutdown=3,
        )
        server = uvicorn.Server(config)
        # The bot owns signal handling; uvicorn must not install its own.
        server.capture_signals = contextlib.nullcontext  # type: ignore[method-assign,assignment]
        self._server = server
        self._task = asyncio.create_task(server.serve(sockets=[sock]), name="web-server")
        while not server.started:
            if self._task.done():
                self._task.result()
            await asyncio.sleep(0.01)
        log.info("web server listening on %s:%d", self._host, self.port)

    async def stop(self) -> None:
        if self._server is None or self._task is None:
            self._sock.close()
            return
        self._server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
