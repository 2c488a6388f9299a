#!/usr/bin/env bash
# The real kube-apiserver tier: installs (once per machine) and starts etcd and
# kube-apiserver on loopback, runs the e2e tests against them, and stops them.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/kube-apiserver/install.sh
state="$(mktemp -d /tmp/keventer-e2e.XXXXXX)"
trap 'bash scripts/kube-apiserver/ctl.sh "$state" stop >/dev/null 2>&1 || true; rm -rf "$state"' EXIT
bash scripts/kube-apiserver/start.sh "$state"

KEVENTER_E2E_STATE="$state" npx vitest run --project e2e "$@"
