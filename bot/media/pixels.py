"""A picture's size read from its file header, before any decoder sees it.

FFmpeg's stream probing decodes a whole PNG to learn its size (a 790 KB 16000x16000 PNG costs
768 MB), so for the common image formats the size is read here from the first bytes instead.
Blocking file I/O: call from a worker thread.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO

# JPEG start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) are not frames.
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
# EXIF and friends come first in a JPEG; give up after this many segments.
_MAX_JPEG_SEGMENTS = 64


def header_size(path: Path) -> tuple[int, int] | None:
    """(width, height) from a PNG, GIF, BMP, WebP or JPEG header, or None when the format is
    something else or the header is unreadable (the caller then relies on FFmpeg)."""
    try:
        with path.open("rb") as file:
            head = file.read(32)
            return _from_head(head) or (_jpeg(file) if head[:2] == b"\xff\xd8" else None)
    except (OSError, struct.error):
        return None


def _from_head(head: bytes) -> tuple[int, int] | None:
    if head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR":
        width, height = struct.unpack(">II", head[16:24])
        return width, height
    if head[:6] in (b"GIF87a", b"GIF89a"):
        width, height = struct.unpack("<HH", head[6:10])
        return width, height
    if head[:2] == b"BM" and len(head) >= 26:
        width, height = struct.unpack("<ii", head[18:26])
        return abs(width), abs(height)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _webp(head)
    return None


def _webp(head: bytes) -> tuple[int, int] | None:
    chunk = head[12:16]
    if chunk == b"VP8X":
        width = int.from_bytes(head[24:27], "little") + 1
        height = int.from_bytes(head[27:30], "little") + 1
        return width, height
    if chunk == b"VP8L":
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 ":
        width, height = struct.unpack("<HH", head[26:30])
        return width & 0x3FFF, height & 0x3FFF
    return None


def _jpeg(file: BinaryIO) -> tuple[int, int] | None:
    file.seek(2)
    for _ in range(_MAX_JPEG_SEGMENTS):
        marker = file.read(2)
        if len(marker) < 2 or marker[0] != 0xFF:
            return None
        kind = marker[1]
        if kind in (0xD8, 0x01) or 0xD0 <= kind <= 0xD7:  # markers without a length
            continue
        (length,) = struct.unpack(">H", file.read(2))
        if kind in _SOF:
            _, height, width = struct.unpack(">BHH", file.read(5))
            return width, height
        file.seek(length - 2, 1)
    return None
