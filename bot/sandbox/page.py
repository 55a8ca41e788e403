"""The sandbox's web chat: a page and a small JSON API on the Telegram emulator's own server.

The page acts as a Telegram client would: what a person sends becomes a user message in the
emulated world (through the same levers the tests use), and what the bot sent is read back
from that world. Every answer is HTTP 200 with `{"ok": ...}`, so a refused upload is a
message on the page and never a browser console error.
"""

from __future__ import annotations

import asyncio
import mimetypes
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.sandbox.render import PAY_BUTTON, page_messages
from bot.sandbox.telegram_api import TelegramEmulator
from bot.sandbox.tg_wire import ApiError, Upload, parse_body

STATIC = Path(__file__).resolve().parent / "static"
# A person's Telegram client uploads up to 2 GB; the page stops well before that, since it
# holds a whole upload in memory. Files past 20 MB still go through, as on Telegram: the
# bot is the one that cannot download them.
MAX_UPLOAD = 200 * 1024 * 1024
_ASSETS = {"chat.css": "text/css", "chat.js": "text/javascript"}


@dataclass(frozen=True)
class Chat:
    key: str  # "private" | "group"
    chat_id: int
    title: str
    members: dict[str, dict[str, Any]]  # first name -> Bot API user


@dataclass
class SandboxPage:
    tg: TelegramEmulator
    uploads: Path
    chats: dict[str, Chat]
    notices: list[dict[str, str]] = field(default_factory=list)

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/", self.index, methods=["GET"]),
            Route("/sandbox/{asset}", self.asset, methods=["GET"]),
            Route("/sandbox/api/state", self.state, methods=["GET"]),
            Route("/sandbox/api/chats/{key}/messages", self.messages, methods=["GET"]),
            Route("/sandbox/api/chats/{key}/send", self.send, methods=["POST"]),
            Route("/sandbox/api/chats/{key}/press", self.press, methods=["POST"]),
            Route("/sandbox/files/{file_id}", self.file, methods=["GET", "HEAD"]),
        ]

    async def index(self, request: Request) -> Response:
        return FileResponse(STATIC / "index.html", media_type="text/html",
                            headers={"Cache-Control": "no-cache"})

    async def asset(self, request: Request) -> Response:
        name = request.path_params["asset"]
        if name not in _ASSETS:
            return JSONResponse({"ok": False, "error": "not found"}, 404)
        return FileResponse(STATIC / name, media_type=_ASSETS[name],
                            headers={"Cache-Control": "no-cache"})

    async def state(self, request: Request) -> Response:
        bot = self.tg.bot_user
        return JSONResponse({
            "ok": True,
            "bot": {"username": bot["username"], "name": bot["first_name"]},
            "chats": [{"key": c.key, "title": c.title, "members": list(c.members)}
                      for c in self.chats.values()],
            "notices": self.notices,
        })

    def _chat(self, request: Request) -> Chat | None:
        return self.chats.get(request.path_params["key"])

    async def messages(self, request: Request) -> Response:
        chat = self._chat(request)
        if chat is None:
            return _refused("no such chat")
        return JSONResponse({"ok": True, "messages": page_messages(self.tg.world, chat.chat_id)})

    async def send(self, request: Request) -> Response:
        chat = self._chat(request)
        if chat is None:
            return _refused("no such chat")
        size = request.headers.get("content-length", "")
        if size.isdigit() and int(size) > MAX_UPLOAD:
            return _refused(f"The sandbox takes uploads up to {MAX_UPLOAD // 2**20} MB.")
        try:
            params, uploads = parse_body(request.headers.get("content-type"),
                                         await request.body(), {})
        except ApiError:
            return _refused("That upload could not be read.")
        user = chat.members.get(str(params.get("sender") or "")) or next(
            iter(chat.members.values()))
        reply_to = params.get("reply_to")
        sent = await asyncio.to_thread(
            self._deliver, chat, user, str(params.get("text") or ""),
            reply_to if isinstance(reply_to, int) else None,
            [u for name, u in sorted(uploads.items()) if u.data])
        return JSONResponse({"ok": True, "sent": sent})

    def _deliver(self, chat: Chat, user: dict[str, Any], text: str, reply_to: int | None,
                 files: list[Upload]) -> int:
        """What a Telegram client sends for one press of Enter: a text, one captioned file,
        or an album (documents go one by one). Runs in a worker thread: probing is slow."""
        tg = self.tg
        if reply_to is not None and tg.message(chat.chat_id, reply_to) is None:
            reply_to = None
        if not files:
            if text.strip():
                tg.send_text(chat.chat_id, text, user=user, reply_to=reply_to)
                return 1
            return 0
        album = tg.world.media_group_id() if len(files) > 1 else None
        for i, upload in enumerate(files):
            path = self._save(upload)
            caption = (text.strip() or None) if i == 0 else None
            kind = _kind(upload)
            if kind == "photo":
                try:
                    tg.send_photo(chat.chat_id, path, caption=caption, user=user,
                                  reply_to=reply_to, media_group_id=album)
                    continue
                except ValueError:  # not an image after all: a client sends it as a file
                    kind = "document"
            if kind == "video":
                tg.send_video(chat.chat_id, path, caption=caption, user=user,
                              reply_to=reply_to, media_group_id=album,
                              mime_type=upload.content_type, file_name=path.name)
            else:
                tg.send_document(chat.chat_id, path, caption=caption, user=user,
                                 reply_to=reply_to, file_name=path.name,
                                 mime_type=_mime(upload))
        return len(files)

    def _save(self, upload: Upload) -> Path:
        name = Path(upload.filename or "file").name or "file"
        dest = self.uploads / secrets.token_hex(6) / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(upload.data)
        return dest

    async def press(self, request: Request) -> Response:
        chat = self._chat(request)
        if chat is None:
            return _refused("no such chat")
        try:
            params, _ = parse_body(request.headers.get("content-type"), await request.body(), {})
            user = chat.members.get(str(params.get("sender") or "")) or next(
                iter(chat.members.values()))
            if params.get("data") == PAY_BUTTON:  # Pay on an invoice: Telegram's payment flow
                self.tg.pay(chat.chat_id, int(params["message_id"]), user=user)
            else:
                self.tg.press_button(chat.chat_id, int(params["message_id"]),
                                     str(params["data"]), user=user)
        except (ApiError, KeyError, TypeError, ValueError):
            return _refused("That button is gone.")
        return JSONResponse({"ok": True})

    async def file(self, request: Request) -> Response:
        stored = self.tg.world.files.get(request.path_params["file_id"])
        if stored is None:
            return Response(status_code=404)
        mime = stored.mime_type or ("image/jpeg" if stored.kind in ("photo", "thumbnail")
                                    else "application/octet-stream")
        headers = {"Cache-Control": "private, max-age=3600"}
        if stored.kind == "document":
            headers["Content-Disposition"] = f'attachment; filename="{_ascii(stored)}"'
        if stored.path is not None:
            return FileResponse(stored.path, media_type=mime, headers=headers)
        return Response(stored.read(), media_type=mime, headers=headers)


def _refused(error: str) -> Response:
    return JSONResponse({"ok": False, "error": error})


def _mime(upload: Upload) -> str:
    given = upload.content_type or ""
    if given and given != "application/octet-stream":
        return given
    guessed = mimetypes.guess_type(upload.filename or "")[0]
    return guessed or "application/octet-stream"


def _kind(upload: Upload) -> str:
    mime = _mime(upload)
    if mime.startswith("image/") and mime != "image/gif":
        return "photo"
    if mime.startswith("video/") or mime == "image/gif":
        return "video"
    return "document"


def _ascii(stored: Any) -> str:
    name = str(stored.file_name or "file")
    return "".join(c if c.isascii() and c.isprintable() and c != '"' else "_" for c in name)
