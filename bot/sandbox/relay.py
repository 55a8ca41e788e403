"""The bot's public routes on the sandbox's address: signed media, provider callbacks, health.

In the sandbox the bot's own web server listens on a loopback port of its own, while the
address people know (and that PUBLIC_URL points at, when a real provider key is used) is the
sandbox's. These routes pass such requests through unchanged, streamed both ways.
"""

from __future__ import annotations

import httpx
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import BaseRoute, Route

# Hop-by-hop headers (RFC 9110 7.6.1) and the ones the next hop sets itself.
_SKIP = frozenset({"connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
                   "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length"})
_SKIP_ANSWER = _SKIP | {"date", "server"}  # our own server adds its own


class Relay:
    def __init__(self, target: str) -> None:
        self.target = target.rstrip("/")
        self._client = httpx.AsyncClient(timeout=httpx.Timeout(60.0, connect=5.0))

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/media/{rest:path}", self.forward, methods=["GET", "HEAD"]),
            Route("/callbacks/{rest:path}", self.forward, methods=["GET", "POST"]),
            Route("/healthz", self.forward, methods=["GET"]),
        ]

    async def forward(self, request: Request) -> Response:
        url = self.target + request.url.path
        if request.url.query:
            url += "?" + request.url.query
        headers = [(k, v) for k, v in request.headers.items() if k.lower() not in _SKIP]
        body = await request.body()
        try:
            answer = await self._client.send(
                self._client.build_request(request.method, url, headers=headers, content=body),
                stream=True)
        except httpx.HTTPError:
            return Response("the bot is not answering", status_code=502)
        passed = {k: v for k, v in answer.headers.items() if k.lower() not in _SKIP_ANSWER}
        return StreamingResponse(answer.aiter_raw(), status_code=answer.status_code,
                                 headers=passed, background=BackgroundTask(answer.aclose))

    async def aclose(self) -> None:
        await self._client.aclose()
