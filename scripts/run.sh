#!/usr/bin/env bash
# Runs the portal on its defaults at http://127.0.0.1:3000: a SQLite file under data/, and mail
# written to data/outbox/*.eml (the log names each file). Rebuilds on every change.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export SQLX_OFFLINE=true
exec cargo leptos watch --split
