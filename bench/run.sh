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

# mail-in: one process per message, and --maildir over the corpus.
echo "== mail-in"
MDIR=$(mktemp -d /tmp/ayuda-bench-mail-XXXXXX)
"$BIN" init --data "$MDIR/data" >/dev/null 2>&1
mkdir -p "$MDIR/md/new"
# The corpus, renamed so every copy has a fresh Message-ID.
i=0
for round in 1 2 3 4 5 6 7 8 9; do
	for f in tests/data/mail/zammad/*.box; do
		i=$((i + 1))
		sed "0,/^[Mm]essage-[Ii][Dd]:.*/s//Message-ID: <bench-$i@bench.example>/" "$f" >"$MDIR/md/new/$i.eml"
	done
done
n=$(ls "$MDIR/md/new" | wc -l)
# mail_loop FIRST P CMD...: 300 messages from the FIRST-th, one process
# each, P at a time (an MTA delivers in parallel: postfix's
# default_process_limit is 100); prints messages a second.
mail_loop() {
	local first=$1 par=$2 t0 t1
	shift 2
	t0=$(date +%s.%N)
	ls "$MDIR/md/new" | tail -n +"$first" | head -300 | sed "s|^|$MDIR/md/new/|" |
		xargs -P "$par" -I{} sh -c '"$@" --data "$0" <"{}" >/dev/null 2>&1 || true' "$MDIR/data" "$@"
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", 300 / (b - a) }'
}
pp=$(mail_loop 1 1 "$BIN" mail-in)
echo "ayuda mail-in, one process per message, no server: $pp messages/s"
# The same messages again through a running server's socket: each is a
# new delivery for a fresh data dir. Then 300 others, 8 at a time.
rm -rf "$MDIR/data"
"$BIN" init --data "$MDIR/data" >/dev/null 2>&1
"$BIN" serve --data "$MDIR/data" --listen 127.0.0.1:0 >/dev/null 2>&1 &
SRV=$!
for _ in $(seq 100); do [ -S "$MDIR/data/mail-in.sock" ] && break; sleep 0.1; done
c0=$(cpu_ticks $SRV)
pp=$(mail_loop 1 1 "$BUILD/ayuda-mail-in")
c1=$(cpu_ticks $SRV)
p8=$(mail_loop 301 8 "$BUILD/ayuda-mail-in")
c2=$(cpu_ticks $SRV)
stop_server
tick=$(getconf CLK_TCK)
echo "ayuda-mail-in, one process per message, to a running server, one at a time: $pp messages/s (target >= 300, ratio $(ratio "$pp" 300)), server CPU $(awk -v a="$c0" -v b="$c1" -v t="$tick" 'BEGIN { printf "%.2f", (b - a) * 1000 / t / 300 }') ms a message"
echo "the same, 8 deliveries at a time (as an MTA): $p8 messages/s (target >= 300, ratio $(ratio "$p8" 300)), server CPU $(awk -v a="$c1" -v b="$c2" -v t="$tick" 'BEGIN { printf "%.2f", (b - a) * 1000 / t / 300 }') ms a message"
"$BIN" init --data "$MDIR/data2" >/dev/null 2>&1
t0=$(date +%s.%N)
timer=()
[ -x /usr/bin/time ] && timer=(/usr/bin/time -f "%U %S" -o "$MDIR/time")
"${timer[@]}" "$BIN" mail-in --data "$MDIR/data2" --maildir "$MDIR/md" >/dev/null 2>&1 || true
t1=$(date +%s.%N)
md=$(awk -v a="$t0" -v b="$t1" -v n="$n" 'BEGIN { printf "%.0f", n / (b - a) }')
mc=$(awk -v n="$n" '{ printf "%.2f", ($1 + $2) * 1000 / n }' "$MDIR/time" 2>/dev/null || echo "?")
echo "mail-in --maildir: $n messages, $md messages/s (target >= 3000, ratio $(ratio "$md" 3000)), CPU $mc ms a message"
rm -rf "$MDIR"

# The portal in Chromium: the first load, and a ticket of 200 messages.
echo "== portal (first load, Chromium at 360 px)"
if [ -d tests/e2e/node_modules/playwright-core ] && [ -x "${AY_CHROMIUM:-/usr/bin/chromium}" ]; then
	node bench/portal.mjs "$BIN"
else
	echo "skipped: needs Debian's chromium and the browser tests' packages (make e2e-deps)"
fi
