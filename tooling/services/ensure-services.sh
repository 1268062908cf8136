#!/usr/bin/env bash
# Starts the machine's MariaDB and PostgreSQL when they are down and waits until both answer.
# Servers elsewhere can be used instead by setting MYSQL_URL / DATABASE_URL (then nothing is started).
set -euo pipefail

wait_for() { # name, command...
  local name=$1; shift
  for _ in $(seq 1 60); do
    if "$@" >/dev/null 2>&1; then echo "$name is up"; return 0; fi
    sleep 1
  done
  echo "$name did not answer within 60 s" >&2
  return 1
}

mariadb_up() { mariadb -h 127.0.0.1 -P 3306 -u root -e 'SELECT 1'; }
postgres_up() { psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -tAc 'SELECT 1'; }

if [ -z "${MYSQL_URL:-}" ]; then
  if ! mariadb_up >/dev/null 2>&1; then
    echo "starting MariaDB"
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  fi
  wait_for MariaDB mariadb_up
fi

if [ -z "${DATABASE_URL:-}" ]; then
  if ! postgres_up >/dev/null 2>&1; then
    echo "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n1)" main start || true
  fi
  wait_for PostgreSQL postgres_up
fi
