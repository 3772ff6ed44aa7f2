#!/bin/sh
# Run API test files (node --test ARGS) against the PostgreSQL that the
# ctest fixture pg/start started in DIR (tests/pg/pgcluster.sh): every
# data directory's tables in a schema of their own in its database, their
# names starting with this run's prefix (AY_RUN_API_PREFIX, else t, 8
# random hex digits and _). When the files pass, their schemas are
# dropped; when they fail, they are kept for debugging and named.
set -eu
dir=$1
shift
if [ ! -f "$dir/url" ]; then
	echo "run-api: no PostgreSQL in $dir (fixture pg/start)" >&2
	exit 1
fi
prefix=${AY_RUN_API_PREFIX:-t$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')_}
case $prefix in
[a-z]*[!a-z0-9_]* | ?????????????* | [!a-z]*)
	echo "run-api: prefix '$prefix': a-z, 0-9 and _, at most 12" >&2
	exit 2
	;;
esac
AYUDA_STORE_URL=$(cat "$dir/url")
AYUDA_TEST_PG_SCHEMA_PER_DIR=$prefix
export AYUDA_STORE_URL AYUDA_TEST_PG_SCHEMA_PER_DIR

# This run's schemas, one a line.
schemas() {
	psql -X -q -A -t -v ON_ERROR_STOP=1 "$AYUDA_STORE_URL" -c \
		"SELECT nspname FROM pg_namespace
		 WHERE left(nspname, length('$prefix')) = '$prefix' ORDER BY 1"
}

if node --test "$@"; then
	# One connection for them all (a file may make hundreds of data
	# dirs), a transaction a schema (each is a few hundred objects to
	# lock); a server a test left running cannot hold one up for long.
	schemas | sed 's/.*/DROP SCHEMA & CASCADE;/' |
		psql -X -q "$AYUDA_STORE_URL" -c "SET lock_timeout = '10s'" \
			-c 'SET client_min_messages = warning' -f - ||
		echo "run-api: could not drop every schema of $prefix" >&2
	exit 0
fi
echo "run-api: this file fails on PostgreSQL: make it pass there" \
	"(docs/postgresql.md) or list it in AY_PG_API_SKIP (CMakeLists.txt)" >&2
echo "run-api: its schemas are kept for debugging, in $AYUDA_STORE_URL" \
	"(psql URL, then SET search_path = SCHEMA):" $(schemas) >&2
exit 1
