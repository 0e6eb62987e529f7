#!/usr/bin/env bash
# Fuzzes every harness of fuzz/ with libFuzzer (clang, AddressSanitizer, UBSan) for SECONDS each
# (default 60), in its own build folder (build/fuzz), niced: the machine may be shared.
#   scripts/fuzz.sh [SECONDS] [HARNESS...]
# Each run starts from the seeds in fuzz/corpus/NAME/ and grows a working corpus in
# build/fuzz/corpus/NAME/ (kept between runs). A crash leaves its input as
# build/fuzz/crash-NAME-*; once fixed, copy it into fuzz/corpus/NAME/ so CTest replays it for
# ever (the normal build's `fuzz: NAME corpus replays`). Prints executions and coverage per
# harness; the full logs are build/fuzz/logs/NAME.log.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
all=(batch outcomes capture_line capture_validation catalog pass base32 forms templates http)
harnesses=("${@:-${all[@]}}")
[[ $# -gt 0 ]] || harnesses=("${all[@]}")

clang=$(command -v clang++-14 || command -v clang++ || true)
[[ -n "$clang" ]] || { echo "fuzz.sh: clang++ is needed (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER="$clang" -DCMAKE_C_COMPILER="${clang/clang++/clang}" "${launcher[@]}" \
  -DALLERVERS_FUZZ=ON -DALLERVERS_BUILD_TESTS=OFF -DALLERVERS_BUILD_BENCH=OFF -DALLERVERS_BUILD_APP=OFF \
  -DALLERVERS_ROOMS="core;crypto;sqlite;storage;passes;platform;sync;server;web" \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_C_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >build/fuzz.configure.log
targets=()
for h in "${harnesses[@]}"; do targets+=("fuzz_$h"); done
nice -n 5 ninja -C build/fuzz -j "${FUZZ_JOBS:-2}" "${targets[@]}"

mkdir -p build/fuzz/logs
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
printf '%-20s %12s %8s %8s %s\n' harness executions cov ft result
for h in "${harnesses[@]}"; do
  work=build/fuzz/corpus/$h
  mkdir -p "$work"
  log=build/fuzz/logs/$h.log
  dict=()
  [[ -f fuzz/dict/$h.dict ]] && dict=(-dict="fuzz/dict/$h.dict")
  if nice -n 10 "build/fuzz/fuzz/fuzz_$h" "$work" "fuzz/corpus/$h" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="build/fuzz/crash-$h-" "${dict[@]}" >"$log" 2>&1; then
    result=ok
  else
    result="FOUND (see $log and build/fuzz/crash-$h-*)"
    status=1
  fi
  execs=$( (grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" || true) | grep -o '[0-9]*$' | tail -1 || true)
  cov=$( (grep -o 'cov: [0-9]*' "$log" || true) | tail -1 | grep -o '[0-9]*' || true)
  ft=$( (grep -o 'ft: [0-9]*' "$log" || true) | tail -1 | grep -o '[0-9]*' || true)
  printf '%-20s %12s %8s %8s %s\n' "$h" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$result"
done
exit $status
