#!/usr/bin/env bash
# Set up what this checkout needs on Debian 12 (Python 3.11), then a .venv with the project.
#   bash scripts/setup.sh kiosk   only what the kiosk needs to run: Qt's system libraries and
#                                 espeak-ng, and the project with its [app] profile. No browser,
#                                 no database server, no test tools.
#   bash scripts/setup.sh test    (the default) everything for development and the whole test
#                                 suite: both profiles, the test tools, and the Debian programs the
#                                 tests drive (chromium, Xvfb, poppler, zbar, ImageMagick,
#                                 PostgreSQL without any system cluster).
# System packages come from apt-get (through sudo when not root), without "recommended" extras.
# Safe to run again: it only does what is not done yet.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-test}

QT_LIBS=(libegl1 libgl1 libfontconfig1 libfreetype6 libxkbcommon0 libxkbcommon-x11-0 libglib2.0-0
         libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0
         libxcb-render-util0 libxcb-xinerama0 libxcb-image0 libxcb-xkb1 libxrender1 libxi6)
# espeak-ng speaks the lessons offline; python3-venv makes the .venv.
KIOSK_PKGS=(python3-venv espeak-ng)
# What the tests call: pdftoppm/pdfinfo/pdffonts (poppler-utils) and zbarimg (zbar-tools) check the
# printed guides; chromium runs the dashboard's browser test through Playwright, whose driver needs
# libatomic1 (gcc hides its absence); Xvfb, openbox, xdotool, x11-utils and ImageMagick run and
# watch the real kiosk in the real-use tests.
TEST_PKGS=(poppler-utils zbar-tools chromium libatomic1 xvfb openbox xdotool x11-utils imagemagick)

case "$profile" in
  kiosk) pkgs=("${QT_LIBS[@]}" "${KIOSK_PKGS[@]}"); extras=app ;;
  test) pkgs=("${QT_LIBS[@]}" "${KIOSK_PKGS[@]}" "${TEST_PKGS[@]}"); extras=test ;;
  *) echo "usage: bash scripts/setup.sh [kiosk|test]" >&2; exit 2 ;;
esac

missing=()
for pkg in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "==> System packages (${#missing[@]}): ${missing[*]}"
  sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y --no-install-recommends \
    "${missing[@]}"
fi
if [ "$profile" = test ]; then
  bash scripts/install-postgres.sh
fi

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  echo "==> Python environment: .venv"
  "$PYTHON" -m venv .venv
fi
# One stamp per profile; the test profile includes the kiosk's, so either satisfies "kiosk".
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
done_for() { [ "$(cat ".venv/.setup-$1" 2>/dev/null)" = "$want" ]; }
if done_for "$profile" || { [ "$profile" = kiosk ] && done_for test; }; then
  exit 0
fi
echo "==> Python packages: the project with [$extras] (the first time takes a few minutes)"
.venv/bin/python -m pip install --upgrade pip
.venv/bin/python -m pip install --progress-bar on -e ".[$extras]"
echo "$want" > ".venv/.setup-$profile"
echo "==> Set-up done ($profile)"
