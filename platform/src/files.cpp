#include "allervers/platform/files.hpp"

#include <fstream>
#include <sstream>

namespace allervers::platform {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  if (in) content << in.rdbuf();
  if (!in || in.bad()) throw FileError("cannot read " + path.string());
  return content.str();
}

}  // namespace allervers::platform
