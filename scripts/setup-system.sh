#!/usr/bin/env bash
# Debian packages the program and its tests need on a fresh machine (run as root; skipped when present).
set -euo pipefail
want=(
  # Qt (PySide6 wheels) on a headless machine and on a desktop (xcb)
  libegl1 libgl1 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0 libdbus-1-3 libglib2.0-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-xkb1
  libxcb-shape0 libxcb-randr0 libxcb-xinerama0
  # pdffonts / pdftoppm for checking printed PDFs; a throwaway PostgreSQL for the shared-office tests
  poppler-utils postgresql
)
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages (run as root or install them): ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=900 update -qq
  apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}"
fi
