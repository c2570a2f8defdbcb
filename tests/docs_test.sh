#!/bin/sh
# docs/writing-plugins.md, checked: every fenced block with an info string `file=PATH` is written to
# PATH in a temporary folder; a ```cpp block without `file=` must be marked `fragment` (so no C++
# block goes unchecked by accident). The build is installed into a temporary prefix; every folder
# holding a .cpp block is scaffolded with the installed `klaster new-plugin` (the guide's first
# step), its .cpp files replaced by the guide's blocks and its kernel headers (.hpp blocks) put
# next to them, and all of them built as one project against the installed package; their tests
# run with ctest. Then the tutorial pipeline runs through the installed klaster, and its documented
# output line and the `describe` line the guide shows are checked. It also checks that the README's
# plugin block is examples/region_total/region_total.cpp as it is. Everything happens in one
# temporary folder, removed at exit; nothing is written into the source tree.
# Usage: docs_test.sh SOURCE_DIR BUILD_DIR CXX_COMPILER
set -eu
source_dir=$1
build=$2
cxx=$3
doc=$source_dir/docs/writing-plugins.md
tmp=$(mktemp -d "${TMPDIR:-/tmp}/klaster_docs_test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
blocks=$tmp/blocks
src=$tmp/src
unset KLASTER_PLUGIN_PATH
step() { printf '%s: %s\n' "$(date +%T)" "$*"; }

step "extract the named blocks of $doc"
mkdir -p "$blocks"
awk -v out="$blocks" '
  function fail(msg) { print FILENAME ":" NR ": " msg > "/dev/stderr"; bad = 1 }
  /^```/ {
    if (inblock) { inblock = 0; if (file != "") close(file); file = ""; next }
    inblock = 1; file = ""
    info = substr($0, 4)
    if (match(info, /file=[^ ]+/)) {
      path = substr(info, RSTART + 5, RLENGTH - 5)
      if (path ~ /(^\/|\.\.)/) { fail("block file " path " must be a relative path inside the folder"); next }
      if (path in seen) { fail("block file " path " appears twice"); next }
      seen[path] = 1
      file = out "/" path
      dir = file; sub(/\/[^\/]*$/, "", dir)
      system("mkdir -p \"" dir "\"")
      printf "" > file
      ++count
    } else if (info ~ /^cpp/ && info !~ /fragment/) {
      fail("a cpp block with neither file= nor fragment")
    }
    next
  }
  inblock && file != "" { print >> file }
  END {
    if (inblock) fail("unterminated code block")
    if (count == 0) fail("no block with file=")
    exit bad
  }' "$doc"

step "check that README.md shows examples/region_total/region_total.cpp unchanged"
awk '/^\/\/ The plugin shown in the README/ { p = 1 } p && /^```/ { exit } p { print }' \
  "$source_dir/README.md" >"$tmp/readme_region_total.cpp"
cmp -s "$tmp/readme_region_total.cpp" "$source_dir/examples/region_total/region_total.cpp" || {
  echo "README.md's plugin block differs from examples/region_total/region_total.cpp:"
  diff "$tmp/readme_region_total.cpp" "$source_dir/examples/region_total/region_total.cpp" || true
  exit 1
}

step "install into $prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
klaster=$prefix/bin/klaster

step "scaffold each plugin folder and put the guide's sources in"
plugins=$(cd "$blocks" && find . -name '*.cpp' | sed 's|^\./||; s|/[^/]*$||' | sort -u)
[ -n "$plugins" ] || { echo "no .cpp blocks"; exit 1; }
mkdir -p "$src"
{
  echo 'cmake_minimum_required(VERSION 3.20)'
  echo 'project(klaster_docs_blocks CXX)'
  echo 'set(CMAKE_CXX_STANDARD 20)'
  echo 'set(CMAKE_CXX_STANDARD_REQUIRED ON)'
  echo 'find_package(klaster REQUIRED)'
} >"$src/CMakeLists.txt"
for plugin in $plugins; do
  "$klaster" new-plugin "$plugin" --dir "$src" >/dev/null
  rm "$src/$plugin/$plugin.cpp" "$src/$plugin/${plugin}_test.cpp"
  cp "$blocks/$plugin/"*.cpp "$src/$plugin/"
  for header in "$blocks/$plugin/"*.hpp; do [ ! -e "$header" ] || cp "$header" "$src/$plugin/"; done
  for f in "$plugin.cpp" "${plugin}_test.cpp"; do
    [ -f "$src/$plugin/$f" ] || { echo "the guide has no block file=$plugin/$f"; exit 1; }
  done
  echo "add_subdirectory($plugin)" >>"$src/CMakeLists.txt"
done

step "build $(echo $plugins) against the installed SDK"
launcher=
if command -v ccache >/dev/null; then launcher=-DCMAKE_CXX_COMPILER_LAUNCHER=ccache; fi
cmake -S "$src" -B "$tmp/build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS="-Wall -Wextra -Wpedantic -Werror" $launcher \
  --log-level=WARNING >/dev/null
cmake --build "$tmp/build" -j 2 >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; exit 1; }
ctest --test-dir "$tmp/build" --output-on-failure -j 2

step "run the tutorial pipeline through the installed klaster"
cd "$blocks/tutorial"
"$klaster" validate pipeline.toml --plugin-dir "$tmp/build/plugins"
"$klaster" run pipeline.toml --out "$tmp/out" --plugin-dir "$tmp/build/plugins" --quiet
grep -qx '2025,KST,C,0.6' "$tmp/out/mix.csv" || { echo "mix.csv lacks 2025,KST,C,0.6:"; cat "$tmp/out/mix.csv"; exit 1; }
head -1 "$tmp/out/mix.csv" | grep -qx 'year,region,industry,mix' || { echo "mix.csv header:"; head -1 "$tmp/out/mix.csv"; exit 1; }
"$klaster" describe industry_mix --plugin-dir "$tmp/build/plugins" >"$tmp/describe.txt" ||
  { echo "klaster describe industry_mix failed"; exit 1; }
grep -q "share of each industry in its region's total" "$tmp/describe.txt" &&
  grep -qx '  <output>: \[<year>\], <region>, <industry>, mix:float' "$tmp/describe.txt" ||
  { echo "klaster describe industry_mix does not show what the guide says:"; cat "$tmp/describe.txt"; exit 1; }
"$klaster" --version | grep -q "(SDK ABI 8)" || { echo "klaster --version does not say SDK ABI 8, as the guide does"; exit 1; }
step "ok"
