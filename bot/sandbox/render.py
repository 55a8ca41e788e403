"""Messages of the emulated world as the sandbox page shows them: safe HTML, media links,
the quoted message a reply answers, inline keyboards.

Bot texts keep the markup they were sent with (see `World.parse_modes`); Telegram's HTML
subset is rebuilt here from an allow-list, so nothing a user typed can become markup.
"""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser
from typing import Any

from bot.sandbox.tg_state import World

_SIMPLE = {"b": "b", "strong": "b", "i": "i", "em": "i", "u": "u", "ins": "u", "s": "s",
           "strike": "s", "del": "s", "code": "code", "pre": "pre", "blockquote": "blockquote"}
_LINKS = ("http://", "https://", "tg://")
_MEDIA = ("video", "animation", "video_note", "document")
PAY_BUTTON = "<pay>"  # what the page sends for an invoice's Pay button (it has no data)


class _TelegramHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.closing: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        href = found.get("href") or ""
        opening, closing = "", ""
        if tag in _SIMPLE:
            opening, closing = f"<{_SIMPLE[tag]}>", f"</{_SIMPLE[tag]}>"
        elif tag == "a" and href.startswith(_LINKS):
            opening = f'<a href="{escape(href)}" target="_blank" rel="noopener">'
            closing = "</a>"
        elif tag == "tg-spoiler" or (tag == "span" and found.get("class") == "tg-spoiler"):
            opening, closing = '<span class="spoiler">', "</span>"
        self.out.append(opening)
        self.closing.append(closing)

    def handle_endtag(self, tag: str) -> None:
        if self.closing:
            self.out.append(self.closing.pop())

    def handle_data(self, data: str) -> None:
        self.out.append(escape(data, quote=False))

    def result(self) -> str:
        return "".join(self.out + self.closing[::-1])


def telegram_html(text: str) -> str:
    """Telegram's HTML parse mode, as safe HTML for the page."""
    parser = _TelegramHtml()
    parser.feed(text)
    parser.close()
    return parser.result()


def file_url(file_id: str) -> str:
    return f"/sandbox/files/{file_id}"


def _media(msg: dict[str, Any]) -> list[dict[str, Any]]:
    if msg.get("photo"):
        largest = msg["photo"][-1]
        return [{"kind": "photo", "url": file_url(largest["file_id"])}]
    for kind in _MEDIA:
        item = msg.get(kind)
        if item:
            name = item.get("file_name") or f"{kind}.mp4"
            shown = "video" if kind in ("animation", "video_note") else kind
            if kind == "document" and str(item.get("mime_type", "")).startswith("video/"):
                shown = "video"
            return [{"kind": shown, "url": file_url(item["file_id"]), "name": name,
                     "size": item.get("file_size", 0)}]
    return []


def _snippet(msg: dict[str, Any]) -> str:
    text = msg.get("text") or msg.get("caption") or ""
    if not text:
        kinds = [k for k in ("photo", *_MEDIA) if msg.get(k)]
        text = kinds[0].replace("_", " ").capitalize() if kinds else "Message"
    return text if len(text) <= 80 else text[:79] + "…"


def _buttons(msg: dict[str, Any]) -> list[list[dict[str, str]]]:
    rows = (msg.get("reply_markup") or {}).get("inline_keyboard") or []
    return [[{"text": str(b.get("text", "")),
              "data": PAY_BUTTON if b.get("pay") else str(b.get("callback_data") or ""),
              "url": str(b.get("url") or "")} for b in row] for row in rows]


def _invoice(invoice: dict[str, Any]) -> str:
    stars = "⭐" if invoice.get("currency") == "XTR" else f" {invoice.get('currency')}"
    return (f"🧾 <b>{escape(str(invoice.get('title')))}</b>\n"
            f"{escape(str(invoice.get('description')))}\n"
            f"{invoice.get('total_amount')}{stars}")


def page_message(w: World, msg: dict[str, Any]) -> dict[str, Any]:
    """One message as the page's script draws it (called with the world's lock held)."""
    chat_id, mid = msg["chat"]["id"], msg["message_id"]
    from_bot = msg["from"]["id"] == w.bot_from["id"]
    text = msg.get("text") or msg.get("caption") or ""
    mode = w.parse_modes.get((chat_id, mid)) if from_bot else None
    html = telegram_html(text) if mode and mode.lower() == "html" else escape(text, quote=False)
    if msg.get("invoice"):
        html = _invoice(msg["invoice"])
    elif msg.get("successful_payment"):
        paid = msg["successful_payment"]
        html = escape(f"Paid {paid.get('total_amount')} ⭐", quote=False)
    out: dict[str, Any] = {
        "id": mid, "from": "bot" if from_bot else "user",
        "sender": msg["from"].get("first_name", ""), "html": html, "media": _media(msg),
        "buttons": _buttons(msg), "edited": "edit_date" in msg,
    }
    replied = msg.get("reply_to_message")
    if replied and not replied.get("forum_topic_created"):
        out["reply"] = {"id": replied["message_id"],
                        "sender": replied.get("from", {}).get("first_name", ""),
                        "snippet": _snippet(replied)}
    return out


def page_messages(w: World, chat_id: int) -> list[dict[str, Any]]:
    with w.lock:
        messages = sorted(w.messages.get(chat_id, {}).values(), key=lambda m: m["message_id"])
        return [page_message(w, m) for m in messages if "forum_topic_created" not in m]
