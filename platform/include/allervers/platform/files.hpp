#pragma once
// Whole files read at once (catalogs, scripts, translations, images), with an error that
// names the file: the one place the programs read a file whole.
#include <filesystem>
#include <stdexcept>
#include <string>

namespace allervers::platform {

class FileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The file's bytes. Throws FileError "cannot read PATH" when it cannot be opened or read.
std::string read_file(const std::filesystem::path& path);

}  // namespace allervers::platform
