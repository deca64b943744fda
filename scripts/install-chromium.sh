#!/usr/bin/env bash
# Makes sure a headless Chromium is there for the report test (test/report-browser.test.ts opens
# report.html in it with the network off). Idempotent: returns at once when it is installed.
set -euo pipefail

chromium="${LOADCTL_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "install-chromium: installing Debian's chromium (first time only)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "install-chromium: no Chromium at $chromium. Install it (Debian: sudo apt-get install chromium) or set LOADCTL_CHROMIUM to its path." >&2
exit 1
