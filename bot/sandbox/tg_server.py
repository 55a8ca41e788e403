"""The HTTP face of the fake Bot API: method dispatch, long polling, file downloads, webhooks."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Callable
from typing import Any

import httpx
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from bot.sandbox.tg_methods import LIGHT, Handler, Req
from bot.sandbox.tg_payments import HANDLERS as PAYMENTS
from bot.sandbox.tg_state import World
from bot.sandbox.tg_upload import HEAVY
from bot.sandbox.tg_wire import ApiError, Call, dumps, parse_body

_TOKEN = re.compile(r"\d+:[A-Za-z0-9_-]+")
_METHODS: dict[str, tuple[str, Handler | None, bool]] = {
    **{name.lower(): (name, h, False) for name, h in LIGHT.items()},
    **{name.lower(): (name, h, False) for name, h in PAYMENTS.items()},
    **{name.lower(): (name, h, True) for name, h in HEAVY.items()},
    "getupdates": ("getUpdates", None, False),
}
CONFLICT_WEBHOOK = ("Conflict: can't use getUpdates method while webhook is active; use "
                    "deleteWebhook to delete the webhook first")
CONFLICT_POLL = ("Conflict: terminated by other getUpdates request; make sure that only one "
                 "bot instance is running")


def json_response(body: Any, status: int = 200) -> Response:
    return Response(dumps(body), status, media_type="application/json")


def _number(p: dict[str, Any], name: str, default: float) -> float:
    v = p.get(name)
    try:
        return float(v) if v is not None and not isinstance(v, bool) else default
    except (TypeError, ValueError):
        return default


class BotApiServer:
    """Owns the asyncio side: must only be touched from the server's own loop, except for
    `notify`, which any thread may call."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.loop: asyncio.AbstractEventLoop | None = None
        self._changed: asyncio.Event | None = None
        self._poll_generation = 0
        self.closing = False

    # ---- waking long polls -----------------------------------------------------------
    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self._changed = asyncio.Event()

    def _wake(self) -> None:
        if self._changed is not None:
            self._changed.set()
            self._changed = asyncio.Event()

    def notify(self) -> None:
        loop = self.loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._wake)

    async def _wait_change(self, seconds: float) -> None:
        assert self._changed is not None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), seconds)

    # ---- routes ----------------------------------------------------------------------
    def routes(self) -> list[BaseRoute]:
        return [
            Route("/bot{token}/{method}", self.bot_api, methods=["GET", "POST"]),
            Route("/file/bot{token}/{file_path:path}", self.download, methods=["GET"]),
        ]

    async def bot_api(self, request: Request) -> Response:
        started = time.monotonic()
        w = self.world
        token = request.path_params["token"]
        name = request.path_params["method"]
        canonical, handler, heavy = _METHODS.get(name.lower(), (name, None, False))
        params: dict[str, Any] = {}
        req = Req(params)
        result: Any = None
        dropped = False
        try:
            try:
                body = await request.body()
            except ClientDisconnect:
                # The client died mid-request (the crash suite kills the bot mid-upload), as
                # the real server sees it: nothing applied, nobody to answer, no traceback.
                return Response(status_code=400)
            parse_error: ApiError | None = None
            try:
                params, uploads = parse_body(request.headers.get("content-type"), body,
                                             dict(request.query_params))
                req = Req(params, uploads)
            except ApiError as exc:
                parse_error = exc
            self._check_route(token, name, parse_error)
            dropped = self._fault_check(canonical)
            if dropped:
                raise ApiError(599, "connection dropped (injected)")
            self._flood_check(canonical)
            if canonical == "getUpdates":
                result = await self.get_updates(params)
            elif heavy:
                assert handler is not None
                result = await asyncio.to_thread(handler, w, req)
            else:
                assert handler is not None
                with w.lock:
                    result = handler(w, req)
            status, out = 200, {"ok": True, "result": result}
        except ApiError as exc:
            status, out = exc.code, exc.body()
        if canonical in ("setWebhook", "deleteWebhook"):
            self._wake()
        self._record(canonical, req, started, status, out)
        return _CutOff() if dropped else json_response(out, status)

    def _check_route(self, token: str, name: str, parse_error: ApiError | None) -> None:
        """Telegram's answers for a malformed token, a wrong one, an unknown method and an
        unreadable body, in that order."""
        if not _TOKEN.fullmatch(token):
            raise ApiError(404, "Not Found")
        if token != self.world.token:
            raise ApiError(401, "Unauthorized")
        if name.lower() not in _METHODS:
            raise ApiError(404, "Not Found")
        if parse_error:
            raise parse_error

    def _fault_check(self, method: str) -> bool:
        """Raise the injected failure for this call, if any; True: drop the connection."""
        with self.world.lock:
            faults = self.world.faults
            # "*" fails every method but getUpdates: the bot must still hear its users.
            fault = faults.get(method) or (faults.get("*") if method != "getUpdates" else None)
            if fault is None or not fault.take():
                return False
        if fault.drop:
            return True
        raise ApiError(fault.status, fault.description)

    def _flood_check(self, method: str) -> None:
        with self.world.lock:
            left = self.world.flood.get(method)
            if left and left[0] > 0:
                left[0] -= 1
                raise ApiError(429, f"Too Many Requests: retry after {left[1]}",
                               retry_after=left[1])

    def _record(self, method: str, req: Req, started: float, status: int,
                out: dict[str, Any]) -> None:
        files = {name: up.data for name, up in req.uploads.items()}
        for key, value in req.params.items():
            if isinstance(value, str) and value.startswith("attach://"):
                part = req.uploads.get(value.removeprefix("attach://"))
                if part is not None:
                    files[key] = part.data
        media = req.params.get("media")  # editMessageMedia: the InputMedia's own attachment
        if isinstance(media, dict) and str(media.get("media", "")).startswith("attach://"):
            part = req.uploads.get(str(media["media"]).removeprefix("attach://"))
            if part is not None:
                files["media"] = part.data
        files |= req.fetched
        ok = bool(out.get("ok"))
        with self.world.lock:
            calls = self.world.calls
            calls.append(Call(method=method, params=req.params, files=files, time=started,
                              response=out["result"] if ok else out, ok=ok, status=status,
                              index=len(calls)))

    # ---- long polling ----------------------------------------------------------------
    async def get_updates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        w = self.world
        assert self.loop is not None
        with w.lock:
            if w.webhook:
                raise ApiError(409, CONFLICT_WEBHOOK)
            if isinstance(p.get("allowed_updates"), list):
                w.allowed_updates = [str(x) for x in p["allowed_updates"]]
        offset = int(_number(p, "offset", 0))
        limit = min(100, max(1, int(_number(p, "limit", 100))))
        timeout = max(0.0, _number(p, "timeout", 0))
        # A newer getUpdates ends the one still waiting, exactly like the real server.
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake()
        deadline = self.loop.time() + timeout
        while True:
            if generation != self._poll_generation:
                raise ApiError(409, CONFLICT_POLL)
            got = w.take_updates(offset, limit)
            remaining = deadline - self.loop.time()
            if got or remaining <= 0 or self.closing:
                return got
            await self._wait_change(remaining)

    # ---- file downloads --------------------------------------------------------------
    async def download(self, request: Request) -> Response:
        w = self.world
        if request.path_params["token"] != w.token:
            return json_response({"ok": False, "error_code": 401,
                                  "description": "Unauthorized"}, 401)
        path = request.path_params["file_path"]
        with w.lock:
            f = w.by_path.get(path) or w.by_path.get("/" + path)
        if f is None:
            return json_response({"ok": False, "error_code": 404, "description": "Not Found"},
                                 404)
        data = f.data if f.data is not None else await asyncio.to_thread(f.read)
        return Response(data, media_type=f.mime_type or "application/octet-stream")

    # ---- webhook delivery ------------------------------------------------------------
    async def deliver_webhooks(self) -> None:
        """Push pending updates to the webhook one at a time, as Telegram does, keeping
        each until the endpoint answers 2xx."""
        w = self.world
        async with httpx.AsyncClient(timeout=10, verify=False) as client:
            while not self.closing:
                hook = w.webhook
                pending = w.take_updates(0, 1) if hook else []
                if not hook or not pending:
                    await self._wait_change(1.0)
                    continue
                update = pending[0]
                headers = {"content-type": "application/json"}
                if hook.get("secret_token"):
                    headers["X-Telegram-Bot-Api-Secret-Token"] = str(hook["secret_token"])
                error = None
                try:
                    resp = await client.post(hook["url"], content=dumps(update), headers=headers)
                    if not 200 <= resp.status_code < 300:
                        error = (f"Wrong response from the webhook: {resp.status_code} "
                                 f"{resp.reason_phrase}")
                except httpx.HTTPError as exc:
                    error = f"Connection failed: {exc.__class__.__name__}"
                with w.lock:
                    if error is None:
                        w.updates = [u for u in w.updates
                                     if u["update_id"] != update["update_id"]]
                    else:
                        w.webhook_error = (int(time.time()), error)
                if error is not None:
                    await asyncio.sleep(0.5)


class _CutOff(Response):
    """An answer that stops halfway: the server closes the connection, and the client sees
    a network error (httpx: RemoteProtocolError), as when a connection breaks mid-answer."""

    def __init__(self) -> None:
        super().__init__(status_code=200)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", b"64")]})
        await send({"type": "http.response.body", "body": b'{"ok":', "more_body": True})


def guard_loopback(handler: Callable[[Request], Any]) -> Callable[[Request], Any]:
    async def wrapped(request: Request) -> Response:
        host = request.client.host if request.client else ""
        if not (host.startswith("127.") or host in ("::1", "localhost")):
            return json_response({"ok": False, "error": "control API is loopback-only"}, 403)
        result: Response = await handler(request)
        return result

    return wrapped
