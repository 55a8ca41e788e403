"""The operator's log lines: English only, never a chat's."""

from __future__ import annotations

EMULATOR_BANNER = (
    "SHORTAPI_KEY is not set: jobs run on the built-in ShortAPI emulator. Nothing is charged "
    "and results are simulated. Set SHORTAPI_KEY in .env to use the real provider."
)
NO_PUBLIC_URL_WARNING = (
    "PUBLIC_URL is not set: the provider cannot fetch videos, so video jobs will be refused "
    "with an explanation. Set PUBLIC_URL."
)
TOKEN_REJECTED = (
    "Telegram rejected TELEGRAM_BOT_TOKEN: check it with @BotFather (/token), or create a new one"
)
# a log line with %-style arguments: the Bot API root, the fault, the pause in seconds
TELEGRAM_UNREACHABLE = "Telegram Bot API at %s cannot be reached (%s); trying again in %.0f s"
