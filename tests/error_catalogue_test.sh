#!/bin/sh
# The error catalogue is complete and enforced (docs/errors.md, issue 13): scripts/error-texts.py
# passes on the sources as they are, and fails -- naming the site or the entry -- on a copy with a
# new error text no entry shows, and on a copy whose catalogue names a test that does not exist.
set -eu
src=$1
python3 "$src/scripts/error-texts.py" "$src"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
copy() {
  rm -rf "$tmp/r" && mkdir -p "$tmp/r/docs"
  cp -r "$src/host" "$src/sdk" "$src/tests" "$tmp/r/"
  cp "$src/docs/errors.md" "$tmp/r/docs/"
}
expect_failure() {  # $1: text the report must hold
  if python3 "$src/scripts/error-texts.py" "$tmp/r" >"$tmp/out" 2>&1; then
    echo "FAIL: the check passed; expected it to report: $1"; exit 1
  fi
  grep -qF -- "$1" "$tmp/out" || { echo "FAIL: expected '$1' in:"; cat "$tmp/out"; exit 1; }
}

# A new message, split over two lines as clang-format leaves long ones.
copy
printf '%s\n' 'void f() {' '  throw HostError(kExitPipeline, "a brand new "' \
  '                                "message");' '}' >>"$tmp/r/host/src/main.cpp"
expect_failure "host/src/main.cpp:$(($(wc -l <"$src/host/src/main.cpp") + 2)): no entry in docs/errors.md shows ['a brand new message']"

# A new reason returned by a helper that builds message parts (the copy need not compile).
copy
printf '%s\n' 'std::string death_cause(int status) {' '  return "the worker process met a brand new fate";' '}' \
  >>"$tmp/r/host/src/batch_workers.cpp"
expect_failure "shows ['the worker process met a brand new fate']"

# An existing message whose entry is gone (CLI-04's heading and pattern line removed).
copy
sed -i '/^### CLI-04/,+1d' "$tmp/r/docs/errors.md"
expect_failure "host/src/main.cpp:"
grep -qF -- "--log-level" "$tmp/out" || { echo "FAIL: CLI-04's site not named"; cat "$tmp/out"; exit 1; }

# An entry naming a test that does not exist.
copy
sed -i 's/^Tests: cli.Cli.VersionAndHelp,/Tests: cli.Cli.NoSuchTest,/' "$tmp/r/docs/errors.md"
expect_failure "names test 'cli.Cli.NoSuchTest', which does not exist"
echo "ok: the catalogue covers every error text and fails on a missing entry or test"
