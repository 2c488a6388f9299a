#!/usr/bin/env bash
# Start a throw-away etcd + kube-apiserver on 127.0.0.1 for e2e tests.
#
# Usage: scripts/kube-apiserver/start.sh STATE_DIR
# Env (optional):
#   KUBE_APISERVER_BIN        binary (default: the one install.sh caches)
#   ETCD_PORT, ETCD_PEER_PORT, APISERVER_PORT   fixed ports (default: random free)
#   KUBE_APISERVER_EXTRA_ARGS extra apiserver flags, e.g. "--watch-cache=false"
#   READY_TIMEOUT             seconds to wait for /readyz (default 60)
# Writes under STATE_DIR: kubeconfig, env (shell exports), config, *.pid, *.log,
# certs/, etcd-data/, tokens.csv, sa.key. Stop with: ctl.sh STATE_DIR stop
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 STATE_DIR" >&2; exit 2; }
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$1"
STATE="$(cd "$1" && pwd)"
# shellcheck source=lib.sh
. "$HERE/lib.sh"

CACHE_DIR="${KEVENTER_CACHE_DIR:-/var/cache/keventer}"
APISERVER_BIN="${KUBE_APISERVER_BIN:-$CACHE_DIR/kube-apiserver-v1.20.2-reflect2fix}"
ETCD_BIN="$(command -v etcd || true)"
[ -x "$APISERVER_BIN" ] || die "$APISERVER_BIN missing; run scripts/kube-apiserver/install.sh"
[ -n "$ETCD_BIN" ] || die "etcd missing; run scripts/kube-apiserver/install.sh"
if pid_alive etcd etcd || pid_alive apiserver kube-apiserver; then
  die "already running in $STATE; stop it first with ctl.sh $STATE stop"
fi

start=$SECONDS
# A fresh state each time: old etcd data would carry objects between runs.
rm -rf "$STATE/etcd-data" "$STATE/certs" "$STATE"/*.log
mkdir -p "$STATE/certs"

ETCD_PORT="${ETCD_PORT:-$(pick_port)}"
ETCD_PEER_PORT="${ETCD_PEER_PORT:-$(pick_port "$ETCD_PORT")}"
APISERVER_PORT="${APISERVER_PORT:-$(pick_port "$ETCD_PORT" "$ETCD_PEER_PORT")}"
TOKEN="$(openssl rand -hex 24)"

# Static token in group system:masters: full access under RBAC, no bootstrap.
umask 077
echo "$TOKEN,keventer-e2e,keventer-e2e,\"system:masters\"" >"$STATE/tokens.csv"
# A second user with no RBAC rights at all: the e2e tests of a 403 use it.
DENIED_TOKEN="$(openssl rand -hex 24)"
echo "$DENIED_TOKEN,keventer-denied,keventer-denied" >>"$STATE/tokens.csv"
openssl genrsa -out "$STATE/sa.key" 2048 2>/dev/null
umask 022

cat >"$STATE/config" <<EOF
APISERVER_BIN='$APISERVER_BIN'
ETCD_BIN='$ETCD_BIN'
ETCD_PORT=$ETCD_PORT
ETCD_PEER_PORT=$ETCD_PEER_PORT
APISERVER_PORT=$APISERVER_PORT
TOKEN=$TOKEN
KUBE_APISERVER_EXTRA_ARGS='${KUBE_APISERVER_EXTRA_ARGS:-}'
EOF

# If anything below fails, do not leave half a cluster running.
started=0
cleanup_unless_started() {
  [ "$started" = 1 ] && return 0
  stop_proc apiserver kube-apiserver
  stop_proc etcd etcd
}
trap cleanup_unless_started EXIT

start_etcd
start_apiserver
wait_apiserver_ready

# The apiserver wrote a self-signed serving cert plus its CA to certs/ and
# reuses them on restart, so a kubeconfig that trusts this file stays valid.
CA_DATA="$(base64 -w0 <"$STATE/certs/apiserver.crt")"
SERVER="https://127.0.0.1:$APISERVER_PORT"

# write_kubeconfig FILE TOKEN CA_DATA: a kubeconfig for this apiserver.
write_kubeconfig() {
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: keventer-e2e
  cluster:
    server: $SERVER
    certificate-authority-data: $3
users:
- name: keventer-e2e
  user:
    token: $2
contexts:
- name: keventer-e2e
  context:
    cluster: keventer-e2e
    user: keventer-e2e
    namespace: default
current-context: keventer-e2e
EOF
  chmod 600 "$1"
}
write_kubeconfig "$STATE/kubeconfig" "$TOKEN" "$CA_DATA"
# For the e2e tests of what waiting cannot heal and what it can: a user RBAC
# denies (403), and a CA that did not sign the apiserver's certificate.
write_kubeconfig "$STATE/kubeconfig-denied" "$DENIED_TOKEN" "$CA_DATA"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=not-the-apiserver-ca \
  -keyout "$STATE/certs/other-ca.key" -out "$STATE/certs/other-ca.crt" 2>/dev/null
write_kubeconfig "$STATE/kubeconfig-wrong-ca" "$TOKEN" "$(base64 -w0 <"$STATE/certs/other-ca.crt")"

cat >"$STATE/env" <<EOF
export KUBECONFIG='$STATE/kubeconfig'
export KUBE_API_URL='$SERVER'
export KUBE_TOKEN='$TOKEN'
export KUBE_CA_FILE='$STATE/certs/apiserver.crt'
export KEVENTER_KUBE_STATE_DIR='$STATE'
export ETCDCTL_API=3
export ETCDCTL_ENDPOINTS='http://127.0.0.1:$ETCD_PORT'
EOF

started=1
log "ready in $((SECONDS - start)) s: $SERVER (etcd 127.0.0.1:$ETCD_PORT); source $STATE/env"
