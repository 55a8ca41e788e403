"""Text rules of the Bot API: automatic entities, HTML parse mode validation, UTF-16 lengths.

The matchers follow tdlib's MessageEntity.cpp, which is what the real server runs.
"""

from __future__ import annotations

from typing import Any

from bot.sandbox.tg_wire import bad_request

# tdlib lets these 2-4 letter usernames through as mentions; anything else must be >= 5.
_SHORT_USERNAMES = frozenset({
    "gif", "wiki", "vid", "bing", "pic", "bold", "imdb", "coub", "like", "vote",
})
_URL_TAIL = ".:;,('?!`\""


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _is_ascii_word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


def _scan(s: str, i: int) -> int:
    while i < len(s) and _is_ascii_word(s[i]):
        i += 1
    return i


def _bot_commands(s: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    i = 0
    while (i := s.find("/", i)) >= 0:
        if i > 0 and (_is_word(s[i - 1]) or s[i - 1] in "/<>"):
            i += 1
            continue
        begin = i
        i = end = _scan(s, i + 1)
        if not 1 <= end - begin - 1 <= 64:
            continue
        if i < len(s) and s[i] == "@":
            i = _scan(s, i + 1)
            if not 3 <= i - end - 1 <= 32:
                continue
            end = i
        if i < len(s) and (_is_word(s[i]) or s[i] in "/<>"):
            continue
        out.append((begin, end))
    return out


def _mentions(s: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    i = 0
    while (i := s.find("@", i)) >= 0:
        if i > 0 and _is_word(s[i - 1]):
            i += 1
            continue
        begin = i
        i = _scan(s, i + 1)
        name = s[begin + 1 : i]
        if not 2 <= len(name) <= 32 or (i < len(s) and _is_word(s[i])):
            continue
        if len(name) < 5 and name.lower() not in _SHORT_USERNAMES:
            continue
        out.append((begin, i))
    return out


def _hashtags(s: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    i = 0
    while (i := s.find("#", i)) >= 0:
        if i > 0 and _is_word(s[i - 1]):
            i += 1
            continue
        begin = i
        i += 1
        while i < len(s) and _is_word(s[i]):
            i += 1
        tag = s[begin + 1 : i]
        if tag and len(tag) <= 256 and any(c.isalpha() for c in tag) and not s.startswith("#", i):
            out.append((begin, i))
    return out


def _urls(s: str) -> list[tuple[int, int]]:
    # Only explicit http(s):// links; tdlib also finds bare domains, which tests rarely need.
    out: list[tuple[int, int]] = []
    i = 0
    lower = s.lower()
    while True:
        found = [p for p in (lower.find("http://", i), lower.find("https://", i)) if p >= 0]
        if not found:
            return out
        begin = min(found)
        end = lower.index("://", begin) + 3
        while end < len(s) and not s[end].isspace() and s[end] not in '<>"«»':
            end += 1
        while end > begin and s[end - 1] in _URL_TAIL:
            end -= 1
        if end > lower.index("://", begin) + 3:
            out.append((begin, end))
        i = max(end, begin + 1)


def find_entities(text: str) -> list[dict[str, Any]]:
    """The entities Telegram adds on its own to a plain-text message, offsets in UTF-16."""
    urls = _urls(text)
    spans = [(b, e, "url") for b, e in urls]
    for kind, found in (("bot_command", _bot_commands(text)), ("mention", _mentions(text)),
                        ("hashtag", _hashtags(text))):
        spans += [(b, e, kind) for b, e in found
                  if not any(ub <= b < ue or ub < e <= ue for ub, ue in urls)]
    spans.sort()
    out: list[dict[str, Any]] = []
    for b, e, kind in spans:
        off = utf16_len(text[:b])
        out.append({"offset": off, "length": utf16_len(text[b:e]), "type": kind})
    return out


_HTML_TAGS = frozenset({
    "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "tg-spoiler",
    "tg-emoji", "span", "pre", "code", "blockquote",
})
_SPACE = b" \t\r\n\v\0"


def _at(b: bytes, k: int) -> int:
    """Byte k, or 0 past the end: tdlib scans NUL-terminated strings and so do these ports."""
    return b[k] if k < len(b) else 0


def _decode_entity(b: bytes, pos: int) -> tuple[str, int] | None:
    """tdlib's decode_html_entity: (char, next position) or None if `&` is literal."""

    def at(k: int) -> int:
        return _at(b, k)
    end = pos + 1
    code = 0
    if at(end) == ord("#"):
        end += 1
        hexa = at(end) == ord("x")
        end += hexa
        digits = b"0123456789abcdefABCDEF" if hexa else b"0123456789"
        while at(end) and at(end) in digits:
            code = code * (16 if hexa else 10) + int(chr(at(end)), 16)
            end += 1
            if code >= 0x10FFFF:
                return None
        if code == 0 or end - pos >= 10:
            return None
        ch = chr(code)
    else:
        while at(end) and chr(at(end)).isascii() and chr(at(end)).isalpha():
            end += 1
        names = {b"lt": "<", b"gt": ">", b"amp": "&", b"quot": '"'}
        if b[pos + 1 : end] not in names:
            return None
        ch = names[b[pos + 1 : end]]
    return ch, end + 1 if at(end) == ord(";") else end


def parse_html(text: str) -> str:
    """Validate like Telegram's HTML parse mode; return the text users would see."""
    b = text.encode()

    def at(k: int) -> int:
        return _at(b, k)
    out: list[str] = []
    stack: list[str] = []
    i = 0

    def fail(msg: str) -> Exception:
        return bad_request(f"can't parse entities: {msg}")

    while i < len(b):
        c = b[i]
        if c == ord("&") and (dec := _decode_entity(b, i)):
            out.append(dec[0])
            i = dec[1]
            continue
        if c != ord("<"):
            j = i + 1
            while j < len(b) and b[j] not in b"&<":
                j += 1
            out.append(b[i:j].decode("utf-8", "replace"))
            i = j
            continue
        begin = i
        i += 1
        if at(i) != ord("/"):
            while at(i) not in _SPACE and at(i) != ord(">"):
                i += 1
            if at(i) == 0:
                raise fail(f"Unclosed start tag at byte offset {begin}")
            tag = b[begin + 1 : i].decode("utf-8", "replace").lower()
            if tag not in _HTML_TAGS:
                raise fail(f'Unsupported start tag "{tag}" at byte offset {begin}')
            while at(i) != ord(">"):
                while at(i) and at(i) in _SPACE:
                    i += 1
                if at(i) == ord(">"):
                    break
                name_begin = i
                while at(i) not in _SPACE and at(i) not in b"=>":
                    i += 1
                attr = b[name_begin:i]
                if not attr:
                    raise fail(f'Empty attribute name in the tag "{tag}" at byte offset {begin}')
                while at(i) and at(i) in _SPACE:
                    i += 1
                if at(i) != ord("="):
                    if tag == "blockquote" and attr == b"expandable":
                        continue
                    raise fail("Expected equal sign in declaration of an attribute of the tag "
                               f'"{tag}" at byte offset {begin}')
                i += 1
                while at(i) and at(i) in _SPACE:
                    i += 1
                if at(i) == 0:
                    raise fail(f'Unclosed start tag "{tag}" at byte offset {begin}')
                if at(i) not in b"'\"":
                    token_begin = i
                    while at(i) and (chr(at(i)).isalnum() or at(i) in b".-"):
                        i += 1
                    if at(i) not in _SPACE and at(i) != ord(">"):
                        raise fail(f"Unexpected end of name token at byte offset {token_begin}")
                else:
                    quote = at(i)
                    i += 1
                    while at(i) != quote and at(i):
                        i += 1
                    if at(i) == quote:
                        i += 1
                if at(i) == 0:
                    raise fail(f"Unclosed start tag at byte offset {begin}")
            stack.append(tag)
            i += 1
        else:
            if not stack:
                raise fail(f"Unexpected end tag at byte offset {begin}")
            while at(i) not in _SPACE and at(i) != ord(">"):
                i += 1
            end_tag = b[begin + 2 : i].decode("utf-8", "replace")
            while at(i) and at(i) in _SPACE:
                i += 1
            if at(i) != ord(">"):
                raise fail(f"Unclosed end tag at byte offset {begin}")
            tag = stack.pop()
            if end_tag and end_tag != tag:
                raise fail(f'Unmatched end tag at byte offset {begin}, expected "</{tag}>", '
                           f'found "</{end_tag}>"')
            i += 1
    if stack:
        raise fail(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out)


def visible_text(text: str, parse_mode: str | None) -> str:
    """What the user would see, used for Telegram's emptiness and length limits."""
    if parse_mode and parse_mode.lower() == "html":
        return parse_html(text)
    return text
