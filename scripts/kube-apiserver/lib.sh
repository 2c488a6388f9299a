# shellcheck shell=bash
# Shared helpers for start.sh and ctl.sh (sourced, not executed).
#
# All state lives in $STATE (absolute path). $STATE/config holds the ports,
# token and binary path chosen by start.sh, so ctl.sh can restart the
# apiserver with exactly the same flags and the kubeconfig stays valid.

log() { echo "[kube-apiserver] $*" >&2; }
die() { log "error: $*"; exit 1; }

load_config() {
  [ -f "$STATE/config" ] || die "$STATE/config not found; run start.sh $STATE first"
  # shellcheck disable=SC1091
  . "$STATE/config"
}

# A port is free if nothing accepts a connection on it (loopback only).
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Random free port in 20000-31999 (below the kernel's ephemeral range, so an
# outgoing connection cannot take it later), avoiding the ones passed as arguments.
pick_port() {
  local p
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % 12000))
    case " $* " in *" $p "*) continue ;; esac
    if port_free "$p"; then echo "$p"; return 0; fi
  done
  die "no free port found"
}

# True if $STATE/$1.pid names a live process running binary $2. The name
# check guards against signalling an unrelated process that reused the PID.
pid_alive() {
  local pidfile="$STATE/$1.pid" pid
  [ -f "$pidfile" ] || return 1
  pid="$(cat "$pidfile")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2"
}

# Stop the process we recorded in $STATE/$1.pid: SIGTERM, then SIGKILL after
# $STOP_GRACE_SECONDS (default 5; 0 = SIGKILL at once). kube-apiserver stops
# listening at once on SIGTERM but then waits up to 60 s for open watches to
# finish, so without the SIGKILL a restart under a live watch would hang.
stop_proc() {
  local name="$1" match="$2" pid grace="${STOP_GRACE_SECONDS:-5}"
  if ! pid_alive "$name" "$match"; then rm -f "$STATE/$name.pid"; return 0; fi
  pid="$(cat "$STATE/$name.pid")"
  if [ "$grace" -gt 0 ]; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 $((grace * 10))); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  if kill -0 "$pid" 2>/dev/null; then
    [ "$grace" -gt 0 ] && log "$name ($pid) still running after SIGTERM + ${grace}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$STATE/$name.pid"
  log "stopped $name ($pid)"
}

# Runs a command detached: own session (a Ctrl-C in the caller's terminal does
# not hit it) and no inherited stdio (a Node caller's pipes close at once).
spawn() {
  local name="$1"; shift
  setsid "$@" </dev/null >>"$STATE/$name.log" 2>&1 &
  echo $! >"$STATE/$name.pid"
}

# etcdctl v3 against our etcd. ETCDCTL_ENDPOINTS (exported by STATE/env) must be
# unset: etcdctl 3.4 aborts when both the variable and --endpoints are given.
etcdctl3() {
  env -u ETCDCTL_ENDPOINTS ETCDCTL_API=3 etcdctl --endpoints "http://127.0.0.1:$ETCD_PORT" "$@"
}

start_etcd() {
  spawn etcd "$ETCD_BIN" \
    --name keventer \
    --data-dir "$STATE/etcd-data" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "keventer=http://127.0.0.1:$ETCD_PEER_PORT" \
    --logger zap --log-level warn
  for _ in $(seq 1 100); do
    if etcdctl3 --command-timeout=1s endpoint health >/dev/null 2>&1; then
      return 0
    fi
    pid_alive etcd "$ETCD_BIN" || break
    sleep 0.1
  done
  log "etcd did not become healthy; last log lines:"
  tail -n 30 "$STATE/etcd.log" >&2
  return 1
}

start_apiserver() {
  # KUBE_APISERVER_EXTRA_ARGS (saved in config) adds flags, e.g. --watch-cache=false.
  # shellcheck disable=SC2086
  spawn apiserver "$APISERVER_BIN" \
    --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address 127.0.0.1 \
    --advertise-address 127.0.0.1 \
    --secure-port "$APISERVER_PORT" \
    --cert-dir "$STATE/certs" \
    --token-auth-file "$STATE/tokens.csv" \
    --authorization-mode RBAC \
    --service-account-issuer https://kubernetes.default.svc \
    --service-account-key-file "$STATE/sa.key" \
    --service-account-signing-key-file "$STATE/sa.key" \
    --service-cluster-ip-range 10.0.0.0/24 \
    --endpoint-reconciler-type none \
    --profiling=false \
    ${KUBE_APISERVER_EXTRA_ARGS:-}
}

# Waits until /readyz answers 200 (timeout $READY_TIMEOUT s, default 60).
wait_apiserver_ready() {
  local deadline=$((SECONDS + ${READY_TIMEOUT:-60}))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if [ "$(curl -sk -o /dev/null -w '%{http_code}' --max-time 2 \
        -H "Authorization: Bearer $TOKEN" "https://127.0.0.1:$APISERVER_PORT/readyz")" = 200 ]; then
      return 0
    fi
    pid_alive apiserver "$APISERVER_BIN" || { log "kube-apiserver exited"; break; }
    sleep 0.2
  done
  log "kube-apiserver not ready; last log lines:"
  tail -n 40 "$STATE/apiserver.log" >&2
  return 1
}
