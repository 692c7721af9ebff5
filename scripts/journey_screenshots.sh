#!/usr/bin/env bash
# Walks the browser journeys (tests/test_journeys.py: the planner, the EST meeting and the
# analyst, in Swedish and in English, against a real `hotspots app`) and writes a screenshot
# of every step to docs/journeys/ (or the folder given as the first argument), replacing the
# ones there. Look at them before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-docs/journeys}"
mkdir -p "$out"
find "$out" -maxdepth 1 -name '*.png' -delete
HOTSPOTS_JOURNEY_SHOTS="$(cd "$out" && pwd)" uv run --frozen pytest -q -p no:cacheprovider \
  tests/test_journeys.py
ls -1 "$out"
