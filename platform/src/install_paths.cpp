#include "allervers/platform/install_paths.hpp"

#include <cstdlib>
#include <system_error>

#include "allervers/platform/files.hpp"

namespace allervers::platform {

namespace fs = std::filesystem;

fs::path own_executable() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw FileError("cannot find the program's own path (/proc/self/exe): " + ec.message());
  return self;
}

fs::path find_assets_dir(const std::optional<std::string>& override_dir, const fs::path& executable) {
  std::error_code ec;
  if (override_dir && !override_dir->empty()) {
    const fs::path dir(*override_dir);
    if (!fs::is_directory(dir, ec))
      throw FileError(std::string("$") + kAssetsEnvironment + " names " + dir.string() + ", which is not a folder");
    return dir;
  }
  // A data folder is recognised by what every program needs from it: the translations.
  const fs::path beside = executable.parent_path().parent_path() / "share" / "allervers";
  if (fs::is_directory(beside / "i18n", ec)) return beside.lexically_normal();
  throw FileError("cannot find the program's data: " + (beside / "i18n").lexically_normal().string() +
                  " does not exist (is the package installed whole? $" + kAssetsEnvironment +
                  " names another folder)");
}

fs::path assets_dir() {
  const char* env = std::getenv(kAssetsEnvironment);
  return find_assets_dir(env ? std::optional<std::string>(env) : std::nullopt, own_executable());
}

}  // namespace allervers::platform
