"""A Telegram Bot API emulator and the sandbox built on it (`python -m bot sandbox`).

The tests, the benchmarks and the sandbox drive the real bot through this one emulator:
`TelegramEmulator` speaks the Bot API over HTTP like the cloud server (errors, long polling,
entities, file limits, uploads) and offers levers to act as users and to read what the bot did.
"""

from bot.sandbox.telegram_api import TelegramEmulator
from bot.sandbox.tg_wire import Call

__all__ = ["Call", "TelegramEmulator"]
