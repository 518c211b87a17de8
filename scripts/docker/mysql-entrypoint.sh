#!/bin/sh
# Entry point of the mysql stand-in: on the first start, make the data directory, the
# root password, database and user the environment asks for (the official image's
# variables), with networking off until they exist; then run the server.
set -eu
datadir=/var/lib/mysql
socket=/run/mysqld/mysqld.sock
if [ "${1:-}" != "mysqld" ]; then
    exec "$@"
fi
shift
mkdir -p "$datadir" /run/mysqld
chown mysql:mysql "$datadir" /run/mysqld

if [ ! -d "$datadir/mysql" ]; then
    if [ -n "${MYSQL_RANDOM_ROOT_PASSWORD:-}" ]; then
        root_password=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
        echo "GENERATED ROOT PASSWORD: $root_password"
    elif [ -n "${MYSQL_ROOT_PASSWORD:-}" ]; then
        root_password=$MYSQL_ROOT_PASSWORD
    else
        echo "the mysql stand-in needs MYSQL_ROOT_PASSWORD or MYSQL_RANDOM_ROOT_PASSWORD" >&2
        exit 1
    fi
    mariadb-install-db --user=mysql --datadir="$datadir" --skip-test-db \
        --auth-root-authentication-method=normal >/dev/null
    mariadbd --user=mysql --datadir="$datadir" --skip-networking --socket="$socket" &
    pid=$!
    for _ in $(seq 1 60); do
        mariadb-admin --socket="$socket" ping >/dev/null 2>&1 && break
        sleep 0.5
    done
    {
        echo "DELETE FROM mysql.global_priv WHERE User = '';"
        echo "ALTER USER 'root'@'localhost' IDENTIFIED BY '$root_password';"
        echo "CREATE USER 'root'@'%' IDENTIFIED BY '$root_password';"
        echo "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
        if [ -n "${MYSQL_DATABASE:-}" ]; then
            echo "CREATE DATABASE IF NOT EXISTS \`$MYSQL_DATABASE\`;"
        fi
        if [ -n "${MYSQL_USER:-}" ]; then
            echo "CREATE USER '$MYSQL_USER'@'%' IDENTIFIED BY '${MYSQL_PASSWORD:-}';"
            if [ -n "${MYSQL_DATABASE:-}" ]; then
                echo "GRANT ALL ON \`$MYSQL_DATABASE\`.* TO '$MYSQL_USER'@'%';"
            fi
        fi
        echo "FLUSH PRIVILEGES;"
    } | mariadb --socket="$socket" -uroot
    mariadb-admin --socket="$socket" -uroot -p"$root_password" shutdown
    wait "$pid" || true
fi
exec mariadbd --user=mysql --datadir="$datadir" --socket="$socket" \
    --bind-address=0.0.0.0 --port=3306 "$@"
