#!/usr/bin/env bash
# Every test Gatehouse has: unit and integration tests (real SQLite, real SMTP on loopback),
# then Playwright end-to-end tests in Chromium against the built portal.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --e2e
# Compile-time-checked queries use the committed .sqlx data; no database needed to build.
export SQLX_OFFLINE=true

printf '\n==> lints (clippy, warnings are errors)\n'
cargo clippy --features ssr --tests -- -D warnings

printf '\n==> unit and integration tests\n'
cargo test --features ssr

printf '\n==> building the portal (server + WASM)\n'
cargo leptos build

printf '\n==> end-to-end tests (Playwright, Chromium)\n'
(cd end2end && npx playwright test)
