#!/bin/sh
# The LU kernels fall back on a CPU without AVX (sdk/src/lu.cpp): sdk_test's LeontiefSolverKernels
# tests run under qemu-user emulating a Nehalem (SSE4.2, no AVX), which stops the process with
# SIGILL on any AVX instruction; there every kernel asked for must be the generic path and solve
# as on this machine. Skipped (exit 77) without qemu-x86_64 (Debian qemu-user).
# Usage: lu_without_avx_test.sh SDK_LIBRARY_DIR SDK_TEST
set -u
command -v qemu-x86_64 >/dev/null 2>&1 || { echo "qemu-x86_64 not installed: skipped"; exit 77; }
out=$(LD_LIBRARY_PATH="$1" qemu-x86_64 -cpu Nehalem "$2" --gtest_filter='LeontiefSolverKernels.*:SortDoubles.*:PlainGini.*' 2>&1)
status=$?
echo "$out" | grep -v "TCG doesn't support requested feature"
[ "$status" -eq 0 ] || { echo "FAIL: exit $status under qemu-x86_64 -cpu Nehalem"; exit 1; }
echo "$out" | grep -q "PASSED" || { echo "FAIL: no test passed"; exit 1; }
