"""Fetching a user's file from Telegram into the vault, streamed, without leaking the token."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import httpx
from telegram import Bot
from telegram.error import BadRequest, TelegramError

from bot.domain.limits import CLOUD_DOWNLOAD_LIMIT
from bot.media.download import DownloadError, download_to


class FetchError(Exception):
    """The file could not be fetched; `too_big` when Telegram's size limit is the reason."""

    def __init__(self, reason: str, *, too_big: bool = False) -> None:
        super().__init__(reason)
        self.too_big = too_big


async def fetch(
    bot: Bot, http: httpx.AsyncClient, file_id: str, dest: Path, *, local_mode: bool
) -> int:
    """Download a Telegram file to `dest`. Its URL embeds the bot token: never log it."""
    try:
        tg_file = await bot.get_file(file_id)
    except BadRequest as exc:
        too_big = "too big" in str(exc).lower()
        raise FetchError("getFile refused", too_big=too_big) from None
    except TelegramError:
        raise FetchError("getFile failed") from None
    if not tg_file.file_path:
        raise FetchError("no file path")
    if local_mode and Path(tg_file.file_path).is_absolute():
        # A local Bot API server hands out a path on this machine: copy, no HTTP.
        await asyncio.to_thread(shutil.copyfile, tg_file.file_path, dest)
        size: int = (await asyncio.to_thread(dest.stat)).st_size
        return size
    limit = None if local_mode else CLOUD_DOWNLOAD_LIMIT
    try:
        return await download_to(http, tg_file.file_path, dest, max_bytes=limit)
    except DownloadError as exc:
        raise FetchError(str(exc)) from None
