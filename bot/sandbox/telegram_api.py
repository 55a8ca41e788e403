"""A Telegram Bot API emulator faithful enough that python-telegram-bot cannot tell.

One implementation for the tests, the benchmarks and the sandbox (`python -m bot sandbox`).

    with TelegramEmulator() as tg:
        app = Application.builder().token(tg.token).base_url(f"{tg.url}/bot")...
        tg.send_text(1001, "/start")
        call = await tg.wait_for_call("sendMessage")

The server (uvicorn + Starlette) runs either in its own thread and event loop (`start`), so
the bot under test can use the test's loop, or in the caller's loop (`serve`), as in the
sandbox; every control method here is thread-safe. Layout:
tg_wire (errors, calls, body decoding), tg_text (entities, HTML), tg_media (files, probing),
tg_state (the world), tg_methods / tg_upload (Bot API methods), tg_server (HTTP, polling,
webhooks), tg_control (HTTP control API). Run `python -m bot.sandbox.telegram_api --port 8081`
to serve it standalone.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import mimetypes
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from starlette.applications import Starlette
from starlette.routing import BaseRoute
from starlette.types import ASGIApp

from bot.sandbox.tg_control import control_routes
from bot.sandbox.tg_media import media_fields, new_file
from bot.sandbox.tg_methods import command_key
from bot.sandbox.tg_payments import complete, pre_checkout
from bot.sandbox.tg_server import _METHODS, BotApiServer
from bot.sandbox.tg_state import Checkout, Fault, World
from bot.sandbox.tg_text import find_entities
from bot.sandbox.tg_wire import Call
from bot.web.serving import LoopServer

__all__ = ["Call", "TelegramEmulator"]

_STATUSES = ("creator", "administrator", "member", "restricted", "left", "kicked")


class TelegramEmulator:
    def __init__(self, token: str = "123456:TEST-fake-token", *,
                 bot_username: str = "kling_test_bot", local_mode: bool = False,
                 privacy_mode: bool = False, allow_http_webhook: bool = False,
                 host: str = "127.0.0.1", port: int = 0,
                 middleware: Callable[[ASGIApp], ASGIApp] | None = None) -> None:
        """privacy_mode: groups deliver only commands, mentions and replies to the bot.
        allow_http_webhook: accept plain-HTTP webhooks on any port (the cloud API wants HTTPS
        on 443/80/88/8443; a local server, like local_mode here, allows anything).
        middleware: wraps the ASGI app (the benchmark's clocks); it must not change answers."""
        self.token = token
        self.local_mode = local_mode
        self.world = World(token, bot_username, local_mode=local_mode, privacy_mode=privacy_mode)
        self.world.allow_http_webhook = allow_http_webhook
        self.bot_user: dict[str, Any] = self.world.bot_user
        self.url = ""
        self._host, self._port = host, port
        self._api = BotApiServer(self.world)
        self.world.on_update = self._api.notify
        self._tmp = tempfile.TemporaryDirectory(prefix="fake-telegram-")
        self.world.local_dir = Path(self._tmp.name) / "bot-api"
        self._spool = Path(self._tmp.name) / "control"
        self._spool.mkdir()
        self._middleware = middleware
        self._server: LoopServer | None = None
        self._hooks: asyncio.Task[None] | None = None
        self._thread: threading.Thread | None = None
        self._exit: asyncio.Event | None = None

    # ---- lifecycle -------------------------------------------------------------------
    def app(self, routes: Sequence[BaseRoute] = ()) -> ASGIApp:
        """The Bot API and the control API, plus `routes` (the sandbox's page)."""
        app: ASGIApp = Starlette(routes=[*self._api.routes(), *control_routes(self, self._spool),
                                         *routes])
        return self._middleware(app) if self._middleware is not None else app

    async def serve(self, routes: Sequence[BaseRoute] = ()) -> None:
        """Serve in the current event loop (the sandbox runs the bot in the same loop)."""
        if self._server is not None:
            return
        # Long polls and the bot's keep-alive connections outlive uvicorn's 5 s default.
        server = LoopServer(self.app(routes), self._host, self._port, keep_alive=75)
        server.bind()
        self.url = server.url
        self._api.closing = False
        self._api.bind(asyncio.get_running_loop())
        self._hooks = asyncio.create_task(self._api.deliver_webhooks())
        try:
            await server.start()
        except BaseException:
            self._hooks.cancel()
            raise
        self._server = server

    async def shutdown(self) -> None:
        """Stop serving in the current loop (the counterpart of `serve`)."""
        server, hooks = self._server, self._hooks
        self._server = self._hooks = None
        # Release waiting long polls first, or uvicorn would wait for them to time out.
        self._api.closing = True
        self._api.notify()
        if server is not None:
            await server.stop()
        if hooks is not None:
            hooks.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await hooks
        self._tmp.cleanup()

    def start(self) -> None:
        """Serve from a thread of its own with its own loop, so the bot under test can use
        the caller's loop; the control methods are thread-safe."""
        if self._thread is not None:
            return
        ready = threading.Event()
        failed: list[BaseException] = []
        self._thread = threading.Thread(target=lambda: asyncio.run(self._own_loop(ready, failed)),
                                        name="telegram-emulator", daemon=True)
        self._thread.start()
        if not ready.wait(10) or failed:
            raise RuntimeError("the Telegram emulator did not start") from (
                failed[0] if failed else None)

    async def _own_loop(self, ready: threading.Event, failed: list[BaseException]) -> None:
        self._exit = asyncio.Event()
        try:
            await self.serve()
        except BaseException as exc:
            failed.append(exc)
            ready.set()
            return
        ready.set()
        try:
            await self._exit.wait()
        finally:
            await self.shutdown()

    def stop(self) -> None:
        if self._thread is None:
            return
        loop, done = self._api.loop, self._exit
        if loop is not None and done is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(done.set)
        self._thread.join(10)
        self._thread = None
        self._tmp.cleanup()

    def __enter__(self) -> TelegramEmulator:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # ---- the world -------------------------------------------------------------------
    def user(self, user_id: int = 1001, first_name: str = "Ada",
             username: str | None = "ada", language_code: str = "en") -> dict[str, Any]:
        """A person; `language_code` is what their Telegram app reports (it picks the bot's
        language and the command menu they see)."""
        return self.world.user(user_id, first_name, username, language_code)

    def commands(self, scope: dict[str, Any] | None = None,
                 language_code: str = "") -> list[dict[str, Any]]:
        """The command menu the bot registered for a scope and language ("": the default)."""
        key = command_key({"scope": scope, "language_code": language_code})
        with self.world.lock:
            return copy.deepcopy(self.world.commands.get(key, []))

    def chat(self, chat_id: int, *, chat_type: str | None = None, title: str | None = None,
             is_forum: bool | None = None) -> dict[str, Any]:
        """Create or adjust a chat before anyone writes in it (title, forum flag, type)."""
        return dict(self.world.chat(chat_id, chat_type=chat_type, title=title,
                                    is_forum=is_forum))

    def set_member(self, chat_id: int, user_id: int, status: str) -> None:
        """Set a member's status in a group; user_id may be the bot's own id (make it admin
        so it may delete others' messages)."""
        if status not in _STATUSES:
            raise ValueError(f"status must be one of {_STATUSES}")
        with self.world.lock:
            self.world.chat(chat_id)
            self.world.members[chat_id][user_id] = status

    def block(self, chat_id: int, blocked: bool = True) -> None:
        """The user blocks the bot: sends answer 403 until the user writes again."""
        with self.world.lock:
            (self.world.blocked.add if blocked else self.world.blocked.discard)(chat_id)

    def delete_message(self, chat_id: int, message_id: int) -> bool:
        """Someone in the chat deletes a message (in a private chat, either side may delete
        any message). False if there was no such message."""
        w = self.world
        with w.lock:
            msg = w.messages.get(chat_id, {}).pop(message_id, None)
            if msg is None:
                return False
            w.deleted.setdefault(chat_id, {})[message_id] = msg
            return True

    def seed_file(self, data: bytes | Path, *, mime_type: str | None = None,
                  file_name: str | None = None) -> dict[str, Any]:
        f = self.world.seed_file(data, mime_type, file_name)
        return {"file_id": f.file_id, "file_unique_id": f.file_unique_id, "file_size": f.size}

    # ---- what users do ---------------------------------------------------------------
    def send_text(self, chat_id: int, text: str, *, user: dict[str, Any] | None = None,
                  reply_to: int | None = None, chat_type: str | None = None,
                  thread_id: int | None = None) -> dict[str, Any]:
        def fill(msg: dict[str, Any]) -> None:
            msg["text"] = text
            if entities := find_entities(text):
                msg["entities"] = entities

        return self.world.user_message(chat_id, user=user, reply_to=reply_to,
                                       chat_type=chat_type, thread_id=thread_id, fill=fill)

    def edit_text(self, chat_id: int, message_id: int, text: str) -> dict[str, Any]:
        """The user edits one of their text messages: an `edited_message` update."""
        w = self.world
        with w.lock:
            msg = w.messages[chat_id][message_id]
            msg["text"] = text
            msg["edit_date"] = int(time.time())
            msg.pop("entities", None)
            if entities := find_entities(text):
                msg["entities"] = entities
            edited = copy.deepcopy(msg)
        w.push_update("edited_message", edited)
        return edited

    def send_video(self, chat_id: int, path: Path, *, kind: str = "video",
                   caption: str | None = None, user: dict[str, Any] | None = None,
                   reply_to: int | None = None, media_group_id: str | None = None,
                   mime_type: str | None = None, file_name: str | None = None,
                   thread_id: int | None = None) -> dict[str, Any]:
        if kind not in ("video", "video_note", "animation", "document"):
            raise ValueError(f"unknown kind {kind!r}")
        path = Path(path)
        if kind == "document":
            mime = mime_type or mimetypes.guess_type(path.name)[0] or "video/mp4"
            f = self.world.add_file(new_file("document", path=path, mime_type=mime,
                                             file_name=file_name or path.name))
        else:
            f = self.world.video_file(path, kind, mime_type, file_name)
        return self._media(chat_id, media_fields(f, kind), caption, user, reply_to,
                           media_group_id, thread_id)

    def send_photo(self, chat_id: int, path: Path, *, caption: str | None = None,
                   user: dict[str, Any] | None = None, reply_to: int | None = None,
                   media_group_id: str | None = None,
                   thread_id: int | None = None) -> dict[str, Any]:
        files = self.world.photo_files(Path(path))
        return self._media(chat_id, media_fields(files[-1], "photo"), caption, user, reply_to,
                           media_group_id, thread_id)

    def send_document(self, chat_id: int, path: Path, *, mime_type: str, file_name: str,
                      caption: str | None = None, user: dict[str, Any] | None = None,
                      reply_to: int | None = None) -> dict[str, Any]:
        return self.send_video(chat_id, path, kind="document", mime_type=mime_type,
                               file_name=file_name, caption=caption, user=user,
                               reply_to=reply_to)

    def send_album(self, chat_id: int, paths: list[Path], *, caption: str | None = None,
                   user: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        group = self.world.media_group_id()
        out = []
        for i, path in enumerate(paths):
            text = caption if i == 0 else None
            if self.world.album_kind(Path(path)) == "photo":
                out.append(self.send_photo(chat_id, path, caption=text, user=user,
                                           media_group_id=group))
            else:
                out.append(self.send_video(chat_id, path, caption=text, user=user,
                                           media_group_id=group))
        return out

    def _media(self, chat_id: int, fields: dict[str, Any], caption: str | None,
               user: dict[str, Any] | None, reply_to: int | None, group: str | None,
               thread_id: int | None) -> dict[str, Any]:
        def fill(msg: dict[str, Any]) -> None:
            if group:
                msg["media_group_id"] = group
            msg.update(copy.deepcopy(fields))
            self.world.caption_fields(msg, caption)

        return self.world.user_message(chat_id, user=user, reply_to=reply_to, chat_type=None,
                                       thread_id=thread_id, fill=fill)

    def press_button(self, chat_id: int, message_id: int, data: str, *,
                     user: dict[str, Any] | None = None, strict: bool = True) -> str:
        """Press an inline button; with strict (default) the message must show a button
        carrying that callback_data, as a real client could only press what it shows."""
        return self.world.callback(chat_id, message_id, data, user, strict)

    def callback_answer(self, callback_query_id: str) -> dict[str, Any] | None:
        """The answerCallbackQuery parameters the bot gave for this query, if any."""
        with self.world.lock:
            query = self.world.queries.get(callback_query_id)
            return copy.deepcopy(query["answer"]) if query else None

    # ---- payments --------------------------------------------------------------------
    def pay(self, chat_id: int, message_id: int, *, user: dict[str, Any] | None = None) -> str:
        """The user presses Pay on one of the bot's invoices: a pre_checkout_query goes to
        the bot; if it answers ok in time, a successful_payment message follows. Returns the
        query id."""
        with self.world.lock:
            msg = self.world.find(chat_id, message_id)
            payload = self.world.payments.invoices.get((chat_id, message_id))
            if msg is None or payload is None:
                raise ValueError(f"message {message_id} in chat {chat_id} is no invoice")
            invoice = msg["invoice"]
            payer = user or self.world.default_user(chat_id)
        return pre_checkout(self.world, payer, chat_id, currency=invoice["currency"],
                            total=invoice["total_amount"], payload=payload)

    def pre_checkout(self, user: dict[str, Any], *, payload: str, total: int,
                     currency: str = "XTR", chat_id: int | None = None) -> str:
        """A pre_checkout_query for any invoice (an old one, a forged one, a link's)."""
        return pre_checkout(self.world, user, chat_id, currency=currency, total=total,
                            payload=payload)

    def pre_checkout_answer(self, query_id: str) -> dict[str, Any] | None:
        """What the bot answered to a pre-checkout query ({"late": True} past the window)."""
        with self.world.lock:
            query = self.world.payments.queries.get(query_id)
            return copy.deepcopy(query.answer) if query and query.answer else None

    def set_pre_checkout_window(self, seconds: float) -> None:
        """Telegram waits 10 s for the answer; a test shrinks it to see the late answer."""
        with self.world.lock:
            self.world.payments.window = seconds

    def successful_payment(self, chat_id: int, *, payload: str, total: int,
                           charge_id: str | None = None, user: dict[str, Any] | None = None,
                           currency: str = "XTR") -> dict[str, Any]:
        """A successful_payment message as Telegram sends it (pass the same charge_id again
        to deliver a payment twice, as after a lost getUpdates answer)."""
        payer = user or self.world.default_user(chat_id)
        query = Checkout(user=dict(payer), chat_id=chat_id, currency=currency, total=total,
                         payload=payload, sent_at=time.monotonic())
        msg = complete(self.world, query, charge_id)
        assert msg is not None
        return msg

    def star_payment(self, charge_id: str) -> dict[str, Any] | None:
        """A payment by its charge id, with whether it was refunded."""
        with self.world.lock:
            found = self.world.payments.charges.get(charge_id)
            return copy.deepcopy(found) if found else None

    # ---- what the bot did ------------------------------------------------------------
    def calls(self, method: str | None = None) -> list[Call]:
        with self.world.lock:
            calls = list(self.world.calls)
        if method is None:
            return calls
        return [c for c in calls if c.method.lower() == method.lower()]

    async def wait_for_call(
        self, method: str, predicate: Callable[[Call], bool] | None = None, *,
        timeout: float = 15.0,  # noqa: ASYNC109 - a deadline per wait reads best at call sites
        after: int = 0,
    ) -> Call:
        deadline = time.monotonic() + timeout
        while True:
            with self.world.lock:
                recent = self.world.calls[after:]
            for call in recent:
                if call.method.lower() == method.lower() and (predicate is None
                                                              or predicate(call)):
                    return call
            if time.monotonic() >= deadline:
                seen = [f"{c.method}{'' if c.ok else '!' + str(c.status)}" for c in recent]
                raise TimeoutError(f"no {method} call within {timeout}s; calls since #{after}: "
                                   f"{seen}")
            await asyncio.sleep(0.02)

    def bot_messages(self, chat_id: int, *, include_deleted: bool = False
                     ) -> list[dict[str, Any]]:
        """The bot's messages in a chat, in sending order, as they are now (after edits)."""
        w = self.world
        with w.lock:
            out = []
            for mid in w.bot_sent.get(chat_id, []):
                msg = w.messages[chat_id].get(mid)
                if msg is None and include_deleted:
                    msg = w.deleted.get(chat_id, {}).get(mid)
                if msg is not None:
                    out.append(copy.deepcopy(msg))
            return out

    def message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        with self.world.lock:
            msg = self.world.find(chat_id, message_id)
            return copy.deepcopy(msg) if msg else None

    def set_flood(self, method: str, times: int, retry_after: int = 1) -> None:
        name = _METHODS.get(method.lower(), (method, None, False))[0]
        with self.world.lock:
            self.world.flood[name] = [times, retry_after]

    def fail(self, method: str, times: int = 1, *, status: int = 500,
             description: str = "Internal Server Error", drop: bool = False) -> None:
        """The next `times` calls of `method` ("*": any but getUpdates) fail, changing nothing:
        with `status` and `description` (e.g. 400 "Bad Request: chat not found"), or with
        `drop` by the connection closing mid-answer (a network error to the client).
        `times=0` clears it."""
        name = "*" if method == "*" else _METHODS.get(method.lower(), (method, None, False))[0]
        with self.world.lock:
            self.world.faults[name] = Fault(times=times, status=status,
                                            description=description, drop=drop)

    def send_update(self, kind: str, payload: Any) -> dict[str, Any]:
        """Queue an update of `kind` carrying `payload` exactly as given, even one no real
        client could cause (fuzzing; fields newer than the bot's library)."""
        return self.world.push_update(kind, payload)

    def uploaded_bytes(self, call: Call, field: str = "video") -> bytes:
        """Bytes the bot sent in `field`: the upload, or the stored file it re-sent by id."""
        if field in call.files:
            return call.files[field]
        file_id = call.params.get(field)
        if isinstance(file_id, dict):  # editMessageMedia: the file is the InputMedia's
            file_id = file_id.get("media")
        f = self.world.files.get(str(file_id)) if file_id else None
        if f is None:
            raise KeyError(f"{call.method} carried no file in {field!r}; "
                           f"uploads: {sorted(call.files)}, params: {sorted(call.params)}")
        return f.read()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve a fake Telegram Bot API.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default="123456:TEST-fake-token")
    parser.add_argument("--bot-username", default="kling_test_bot")
    parser.add_argument("--local-mode", action="store_true")
    parser.add_argument("--privacy-mode", action="store_true")
    parser.add_argument("--allow-http-webhook", action="store_true")
    args = parser.parse_args(argv)
    fake = TelegramEmulator(args.token, bot_username=args.bot_username, local_mode=args.local_mode,
                        privacy_mode=args.privacy_mode, allow_http_webhook=args.allow_http_webhook,
                        host=args.host, port=args.port)
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    fake.start()
    print(f"fake Telegram Bot API at {fake.url} (token {fake.token}); Ctrl-C to stop",
          flush=True)
    try:
        while not done.wait(1):
            pass
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
