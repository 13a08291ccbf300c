#!/usr/bin/env bash
# Benchmarks by hand (not part of the test suite): builds the release server and measures, with
# mail written to .eml files (no SMTP server in these runs):
#   1. a burst of 200 parallel wrong sign-ins from one client: how many are evaluated;
#   2. 10,000 sign-ins refused by the per-client limit: how much the database grows (bytes);
#   3. registration p50/p99 on an empty database and on one holding 100,000 past registrations;
#   4. registrations/s and sign-ins/s, p50/p99, with 64 clients: SQLite (one instance), PostgreSQL
#      (one instance) and PostgreSQL (three instances behind nginx), and each instance's peak RSS.
# Usage: scripts/load-test.sh [seconds per flood, default 30] [sections, default "1 2 3 4"]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/postgres.sh
scripts/setup.sh --e2e >/dev/null
SECONDS_PER_FLOOD=${1:-30}
SECTIONS=" ${2:-1 2 3 4} "
wanted() { [[ $SECTIONS == *" $1 "* ]]; }
SQLX_OFFLINE=true cargo build --release --no-default-features --features ssr --bin gatehouse
binary=$PWD/target/release/gatehouse
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  postgres_stop
  rm -rf "$work"
}
trap cleanup EXIT

LIFTED=(GATEHOUSE_REGISTER_PER_IP=1000000/1h GATEHOUSE_MAIL_PER_ADDRESS=1000000/1h
  GATEHOUSE_MAIL_PER_ADDRESS_DAILY=1000000/1d GATEHOUSE_MAIL_PER_INSTANCE=1000000/1h
  GATEHOUSE_POW_AFTER_REGISTRATIONS=10000 GATEHOUSE_LOGIN_FAILURES_PER_IP=1000000/1h
  GATEHOUSE_PASSWORD_CHECKS_PER_IP=1000000/1h GATEHOUSE_PASSWORD_CHECKS_PER_ACCOUNT=1000000/1h
  GATEHOUSE_POW_AFTER_CLIENT_LOGIN_FAILURES=10000)

# start PORT DATABASE_URL [VAR=value ...]: a release server on 127.0.0.1:PORT; its pid in $pid.
start() {
  local port=$1 database=$2
  shift 2
  mkdir -p "$work/$port"
  env GATEHOUSE_CONFIG=/dev/null LEPTOS_OUTPUT_NAME=gatehouse LEPTOS_SITE_ROOT=target/site \
    LEPTOS_SITE_ADDR="127.0.0.1:$port" GATEHOUSE_DATABASE_URL="$database" \
    GATEHOUSE_OUTBOX_DIR="$work/$port/outbox" GATEHOUSE_SECRET_KEY="$(printf '7b%.0s' {1..32})" \
    GATEHOUSE_TRUSTED_PROXIES=127.0.0.1 RUST_LOG=warn "$@" "$binary" &
  pid=$!
  pids+=("$pid")
  until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.2; done
}

stop() {
  kill "$1"
  wait "$1" 2>/dev/null || true
}

# verified_user ORIGIN OUTBOX_DIRS...: registers and verifies `bench`, reading its code from the
# .eml files.
verified_user() {
  local origin=$1
  shift
  local jar=$work/cookies
  curl -s -c "$jar" -b "$jar" -o /dev/null -H "origin: $origin" -H 'accept: application/json' \
    --data 'username=bench&email=bench@example.test&password=tulip-orbit-marble-7&password_confirm=tulip-orbit-marble-7' \
    "$origin/api/register"
  local code='' dir mail
  until [[ -n $code ]]; do
    for dir in "$@"; do
      mail=$(grep -l 'To: bench@example.test' "$dir"/*.eml 2>/dev/null | head -n 1 || true)
      [[ -n $mail ]] && code=$(sed 's/=\r$//' "$mail" | tr -d '\r\n' | grep -o 'code is: *[0-9]\{6\}' | grep -o '[0-9]\{6\}')
    done
  done
  curl -s -c "$jar" -b "$jar" -o /dev/null -H "origin: $origin" -H 'accept: application/json' --data "code=$code" "$origin/api/verify"
}

section() { printf '\n==> %s\n' "$*"; }

if wanted 1; then
section "1. 200 parallel wrong sign-ins from one client (shipped limits: 30 per 5 min, proof of work after 10)"
start 3901 "sqlite://$work/burst.db"
node scripts/bench/load.mjs burst http://127.0.0.1:3901 200
stop "$pid"
fi

if wanted 2; then
section "2. 10,000 sign-ins refused by the per-client limit: database growth"
# Bytes in use, the write-ahead log folded in first.
database_bytes() { sqlite3 "$1" 'pragma wal_checkpoint(truncate)' 'select page_count * page_size from pragma_page_count(), pragma_page_size()' | tail -n 1; }
start 3902 "sqlite://$work/refused.db" GATEHOUSE_LOGIN_FAILURES_PER_IP=1/1h
stop "$pid"
before=$(database_bytes "$work/refused.db")
start 3902 "sqlite://$work/refused.db" GATEHOUSE_LOGIN_FAILURES_PER_IP=1/1h
node scripts/bench/load.mjs refused http://127.0.0.1:3902 10000 64
stop "$pid" # a graceful stop writes the refusals counted since the last flush
after=$(database_bytes "$work/refused.db")
rows=$(sqlite3 "$work/refused.db" 'select (select count(*) from security_events) || " events, " || (select count(*) from refusals) || " refusal rows counting " || (select sum(count) from refusals)')
echo "{\"database_bytes_before\": $before, \"database_bytes_after\": $after, \"grown_bytes\": $((after - before)), \"rows\": \"$rows\"}"
fi

if wanted 3; then
section "3. registration latency (16 clients, limits lifted): empty database, then 100,000 past registrations"
start 3903 "sqlite://$work/history.db" "${LIFTED[@]}"
node scripts/bench/load.mjs register http://127.0.0.1:3903 "$pid" 16 "$SECONDS_PER_FLOOD"
stop "$pid"
now=$(date +%s)
sqlite3 "$work/history.db" <<SQL
with recursive n(i) as (select 1 union all select i + 1 from n where i < 100000)
insert into users (username, email, password_hash, created_at, verified_at)
select 'past' || i, 'past' || i || '@example.test', 'x', $now - 86400 + i % 3600, $now - 86400 + i % 3600 from n;
insert into email_codes (flow_token, purpose, user_id, email, last_requested_at, created_at, finished_at)
select hex(randomblob(16)), 'registration', user_id, email, created_at, created_at, created_at from users where username like 'past%';
insert into email_outbox (kind, recipient, code_id, user_id, attempts, next_attempt_at, sent_at, created_at)
select 'code', email, code_id, user_id, 0, created_at, created_at, created_at from email_codes where finished_at is not null;
insert into security_events (at, kind, user_id, ip, user_agent, outcome)
select created_at, 'registration', user_id, '203.0.113.1', 'bench', 'success' from users where username like 'past%';
SQL
start 3903 "sqlite://$work/history.db" "${LIFTED[@]}"
node scripts/bench/load.mjs register http://127.0.0.1:3903 "$pid" 16 "$SECONDS_PER_FLOOD"
stop "$pid"

section "3. the same on PostgreSQL: empty, then 100,000 past registrations"
postgres_start
psql --quiet "$POSTGRES_URL" -c 'create database history' >/dev/null
start 3906 "${POSTGRES_URL%/*}/history" "${LIFTED[@]}"
node scripts/bench/load.mjs register http://127.0.0.1:3906 "$pid" 16 "$SECONDS_PER_FLOOD"
stop "$pid"
psql --quiet -v ON_ERROR_STOP=1 "${POSTGRES_URL%/*}/history" <<SQL
insert into users (username, email, password_hash, created_at, verified_at)
select 'past' || i, 'past' || i || '@example.test', 'x', $now - 86400 + i % 3600, $now - 86400 + i % 3600
from generate_series(1, 100000) as i;
insert into email_codes (flow_token, purpose, user_id, email, last_requested_at, created_at, finished_at)
select md5(random()::text), 'registration', user_id, email, created_at, created_at, created_at from users where username like 'past%';
insert into email_outbox (kind, recipient, code_id, user_id, attempts, next_attempt_at, sent_at, created_at)
select 'code', email, code_id, user_id, 0, created_at, created_at, created_at from email_codes where finished_at is not null;
insert into security_events (at, kind, user_id, ip, user_agent, outcome)
select created_at, 'registration', user_id, '203.0.113.1', 'bench', 'success' from users where username like 'past%';
analyze;
SQL
start 3906 "${POSTGRES_URL%/*}/history" "${LIFTED[@]}"
node scripts/bench/load.mjs register http://127.0.0.1:3906 "$pid" 16 "$SECONDS_PER_FLOOD"
stop "$pid"
postgres_stop
fi

wanted 4 || exit 0
section "4. 64 clients: SQLite, one instance"
start 3904 "sqlite://$work/sqlite.db" "${LIFTED[@]}"
node scripts/bench/load.mjs register http://127.0.0.1:3904 "$pid" 64 "$SECONDS_PER_FLOOD"
verified_user http://127.0.0.1:3904 "$work/3904/outbox"
node scripts/bench/load.mjs sign-in http://127.0.0.1:3904 "$pid" bench 64 "$SECONDS_PER_FLOOD"
stop "$pid"

postgres_start
section "4. 64 clients: PostgreSQL, one instance"
psql --quiet "$POSTGRES_URL" -c 'create database one' >/dev/null
start 3905 "${POSTGRES_URL%/*}/one" "${LIFTED[@]}"
node scripts/bench/load.mjs register http://127.0.0.1:3905 "$pid" 64 "$SECONDS_PER_FLOOD"
verified_user http://127.0.0.1:3905 "$work/3905/outbox"
node scripts/bench/load.mjs sign-in http://127.0.0.1:3905 "$pid" bench 64 "$SECONDS_PER_FLOOD"
stop "$pid"

section "4. 64 clients: PostgreSQL, three instances behind nginx"
psql --quiet "$POSTGRES_URL" -c 'create database three' >/dev/null
instances=()
for port in 3911 3912 3913; do
  start "$port" "${POSTGRES_URL%/*}/three" "${LIFTED[@]}"
  instances+=("$pid")
done
scripts/lib/round-robin-proxy.sh 3910 "$work/proxy" 3911 3912 3913 &
pids+=("$!")
until curl -sf http://127.0.0.1:3910/healthz >/dev/null; do sleep 0.2; done
list=$(IFS=,; echo "${instances[*]}")
node scripts/bench/load.mjs register http://127.0.0.1:3910 "$list" 64 "$SECONDS_PER_FLOOD"
verified_user http://127.0.0.1:3910 "$work"/391{1,2,3}/outbox
node scripts/bench/load.mjs sign-in http://127.0.0.1:3910 "$list" bench 64 "$SECONDS_PER_FLOOD"
