#pragma once
// One fuzz harness: a function from bytes to nothing that must neither crash, leak, overflow
// nor break the invariant it checks (`require`). Written once with ALLERVERS_FUZZ_TARGET(name)
// and built two ways (fuzz/CMakeLists.txt):
//   - with clang and libFuzzer (scripts/fuzz.sh): one program per harness whose
//     LLVMFuzzerTestOneInput is this function;
//   - in the normal build: every harness in one replay program (replay_main.cpp) that feeds
//     each file of fuzz/corpus/<name>/ to its harness — CTest runs it, so what the fuzzers found
//     stays fixed.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace allervers::fuzz {

using Harness = int (*)(const std::uint8_t* data, std::size_t size);
bool register_harness(const char* name, Harness harness);

// An invariant broken: a crash the fuzzer reports with its input (and the replay test fails).
inline void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace allervers::fuzz

#ifdef ALLERVERS_LIBFUZZER
#define ALLERVERS_FUZZ_EXPORT(name)                                                  \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) { \
    return fuzz_##name(data, size);                                                  \
  }
#else
#define ALLERVERS_FUZZ_EXPORT(name) \
  [[maybe_unused]] static const bool registered_##name = ::allervers::fuzz::register_harness(#name, &fuzz_##name);
#endif

#define ALLERVERS_FUZZ_TARGET(name)                                 \
  static int fuzz_##name(const std::uint8_t* data, std::size_t size); \
  ALLERVERS_FUZZ_EXPORT(name)                                       \
  static int fuzz_##name(const std::uint8_t* data, std::size_t size)
