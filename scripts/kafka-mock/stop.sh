#!/usr/bin/env bash
# Stops the mock cluster that start.sh STATE_DIR started (that pid only) and waits for it.
set -euo pipefail

state="${1:?usage: stop.sh STATE_DIR}"
[ -f "$state/pid" ] || exit 0
pid="$(cat "$state/pid")"
if kill "$pid" 2>/dev/null; then
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
fi
rm -f "$state/pid"
