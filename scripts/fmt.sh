#!/bin/sh
# Apply clang-format to our C sources, or with --check fail when one differs.
set -eu
cd "$(dirname "$0")/.."
files=$(git ls-files -co --exclude-standard 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h' 'bench/*.c')
[ -n "$files" ] || exit 0
if [ "${1:-}" = "--check" ]; then
	for po in po/*.po; do
		msgfmt --check -o /dev/null "$po" || exit 1
	done
	# shellcheck disable=SC2086
	if ! clang-format --dry-run -Werror $files 2>/tmp/ayuda-fmt.$$; then
		head -20 /tmp/ayuda-fmt.$$ >&2
		rm -f /tmp/ayuda-fmt.$$
		echo "fmt: run 'make fmt'" >&2
		exit 1
	fi
	rm -f /tmp/ayuda-fmt.$$
else
	# shellcheck disable=SC2086
	clang-format -i $files
fi
