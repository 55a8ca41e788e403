"""The bot's web app (served by `bot.web.serving.LoopServer` in the bot's event loop).

Routes: signed media, provider callbacks, the Telegram webhook, a health check, and what the
caller adds (the metrics).
Every public route reads its body through `bot.web.limits`: bounded in size and time.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot.media.signing import UrlSigner
from bot.web.limits import BodyRefused, ClientGone, is_json, json_object, parse_id, read_body
from bot.web.media_route import media_routes

log = logging.getLogger(__name__)

MAX_CALLBACK_BYTES = 64 * 1024
MAX_UPDATE_BYTES = 1024 * 1024
# A whole body must arrive within this; Telegram and the provider send small bodies at once.
BODY_TIMEOUT_SECONDS = 10.0


def build_web_app(
    *,
    signer: UrlSigner | None,
    resolve_media: Callable[[int], Awaitable[Path | None]],
    on_callback: Callable[[int, str], Awaitable[bool]],
    health: Callable[[], Awaitable[dict[str, Any]]],
    on_update: Callable[[dict[str, Any]], Awaitable[None]] | None = None,
    webhook_secret: str | None = None,
    body_timeout: float = BODY_TIMEOUT_SECONDS,
    extra_routes: Sequence[BaseRoute] = (),
) -> Starlette:
    """`extra_routes`: e.g. `[bot.web.metrics.metrics_route(metrics, settings.metrics_token)]`."""

    async def healthz(_: Request) -> Response:
        return JSONResponse(await health())

    routes: list[BaseRoute] = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/callbacks/{job_id}/{token}", _callback_route(on_callback, body_timeout),
              methods=["POST", "GET"]),
        Route("/telegram", _webhook_route(on_update, webhook_secret, body_timeout),
              methods=["POST"]),
    ]
    if signer is not None:
        routes += media_routes(signer, resolve_media)
    routes += extra_routes
    return Starlette(routes=routes)


Endpoint = Callable[[Request], Awaitable[Response]]


def _callback_route(on_callback: Callable[[int, str], Awaitable[bool]],
                    body_timeout: float) -> Endpoint:
    async def callback(request: Request) -> Response:
        """A provider says a job moved. Only a hint: the engine re-queries before acting."""
        job_id = parse_id(request.path_params["job_id"])
        if job_id is None:
            return _not_found()
        try:
            body = await read_body(request, limit=MAX_CALLBACK_BYTES, seconds=body_timeout)
        except BodyRefused as refused:
            return refused.response
        except ClientGone:
            return _gone(request)
        if body and json_object(body) is None:
            return PlainTextResponse("bad request", status_code=400)
        if not await on_callback(job_id, request.path_params["token"]):
            return _not_found()
        return JSONResponse({"ok": True})

    return callback


def _webhook_route(on_update: Callable[[dict[str, Any]], Awaitable[None]] | None,
                   webhook_secret: str | None, body_timeout: float) -> Endpoint:
    async def telegram_webhook(request: Request) -> Response:
        """An update from Telegram, with the secret token set at setWebhook."""
        given = request.headers.get("x-telegram-bot-api-secret-token", "")
        if on_update is None or webhook_secret is None or not hmac.compare_digest(
            given.encode(), webhook_secret.encode()
        ):
            return PlainTextResponse("forbidden", status_code=403)
        try:
            body = await read_body(request, limit=MAX_UPDATE_BYTES, seconds=body_timeout)
        except BodyRefused as refused:
            return refused.response
        except ClientGone:
            return _gone(request)
        payload = json_object(body) if is_json(request.headers.get("content-type")) else None
        if payload is None:
            return PlainTextResponse("bad request", status_code=400)
        await on_update(payload)
        return Response(status_code=200)

    return telegram_webhook


def _not_found() -> Response:
    return PlainTextResponse("not found", status_code=404)


def _gone(request: Request) -> Response:
    # Nobody is left to read this answer; say so in the debug log, not with a traceback.
    log.debug("client left before sending the whole body of %s", request.url.path)
    return PlainTextResponse("client disconnected", status_code=400)
