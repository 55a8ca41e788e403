"""A bare python-telegram-bot echo bot: the framework's own ceiling on the same fake server.

No rate limiter, no database, no provider: each text is answered with itself, as a reply.
ECHO_CONCURRENT=N sets `concurrent_updates(N)`; 0 (the default) keeps PTB's default of
processing updates one by one. Polling uses the same settings as the bot
(getUpdates timeout 10 s, read timeout 30 s).
"""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.text is not None
    await message.reply_text(message.text, do_quote=True)


def main() -> None:
    url = os.environ["TELEGRAM_API_URL"]
    builder = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(f"{url}/bot")
        .base_file_url(f"{url}/file/bot")
        .get_updates_read_timeout(30)
    )
    concurrent = int(os.environ.get("ECHO_CONCURRENT") or 0)
    if concurrent:
        builder = builder.concurrent_updates(concurrent)
    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.run_polling(allowed_updates=Update.ALL_TYPES, timeout=10)


if __name__ == "__main__":
    main()
