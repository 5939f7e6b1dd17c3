#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer on 127.0.0.1, then creates the
# databases the project uses (snp, snp_test, snp_bench).
#
# Order of preference:
#   1. what is already running (nothing is touched);
#   2. `docker compose up -d --wait` when a Docker engine answers;
#   3. Debian's postgresql and redis-server, installed with apt-get if missing
#      and started locally.
# Used by `npm run demo`, `npm test`, `npm run bench` and `.ci/run`.
set -euo pipefail

PGHOST_ADDR="${PGHOST_ADDR:-127.0.0.1}"
PGPORT_NUM="${PGPORT_NUM:-5432}"
PGUSER_NAME="${PGUSER_NAME:-postgres}"
REDIS_PORT_NUM="${REDIS_PORT_NUM:-6379}"
DATABASES=(snp snp_test snp_bench)
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

SAY_TAG=services
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"

pg_up() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$PGHOST_ADDR" -p "$PGPORT_NUM" >/dev/null 2>&1
  else
    (exec 3<>"/dev/tcp/$PGHOST_ADDR/$PGPORT_NUM") >/dev/null 2>&1
  fi
}

redis_up() {
  if command -v redis-cli >/dev/null 2>&1; then
    [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT_NUM" ping 2>/dev/null)" = "PONG" ]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT_NUM") >/dev/null 2>&1
  fi
}

wait_for() { # name check-function seconds
  local name="$1" check="$2" limit="${3:-30}" i=0
  until "$check"; do
    i=$((i + 1))
    if [ "$i" -ge "$((limit * 2))" ]; then say "$name does not answer after ${limit} s"; return 1; fi
    sleep 0.5
  done
}

start_local_postgres() {
  local fresh=no
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    apt_install postgresql postgresql-contrib
    fresh=yes
  fi
  local version
  version="$(ls /etc/postgresql | sort -V | tail -1)"
  local hba="/etc/postgresql/$version/main/pg_hba.conf"
  # The project connects as postgres over TCP without a password (local development, CI). Only a
  # cluster this script has just installed is opened that way, and only to the postgres user from
  # this machine: an existing cluster's access rules are never changed (set DATABASE_URL instead).
  if [ "$fresh" = yes ] && [ -f "$hba" ] && ! grep -qE '^host\s+all\s+postgres\s+127\.0\.0\.1/32\s+trust' "$hba"; then
    say "new local cluster: allowing the postgres user without a password from 127.0.0.1 in $hba (development only)"
    as_root sed -i '1i host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust' "$hba"
  fi
  say "starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  # apt-get may have started the new cluster already: make it read the rule added above.
  [ "$fresh" = yes ] && { as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload || true; }
  return 0
}

start_local_redis() {
  if ! command -v redis-server >/dev/null 2>&1; then
    apt_install redis-server
  fi
  say "starting redis-server"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT_NUM" --save "" --appendonly no >/dev/null
}

docker_answers() {
  command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1 && docker compose version >/dev/null 2>&1
}

if pg_up && redis_up; then
  :
elif docker_answers; then
  say "starting PostgreSQL and Redis with docker compose"
  docker compose -f "$ROOT/docker-compose.yml" up -d --wait
else
  pg_up || start_local_postgres
  redis_up || start_local_redis
fi

wait_for PostgreSQL pg_up 30
wait_for Redis redis_up 30

# Client tools (psql) are needed to create the databases; the docker path may
# run on a machine without them.
if ! command -v psql >/dev/null 2>&1; then
  if docker_answers; then
    PSQL=(docker compose -f "$ROOT/docker-compose.yml" exec -T postgres psql -U "$PGUSER_NAME")
  else
    apt_install postgresql-client
    PSQL=(psql -h "$PGHOST_ADDR" -p "$PGPORT_NUM" -U "$PGUSER_NAME")
  fi
else
  PSQL=(psql -h "$PGHOST_ADDR" -p "$PGPORT_NUM" -U "$PGUSER_NAME")
fi

for db in "${DATABASES[@]}"; do
  exists="$("${PSQL[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" 2>/dev/null || true)"
  if [ "$exists" != "1" ]; then
    say "creating database $db"
    "${PSQL[@]}" -d postgres -qc "CREATE DATABASE $db" >/dev/null
  fi
done
