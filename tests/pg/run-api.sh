#!/bin/sh
# Run API test files (node --test ARGS) against the PostgreSQL that the
# ctest fixture pg/start started in DIR (tests/pg/pgcluster.sh): every
# data directory's tables in a schema of their own in its database.
set -eu
dir=$1
shift
if [ ! -f "$dir/url" ]; then
	echo "run-api: no PostgreSQL in $dir (fixture pg/start)" >&2
	exit 1
fi
AYUDA_STORE_URL=$(cat "$dir/url")
AYUDA_TEST_PG_SCHEMA_PER_DIR=1
export AYUDA_STORE_URL AYUDA_TEST_PG_SCHEMA_PER_DIR
node --test "$@" && exit 0
echo "run-api: this file fails on PostgreSQL: make it pass there" \
	"(docs/postgresql.md) or list it in AY_PG_API_SKIP (CMakeLists.txt)" >&2
exit 1
