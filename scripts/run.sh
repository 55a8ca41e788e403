#!/usr/bin/env bash
# Set everything up and run the bot (settings from .env and the environment). Without a bot
# token (nothing in the environment, none in .env) it starts the sandbox instead: the whole
# bot in a browser page, against a built-in Telegram, until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
token="${TELEGRAM_BOT_TOKEN:-}"
if [ -z "$token" ] && [ -f .env ]; then
  token="$(sed -n -E 's/^[[:space:]]*(export[[:space:]]+)?TELEGRAM_BOT_TOKEN[[:space:]]*=[[:space:]]*//p' .env \
    | tail -n 1 | tr -d "\"' \r")"
fi
if [ -z "$token" ] && { [ $# -eq 0 ] || [[ "$1" == --* ]]; }; then
  {
    echo "No TELEGRAM_BOT_TOKEN set: starting the sandbox (the real bot in your browser, no token"
    echo "needed). To go live, put a token from @BotFather in .env (cp .env.example .env) and run"
    echo "this again."
  } >&2
  exec .venv/bin/python -m bot sandbox "$@"
fi
exec .venv/bin/python -m bot "$@"
