#include <cstdlib>
#include <iostream>

#include "allervers/core/consultation.hpp"
#include "allervers/storage/errors.hpp"
#include "commands.hpp"

namespace {

std::filesystem::path default_data_dir() {
  if (const char* env = std::getenv("ALLERVERS_DATA"); env && *env) return env;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return std::filesystem::path(xdg) / "allervers";
  if (const char* home = std::getenv("HOME"); home && *home) return std::filesystem::path(home) / ".local/share/allervers";
  return "allervers-data";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace allervers::device;
  CLI::App app{"allervers-device — the Aller-vers device engine without a window"};
  app.require_subcommand(1);
  GlobalOptions global{default_data_dir()};
  app.add_option("--data", global.data_dir, "The device's data folder (default: $ALLERVERS_DATA or ~/.local/share/allervers)")
      ->capture_default_str();
  CommandRunner run;
  add_store_commands(app, global, run);
  add_sync_commands(app, global, run);
  add_pass_commands(app, global, run);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitFailed;
  }
  try {
    return run ? run() : kExitFailed;
  } catch (const allervers::storage::StorageError& e) {
    std::cerr << "error: " << e.what() << "\n";
  } catch (const allervers::core::CatalogError& e) {
    std::cerr << "error: catalog: " << e.what() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
  }
  return kExitFailed;
}
