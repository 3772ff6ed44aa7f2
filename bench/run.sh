#!/usr/bin/env bash
# make bench: generate data, load the server with wrk, print figures and
# ratios against the targets. Bounded: every load runs for a fixed time.
# Env: AYUDA_N (tickets, default 100000), BENCH_SECONDS (default 10),
# BENCH_ONLY=pg (only PostgreSQL beside SQLite: bench/pg.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
BIN=$BUILD/ayuda
N=${AYUDA_N:-100000}
SECS=${BENCH_SECONDS:-10}
DIR=$(mktemp -d /tmp/ayuda-bench-XXXXXX)
SRV=
cleanup() { [ -n "$SRV" ] && kill "$SRV" 2>/dev/null; wait 2>/dev/null; rm -rf "$DIR"; }
trap cleanup EXIT

echo "== ayuda bench ($(nproc) cores, $N tickets, ${SECS}s per load)"
"$BIN" init --demo --data "$DIR" >/dev/null 2>&1
t0=$(date +%s.%N)
"$BUILD/gen_tickets" "$DIR" "$N" >/dev/null
t1=$(date +%s.%N)
echo "generate: $N tickets in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')s"
. bench/http.sh
# The same data on PostgreSQL, one and three servers beside SQLite's.
. bench/pg.sh
if [ "${BENCH_ONLY:-}" = pg ]; then
	pg_bench "$DIR"
	exit 0
fi

start_server "$DIR"
sleep 1
idle=$(rss_mb $SRV)
rss_line "idle RSS" "$idle" 16
get_vs_nginx "$N"
creates
stop_server
echo "integrity: $(sqlite3 "$DIR/ayuda.db" 'PRAGMA integrity_check')"

pg_bench "$DIR"

echo "== queue_bench (the agent console's views)"
"$BUILD/queue_bench" "$DIR"

for b in "$BUILD"/bench_*; do
	[ -x "$b" ] || continue
	echo "== $(basename "$b")"
	"$b"
done

# mail-in: one process per message, and --maildir over the corpus, into
# a data dir of its own (bench/mail.sh).
echo "== mail-in"
. bench/mail.sh
MDIR=$(mktemp -d /tmp/ayuda-bench-mail-XXXXXX)
"$BIN" init --data "$MDIR/data" >/dev/null 2>&1
mail_bench "$MDIR/data"
rm -rf "$MDIR"

# The portal in Chromium: the first load, and a ticket of 200 messages.
echo "== portal (first load, Chromium at 360 px)"
if [ -d tests/e2e/node_modules/playwright-core ] && [ -x "${AY_CHROMIUM:-/usr/bin/chromium}" ]; then
	node bench/portal.mjs "$BIN"
else
	echo "skipped: needs Debian's chromium and the browser tests' packages (make e2e-deps)"
fi
