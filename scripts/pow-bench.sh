#!/usr/bin/env bash
# Proof-of-work solving time in the browser (by hand, not in CI): builds the release portal,
# starts it so that every sign-in asks for a proof of work, and times Chromium solving it at
# several difficulties.  Usage: scripts/pow-bench.sh [difficulty ...]   (default: 16 18 20)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --release
scripts/setup.sh --e2e
PATH="$PWD/target/tools/node_modules/.bin:$PATH" SQLX_OFFLINE=true cargo leptos build --release --split

for difficulty in "${@:-16 18 20}"; do
  for bits in $difficulty; do
    dir=$(mktemp -d)
    GATEHOUSE_CONFIG=Leptos.toml LEPTOS_SITE_ADDR=127.0.0.1:3901 LEPTOS_SITE_ROOT=target/site \
      GATEHOUSE_DATABASE_URL="sqlite://$dir/gatehouse.db" GATEHOUSE_OUTBOX_DIR="$dir/outbox" \
      GATEHOUSE_SECRET_KEY_FILE="$dir/secret.key" GATEHOUSE_POW_AFTER_CLIENT_LOGIN_FAILURES=0 \
      GATEHOUSE_LOGIN_FAILURES_PER_IP=100000/1h GATEHOUSE_PASSWORD_CHECKS_PER_IP=100000/1h GATEHOUSE_POW_DIFFICULTY="$bits" RUST_LOG=warn \
      target/release/gatehouse &
    pid=$!
    until curl -sf http://127.0.0.1:3901/healthz >/dev/null; do sleep 0.2; done
    node scripts/pow-bench.mjs http://127.0.0.1:3901 10
    kill "$pid"; wait "$pid" 2>/dev/null || true
    rm -rf "$dir"
  done
done
