"""The bot's web app (served by `bot.web.serving.LoopServer` in the bot's event loop).

Routes: signed media, provider callbacks, the Telegram webhook, a health check.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.media.signing import UrlSigner
from bot.web.media_route import media_routes

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
