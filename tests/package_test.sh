#!/usr/bin/env bash
# Builds the Debian packages with CPack, unpacks them into a temporary root (as dpkg would put them
# under /), and runs the demo pipeline from there with the packaged executable, plugins and data,
# then writes its report with the packaged chart libraries.
# Usage: tests/package_test.sh BUILD_DIR
set -euo pipefail
build=$(realpath "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cpack --config "$build/CPackConfig.cmake" -B "$tmp/pkg" > "$tmp/cpack.log" 2>&1 || { cat "$tmp/cpack.log"; exit 1; }
runtime=$(ls "$tmp"/pkg/klaster_*.deb)
dev=$(ls "$tmp"/pkg/klaster-dev_*.deb)
dpkg-deb -f "$runtime" Depends | grep -q libboost-program-options || { echo "klaster: no shared-library Depends"; exit 1; }
dpkg-deb -f "$dev" Depends | grep -q "klaster (= " || { echo "klaster-dev does not depend on klaster"; exit 1; }
for deb in "$runtime" "$dev"; do dpkg-deb -x "$deb" "$tmp/root"; done
root="$tmp/root/usr"
for f in bin/klaster lib/libklaster_sdk.so lib/klaster/plugins/location_quotient.so \
         share/klaster/configs/kz_auto_cluster_formation.toml share/klaster/data/kz/output.csv \
         include/klaster/sdk/plugin.hpp lib/cmake/klaster/klasterConfig.cmake \
         share/klaster/report/vega.min.js share/klaster/report/vega-lite.min.js; do
  [[ -e "$root/$f" ]] || { echo "missing from the packages: $f"; exit 1; }
done
# The runtime package alone holds no headers, and the dev package no executable.
dpkg-deb -c "$runtime" | grep -q "include/klaster" && { echo "headers in the runtime package"; exit 1; }
dpkg-deb -c "$dev" | grep -q "bin/klaster" && { echo "executable in the dev package"; exit 1; }
mkdir "$tmp/work" && cd "$tmp/work"
env -u KLASTER_PLUGIN_PATH "$root/bin/klaster" run "$root/share/klaster/configs/kz_auto_cluster_formation.toml" --out demo > demo.txt
grep -q "Kostanay Region" demo.txt || { cat demo.txt; echo "the demo printed no summary"; exit 1; }
[[ -s demo/run.json && -s demo/cluster_regions.csv ]] || { echo "the demo wrote no tables"; exit 1; }
# The report finds its chart libraries in the package (share/klaster/report; it fails without
# them) and inlines them (each bundle's UMD prelude defines its global: vega, vegaLite).
env -u KLASTER_PLUGIN_PATH "$root/bin/klaster" report demo --quiet
for global in '.vega={}' '.vegaLite={}'; do
  grep -qF "$global" demo/report.html || { echo "the packaged report lacks $global"; exit 1; }
done
plugins=$(env -u KLASTER_PLUGIN_PATH "$root/bin/klaster" plugins | grep -c " indicator \| measure ")
echo "packages: $(basename "$runtime"), $(basename "$dev"); $plugins plugins; demo ok"
