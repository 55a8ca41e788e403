"""The emulator's HTTP face (Starlette) and a uvicorn server that runs in the current loop."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from http import HTTPStatus
from types import TracebackType

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.emulator.faults import Hang, target_of
from bot.emulator.state import Emulator, EmulatorConfig
from bot.web.serving import LoopServer

BaseUrlGetter = Callable[[], str | None]


class _Gate:
    """Records every request and plays the request-level faults (see `bot.emulator.faults`):
    `http_error` (an HTTP error), `garbled` (a cut-off JSON body), `hang` (a late answer),
    `no_answer` (carried out, then the connection closes mid-answer) and `bad_result` (a
    result that is no video). The `/_emulator` control routes are never failed."""

    def __init__(self, app: ASGIApp, emulator: Emulator) -> None:
        self.app = app
        self.emulator = emulator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        headers = Headers(scope=scope)
        self.emulator.record_request(
            scope["method"], path, scope["query_string"].decode("latin-1"),
            "authorization" in headers,
        )
        target = target_of(path)
        faults = self.emulator.faults
        hang: Hang | None = faults.take("hang", target)
        if hang is not None:
            await asyncio.sleep(hang.seconds)
        fault = faults.take_http_error(target)
        if fault is not None:
            text = f"{fault.status} {HTTPStatus(fault.status).phrase}"
            extra = {"Retry-After": fault.retry_after} if fault.retry_after else None
            response = PlainTextResponse(text, status_code=fault.status, headers=extra)
            await response(scope, receive, send)
            return
        if faults.take_garbled(target):
            garbled = Response(b'{"code": 0, "data": {"job_', media_type="application/json")
            await garbled(scope, receive, send)
            return
        if target == "result" and faults.take("bad_result", target) is not None:
            junk = Response(b"\x00\x01 this is no video " * 64, media_type="video/mp4")
            await junk(scope, receive, send)
            return
        if faults.take("no_answer", target) is not None:
            await self.app(scope, receive, _cut_off(send))
            return
        await self.app(scope, receive, send)


def _cut_off(send: Send) -> Send:
    """A `send` that lets the answer start, then stops it halfway: the server closes the
    connection and the client sees its request vanish without an answer."""

    async def partial(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", [])
                       if k.lower() != b"content-length"]
            await send({**message, "headers": [*headers, (b"content-length", b"4096")]})
        elif message["type"] == "http.response.body" and message.get("body"):
            await send({"type": "http.response.body", "body": message["body"][:8],
                        "more_body": True})

    return partial


def create_app(emulator: Emulator, base_url_getter: BaseUrlGetter | None = None) -> Starlette:
    """The ShortAPI wire contract plus `/_emulator/*` control routes. Result URLs start with
    `base_url_getter()`, or with the request's own base URL when that gives None."""
    routes = _wire_routes(emulator, base_url_getter) + _control_routes(emulator)
    return Starlette(routes=routes, middleware=[Middleware(_Gate, emulator=emulator)])


def _wire_routes(emulator: Emulator, base_url_getter: BaseUrlGetter | None) -> list[Route]:
    """What ShortAPI itself answers: create, query, and the rendered results."""

    def unauthorized(request: Request) -> Response | None:
        if emulator.check_auth(request.headers.get("authorization")):
            return None
        return JSONResponse({"code": 401, "message": "unauthorized"}, status_code=401)

    async def job_create(request: Request) -> Response:
        if (denied := unauthorized(request)) is not None:
            return denied
        try:
            body = json.loads(await request.body())
        except (json.JSONDecodeError, UnicodeDecodeError):
            message = "invalid JSON body"
            return JSONResponse({"code": 400, "message": message, "info": message})
        base = (base_url_getter() if base_url_getter else None) or str(request.base_url)
        return JSONResponse(await emulator.create(body, base))

    async def job_query(request: Request) -> Response:
        if (denied := unauthorized(request)) is not None:
            return denied
        return JSONResponse(emulator.query(request.query_params.get("id")))

    async def result(request: Request) -> Response:
        path = emulator.result_file(request.path_params["job_id"])
        if path is None or not path.is_file():
            return JSONResponse({"code": 404, "message": "not found"}, status_code=404)
        return FileResponse(path, media_type="video/mp4")

    return [
        Route("/api/v1/job/create", job_create, methods=["POST"]),
        Route("/api/v1/job/query", job_query, methods=["GET"]),
        Route("/results/{job_id}.mp4", result, methods=["GET", "HEAD"]),
    ]


def _control_routes(emulator: Emulator) -> list[Route]:
    """`/_emulator/*`: fault injection and what the emulator saw, for tests."""

    async def faults(request: Request) -> Response:
        if request.method == "POST":
            try:
                spec = json.loads(await request.body() or b"{}")
                if not isinstance(spec, dict):
                    raise ValueError("body must be a JSON object of faults")
                emulator.inject(**spec)
            except ValueError as err:  # JSONDecodeError is a ValueError
                return JSONResponse({"ok": False, "error": str(err)}, status_code=400)
        return JSONResponse({"ok": True, "faults": emulator.faults.to_json()})

    async def reset(request: Request) -> Response:
        emulator.reset()
        return JSONResponse({"ok": True})

    async def jobs(request: Request) -> Response:
        return JSONResponse([job.to_json() for job in emulator.jobs.values()])

    async def one_job(request: Request) -> Response:
        job = emulator.jobs.get(request.path_params["job_id"])
        if job is None:
            return JSONResponse({"ok": False, "error": "job not found"}, status_code=404)
        return JSONResponse(job.to_json())

    async def requests(request: Request) -> Response:
        return JSONResponse([vars(r) for r in emulator.requests])

    async def rejected(request: Request) -> Response:
        return JSONResponse(
            [{**vars(r), "fetches": [vars(f) for f in r.fetches]} for r in emulator.rejected]
        )

    return [
        Route("/_emulator/faults", faults, methods=["GET", "POST"]),
        Route("/_emulator/reset", reset, methods=["POST"]),
        Route("/_emulator/jobs", jobs, methods=["GET"]),
        Route("/_emulator/jobs/{job_id}", one_job, methods=["GET"]),
        Route("/_emulator/requests", requests, methods=["GET"]),
        Route("/_emulator/rejected", rejected, methods=["GET"]),
    ]


class EmulatorServer:
    """The emulator on HTTP, inside the caller's event loop (the bot's, or a test's).
    `public_url` (optional) is the base put in result URLs when it differs from `url`."""

    def __init__(
        self, config: EmulatorConfig, host: str = "127.0.0.1", port: int = 0,
        public_url: str | None = None, *, keep_alive: int = 5,
    ) -> None:
        self.emulator = Emulator(config)
        self.public_url = public_url.rstrip("/") if public_url else None
        self._http = LoopServer(create_app(self.emulator, self._base_url), host, port,
                                keep_alive=keep_alive)

    def _base_url(self) -> str:
        return self.public_url or self.url

    @property
    def url(self) -> str:
        return self._http.url

    async def start(self) -> None:
        await self._http.start()

    async def stop(self) -> None:
        try:
            await self._http.stop()
        finally:
            await self.emulator.aclose()

    async def __aenter__(self) -> EmulatorServer:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()


__all__ = ["BaseUrlGetter", "EmulatorServer", "LoopServer", "create_app"]
