# Thin wrapper over CMake presets. Everything real lives in CMakeLists.txt and scripts/.
#   make        release binary at build/zhsenti
#   make demo   install, build and run the main job on the default data set
#   make test   install, build and run the whole suite (release, ASan+UBSan, the server under
#               ThreadSanitizer, fuzz smoke)
#   make test-tsan  the server's tests under ThreadSanitizer
#   make python the Python extension in place (python/zhsenti/_zhsenti*.so; see docs/python.md)
#   make bench  benchmarks against the peer systems (long; see docs/BENCHMARKS.md)

JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 10

.PHONY: all deps build python build-dev build-fuzz build-tsan test test-release test-dev test-tsan fuzz-smoke demo bench format clean

all: build

deps:
	@scripts/install-deps.sh

build:
	@test -f build/build.ninja || cmake --preset release
	cmake --build build -j $(JOBS)

python:
	@test -f build/build.ninja || cmake --preset release
	cmake --build build -j $(JOBS) --target zhsenti_python

build-dev:
	@test -f build-dev/build.ninja || cmake --preset dev
	cmake --build build-dev -j $(JOBS)

# ThreadSanitizer: only the server and its tests (the rest of the suite is single-threaded
# or covered by the dev preset).
TSAN_TARGETS = zhsenti test_serve test_e2e_serve
build-tsan:
	@test -f build-tsan/build.ninja || cmake --preset tsan
	cmake --build build-tsan -j $(JOBS) --target $(TSAN_TARGETS)

test-tsan: build-tsan
	OPENBLAS_NUM_THREADS=1 TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" build-tsan/tests/unit/serve/test_serve
	OPENBLAS_NUM_THREADS=1 TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" ZHSENTI_BIN=$(CURDIR)/build-tsan/zhsenti \
	  build-tsan/tests/e2e/test_e2e_serve

build-fuzz:
	@test -f build-fuzz/build.ninja || cmake --preset fuzz
	cmake --build build-fuzz -j $(JOBS) --target fuzzers

test-release: build
	ctest --test-dir build --output-on-failure -j $(JOBS)

test-dev: build-dev
	ctest --test-dir build-dev --output-on-failure -j $(JOBS)

fuzz-smoke: build-fuzz
	scripts/fuzz.sh $(FUZZ_SECONDS)

test: deps
	$(MAKE) test-release
	$(MAKE) test-dev
	$(MAKE) test-tsan
	$(MAKE) fuzz-smoke

demo: deps build
	scripts/demo.sh

bench: build
	scripts/install-deps.sh --bench
	bench/run.sh

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf build build-dev build-fuzz build-tsan
