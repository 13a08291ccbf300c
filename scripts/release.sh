#!/usr/bin/env bash
# Builds the release: target/release/gatehouse (under $CARGO_TARGET_DIR when set), one stripped
# (Cargo.toml's release profile), self-contained binary with the site (JS, WASM, CSS, public/)
# compiled in, compressed with brotli and gzip and named by content hash.
# Copy it anywhere and run it: it needs no other file (see deploy/ for systemd and a TLS proxy).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --release
export SQLX_OFFLINE=true
binary="${CARGO_TARGET_DIR:-target}/release/gatehouse"

printf '\n==> the site: the WASM bundle (size-optimised, then wasm-opt), its JS and the CSS\n'
# Into a folder of its own: target/site keeps the development build's site, whose markup matches
# the development server's (cargo-leptos builds both with components erased).
export LEPTOS_SITE_ROOT=target/release-site
PATH="$PWD/target/tools/node_modules/.bin:$PATH" cargo leptos build --release --split --frontend-only

printf '\n==> the server, with the site inside\n'
# cargo-leptos names the bundle for Leptos at compile time; this build has to say it itself.
LEPTOS_OUTPUT_NAME=gatehouse GATEHOUSE_SITE_DIR="$PWD/target/release-site" cargo build --release --bin gatehouse --no-default-features \
  --features embedded-site

printf '\n==> sizes (the main module and its JS, the stylesheet, then the islands and their shared chunks)\n'
for file in target/release-site/pkg/gatehouse.{wasm,js,css} target/release-site/pkg/__wasm_split.*.js \
  target/release-site/pkg/split_*.wasm target/release-site/pkg/chunk_*.wasm; do
  printf '%-56s %9d B raw, %8d B gzip -9\n' "${file#target/release-site/pkg/}" "$(stat -c %s "$file")" "$(gzip -9 -c "$file" | wc -c)"
done
printf '%-56s %9d B (stripped)\n' "$binary" "$(stat -c %s "$binary")"
