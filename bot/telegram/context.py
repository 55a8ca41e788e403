"""The typed context every handler gets (PTB's `ContextTypes`), instead of string-keyed dicts."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import httpx
from telegram import Update
from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.config import Settings
from bot.engine.engine import Engine

_SERVICES_KEY = "services"


@dataclass
class PendingAlbum:
    """An album still arriving: its answer waits until no part has come for a moment."""

    task: asyncio.Task[None]
    captioned: Update | None  # the part carrying the caption: the instruction to answer


@dataclass
class Services:
    """What handlers reach: built once by the wiring, shared by every update."""

    settings: Settings
    engine: Engine
    http: httpx.AsyncClient  # downloads of users' files from Telegram
    bot_username: str = ""
    # Albums arrive as separate updates with no end marker: one pending reply per group id.
    albums: dict[str, PendingAlbum] = field(default_factory=dict)


class BotContext(CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """PTB's context with the bot's services on it, typed."""

    @property
    def services(self) -> Services:
        found: Services = self.bot_data[_SERVICES_KEY]  # put there by `install`, before start
        return found

    @property
    def engine(self) -> Engine:
        return self.services.engine

    @property
    def settings(self) -> Settings:
        return self.services.settings


BotApplication = Application[
    ExtBot[Any], BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any
]
CONTEXT_TYPES = ContextTypes(context=BotContext)


def install(app: BotApplication, services: Services) -> None:
    """Make `services` what every handler's `context.services` returns."""
    app.bot_data[_SERVICES_KEY] = services
