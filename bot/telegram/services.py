"""The typed bundle handlers reach through `context.bot_data`, instead of string-keyed dicts."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import httpx
from telegram import Update
from telegram.ext import ContextTypes

from bot.config import Settings
from bot.engine.engine import Engine
from bot.media.vault import Vault
from bot.store.db import Database

SERVICES_KEY = "services"


@dataclass
class PendingAlbum:
    """An album still arriving: its answer waits until no part has come for a moment."""

    task: asyncio.Task[None]
    captioned: Update | None  # the part carrying the caption: the instruction to answer


@dataclass
class Services:
    settings: Settings
    db: Database
    engine: Engine
    vault: Vault
    http: httpx.AsyncClient
    bot_username: str = ""
    # (chat, user) pairs already written to the database this run: one write per pair.
    known: set[tuple[int, int]] = field(default_factory=set)
    # Albums arrive as separate updates with no end marker: one pending reply per group id.
    albums: dict[str, PendingAlbum] = field(default_factory=dict)


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    found = context.bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found
