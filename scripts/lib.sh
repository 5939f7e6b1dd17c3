# Shell helpers shared by scripts/services.sh and scripts/browser.sh (sourced, not run).
# The sourcing script sets SAY_TAG (e.g. "services") before sourcing.

say() { echo "[${SAY_TAG:-scripts}] $*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    say "need root to run: $*"; return 1; fi
}

apt_install() {
  say "installing with apt-get: $*"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq >/dev/null || true
  as_root apt-get install -y -qq "$@" >/dev/null
}
