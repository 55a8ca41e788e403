#!/usr/bin/env bash
# Set everything up and run the whole test suite, then the linters.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/browser.sh
.venv/bin/python -m pytest "$@"
.venv/bin/python -m ruff check bot tests bench
.venv/bin/python -m mypy
.venv/bin/hadolint Dockerfile
