#!/usr/bin/env bash
# Set everything up and run the bot (reads .env).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
[ -f .env ] || { cp .env.example .env; echo "Created .env from .env.example: put your TELEGRAM_BOT_TOKEN in it."; }
exec .venv/bin/python -m bot "$@"
