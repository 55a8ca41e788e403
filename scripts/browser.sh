#!/usr/bin/env bash
# A Chromium for the browser test (tests/e2e/test_sandbox_browser.py). Playwright drives the
# system's Chromium: its own browser download cannot work where only package registries are
# reachable. Installs Debian's package when it is missing and we may (root with apt-get).
set -euo pipefail
for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    exit 0
  fi
done
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Chromium (Debian package) for the browser test..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
else
  echo "No Chromium found and cannot install it here (needs root and apt-get): the browser" >&2
  echo "test will fail. Install chromium, or set CHROMIUM_PATH to a Chromium binary." >&2
fi
