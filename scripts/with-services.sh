#!/usr/bin/env bash
# Runs a command with the project's real servers up: installs (once per machine)
# and starts each service of SERVICES on loopback, exports their addresses (each
# service's env file), runs the command, then stops what it started.
#
# Usage: scripts/with-services.sh CMD [ARGS...]
#   e.g. scripts/with-services.sh node bench/dist/sinks.js
#
# Each service is a folder scripts/<service>/ with
#   install.sh            idempotent; installs what is missing (apt)
#   start.sh STATE_DIR    starts it on a free loopback port, writes STATE_DIR/env
#                         (export lines: the address, credentials) and STATE_DIR/pid
#   stop.sh STATE_DIR     stops only what start.sh started
# The command also gets KEVENTER_SERVICES_STATE: STATE_DIR of <service> is $KEVENTER_SERVICES_STATE/<service>.
# A service without a start.sh is skipped (its tests skip or fail on the missing address).
set -euo pipefail
[ "$#" -gt 0 ] || { echo "usage: $0 CMD [ARGS...]" >&2; exit 2; }
root="$(cd "$(dirname "$0")/.." && pwd)"

SERVICES=(mariadb influxdb kafka-mock)
state="$(mktemp -d /tmp/keventer-services.XXXXXX)"
started=()
cleanup() {
  for service in "${started[@]}"; do bash "$root/scripts/$service/stop.sh" "$state/$service" || true; done
  rm -rf "$state"
}
trap cleanup EXIT

for service in "${SERVICES[@]}"; do
  [ -f "$root/scripts/$service/start.sh" ] || continue
  bash "$root/scripts/$service/install.sh"
  mkdir -p "$state/$service"
  # Registered before it starts: a start.sh that fails halfway has its pid file to stop.
  started+=("$service")
  bash "$root/scripts/$service/start.sh" "$state/$service"
  # shellcheck disable=SC1090
  source "$state/$service/env"
done

# Where each service's pid file is (STATE/<service>/pid), for a benchmark's CPU figures.
export KEVENTER_SERVICES_STATE="$state"
# Not exec: the trap stops the services after the command, whatever its status.
status=0
"$@" || status=$?
exit "$status"
