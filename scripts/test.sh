#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: first a normal build with warnings as
# errors, then the whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer.
# Safe to run again: builds are incremental, tests make their own temporary folders.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

jobs=$(nproc)
echo "== normal build (warnings are errors) =="
cmake -S . -B build/ci -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DALLERVERS_WERROR=ON
cmake --build build/ci -j "$jobs"
ctest --test-dir build/ci --output-on-failure -j "$jobs" --timeout 600

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build =="
cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DALLERVERS_WERROR=ON \
  -DALLERVERS_SANITIZE=ON -DALLERVERS_BUILD_BENCH=OFF
cmake --build build/asan -j "$jobs"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build/asan --output-on-failure -j "$jobs" --timeout 1200
