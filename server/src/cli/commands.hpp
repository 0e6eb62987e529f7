#pragma once
// allervers-server's subcommands, each registered on the CLI11 app by its own function, grouped
// by what they are about (commands_*.cpp). main() parses and runs the one chosen.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "allervers/core/time.hpp"
#include "allervers/crypto/at_rest.hpp"
#include "allervers/server/store.hpp"

namespace allervers::server::cli {

// What every subcommand shares.
struct Context {
  std::string database;       // --database (or ALLERVERS_DATABASE)
  // --secrets-key-file (or ALLERVERS_SECRETS_KEY_FILE, or the systemd credential
  // $CREDENTIALS_DIRECTORY/allervers-secrets-key): the key the server's secrets are kept under.
  std::string secrets_key_file;
  core::SystemClock clock;
  std::function<int()> run;   // set by the subcommand that was parsed; its exit code
  // The store, its secrets encrypted under the key when one is given (read once).
  std::unique_ptr<ServerStore> open() const;

 private:
  mutable std::shared_ptr<const crypto::AtRestKey> secrets_key_;
  mutable bool key_read_ = false;
};

std::string read_text(const std::string& path);  // a whole file; throws when unreadable
// A catalog file's directory, where the pictograms it names are ("." for a bare file name).
std::filesystem::path catalog_dir(const std::string& catalog_file);

// The office's filter as command-line options (--consultation, --from, --to, --quartier,
// --channel, --device), shared by export, dashboard and population show.
struct FilterOptions {
  std::string consultation, from, to, quartier, channel, device;
};
void add_filter_options(CLI::App* command, FilterOptions& options);
// Checked (FilterError names the option); --device may be a device's id or its name.
CaptureFilter read_filter(const FilterOptions& options, ServerStore& store);
// "KEY=VALUE" options as a map; throws naming `option` when one has no "=".
std::map<std::string, std::string> read_pairs(const std::vector<std::string>& pairs, const std::string& option);

// `action(context)` becomes what main() runs when `command` is the subcommand parsed; its
// result is the exit code.
template <class Action>
void on_run(CLI::App* command, Context& context, Action action) {
  command->callback([&context, action] { context.run = [&context, action] { return action(context); }; });
}

// serving (commands_serve.cpp)
void add_serve(CLI::App& app, Context& context);
// catalog and devices (commands_devices.cpp)
void add_publish_catalog(CLI::App& app, Context& context);
void add_enrol_code(CLI::App& app, Context& context);
void add_revoke_device(CLI::App& app, Context& context);
void add_list_devices(CLI::App& app, Context& context);
// the coordinator's list of missing catalog translations (commands_translations.cpp)
void add_missing_translations(CLI::App& app, Context& context);
// passes, keys and assemblies (commands_passes.cpp)
void add_revoke_pass(CLI::App& app, Context& context);
void add_list_revocations(CLI::App& app, Context& context);
void add_print_passes(CLI::App& app, Context& context);
void add_check_code(CLI::App& app, Context& context);
void add_attendance(CLI::App& app, Context& context);
void add_office_token(CLI::App& app, Context& context);
void add_keys(CLI::App& app, Context& context);
void add_rotate_key(CLI::App& app, Context& context);
// the office console's accounts (commands_users.cpp): add-user, password-link, list-users, disable-user
void add_user_commands(CLI::App& app, Context& context);
void add_secrets_key(CLI::App& app, Context& context);
// captures (commands_captures.cpp)
void add_export(CLI::App& app, Context& context);
void add_list_refused(CLI::App& app, Context& context);
void add_import_bundle(CLI::App& app, Context& context);
// the office's numbers (commands_office.cpp)
void add_dashboard(CLI::App& app, Context& context);
void add_population(CLI::App& app, Context& context);
void add_idea_letter(CLI::App& app, Context& context);  // the letter per quartier (PDF)
// backups of a SQLite database (commands_backup.cpp)
void add_backup(CLI::App& app, Context& context);

}  // namespace allervers::server::cli
