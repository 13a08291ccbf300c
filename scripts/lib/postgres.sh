# A throwaway PostgreSQL cluster on loopback, for tests, query checking and benchmarks.
# Source this file, then:  postgres_start   (sets POSTGRES_URL, and POSTGRES_DIR, its folder)
#                          postgres_stop
# Installs Debian's PostgreSQL when it is missing. initdb refuses to run as root, so as root the
# cluster runs as the unprivileged `postgres` user.

postgres_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [[ -z $dir ]]; then
    printf '\n==> installing PostgreSQL from Debian\n' >&2
    local sudo=(); [[ $(id -u) -eq 0 ]] || sudo=(sudo)
    "${sudo[@]}" apt-get update >&2
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y postgresql >&2
    dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  printf '%s' "$dir"
}

postgres_as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

postgres_start() {
  local bin port
  bin=$(postgres_bin)
  POSTGRES_DIR=$(mktemp -d /tmp/gatehouse-postgres.XXXXXX)
  chmod 755 "$POSTGRES_DIR"
  [[ $(id -u) -eq 0 ]] && chown postgres: "$POSTGRES_DIR"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  postgres_as_owner "$bin/initdb" -D "$POSTGRES_DIR/data" -U gatehouse --auth=trust -E UTF8 --no-locale \
    >"$POSTGRES_DIR/initdb.log"
  postgres_as_owner "$bin/pg_ctl" -D "$POSTGRES_DIR/data" -l "$POSTGRES_DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$POSTGRES_DIR -c max_connections=400" \
    start >/dev/null
  POSTGRES_URL="postgres://gatehouse@127.0.0.1:$port/postgres"
  export POSTGRES_URL POSTGRES_DIR
}

postgres_stop() {
  [[ -n ${POSTGRES_DIR:-} ]] || return 0
  if [[ -d $POSTGRES_DIR/data ]]; then
    postgres_as_owner "$(postgres_bin)/pg_ctl" -D "$POSTGRES_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$POSTGRES_DIR"
  POSTGRES_DIR=
}
