#!/usr/bin/env bash
# Control the etcd + kube-apiserver that start.sh launched in STATE_DIR.
#
# Usage: scripts/kube-apiserver/ctl.sh STATE_DIR COMMAND
#   stop               stop kube-apiserver and etcd (only the PIDs we recorded)
#   stop-apiserver     stop kube-apiserver only (etcd keeps the data)
#   start-apiserver    start kube-apiserver again (same port, certs, token) and wait for /readyz
#   restart-apiserver  stop-apiserver + start-apiserver
#   compact            bump etcd's revision by 2 (a dummy key outside /registry), then
#                      compact to the current revision (printed), so every resourceVersion
#                      a client has seen is too old for a watch served from etcd
#   status             print which processes are running
# Env: STOP_GRACE_SECONDS (default 5) seconds between SIGTERM and SIGKILL;
#      0 kills at once (a crash; open watches break immediately).
set -euo pipefail

[ $# -eq 2 ] || { sed -n '4,14p' "$0" >&2; exit 2; }
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="$(cd "$1" && pwd)"
# shellcheck source=lib.sh
. "$HERE/lib.sh"
load_config

do_start_apiserver() {
  pid_alive apiserver "$APISERVER_BIN" && die "kube-apiserver already running"
  pid_alive etcd "$ETCD_BIN" || die "etcd is not running"
  local t=$SECONDS
  start_apiserver
  wait_apiserver_ready
  log "kube-apiserver ready in $((SECONDS - t)) s"
}

case "$2" in
  stop)
    stop_proc apiserver "$APISERVER_BIN"
    stop_proc etcd "$ETCD_BIN"
    ;;
  stop-apiserver)
    stop_proc apiserver "$APISERVER_BIN"
    ;;
  start-apiserver)
    do_start_apiserver
    ;;
  restart-apiserver)
    stop_proc apiserver "$APISERVER_BIN"
    do_start_apiserver
    ;;
  compact)
    # Watching from exactly (compacted revision - 1) fails with a 500 "PrevKv=nil"
    # error, not 410; two writes first put the last seen revision at least 2 below.
    etcdctl3 put /keventer-e2e/compact-bump 1 >/dev/null
    etcdctl3 put /keventer-e2e/compact-bump 2 >/dev/null
    rev="$(etcdctl3 endpoint status -w json | jq -r '.[0].Status.header.revision')"
    # --physical waits until the compacted revisions are really gone.
    etcdctl3 compact --physical "$rev" >&2
    echo "$rev"
    ;;
  status)
    for p in etcd:"$ETCD_BIN" apiserver:"$APISERVER_BIN"; do
      if pid_alive "${p%%:*}" "${p#*:}"; then echo "${p%%:*} running ($(cat "$STATE/${p%%:*}.pid"))"
      else echo "${p%%:*} stopped"; fi
    done
    ;;
  *)
    sed -n '4,14p' "$0" >&2; exit 2
    ;;
esac
