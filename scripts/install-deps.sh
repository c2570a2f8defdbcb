#!/usr/bin/env bash
# Installs klaster's build and test dependencies from Debian's packages (Debian 12); chromium
# runs the report's browser test (tests/report_browser_test.sh).
# Does nothing when everything is present. Needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(
  g++ cmake make pkg-config dpkg-dev clang-format git
  libboost-dev libboost-program-options-dev
  libspdlog-dev libfmt-dev libtoml11-dev libeigen3-dev nlohmann-json3-dev libssl-dev libsqlite3-dev
  liblapacke-dev libopenblas-dev
  libhwy-dev                  # Highway's vqsort for the Gini sorts
  libgtest-dev libgmock-dev libbenchmark-dev
  libigraph-dev libglpk-dev
  libopenmpi-dev openmpi-bin  # `klaster batch --mpi` (built only when MPI is found)
  sqlite3                     # tests/batch_mpi_test.sh reads the batch stores with the sqlite3 CLI
  python3                     # tests/report_batch_check.py recomputes a batch report's numbers
  libxlsxwriter-dev           # `klaster export --format xlsx`
  chromium                    # tests/report_browser_test.sh opens the HTML report headless
  clang libclang-rt-14-dev    # make fuzz-check: libFuzzer targets (docs/fuzzing.md)
  qemu-user                   # tests/lu_without_avx_test.sh: the LU kernels on a CPU without AVX
)
# npm fetches the chart libraries of `klaster report` at build time (scripts/fetch-vega.sh). A
# node from elsewhere (NodeSource) brings its own npm, which Debian's npm package would conflict
# with: Debian's are installed only when no npm is on the PATH.
if ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi
# Optional extras for the benchmarks' baselines: scripts/install-deps.sh --bench
if [[ "${1:-}" == "--bench" || "${KLASTER_BENCH_DEPS:-0}" == 1 ]]; then
  packages+=(python3-numpy python3-threadpoolctl python3-pandas hyperfine time bc r-base-core r-cran-data.table)
fi
# Optional extras for the cross-check scripts beside some plugins and data (R's hclust, varimax,
# cluster::silhouette, igraph; numpy): scripts/install-deps.sh --crosscheck
if [[ "${1:-}" == "--crosscheck" ]]; then
  packages+=(python3-numpy r-base-core r-cran-cluster r-cran-igraph)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "error: missing packages (${missing[*]}) and not root; install them with apt-get" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
