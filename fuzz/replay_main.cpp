// Replays corpora through the harnesses without libFuzzer (the normal build, in CTest):
//   fuzz_replay NAME PATH...   each file (or each file of each folder) fed to harness NAME.
// An input that breaks a harness aborts the program, naming the file first.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "harness.hpp"

namespace fs = std::filesystem;

namespace allervers::fuzz {
namespace {
std::map<std::string, Harness>& harnesses() {
  static std::map<std::string, Harness> all;  // filled before main by static registration
  return all;
}
}  // namespace

bool register_harness(const char* name, Harness harness) {
  harnesses()[name] = harness;
  return true;
}

}  // namespace allervers::fuzz

int main(int argc, char** argv) {
  using namespace allervers::fuzz;
  if (argc < 3 || !harnesses().count(argv[1])) {
    std::fprintf(stderr, "usage: fuzz_replay NAME PATH...\nharnesses:");
    for (const auto& [name, h] : harnesses()) std::fprintf(stderr, " %s", name.c_str());
    std::fprintf(stderr, "\n");
    return 2;
  }
  const Harness harness = harnesses()[argv[1]];
  std::vector<fs::path> files;
  for (int i = 2; i < argc; ++i) {
    if (fs::is_directory(argv[i])) {
      for (const auto& e : fs::directory_iterator(argv[i]))
        if (e.is_regular_file()) files.push_back(e.path());
    } else {
      files.emplace_back(argv[i]);
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::fprintf(stderr, "fuzz_replay: no input in the paths given\n");
    return 1;
  }
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "fuzz_replay: cannot read %s\n", f.c_str());
      return 1;
    }
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::fprintf(stderr, "%s\n", f.c_str());
    harness(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
  std::printf("%s: %zu inputs replayed\n", argv[1], files.size());
  return 0;
}
