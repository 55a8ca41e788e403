"""The fake server's world: users, chats, messages, files, pending updates, recorded calls.

Everything here is guarded by one lock because the test thread injects updates while the
server thread answers the bot.
"""

from __future__ import annotations

import copy
import mimetypes
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.sandbox.tg_media import StoredFile, Thumb, new_file, photo_sizes, probe_video
from bot.sandbox.tg_text import find_entities
from bot.sandbox.tg_wire import Call

# Telegram only sends these when asked for them explicitly in allowed_updates.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_PHOTO_EXT = frozenset({".jpg", ".jpeg", ".png", ".webp"})


@dataclass
class Checkout:
    """A pre-checkout query the bot has been sent (see tg_payments)."""

    user: dict[str, Any]
    chat_id: int | None  # where the successful_payment goes; None: paid through a link
    currency: str
    total: int
    payload: str
    sent_at: float  # monotonic
    answer: dict[str, Any] | None = None


@dataclass
class Payments:
    window: float = 10.0  # seconds Telegram waits for answerPreCheckoutQuery
    queries: dict[str, Checkout] = field(default_factory=dict)
    charges: dict[str, dict[str, Any]] = field(default_factory=dict)  # charge id -> payment
    invoices: dict[tuple[int, int], str] = field(default_factory=dict)  # message -> payload
    links: list[str] = field(default_factory=list)


def _bot_first_name(username: str) -> str:
    return " ".join(w.capitalize() for w in username.split("_"))


@dataclass
class Fault:
    """The next `times` calls of a method fail: with an HTTP `status` and Telegram's
    `description`, or (`drop`) by the connection closing halfway through the answer, as a
    network failure looks to the client. A failed call changes nothing here."""

    times: int
    status: int = 500
    description: str = "Internal Server Error"
    drop: bool = False

    def take(self) -> bool:
        if self.times <= 0:
            return False
        self.times -= 1
        return True


class World:
    def __init__(self, token: str, bot_username: str, *, local_mode: bool,
                 privacy_mode: bool) -> None:
        self.lock = threading.RLock()
        self.token = token
        self.local_mode = local_mode
        self.privacy_mode = privacy_mode
        self.allow_http_webhook = False
        bot_id = int(token.split(":", 1)[0])
        self.bot_from: dict[str, Any] = {"id": bot_id, "is_bot": True,
                                         "first_name": _bot_first_name(bot_username),
                                         "username": bot_username}
        self.bot_user: dict[str, Any] = {
            **self.bot_from, "can_join_groups": True,
            "can_read_all_group_messages": not privacy_mode, "supports_inline_queries": False,
            "can_connect_to_business": False, "has_main_web_app": False,
        }
        self.users: dict[int, dict[str, Any]] = {}
        self.chats: dict[int, dict[str, Any]] = {}
        self.members: dict[int, dict[int, str]] = {}
        self.blocked: set[int] = set()
        self.messages: dict[int, dict[int, dict[str, Any]]] = {}
        self.next_message_id: dict[int, int] = {}
        self.bot_sent: dict[int, list[int]] = {}
        self.deleted: dict[int, dict[int, dict[str, Any]]] = {}
        self.local_dir: Path | None = None
        self.files: dict[str, StoredFile] = {}
        self.by_path: dict[str, StoredFile] = {}
        self.updates: list[dict[str, Any]] = []
        self.next_update_id = 10_001
        self.allowed_updates: list[str] = []
        self.webhook: dict[str, Any] | None = None
        self.webhook_error: tuple[int, str] | None = None
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.queries: dict[str, dict[str, Any]] = {}
        self.calls: list[Call] = []
        self.flood: dict[str, list[int]] = {}
        # False: behave like an older Bot API server, which cannot put media into a text
        # message with editMessageMedia ("there is no media in the message to edit").
        self.media_into_text = True
        # Injected failures by method (or "*"): the next `times` calls fail as given.
        self.faults: dict[str, Fault] = {}
        # The parse_mode each bot message's text or caption was last set with: the message
        # keeps its markup (see tg_methods.entities_for), and the sandbox page renders it.
        self.parse_modes: dict[tuple[int, int], str | None] = {}
        self.on_update: Callable[[], None] = lambda: None
        self.payments = Payments()

    # ---- users and chats -------------------------------------------------------------
    def user(self, user_id: int, first_name: str, username: str | None,
             language_code: str = "en") -> dict[str, Any]:
        with self.lock:
            u: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name,
                                 "language_code": language_code}
            if username:
                u["username"] = username
            self.users[user_id] = u
            return dict(u)

    def default_user(self, chat_id: int) -> dict[str, Any]:
        with self.lock:
            if chat_id > 0:
                if chat_id in self.users:
                    return dict(self.users[chat_id])
                if chat_id == 1001:
                    return self.user(1001, "Ada", "ada")
                return self.user(chat_id, f"User{chat_id}", f"user{chat_id}")
            return dict(self.users.get(1001) or self.user(1001, "Ada", "ada"))

    def chat(self, chat_id: int, *, user: dict[str, Any] | None = None,
             chat_type: str | None = None, title: str | None = None,
             is_forum: bool | None = None) -> dict[str, Any]:
        with self.lock:
            chat = self.chats.get(chat_id)
            if chat is None:
                kind = chat_type or ("private" if chat_id > 0 else "supergroup")
                if kind == "private":
                    u = user or self.default_user(chat_id)
                    chat = {"id": chat_id, "first_name": u["first_name"], "type": "private"}
                    if u.get("username"):
                        chat["username"] = u["username"]
                else:
                    chat = {"id": chat_id, "title": title or f"Test group {abs(chat_id)}",
                            "type": kind}
                self.chats[chat_id] = chat
                self.messages[chat_id] = {}
                self.next_message_id[chat_id] = 1
                self.members[chat_id] = {self.bot_from["id"]: "member"}
            if title and chat["type"] != "private":
                chat["title"] = title
            if is_forum and chat["type"] == "supergroup":
                chat["is_forum"] = True
            return chat

    def join(self, chat_id: int, user: dict[str, Any]) -> None:
        members = self.members[chat_id]
        if user["id"] not in members:
            # The first human seen in a group is taken to be the one who created it.
            has_owner = "creator" in members.values()
            group = self.chats[chat_id]["type"] != "private"
            members[user["id"]] = "creator" if group and not has_owner else "member"

    # ---- messages --------------------------------------------------------------------
    def store(self, chat_id: int, msg: dict[str, Any]) -> dict[str, Any]:
        self.messages[chat_id][msg["message_id"]] = msg
        return msg

    def note_parse_mode(self, msg: dict[str, Any], p: dict[str, Any] | None) -> None:
        mode = p.get("parse_mode") if p else None
        key = (msg["chat"]["id"], msg["message_id"])
        self.parse_modes[key] = mode if isinstance(mode, str) and mode else None

    def take_id(self, chat_id: int) -> int:
        mid = self.next_message_id[chat_id]
        self.next_message_id[chat_id] = mid + 1
        return mid

    def find(self, chat_id: int, message_id: Any) -> dict[str, Any] | None:
        if not isinstance(message_id, int):
            return None
        return self.messages.get(chat_id, {}).get(message_id)

    @staticmethod
    def embedded(msg: dict[str, Any]) -> dict[str, Any]:
        """A message as Telegram nests it in another one: one level deep only."""
        out = copy.deepcopy(msg)
        out.pop("reply_to_message", None)
        return out

    def topic_root(self, chat_id: int, thread_id: int) -> dict[str, Any]:
        """The forum_topic_created service message a topic hangs off (its id is the thread
        id); real Telegram shows it as reply_to_message of topic messages that reply to
        nothing else."""
        chat = self.chat(chat_id, is_forum=True)
        root = self.find(chat_id, thread_id)
        if root is None:
            root = self.store(chat_id, {
                "message_id": thread_id, "from": self.default_user(-1), "chat": dict(chat),
                "date": int(time.time()), "message_thread_id": thread_id,
                "forum_topic_created": {"name": f"Topic {thread_id}", "icon_color": 7322096},
                "is_topic_message": True,
            })
            self.next_message_id[chat_id] = max(self.next_message_id[chat_id], thread_id + 1)
        return root

    def new_message(self, chat_id: int, sender: dict[str, Any], *, reply_to: int | None,
                    thread_id: int | None) -> dict[str, Any]:
        chat = self.chats[chat_id]
        msg: dict[str, Any] = {"message_id": 0, "from": dict(sender), "chat": dict(chat),
                               "date": int(time.time())}
        target = None
        if thread_id is not None and chat["type"] == "supergroup":
            target = self.topic_root(chat_id, thread_id)
            msg["chat"] = dict(self.chats[chat_id])
            msg["message_thread_id"] = thread_id
            msg["is_topic_message"] = True
        if reply_to is not None:
            target = self.find(chat_id, reply_to)
            if target is None:
                raise ValueError(f"no message {reply_to} in chat {chat_id} to reply to")
        msg["message_id"] = self.take_id(chat_id)
        if target is not None:
            msg["reply_to_message"] = self.embedded(target)
        return msg

    # ---- updates ---------------------------------------------------------------------
    def push_update(self, kind: str, payload: Any) -> dict[str, Any]:
        with self.lock:
            update = {"update_id": self.next_update_id, kind: copy.deepcopy(payload)}
            self.next_update_id += 1
            self.updates.append(update)
        self.on_update()
        return update

    def wanted(self, update: dict[str, Any]) -> bool:
        kind = next(k for k in update if k != "update_id")
        if self.allowed_updates:
            return kind in self.allowed_updates
        return kind not in _OPT_IN_UPDATES

    def take_updates(self, offset: int, limit: int) -> list[dict[str, Any]]:
        with self.lock:
            if offset < 0:
                self.updates = self.updates[offset:]
            elif offset:
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
            self.updates = [u for u in self.updates if self.wanted(u)]
            return copy.deepcopy(self.updates[:limit])

    def _visible_to_bot(self, msg: dict[str, Any]) -> bool:
        """Privacy mode: in groups the bot only sees commands, replies to it, mentions."""
        if not self.privacy_mode or msg["chat"]["type"] == "private":
            return True
        text = msg.get("text") or msg.get("caption") or ""
        name = self.bot_from["username"]
        for e in msg.get("entities") or msg.get("caption_entities") or []:
            chunk = text.encode("utf-16-le")[2 * e["offset"] : 2 * (e["offset"] + e["length"])]
            word = chunk.decode("utf-16-le")
            if e["type"] == "bot_command" and ("@" not in word or word.endswith("@" + name)):
                return True
            if e["type"] == "mention" and word[1:].lower() == name.lower():
                return True
        replied = msg.get("reply_to_message") or {}
        return bool(replied.get("from", {}).get("id") == self.bot_from["id"]
                    and not replied.get("forum_topic_created"))

    # ---- injected user activity ------------------------------------------------------
    def user_message(self, chat_id: int, *, user: dict[str, Any] | None, reply_to: int | None,
                     chat_type: str | None, thread_id: int | None,
                     fill: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
        with self.lock:
            if chat_id > 0 and user is not None and user["id"] != chat_id:
                raise ValueError("in a private chat the chat id is the user's id")
            sender = user or self.default_user(chat_id)
            self.users.setdefault(sender["id"], dict(sender))
            self.chat(chat_id, user=sender, chat_type=chat_type)
            self.join(chat_id, sender)
            self.blocked.discard(chat_id)
            msg = self.new_message(chat_id, sender, reply_to=reply_to, thread_id=thread_id)
            fill(msg)
            self.store(chat_id, msg)
            visible = self._visible_to_bot(msg)
        if visible:
            self.push_update("message", msg)
        return copy.deepcopy(msg)

    def add_file(self, f: StoredFile) -> StoredFile:
        with self.lock:
            self.files[f.file_id] = f
            if f.thumbnail is not None:
                self.files[f.thumbnail.file_id] = f.thumbnail
        return f

    def seed_file(self, data: bytes | Path, mime_type: str | None,
                  file_name: str | None) -> StoredFile:
        path = data if isinstance(data, Path) else None
        name = file_name or (path.name if path else None)
        mime = mime_type or (mimetypes.guess_type(name)[0] if name else None)
        kind = "video" if (mime or "").startswith("video/") else "document"
        if (mime or "").startswith("image/"):
            kind = "photo"
        f = new_file(kind, data=None if path else bytes(data), path=path, mime_type=mime,
                     file_name=name)
        return self.add_file(f)

    def video_file(self, path: Path, kind: str, mime_type: str | None,
                   file_name: str | None) -> StoredFile:
        width, height, seconds, thumb = probe_video(path)
        mime = mime_type or mimetypes.guess_type(path.name)[0] or "video/mp4"
        f = new_file(kind, path=path, mime_type=mime, file_name=file_name or path.name,
                     width=width, height=height, duration=seconds)
        if thumb:
            f.thumbnail = new_file("thumbnail", data=thumb[2], width=thumb[0], height=thumb[1])
        return self.add_file(f)

    def photo_files(self, source: bytes | Path) -> list[StoredFile]:
        probed = photo_sizes(source)
        if probed is None:
            raise ValueError("not an image")
        return self.add_photo_set(probed[2])

    def add_photo_set(self, ladder: list[Thumb]) -> list[StoredFile]:
        files = [new_file("photo", data=data, width=w, height=h) for w, h, data in ladder]
        for f in files:
            f.photo_set = files
            self.add_file(f)
        return files

    def callback(self, chat_id: int, message_id: int, data: str, user: dict[str, Any] | None,
                 strict: bool) -> str:
        with self.lock:
            msg = self.find(chat_id, message_id)
            if msg is None:
                raise ValueError(f"no message {message_id} in chat {chat_id}")
            if strict:
                rows = (msg.get("reply_markup") or {}).get("inline_keyboard", [])
                if not any(b.get("callback_data") == data for row in rows for b in row):
                    raise ValueError(f"message {message_id} has no button with data {data!r}")
            sender = user or self.default_user(chat_id)
            self.users.setdefault(sender["id"], dict(sender))
            qid = str(secrets.randbits(62))
            query = {"id": qid, "from": dict(sender), "message": copy.deepcopy(msg),
                     "chat_instance": str(abs(hash((chat_id, self.token))) % 10**19),
                     "data": data}
            self.queries[qid] = {"answered": False, "answer": None}
        self.push_update("callback_query", query)
        return qid

    def media_group_id(self) -> str:
        return str(13_000_000_000_000_000 + secrets.randbelow(10**15))

    def album_kind(self, path: Path) -> str:
        return "photo" if path.suffix.lower() in _PHOTO_EXT else "video"

    def caption_fields(self, msg: dict[str, Any], caption: str | None) -> None:
        if caption:
            msg["caption"] = caption
            entities = find_entities(caption)
            if entities:
                msg["caption_entities"] = entities

