"""Wire-level pieces of the fake Bot API: errors, recorded calls, request body decoding."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote


class ApiError(Exception):
    """A Bot API failure, rendered as Telegram renders it."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ok": False, "error_code": self.code,
                               "description": self.description}
        if self.retry_after is not None:
            out["parameters"] = {"retry_after": self.retry_after}
        return out


def bad_request(text: str) -> ApiError:
    return ApiError(400, f"Bad Request: {text}")


@dataclass
class Call:
    """One Bot API request the bot made, as the fake saw and answered it."""

    method: str
    params: dict[str, Any]
    files: dict[str, bytes]
    time: float
    # The `result` on success, the whole error body ({"ok": false, ...}) on failure.
    response: Any = None
    ok: bool = True
    status: int = 200
    index: int = -1

    @property
    def error(self) -> str | None:
        if self.ok or not isinstance(self.response, dict):
            return None
        return str(self.response.get("description"))

    def summary(self) -> dict[str, Any]:
        """JSON-safe view for the HTTP control API (upload bytes become sizes)."""
        return {
            "index": self.index,
            "method": self.method,
            "params": self.params,
            "files": {k: len(v) for k, v in self.files.items()},
            "time": self.time,
            "ok": self.ok,
            "status": self.status,
            "response": self.response,
        }


@dataclass
class Upload:
    filename: str | None
    content_type: str | None
    data: bytes = field(repr=False)


# Fields whose form values are plain strings in the Bot API; everything else a form field
# carries is JSON-encoded by clients (PTB sends ints as "42", objects as JSON text).
STRING_FIELDS = frozenset({
    "text", "caption", "parse_mode", "data", "callback_query_id", "url", "secret_token",
    "ip_address", "language_code", "file_id", "action", "title", "description", "name",
    "emoji", "video", "photo", "document", "animation", "audio", "voice", "video_note",
    "sticker", "thumbnail", "cover", "inline_message_id", "query", "custom_title",
    "short_description", "first_name", "last_name", "username", "message_effect_id",
    "business_connection_id", "start_parameter", "payload", "provider_token", "currency",
    "question", "explanation", "address", "foursquare_id", "phone_number", "vcard",
    "game_short_name", "certificate", "media_group_id",
})


def decode_value(name: str, value: Any) -> Any:
    """Give a field its Bot API type: form strings of numbers/booleans/objects are decoded."""
    if not isinstance(value, str) or name in STRING_FIELDS:
        return value
    stripped = value.strip()
    if not stripped:
        return value
    numeric = re.fullmatch(r"-?\d+(\.\d+)?", stripped)
    if stripped[0] in "{[" or stripped in ("true", "false") or numeric:
        try:
            return json.loads(stripped)
        except ValueError:
            return value
    return value


def _media_type(content_type: str) -> tuple[str, dict[str, str]]:
    kind, _, rest = content_type.partition(";")
    params: dict[str, str] = {}
    for m in re.finditer(r'(\w[\w*-]*)\s*=\s*("(?:[^"\\]|\\.)*"|[^;\s]+)', rest):
        v = m.group(2)
        params[m.group(1).lower()] = v[1:-1] if v.startswith('"') else v
    return kind.strip().lower(), params


def _html5_unescape(v: str) -> str:
    # httpx (like browsers) percent-escapes only these characters in part names/filenames.
    return v.replace("%22", '"').replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def parse_multipart(body: bytes, boundary: str) -> tuple[dict[str, str], dict[str, Upload]]:
    fields: dict[str, str] = {}
    files: dict[str, Upload] = {}
    delim = b"--" + boundary.encode("latin-1")
    chunks = body.split(delim)
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break
        if chunk.startswith(b"\r\n"):
            chunk = chunk[2:]
        head, sep, content = chunk.partition(b"\r\n\r\n")
        if not sep:
            continue
        if content.endswith(b"\r\n"):
            content = content[:-2]
        headers: dict[str, str] = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        _, disp = _media_type(headers.get("content-disposition", ""))
        name = _html5_unescape(disp.get("name", ""))
        if "filename" in disp or "filename*" in disp:
            raw = disp.get("filename") or unquote(disp.get("filename*", "").split("''")[-1])
            files[name] = Upload(_html5_unescape(raw), headers.get("content-type"), content)
        else:
            fields[name] = content.decode("utf-8", "replace")
    return fields, files


def parse_body(
    content_type: str | None, body: bytes, query: dict[str, str]
) -> tuple[dict[str, Any], dict[str, Upload]]:
    """Decode any of the three encodings Telegram accepts into typed params plus uploads."""
    raw: dict[str, Any] = dict(query)
    files: dict[str, Upload] = {}
    kind, ctp = _media_type(content_type or "")
    if body:
        if kind == "application/json":
            try:
                loaded = json.loads(body)
            except ValueError as exc:
                raise bad_request("can't parse JSON object") from exc
            if isinstance(loaded, dict):
                raw.update(loaded)
        elif kind == "multipart/form-data" and "boundary" in ctp:
            fields, files = parse_multipart(body, ctp["boundary"])
            raw.update(fields)
        elif kind == "application/x-www-form-urlencoded" or not kind:
            raw.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    params = {k: decode_value(k, v) for k, v in raw.items()}
    # JSON bodies may still carry objects as JSON strings; Telegram accepts both shapes.
    for key in ("reply_markup", "reply_parameters", "entities", "caption_entities",
                "allowed_updates", "commands", "scope", "link_preview_options", "media"):
        value = params.get(key)
        if isinstance(value, str) and value.strip()[:1] in ("{", "["):
            try:
                params[key] = json.loads(value)
            except ValueError as exc:
                if key == "reply_markup":
                    raise bad_request("can't parse reply keyboard markup JSON object") from exc
                raise bad_request(f"can't parse {key} JSON object") from exc
    return params, files


def dumps(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()
