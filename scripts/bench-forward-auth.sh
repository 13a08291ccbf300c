#!/usr/bin/env bash
# Forward-auth's cost (by hand, not in CI; docs/benchmarks.md quotes it), all in one run with wrk:
#   1. GET /auth/verify for a signed-in user, beside a bare axum "hello" built in this run;
#   2. a static page served by nginx behind forward-auth (deploy/forward-auth/, asking the release
#      binary each time), beside the same page unprotected, and beside a page behind the same
#      auth_request whose rule is `bypass` (the least Gatehouse can do: nginx's own floor).
# Builds with scripts/release.sh unless BENCH_REUSE_BUILD=1 and the binary exists (under
# $CARGO_TARGET_DIR when set).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --release --bench >/dev/null
release=$(realpath -m "${CARGO_TARGET_DIR:-target}/release")
if [[ -z ${BENCH_REUSE_BUILD:-} || ! -x $release/gatehouse ]]; then
  scripts/release.sh
fi
LEPTOS_OUTPUT_NAME=gatehouse SQLX_OFFLINE=true cargo build --release --examples --features ssr
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

portal_port=3970 proxy_port=3971 hello_port=3972
public=http://portal.bench.test:$proxy_port
cat >"$work/gatehouse.toml" <<TOML
[[gatehouse.access]]
host = "static.bench.test"
paths = ["/floor.html"]
policy = "bypass"

[[gatehouse.access]]
host = "*.bench.test"
policy = "signed_in"
TOML
mkdir -p "$work/portal"
(cd "$work/portal" && exec env LEPTOS_SITE_ADDR=127.0.0.1:$portal_port RUST_LOG=warn \
  GATEHOUSE_CONFIG="$work/gatehouse.toml" GATEHOUSE_PUBLIC_URL="$public" GATEHOUSE_COOKIE_DOMAIN=bench.test \
  "$release/gatehouse") &
pids+=("$!")
until curl -sf -o /dev/null "http://127.0.0.1:$portal_port/healthz"; do sleep 0.05; done

# One user, registered and signed in over HTTP as a browser without JavaScript would.
call() { curl -s -o /dev/null -D "$work/headers" -b "$work/jar" -c "$work/jar" -H "origin: $public" "http://127.0.0.1:$portal_port$1" --data "$2"; }
call /api/register 'username=bench&email=bench%40example.test&password=tulip-orbit-marble-7&password_confirm=tulip-orbit-marble-7'
until ls "$work"/portal/data/outbox/*.eml >/dev/null 2>&1; do sleep 0.05; done
# The body is quoted-printable: its soft line breaks undone, the six digits after "code is:".
code=$(cat "$work"/portal/data/outbox/*.eml | tr -d '\r' | sed -e ':a' -e '/=$/{N;s/=\n//;ba}' | tr '\n' ' ' |
  grep -o 'code is:[^0-9]*[0-9]\{6\}' | grep -o '[0-9]\{6\}' | head -n 1)
call /api/verify "purpose=registration&code=$code"
call /api/login 'identifier=bench&password=tulip-orbit-marble-7&next='
cookie=$(grep -io 'set-cookie: gatehouse-auth=[0-9a-f]*' "$work/headers" | cut -d' ' -f2)
[[ -n $cookie ]] || { echo "no forward-auth cookie after signing in" >&2; exit 1; }

# wrk_get NAME URL CLIENTS [HEADER...]: requests/s of GET URL on CLIENTS kept-alive connections
# for 10 s (two threads), echoed with the 99th percentile, kept in $work/NAME-CLIENTS.
wrk_get() {
  local name=$1 url=$2 clients=$3 out rps p99
  shift 3
  local headers=()
  for header in "$@"; do headers+=(--header "$header"); done
  out=$(wrk --threads 2 --connections "$clients" --duration 10s --latency "${headers[@]}" "$url")
  grep -q 'Non-2xx' <<<"$out" && { echo "$name: answers other than 2xx" >&2; echo "$out" >&2; exit 1; }
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  printf '%-22s %3d connections: %10.0f requests/s, p99 %s\n' "$name" "$clients" "$rps" "$p99"
  echo "$rps" >"$work/$name-$clients"
}
ratio() { awk -v a="$(cat "$work/$1")" -v b="$(cat "$work/$2")" 'BEGIN { printf "%.2f", a / b }'; }

printf '\n==> GET /auth/verify for a signed-in user, and the bare axum hello\n'
"$release/examples/hello_axum" "127.0.0.1:$hello_port" &
pids+=("$!")
until curl -sf -o /dev/null "http://127.0.0.1:$hello_port/"; do sleep 0.05; done
for clients in 16 64; do
  wrk_get verify "http://127.0.0.1:$portal_port/auth/verify" "$clients" \
    "Cookie: $cookie" "X-Original-URL: http://app.bench.test/page"
  wrk_get hello_axum "http://127.0.0.1:$hello_port/" "$clients"
done

printf '\n==> a static page from nginx, behind forward-auth and open\n'
scripts/lib/forward-auth-proxy.sh "$proxy_port" "$work/nginx" bench.test "$portal_port" 1 &
pids+=("$!")
until curl -sf -o /dev/null -H 'host: open.bench.test' "http://127.0.0.1:$proxy_port/"; do sleep 0.05; done
cp "$work/nginx/static/index.html" "$work/nginx/static/floor.html"
for clients in 16 64; do
  wrk_get protected "http://127.0.0.1:$proxy_port/" "$clients" "Host: static.bench.test" "Cookie: $cookie"
  wrk_get open "http://127.0.0.1:$proxy_port/" "$clients" "Host: open.bench.test"
  wrk_get bypass_floor "http://127.0.0.1:$proxy_port/floor.html" "$clients" "Host: static.bench.test"
done

printf '\n==> ratios\n'
for clients in 16 64; do
  printf '%d connections: /auth/verify is %sx the axum hello; the protected page is %sx the open one (%sx behind a bypass rule)\n' \
    "$clients" "$(ratio "verify-$clients" "hello_axum-$clients")" "$(ratio "protected-$clients" "open-$clients")" \
    "$(ratio "bypass_floor-$clients" "open-$clients")"
done
