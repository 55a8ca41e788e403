"""`python -m bot sandbox [--host H] [--port P]`: the whole bot in a browser, no token, no key.

One process, one event loop:
- the Telegram Bot API emulator, with the web chat page and its API, on the sandbox's address
  (`--port`, else `WEB_PORT`, else 8080);
- the real bot (`bot.app.BotApp`, unchanged) with a generated token, `TELEGRAM_API_URL`
  pointing at that emulator, its own web server on a free loopback port (its public routes,
  /media, /callbacks and /healthz, are relayed on the sandbox's address, so a PUBLIC_URL that
  reaches the sandbox works), and the ShortAPI emulator unless `SHORTAPI_KEY` is set (then
  jobs are real and cost money: the page says so);
- its database and media in `data/sandbox/`, emptied at each start (the emulated chats live
  in memory, so older rows would point at messages that no longer exist). Never the real
  bot's `DATABASE_PATH` or `MEDIA_DIR`.
This wiring is the only code that knows it is a sandbox.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import logging
import os
import secrets
import shutil
import signal
import sys
from pathlib import Path

from bot.app import BotApp
from bot.config import ConfigError, Settings, load_settings, read_dotenv
from bot.sandbox.page import Chat, SandboxPage
from bot.sandbox.relay import Relay
from bot.sandbox.telegram_api import TelegramEmulator
from bot.web.serving import free_port

log = logging.getLogger(__name__)

FOLDER = Path("data/sandbox")
BOT_USERNAME = "kling_sandbox_bot"
GROUP_ID = -1001000000001
ALICE, BOB = 1001, 1002
# Long enough to watch a status message change, short enough not to bore.
TIME_SCALE = 0.3
FREE = ("Jobs run on the built-in ShortAPI emulator: nothing is charged and the results are "
        "simulated (the clip comes back with a visible change).")
REAL_MONEY = ("SHORTAPI_KEY is set: every job here is a real Kling job on ShortAPI and spends "
              "real money from your balance.")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bot sandbox",
        description="The real bot against an in-process Telegram Bot API emulator with a web "
                    "chat page: no token needed.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=None,
                        help="port to listen on (default: WEB_PORT, else 8080)")
    return parser.parse_args(argv)


def fake_token() -> str:
    return f"{secrets.randbelow(9 * 10**9) + 10**9}:{secrets.token_urlsafe(27)}"


def world(tg: TelegramEmulator) -> dict[str, Chat]:
    """A private chat with Alice and a group where Alice (its creator) and Bob talk."""
    alice = tg.user(ALICE, "Alice", "alice")
    bob = tg.user(BOB, "Bob", "bob")
    tg.chat(alice["id"], chat_type="private")
    tg.chat(GROUP_ID, chat_type="supergroup", title="Sandbox group")
    tg.set_member(GROUP_ID, alice["id"], "creator")
    tg.set_member(GROUP_ID, bob["id"], "member")
    return {
        "private": Chat("private", alice["id"], "Alice and the bot", {"Alice": alice}),
        "group": Chat("group", GROUP_ID, "Sandbox group", {"Alice": alice, "Bob": bob}),
    }


def bot_settings(base: Settings, token: str, api_url: str, folder: Path, *, web_port: int,
                 time_scale: float | None) -> Settings:
    return dataclasses.replace(
        base, telegram_bot_token=token, telegram_api_url=api_url, telegram_local_mode=False,
        telegram_mode="polling", web_host="127.0.0.1", web_port=web_port,
        database_path=folder / "bot.sqlite3", media_dir=folder / "media",
        # Alice is the sandbox bot's admin (so /stats and /export can be tried), and the
        # real bot's allow-lists, which name real Telegram ids, do not apply here.
        admin_user_ids=frozenset({ALICE}), allowed_user_ids=frozenset(),
        allowed_chat_ids=frozenset(),
        # With the emulator the bot links media on loopback by itself.
        public_url=base.public_url if not base.uses_emulator else None,
        emulator_time_scale=time_scale if time_scale is not None else TIME_SCALE,
    )


def fresh_folder(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "uploads").mkdir(parents=True)


def chosen_time_scale(base: Settings) -> float | None:
    """EMULATOR_TIME_SCALE when the operator set it (environment or .env), else None."""
    named = {**read_dotenv(Path(".env")), **os.environ}.get("EMULATOR_TIME_SCALE", "").strip()
    return base.emulator_time_scale if named else None


async def serve(host: str, port: int, base: Settings, stop: asyncio.Event) -> None:
    await asyncio.to_thread(fresh_folder, FOLDER)
    token = fake_token()
    tg = TelegramEmulator(token, bot_username=BOT_USERNAME, privacy_mode=True, host=host,
                          port=port)
    notice = {"level": "info", "text": FREE} if base.uses_emulator else {
        "level": "danger", "text": REAL_MONEY}
    page = SandboxPage(tg, (FOLDER / "uploads").resolve(), world(tg), [notice])
    web_port = free_port()
    relay = Relay(f"http://127.0.0.1:{web_port}")
    await tg.serve([*page.routes(), *relay.routes()])
    bot = BotApp(bot_settings(base, token, tg.url, FOLDER, web_port=web_port,
                              time_scale=chosen_time_scale(base)))
    try:
        await bot.start()
        if not base.uses_emulator:
            log.warning(REAL_MONEY)
        print(f"Sandbox: {tg.url}/", flush=True)
        await stop.wait()
    finally:
        await bot.stop()
        await tg.shutdown()
        await relay.aclose()


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    try:
        base = load_settings()
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    port = args.port if args.port is not None else base.web_port

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await serve(args.host, port, base, stop)

    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(run())
    except OSError as exc:  # the address is taken or not ours
        print(f"sandbox: cannot listen on {args.host}:{port}: {exc.strerror or exc}; "
              "pass --port", file=sys.stderr)
        return 2
    return 0
