#!/usr/bin/env bash
# make bench-large: a help desk of a million tickets (bench/gen_large.c),
# generated once and cached under BUILD/bench-large/KEY (KEY: the
# generator's version and N; a new migration upgrades the cached data, as
# it upgrades a desk of years, and the upgrade's time is printed), then
# every measure printed with its target and ratio. Bounded: each measure
# runs a fixed number of times or seconds. Not part of make check.
# Usage: bench/large.sh [BUILD] [views|server] (one half only: the lists,
# reports and search, or the server's GET, creates, mail and memory).
# Env: AYUDA_LARGE_N (tickets, default 1000000).
#
# The cached data dir is shared by every measure: one that writes (creates,
# mail) works on a copy (fresh_copy) so the next run starts from the same
# data.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
PART=${2:-all}
BIN=$BUILD/ayuda
N=${AYUDA_LARGE_N:-1000000}
KEY=$("$BUILD/gen_large" --key)-n$N
CACHE=$BUILD/bench-large/$KEY
DATA=$CACHE/data

elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }'; }

echo "== ayuda bench-large ($(nproc) cores, $N tickets, data $DATA)"
if [ ! -e "$CACHE/done" ]; then
	# Older keys hold gigabytes of data nobody will read again.
	rm -rf "$BUILD/bench-large"
	mkdir -p "$CACHE"
	"$BIN" init --demo --data "$DATA" >/dev/null 2>&1
	t0=$(date +%s.%N)
	"$BUILD/gen_large" "$DATA" "$N" 2>"$CACHE/gen.log"
	echo "generated in $(elapsed "$t0") s ($(du -sh "$DATA" | cut -f1))"
	touch "$CACHE/done"
else
	echo "cached ($(du -sh "$DATA" | cut -f1)); remove $CACHE to regenerate"
fi
# The migrations the cached data has not had yet, as an upgrade applies
# them (the first verb that opens the store does).
have=$(sqlite3 "$DATA/ayuda.db" 'SELECT MAX(version) FROM schema_migrations')
t0=$(date +%s.%N)
"$BIN" token create --user agente@ayuda.localhost --data "$DATA" >/dev/null
now=$(sqlite3 "$DATA/ayuda.db" 'SELECT MAX(version) FROM schema_migrations')
[ "$have" = "$now" ] || echo "upgraded from migration $have to $now in $(elapsed "$t0") s"
echo "schema: migration $now"

# fresh_copy DIR: a copy of the data dir in DIR, for a measure that writes.
fresh_copy() {
	rm -rf "$1"
	cp -a --reflink=auto "$DATA" "$1"
}

# Queue views and filters, the supervisor report, search: as the server
# computes them, on a reader connection (read only).
if [ "$PART" != server ]; then
	echo "== views, report and search (bench/large_bench.c)"
	"$BUILD/large_bench" "$DATA"
fi
[ "$PART" = views ] && exit 0

# GET one ticket against nginx serving a file of its size, creates, mail
# and the server's memory, on a copy (the creates and mail write).
echo "== GET, creates and memory at $N tickets (bench/http.sh)"
SECS=${BENCH_SECONDS:-10}
SRV=
COPY=$CACHE/copy
trap '[ -n "$SRV" ] && kill "$SRV" 2>/dev/null; rm -rf "$COPY"' EXIT
fresh_copy "$COPY"
. bench/http.sh
start_server "$COPY"
# Idle: once the scheduled jobs' first pass (at start) is over.
for _ in $(seq 300); do grep -q 'scheduler=sla run=1' "$COPY/serve.log" && break; sleep 0.1; done
sleep 1
idle=$(rss_mb "$SRV")
rss_line "idle RSS" "$idle" 16
get_vs_nginx "$N"
creates
stop_server

# mail-in into the same copy: a desk of a million tickets (bench/mail.sh).
echo "== mail-in at $N tickets (bench/mail.sh)"
. bench/mail.sh
mail_bench "$COPY"
rm -rf "$COPY"
