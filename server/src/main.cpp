// allervers-server: the central server and the coordinator's commands. Start-up only: the
// subcommands are registered from cli/commands_*.cpp; the one parsed runs.
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  using namespace allervers::server;
  CLI::App app{"Aller-vers central server: receives captures from tablets and kiosks, publishes consultations"};
  app.require_subcommand(1);
  app.allow_config_extras(CLI::config_extras_mode::error);  // a misspelt setting is refused, not ignored
  app.set_version_flag("--version", "allervers-server 0.1.0, protocol v1");
  cli::Context context;
  const char* env = std::getenv("ALLERVERS_DATABASE");
  context.database = env && *env ? env : "sqlite:allervers-server.db";
  app.add_option("--database", context.database, "sqlite:PATH or postgresql://USER@HOST:PORT/DB (env ALLERVERS_DATABASE)");
  const char* key_env = std::getenv("ALLERVERS_SECRETS_KEY_FILE");
  const char* credentials = std::getenv("CREDENTIALS_DIRECTORY");  // systemd LoadCredential=allervers-secrets-key:…
  if (key_env && *key_env) context.secrets_key_file = key_env;
  else if (credentials && *credentials && std::filesystem::exists(std::string(credentials) + "/allervers-secrets-key"))
    context.secrets_key_file = std::string(credentials) + "/allervers-secrets-key";
  app.add_option("--secrets-key-file", context.secrets_key_file,
                 "the key (0600, outside the database) the town and office secrets are encrypted under; "
                 "env ALLERVERS_SECRETS_KEY_FILE or the systemd credential allervers-secrets-key");
  // The service's settings (/etc/allervers/server.conf): top-level keys are the options above,
  // a [serve] section those of serve; an unknown key is refused (docs/admin.md).
  auto* settings = app.set_config("--config", "", "settings file: `database = \"…\"`, then [serve] listen, catalog, threads, …");

  // In the order `--help` lists them.
  cli::add_serve(app, context);
  cli::add_publish_catalog(app, context);
  cli::add_enrol_code(app, context);
  cli::add_revoke_device(app, context);
  cli::add_revoke_pass(app, context);
  cli::add_list_revocations(app, context);
  cli::add_print_passes(app, context);
  cli::add_check_code(app, context);
  cli::add_attendance(app, context);
  cli::add_office_token(app, context);
  cli::add_keys(app, context);
  cli::add_rotate_key(app, context);
  cli::add_secrets_key(app, context);
  cli::add_user_commands(app, context);
  cli::add_list_devices(app, context);
  cli::add_missing_translations(app, context);
  cli::add_export(app, context);
  cli::add_dashboard(app, context);
  cli::add_population(app, context);
  cli::add_idea_letter(app, context);
  cli::add_list_refused(app, context);
  cli::add_import_bundle(app, context);
  cli::add_backup(app, context);

  try {
    app.parse(argc, argv);
    return context.run ? context.run() : 0;
  } catch (const CLI::FileError& e) {
    // CLI11 says only "was not readable (missing?)": say which file and why, as the OS says it.
    const std::string path = settings->count() ? settings->as<std::string>() : std::string();
    std::string why = e.what();
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      why = "it is a folder";
    } else if (std::FILE* file = std::fopen(path.c_str(), "r")) {
      std::fclose(file);
    } else {
      why = std::strerror(errno);
    }
    std::fprintf(stderr, "allervers-server: cannot read the settings file %s: %s\n", path.c_str(), why.c_str());
    return 1;
  } catch (const CLI::ConfigError& e) {
    std::fprintf(stderr, "allervers-server: the settings file %s is not valid: %s\n",
                 settings->count() ? settings->as<std::string>().c_str() : "", e.what());
    return 1;
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "allervers-server: %s\n", e.what());
    return 1;
  }
}
