#!/usr/bin/env bash
# Set everything up and run the benchmark suite (pass --full for the long profile).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m bench "$@"
