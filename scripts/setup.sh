#!/usr/bin/env bash
# Create .venv and install the bot with its development tools. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
# The translations: .po -> .mo (the bot would otherwise compile them in memory at start).
bash scripts/i18n.sh compile
