#!/usr/bin/env bash
# Every test Gatehouse has: formatting and lints; unit tests; the integration suite against SQLite
# and again against a throwaway PostgreSQL cluster (real SMTP on loopback in both); then Playwright
# end-to-end tests in Chromium against the built portal.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --e2e --checks
source scripts/lib/postgres.sh
trap postgres_stop EXIT
# Compile-time-checked queries use the committed .sqlx data; no database needed to build.
export SQLX_OFFLINE=true

printf '\n==> formatting (cargo fmt --check)\n'
cargo fmt --check

printf '\n==> lints (clippy, warnings are errors): server, then browser\n'
cargo clippy --features ssr --tests -- -D warnings
cargo clippy --features hydrate --target wasm32-unknown-unknown --lib -- -D warnings

printf '\n==> supply chain (cargo deny: banned crates, licenses, sources; deny.toml)\n'
cargo deny check bans licenses sources

printf '\n==> unit tests, and the integration suite on SQLite\n'
cargo test --features ssr

printf '\n==> the integration suite on PostgreSQL (with several instances behind nginx)\n'
postgres_start
GATEHOUSE_TEST_BACKEND=postgres GATEHOUSE_TEST_POSTGRES_URL="$POSTGRES_URL" cargo test --features ssr --test it

printf '\n==> building the portal (server + WASM)\n'
cargo leptos build --split

printf '\n==> the release binary (scripts/release.sh), copied alone into an empty folder\n'
scripts/release.sh
release_dir=$(mktemp -d)
trap 'postgres_stop; rm -rf "$release_dir"' EXIT
cp target/release/gatehouse "$release_dir/"
export GATEHOUSE_E2E_RELEASE_BINARY="$release_dir/gatehouse"

printf '\n==> end-to-end tests (Playwright, Chromium; one spec on PostgreSQL behind nginx)\n'
psql --quiet "$POSTGRES_URL" -c 'create database e2e' >/dev/null
(cd end2end && GATEHOUSE_E2E_POSTGRES_URL="${POSTGRES_URL%/*}/e2e" npx playwright test)
