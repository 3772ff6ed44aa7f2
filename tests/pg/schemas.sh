#!/bin/sh
# tests/pg/run-api.sh drops the schemas of a test file that passed, and
# keeps and names those of one that failed (ctest pg/schemas, on the
# PostgreSQL of the fixture pg/start in DIR).
set -eu
dir=$1
here=$(cd "$(dirname "$0")" && pwd)
url=$(cat "$dir/url")
count() {
	psql -X -q -A -t "$url" -c "SELECT COUNT(*) FROM pg_namespace
		WHERE left(nspname, length('$1')) = '$1'"
}
fail() {
	echo "schemas: $*" >&2
	exit 1
}

ok=tok$$_
AY_RUN_API_PREFIX=$ok "$here/run-api.sh" "$dir" "$here/one-dir.test.mjs" \
	>/dev/null || fail "the passing file failed"
[ "$(count "$ok")" = 0 ] || fail "the passing file's schema is left: $(count "$ok")"

bad=tbad$$_
err=$(mktemp)
if AY_FAIL=1 AY_RUN_API_PREFIX=$bad "$here/run-api.sh" "$dir" \
	"$here/one-dir.test.mjs" >/dev/null 2>"$err"; then
	fail "the failing file passed"
fi
kept=$(count "$bad")
grep -q "kept for debugging, in .* $bad" "$err" || {
	cat "$err" >&2
	fail "run-api did not say where the schema is"
}
rm -f "$err"
for s in $(psql -X -q -A -t "$url" -c "SELECT nspname FROM pg_namespace
	WHERE left(nspname, length('$bad')) = '$bad'"); do
	psql -X -q "$url" -c "SET client_min_messages = warning" \
		-c "DROP SCHEMA $s CASCADE"
done
[ "$kept" = 1 ] || fail "the failing file's schema is not kept: $kept"
echo "schemas: dropped after a pass, kept and named after a failure"
