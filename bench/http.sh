#!/usr/bin/env bash
# Shared by bench/run.sh and bench/large.sh (sourced): a server on a data
# dir, nginx serving a file of the same size as a ticket's JSON in the same
# run, wrk loads, server CPU and RSS. Every load is bounded (SECS).
# Needs: BIN (build/ayuda), SECS. Sets SRV (pid), PORT, TOK.

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
rss_mb() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
# peak_mb PID: the highest RSS the process has had (VmHWM), so a figure
# "under load" is the load's peak, not what is left once it ended.
peak_mb() { awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
# rss_line WHAT MB TARGET_MB: a memory figure with its target and ratio.
rss_line() { echo "$1: $2 MB (target < $3 MB, ratio $(ratio "$3" "$2"))"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# writer_ticks PID: the CPU ticks of the store's writer thread (ay-writer).
writer_ticks() {
	local t
	for t in /proc/"$1"/task/*; do
		if [ "$(cat "$t/comm" 2>/dev/null)" = ay-writer ]; then
			awk '{ print $14 + $15 }' "$t/stat"
			return 0
		fi
	done
	echo 0
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_server DATA_DIR: ayuda serve on a free port, and a token.
start_server() {
	PORT=$(free_port)
	TOK=$("$BIN" token create --user agente@ayuda.localhost --data "$1")
	"$BIN" serve --data "$1" --listen "127.0.0.1:$PORT" >/dev/null 2>"$1/serve.log" &
	SRV=$!
	for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
}

stop_server() {
	# Let the writes under way finish: libmicrohttpd aborts when stopped
	# with a connection suspended.
	sleep 1
	kill "$SRV" 2>/dev/null || true
	wait "$SRV" 2>/dev/null || true
	SRV=
}

# wrk_run NAME CONNECTIONS SCRIPT URL [HEADER]: prints the figures on
# stderr, "REQ_PER_S CPU_US_PER_REQUEST" (the server's) on stdout.
wrk_run() {
	local out c0 c1 w0 w1 n rps wr
	c0=$(cpu_ticks "$SRV")
	w0=$(writer_ticks "$SRV")
	out=$(wrk -t2 -c"$2" -d"${SECS}s" --latency -s "$3" -H "Authorization: Bearer $TOK" "$4")
	c1=$(cpu_ticks "$SRV")
	w1=$(writer_ticks "$SRV")
	rps=$(echo "$out" | awk '/Requests\/sec/ { print $2 }')
	n=$(echo "$out" | awk '/requests in/ { print $1 }')
	wr=$(awk -v a="${w0:-0}" -v b="${w1:-0}" -v n="$n" 'BEGIN { printf "%.0f", (b - a) * 10000 / n }')
	echo "$1: $rps req/s, p50 $(echo "$out" | awk '$1 == "50%" { print $2 }')," \
		"p99 $(echo "$out" | awk '$1 == "99%" { print $2 }'), non-2xx" \
		"$(echo "$out" | awk '/Non-2xx/ { print $5 }' | grep . || echo 0)," \
		"server CPU $(awk -v a="$c0" -v b="$c1" -v n="$n" 'BEGIN { printf "%.0f", (b - a) * 10000 / n }') us a request$(
			[ "$wr" != 0 ] && echo ", $wr us of it in the writer thread")" >&2
	echo "$rps"
}

# nginx_rps FILE: requests a second and p99 of nginx serving FILE (access
# log on, as installed), with the same wrk; empty when nginx is not
# installed.
nginx_rps() {
	local ng dir nport pid out
	ng=${NGINX:-$(command -v nginx || true)}
	[ -z "$ng" ] && [ -x /usr/sbin/nginx ] && ng=/usr/sbin/nginx
	[ -z "$ng" ] && return 0
	dir=$(mktemp -d /tmp/ayuda-bench-nginx-XXXXXX)
	mkdir -p "$dir/www" "$dir/tmp"
	cp "$1" "$dir/www/t.json"
	nport=$(free_port)
	cat >"$dir/nginx.conf" <<EOF
worker_processes auto; daemon off; pid $dir/nginx.pid; error_log $dir/error.log;
events { worker_connections 1024; }
http { access_log $dir/access.log; types { application/json json; }
 client_body_temp_path $dir/tmp; proxy_temp_path $dir/tmp; fastcgi_temp_path $dir/tmp;
 uwsgi_temp_path $dir/tmp; scgi_temp_path $dir/tmp;
 server { listen 127.0.0.1:$nport; root $dir/www; } }
EOF
	"$ng" -c "$dir/nginx.conf" -p "$dir" 2>/dev/null &
	pid=$!
	for _ in $(seq 50); do curl -sf "http://127.0.0.1:$nport/t.json" >/dev/null && break; sleep 0.1; done
	out=$(wrk -t2 -c32 -d"${SECS}s" --latency "http://127.0.0.1:$nport/t.json")
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	rm -rf "$dir"
	echo "$(echo "$out" | awk '/Requests\/sec/ { print $2 }') $(echo "$out" | awk '$1 == "99%" { print $2 }')"
}

# get_vs_nginx N: GET /api/v1/tickets/N (random of N) against nginx
# serving one ticket's JSON, alternately, ROUNDS times (default 2).
get_vs_nginx() {
	local f rps ng ngo
	f=$(mktemp /tmp/ayuda-bench-ticket-XXXXXX.json)
	curl -s -H "Authorization: Bearer $TOK" "http://127.0.0.1:$PORT/api/v1/tickets/$(($1 / 2))" >"$f"
	echo "ticket JSON: $(stat -c %s "$f") bytes"
	for round in $(seq "${ROUNDS:-2}"); do
		rps=$(AYUDA_N=$1 wrk_run "GET /api/v1/tickets/N (round $round)" 32 bench/get.lua \
			"http://127.0.0.1:$PORT/api/v1/tickets")
		ngo=$(nginx_rps "$f")
		ng=${ngo%% *}
		if [ -n "$ng" ]; then
			echo "  nginx, same file, same run: $ng req/s, p99 ${ngo#* }; ayuda/nginx $(ratio "$rps" "$ng") (target >= 0.50, ratio $(ratio "$(ratio "$rps" "$ng")" 0.5))"
		else
			echo "  nginx not installed (make bench installs it): no ratio"
		fi
		rss_line "  RSS under GET load (peak)" "$(peak_mb "$SRV")" 100
	done
	rm -f "$f"
}

# creates: POST /api/v1/tickets, each answered once durable, from 64
# clients at once and from 256 (a burst from many: the portal, mail,
# integrations). A create waits for the sync of its commit, so clients
# / (sync + batch time) caps the rate whatever the CPU: 10,000 a second
# with syncs of 5 ms needs more than 64 waiting at once (bench/README.md).
creates() {
	local rps c
	for c in 64 256; do
		rps=$(wrk_run "POST /api/v1/tickets (durable, $c clients)" "$c" \
			bench/create.lua "http://127.0.0.1:$PORT/api/v1/tickets")
		echo "  target >= 10000 tickets/s, ratio $(ratio "$rps" 10000)"
	done
	rss_line "  RSS under create load (peak)" "$(peak_mb "$SRV")" 100
}
