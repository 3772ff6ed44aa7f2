#!/bin/sh
# `make check-fmt` (run by `make check`) must fail on a file clang-format
# would change and on a catalog `msgfmt --check` rejects; `make install`
# must be defined once, with a plain install(1) line. Each case runs in a
# scratch git repository holding the Makefile, scripts/fmt.sh and one file.
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

scratch() {
	rm -rf "$tmp/r"
	mkdir -p "$tmp/r/scripts" "$tmp/r/src" "$tmp/r/po"
	cp "$src/Makefile" "$src/.clang-format" "$tmp/r/"
	cp "$src/scripts/fmt.sh" "$tmp/r/scripts/"
	printf 'int ok(void);\n' >"$tmp/r/src/ok.c"
	cp "$src/po/en.po" "$tmp/r/po/en.po"
	git -C "$tmp/r" init -q
}

expect_fail() {
	if make -s -C "$tmp/r" check-fmt >"$tmp/out" 2>&1; then
		echo "FAIL: make check-fmt passed with $1" >&2
		fail=1
	else
		echo "ok: make check-fmt fails with $1"
	fi
}

scratch
if ! make -s -C "$tmp/r" check-fmt >"$tmp/out" 2>&1; then
	echo "FAIL: make check-fmt fails on a clean tree:" >&2
	cat "$tmp/out" >&2
	fail=1
fi

scratch
printf 'int   bad ( void ) ;\n' >"$tmp/r/src/bad.c"
expect_fail "a mis-formatted C file"
if ! grep -q 'int   bad' "$tmp/r/src/bad.c"; then
	echo "FAIL: make check-fmt rewrote the file instead of checking" >&2
	fail=1
fi

scratch
printf '\n#, c-format\nmsgid "Hola %%s"\nmsgstr "Hello %%d"\n' >>"$tmp/r/po/en.po"
expect_fail "a translation whose format differs"

scratch
make -n -C "$tmp/r" install BUILD=b >"$tmp/out" 2>&1 || true
if grep -q 'overriding\|ignoring old' "$tmp/out"; then
	echo "FAIL: make install is defined twice" >&2
	fail=1
fi
if grep -q 'install .*--check' "$tmp/out"; then
	echo "FAIL: make install passes --check to install(1)" >&2
	fail=1
fi
exit $fail
