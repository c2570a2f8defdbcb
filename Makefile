# klaster: the two commands of the README's quick start, and a few more.
#   make demo   install what is missing, build klaster and its plugins (Release), run configs/kz_auto_cluster_formation.toml
#               and write its HTML report (out/kz_auto_cluster_formation/report.html)
#   make test   install what is missing, build, run the whole test suite with CTest
#   make test-sanitize   the same suite built with ASan and UBSan in build-sanitize (docs/sanitizers.md)
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
KLASTER := $(BUILD_DIR)/bin/klaster

.PHONY: all deps configure build demo test test-sanitize fuzz-check format format-check package bench clean

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release --log-level=WARNING

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# The demo needs only the executable and the plugins its pipeline names (read from its
# `plugin = "..."` lines), not the other plugins, the tests and the benchmarks.
DEMO_PIPELINE := configs/kz_auto_cluster_formation.toml
DEMO_PLUGINS = $(shell sed -n 's/^plugin *= *"\([a-z_0-9]*\)".*/\1/p' $(DEMO_PIPELINE) | sort -u)
DEMO_OUT := out/$(basename $(notdir $(DEMO_PIPELINE)))
demo: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target klaster $(DEMO_PLUGINS)
	$(KLASTER) run $(DEMO_PIPELINE)
	$(KLASTER) report $(DEMO_OUT)

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

# The whole suite built with AddressSanitizer and UndefinedBehaviorSanitizer (gcc, -O1) in
# build-sanitize and run with every finding failing its test (docs/sanitizers.md). Run by .ci/run.
test-sanitize: deps
	JOBS=$(JOBS) scripts/test-sanitize.sh

# The libFuzzer targets (docs/fuzzing.md), built with clang in build-fuzz: each runs over its seed
# corpus (fuzz/corpus/<target>), then fuzzes for FUZZ_SECONDS (default 20). Run by .ci/run.
fuzz-check: deps
	scripts/fuzz-check.sh

# The C++ sources formatted by .clang-format (Debian's clang-format): `format` rewrites them,
# `format-check` (run by .ci/run) fails listing each file that differs.
CXX_SOURCES = git ls-files '*.cpp' '*.hpp'
format: deps
	$(CXX_SOURCES) | xargs clang-format -i

format-check: deps
	@$(CXX_SOURCES) | xargs clang-format --dry-run --Werror

# Debian packages klaster and klaster-dev (CPack) in $(BUILD_DIR)/packages.
package: build
	cpack --config $(BUILD_DIR)/CPackConfig.cmake -B $(BUILD_DIR)/packages

# Benchmarks (bench/README.md): the data path at every size and shape of issue 14 against R
# data.table and pandas, and the Leontief work against numpy, all in this run; the tables go into
# bench/README.md (the last two runs). Installs the baselines' packages first. Takes ~10 minutes.
bench: build
	@scripts/install-deps.sh --bench
	bench/data_sizes.sh $(BUILD_DIR)
	/usr/bin/python3 bench/io_compare.py $(BUILD_DIR) | tee $(BUILD_DIR)/bench-out/io_compare.md
	/usr/bin/python3 bench/record_runs.py $(BUILD_DIR)/bench-out/data_sizes.md $(BUILD_DIR)/bench-out/io_compare.md

clean:
	rm -rf $(BUILD_DIR) out
