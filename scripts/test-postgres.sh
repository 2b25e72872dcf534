#!/usr/bin/env bash
# A throw-away PostgreSQL cluster on 127.0.0.1 for the hub's tests.
#   source scripts/test-postgres.sh start   # installs Debian's server programs if missing, starts a
#                                           # cluster in a temp folder, exports KIOSK_TEST_POSTGRES_URL
#   scripts/test-postgres.sh stop DIR       # stops it and removes the folder
# The server runs as the "postgres" system user when this runs as root (PostgreSQL refuses root).
set -euo pipefail

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$dir" ] && echo "$dir"
}

install_postgres() {
  # Server programs only: no system cluster is created or enabled (see install-postgres.sh).
  [ -n "$(pg_bin)" ] || bash "$(dirname "${BASH_SOURCE[0]}")/install-postgres.sh"
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  install_postgres
  local bin dir port
  bin=$(pg_bin)
  dir=$(mktemp -d /tmp/kiosk-pg.XXXXXX)
  chmod 755 "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
  port=$(free_port)
  as_owner "$bin/initdb" -D "$dir/data" -U kiosk --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || as_owner "$bin/initdb" -D "$dir/data" -U kiosk --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U kiosk kiosk_test
  export KIOSK_TEST_POSTGRES_DIR="$dir"
  export KIOSK_TEST_POSTGRES_URL="postgresql://kiosk@127.0.0.1:$port/kiosk_test"
  echo "PostgreSQL for tests: $KIOSK_TEST_POSTGRES_URL"
}

stop() {
  local dir=${1:-${KIOSK_TEST_POSTGRES_DIR:-}}
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: source $0 start | $0 stop DIR" >&2; exit 2 ;;
esac
