#!/bin/sh
# Build the libFuzzer targets with ASan+UBSan and run them all, seeded with
# the test corpora, within a total budget of about SECONDS (shared equally,
# at least 5 s each). Usage: fuzz.sh BUILD_DIR SECONDS
set -eu
cd "$(dirname "$0")/.."
dir=$1
total=$2
ls tests/fuzz/fuzz_*.c >/dev/null 2>&1 || exit 0
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang \
	-DAY_SANITIZE=address,undefined -DAY_FUZZ=ON >/dev/null
cmake --build "$dir" -j "$(nproc)"
n=$(ls tests/fuzz/fuzz_*.c | wc -l)
secs=$((total / n))
[ "$secs" -ge 5 ] || secs=5
for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	seeds=tests/fuzz/seeds/${name#fuzz_}
	work=$dir/corpus-$name
	mkdir -p "$work"
	echo "fuzz: $name for ${secs}s"
	set -- "$work"
	[ -d "$seeds" ] && set -- "$@" "$seeds"
	[ "$name" = fuzz_mail ] && set -- "$@" tests/data/mail/zammad
	ASAN_OPTIONS=detect_leaks=1 "$dir/$name" -max_total_time="$secs" \
		-artifact_prefix="$dir/$name-" \
		-max_len=1048576 -rss_limit_mb=2048 -print_final_stats=1 "$@" \
		2>"$dir/$name.log" || { tail -60 "$dir/$name.log" >&2; exit 1; }
	grep -E 'stat::number_of_executed_units|Done' "$dir/$name.log" || true
done
