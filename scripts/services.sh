#!/usr/bin/env bash
# The real-server tier of the data sinks: `vitest --project services` with every
# service of scripts/with-services.sh up (installed once per machine, started on
# loopback, their addresses in the environment, stopped afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."
exec bash scripts/with-services.sh npx vitest run --project services "$@"
