#pragma once
// Helpers shared by the tests of every room: temporary directories that clean up after
// themselves, the demo assets, and running our own binaries as child processes.
#include <filesystem>
#include <string>
#include <vector>

namespace allervers::test {

// A fresh directory under the system temp dir, removed (with its contents) on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

std::filesystem::path assets_dir();
std::filesystem::path binary_dir();  // the build tree's root
std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& contents);
// `catalog_json` as DIR/catalog.json, with the demo catalog's pictograms (its PNG files)
// beside it, as a catalog file and the pictograms it names are laid out: a copy of the demo
// catalog, changed by a test, still publishes and loads.
void write_catalog_folder(const std::filesystem::path& dir, const std::string& catalog_json);

struct RunResult {
  int exit_code = -1;  // -1 when killed by a signal
  std::string out;
  std::string err;
};
// Runs `argv` (argv[0] a path), feeding `input` on stdin; waits for it to end.
RunResult run(const std::vector<std::string>& argv, const std::string& input = "");

}  // namespace allervers::test
