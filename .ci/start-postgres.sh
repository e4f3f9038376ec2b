#!/usr/bin/env bash
# Installs PostgreSQL from Debian if absent and starts a throwaway server on loopback
# for the tests. Idempotent: a server already answering on the port is reused.
set -euo pipefail

PGPORT="${STIPEND_PG_PORT:-54329}"
PGDATA_DIR="${STIPEND_PG_DATA:-/tmp/stipend-pg}"

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dir" ] && echo "$dir"
}

if [ -z "$(pg_bin)" ]; then
  echo "installing PostgreSQL from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
BIN=$(pg_bin)

if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT"; then
  echo "postgres already running on 127.0.0.1:$PGPORT"
else
  # initdb and postgres refuse to run as root: use the postgres system user when we are root.
  RUN=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql postgres
    RUN=(runuser -u postgres --)
  fi
  if [ ! -s "$PGDATA_DIR/PG_VERSION" ]; then
    rm -rf "$PGDATA_DIR"; mkdir -p "$PGDATA_DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$PGDATA_DIR"
    "${RUN[@]}" "$BIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  # Tuned for a throwaway test server: durability off, enough connections for parallel test files.
  "${RUN[@]}" "$BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w -t 60 start \
    -o "-h 127.0.0.1 -p $PGPORT -k /tmp -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
  echo "postgres started on 127.0.0.1:$PGPORT"
fi
echo "STIPEND_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PGPORT/postgres"
