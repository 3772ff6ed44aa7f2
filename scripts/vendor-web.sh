#!/bin/sh
# Re-vendor the front-end packages pinned in scripts/vendor/package.json
# (and its package-lock.json) into web/vendor/: the ES module builds, with
# their licences, and bare imports ("preact") rewritten to relative paths,
# since the browser loads them without a bundler or an import map.
set -eu
cd "$(dirname "$0")/vendor"
npm ci --no-audit --no-fund --ignore-scripts >/dev/null
out=../../web/vendor
mkdir -p "$out"
nm=node_modules
strip() { sed -e 's#^//\# sourceMappingURL=.*$##' "$1"; }
strip $nm/preact/dist/preact.mjs >"$out/preact.js"
strip $nm/preact/hooks/dist/hooks.mjs |
	sed -e 's#from"preact"#from"./preact.js"#g' -e "s#from'preact'#from'./preact.js'#g" >"$out/hooks.js"
strip $nm/htm/dist/htm.mjs >"$out/htm.js"
cp $nm/preact/LICENSE "$out/preact-LICENSE.txt"
cp $nm/htm/LICENSE "$out/htm-LICENSE.txt"
{
	echo "Vendored by scripts/vendor-web.sh; do not edit by hand."
	for p in preact htm; do
		printf '%s %s\n' "$p" "$(node -p "require('./$nm/$p/package.json').version")"
	done
} >"$out/VERSIONS.txt"
if grep -n 'from *"[a-z@]' "$out"/*.js; then
	echo "vendor-web: a bare import is left" >&2
	exit 1
fi
echo "vendor-web: web/vendor/ updated"
