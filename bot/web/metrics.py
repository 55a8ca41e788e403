"""`GET /metrics`: the Prometheus text format, behind a bearer token when one is set."""

from __future__ import annotations

import hmac

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.ops.metrics import CONTENT_TYPE, Metrics


def metrics_route(metrics: Metrics, token: str | None) -> Route:
    """With `token` (METRICS_TOKEN), a scrape needs `Authorization: Bearer <token>`."""
    expected = f"Bearer {token}".encode() if token else None

    async def scrape(request: Request) -> Response:
        if expected is not None:
            given = request.headers.get("authorization", "").encode("latin-1", "replace")
            if not hmac.compare_digest(given, expected):
                return PlainTextResponse(
                    "unauthorized", status_code=401, headers={"WWW-Authenticate": "Bearer"}
                )
        return Response(await metrics.render(), media_type=CONTENT_TYPE)

    return Route("/metrics", scrape, methods=["GET"])
