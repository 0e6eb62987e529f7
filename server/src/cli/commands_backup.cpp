// `backup` and `restore`: the SQLite database copied while the server serves, and brought back
// (docs/admin.md, "Backups"); on PostgreSQL through pg_dump and pg_restore.
#include <cstdio>

#include "allervers/server/backup.hpp"
#include "commands.hpp"

namespace allervers::server::cli {

namespace {

bool is_postgres(const std::string& database) {
  return database.rfind("postgresql://", 0) == 0 || database.rfind("postgres://", 0) == 0;
}

// The file behind `sqlite:PATH` (or a bare path).
std::filesystem::path sqlite_file(const std::string& database) {
  return database.rfind("sqlite:", 0) == 0 ? database.substr(7) : database;
}

}  // namespace

void add_backup(CLI::App& app, Context& context) {
  auto to = std::make_shared<std::string>();
  auto* backup = app.add_subcommand("backup", "copy the SQLite database, consistent while the server serves");
  backup->add_option("--to", *to, "the new backup file (never overwritten)")->required();
  on_run(backup, context, [to](Context& c) {
    const auto facts = is_postgres(c.database) ? backup_postgres(c.database, *to) : backup_sqlite(sqlite_file(c.database), *to);
    std::printf("Backup written to %s (%lld bytes, schema %lld). It holds the town's keys: store it encrypted.\n",
                to->c_str(), static_cast<long long>(facts.bytes), static_cast<long long>(facts.schema_version));
    return 0;
  });

  auto from = std::make_shared<std::string>();
  auto* restore = app.add_subcommand("restore", "put a backup in the place of the database (the server stopped)");
  restore->add_option("--from", *from, "the backup file")->required();
  on_run(restore, context, [from](Context& c) {
    if (is_postgres(c.database)) {
      const auto facts = restore_postgres(*from, c.database);
      std::printf("Restored %s (schema %lld) into the PostgreSQL database.\n", from->c_str(),
                  static_cast<long long>(facts.backup.schema_version));
      if (facts.backup.schema_version < known_schema_version())
        std::printf("It is upgraded to schema %lld when the server next starts.\n", static_cast<long long>(known_schema_version()));
      return 0;
    }
    const std::filesystem::path database = sqlite_file(c.database);
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
