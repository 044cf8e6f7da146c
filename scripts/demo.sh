#!/usr/bin/env bash
# Installs Storyline into ./.venv and runs the demo on the bundled example corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/storyline demo "$@"
