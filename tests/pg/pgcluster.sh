#!/bin/sh
# A throw-away PostgreSQL 15 for the test suites: `start DIR` runs initdb and
# pg_ctl in DIR on a free loopback port (as the user postgres when run as
# root: PostgreSQL refuses to run as root) and writes DIR/url, the URL of
# its database `ayuda_test` (unaccent installed); `stop DIR` stops it and
# removes DIR. Exits 77 (skip) when PostgreSQL 15 is not installed.
set -eu

BIN=${AY_PG_BIN:-/usr/lib/postgresql/15/bin}
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || {
	echo "usage: $0 start|stop DIR" >&2
	exit 2
}

as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

case "$cmd" in
start)
	if [ ! -x "$BIN/initdb" ]; then
		echo "pgcluster: no PostgreSQL 15 in $BIN (apt-get install postgresql)" >&2
		exit 77
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	[ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
	as_pg "$BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
		--locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2
		exit 1
	}
	# Tests: no fsync; enough connections for parallel suites.
	# AY_PG_DURABLE=1 (bench/pg.sh): durable as installed, plus
	# pg_stat_statements to count the statements.
	cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 400
max_locks_per_transaction = 256
CONF
	if [ "${AY_PG_DURABLE:-}" = 1 ]; then
		printf '%s\n' "shared_buffers = 256MB" \
			"shared_preload_libraries = 'pg_stat_statements'" \
			>>"$dir/data/postgresql.conf"
	else
		printf '%s\n' "shared_buffers = 64MB" "fsync = off" \
			"synchronous_commit = off" "full_page_writes = off" \
			>>"$dir/data/postgresql.conf"
	fi
	# A free loopback port: ask the kernel for one; another program may
	# take it before the server binds it, then try another.
	for try in 1 2 3 4 5; do
		port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
		as_pg "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
			-t 60 -o "-p $port" start >/dev/null 2>"$dir/pg_ctl.log" &&
			break
		if [ "$try" = 5 ] ||
			! grep -q 'Address already in use' "$dir/server.log"; then
			cat "$dir/pg_ctl.log" "$dir/server.log" >&2
			exit 1
		fi
		echo "pgcluster: port $port taken meanwhile, trying another" >&2
		: >"$dir/server.log"
	done
	as_pg "$BIN/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres \
		-v ON_ERROR_STOP=1 -c "CREATE DATABASE ayuda_test" >/dev/null
	as_pg "$BIN/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d ayuda_test \
		-v ON_ERROR_STOP=1 -c "CREATE EXTENSION unaccent" >/dev/null
	echo "postgresql://postgres@127.0.0.1:$port/ayuda_test" >"$dir/url"
	echo "pgcluster: PostgreSQL on 127.0.0.1:$port ($dir)"
	;;
stop)
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_pg "$BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null ||
			true
	fi
	rm -rf "$dir"
	;;
*)
	echo "usage: $0 start|stop DIR" >&2
	exit 2
	;;
esac
