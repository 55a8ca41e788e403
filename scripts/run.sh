#!/usr/bin/env bash
# Set everything up and run the bot (settings from .env and the environment).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ ! -f .env ]; then
  cp .env.example .env
  if [ -z "${TELEGRAM_BOT_TOKEN:-}" ]; then
    echo "Created .env from .env.example. Put your bot token from @BotFather in TELEGRAM_BOT_TOKEN"
    echo "there (and SHORTAPI_KEY, or leave it empty for the free emulator), then run this again."
    exit 1
  fi
fi
exec .venv/bin/python -m bot "$@"
