// `backup` and `restore`: the SQLite database copied while the server serves, and brought back
// (docs/admin.md, "Backups"). PostgreSQL's are pg_dump's and pg_restore's.
#include <cstdio>

#include "allervers/server/backup.hpp"
#include "commands.hpp"

namespace allervers::server::cli {

namespace {

// The file behind `sqlite:PATH`; PostgreSQL is sent to its own tools.
std::filesystem::path sqlite_file(const std::string& database, const char* command) {
  if (database.rfind("sqlite:", 0) == 0) return database.substr(7);
  throw BackupError(std::string(command) + " is for SQLite databases; for PostgreSQL use " +
                    (std::string(command) == "backup" ? "pg_dump --format=custom" : "pg_restore") +
                    " (docs/admin.md, \"Backups\")");
}

}  // namespace

void add_backup(CLI::App& app, Context& context) {
  auto to = std::make_shared<std::string>();
  auto* backup = app.add_subcommand("backup", "copy the SQLite database, consistent while the server serves");
  backup->add_option("--to", *to, "the new backup file (never overwritten)")->required();
  on_run(backup, context, [to](Context& c) {
    const auto facts = backup_sqlite(sqlite_file(c.database, "backup"), *to);
    std::printf("Backup written to %s (%lld bytes, schema %lld). It holds the town's keys: store it encrypted.\n",
                to->c_str(), static_cast<long long>(facts.bytes), static_cast<long long>(facts.schema_version));
    return 0;
  });

  auto from = std::make_shared<std::string>();
  auto* restore = app.add_subcommand("restore", "put a backup in the place of the SQLite database (the server stopped)");
  restore->add_option("--from", *from, "the backup file")->required();
  on_run(restore, context, [from](Context& c) {
    const std::filesystem::path database = sqlite_file(c.database, "restore");
    const auto facts = restore_sqlite(*from, database);
    std::printf("Restored %s (schema %lld) as %s.\n", from->c_str(), static_cast<long long>(facts.backup.schema_version),
                database.c_str());
    if (!facts.previous.empty()) std::printf("The database that was there is kept as %s.\n", facts.previous.c_str());
    if (facts.backup.schema_version < known_schema_version())
      std::printf("It is upgraded to schema %lld when the server next starts.\n", static_cast<long long>(known_schema_version()));
    return 0;
  });
}

}  // namespace allervers::server::cli
