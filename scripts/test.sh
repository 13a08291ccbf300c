#!/usr/bin/env bash
# Every test Gatehouse has: formatting, lints and the supply-chain check; unit tests; the
# integration suite on SQLite and again on a throwaway PostgreSQL cluster (real SMTP on loopback
# in both), while the release binary builds beside them; then Playwright in Chromium against
# portals that all run that one release binary, one of them alone in an empty folder.
# Each step prints how long it took.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --e2e --checks --release
source scripts/lib/postgres.sh
# Compile-time-checked queries use the committed .sqlx data; no database needed to build.
export SQLX_OFFLINE=true
# Builds go outside the clone, so another clone reuses the compiled dependencies (the first run
# fills the cache; without it everything is built, as on a new machine). Incremental data would
# only fill the disk.
build_cache=${GATEHOUSE_BUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gatehouse}
export CARGO_TARGET_DIR="$build_cache/target"
export CARGO_INCREMENTAL=0

# Each step has a ceiling far above its usual time (a cold build included), so a step that hangs
# fails here, named, instead of running into CI's own limit.
timed() {
  local name=$1 limit=$2 started=$SECONDS status=0
  shift 2
  printf '\n==> %s\n' "$name"
  timeout --kill-after=30 "$limit" "$@" || status=$?
  if [[ $status -eq 124 || $status -eq 137 ]]; then
    printf '==> %s: stopped after %d s, its ceiling: did it hang?\n' "$name" "$limit"
  fi
  [[ $status -eq 0 ]] || exit "$status"
  printf '==> %s: %d s\n' "$name" $((SECONDS - started))
}

# The release binary (scripts/release.sh) builds in a target folder of its own, beside the
# steps below: its last step, the fat-LTO link, runs on one core.
release_dir=$(mktemp -d)
release_log="$release_dir/build.log"
trap 'postgres_stop; kill "${release_build:-}" 2>/dev/null || true; rm -rf "$release_dir"' EXIT
(
  started=$SECONDS
  CARGO_TARGET_DIR="$build_cache/release-target" timeout --kill-after=30 3000 scripts/release.sh
  cp "$build_cache/release-target/release/gatehouse" "$release_dir/"
  printf '==> the release binary (built beside the steps above): %d s\n' $((SECONDS - started))
) >"$release_log" 2>&1 &
release_build=$!

timed 'formatting (cargo fmt --check)' 300 cargo fmt --check
timed 'lints of the server (clippy, warnings are errors)' 1500 cargo clippy --features ssr --tests -- -D warnings
timed 'lints of the browser side (clippy on wasm32)' 1200 \
  cargo clippy --features hydrate --target wasm32-unknown-unknown --lib -- -D warnings
timed 'supply chain (cargo deny: banned crates, licenses, sources; deny.toml)' 300 cargo deny check bans licenses sources
timed 'unit tests, and the integration suite on SQLite' 1800 cargo test --features ssr

postgres_start
timed 'the integration suite on PostgreSQL (with several instances behind nginx)' 1200 \
  env GATEHOUSE_TEST_BACKEND=postgres GATEHOUSE_TEST_POSTGRES_URL="$POSTGRES_URL" cargo test --features ssr --test it

printf '\n==> waiting for the release binary\n'
if ! wait "$release_build"; then
  cat "$release_log"
  exit 1
fi
cat "$release_log"

psql --quiet "$POSTGRES_URL" -c 'create database e2e' >/dev/null
# A failed spec's other half: what the portals logged as errors and warnings.
( timed 'end-to-end tests (Playwright, Chromium; one spec on PostgreSQL behind nginx)' 1200 \
  env -C end2end GATEHOUSE_E2E_BINARY="$release_dir/gatehouse" GATEHOUSE_E2E_POSTGRES_URL="${POSTGRES_URL%/*}/e2e" \
  npx playwright test ) || {
  status=$?
  printf '\n==> what the portals logged as errors and warnings (end2end/.e2e/*/portal.log)\n'
  grep -sE ' (ERROR|WARN) ' end2end/.e2e/*/portal.log | tail -n 80 || true
  exit "$status"
}
printf '\n==> every test passed in %d s\n' "$SECONDS"
