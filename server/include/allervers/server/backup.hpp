#pragma once
// Backing up and restoring the server's database (`allervers-server backup` and `restore`,
// docs/admin.md): SQLite through its online backup, PostgreSQL through pg_dump and pg_restore.
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace allervers::server {

// A refusal or failure of backup or restore, as a sentence; nothing was overwritten.
class BackupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The newest schema version this server knows (its last schema step).
std::int64_t known_schema_version();

// Held by `serve` for as long as it serves a SQLite database: a shared lock (flock) on the file,
// which `restore` must get exclusively. Several servers on one file share it.
class ServingLock {
 public:
  explicit ServingLock(const std::filesystem::path& database);
  ~ServingLock();
  ServingLock(const ServingLock&) = delete;
  ServingLock& operator=(const ServingLock&) = delete;

 private:
  int fd_ = -1;
};

struct BackupFacts {
  std::int64_t bytes = 0;
  std::int64_t schema_version = 0;
};

// A consistent copy of `database` (one moment of it; servers may write meanwhile) into the new
// file `to`, checked whole before it is reported. Refuses an existing `to`.
BackupFacts backup_sqlite(const std::filesystem::path& database, const std::filesystem::path& to);

struct RestoreFacts {
  BackupFacts backup;
  std::filesystem::path previous;  // where the database that was there went ("" when none was)
};

// Puts the backup `from` in the place of `database`. Refuses, with nothing changed: a file
// that is not a whole database (truncated, damaged), not a server's database, made by a newer
// server, or a database a server is serving. The database that was there is kept beside it
// as <database>.before-restore-<UTC time>.
RestoreFacts restore_sqlite(const std::filesystem::path& from, const std::filesystem::path& database);

// PostgreSQL (`url`: postgresql://…): pg_dump's custom format written to the new file `to`
// (one moment: pg_dump reads in one transaction while servers write), checked by reading its
// schema version back with pg_restore. Refuses an existing `to`.
BackupFacts backup_postgres(const std::string& url, const std::filesystem::path& to);

// Puts the pg_dump file `from` in the place of what the database `url` holds, in one
// transaction (a failure changes nothing). Refuses, with nothing changed: a file pg_restore
// cannot read whole, one that is not of a server's database, made by a newer server, or a
// database other clients are connected to (a server serving it). `previous` stays empty:
// take a backup first to keep what is there.
RestoreFacts restore_postgres(const std::filesystem::path& from, const std::string& url);

}  // namespace allervers::server
