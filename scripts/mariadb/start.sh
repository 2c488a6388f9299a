#!/usr/bin/env bash
# Starts a throw-away MariaDB on a free loopback port for the services tier.
#
# Usage: scripts/mariadb/start.sh STATE_DIR
# Writes STATE_DIR/env (`export MYSQL_URL=mysql://keventer:PASSWORD@127.0.0.1:PORT/keventer`:
# a user with a random password and ALL on *.*, so tests can make their own databases)
# and STATE_DIR/pid (the mariadbd it started). The datadir lives under STATE_DIR.
# TLS is on: a CA and a server certificate for 127.0.0.1 made with openssl under
# STATE_DIR/tls; the env file also exports MYSQL_TLS_CA (the CA's PEM file) and
# MYSQL_TLS_URL (the same server as user keventer_tls, which REQUIRE SSL: a
# connection without TLS is refused, so a test through it proves TLS was used).
set -euo pipefail

state="${1:?usage: start.sh STATE_DIR}"
mkdir -p "$state"
state="$(cd "$state" && pwd)"
data="$state/data"
log() { echo "[mariadb/start] $*" >&2; }

rm -rf "$data"
mkdir -p "$data"
mariadb-install-db --no-defaults --datadir="$data" --user="$(id -un)" \
  --auth-root-authentication-method=normal --skip-test-db >"$state/install.log" 2>&1 ||
  { cat "$state/install.log" >&2; exit 1; }

# A throw-away CA (2 days) and a server certificate it signs, valid for 127.0.0.1.
tls="$state/tls"
mkdir -p "$tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=keventer services test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$tls/ca-key.pem" -out "$tls/ca.pem" >"$state/tls.log" 2>&1 ||
  { cat "$state/tls.log" >&2; exit 1; }
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=127.0.0.1" \
  -keyout "$tls/server-key.pem" -out "$tls/server.csr" >>"$state/tls.log" 2>&1 ||
  { cat "$state/tls.log" >&2; exit 1; }
printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost" "basicConstraints=CA:FALSE" \
  "keyUsage=digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth" >"$tls/server.ext"
openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca-key.pem" \
  -CAcreateserial -days 2 -extfile "$tls/server.ext" -out "$tls/server.pem" >>"$state/tls.log" 2>&1 ||
  { cat "$state/tls.log" >&2; exit 1; }

# A free port from the kernel; released just before mariadbd binds it.
port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"

mariadbd --no-defaults --datadir="$data" --user="$(id -un)" --bind-address=127.0.0.1 \
  --port="$port" --socket="$state/sock" --pid-file="$state/mariadbd.pid" \
  --log-error="$state/err.log" --skip-name-resolve \
  --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
  --innodb-buffer-pool-size=64M --innodb-flush-log-at-trx-commit=2 \
  --ssl-ca="$tls/ca.pem" --ssl-cert="$tls/server.pem" --ssl-key="$tls/server-key.pem" >/dev/null 2>&1 &
pid=$!
echo "$pid" >"$state/pid"

deadline=$((SECONDS + 30))
until mariadb-admin --no-defaults --socket="$state/sock" -uroot ping >/dev/null 2>&1; do
  if ! kill -0 "$pid" 2>/dev/null; then log "mariadbd exited:"; tail -20 "$state/err.log" >&2; exit 1; fi
  if [ "$SECONDS" -gt "$deadline" ]; then log "not ready after 30 s"; kill "$pid"; exit 1; fi
  sleep 0.1
done

password="$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
# Through TCP, MariaDB wants a user with a password.
mariadb --no-defaults --socket="$state/sock" -uroot <<SQL
CREATE DATABASE keventer CHARACTER SET utf8mb4;
CREATE USER 'keventer'@'127.0.0.1' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON *.* TO 'keventer'@'127.0.0.1';
CREATE USER 'keventer_tls'@'127.0.0.1' IDENTIFIED BY '$password' REQUIRE SSL;
GRANT ALL PRIVILEGES ON *.* TO 'keventer_tls'@'127.0.0.1';
SQL

cat >"$state/env" <<ENV
export MYSQL_URL=mysql://keventer:$password@127.0.0.1:$port/keventer
export MYSQL_TLS_URL=mysql://keventer_tls:$password@127.0.0.1:$port/keventer
export MYSQL_TLS_CA=$tls/ca.pem
ENV
log "mariadbd $pid on 127.0.0.1:$port"
