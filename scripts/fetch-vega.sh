#!/usr/bin/env bash
# Fetches the chart libraries `klaster report` inlines into its HTML: vega and vega-lite, at the
# versions pinned in scripts/vega/package-lock.json, from the npm registry (Debian's libjs-vega has
# no single-file bundle). Called by CMake at build time; nothing of them is kept in git.
#   scripts/fetch-vega.sh OUT_DIR   -> OUT_DIR/vega.min.js, OUT_DIR/vega-lite.min.js
# Does nothing when both files are there and were fetched from the same lock file.
set -euo pipefail
out=${1:?usage: fetch-vega.sh OUT_DIR}
here=$(cd "$(dirname "$0")/vega" && pwd)
stamp="$out/.lock-sha256"
want=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
if [[ -f "$out/vega.min.js" && -f "$out/vega-lite.min.js" && "$(cat "$stamp" 2>/dev/null)" == "$want" ]]; then
  exit 0
fi
command -v npm >/dev/null || { echo "error: npm not found; run scripts/install-deps.sh" >&2; exit 1; }
work="$out/.npm-work"
rm -rf "$work"
mkdir -p "$work"
cp "$here/package.json" "$here/package-lock.json" "$work/"
# npm ci installs exactly the lock file's versions and checks their integrity hashes.
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
# The source-map comment is dropped: the report is one file, and the map is not shipped.
for lib in vega/build/vega.min.js vega-lite/build/vega-lite.min.js; do
  sed '/^\/\/# sourceMappingURL=/d' "$work/node_modules/$lib" >"$out/$(basename "$lib").tmp"
  mv "$out/$(basename "$lib").tmp" "$out/$(basename "$lib")"
done
cp "$work/node_modules/vega/LICENSE" "$out/vega.LICENSE"
cp "$work/node_modules/vega-lite/LICENSE" "$out/vega-lite.LICENSE"
rm -rf "$work"
echo "$want" >"$stamp"
