#!/usr/bin/env bash
# Load test by hand (not part of the test suite): builds the release binary, starts it on an
# empty database in a temporary folder, floods registration with 64 clients for 30 s, and prints
# requests/s, p50/p99 latency and the server's peak RSS. Twice: with the per-client limits lifted
# (measures the server: every request reaches argon2) and with the shipped limits (a flood from
# one address is turned away).  Usage: scripts/load-test.sh [clients] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --release
PATH="$PWD/target/tools/node_modules/.bin:$PATH" SQLX_OFFLINE=true cargo leptos build --release

run() {
  local label=$1; shift
  local dir; dir=$(mktemp -d)
  env "$@" GATEHOUSE_CONFIG=Leptos.toml LEPTOS_SITE_ADDR=127.0.0.1:3900 LEPTOS_SITE_ROOT=target/site \
    GATEHOUSE_DATABASE_URL="sqlite://$dir/gatehouse.db" GATEHOUSE_OUTBOX_DIR="$dir/outbox" \
    GATEHOUSE_SECRET_KEY_FILE="$dir/secret.key" RUST_LOG=warn target/release/gatehouse &
  server_pid=$!
  local pid=$server_pid
  until curl -sf http://127.0.0.1:3900/healthz >/dev/null; do sleep 0.2; done
  printf '\n==> %s\n' "$label"
  node scripts/load-test.mjs http://127.0.0.1:3900 "$pid" "${CLIENTS:-64}" "${SECONDS_:-30}"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
}

CLIENTS=${1:-64} SECONDS_=${2:-30}
server_pid=
trap 'if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; fi' EXIT
run "limits lifted: every registration is hashed" \
  GATEHOUSE_REGISTER_PER_IP=1000000/1h GATEHOUSE_POW_AFTER_REGISTRATIONS=1000000 GATEHOUSE_MAIL_PER_ADDRESS=1000000/1h
run "shipped limits: one address floods"
