#!/bin/sh
# The install, checked end to end: `cmake --install` the build into a temporary prefix, scaffold a
# plugin of each kind with the installed `klaster new-plugin`, build each out of tree against the
# installed package and run its own test, then run the indicator through the installed executable
# on a tiny dataset and check the hand-computed share (120 / (120 + 280) = 0.3, the scaffold's
# worked example). Everything happens in one temporary folder, removed at exit.
# Usage: install_test.sh BUILD_DIR CXX_COMPILER
set -eu
build=$1
cxx=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/klaster_install_test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
work=$tmp/work
unset KLASTER_PLUGIN_PATH
step() { printf '%s: %s\n' "$(date +%T)" "$*"; }

step "install into $prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
klaster=$prefix/bin/klaster
"$klaster" plugins | grep -q '^location_quotient ' || { echo "installed klaster finds no built-in plugins"; exit 1; }

step "scaffold my_share (indicator) and my_scenario (measure)"
"$klaster" new-plugin my_share --dir "$work"
"$klaster" new-plugin my_scenario --kind measure --dir "$work" >/dev/null

launcher=
if command -v ccache >/dev/null; then launcher=-DCMAKE_CXX_COMPILER_LAUNCHER=ccache; fi
for plugin in my_share my_scenario; do
  step "build $plugin out of tree and run its test"
  ls -A "$work/$plugin" >"$tmp/files_before"
  cmake -S "$work/$plugin" -B "$work/build_$plugin" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=Release $launcher --log-level=WARNING >/dev/null
  cmake --build "$work/build_$plugin" -j 2 >/dev/null
  ls -A "$work/$plugin" | cmp -s - "$tmp/files_before" ||
    { echo "the build of $plugin wrote into its source folder"; exit 1; }
  ctest --test-dir "$work/build_$plugin" --output-on-failure
done

step "run it through the installed klaster"
mkdir "$work/data"
cat >"$work/data/dataset.toml" <<'TOML'
name = "install test: manufacturing output of two regions"
[tables.output]
file = "output.csv"
columns = { year = "int", region = "string", industry = "string", value = "float" }
TOML
printf 'year,region,industry,value\n2025,KST,C,120\n2025,ALA,C,280\n' >"$work/data/output.csv"
cat >"$work/pipeline.toml" <<'TOML'
name = "install test"
dataset = "data"
[[step]]
id = "share"
plugin = "my_share"
params = { input = "output" }
TOML
"$klaster" run "$work/pipeline.toml" --out "$work/out" --plugin-dir "$work/build_my_share/plugins" --quiet
grep -qx '2025,KST,C,0.3' "$work/out/share.csv" || { echo "share.csv lacks 2025,KST,C,0.3:"; cat "$work/out/share.csv"; exit 1; }
"$klaster" describe my_share --plugin-dir "$work/build_my_share/plugins" | grep -q 'share of its industry' ||
  { echo "klaster describe my_share failed"; exit 1; }

step "the Russian report shows the scaffold's Russian texts, none marked untranslated"
"$klaster" report "$work/out" --lang ru -o "$work/report_ru.html" --plugin-dir "$work/build_my_share/plugins" --quiet
# The summary as host/templates/indicator/plugin.cpp.in translates it.
grep -q 'Вычисляет долю каждого региона в итоге его отрасли по годам' "$work/report_ru.html" ||
  { echo "report_ru.html lacks my_share's Russian summary"; exit 1; }
if grep -q 'class="untranslated"' "$work/report_ru.html"; then
  echo "report_ru.html marks a text of my_share untranslated"; exit 1
fi
step "ok"
