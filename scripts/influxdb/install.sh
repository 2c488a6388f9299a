#!/usr/bin/env bash
# Installs InfluxDB 1.x (Debian's influxdb, 1.6.7 on bookworm) for the services tier.
# Idempotent: a machine that has it does not touch apt.
set -euo pipefail

PKGS=(influxdb influxdb-client curl)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ "${#missing[@]}" = 0 ] && exit 0

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
echo "[influxdb/install] apt-get install ${missing[*]}" >&2
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
