#include "allervers/server/backup.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "allervers/sqlite/backup.hpp"
#include "allervers/sqlite/database.hpp"
#include "store/schema.hpp"

namespace allervers::server {

namespace fs = std::filesystem;

namespace {

// The tables only a server's database has (a device's database has none of them).
constexpr const char* kServerTablesQuery =
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('devices', 'captures', 'catalogs')";

std::string utc_stamp() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &tm);
  return text;
}

void sync_path(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

fs::path folder_of(const fs::path& file) { return file.parent_path().empty() ? fs::path(".") : file.parent_path(); }

}  // namespace

std::int64_t known_schema_version() { return schema_steps().back().version; }

ServingLock::ServingLock(const fs::path& database) {
  fd_ = ::open(database.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw BackupError("cannot open " + database.string() + " to mark it served: " + std::strerror(errno));
  if (::flock(fd_, LOCK_SH | LOCK_NB) != 0) {
    ::close(fd_);
    throw BackupError(database.string() + " is being restored: start the server once the restore is over");
  }
}

ServingLock::~ServingLock() {
  if (fd_ >= 0) ::close(fd_);
}

BackupFacts backup_sqlite(const fs::path& database, const fs::path& to) {
  std::error_code ec;
  if (!fs::is_regular_file(database, ec)) throw BackupError("there is no database at " + database.string());
  if (fs::exists(to, ec)) throw BackupError(to.string() + " already exists: a backup never overwrites a file");
  try {
    sqlite::DatabaseOptions options;
    options.read_only = true;
    sqlite::Database source(database, options);
    sqlite::backup(source, to);
    const sqlite::FileFacts facts = sqlite::check_whole_file(to);
    return {facts.bytes, facts.user_version};
  } catch (const sqlite::Error& e) {
    throw BackupError(std::string("the backup failed: ") + e.what());
  }
}

RestoreFacts restore_sqlite(const fs::path& from, const fs::path& database) {
  RestoreFacts result;
  std::error_code ec;
  if (fs::exists(database, ec) && fs::equivalent(from, database, ec))
    throw BackupError(from.string() + " is the database itself: nothing to restore");
  // 1. The backup, judged before anything is touched.
  try {
    const sqlite::FileFacts facts = sqlite::check_whole_file(from);
    result.backup = {facts.bytes, facts.user_version};
    sqlite::DatabaseOptions options;
    options.read_only = true;
    sqlite::Database backup(from, options);
    auto tables = backup.query(kServerTablesQuery);
    tables->step();
    if (tables->int64(0) != 3) throw BackupError(from.string() + " is not a backup of an Aller-vers server's database");
  } catch (const sqlite::Error& e) {
    throw BackupError(std::string("refused: ") + e.what() + "; nothing was changed");
  }
  if (result.backup.schema_version > known_schema_version())
    throw BackupError(from.string() + " was made by a newer allervers-server (schema " +
                      std::to_string(result.backup.schema_version) + "; this one knows up to " +
                      std::to_string(known_schema_version()) + "): upgrade this server first; nothing was changed");

  // 2. No server on the database while it is replaced.
  int lock_fd = -1;
  if (fs::exists(database, ec)) {
    lock_fd = ::open(database.c_str(), O_RDONLY | O_CLOEXEC);
    if (lock_fd < 0) throw BackupError("cannot open " + database.string() + ": " + std::strerror(errno));
    if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(lock_fd);
      throw BackupError("a server is serving " + database.string() +
                        ": stop it first (systemctl stop allervers-server); nothing was changed");
    }
  }
  struct Unlock {
    int fd;
    ~Unlock() {
      if (fd >= 0) ::close(fd);
    }
  } unlock{lock_fd};

  // 3. The copy beside the database, then the swap; the old database stays beside it.
  const fs::path incoming = database.string() + ".restoring";
  fs::remove(incoming, ec);
  fs::copy_file(from, incoming, ec);
  if (ec) throw BackupError("cannot copy " + from.string() + " beside " + database.string() + ": " + ec.message());
  sync_path(incoming);
  if (lock_fd >= 0) {
    try {  // what the old database holds in its WAL goes into its file before it is moved
      sqlite::Database old(database, sqlite::DatabaseOptions{});
      old.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (const sqlite::Error& e) {
      fs::remove(incoming, ec);
      throw BackupError(std::string("cannot set the current database aside: ") + e.what() + "; nothing was changed");
    }
    result.previous = database.string() + ".before-restore-" + utc_stamp();
    fs::rename(database, result.previous);
    for (const char* suffix : {"-wal", "-shm"}) {
      const fs::path side = database.string() + suffix;
      if (fs::exists(side, ec)) fs::rename(side, result.previous.string() + suffix, ec);
    }
  }
  fs::rename(incoming, database);
  sync_path(folder_of(database));
  return result;
}

}  // namespace allervers::server
