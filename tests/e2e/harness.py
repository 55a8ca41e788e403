"""Runs the real bot (PTB Application, polling) against the fake Bot API and the emulator."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bot.app import BotApp
from bot.config import load_settings
from bot.emulator.server import EmulatorServer
from bot.emulator.state import EmulatorConfig
from bot.engine.deps import Timing
from bot.sandbox.telegram_api import Call, TelegramEmulator
from bot.web.serving import free_port

PROVIDER_KEY = "sk-test-provider-key-123456"
FAST = Timing(first_poll=0.3, poll_growth=1.5, max_poll_with_callback=1.0,
              max_poll_without_callback=0.5, job_timeout=60.0)


@dataclass
class Harness:
    tg: TelegramEmulator
    emulator: EmulatorServer | None
    bot: BotApp
    chat_id: int = 4242

    @property
    def em(self) -> Any:
        assert self.emulator is not None
        return self.emulator.emulator

    def mark(self) -> int:
        return len(self.tg.calls())

    async def answer(self, after: int, method: str = "sendMessage", timeout: float = 20.0,
                     chat_id: int | None = None) -> Call:
        """The bot's first successful `method` call in the chat since call index `after`."""
        chat = str(chat_id if chat_id is not None else self.chat_id)
        return await self.tg.wait_for_call(
            method, lambda c: c.ok and str(c.params.get("chat_id")) == chat,
            timeout=timeout, after=after)

    async def wait_job_state(self, job_id: int, state: str, timeout: float = 20.0) -> None:
        assert self.bot.db is not None
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            row = await self.bot.db.fetchone("SELECT state FROM jobs WHERE id = ?", (job_id,))
            if row is not None and row["state"] == state:
                return
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"job {job_id} is {row['state'] if row else None}, not {state}")
            await asyncio.sleep(0.05)

    async def reply_to(self, sent: dict[str, Any], method: str = "sendMessage",
                       timeout: float = 20.0) -> Call:
        """The bot's first `method` call that replies to `sent`."""
        mid = sent["message_id"]

        def replies(call: Call) -> bool:
            params = call.params
            target = (params.get("reply_parameters") or {}).get("message_id") or params.get(
                "reply_to_message_id")
            return call.ok and str(params.get("chat_id")) == str(sent["chat"]["id"]) and (
                target is not None and int(target) == mid)

        return await self.tg.wait_for_call(method, replies, timeout=timeout)

    async def delivery(self, sent: dict[str, Any], timeout: float = 30.0) -> Call:
        """The job's clip for the instruction `sent`: the editMessageMedia that put it into
        the status message replying to `sent` (see `as_clip` for its shape)."""
        mid = sent["message_id"]

        def into_its_status(call: Call) -> bool:
            media = call.params.get("media") or {}
            replied = (call.response or {}).get("reply_to_message") or {} if call.ok else {}
            return call.ok and media.get("type") == "video" and (
                str(call.params.get("chat_id")) == str(sent["chat"]["id"])
                and replied.get("message_id") == mid)

        edit = await self.tg.wait_for_call("editMessageMedia", into_its_status, timeout=timeout)
        # Delivery ends with the short "done" reply to the clip: wait for it too, so a test's
        # next mark() comes after it.
        status_id = edit.response["message_id"]
        await self.tg.wait_for_call(
            "sendMessage", lambda c: c.ok and (c.params.get("reply_parameters") or {}).get(
                "message_id") == status_id, timeout=timeout, after=edit.index)
        return as_clip(edit)


def as_clip(call: Call) -> Call:
    """An editMessageMedia call that put a clip into a message, shaped like the sendVideo it
    replaces: the InputMedia's fields (caption, width, ...) as params, its file as `video`."""
    media = dict(call.params.get("media") or {})
    params = {**call.params, **media, "video": media.get("media")}
    files = dict(call.files)
    if "media" in files:
        files["video"] = files["media"]
    return replace(call, params=params, files=files)


def deliveries(tg: TelegramEmulator, chat_id: int | None = None) -> list[Call]:
    """Every clip the bot put into a message (a job's delivery), as `as_clip` shapes it."""
    return [as_clip(c) for c in tg.calls("editMessageMedia")
            if c.ok and (c.params.get("media") or {}).get("type") == "video"
            and (chat_id is None or str(c.params.get("chat_id")) == str(chat_id))]


def clip_messages(tg: TelegramEmulator, chat_id: int) -> list[dict[str, Any]]:
    """The bot's messages in a chat that carry a clip now: what the user sees."""
    return [m for m in tg.bot_messages(chat_id) if "video" in m]


@asynccontextmanager
async def running_bot(
    tmp_path: Path, *, emulated_in_process: bool = False, env: dict[str, str] | None = None,
    emulator_config: EmulatorConfig | None = None, timing: Timing = FAST,
    tg: TelegramEmulator | None = None, emulator: EmulatorServer | None = None,
) -> AsyncIterator[Harness]:
    """The bot, started and stopped around the block. Pass `tg` / `emulator` to keep them
    across restarts of the bot (same tmp_path: same database and media)."""
    own_tg = tg is None
    tg = tg or TelegramEmulator()
    if own_tg:
        tg.start()
    own_emulator = emulator is None and not emulated_in_process
    port = free_port()
    values = {
        "TELEGRAM_BOT_TOKEN": tg.token,
        "TELEGRAM_API_URL": tg.url,
        "WEB_HOST": "127.0.0.1",
        "WEB_PORT": str(port),
        "DATABASE_PATH": str(tmp_path / "bot.sqlite3"),
        "MEDIA_DIR": str(tmp_path / "media"),
        "EMULATOR_TIME_SCALE": "0.02",
    }
    if own_emulator:
        emulator = EmulatorServer(emulator_config or EmulatorConfig(
            time_scale=0.02, callback_retry_seconds=0.05, work_dir=tmp_path / "emulator"))
        await emulator.start()
    if emulator is not None:
        values.update(SHORTAPI_KEY=PROVIDER_KEY, SHORTAPI_URL=emulator.url,
                      PUBLIC_URL=f"http://127.0.0.1:{port}")
    values.update(env or {})
    bot = BotApp(load_settings(values, dotenv=None), timing=timing)
    await bot.start()
    try:
        yield Harness(tg=tg, emulator=emulator, bot=bot)
    finally:
        await bot.stop()
        if own_emulator and emulator is not None:
            await emulator.stop()
        if own_tg:
            tg.stop()
