"""Bot API methods that do not move media: messages, edits, chats, commands, callbacks.

Handlers run with the world's lock held (see tg_server.dispatch) and raise ApiError with the
exact descriptions and status codes the real Bot API uses.
"""

from __future__ import annotations

import copy
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.tg_state import World
from bot.sandbox.tg_text import find_entities, utf16_len, visible_text
from bot.sandbox.tg_wire import ApiError, Upload, bad_request

NOT_MODIFIED = ("message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message")
_ACTIONS = frozenset({
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note",
    "upload_video_note",
})
_BUTTON_ACTIONS = ("url", "callback_data", "web_app", "login_url", "switch_inline_query",
                   "switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
                   "copy_text", "callback_game", "pay")


@dataclass
class Req:
    params: dict[str, Any]
    uploads: dict[str, Upload] = field(default_factory=dict)
    # Bytes the server obtained for a field other than by upload (file://, http URL).
    fetched: dict[str, bytes] = field(default_factory=dict)


Handler = Callable[[World, Req], Any]


def _int(p: dict[str, Any], name: str) -> int | None:
    v = p.get(name)
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, str) and re.fullmatch(r"-?\d+", v.strip()):
        return int(v)
    return None


def chat_of(w: World, p: dict[str, Any], *, writing: bool = True) -> dict[str, Any]:
    raw = p.get("chat_id")
    if raw is None or raw == "":
        raise bad_request("chat_id is empty")
    chat_id = _int(p, "chat_id")
    if chat_id is None:
        name = str(raw).lstrip("@").lower()
        chat_id = next((c for c, v in w.chats.items()
                        if str(v.get("username", "")).lower() == name), None)
    if chat_id is None or chat_id not in w.chats:
        if chat_id is not None and chat_id in w.users:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        raise bad_request("chat not found")
    if writing and chat_id in w.blocked:
        raise ApiError(403, "Forbidden: bot was blocked by the user")
    return w.chats[chat_id]


def check_text(text: Any, parse_mode: Any, *, caption: bool) -> str | None:
    if text is None or text == "":
        if caption:
            return None
        raise bad_request("message text is empty")
    raw = str(text)
    shown = visible_text(raw, parse_mode if isinstance(parse_mode, str) else None)
    if not shown.strip():
        if caption:
            return None
        raise bad_request("message text is empty")
    if utf16_len(shown) > (1024 if caption else 4096):
        raise bad_request("message caption is too long" if caption else "message is too long")
    return raw


def entities_for(text: str, p: dict[str, Any], key: str) -> list[dict[str, Any]]:
    # With a parse mode the stored text keeps its markup, so computed offsets would lie.
    if p.get("parse_mode"):
        return []
    given = p.get(key)
    return given if isinstance(given, list) else find_entities(text)


def inline_markup(p: dict[str, Any]) -> dict[str, Any] | None:
    """Validate reply_markup; only inline keyboards are kept on the message (as Telegram)."""
    markup = p.get("reply_markup")
    if markup is None or markup == "":
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        return None
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup should be an '
                          "Array of Arrays")
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                raise bad_request('can\'t parse inline keyboard button: Field "text" must be '
                                  "of type String")
            actions = [a for a in _BUTTON_ACTIONS if a in button]
            if not actions:
                raise bad_request("can't parse inline keyboard button: Text buttons are "
                                  "unallowed in the inline keyboard")
            if "callback_data" in button:
                data = button["callback_data"]
                if not isinstance(data, str) or not 1 <= len(data.encode()) <= 64:
                    raise bad_request("BUTTON_DATA_INVALID")
            if "url" in button and not str(button["url"]).strip():
                raise bad_request("BUTTON_URL_INVALID")
    return {"inline_keyboard": rows}


def outgoing(w: World, p: dict[str, Any], chat: dict[str, Any]) -> dict[str, Any]:
    """A new bot message skeleton: id, sender, chat, date, reply and topic fields."""
    chat_id = chat["id"]
    reply_to = None
    allow = bool(p.get("allow_sending_without_reply"))
    rp = p.get("reply_parameters")
    if isinstance(rp, dict):
        reply_to = _int(rp, "message_id")
        allow = bool(rp.get("allow_sending_without_reply", allow))
    elif p.get("reply_to_message_id") is not None:
        reply_to = _int(p, "reply_to_message_id")
    if reply_to is not None and w.find(chat_id, reply_to) is None:
        if not allow:
            raise bad_request("message to be replied not found")
        reply_to = None
    thread = _int(p, "message_thread_id") if chat.get("is_forum") else None
    if thread is not None and w.find(chat_id, thread) is None:
        raise bad_request("message thread not found")
    msg = w.new_message(chat_id, w.bot_from, reply_to=reply_to, thread_id=thread)
    if p.get("protect_content"):
        msg["has_protected_content"] = True
    if isinstance(p.get("link_preview_options"), dict):
        msg["link_preview_options"] = p["link_preview_options"]
    return msg


def keep(w: World, msg: dict[str, Any], p: dict[str, Any] | None = None) -> dict[str, Any]:
    chat_id = msg["chat"]["id"]
    w.store(chat_id, msg)
    w.bot_sent.setdefault(chat_id, []).append(msg["message_id"])
    w.note_parse_mode(msg, p)
    return copy.deepcopy(msg)


def send_message(w: World, r: Req) -> Any:
    p = r.params
    chat = chat_of(w, p)
    text = check_text(p.get("text"), p.get("parse_mode"), caption=False)
    assert text is not None
    markup = inline_markup(p)
    msg = outgoing(w, p, chat)
    msg["text"] = text
    if entities := entities_for(text, p, "entities"):
        msg["entities"] = entities
    if markup:
        msg["reply_markup"] = markup
    return keep(w, msg, p)


def editable(w: World, p: dict[str, Any]) -> dict[str, Any]:
    if p.get("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    chat = chat_of(w, p)
    msg = w.find(chat["id"], _int(p, "message_id"))
    if msg is None:
        raise bad_request("message to edit not found")
    if msg["from"]["id"] != w.bot_from["id"]:
        raise bad_request("message can't be edited")
    return msg


def _apply_edit(msg: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    if all(msg.get(k) == v for k, v in changes.items()):
        raise bad_request(NOT_MODIFIED)
    for k, v in changes.items():
        if v is None:
            msg.pop(k, None)
        else:
            msg[k] = v
    msg["edit_date"] = int(time.time())
    return copy.deepcopy(msg)


def edit_message_text(w: World, r: Req) -> Any:
    p = r.params
    msg = editable(w, p)
    text = check_text(p.get("text"), p.get("parse_mode"), caption=False)
    assert text is not None
    if "text" not in msg:
        raise bad_request("there is no text in the message to edit")
    # Leaving reply_markup out of an edit removes the keyboard, as on the real server.
    out = _apply_edit(msg, {"text": text, "entities": entities_for(text, p, "entities") or None,
                            "reply_markup": inline_markup(p)})
    w.note_parse_mode(msg, p)
    return out


def edit_message_caption(w: World, r: Req) -> Any:
    p = r.params
    msg = editable(w, p)
    if "text" in msg:
        raise bad_request("there is no caption in the message to edit")
    caption = check_text(p.get("caption"), p.get("parse_mode"), caption=True)
    ents = entities_for(caption, p, "caption_entities") if caption else []
    out = _apply_edit(msg, {"caption": caption, "caption_entities": ents or None,
                            "reply_markup": inline_markup(p)})
    w.note_parse_mode(msg, p)
    return out


def edit_message_reply_markup(w: World, r: Req) -> Any:
    msg = editable(w, r.params)
    return _apply_edit(msg, {"reply_markup": inline_markup(r.params)})


def delete_message(w: World, r: Req) -> Any:
    chat = chat_of(w, r.params, writing=False)
    msg = w.find(chat["id"], _int(r.params, "message_id"))
    if msg is None:
        raise bad_request("message to delete not found")
    mine = msg["from"]["id"] == w.bot_from["id"]
    admin = w.members[chat["id"]].get(w.bot_from["id"]) in ("administrator", "creator")
    if not mine and chat["type"] != "private" and not admin:
        raise bad_request("message can't be deleted")
    del w.messages[chat["id"]][msg["message_id"]]
    w.deleted.setdefault(chat["id"], {})[msg["message_id"]] = msg
    return True


def send_chat_action(w: World, r: Req) -> Any:
    chat_of(w, r.params)
    if r.params.get("action") not in _ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


def answer_callback_query(w: World, r: Req) -> Any:
    query = w.queries.get(str(r.params.get("callback_query_id", "")))
    if query is None or query["answered"]:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    if len(str(r.params.get("text") or "")) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    query["answered"] = True
    query["answer"] = dict(r.params)
    return True


def command_key(p: dict[str, Any]) -> str:
    scope = p.get("scope") if isinstance(p.get("scope"), dict) else {"type": "default"}
    return json.dumps(scope, sort_keys=True) + "|" + str(p.get("language_code") or "")


def set_my_commands(w: World, r: Req) -> Any:
    commands = r.params.get("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("can't parse commands JSON object")
    for c in commands:
        if not isinstance(c, dict) or not re.fullmatch(r"[a-z0-9_]{1,32}", str(c.get("command"))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(c.get("description") or "")) <= 256:
            raise bad_request("command description is empty")
    w.commands[command_key(r.params)] = [
        {"command": c["command"], "description": c["description"]} for c in commands]
    return True


def get_my_commands(w: World, r: Req) -> Any:
    return copy.deepcopy(w.commands.get(command_key(r.params), []))


def delete_my_commands(w: World, r: Req) -> Any:
    w.commands.pop(command_key(r.params), None)
    return True


def get_chat(w: World, r: Req) -> Any:
    chat = chat_of(w, r.params, writing=False)
    gifts = dict.fromkeys(("unlimited_gifts", "limited_gifts", "unique_gifts",
                           "premium_subscription", "gifts_from_channels"), False)
    return {**chat, "accent_color_id": 0, "max_reaction_count": 11,
            "accepted_gift_types": gifts}


def _member(w: World, chat_id: int, user_id: int, status: str) -> dict[str, Any]:
    user = dict(w.bot_from) if user_id == w.bot_from["id"] else dict(w.users[user_id])
    user.pop("language_code", None)
    out: dict[str, Any] = {"status": status, "user": user}
    if status == "creator":
        out["is_anonymous"] = False
    elif status == "administrator":
        out |= {"can_be_edited": False, "is_anonymous": False}
        out |= dict.fromkeys(("can_manage_chat", "can_delete_messages", "can_manage_video_chats",
                              "can_restrict_members", "can_change_info", "can_invite_users",
                              "can_post_stories", "can_edit_stories", "can_delete_stories",
                              "can_pin_messages"), True)
        out["can_promote_members"] = False
    return out


def get_chat_member(w: World, r: Req) -> Any:
    chat = chat_of(w, r.params, writing=False)
    user_id = _int(r.params, "user_id")
    if user_id is None or (user_id not in w.users and user_id != w.bot_from["id"]):
        raise bad_request("user not found")
    if chat["type"] == "private" and user_id not in (chat["id"], w.bot_from["id"]):
        raise bad_request("user not found")
    status = w.members[chat["id"]].get(user_id, "left")
    return _member(w, chat["id"], user_id, status)


def get_chat_administrators(w: World, r: Req) -> Any:
    chat = chat_of(w, r.params, writing=False)
    if chat["type"] == "private":
        raise bad_request("there are no administrators in the private chat")
    return [_member(w, chat["id"], uid, s) for uid, s in w.members[chat["id"]].items()
            if s in ("creator", "administrator")]


def _true(w: World, r: Req) -> Any:
    return True


def get_me(w: World, r: Req) -> Any:
    return dict(w.bot_user)


_WEBHOOK_PORTS = (80, 88, 443, 8443)


def set_webhook(w: World, r: Req) -> Any:
    p = r.params
    url = str(p.get("url") or "")
    if not url:
        return delete_webhook(w, r)
    m = re.match(r"^(https?)://[^/:]+(?::(\d+))?", url)
    if m is None:
        raise bad_request("bad webhook: Failed to resolve host: Name or service not known")
    if not (w.local_mode or w.allow_http_webhook):
        if m.group(1) != "https":
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if m.group(2) and int(m.group(2)) not in _WEBHOOK_PORTS:
            raise bad_request("bad webhook: Webhook can be set up only on ports 80, 88, 443 "
                              "or 8443")
    secret = p.get("secret_token")
    if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
        raise bad_request("secret token contains unallowed characters")
    if p.get("drop_pending_updates"):
        w.updates.clear()
    if isinstance(p.get("allowed_updates"), list):
        w.allowed_updates = list(p["allowed_updates"])
    w.webhook = {"url": url, "secret_token": secret,
                 "max_connections": _int(p, "max_connections") or 40}
    w.webhook_error = None
    return True


def delete_webhook(w: World, r: Req) -> Any:
    if r.params.get("drop_pending_updates"):
        w.updates.clear()
    w.webhook = None
    return True


def get_webhook_info(w: World, r: Req) -> Any:
    hook = w.webhook
    info: dict[str, Any] = {"url": hook["url"] if hook else "", "has_custom_certificate": False,
                            "pending_update_count": len(w.updates)}
    if hook:
        info["max_connections"] = hook["max_connections"]
        if w.allowed_updates:
            info["allowed_updates"] = list(w.allowed_updates)
    if w.webhook_error:
        info["last_error_date"], info["last_error_message"] = w.webhook_error
    return info


# Methods that need no real behaviour here but that a bot may call; they answer True.
NO_OPS = ("setMessageReaction", "setMyDescription", "setMyShortDescription", "setMyName",
          "setChatMenuButton", "pinChatMessage", "unpinChatMessage", "unpinAllChatMessages",
          "setMyDefaultAdministratorRights", "leaveChat", "close", "logOut")

LIGHT: dict[str, Handler] = {
    "getMe": get_me,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "sendMessage": send_message,
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "sendChatAction": send_chat_action,
    "answerCallbackQuery": answer_callback_query,
    "getChat": get_chat,
    "getChatMember": get_chat_member,
    "getChatAdministrators": get_chat_administrators,
    **dict.fromkeys(NO_OPS, _true),
}
