#pragma once
// Where the programs find the data they ship with (translations, the demo catalog, the kiosk's
// tour), with no path of the build machine compiled in:
//   1. $ALLERVERS_ASSETS when set (a developer's or an administrator's override);
//   2. else <the program's own folder>/../share/allervers: /usr/bin/allervers-server finds
//      /usr/share/allervers once installed; in a build tree build/<room>/<program> finds
//      build/share/allervers, which CMake links to the source tree's assets/.
// A program given its own flag (`--assets`, `--catalog`) uses that instead.
#include <filesystem>
#include <optional>
#include <string>

namespace allervers::platform {

// The environment variable that overrides where shipped data is looked for.
inline constexpr const char* kAssetsEnvironment = "ALLERVERS_ASSETS";

// The running program's own path (/proc/self/exe, links resolved).
std::filesystem::path own_executable();

// The rule above, given the override (empty: none) and the program's path; pure, for tests.
// Throws FileError naming every place it looked when none holds the data.
std::filesystem::path find_assets_dir(const std::optional<std::string>& override_dir,
                                      const std::filesystem::path& executable);

// The rule above for the running program and its environment.
std::filesystem::path assets_dir();

}  // namespace allervers::platform
