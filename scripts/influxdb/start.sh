#!/usr/bin/env bash
# Starts a throw-away InfluxDB 1.x on free loopback ports for the services tier,
# with authentication on and one admin user.
#
# Usage: scripts/influxdb/start.sh STATE_DIR
# Writes STATE_DIR/influxdb.conf (data, wal and meta dirs under STATE_DIR, no usage
# reporting, every listener on 127.0.0.1), STATE_DIR/pid (the influxd it started)
# and STATE_DIR/env:
#   export INFLUXDB_URL=http://127.0.0.1:PORT
#   export INFLUXDB_USER=keventer INFLUXDB_PASSWORD=<random>   (an admin)
set -euo pipefail

state="${1:?usage: start.sh STATE_DIR}"
mkdir -p "$state"
state="$(cd "$state" && pwd)"
log() { echo "[influxdb/start] $*" >&2; }

# Free ports from the kernel; released just before influxd binds them.
read -r http_port rpc_port < <(node -e "
const net = require('net');
const a = net.createServer().listen(0, '127.0.0.1', () => {
  const b = net.createServer().listen(0, '127.0.0.1', () => {
    console.log(a.address().port, b.address().port); a.close(); b.close();
  });
});")

rm -rf "$state/meta" "$state/data" "$state/wal"
cat >"$state/influxdb.conf" <<CONF
reporting-enabled = false
bind-address = "127.0.0.1:$rpc_port"
[meta]
  dir = "$state/meta"
[data]
  dir = "$state/data"
  wal-dir = "$state/wal"
  query-log-enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:$http_port"
  auth-enabled = true
  log-enabled = false
[monitor]
  store-enabled = false
[continuous_queries]
  enabled = false
CONF

influxd -config "$state/influxdb.conf" >"$state/influxd.log" 2>&1 &
pid=$!
echo "$pid" >"$state/pid"

url="http://127.0.0.1:$http_port"
deadline=$((SECONDS + 30))
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/ping")" = 204 ]; do
  if ! kill -0 "$pid" 2>/dev/null; then log "influxd exited:"; tail -20 "$state/influxd.log" >&2; exit 1; fi
  if [ "$SECONDS" -gt "$deadline" ]; then log "not ready after 30 s"; kill "$pid"; exit 1; fi
  sleep 0.1
done

# With auth on and no user yet, InfluxDB lets anyone create the first admin.
password="$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
curl -sf -o /dev/null "$url/query" \
  --data-urlencode "q=CREATE USER keventer WITH PASSWORD '$password' WITH ALL PRIVILEGES"

cat >"$state/env" <<ENV
export INFLUXDB_URL=$url
export INFLUXDB_USER=keventer
export INFLUXDB_PASSWORD=$password
ENV
log "influxd $pid on $url"
