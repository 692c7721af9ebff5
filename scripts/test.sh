#!/usr/bin/env bash
# Installs what the tests need (uv, the locked environment, Debian's chromium where possible)
# and runs the whole test suite. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet uv
export UV_PYTHON_DOWNLOADS=never

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "warning: could not install chromium; browser tests will be skipped"
  else
    echo "note: /usr/bin/chromium is absent and this is not root; browser tests will be skipped"
  fi
fi

uv sync --frozen --extra test --quiet
uv run --frozen ruff check hotspots tests benchmarks app.py
uv run --frozen pytest "$@"
