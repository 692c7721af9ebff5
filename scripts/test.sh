#!/usr/bin/env bash
# Installs what the tests need (uv, the locked environment, Debian's chromium and
# PostgreSQL + PostGIS where possible) and runs the whole test suite (or the pytest
# arguments given), on two CPUs where there are two. Exits with pytest's code; non-zero on
# any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet uv
export UV_PYTHON_DOWNLOADS=never

# The highest PostgreSQL major version whose server binaries are installed ("" when none).
pg_major() {
  local initdb major=""
  for initdb in /usr/lib/postgresql/*/bin/initdb; do
    [ -x "$initdb" ] || continue
    major="$(basename "$(dirname "$(dirname "$initdb")")")"
    echo "$major"
  done | sort -n | tail -n 1
}

need_chromium=0
[ -x /usr/bin/chromium ] || need_chromium=1
need_poppler=0
command -v pdftoppm >/dev/null 2>&1 || need_poppler=1
need_postgres=0
major="$(pg_major)"
if [ -z "$major" ] || [ ! -f "/usr/share/postgresql/$major/extension/postgis.control" ]; then
  need_postgres=1
fi

if [ "$need_chromium" = 1 ] || [ "$need_postgres" = 1 ] || [ "$need_poppler" = 1 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    apt_updated=0
    apt_update() {
      [ "$apt_updated" = 1 ] && return 0
      apt-get update -qq && apt_updated=1
    }
    apt_install() {
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    }
    if [ "$need_chromium" = 1 ]; then
      echo "Installing Debian's chromium for the browser tests..."
      if ! { apt_update && apt_install chromium; }; then
        echo "warning: could not install chromium; browser tests will be skipped"
      fi
    fi
    if [ "$need_poppler" = 1 ]; then
      echo "Installing Debian's poppler-utils (the report tests look at PDF pages as PNG)..."
      if ! { apt_update && apt_install poppler-utils; }; then
        echo "warning: could not install poppler-utils; the PDF page test will be skipped"
      fi
    fi
    if [ "$need_postgres" = 1 ]; then
      echo "Installing Debian's PostgreSQL and PostGIS for the PostgreSQL store tests..."
      # The PostGIS package is named after the server's major version, known only once
      # the server is installed.
      if ! { apt_update && { [ -n "$major" ] || apt_install postgresql; } \
        && major="$(pg_major)" && [ -n "$major" ] \
        && apt_install "postgresql-$major-postgis-3"; }; then
        echo "warning: could not install PostgreSQL/PostGIS; PostgreSQL tests will be skipped (or fail, under CI=true)"
      fi
    fi
  else
    if [ "$need_chromium" = 1 ]; then
      echo "note: /usr/bin/chromium is absent and this is not root; browser tests will be skipped"
    fi
    if [ "$need_postgres" = 1 ]; then
      echo "note: PostgreSQL/PostGIS is absent and this is not root with apt-get; PostgreSQL tests will be skipped"
    fi
  fi
fi

uv sync --frozen --extra test --quiet
uv run --frozen ruff check hotspots tests benchmarks app.py
# the layers of docs/architecture.md: an import against the flow fails here
uv run --frozen lint-imports
# Two worker processes (pytest-xdist) where there are two CPUs or more, each running a whole
# test module at a time (--dist loadfile: a module's servers and fixtures stay in one process);
# HOTSPOTS_TEST_WORKERS=N sets the number, 0 runs everything in this process, as does -n 0
# among the arguments.
cpus="$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)"
workers="${HOTSPOTS_TEST_WORKERS:-$([ "$cpus" -ge 2 ] && echo 2 || echo 0)}"
uv run --frozen pytest -n "$workers" --dist loadfile "$@"
