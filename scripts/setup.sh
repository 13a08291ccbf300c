#!/usr/bin/env bash
# Installs what Gatehouse needs to build (with --release, to build the release binary; with --e2e,
# to run its browser tests; with --checks, the supply-chain check; with --bench, the load
# generator of scripts/bench.sh; any may be given).
# Idempotent: anything already present at the right version is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian's packages install without asking anything.
export DEBIAN_FRONTEND=noninteractive

CARGO_LEPTOS_VERSION=0.3.10
CARGO_DENY_VERSION=0.20.2
# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')

say() { printf '\n==> %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The passkey library (webauthn-rs) links OpenSSL.
if ! pkg-config --exists openssl 2>/dev/null; then
  say "installing OpenSSL's headers from Debian"
  if [[ $(id -u) -eq 0 ]]; then apt-get install -y libssl-dev pkg-config; else sudo apt-get install -y libssl-dev pkg-config; fi
fi

if ! cargo clippy --version >/dev/null 2>&1; then
  say "adding clippy"
  rustup component add clippy
fi

if ! cargo fmt --version >/dev/null 2>&1; then
  say "adding rustfmt"
  rustup component add rustfmt
fi

if ! cargo leptos --version 2>/dev/null | grep -q " $CARGO_LEPTOS_VERSION"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (10-20 minutes on 2 cores, once)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  # Without --locked: a locked dependency of this version is not served by crates.io.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

wants() { [[ " $* " == *" $1 "* ]]; }
FLAGS=("$@")

if wants --release "${FLAGS[@]}"; then
  # Release builds run wasm-opt; Debian's binaryen is too old and cargo-leptos' download is blocked.
  if [[ ! -x target/tools/node_modules/.bin/wasm-opt ]]; then
    say "installing wasm-opt (npm binaryen@132) into target/tools"
    npm install --prefix target/tools --no-audit --no-fund binaryen@132
  fi
fi

if wants --checks "${FLAGS[@]}"; then
  if ! cargo deny --version 2>/dev/null | grep -q " $CARGO_DENY_VERSION"; then
    say "installing cargo-deny $CARGO_DENY_VERSION (about 4 minutes on 2 cores, once)"
    cargo install cargo-deny --version "$CARGO_DENY_VERSION" --locked
  fi
fi

if wants --bench "${FLAGS[@]}" && [[ ! -x /usr/bin/wrk ]]; then
  say "installing wrk from Debian"
  if [[ $(id -u) -eq 0 ]]; then apt-get install -y wrk; else sudo apt-get install -y wrk; fi
fi

if wants --e2e "${FLAGS[@]}"; then
  # Chromium for Playwright; PostgreSQL and nginx for the multi-instance tests.
  missing=()
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  if [[ ${#missing[@]} -gt 0 ]]; then
    say "installing from Debian: ${missing[*]}"
    sudo_if_needed() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
    sudo_if_needed apt-get update
    DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y "${missing[@]}"
  fi
  if [[ ! -d end2end/node_modules/@playwright/test || end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]]; then
    say "installing the end-to-end test packages"
    # Playwright drives Debian's Chromium; it must not try to download a browser of its own.
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
fi
