# Convenience front end over CMake.  Every target first runs the idempotent
# dependency script, so a fresh Debian 12 machine needs nothing else.
#   make run       build and run the main job on the embedded default
#   make test      all tests under ASan+UBSan (gcc), plus -Werror builds with clang and gcc -O2;
#                  the clang build has the portable scanners (IDT_SIMD=OFF) and runs the
#                  scanner and TOML tests on them
#   make fuzz      every libFuzzer target for FUZZ_SECONDS each (default 600);
#                  FUZZ_TARGETS="toml_parse ..." runs only those
#   make bench     the benchmarks, next to their peers, with ratios (first installs
#                  what only they need: scripts/install-deps.sh bench)
#   make difftest-long  the tomllib differential tests (TOML 1.0 and 1.1), random
#                  seeds, DIFF_N docs each; fails if either does
#   make install   PREFIX=/usr/local DESTDIR=
PREFIX ?= /usr/local
DESTDIR ?=
FUZZ_SECONDS ?= 600
DIFF_N ?= 200000
JOBS ?= $(shell nproc)
CMAKE_GEN := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")

.PHONY: deps bench-deps build run test test-gcc test-clang test-release fuzz bench difftest-long install clean

deps:
	@sh scripts/install-deps.sh

# What only the benchmarks need (the webhook benchmark's Go peer, h2load,
# libmicrohttpd + GnuTLS for its floor), before the build configures.
bench-deps:
	@sh scripts/install-deps.sh bench

build: deps
	@cmake -S . -B build $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null
	@cmake --build build -j $(JOBS)

run: build
	@sh scripts/run-default.sh build/initdata

test: test-clang test-release test-gcc

test-gcc: deps
	@cmake -S . -B build-test $(CMAKE_GEN) -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=Debug \
		-DIDT_SANITIZE=ON -DIDT_WERROR=ON >/dev/null
	@cmake --build build-test -j $(JOBS)
	@sh scripts/run-tests.sh build-test

# gcc's -Wmaybe-uninitialized only looks at optimised code: compile once at -O2.
test-release: deps
	@cmake -S . -B build-release $(CMAKE_GEN) -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=Release \
		-DIDT_WERROR=ON -DIDT_TESTS=OFF >/dev/null
	@cmake --build build-release -j $(JOBS)

# The scanners have vector code (SSE2, NEON) and portable code: the other
# builds test the vector code, this one the portable code alone.
test-clang: deps
	@cmake -S . -B build-clang $(CMAKE_GEN) -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
		-DIDT_WERROR=ON -DIDT_FUZZ=ON -DIDT_SIMD=OFF >/dev/null
	@cmake --build build-clang -j $(JOBS)
	@cd build-clang && ctest --output-on-failure -j $(JOBS) \
		-R '^(unit/test_util_scan|unit/test_toml_.*|unit/test_codec|unit/test_doc|toml/test_toml_test)$$'

fuzz: deps
	@cmake -S . -B build-fuzz $(CMAKE_GEN) -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DIDT_FUZZ=ON -DIDT_TESTS=OFF -DIDT_BENCH=OFF >/dev/null
	@cmake --build build-fuzz -j $(JOBS)
	@sh fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

bench: bench-deps
	@$(MAKE) --no-print-directory build
	@sh bench/run.sh build

difftest-long: test-gcc
	@rc=0; \
	IDT_DIFF_N=$(DIFF_N) IDT_DIFF_SEED=random INITDATA=build-test/initdata \
		IDT_TOOL_toml_batch=build-test/tests/toml_batch python3 tests/toml/test_differential.py || rc=1; \
	IDT_DIFF11_N=$(DIFF_N) IDT_DIFF11_SEED=random INITDATA=build-test/initdata \
		IDT_TOOL_toml_batch=build-test/tests/toml_batch python3 tests/toml/test_differential_11.py || rc=1; \
	exit $$rc

install: build
	@DESTDIR=$(DESTDIR) cmake --install build

clean:
	rm -rf build build-test build-clang build-release build-fuzz
