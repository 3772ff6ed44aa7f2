#!/bin/sh
# ctest's entry to the browser tests: `npx playwright test` in tests/e2e/
# against build/ayuda and Debian's Chromium. Skips (77) when `npm ci` has
# not been run there or Chromium is missing; `make check` does both.
set -eu
cd "$(dirname "$0")"
if [ ! -d node_modules/@playwright/test ] || [ ! -x "${AY_CHROMIUM:-/usr/bin/chromium}" ]; then
	echo "e2e: skipped: run 'npm ci' in tests/e2e and install chromium (make check does)" >&2
	exit 77
fi
exec node node_modules/@playwright/test/cli.js test "$@"
