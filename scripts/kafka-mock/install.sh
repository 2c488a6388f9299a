#!/usr/bin/env bash
# Installs librdkafka's headers, gcc and kcat (a consumer the tests read with) from Debian and builds the mock cluster
# program (mock.c) for the services tier. Idempotent: a machine that has the
# packages touches no apt, and the binary is cached by the hash of mock.c, so a
# machine builds it once (about a second).
#
# Usage: scripts/kafka-mock/install.sh [--path]   (--path: print the binary's path on stdout)
# Env:   KEVENTER_CACHE_DIR (default /var/cache/keventer)
set -euo pipefail
cd "$(dirname "$0")"

PKGS=(librdkafka-dev gcc libc6-dev kcat)
CACHE_DIR="${KEVENTER_CACHE_DIR:-/var/cache/keventer}"

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
log() { echo "[kafka-mock/install] $*" >&2; }

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 ||
    { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2; }
fi

hash="$(sha256sum mock.c | cut -c1-12)"
bin="$CACHE_DIR/kafka-mock-$hash"
if [ ! -x "$bin" ]; then
  $SUDO mkdir -p "$CACHE_DIR"
  tmp="$(mktemp "$CACHE_DIR/kafka-mock.XXXXXX")"
  log "building $bin"
  gcc -O2 -Wall -Wextra -Werror -o "$tmp" mock.c -lrdkafka
  mv "$tmp" "$bin"
fi
if [ "${1:-}" = "--path" ]; then echo "$bin"; fi
