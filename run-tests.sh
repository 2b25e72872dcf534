#!/usr/bin/env bash
# Set up (first time only) and run the whole test suite, with no display needed.
# Extra arguments go to pytest, e.g. ./run-tests.sh -k lessons
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
status=0
.venv/bin/python -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure" >&2
  exit 1
fi
exit "$status"
