#!/usr/bin/env bash
# Set up (first time only) and start the kiosk. Installs only what the kiosk needs (Qt's system
# libraries, espeak-ng, the project with its [app] profile). Extra arguments go to `kiosk run`,
# e.g. ./run-kiosk.sh --fullscreen   or   ./run-kiosk.sh --mode admin
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh kiosk
exec .venv/bin/kiosk run "$@"
