#!/usr/bin/env bash
# PostgreSQL beside SQLite (issue 14, item 7): creates and GETs a second
# with one and with three `ayuda serve` on one database, PostgreSQL and
# SQLite, on this machine. Sourced by bench/run.sh (pg_bench DATA_DIR, the
# SQLite data dir it generated, servers stopped; `BENCH_ONLY=pg
# bench/run.sh` runs only this part). Every load is bounded (SECS); the
# PostgreSQL cluster is a throw-away one in /tmp on a loopback port
# (tests/pg/pgcluster.sh, durable: fsync and synchronous_commit on, as
# SQLite's synchronous=FULL), stopped at the end.
# Per load it prints the servers' CPU and PostgreSQL's a request, from
# pg_stat_statements, pg_stat_database and pg_stat_wal the statements,
# transactions and WAL flushes a request, and from the servers' /metrics
# the round trips (waits for PostgreSQL's answer) a request.

PGB_DIR=
PGB_URL=
PGB_PIDS=()

pgb_psql() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$PGB_URL" -c "$1"; }

# pgb_start: a durable PostgreSQL 15 in a temporary directory
# (tests/pg/pgcluster.sh, AY_PG_DURABLE=1); sets PGB_URL. Returns 1 when
# none is installed.
pgb_start() {
	PGB_DIR=$(mktemp -u /tmp/ayuda-bench-pg-XXXXXX)
	AY_PG_DURABLE=1 tests/pg/pgcluster.sh start "$PGB_DIR" >/dev/null || return 1
	PGB_URL=$(cat "$PGB_DIR/url")
	pgb_psql "CREATE EXTENSION pg_stat_statements" >/dev/null
}

pgb_stop() {
	pgb_stop_servers
	[ -n "$PGB_DIR" ] && tests/pg/pgcluster.sh stop "$PGB_DIR"
	PGB_DIR=
}

# pgb_servers K DATA_DIR URL: K servers on the data dir (URL: the
# PostgreSQL store, "" for SQLite), each on a free port; sets PGB_PIDS,
# PGB_PORTS ("p1,p2,..") and TOK.
pgb_servers() {
	local i port
	PGB_PIDS=()
	PGB_PORTS=
	TOK=$(AYUDA_STORE_URL=$3 "$BIN" token create --user agente@ayuda.localhost --data "$2")
	for i in $(seq "$1"); do
		port=$(free_port)
		AYUDA_STORE_URL=$3 "$BIN" serve --data "$2" --listen "127.0.0.1:$port" \
			>/dev/null 2>>"$2/serve.log" &
		PGB_PIDS+=($!)
		PGB_PORTS=${PGB_PORTS:+$PGB_PORTS,}$port
		for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
	done
}

pgb_stop_servers() {
	local p
	[ ${#PGB_PIDS[@]} -eq 0 ] && return 0
	sleep 1 # the writes under way finish (see stop_server)
	for p in "${PGB_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${PGB_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	PGB_PIDS=()
}

# CPU ticks of the servers; of the PostgreSQL cluster (the postmaster,
# its live children and the children it reaped).
pgb_srv_ticks() {
	local p t=0
	for p in "${PGB_PIDS[@]}"; do t=$((t + $(cpu_ticks "$p"))); done
	echo "$t"
}
pgb_pg_ticks() {
	local pm t c
	[ -f "$PGB_DIR/data/postmaster.pid" ] || {
		echo 0
		return
	}
	pm=$(head -1 "$PGB_DIR/data/postmaster.pid")
	t=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$pm/stat")
	for c in $(ps -o pid= --ppid "$pm"); do
		t=$((t + $(awk '{ print $14 + $15 }' "/proc/$c/stat" 2>/dev/null || echo 0)))
	done
	echo "$t"
}

# pgb_trips: the servers' waits for PostgreSQL's answer so far (the sum of
# their ayuda_db_round_trips_total, /metrics).
pgb_trips() {
	local port t=0 v
	for port in ${PGB_PORTS//,/ }; do
		v=$(curl -s "http://127.0.0.1:$port/metrics" | awk '$1 == "ayuda_db_round_trips_total" { print $2 }')
		t=$((t + ${v:-0}))
	done
	echo "$t"
}

# pgb_load NAME CONNECTIONS SCRIPT PATH PG: one bounded wrk load spread
# over PGB_PORTS; prints a line (and a second one of PostgreSQL's figures
# when PG is 1).
pgb_load() {
	local out s0 s1 p0 p1 n rps st0 st1 x0 x1 w0 w1 r0 r1 port1 q
	port1=${PGB_PORTS%%,*}
	q="SELECT (SELECT COALESCE(SUM(calls), 0) FROM pg_stat_statements),
		xact_commit, (SELECT wal_sync FROM pg_stat_wal)
		FROM pg_stat_database WHERE datname = current_database()"
	if [ "$5" = 1 ]; then
		read -r st0 x0 w0 < <(pgb_psql "$q" | tr '|' ' ')
		r0=$(pgb_trips)
	fi
	s0=$(pgb_srv_ticks)
	p0=$(pgb_pg_ticks)
	out=$(AYUDA_PORTS=$PGB_PORTS AYUDA_WRK_SCRIPT=$3 wrk -t3 -c"$2" -d"${SECS}s" --latency \
		-s bench/spread.lua -H "Authorization: Bearer $TOK" "http://127.0.0.1:$port1$4")
	s1=$(pgb_srv_ticks)
	p1=$(pgb_pg_ticks)
	rps=$(echo "$out" | awk '/Requests\/sec/ { printf "%.0f", $2 }')
	n=$(echo "$out" | awk '/requests in/ { print $1 }')
	printf '%-44s %7s req/s  p50 %-8s p99 %-8s non-2xx %-5s CPU a request: servers %s us' \
		"$1" "$rps" "$(echo "$out" | awk '$1 == "50%" { print $2 }')" \
		"$(echo "$out" | awk '$1 == "99%" { print $2 }')" \
		"$(echo "$out" | awk '/Non-2xx/ { print $5 }' | grep . || echo 0)" \
		"$(awk -v a="$s0" -v b="$s1" -v n="$n" 'BEGIN { printf "%.0f", (b - a) * 10000 / n }')"
	if [ "$5" = 1 ]; then
		read -r st1 x1 w1 < <(pgb_psql "$q" | tr '|' ' ')
		r1=$(pgb_trips)
		printf ', PostgreSQL %s us\n' \
			"$(awk -v a="$p0" -v b="$p1" -v n="$n" 'BEGIN { printf "%.0f", (b - a) * 10000 / n }')"
		awk -v n="$n" -v s="$((st1 - st0))" -v x="$((x1 - x0))" -v w="$((w1 - w0))" \
			-v r="$((r1 - r0))" 'BEGIN {
			printf "%-44s statements %.1f, round trips %.1f, transactions %.2f, WAL flushes %.3f a request\n",
				"", s / n, r / n, x / n, w / n }'
	else
		echo
	fi
}

# pgb_round K DATA_DIR URL LABEL: GETs then creates with K servers.
pgb_round() {
	local pg=0
	[ -n "$3" ] && pg=1
	: >"$2/serve.log"
	pgb_servers "$1" "$2" "$3"
	AYUDA_N=$N pgb_load "$4, $1 server(s): GET /api/v1/tickets/N" 32 bench/get.lua /api/v1/tickets "$pg"
	pgb_load "$4, $1 server(s): POST /api/v1/tickets" 64 bench/create.lua /api/v1/tickets "$pg"
	pgb_stop_servers
	# Answers other than 2xx, by status and the servers' reasons.
	grep -o 'status=[3-5][0-9]*' "$2/serve.log" | sort | uniq -c | sed 's/^ */  answers: /' || true
	grep 'level=\(warn\|error\)' "$2/serve.log" | grep -v 'mail-in socket' | sed 's/^ts=[^ ]* //; s/ dur_ms=.*//' |
		sort | uniq -c | sort -rn | head -3 | sed 's/^ */  log: /' || true
	# Writer batches PostgreSQL refused and the writers ran again (each
	# refused job of a batch logs its own "database busy" line above).
	grep -c 'msg="batch retried"' "$2/serve.log" | sed 's/^/  batches run again: /' || true
}

# pg_bench DATA_DIR: the SQLite data dir of N tickets (no server on it).
pg_bench() {
	local dir=$1
	echo "== PostgreSQL beside SQLite, 1 and 3 servers (load average $(cut -d' ' -f1-3 /proc/loadavg))"
	if ! pgb_start; then
		echo "skipped: needs PostgreSQL 15 (apt-get install postgresql)"
		pgb_stop
		return 0
	fi
	trap 'pgb_stop; cleanup' EXIT
	"$BIN" migrate --to "$PGB_URL" --data "$dir" >/dev/null 2>"$dir/migrate.log" || {
		cat "$dir/migrate.log" >&2
		pgb_stop
		return 1
	}
	pgb_psql "ANALYZE" >/dev/null
	echo "$(pgb_psql "SELECT COUNT(*) FROM tickets") tickets on both; wrk -t3, 32 connections for GETs, 64 for creates, spread over the servers (bench/spread.lua), ${SECS}s each"
	for k in 1 3; do
		pgb_round "$k" "$dir" "" SQLite
		pgb_round "$k" "$dir" "$PGB_URL" PostgreSQL
	done
	echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
	pgb_stop
	trap cleanup EXIT
}
