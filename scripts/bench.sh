#!/usr/bin/env bash
# Benchmarks of the release binary (by hand, not in CI; docs/benchmarks.md quotes them): its size and its
# bundle's, cold start to the first 200, static files on kept-alive connections, server-rendered
# GET /login at 16 and 64 connections (wrk) against a bare axum "hello" and a minimal Leptos page
# built in the same run, the first visit to /register in Chromium, and a
# registration flood with mail written to files and with mail sent to a real SMTP server on
# loopback. Builds with scripts/release.sh unless BENCH_REUSE_BUILD=1 and the binary exists (under
# $CARGO_TARGET_DIR when set, as release.sh).
# Usage: scripts/bench.sh [seconds per flood, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --release --e2e --bench >/dev/null
SECONDS_PER_FLOOD=${1:-20}
release=$(realpath -m "${CARGO_TARGET_DIR:-target}/release")
if [[ -z ${BENCH_REUSE_BUILD:-} || ! -x $release/gatehouse ]]; then
  scripts/release.sh
fi
binary=$release/gatehouse
# The ceilings (examples/): built in this run, with the same Leptos build settings as the portal.
LEPTOS_OUTPUT_NAME=gatehouse SQLX_OFFLINE=true cargo build --release --examples --features ssr
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

LIFTED=(GATEHOUSE_REGISTER_PER_IP=1000000/1h GATEHOUSE_MAIL_PER_ADDRESS=1000000/1h
  GATEHOUSE_MAIL_PER_ADDRESS_DAILY=1000000/1d GATEHOUSE_MAIL_PER_INSTANCE=1000000/1h
  GATEHOUSE_POW_AFTER_REGISTRATIONS=10000)

# start PORT [VAR=value ...]: the binary alone in an empty folder, on 127.0.0.1:PORT; its pid in
# $pid, the milliseconds from spawning it to its first 200 in $started_ms.
start() {
  local port=$1
  shift
  mkdir -p "$work/$port"
  local began
  began=$(date +%s%N)
  (cd "$work/$port" && exec env LEPTOS_SITE_ADDR="127.0.0.1:$port" RUST_LOG=warn "$@" "$binary") &
  pid=$!
  pids+=("$pid")
  until curl -sf -o /dev/null "http://127.0.0.1:$port/login"; do sleep 0.005; done
  started_ms=$((($(date +%s%N) - began) / 1000000))
}

stop() {
  kill "$1"
  wait "$1" 2>/dev/null || true
}

section() { printf '\n==> %s\n' "$*"; }

section "binary and bundle (bytes as served: identity, gzip, brotli)"
printf 'binary (stripped): %d B\n' "$(stat -c %s "$binary")"
start 3950
origin=http://127.0.0.1:3950
printf 'cold start to the first 200 of /login (empty folder: key, database and migrations made): %d ms\n' "$started_ms"
page=$(curl -s "$origin/register")
# The page names the stylesheet and the main module; the register form's island loads its chunks.
for asset in $(grep -o '/pkg/[0-9a-f]*/gatehouse\.\(wasm\|js\)\|/pkg/gatehouse\.[0-9a-f]*\.css' <<<"$page" | sort -u); do
  sizes=()
  for encoding in identity gzip br; do
    sizes+=("$(curl -s -o /dev/null -H "accept-encoding: $encoding" -w '%{size_download}' "$origin$asset")")
  done
  printf '%-40s %9s %9s %9s\n' "$asset" "${sizes[@]}"
done
printf '%-40s %9s B (pages under 4 KiB are sent uncompressed)\n' /register \
  "$(curl -s -o /dev/null -H 'accept-encoding: gzip, br' -w '%{size_download}' "$origin/register")"

section "static files: three requests of the stylesheet on one kept-alive connection, then on fresh ones (s)"
css=$(grep -o '/pkg/gatehouse\.[0-9a-f]*\.css' <<<"$page" | head -n 1)
curl -s -o /dev/null -o /dev/null -o /dev/null -w '%{time_total}\n' "$origin$css" "$origin$css" "$origin$css"
for _ in 1 2 3; do curl -s -o /dev/null -w '%{time_total}\n' "$origin$css"; done

section "first visit to /register in Chromium (bytes transferred)"
node scripts/bench/first-load.mjs "$origin/register"

# wrk_get NAME URL CLIENTS: GET URL (accepting gzip and brotli) on CLIENTS kept-alive connections
# for 10 s from wrk (two threads, in C: the generator is not the ceiling, as the hello's figure in
# the same run shows); requests/s echoed with the 99th percentile, kept in $work/NAME-CLIENTS.
wrk_get() {
  local name=$1 url=$2 clients=$3 out rps p99
  out=$(wrk --threads 2 --connections "$clients" --duration 10s --latency --header 'accept-encoding: gzip, br' "$url")
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  printf '%-16s %3d connections: %10.0f requests/s, p99 %s\n' "$name" "$clients" "$rps" "$p99"
  echo "$rps" >"$work/$name-$clients"
}

section "server-rendered GET /login, kept-alive connections"
for clients in 16 64; do
  wrk_get login "$origin/login" "$clients"
done
section "the stylesheet, kept-alive connections"
wrk_get stylesheet "$origin$css" 64
stop "$pid"

section "ceilings built in this run: a bare axum \"hello\" and a minimal Leptos page (same clients)"
ceiling() {
  local name=$1 port=$2
  "$release/examples/$name" "127.0.0.1:$port" &
  local ceiling_pid=$!
  pids+=("$ceiling_pid")
  until curl -sf -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.05; done
  for clients in 16 64; do
    wrk_get "$name" "http://127.0.0.1:$port/" "$clients"
  done
  kill "$ceiling_pid"
}
ceiling hello_axum 3960
ceiling minimal_leptos 3961
section "GET /login as a share of the ceilings"
for clients in 16 64; do
  awk -v login="$(cat "$work/login-$clients")" -v hello="$(cat "$work/hello_axum-$clients")" \
    -v minimal="$(cat "$work/minimal_leptos-$clients")" -v clients="$clients" \
    'BEGIN { printf "%d connections: GET /login is %.2fx the axum hello, %.2fx the minimal Leptos page\n", clients, login / hello, login / minimal }'
done

# One flood moves by up to 15 % from run to run on this machine, so the two setups take turns,
# each on a fresh instance, and the ratio is given per round and as the median.
SINK_SMTP_PORT=3925 SINK_HTTP_PORT=3926 node end2end/support/mail-sink.mjs &
pids+=("$!")
until curl -sf -o /dev/null http://127.0.0.1:3926/health; do sleep 0.1; done
# flood PORT RESULT [VAR=value ...]: the load generator's JSON, echoed and kept in $work/RESULT.
flood() {
  local port=$1 result=$2
  shift 2
  start "$port" "${LIFTED[@]}" "$@"
  node scripts/bench/load.mjs register "http://127.0.0.1:$port" "$pid" 64 "$SECONDS_PER_FLOOD" | tee "$work/$result"
  stop "$pid"
}
rounds=()
for round in 1 2 3; do
  section "registration flood $round/3, 64 clients, limits lifted: mail written to files"
  flood $((3950 + 2 * round)) "files-$round.json"
  section "registration flood $round/3, 64 clients, limits lifted: mail sent to a real SMTP server on loopback"
  flood $((3951 + 2 * round)) "smtp-$round.json" GATEHOUSE_SMTP_URL=smtp://127.0.0.1:3925
  rounds+=("[$(cat "$work/files-$round.json"),$(cat "$work/smtp-$round.json")]")
done
section "SMTP / files"
node -e 'const rounds = process.argv.slice(1).map(JSON.parse);
const ratios = rounds.map(([files, smtp]) => 100 * smtp.requests_per_second / files.requests_per_second);
ratios.forEach((ratio, index) => console.log(`round ${index + 1}: ${ratio.toFixed(1)} % of the throughput`));
console.log(`median: ${[...ratios].sort((a, b) => a - b)[1].toFixed(1)} %`)' "${rounds[@]}"
