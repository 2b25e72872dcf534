#!/usr/bin/env bash
# Set up everything the kiosk and its tests need on Debian 12 with Python 3.11:
# the Qt system libraries and tools (espeak-ng, poppler-utils, zbar-tools) if missing, and a .venv
# with the project installed.
# Safe to run again: it only does what is not done yet.
set -euo pipefail
cd "$(dirname "$0")/.."

QT_LIBS=(libegl1 libgl1 libfontconfig1 libfreetype6 libxkbcommon0 libxkbcommon-x11-0 libglib2.0-0
         libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0
         libxcb-render-util0 libxcb-xinerama0 libxcb-image0 libxcb-xkb1 libxrender1 libxi6)

# Tools the kiosk and its tests call: espeak-ng speaks the lessons offline; pdftoppm/pdfinfo
# (poppler-utils) and zbarimg (zbar-tools) check the printed take-home guides; chromium runs the
# ward dashboard's browser test (driven by Playwright, which never downloads a browser of its own).
TOOL_PKGS=(espeak-ng poppler-utils zbar-tools chromium)

missing=()
for pkg in "${QT_LIBS[@]}" "${TOOL_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "Installing system packages: ${missing[*]}"
  sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q "${missing[@]}"
fi

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.setup-stamp
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[test]'
  echo "$want" > "$stamp"
fi
