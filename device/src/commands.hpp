#pragma once
// Each group of subcommands lives in its own file and registers itself on the CLI11 app;
// the chosen one sets `run`, which main() calls. Exit codes: 0 done, 1 some input refused,
// 2 could not do it at all (usage, storage, network).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>

namespace allervers::device {

struct GlobalOptions {
  std::filesystem::path data_dir;
};
using CommandRunner = std::function<int()>;

inline constexpr int kExitOk = 0;
inline constexpr int kExitRefused = 1;
inline constexpr int kExitFailed = 2;

// init, status, list, capture
void add_store_commands(CLI::App& app, GlobalOptions& global, CommandRunner& run);
// enrol, sync, export-bundle (sync/)
void add_sync_commands(CLI::App& app, GlobalOptions& global, CommandRunner& run);
// check-pass (passes/)
void add_pass_commands(CLI::App& app, GlobalOptions& global, CommandRunner& run);

}  // namespace allervers::device
