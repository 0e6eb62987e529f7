#include "allervers/server/backup.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <vector>

#include "allervers/sqlite/backup.hpp"
#include "allervers/sqlite/database.hpp"
#include "allervers/server/sql.hpp"
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

// --- PostgreSQL: pg_dump and pg_restore ------------------------------------------------------

namespace {

struct ProgramRun {
  int status = -1;  // the exit status; -1 when it could not run or was killed
  std::string out, err;
};

// Runs a program found on PATH with these arguments (no shell), its output and errors read
// whole. The connection URL goes as an argument: pg_dump and pg_restore take it as --dbname.
ProgramRun run_program(const std::vector<std::string>& args) {
  ProgramRun run;
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) throw BackupError(std::string("cannot run ") + args[0] + ": " + std::strerror(errno));
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    throw BackupError(std::string("cannot run ") + args[0] + ": " + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int rc = ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (rc == 0) {
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    std::string* sinks[2] = {&run.out, &run.err};
    int open_count = 2;
    char buf[8192];
    while (open_count > 0) {
      if (::poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        break;
      }
      for (int i = 0; i < 2; ++i) {
        if (fds[i].fd < 0 || fds[i].revents == 0) continue;
        const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
        if (n > 0) {
          sinks[i]->append(buf, static_cast<std::size_t>(n));
        } else if (n == 0 || errno != EINTR) {
          fds[i].fd = -1;
          --open_count;
        }
      }
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  ::close(out_pipe[0]);
  ::close(err_pipe[0]);
  if (rc != 0)
    throw BackupError(std::string("cannot run ") + args[0] + " (" + std::strerror(rc) +
                      "): install PostgreSQL's client programs (Debian: postgresql-client)");
  return run;
}

std::string first_line(const std::string& text) {
  const auto end = text.find('\n');
  return text.substr(0, end);
}

// The schema version a pg_dump file holds (its allervers_schema table), or nothing when the
// file has no such table: not a server's database. Throws when pg_restore cannot read it.
std::optional<std::int64_t> dump_schema_version(const fs::path& file) {
  // --list reads the table of contents only, which a dump cut short in its data still has
  // whole: reading every table's data (to nowhere) finds the end missing before anything is
  // dropped.
  for (const auto& args : {std::vector<std::string>{"pg_restore", "--list", file.string()},
                           std::vector<std::string>{"pg_restore", "--file=/dev/null", file.string()}}) {
    const auto read = run_program(args);
    if (read.status != 0)
      throw BackupError(file.string() + " is not a whole pg_dump file (truncated or damaged?): " + first_line(read.err) +
                        "; nothing was changed");
  }
  const auto data = run_program({"pg_restore", "--data-only", "--table=allervers_schema", "--file=-", file.string()});
  if (data.status != 0) throw BackupError("pg_restore cannot read " + file.string() + ": " + first_line(data.err));
  // COPY public.allervers_schema (version) FROM stdin;\n3\n\\.
  const auto copy = data.out.find("allervers_schema (version) FROM stdin;\n");
  if (copy == std::string::npos) return std::nullopt;
  const auto from = data.out.find('\n', copy) + 1;
  try {
    return std::stoll(data.out.substr(from, data.out.find('\n', from) - from));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

BackupFacts backup_postgres(const std::string& url, const fs::path& to) {
  std::error_code ec;
  if (fs::exists(to, ec)) throw BackupError(to.string() + " already exists: a backup never overwrites a file");
  const fs::path partial = to.string() + ".partial";
  fs::remove(partial, ec);
  const auto dump = run_program({"pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file=" + partial.string(),
                                 "--dbname=" + url});
  if (dump.status != 0) {
    fs::remove(partial, ec);
    throw BackupError("pg_dump failed: " + first_line(dump.err));
  }
  std::optional<std::int64_t> version;
  try {
    version = dump_schema_version(partial);
  } catch (...) {
    fs::remove(partial, ec);
    throw;
  }
  if (!version) {
    fs::remove(partial, ec);
    throw BackupError("that PostgreSQL database holds no Aller-vers server (no schema version): nothing written");
  }
  sync_path(partial);
  fs::rename(partial, to, ec);
  if (ec) throw BackupError("cannot name the backup " + to.string() + ": " + ec.message());
  sync_path(folder_of(to));
  return {static_cast<std::int64_t>(fs::file_size(to)), *version};
}

RestoreFacts restore_postgres(const fs::path& from, const std::string& url) {
  RestoreFacts result;
  std::error_code ec;
  if (!fs::is_regular_file(from, ec)) throw BackupError("there is no backup file at " + from.string());
  // 1. The backup, judged before anything is touched.
  const auto version = dump_schema_version(from);
  if (!version) throw BackupError(from.string() + " is not a backup of an Aller-vers server's database; nothing was changed");
  result.backup = {static_cast<std::int64_t>(fs::file_size(from)), *version};
  if (*version > known_schema_version())
    throw BackupError(from.string() + " was made by a newer allervers-server (schema " + std::to_string(*version) +
                      "; this one knows up to " + std::to_string(known_schema_version()) +
                      "): upgrade this server first; nothing was changed");
  // 2. No server on the database while it is replaced.
  {
    auto db = sql::open_postgresql(url);
    const auto others = db->query(
                              "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
                            .one()
                            .int64(0);
    if (others > 0)
      throw BackupError(std::to_string(others) +
                        " other connection(s) to this database (a server serving it?): stop them first "
                        "(systemctl stop allervers-server); nothing was changed");
  }
  // 3. One transaction: what was there is dropped and the backup's tables take its place.
  const auto restore = run_program({"pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                                    "--single-transaction", "--exit-on-error", "--dbname=" + url, from.string()});
  if (restore.status != 0)
    throw BackupError("pg_restore failed, nothing was changed (one transaction): " + first_line(restore.err));
  return result;
}

}  // namespace allervers::server
