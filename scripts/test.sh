#!/usr/bin/env bash
# Installs everything the tests need (Python packages, the spaCy model, Debian's chromium for
# the browser tests), runs the lint and type checks, then the whole test suite.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test || exit 1
if [ -f scripts/install-browser.sh ]; then
  bash scripts/install-browser.sh
fi
status=0
echo "== ruff"; .venv/bin/ruff check src tests scripts || status=1
echo "== mypy"; .venv/bin/mypy || status=1
echo "== pytest"; .venv/bin/python -m pytest "$@" || status=1
exit $status
