#!/usr/bin/env bash
# The real-server tier of the data sinks: installs (once per machine) and starts
# each service on loopback, runs `vitest --project services` with their
# addresses in the environment, and stops what it started.
#
# Each service is a folder scripts/<service>/ with
#   install.sh            idempotent; installs what is missing (apt)
#   start.sh STATE_DIR    starts it on a free loopback port, writes STATE_DIR/env
#                         (export lines: the address, credentials) and STATE_DIR/pid
#   stop.sh STATE_DIR     stops only what start.sh started
set -euo pipefail
cd "$(dirname "$0")/.."

SERVICES=(mariadb influxdb)
state="$(mktemp -d /tmp/keventer-services.XXXXXX)"
started=()
cleanup() {
  for service in "${started[@]}"; do bash "scripts/$service/stop.sh" "$state/$service" || true; done
  rm -rf "$state"
}
trap cleanup EXIT

for service in "${SERVICES[@]}"; do
  [ -f "scripts/$service/start.sh" ] || continue
  bash "scripts/$service/install.sh"
  mkdir -p "$state/$service"
  bash "scripts/$service/start.sh" "$state/$service"
  started+=("$service")
  # shellcheck disable=SC1090
  source "$state/$service/env"
done

npx vitest run --project services "$@"
