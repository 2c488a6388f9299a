#!/usr/bin/env bash
# Starts librdkafka's mock Kafka cluster (3 brokers on random loopback ports)
# for the services tier.
#
# Usage: scripts/kafka-mock/start.sh STATE_DIR
# Writes STATE_DIR/pid (the mock it started) and STATE_DIR/env:
#   export KAFKA_BROKERS=127.0.0.1:PORT1,127.0.0.1:PORT2,127.0.0.1:PORT3
#   export KAFKA_MOCK_BIN=<the program>   (tests start their own cluster to take brokers down)
# Topics are created on first produce (4 partitions); the mock has no
# controller, so kafkajs's admin.createTopics and idempotent producer fail on it.
set -euo pipefail

state="${1:?usage: start.sh STATE_DIR}"
mkdir -p "$state"
state="$(cd "$state" && pwd)"
log() { echo "[kafka-mock/start] $*" >&2; }

bin="$(bash "$(dirname "$0")/install.sh" --path)"
rm -f "$state/out" "$state/env"
# stdin at EOF: this cluster takes no commands and runs until SIGTERM.
"$bin" -b 3 </dev/null >"$state/out" 2>"$state/err" &
pid=$!
echo "$pid" >"$state/pid"

deadline=$((SECONDS + 10))
until grep -q '^bootstraps ' "$state/out" 2>/dev/null; do
  if ! kill -0 "$pid" 2>/dev/null; then log "the mock exited:"; cat "$state/err" >&2; exit 1; fi
  if [ "$SECONDS" -gt "$deadline" ]; then log "no bootstraps after 10 s"; kill "$pid"; exit 1; fi
  sleep 0.05
done
brokers="$(sed -n 's/^bootstraps //p' "$state/out" | head -1)"

{
  echo "export KAFKA_BROKERS=$brokers"
  echo "export KAFKA_MOCK_BIN=$bin"
} >"$state/env"
log "kafka-mock $pid on $brokers"
