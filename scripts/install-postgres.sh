#!/usr/bin/env bash
# Debian's PostgreSQL server programs for the hub's tests, WITHOUT a system cluster: the tests
# start a throw-away server of their own (scripts/test-postgres.sh) and remove it afterwards, so
# nothing keeps running or starts at boot. A cluster made before this ran is left alone.
set -euo pipefail
PG_VERSION=${PG_VERSION:-15}
if ls -d /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  exit 0
fi
sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
echo "==> PostgreSQL $PG_VERSION server programs for the tests (no system cluster)"
# postgresql-common reads this folder when the package would create its "main" cluster.
"${sudo_cmd[@]}" mkdir -p /etc/postgresql-common/createcluster.d
echo "create_main_cluster = false" \
  | "${sudo_cmd[@]}" tee /etc/postgresql-common/createcluster.d/kiosk-tests-no-main-cluster.conf >/dev/null
"${sudo_cmd[@]}" apt-get update
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y --no-install-recommends \
  "postgresql-$PG_VERSION" "postgresql-client-$PG_VERSION"
# With no cluster the service has nothing to run; keep it from starting at boot all the same
# (`systemctl disable` works without a running systemd too, e.g. in a container or chroot).
if command -v systemctl >/dev/null && [ -z "$(ls -A /etc/postgresql/ 2>/dev/null)" ]; then
  "${sudo_cmd[@]}" systemctl disable postgresql >/dev/null 2>&1 || true
  if [ -d /run/systemd/system ]; then "${sudo_cmd[@]}" systemctl stop postgresql || true; fi
fi
