#!/bin/sh
# The layer check (scripts/check-layers.py) passes on the tree, and fails
# on a copy of it with a wrong include or import planted in it.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
check="$root/scripts/check-layers.py"
tmp=$(mktemp -d /tmp/ayuda-layers-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# 1. The tree as it is.
python3 "$check" "$root" || fail "the tree crosses a wall (see above)"

# docs/architecture.md names every folder of src/ (the map matches the
# tree).
for d in "$root"/src/*/; do
	d=${d#"$root"/}
	grep -qF "\`$d\`" "$root/docs/architecture.md" ||
		fail "docs/architecture.md does not name $d"
done

# A copy of what the check reads.
copy() {
	rm -rf "$tmp/t"
	mkdir -p "$tmp/t/docs"
	cp -R "$root/src" "$tmp/t/"
	cp "$root/docs/layers.txt" "$tmp/t/docs/"
	if [ -d "$root/web" ]; then cp -R "$root/web" "$tmp/t/"; fi
}

# expect_fail STATUS TEXT: the check on the copy exits STATUS and says TEXT.
expect_fail() {
	status=0
	python3 "$check" "$tmp/t" 2>"$tmp/err" || status=$?
	[ "$status" -eq "$1" ] || {
		cat "$tmp/err" >&2
		fail "exit status $status, not $1, for: $2"
	}
	grep -qF "$2" "$tmp/err" || {
		cat "$tmp/err" >&2
		fail "no '$2' in the report"
	}
}

# 2. util includes the domain: an arrow up.
copy
printf '#include "domain/common.h"\n' >>"$tmp/t/src/util/buf.c"
expect_fail 1 'src/util/buf.c:'
expect_fail 1 'util may not include domain/common.h (domain): util knows nothing above it'

# 3. http includes mail, next to the file's own folder spelled relatively.
copy
printf '#include "../mail/attach.h"\n' >>"$tmp/t/src/http/api.c"
expect_fail 1 "http may not include ../mail/attach.h (mail): uploads ask the domain's policy, not mail's"

# 4. A folder that is in no part.
copy
mkdir "$tmp/t/src/extra"
printf 'int x;\n' >"$tmp/t/src/extra/x.c"
expect_fail 2 'src/extra/x.c: in no part of docs/layers.txt'

# 5. An arrow both allowed and never.
copy
printf 'never cli -> http: planted\n' >>"$tmp/t/docs/layers.txt"
expect_fail 2 'cli -> http is both allowed and never'

# 6. web/: a page imports another role's page, and the shell.
copy
mkdir -p "$tmp/t/web/portal" "$tmp/t/web/agente"
printf 'export default function A() {}\n' >"$tmp/t/web/agente/cola.js"
printf "import {\n  x,\n} from '../agente/cola.js';\nconst p = () => import('../app.js');\n" \
	>"$tmp/t/web/portal/planted.js"
expect_fail 1 "web/portal/planted.js:3: web-portal may not import ../agente/cola.js (web-agente): a page imports no other role's pages"
expect_fail 1 "web/portal/planted.js:4: web-portal may not import ../app.js (web-shell)"

# 7. Without web/, the C check alone passes.
copy
rm -rf "$tmp/t/web"
python3 "$check" "$tmp/t" || fail "a tree without web/ must pass"
echo "layers: ok"
