#!/bin/sh
# The AVX2 and AVX-512 LU kernels (sdk/src/lu_kernel.cpp, compiled with those instruction sets)
# must export nothing generic code could be linked to by accident: an inline function of Eigen or
# of the standard library compiled there with AVX and merged by the linker with the generic copy
# would crash klaster on a CPU without AVX. Every external symbol of each object must be its own
# lu_panel/lu_update/lu_solve or in its renamed Eigen namespace (klaster_eigen_<isa>::).
# Usage: lu_kernels_isolated_test.sh OBJECT...
set -eu
status=0
for object in "$@"; do
  stray=$(nm -C --defined-only --extern-only "$object" |
    grep -v -E ' (klaster_eigen_avx(2|512)::|klaster::sdk::detail::avx(2|512)::lu_(panel|update|solve)\()' |
    grep -v -E ' DW\.ref\.__gxx_personality_v0$' || true)
  if [ -n "$stray" ]; then
    echo "FAIL: $object exports symbols outside its namespaces:"
    echo "$stray"
    status=1
  fi
  nm -C --defined-only --extern-only "$object" | grep -q 'lu_panel(' ||
    { echo "FAIL: $object has no lu_panel (not an LU kernel object?)"; status=1; }
done
[ "$#" -gt 0 ] || { echo "FAIL: no object given"; status=1; }
exit $status
