#!/usr/bin/env bash
# Regenerates `.sqlx/`, the offline data that lets every build check its SQL at compile time
# without a database. sqlx checks all queries of a build against one live database, so this runs
# two passes: the SQLite queries against a fresh SQLite file, the PostgreSQL queries against a
# throwaway PostgreSQL cluster, each migrated first. Run it after changing a query or a migration.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/postgres.sh

work=$(mktemp -d)
trap 'postgres_stop; rm -rf "$work"' EXIT

rm -rf .sqlx && mkdir .sqlx
export SQLX_OFFLINE=false SQLX_OFFLINE_DIR="$PWD/.sqlx"

printf '\n==> SQLite queries\n'
python3 - "$work/prepare.db" migrations/sqlite/*.sql <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for path in sys.argv[2:]:
    db.executescript(open(path).read())
db.commit()
PY
# Touching a source file makes cargo run the macros again (they write the data as they check).
touch src/lib.rs
DATABASE_URL="sqlite://$work/prepare.db" cargo check --quiet --features ssr,only-sqlite-queries

printf '\n==> PostgreSQL queries\n'
postgres_start
for migration in migrations/postgres/*.sql; do
  psql --quiet -v ON_ERROR_STOP=1 "$POSTGRES_URL" -f "$migration" >/dev/null
done
touch src/lib.rs
DATABASE_URL="$POSTGRES_URL" cargo check --quiet --features ssr,only-postgres-queries

printf '\n%s query files in .sqlx\n' "$(ls .sqlx | wc -l)"
