#!/usr/bin/env bash
# Set up (first time only) and run the whole test suite, with no display needed, PostgreSQL
# included: a throw-away server on 127.0.0.1 is started for the run and removed afterwards
# (unless KIOSK_TEST_POSTGRES_URL already names one). Extra arguments go to pytest,
# e.g. ./run-tests.sh -k lessons
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh test
export QT_QPA_PLATFORM=offscreen
if [ -z "${KIOSK_TEST_POSTGRES_URL:-}" ]; then
  source scripts/test-postgres.sh start
  trap 'bash scripts/test-postgres.sh stop "$KIOSK_TEST_POSTGRES_DIR"' EXIT
fi
status=0
.venv/bin/python -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure" >&2
  exit 1
fi
exit "$status"
