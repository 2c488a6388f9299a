#!/usr/bin/env bash
# Install etcd and a real kube-apiserver (v1.20.2) for the e2e tests.
#
# Debian ships no kube-apiserver binary, only the `kubernetes` source package,
# so we build it once per machine with Debian's Go and cache the binary outside
# the checkout. Everything is idempotent: a second run only checks packages and
# prints the binary path.
#
# Usage: scripts/kube-apiserver/install.sh
# Env:   KEVENTER_CACHE_DIR (default /var/cache/keventer)
# Output (last line of stdout): the absolute path of the kube-apiserver binary.
set -euo pipefail

K8S_VERSION=v1.20.2
CACHE_DIR="${KEVENTER_CACHE_DIR:-/var/cache/keventer}"
# The suffix marks our build recipe (vendored reflect2 replaced, see below), so a
# binary built the plain way is never picked up from the cache.
BIN="$CACHE_DIR/kube-apiserver-$K8S_VERSION-reflect2fix"
SRC_LIST=/etc/apt/sources.list.d/keventer-deb-src
PKGS=(etcd-server etcd-client openssl curl jq)
BUILD_PKGS=(golang-go rsync make dpkg-dev golang-github-modern-go-reflect2-dev)

log() { echo "[kube-apiserver/install] $*" >&2; }

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

# Installs only what is missing, so a warm machine does not touch apt at all.
apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ "${#missing[@]}" = 0 ] && return 0
  log "apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# Writes deb-src entries that mirror the machine's existing Debian `deb` entries
# (same URIs, suites and Signed-By, so apt sees no conflicting options). Handles
# both deb822 *.sources files and one-line sources.list entries.
add_deb_src() {
  local codename
  codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"
  local sources=() lists=()
  for f in /etc/apt/sources.list.d/*.sources; do [ -e "$f" ] && sources+=("$f"); done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do [ -e "$f" ] && lists+=("$f"); done

  local out822="" outlist=""
  if [ "${#sources[@]}" -gt 0 ]; then
    # Keep stanzas that are Debian archives of this release; turn deb into deb-src.
    out822="$(awk -v cn="$codename" '
      function flush() {
        if (st != "" && deb && debian && suite) { sub(/\n+$/, "", st); print st "\n" }
        st = ""; deb = debian = suite = 0
      }
      /^[[:space:]]*$/ { flush(); next }
      /^Types:/   { if ($0 ~ /[[:space:]]deb([[:space:]]|$)/) deb = 1; st = st "Types: deb-src\n"; next }
      /^URIs:/    { if ($0 ~ /debian/) debian = 1 }
      /^Suites:/  { if ($0 ~ cn) suite = 1 }
      /^Enabled:[[:space:]]*no/ { deb = 0 }
      { st = st $0 "\n" }
      END { flush() }
    ' "${sources[@]}" | grep -v '^[[:space:]]*#' || true)"
  fi
  if [ "${#lists[@]}" -gt 0 ]; then
    outlist="$(grep -hE "^[[:space:]]*deb[[:space:]].*debian.*[[:space:]]$codename([-[:space:]]|$)" "${lists[@]}" \
      | sed -E 's/^[[:space:]]*deb[[:space:]]/deb-src /' || true)"
  fi
  if [ -n "$out822" ]; then
    printf '%s\n' "$out822" | $SUDO tee "$SRC_LIST.sources" >/dev/null
  fi
  if [ -n "$outlist" ]; then
    printf '%s\n' "$outlist" | $SUDO tee "$SRC_LIST.list" >/dev/null
  fi
  if [ -z "$out822" ] && [ -z "$outlist" ]; then
    echo "deb-src http://deb.debian.org/debian $codename main" | $SUDO tee "$SRC_LIST.list" >/dev/null
  fi
  log "added deb-src entries in $SRC_LIST.*"
}

# Runtime packages are needed on every machine, built binary or not.
apt_install "${PKGS[@]}"

if [ -x "$BIN" ]; then
  log "cached binary found, nothing to build"
  echo "$BIN"
  exit 0
fi

start=$SECONDS
apt_install "${BUILD_PKGS[@]}"

# apt-get source needs a deb-src entry; add one only if apt knows no source yet.
if ! apt-cache showsrc kubernetes 2>/dev/null | grep -q '^Package: kubernetes'; then
  add_deb_src
  $SUDO apt-get update -qq
fi

$SUDO mkdir -p "$CACHE_DIR"
WORK="$(mktemp -d "$CACHE_DIR/build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

log "downloading the kubernetes source package"
apt-get source --download-only kubernetes >&2
dpkg-source -x ./kubernetes_*.dsc src >&2
cd src

# Kubernetes 1.20 vendors reflect2 v1.0.1, which reads Go's map internals and
# breaks with Go >= 1.18: built with Debian's Go 1.19, the apiserver panics on
# every events.k8s.io request and dies (SIGSEGV in mapiternext) as soon as it
# encodes an object with labels or annotations. Debian's reflect2 v1.0.2 is the
# upstream fix, with the same API.
rm -rf vendor/github.com/modern-go/reflect2
cp -r /usr/share/gocode/src/github.com/modern-go/reflect2 vendor/github.com/modern-go/reflect2

# The Makefile wants the tree at $GOPATH/src/k8s.io/kubernetes (GOPATH mode).
mkdir -p .go/src/k8s.io
ln -sfn "$PWD" .go/src/k8s.io/kubernetes
cd .go/src/k8s.io/kubernetes

# The tarball has no .git, so pin the version stamp that /version reports.
export GOPATH="$WORK/src/.go" GOCACHE="$WORK/gocache"
export KUBE_GIT_VERSION="$K8S_VERSION" KUBE_GIT_TREE_STATE=clean KUBE_GIT_MAJOR=1 KUBE_GIT_MINOR=20
log "building kube-apiserver (several minutes)"
bstart=$SECONDS
CGO_ENABLED=0 make WHAT=cmd/kube-apiserver >&2
log "build took $((SECONDS - bstart)) s"

built="$(find _output -type f -name kube-apiserver -perm -u+x | head -n1)"
[ -n "$built" ] || { log "build produced no kube-apiserver binary"; exit 1; }
# Copy then rename, so an interrupted run never leaves a half-written binary.
$SUDO install -m 0755 "$built" "$BIN.tmp"
$SUDO mv -f "$BIN.tmp" "$BIN"
log "installed $BIN in $((SECONDS - start)) s: $("$BIN" --version)"
echo "$BIN"
