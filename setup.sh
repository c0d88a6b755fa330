#!/usr/bin/env bash
# Create .venv and install the assistant (CPU torch pinned first: an unpinned torch pulls a CUDA build).
# Usage: bash setup.sh [dev]   — "dev" adds the test tools and the Chromium browser for UI tests.
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check "torch==2.13.0"
if [ "${1:-}" = "dev" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[dev]"
  if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = "0" ]; then
      (apt-get update -qq && apt-get install -y -qq chromium) >/dev/null
    else
      echo "the browser tests need Chromium: run 'sudo apt-get install -y chromium'" >&2
    fi
  fi
else
  .venv/bin/python -m pip install -q --disable-pip-version-check -e .
fi
