#!/usr/bin/env bash
# Makes sure the browser the web stories drive is here: Debian's Chromium at /usr/bin/chromium
# (or CHROMIUM_PATH), installed with apt-get when missing. Used by `npm test` and `.ci/run`.
set -euo pipefail

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
SAY_TAG=browser
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [ -x "$CHROMIUM" ]; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  say "no Chromium at $CHROMIUM and no apt-get to install it: install Chromium and set CHROMIUM_PATH"
  exit 1
fi
apt_install chromium
[ -x "$CHROMIUM" ] || { say "chromium installed but not at $CHROMIUM: set CHROMIUM_PATH"; exit 1; }
