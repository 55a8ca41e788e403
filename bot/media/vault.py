"""Where media files live on disk: one file per media id, sharded, with a scratch area."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from pathlib import Path

_TMP_DIR = "tmp"
# 256 shard directories keep any one directory small even with many thousands of files.
_SHARDS = 256


class Vault:
    """Files are laid out as `root/<shard>/<media_id>.<ext>`, e.g. `root/2a/42.mp4`.

    Scratch files live in `root/tmp` so that adopting one is a same-filesystem, atomic rename.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp_dir = root / _TMP_DIR

    def path_for(self, media_id: int, ext: str) -> Path:
        if media_id < 0:
            raise ValueError("media id must not be negative")
        return self.root / f"{media_id % _SHARDS:02x}" / f"{media_id}.{_clean_ext(ext)}"

    def tmp_path(self, suffix: str = "") -> Path:
        """A fresh, not-yet-existing path under `root/tmp`; its directory exists on return."""
        if "/" in suffix or os.sep in suffix:
            raise ValueError("suffix must not contain a path separator")
        # One mkdir of an existing directory is a single cheap syscall; it saves every caller
        # (ffmpeg outputs included) from depending on start-up having run first.
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        return self.tmp_dir / f"{uuid.uuid4().hex}{suffix}"

    async def adopt(self, tmp: Path, media_id: int, ext: str) -> Path:
        """Move a finished scratch file into its final place atomically; return that place."""
        dest = self.path_for(media_id, ext)
        await asyncio.to_thread(_move_into_place, tmp, dest)
        return dest

    async def cleanup_tmp(self) -> int:
        """Remove scratch leftovers (from a crash or kill); call at start-up. Returns the count."""
        return await asyncio.to_thread(_empty_dir, self.tmp_dir)


def _clean_ext(ext: str) -> str:
    cleaned = ext.lstrip(".").lower()
    # Extensions end up in file names and content types; anything odd is a caller bug.
    if not cleaned or not cleaned.isascii() or not cleaned.isalnum() or len(cleaned) > 8:
        raise ValueError(f"bad file extension: {ext!r}")
    return cleaned


def _move_into_place(tmp: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, dest)


def _empty_dir(directory: Path) -> int:
    directory.mkdir(parents=True, exist_ok=True)
    removed = 0
    for entry in directory.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed += 1
    return removed
