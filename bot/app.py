"""Wiring and lifecycle: builds everything, starts it in one event loop, stops it cleanly."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import signal
from pathlib import Path
from typing import Any

import httpx
from telegram import Update
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from bot.config import Settings
from bot.emulator.server import EmulatorServer
from bot.emulator.state import EmulatorConfig
from bot.engine.deps import Deps, Timing
from bot.engine.engine import Engine
from bot.logs import setup_logging
from bot.media.signing import UrlSigner
from bot.media.vault import Vault
from bot.providers.shortapi import ShortApiClient
from bot.store import media as media_store
from bot.store.db import Database
from bot.telegram.delivery import TelegramDelivery
from bot.telegram.handlers import register
from bot.telegram.services import SERVICES_KEY, Services
from bot.web.server import build_web_app
from bot.web.serving import LoopServer

log = logging.getLogger(__name__)

EMULATOR_BANNER = (
    "SHORTAPI_KEY is not set: jobs run on the built-in ShortAPI emulator. Nothing is charged "
    "and results are simulated. Set SHORTAPI_KEY in .env to use the real provider."
)


COMMANDS = [
    ("help", "What I can do, with examples"),
    ("settings", "This chat's default quality, aspect ratio and sound"),
    ("undo", "Go back to the previous version"),
    ("redo", "Go forward again"),
    ("history", "The versions of the current clip"),
    ("retry", "Run the last instruction again"),
    ("cancel", "Stop waiting for the running job"),
    ("spend", "What you and this chat spent, and what is left"),
    ("budget", "This chat's budgets"),
]


def _derive(token: str, purpose: str) -> bytes:
    """A per-purpose secret from the bot token, so nothing else needs configuring."""
    return hmac.new(token.encode(), f"kling-bot:{purpose}".encode(), hashlib.sha256).digest()


class BotApp:
    """The running bot: database, provider, web server, Telegram application, engine."""

    def __init__(self, settings: Settings, *, timing: Timing | None = None,
                 configure_logging: bool = True) -> None:
        self.settings = settings
        self.timing = timing or Timing(job_timeout=settings.job_timeout_seconds)
        self._configure_logging = configure_logging
        self.db: Database | None = None
        self.engine: Engine | None = None
        self.application: Application[Any, Any, Any, Any, Any, Any] | None = None
        self.emulator: EmulatorServer | None = None
        self.web: LoopServer | None = None
        self.public_url: str | None = None
        self._http: httpx.AsyncClient | None = None
        self._provider: ShortApiClient | None = None

    async def start(self) -> None:
        s = self.settings
        token = s.require_token()
        if self._configure_logging:
            setup_logging([token, s.shortapi_key or ""])
        self.db = db = await Database.open(s.database_path)
        await db.migrate()
        vault = Vault(s.media_dir)
        await vault.cleanup_tmp()
        self._http = httpx.AsyncClient(timeout=httpx.Timeout(60.0, connect=10.0),
                                       follow_redirects=True)

        self.web = LoopServer(host=s.web_host, port=s.web_port)
        self.web.bind()  # the port is part of the public URL the app is built with
        public_url = s.public_url
        if s.uses_emulator:
            log.warning(EMULATOR_BANNER)
            self.emulator = EmulatorServer(EmulatorConfig(time_scale=s.emulator_time_scale))
            await self.emulator.start()
            # The emulator runs here, so it can reach our web server on loopback.
            public_url = public_url or f"http://127.0.0.1:{self.web.port}"
            self._provider = ShortApiClient(self.emulator.url, "emulator")
        else:
            assert s.shortapi_key is not None
            self._provider = ShortApiClient(s.shortapi_url, s.shortapi_key)
            if public_url is None:
                log.warning("PUBLIC_URL is not set: the provider cannot fetch videos, so video "
                            "jobs will be refused with an explanation. Set PUBLIC_URL.")
        self.public_url = public_url
        signer = UrlSigner(_derive(token, "media"), public_url) if public_url else None

        self.application = app = self._build_application(token)
        self.engine = engine = Engine(Deps(
            db=db, provider=self._provider, vault=vault,
            delivery=TelegramDelivery(
                app.bot, local_mode=s.telegram_local_mode,
                link_for=signer.url if signer is not None and s.public_url else None,
            ),
            signer=signer, public_url=public_url, http=self._http,
            emulated=s.uses_emulator, timing=self.timing, callbacks=public_url is not None,
            budgets=s.budgets,
        ))
        services = Services(settings=s, db=db, engine=engine, vault=vault, http=self._http)
        app.bot_data[SERVICES_KEY] = services
        register(app, s.admin_user_ids)

        async def resolve_media(media_id: int) -> Path | None:
            media = await media_store.get(db, media_id)
            return vault.root / media.path if media is not None else None

        webhook_secret = _derive(token, "webhook").hex()
        await self.web.start(build_web_app(
            signer=signer, resolve_media=resolve_media, on_callback=engine.on_callback,
            health=self._health, on_update=self._on_webhook_update,
            webhook_secret=webhook_secret,
        ))
        await app.initialize()
        services.bot_username = app.bot.username or ""
        await app.bot.set_my_commands(COMMANDS)
        await engine.recover()
        await app.start()
        if s.telegram_mode == "webhook":
            await app.bot.set_webhook(
                f"{public_url}/telegram", secret_token=webhook_secret,
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            assert app.updater is not None
            await app.bot.delete_webhook()
            await app.updater.start_polling(allowed_updates=Update.ALL_TYPES, timeout=10)
        log.info("bot @%s is running (%s mode); web server on %s:%d", services.bot_username,
                 s.telegram_mode, s.web_host, self.web.port)

    def _build_application(self, token: str) -> Application[Any, Any, Any, Any, Any, Any]:
        s = self.settings
        builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
            ApplicationBuilder()
            .token(token)
            .base_url(f"{s.telegram_api_url}/bot")
            .base_file_url(f"{s.telegram_api_url}/file/bot")
            .local_mode(s.telegram_local_mode)
            # Per-chat and per-group limits always apply; the overall cap follows Telegram's
            # ~30 messages/s guideline unless the operator changes it (0 = none).
            .rate_limiter(AIORateLimiter(overall_max_rate=s.telegram_max_rate, max_retries=3))
            .concurrent_updates(64)
            .get_updates_read_timeout(30)
        )
        if s.telegram_mode == "webhook":
            builder = builder.updater(None)
        return builder.build()

    async def _on_webhook_update(self, payload: dict[str, Any]) -> None:
        assert self.application is not None
        update = Update.de_json(payload, self.application.bot)
        await self.application.update_queue.put(update)

    async def _health(self) -> dict[str, Any]:
        return {
            "ok": True,
            "emulator": self.settings.uses_emulator,
            "tracked_jobs": self.engine.tracker.tracked if self.engine else 0,
        }

    async def stop(self) -> None:
        app = self.application
        if app is not None:
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
            await app.shutdown()
        if self.engine is not None:
            await self.engine.aclose()
        if self.web is not None:
            await self.web.stop()
        if self.emulator is not None:
            await self.emulator.stop()
        if self._provider is not None:
            await self._provider.aclose()
        if self._http is not None:
            await self._http.aclose()
        if self.db is not None:
            await self.db.close()


async def run_forever(settings: Settings, timing: Timing | None = None) -> None:
    """Run until SIGINT or SIGTERM, then stop cleanly."""
    bot = BotApp(settings, timing=timing)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await bot.start()
    try:
        await stop.wait()
    finally:
        log.info("stopping")
        await bot.stop()
