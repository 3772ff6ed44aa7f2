#!/usr/bin/env bash
# make bench: generate data, load the server with wrk, print figures and
# ratios against the targets. Bounded: every load runs for a fixed time.
# Env: AYUDA_N (tickets, default 100000), BENCH_SECONDS (default 10).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
BIN=$BUILD/ayuda
N=${AYUDA_N:-100000}
SECS=${BENCH_SECONDS:-10}
DIR=$(mktemp -d /tmp/ayuda-bench-XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
SRV=
cleanup() { [ -n "$SRV" ] && kill "$SRV" 2>/dev/null; wait 2>/dev/null; rm -rf "$DIR"; }
trap cleanup EXIT

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
rss_kb() { awk '/VmRSS/ { print $2 }' "/proc/$1/status"; }

echo "== ayuda bench ($(nproc) cores, $N tickets, ${SECS}s per load)"
"$BIN" init --demo --data "$DIR" >/dev/null 2>&1
t0=$(date +%s.%N)
"$BUILD/gen_tickets" "$DIR" "$N" >/dev/null
t1=$(date +%s.%N)
echo "generate: $N tickets in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')s"
TOK=$("$BIN" token create --user agente@ayuda.localhost --data "$DIR")

"$BIN" serve --data "$DIR" --listen "127.0.0.1:$PORT" >/dev/null 2>"$DIR/serve.log" &
SRV=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
sleep 1
idle=$(rss_kb $SRV)
echo "idle RSS: $((idle / 1024)) MB (target <= 20 MB, ratio $(ratio 20 $((idle / 1024 + 1))))"

run_wrk() { # name script url
	local out
	out=$(AYUDA_N=$N wrk -t2 -c"$4" -d"${SECS}s" --latency -s "$2" -H "Authorization: Bearer $TOK" "$3")
	local rps p50 p99
	rps=$(echo "$out" | awk '/Requests\/sec/ { print $2 }')
	p50=$(echo "$out" | awk '$1 == "50%" { print $2 }')
	p99=$(echo "$out" | awk '$1 == "99%" { print $2 }')
	local errs
	errs=$(echo "$out" | awk '/Non-2xx/ { print $5 }')
	echo "$1: $rps req/s, p50 $p50, p99 $p99, non-2xx ${errs:-0}" >&2
	echo "$rps"
}
rps_get=$(run_wrk "GET /api/v1/tickets/N" bench/get.lua "http://127.0.0.1:$PORT/api/v1/tickets" 32)
echo "  target >= 20000 req/s, ratio $(ratio "$rps_get" 20000)"
echo "  RSS under load: $(( $(rss_kb $SRV) / 1024 )) MB"
rps_post=$(run_wrk "POST /api/v1/tickets (synchronous=FULL)" bench/create.lua "http://127.0.0.1:$PORT/api/v1/tickets" 64)
echo "  target >= 2000 tickets/s, ratio $(ratio "$rps_post" 2000)"
echo "  RSS after load: $(( $(rss_kb $SRV) / 1024 )) MB"
echo "== live updates (500 open consoles polling /changes)"
AYUDA_PID=$SRV AYUDA_N=$N node bench/live.mjs "$BIN" "$DIR" "http://127.0.0.1:$PORT" "$TOK" "$SECS"
kill $SRV; wait $SRV 2>/dev/null || true; SRV=
echo "integrity: $(sqlite3 "$DIR/ayuda.db" 'PRAGMA integrity_check')"

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
t0=$(date +%s.%N)
for f in $(ls "$MDIR/md/new" | head -300); do
	"$BIN" mail-in --data "$MDIR/data" <"$MDIR/md/new/$f" >/dev/null 2>&1 || true
done
t1=$(date +%s.%N)
pp=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", 300 / (b - a) }')
echo "mail-in, one process per message: $pp messages/s (target >= 300, ratio $(ratio "$pp" 300))"
"$BIN" init --data "$MDIR/data2" >/dev/null 2>&1
t0=$(date +%s.%N)
"$BIN" mail-in --data "$MDIR/data2" --maildir "$MDIR/md" >/dev/null 2>&1 || true
t1=$(date +%s.%N)
md=$(awk -v a="$t0" -v b="$t1" -v n="$n" 'BEGIN { printf "%.0f", n / (b - a) }')
echo "mail-in --maildir: $n messages, $md messages/s (target >= 3000, ratio $(ratio "$md" 3000))"
rm -rf "$MDIR"

# The portal in Chromium: the first load, and a ticket of 200 messages.
echo "== portal (first load, Chromium at 360 px)"
if [ -d tests/e2e/node_modules/playwright-core ] && [ -x "${AY_CHROMIUM:-/usr/bin/chromium}" ]; then
	node bench/portal.mjs "$BIN"
else
	echo "skipped: needs Debian's chromium and the browser tests' packages (make e2e-deps)"
fi
