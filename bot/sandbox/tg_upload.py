"""Bot API methods that move files: send{Video,Animation,Document,Photo,VideoNote,MediaGroup},
editMessageMedia and getFile. They run in a worker thread so probing never stalls the server's
event loop; they take the world's lock only around the bookkeeping.
"""

from __future__ import annotations

import mimetypes
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import httpx

from bot.sandbox.tg_media import StoredFile, media_fields, new_file, photo_sizes, probe_video
from bot.sandbox.tg_methods import (
    Handler,
    Req,
    _apply_edit,
    _int,
    chat_of,
    check_text,
    editable,
    entities_for,
    inline_markup,
    keep,
    outgoing,
)
from bot.sandbox.tg_state import World
from bot.sandbox.tg_wire import ApiError, bad_request

MB = 1024 * 1024
UPLOAD_LIMIT = 50 * MB
LOCAL_UPLOAD_LIMIT = 2000 * MB
DOWNLOAD_LIMIT = 20 * MB
PHOTO_LIMIT = 10 * MB
URL_LIMIT = 20 * MB
URL_PHOTO_LIMIT = 5 * MB
WRONG_FILE = "wrong file identifier/HTTP URL specified"
_TYPE_NAME = {"photo": "Photo", "video": "Video", "document": "Document",
              "animation": "Animation", "video_note": "VideoNote", "thumbnail": "Photo"}


def _fetch(url: str, limit: int) -> tuple[bytes, str | None]:
    try:
        with httpx.stream("GET", url, timeout=30, follow_redirects=True) as resp:
            if resp.status_code != 200:
                raise bad_request("failed to get HTTP URL content")
            chunks: list[bytes] = []
            size = 0
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise bad_request("failed to get HTTP URL content")
                chunks.append(chunk)
            return b"".join(chunks), resp.headers.get("content-type")
    except httpx.HTTPError as exc:
        raise bad_request("failed to get HTTP URL content") from exc


def _source(w: World, r: Req, value: Any, field: str, kind: str
            ) -> tuple[bytes | None, StoredFile | None, str | None, str | None]:
    """(new bytes, or an already stored file; filename; content type) for one media field."""
    upload = r.uploads.get(field)
    if upload is None and isinstance(value, str) and value.startswith("attach://"):
        upload = r.uploads.get(value.removeprefix("attach://"))
        if upload is None:
            raise bad_request(WRONG_FILE)
    if upload is not None:
        if not upload.data:
            raise bad_request("file must be non-empty")
        if len(upload.data) > (LOCAL_UPLOAD_LIMIT if w.local_mode else UPLOAD_LIMIT):
            raise ApiError(413, "Request Entity Too Large")
        return upload.data, None, upload.filename, upload.content_type
    if value is None or value == "":
        raise bad_request(f"there is no {field} in the request")
    text = str(value)
    if text.startswith("file://"):
        path = Path(unquote(urlparse(text).path))
        if not w.local_mode or not path.is_file():
            raise bad_request(WRONG_FILE)
        data = path.read_bytes()
        r.fetched[field] = data
        return data, None, path.name, None
    if text.startswith(("http://", "https://")):
        data, ctype = _fetch(text, URL_PHOTO_LIMIT if kind == "photo" else URL_LIMIT)
        r.fetched[field] = data
        return data, None, Path(urlparse(text).path).name or None, ctype
    stored = w.files.get(text)
    if stored is None:
        raise bad_request(WRONG_FILE)
    if (stored.kind in ("photo", "thumbnail")) != (kind == "photo"):
        raise bad_request(f"can't use file of type {_TYPE_NAME[stored.kind]} as "
                          f"{_TYPE_NAME[kind]}")
    return None, stored, None, None


def _ingest(w: World, kind: str, data: bytes, filename: str | None, ctype: str | None,
            p: dict[str, Any]) -> StoredFile:
    guessed = mimetypes.guess_type(filename)[0] if filename else None
    if kind == "photo":
        if len(data) > PHOTO_LIMIT:
            raise bad_request("PHOTO_SAVE_FILE_INVALID")
        probed = photo_sizes(data)
        if probed is None:
            raise bad_request("IMAGE_PROCESS_FAILED")
        width, height, ladder = probed
        if width + height > 10_000 or max(width, height) > 20 * min(width, height):
            raise bad_request("PHOTO_INVALID_DIMENSIONS")
        return w.add_photo_set(ladder)[-1]
    if kind == "document":
        mime = (ctype if ctype and ctype != "application/octet-stream" else guessed)
        return w.add_file(new_file("document", data=data, file_name=filename,
                                   mime_type=mime or "application/octet-stream"))
    width, height, seconds, thumb = probe_video(data)
    # Like the real server, trust the dimensions the uploader states over the file.
    width = _int(p, "width") or _int(p, "length") or width
    height = _int(p, "height") or _int(p, "length") or height
    seconds = _int(p, "duration") or seconds
    mime = ctype if ctype and ctype.startswith("video/") else (guessed or "video/mp4")
    f = new_file(kind, data=data, file_name=filename if kind != "video_note" else None,
                 mime_type=mime, width=width, height=height, duration=seconds)
    if thumb:
        f.thumbnail = new_file("thumbnail", data=thumb[2], width=thumb[0], height=thumb[1])
    return w.add_file(f)


def _media_message(w: World, r: Req, kind: str, value: Any, field: str,
                   p: dict[str, Any], group: str | None = None) -> dict[str, Any]:
    with w.lock:
        chat = chat_of(w, r.params)
        caption = check_text(p.get("caption"), p.get("parse_mode"), caption=True)
        markup = inline_markup(r.params)
    data, stored, filename, ctype = _source(w, r, value, field, kind)
    f = stored if stored is not None else _ingest(w, kind, data or b"", filename, ctype, p)
    with w.lock:
        msg = outgoing(w, r.params, chat)
        if group:
            msg["media_group_id"] = group
        msg |= media_fields(f, kind)
        if caption:
            msg["caption"] = caption
            if ents := entities_for(caption, p, "caption_entities"):
                msg["caption_entities"] = ents
        if p.get("show_caption_above_media"):
            msg["show_caption_above_media"] = True
        if p.get("has_spoiler"):
            msg["has_media_spoiler"] = True
        if markup:
            msg["reply_markup"] = markup
        return keep(w, msg, p)


def send_media(kind: str) -> Handler:
    def handler(w: World, r: Req) -> Any:
        return _media_message(w, r, kind, r.params.get(kind), kind, r.params)

    return handler


def send_media_group(w: World, r: Req) -> Any:
    media = r.params.get("media")
    if not isinstance(media, list) or not media:
        raise bad_request("media is empty" if not media else "can't parse media JSON object")
    group = w.media_group_id()
    out = []
    for item in media:
        kind = item.get("type") if isinstance(item, dict) else None
        if kind not in ("photo", "video", "document", "animation"):
            raise bad_request("wrong type of the media")
        out.append(_media_message(w, r, kind, item.get("media"), "media", item, group))
    return out


# Every field that holds a message's content: an edit of its media replaces all of them.
_CONTENT = ("text", "entities", "link_preview_options", "photo", "video", "animation",
            "document", "audio", "voice", "video_note", "sticker", "caption",
            "caption_entities", "show_caption_above_media", "has_media_spoiler")
_EDITABLE_KINDS = ("photo", "video", "animation", "document", "audio")


def edit_message_media(w: World, r: Req) -> Any:
    """Replace a message's media, or add media to a text message (the Bot API allows both):
    the file, the caption (from the InputMedia) and the keyboard, as one edit."""
    p = r.params
    item = p.get("media")
    if not isinstance(item, dict):
        raise bad_request("can't parse input media JSON object")
    kind = item.get("type")
    if kind not in _EDITABLE_KINDS:
        raise bad_request("can't parse InputMedia: media type is not supported")
    with w.lock:
        if "text" in editable(w, p) and not w.media_into_text:
            raise bad_request("there is no media in the message to edit")
        caption = check_text(item.get("caption"), item.get("parse_mode"), caption=True)
        markup = inline_markup(p)
    data, stored, filename, ctype = _source(w, r, item.get("media"), "media", kind)
    f = stored if stored is not None else _ingest(w, kind, data or b"", filename, ctype, item)
    with w.lock:
        msg = editable(w, p)  # looked up again: it may have been deleted during the upload
        if msg.get("media_group_id") and kind not in ("photo", "video"):
            raise bad_request("can't edit media in an album to this type")
        changes: dict[str, Any] = dict.fromkeys(_CONTENT)
        changes |= media_fields(f, kind)
        if caption:
            changes["caption"] = caption
            changes["caption_entities"] = entities_for(caption, item, "caption_entities") or None
        if item.get("show_caption_above_media"):
            changes["show_caption_above_media"] = True
        if item.get("has_spoiler"):
            changes["has_media_spoiler"] = True
        changes["reply_markup"] = markup
        out = _apply_edit(msg, changes)
        w.note_parse_mode(msg, item)
        return out


def get_file(w: World, r: Req) -> Any:
    f = w.files.get(str(r.params.get("file_id") or ""))
    if f is None:
        raise bad_request("invalid file_id")
    if not w.local_mode and f.size > DOWNLOAD_LIMIT:
        raise bad_request("file is too big")
    with w.lock:
        if f.file_path is None:
            rel = f.default_path()
            if w.local_mode:
                # telegram-bot-api --local hands out absolute paths in its working directory.
                assert w.local_dir is not None
                dest = w.local_dir / w.token.replace(":", "_") / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                if f.path is not None:
                    shutil.copyfile(f.path, dest)
                else:
                    dest.write_bytes(f.read())
                f.file_path = str(dest)
            else:
                f.file_path = rel
            w.by_path[f.file_path] = f
    return {"file_id": f.file_id, "file_unique_id": f.file_unique_id, "file_size": f.size,
            "file_path": f.file_path}


HEAVY: dict[str, Handler] = {
    "sendVideo": send_media("video"),
    "sendAnimation": send_media("animation"),
    "sendDocument": send_media("document"),
    "sendPhoto": send_media("photo"),
    "sendVideoNote": send_media("video_note"),
    "sendMediaGroup": send_media_group,
    "editMessageMedia": edit_message_media,
    "getFile": get_file,
}
