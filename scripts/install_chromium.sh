#!/bin/sh
# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
set -e
if [ "$(id -u)" != 0 ]; then
  echo "chromium: /usr/bin/chromium is missing. Install it with: sudo apt-get update && sudo apt-get install -y chromium" >&2
  exit 1
fi
echo "chromium: installing Debian's chromium package"
apt-get update -qq || { echo "chromium: apt-get update failed — is the Debian mirror reachable?" >&2; exit 1; }
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
  || { echo "chromium: apt-get install chromium failed" >&2; exit 1; }
