#!/usr/bin/env bash
# Makes sure the database servers the suites need are installed and running on this machine:
# PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth) and MariaDB on 127.0.0.1:3306
# (root, empty password), plus the sqlite3 shell the SQLite suite compares with.
# Installs from Debian packages when missing. Idempotent.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
install() {
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

command -v sqlite3 >/dev/null || install sqlite3

# PostgreSQL
fresh_pg=0
if ! command -v pg_ctlcluster >/dev/null || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
  install postgresql postgresql-contrib
  fresh_pg=1
fi
pg_version=$(ls /etc/postgresql | sort -V | tail -n 1)
if [ "$fresh_pg" = 1 ]; then
  hba=/etc/postgresql/$pg_version/main/pg_hba.conf
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n' | as_root tee "$hba" >/dev/null
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  as_root pg_ctlcluster --skip-systemctl-redirect "$pg_version" main start || true
fi

# MariaDB
fresh_my=0
if [ ! -x /usr/sbin/mariadbd ]; then
  install mariadb-server
  fresh_my=1
fi
if ! mariadb-admin -uroot -h127.0.0.1 --connect-timeout=2 ping >/dev/null 2>&1; then
  as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
fi

for _ in $(seq 1 60); do
  pg_ok=0; my_ok=0
  pg_isready -q -h 127.0.0.1 -p 5432 && pg_ok=1
  mariadb-admin -uroot -h127.0.0.1 --connect-timeout=2 ping >/dev/null 2>&1 && my_ok=1
  if [ "$fresh_my" = 1 ] && [ "$my_ok" = 0 ] && mariadb-admin ping >/dev/null 2>&1; then
    # A fresh Debian install lets root in over the socket only; open TCP with an empty password.
    as_root mariadb -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD(''); CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY ''; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION; FLUSH PRIVILEGES;"
    fresh_my=0
  fi
  [ "$pg_ok" = 1 ] && [ "$my_ok" = 1 ] && { echo "services: PostgreSQL and MariaDB are up"; exit 0; }
  sleep 1
done
echo "services: PostgreSQL up=$pg_ok, MariaDB up=$my_ok after 60 s" >&2
exit 1
