#!/usr/bin/env bash
# Installs MariaDB (Debian's mariadb-server) for the services tier. Idempotent:
# a machine that has it touches no apt at all. The packages' own service is not
# started (policy-rc.d blocks it): start.sh runs a throw-away server instead.
set -euo pipefail

PKGS=(mariadb-server mariadb-client)

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "[mariadb/install] apt-get install ${missing[*]}" >&2
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
command -v mariadbd >/dev/null || { echo "[mariadb/install] mariadbd not found after install" >&2; exit 1; }
