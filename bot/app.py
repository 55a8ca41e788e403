"""Wiring and lifecycle: builds everything, starts it in one event loop, stops it cleanly.

Each part is entered into one `AsyncExitStack` as it starts, so `stop()` (or a failed start)
closes exactly what was opened, in reverse order.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import signal
from contextlib import AsyncExitStack
from typing import Any

import httpx
from telegram import (
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeChat,
    Update,
)
from telegram.error import InvalidToken, NetworkError, TelegramError, TimedOut
from telegram.ext import ApplicationBuilder, Defaults, TypeHandler

from bot import texts
from bot.config import ConfigError, Settings
from bot.domain.limits import CLOUD_UPLOAD_LIMIT
from bot.domain.locales import DEFAULT_LANGUAGE, LANGUAGES
from bot.domain.money import to_micros
from bot.domain.queue import RunLimits
from bot.emulator.server import EmulatorServer
from bot.emulator.state import EmulatorConfig
from bot.engine.counted_delivery import CountedDelivery
from bot.engine.delivery import Delivery
from bot.engine.deps import Deps, Timing
from bot.engine.engine import Engine
from bot.logs import setup_logging
from bot.media.ffmpeg import FfmpegRunner
from bot.media.signing import UrlSigner
from bot.media.vault import Vault
from bot.ops.metrics import Metrics
from bot.ops.retention import retention_loop
from bot.ops.telegram_metrics import CountingRateLimiter, update_counter
from bot.providers.shortapi import ShortApiClient
from bot.store.db import Database
from bot.telegram.chat_delivery import TelegramDelivery
from bot.telegram.context import CONTEXT_TYPES, BotApplication, Services, install
from bot.telegram.handlers import register
from bot.telegram.lanes import LanedRateLimiter
from bot.telegram.readable_updates import ReadableUpdatesRequest, readable_update
from bot.telegram.request_retry import RetryingRequest
from bot.telegram.update_order import PerChatOrder
from bot.web.metrics import metrics_route
from bot.web.routes import build_web_app
from bot.web.serving import LoopServer

log = logging.getLogger(__name__)


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
        self._stack = AsyncExitStack()
        self.db: Database | None = None
        self.engine: Engine | None = None
        self.application: BotApplication | None = None
        self.emulator: EmulatorServer | None = None
        self.web: LoopServer | None = None
        self.public_url: str | None = None
        self.metrics = Metrics()

    async def start(self) -> None:
        try:
            await self._start(self._stack)
        except BaseException:
            await self._stack.aclose()
            raise

    async def stop(self) -> None:
        await self._stack.aclose()

    async def _start(self, stack: AsyncExitStack) -> None:
        s = self.settings
        token = s.require_token()
        if self._configure_logging:
            setup_logging([token, s.shortapi_key or ""], fmt=s.log_format)
        self.db = db = await Database.open(s.database_path)
        stack.push_async_callback(db.close)
        await db.migrate()
        self.metrics.watch_store(db)
        vault = Vault(s.media_dir)
        await vault.cleanup_tmp()
        http = await stack.enter_async_context(
            httpx.AsyncClient(timeout=httpx.Timeout(60.0, connect=10.0), follow_redirects=True)
        )
        self.web = web = LoopServer(host=s.web_host, port=s.web_port)
        web.bind()  # the port is part of the public URL the app is built with
        provider = await self._provider(stack, web.port)
        signer = UrlSigner(_derive(token, "media"), self.public_url) if self.public_url else None
        self.application = app = self._build_application(token)
        delivery = TelegramDelivery(
            app.bot, local_mode=s.telegram_local_mode, emulated=s.uses_emulator,
            link_for=signer.url if signer is not None and s.public_url else None,
            credits=s.credits, language_of=self._chat_language,
        )
        counted = CountedDelivery(delivery, self.metrics.delivery)
        self.engine = engine = Engine(self._deps(db, provider, vault, http, signer, counted))
        services = Services(settings=s, engine=engine, http=http)
        install(app, services)
        # Group -2: the gate holds -1, and a group runs only its first matching handler.
        app.add_handler(TypeHandler(Update, update_counter(self.metrics)), group=-2)
        register(app, s.admin_user_ids, payments=s.credits is not None)
        await self._serve_web(stack, token, signer)
        stack.push_async_callback(delivery.board.aclose)
        stack.push_async_callback(engine.aclose)
        await self._reach_telegram(stack, app)
        services.bot_username = app.bot.username or ""
        try:
            await self._set_commands(app)
        except TelegramError as exc:  # the menu is a convenience: start without it
            log.warning("could not set the command menu: %s", exc)
        await engine.recover()
        await app.start()
        stack.push_async_callback(app.stop)
        await self._receive_updates(stack, app, token)
        retention = app.create_task(
            retention_loop(db, s.media_dir, days=s.media_retention_days), name="media-retention"
        )
        stack.callback(retention.cancel)
        log.info("bot @%s is running (%s mode); web server on %s:%d", services.bot_username,
                 s.telegram_mode, s.web_host, web.port)

    async def _chat_language(self, chat_id: int, user_id: int | None) -> str:
        """The language of the engine's own messages to a chat (see TelegramDelivery)."""
        assert self.engine is not None
        return await self.engine.chat_settings.language(chat_id, user_id)

    async def _reach_telegram(self, stack: AsyncExitStack, app: BotApplication) -> None:
        """Initialize the application (its getMe proves the token). A rejected token stops
        start-up with one clear line; an unreachable Bot API is retried with growing pauses,
        one log line each, until it answers."""
        pause = 1.0
        while True:
            try:
                await stack.enter_async_context(app)  # initialize now, shutdown on stop
                return
            except InvalidToken:
                raise ConfigError(texts.TOKEN_REJECTED) from None
            except (NetworkError, TimedOut) as exc:
                log.warning(texts.TELEGRAM_UNREACHABLE, self.settings.telegram_api_url,
                            type(exc).__name__, pause)
            await asyncio.sleep(pause)
            pause = min(pause * 2, 60.0)

    async def _set_commands(self, app: BotApplication) -> None:
        """The command menu per scope (members, chat admins, the bot's admins) and per
        language: English for everyone, and each other language for the people whose Telegram
        speaks it."""
        for language in LANGUAGES:
            with texts.speaking(language):
                code = None if language == DEFAULT_LANGUAGE else language
                await self._set_menus(app, code)

    async def _set_menus(self, app: BotApplication, code: str | None) -> None:
        bot = app.bot
        paying = texts.PAYMENT_COMMANDS if self.settings.credits else []
        await bot.set_my_commands(texts.COMMANDS + paying,  # private chats included
                                  language_code=code)
        await bot.set_my_commands(texts.GROUP_COMMANDS + paying,
                                  scope=BotCommandScopeAllGroupChats(), language_code=code)
        await bot.set_my_commands(texts.GROUP_ADMIN_COMMANDS + paying,
                                  scope=BotCommandScopeAllChatAdministrators(),
                                  language_code=code)
        for admin in sorted(self.settings.admin_user_ids):
            try:
                await bot.set_my_commands(
                    texts.BOT_ADMIN_COMMANDS + paying
                    + (texts.ADMIN_PAYMENT_COMMANDS if paying else []),
                    scope=BotCommandScopeChat(admin), language_code=code)
            except TelegramError:  # an admin who never opened the bot has no chat yet
                log.info("no command menu for admin %s: no private chat with the bot", admin)

    async def _provider(self, stack: AsyncExitStack, web_port: int) -> ShortApiClient:
        """The real provider, or the built-in emulator when no key is set."""
        s = self.settings
        self.public_url = s.public_url
        if s.uses_emulator:
            log.warning(texts.EMULATOR_BANNER)
            self.emulator = EmulatorServer(EmulatorConfig(time_scale=s.emulator_time_scale))
            await self.emulator.start()
            stack.push_async_callback(self.emulator.stop)
            # The emulator runs here, so it can reach our web server on loopback.
            self.public_url = self.public_url or f"http://127.0.0.1:{web_port}"
            client = ShortApiClient(self.emulator.url, "emulator", observer=self.metrics)
        else:
            assert s.shortapi_key is not None
            client = ShortApiClient(s.shortapi_url, s.shortapi_key, observer=self.metrics)
            if self.public_url is None:
                log.warning(texts.NO_PUBLIC_URL_WARNING)
        stack.push_async_callback(client.aclose)
        return client

    def _deps(self, db: Database, provider: ShortApiClient, vault: Vault,
              http: httpx.AsyncClient, signer: UrlSigner | None,
              delivery: Delivery) -> Deps:
        s = self.settings
        return Deps(
            db=db, provider=provider, vault=vault, delivery=delivery, signer=signer,
            public_url=self.public_url, http=http, timing=self.timing,
            callbacks=self.public_url is not None, budgets=s.budgets,
            confirm_above=to_micros(s.confirm_above_usd),
            run_limits=RunLimits(s.max_running_jobs_per_chat, s.max_running_jobs_per_user),
            jobs_per_user_per_hour=s.max_jobs_per_user_per_hour,
            provider_forgets=s.uses_emulator,
            ffmpeg=FfmpegRunner(limit=s.max_ffmpeg_processes),
            upload_limit=None if s.telegram_local_mode else CLOUD_UPLOAD_LIMIT,
            credits=s.credits,
        )

    async def _serve_web(self, stack: AsyncExitStack, token: str,
                         signer: UrlSigner | None) -> None:
        assert self.web is not None and self.engine is not None
        await self.web.start(build_web_app(
            signer=signer, resolve_media=self.engine.library.stored_path,
            on_callback=self.engine.on_callback,
            health=self._health, on_update=self._on_webhook_update,
            webhook_secret=_derive(token, "webhook").hex(),
            extra_routes=[metrics_route(self.metrics, self.settings.metrics_token)],
        ))
        stack.push_async_callback(self.web.stop)

    async def _receive_updates(self, stack: AsyncExitStack, app: BotApplication,
                               token: str) -> None:
        if self.settings.telegram_mode == "webhook":
            await app.bot.set_webhook(
                f"{self.public_url}/telegram", secret_token=_derive(token, "webhook").hex(),
                allowed_updates=Update.ALL_TYPES,
            )
            return
        assert app.updater is not None
        await app.bot.delete_webhook()
        await app.updater.start_polling(allowed_updates=Update.ALL_TYPES, timeout=10)
        stack.push_async_callback(app.updater.stop)

    def _build_application(self, token: str) -> BotApplication:
        s = self.settings
        builder = (
            ApplicationBuilder()
            .token(token)
            .context_types(CONTEXT_TYPES)
            # A reply to a message deleted meanwhile arrives anyway, as a plain message,
            # instead of failing with "message to be replied not found".
            .defaults(Defaults(allow_sending_without_reply=True))
            .base_url(f"{s.telegram_api_url}/bot")
            .base_file_url(f"{s.telegram_api_url}/file/bot")
            .local_mode(s.telegram_local_mode)
            # Per-chat and per-group limits always apply; the overall cap follows Telegram's
            # ~30 messages/s guideline unless the operator changes it (0 = none).
            .request(RetryingRequest(self.metrics))
            .rate_limiter(LanedRateLimiter(
                # One request per 1/rate seconds rather than `rate` per second in bursts: a
                # token bucket of 30 lets 60 through in the second it refills.
                CountingRateLimiter(
                    self.metrics, overall_max_rate=1 if s.telegram_max_rate else 0,
                    overall_time_period=1 / s.telegram_max_rate if s.telegram_max_rate else 1,
                    max_retries=3,
                ),
                # A sixth of the overall budget at most for progress edits, and only in the
                # pauses between answers and deliveries.
                progress_per_second=s.telegram_max_rate / 6 if s.telegram_max_rate else None,
            ))
            .concurrent_updates(PerChatOrder(64))
            # With .request() set, PTB refuses get_updates_* options: a request of its own.
            .get_updates_request(ReadableUpdatesRequest(read_timeout=30))
        )
        if s.telegram_mode == "webhook":
            builder = builder.updater(None)
        app: BotApplication = builder.build()
        return app

    async def _on_webhook_update(self, payload: dict[str, Any]) -> None:
        assert self.application is not None
        # Answered 200 either way: an update that fails here would be sent again forever,
        # holding up every update behind it.
        readable = readable_update(payload)
        if readable is None:
            return
        update = Update.de_json(readable, self.application.bot)
        await self.application.update_queue.put(update)

    async def _health(self) -> dict[str, Any]:
        return {
            "ok": True,
            "emulator": self.settings.uses_emulator,
            "tracked_jobs": self.engine.tracker.tracked if self.engine else 0,
        }


async def run_forever(settings: Settings, timing: Timing | None = None) -> None:
    """Run until SIGINT or SIGTERM, then stop cleanly."""
    bot = BotApp(settings, timing=timing)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    starting = asyncio.ensure_future(bot.start())
    stopping = asyncio.ensure_future(stop.wait())
    await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
    if not starting.done():  # stopped while still starting (e.g. Telegram unreachable)
        starting.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await starting  # a cancelled start closes what it had opened
        return
    stopping.cancel()
    starting.result()  # a failed start raises here, its parts already closed
    try:
        await stop.wait()
    finally:
        log.info("stopping")
        await bot.stop()
