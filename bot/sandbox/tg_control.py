"""The HTTP control API (`/control/...`): the same levers as TelegramEmulator's methods, for tools
that cannot import it (benchmarks, manual poking). Loopback clients only."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.sandbox.tg_server import guard_loopback, json_response
from bot.sandbox.tg_wire import ApiError, parse_body

if TYPE_CHECKING:
    from bot.sandbox.telegram_api import TelegramEmulator

Action = Callable[[dict[str, Any]], Any]


def control_routes(fake: TelegramEmulator, spool: Path) -> list[BaseRoute]:
    async def params_of(request: Request) -> dict[str, Any]:
        body = await request.body()
        params, uploads = parse_body(request.headers.get("content-type"), body,
                                     dict(request.query_params))
        upload = uploads.get("file")
        if upload is not None:
            # Media helpers want a path, like a test would pass; keep the upload's name.
            name = Path(upload.filename or "upload.bin").name
            dest = spool / f"{secrets.token_hex(6)}-{name}"
            dest.write_bytes(upload.data)
            params["path"] = str(dest)
        return params

    def endpoint(action: Action, *, threaded: bool = False
                 ) -> Callable[[Request], Awaitable[Response]]:
        async def handle(request: Request) -> Response:
            try:
                p = await params_of(request)
                if threaded:
                    result = await asyncio.to_thread(action, p)
                else:
                    result = action(p)
            except (ApiError, ValueError, KeyError, TypeError) as exc:
                return json_response({"ok": False, "error": f"{type(exc).__name__}: {exc}"}, 400)
            if isinstance(result, Response):
                return result
            return json_response({"ok": True, "result": result})

        return guard_loopback(handle)

    def opt(p: dict[str, Any], *names: str) -> dict[str, Any]:
        return {n: p[n] for n in names if p.get(n) is not None}

    def calls(p: dict[str, Any]) -> Any:
        after = int(p.get("after") or 0)
        return [c.summary() for c in fake.calls(p.get("method")) if c.index >= after]

    def call_file(p: dict[str, Any]) -> Response:
        call = fake.calls()[int(p["index"])]
        return Response(fake.uploaded_bytes(call, str(p["field"])),
                        media_type="application/octet-stream")

    def with_path(fn: Callable[..., Any], *names: str) -> Action:
        return lambda p: fn(p["chat_id"], Path(p["path"]), **opt(p, *names))

    actions: dict[str, tuple[Action, bool, str]] = {
        "user": (lambda p: fake.user(**opt(p, "user_id", "first_name", "username")), False,
                 "POST"),
        "chat": (lambda p: fake.chat(p["chat_id"], **opt(p, "chat_type", "title", "is_forum")),
                 False, "POST"),
        "text": (lambda p: fake.send_text(p["chat_id"], str(p["text"]), **opt(
            p, "user", "reply_to", "chat_type", "thread_id")), False, "POST"),
        "video": (with_path(fake.send_video, "kind", "caption", "user", "reply_to",
                            "media_group_id", "mime_type", "file_name", "thread_id"), True,
                  "POST"),
        "photo": (with_path(fake.send_photo, "caption", "user", "reply_to", "media_group_id",
                            "thread_id"), True, "POST"),
        "document": (lambda p: fake.send_document(
            p["chat_id"], Path(p["path"]), mime_type=str(p["mime_type"]),
            file_name=str(p.get("file_name") or Path(p["path"]).name),
            **opt(p, "caption", "user", "reply_to")), True, "POST"),
        "album": (lambda p: fake.send_album(p["chat_id"], [Path(x) for x in p["paths"]],
                                            **opt(p, "caption", "user")), True, "POST"),
        "button": (lambda p: {"callback_query_id": fake.press_button(
            p["chat_id"], p["message_id"], str(p["data"]), **opt(p, "user", "strict"))},
            False, "POST"),
        "files": (lambda p: fake.seed_file(Path(p["path"]), **opt(p, "mime_type",
                                                                   "file_name")), True, "POST"),
        "flood": (lambda p: fake.set_flood(str(p["method"]), int(p["times"]),
                                           int(p.get("retry_after") or 1)), False, "POST"),
        "fail": (lambda p: fake.fail(str(p["method"]), int(p.get("times") or 1), **opt(
            p, "status", "description", "drop")), False, "POST"),
        "block": (lambda p: fake.block(p["chat_id"], bool(p.get("blocked", True))), False,
                  "POST"),
        "member": (lambda p: fake.set_member(p["chat_id"], p["user_id"], str(p["status"])),
                   False, "POST"),
        "pay": (lambda p: {"pre_checkout_query_id": fake.pay(
            p["chat_id"], p["message_id"], **opt(p, "user"))}, False, "POST"),
        "pre_checkout": (lambda p: {"pre_checkout_query_id": fake.pre_checkout(
            p["user"], payload=str(p["payload"]), total=int(p["total"]),
            **opt(p, "currency", "chat_id"))}, False, "POST"),
        "pre_checkout_answer": (lambda p: fake.pre_checkout_answer(str(p["id"])), False, "GET"),
        "successful_payment": (lambda p: fake.successful_payment(
            p["chat_id"], payload=str(p["payload"]), total=int(p["total"]),
            **opt(p, "charge_id", "user", "currency")), False, "POST"),
        "calls": (calls, False, "GET"),
        "messages": (lambda p: fake.bot_messages(p["chat_id"], include_deleted=bool(
            p.get("include_deleted"))), False, "GET"),
    }
    routes: list[BaseRoute] = [
        Route(f"/control/{name}", endpoint(action, threaded=threaded), methods=[verb])
        for name, (action, threaded, verb) in actions.items()
    ]

    async def file_of_call(request: Request) -> Response:
        p = {"index": request.path_params["index"], "field": request.path_params["field"]}
        try:
            return call_file(p)
        except (IndexError, KeyError, ValueError) as exc:
            return json_response({"ok": False, "error": f"{type(exc).__name__}: {exc}"}, 404)

    routes.append(Route("/control/calls/{index:int}/files/{field}", guard_loopback(file_of_call),
                        methods=["GET"]))
    return routes
