#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: first a normal build with warnings as
# errors, then the whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer.
# Safe to run again: builds are incremental, tests make their own temporary folders.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

jobs=$(nproc)
# ccache keeps compiled objects outside the clone (paths made relative to it), so a second run
# or a fresh clone on the same machine recompiles only what changed.
export CCACHE_DIR="${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/allervers-ccache}"
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-10G}"
launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# Line tables only (-g1) rather than full debug information: backtraces and sanitizer reports
# keep their files and lines, and both builds compile about a third faster (docs/decisions.md).
flags=(-DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG")
started=$SECONDS

echo "== normal build (warnings are errors) =="
cmake -S . -B build/ci -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DALLERVERS_WERROR=ON "${launcher[@]}" "${flags[@]}"
cmake --build build/ci -j "$jobs"
ctest --test-dir build/ci --output-on-failure -j "$jobs" --timeout 600
echo "== normal build and tests: $((SECONDS - started)) s =="

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build =="
# -O1 rather than -O2: with the sanitizers' instrumentation GCC's -O2 takes about twice as long
# to compile (the larger part of a cold CI run), and -O1 is what ASan's authors recommend.
asan_flags=(-DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG")
cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DALLERVERS_WERROR=ON \
  -DALLERVERS_SANITIZE=ON -DALLERVERS_BUILD_BENCH=OFF "${launcher[@]}" "${asan_flags[@]}"
cmake --build build/asan -j "$jobs"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build/asan --output-on-failure -j "$jobs" --timeout 1200
echo "== all builds and tests: $((SECONDS - started)) s =="
