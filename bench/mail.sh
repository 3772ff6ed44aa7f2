#!/usr/bin/env bash
# Shared by bench/run.sh and bench/large.sh (sourced): mail-in's figures on
# a data dir, each delivery a message no pass delivered before (a fresh
# Message-ID), so the passes can share one data dir: the small one of make
# bench or a copy of bench-large's million tickets. Bounded: 300 messages a
# pass, the corpus nine times for --maildir.
# Needs: BIN, BUILD, and bench/http.sh's ratio, cpu_ticks, stop_server.

# mail_corpus DIR TAG: the test corpus nine times in the maildir DIR
# (DIR/new), each copy with the Message-ID <bench-TAG-I@bench.example>.
mail_corpus() {
	local i=0 f
	mkdir -p "$1/new"
	for _ in 1 2 3 4 5 6 7 8 9; do
		for f in tests/data/mail/zammad/*.box; do
			i=$((i + 1))
			sed "0,/^[Mm]essage-[Ii][Dd]:.*/s//Message-ID: <bench-$2-$i@bench.example>/" "$f" >"$1/new/$i.eml"
		done
	done
}

# mail_loop MAILDIR DATA FIRST P CMD...: 300 messages of MAILDIR from the
# FIRST-th, one process each, P at a time (an MTA delivers in parallel:
# postfix's default_process_limit is 100), into DATA; prints messages a
# second.
mail_loop() {
	local md=$1 data=$2 first=$3 par=$4 t0 t1
	shift 4
	t0=$(date +%s.%N)
	ls "$md/new" | tail -n +"$first" | head -300 | sed "s|^|$md/new/|" |
		xargs -P "$par" -I{} sh -c '"$@" --data "$0" <"{}" >/dev/null 2>&1 || true' "$data" "$@"
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", 300 / (b - a) }'
}

# mail_ms A B N: the CPU ticks from A to B, in ms a message of N.
mail_ms() {
	awk -v a="$1" -v b="$2" -v t="$(getconf CLK_TCK)" -v n="$3" \
		'BEGIN { printf "%.2f", (b - a) * 1000 / t / n }'
}

# mail_bench DATA: mail-in one process per message with no server, then
# through a running server's socket (one at a time, then 8 at a time, as
# an MTA), then --maildir; each figure with its target and ratio.
mail_bench() {
	local data=$1 w pp p8 c0 c1 c2 t0 t1 n md mc
	local timer=()
	w=$(mktemp -d /tmp/ayuda-bench-mail-XXXXXX)
	mail_corpus "$w/one" "one-$$"
	mail_corpus "$w/md" "dir-$$"
	n=$(ls "$w/md/new" | wc -l)
	pp=$(mail_loop "$w/one" "$data" 1 1 "$BIN" mail-in)
	echo "ayuda mail-in, one process per message, no server: $pp messages/s (target >= 300, ratio $(ratio "$pp" 300))"
	"$BIN" serve --data "$data" --listen 127.0.0.1:0 >/dev/null 2>&1 &
	SRV=$!
	for _ in $(seq 100); do [ -S "$data/mail-in.sock" ] && break; sleep 0.1; done
	c0=$(cpu_ticks "$SRV")
	pp=$(mail_loop "$w/one" "$data" 301 1 "$BUILD/ayuda-mail-in")
	c1=$(cpu_ticks "$SRV")
	p8=$(mail_loop "$w/one" "$data" 601 8 "$BUILD/ayuda-mail-in")
	c2=$(cpu_ticks "$SRV")
	stop_server
	echo "ayuda-mail-in, one process per message, to a running server, one at a time: $pp messages/s (target >= 300, ratio $(ratio "$pp" 300)), server CPU $(mail_ms "$c0" "$c1" 300) ms a message"
	echo "the same, 8 deliveries at a time (as an MTA): $p8 messages/s (target >= 300, ratio $(ratio "$p8" 300)), server CPU $(mail_ms "$c1" "$c2" 300) ms a message"
	[ -x /usr/bin/time ] && timer=(/usr/bin/time -f "%U %S" -o "$w/time")
	t0=$(date +%s.%N)
	"${timer[@]}" "$BIN" mail-in --data "$data" --maildir "$w/md" >/dev/null 2>&1 || true
	t1=$(date +%s.%N)
	md=$(awk -v a="$t0" -v b="$t1" -v n="$n" 'BEGIN { printf "%.0f", n / (b - a) }')
	mc=$(awk -v n="$n" '{ printf "%.2f", ($1 + $2) * 1000 / n }' "$w/time" 2>/dev/null || echo "?")
	echo "mail-in --maildir: $n messages, $md messages/s (target >= 3000, ratio $(ratio "$md" 3000)), CPU $mc ms a message"
	rm -rf "$w"
}
