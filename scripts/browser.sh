#!/usr/bin/env bash
# Makes sure the browser the web stories drive is here: Debian's Chromium at /usr/bin/chromium
# (or CHROMIUM_PATH), installed with apt-get when missing. Used by `npm test` and `.ci/run`.
set -euo pipefail

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
say() { echo "[browser] $*" >&2; }

if [ -x "$CHROMIUM" ]; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  say "no Chromium at $CHROMIUM and no apt-get to install it: install Chromium and set CHROMIUM_PATH"
  exit 1
fi
run_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    say "need root to run: $*"; return 1; fi
}
say "installing Debian's chromium with apt-get (for the browser stories)"
export DEBIAN_FRONTEND=noninteractive
run_as_root apt-get update -qq >/dev/null || true
run_as_root apt-get install -y -qq chromium >/dev/null
[ -x "$CHROMIUM" ] || { say "chromium installed but not at $CHROMIUM: set CHROMIUM_PATH"; exit 1; }
