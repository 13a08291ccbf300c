#!/usr/bin/env bash
# The admin console at scale: 100,000 accounts and 1,000,000 security events seeded into a real
# database, then p50/p95 of the server's answer for the console's pages (200 sequential requests
# each, as a signed-in admin), on SQLite and on a throwaway PostgreSQL cluster. Release build.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/postgres.sh
trap postgres_stop EXIT
export SQLX_OFFLINE=true
bench=(cargo test --release --features ssr --test it -- --ignored --nocapture --test-threads 1 admin_scale::)

"${bench[@]}" 2>&1 | grep -v '^\(running\|test \|$\)'
postgres_start
GATEHOUSE_TEST_BACKEND=postgres GATEHOUSE_TEST_POSTGRES_URL="$POSTGRES_URL" "${bench[@]}" 2>&1 \
  | grep -v '^\(running\|test \|$\)'
