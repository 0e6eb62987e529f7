#include "allervers/sqlite/database.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>
#include <system_error>

namespace allervers::sqlite {

namespace {

Error::Kind kind_of(int rc) {
  switch (rc & 0xFF) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return Error::Kind::corrupt;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return Error::Kind::locked;
    case SQLITE_READONLY:
    case SQLITE_PERM: return Error::Kind::read_only;
    case SQLITE_FULL: return Error::Kind::full;
    case SQLITE_CANTOPEN: return Error::Kind::not_found;
    case SQLITE_IOERR: return Error::Kind::io;
    default: return Error::Kind::other;
  }
}

std::string advice(Error::Kind kind) {
  switch (kind) {
    case Error::Kind::corrupt:
      return "the file is damaged or is not an Aller-vers database; it was left untouched — keep a copy and call support";
    case Error::Kind::locked:
      return "another program is using the database (is Aller-vers already running on this device?)";
    case Error::Kind::read_only:
      return "the database cannot be written (read-only file or disk)";
    case Error::Kind::full:
      return "the storage is full: free some space; everything saved before is kept";
    case Error::Kind::not_found: return "the database file cannot be opened";
    case Error::Kind::io: return "the disk reported an input/output error";
    default: return "unexpected database error";
  }
}

}  // namespace

// --- Statement -----------------------------------------------------------------------------

Statement::Statement(Database& db, std::string_view sql) : db_(db), sql_(sql) {
  const int rc = sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                    &stmt_, nullptr);
  if (rc != SQLITE_OK) db.fail(rc, "preparing \"" + sql_.substr(0, 80) + "\"");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, std::int64_t value) {
  if (int rc = sqlite3_bind_int64(stmt_, index, value); rc != SQLITE_OK) db_.fail(rc, "binding a value");
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  if (int rc = sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      rc != SQLITE_OK)
    db_.fail(rc, "binding a text");
  return *this;
}

Statement& Statement::bind_in_place(int index, std::string_view value) {
  if (int rc = sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8); rc != SQLITE_OK)
    db_.fail(rc, "binding a text");
  return *this;
}

Statement& Statement::bind_null(int index) {
  if (int rc = sqlite3_bind_null(stmt_, index); rc != SQLITE_OK) db_.fail(rc, "binding null");
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  const int extended = sqlite3_extended_errcode(db_.handle());
  sqlite3_reset(stmt_);
  db_.fail(extended ? extended : rc, "running \"" + sql_.substr(0, 80) + "\"");
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() noexcept {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int Statement::columns() const { return sqlite3_column_count(stmt_); }
Statement::Type Statement::type(int column) const {
  switch (sqlite3_column_type(stmt_, column)) {
    case SQLITE_INTEGER: return Type::integer;
    case SQLITE_FLOAT: return Type::real;
    case SQLITE_TEXT: return Type::text;
    case SQLITE_BLOB: return Type::blob;
    default: return Type::null;
  }
}
bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }
Statement& Statement::bind_blob(int index, std::string_view bytes) {
  if (int rc = sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT); rc != SQLITE_OK)
    db_.fail(rc, "binding a blob");
  return *this;
}

std::string Statement::blob(int column) const {
  const auto* p = sqlite3_column_blob(stmt_, column);
  return p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
}

std::string Statement::text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
           : std::string();
}
std::size_t Statement::text_size(int column) const {
  return static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column));
}

// --- Database ------------------------------------------------------------------------------

namespace {

// 0600 on the file and the companions SQLite keeps beside it. A file made here is made 0600
// (O_CREAT with that mode; the umask can only remove bits); one that exists is chmod-ed by
// name. Never open and close an existing database file here: closing any descriptor of a file
// drops every POSIX lock this process holds on it, the locks other connections to the same
// database rely on (SQLite's "how to corrupt a database", 2.2). O_EXCL makes sure the file
// opened is one nobody else has open.
void make_private(const std::filesystem::path& path, bool create) {
  if (create) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
      const int rc = ::fchmod(fd, 0600);
      const int err = errno;
      ::close(fd);
      if (rc != 0) throw std::system_error(err, std::generic_category(), "cannot make " + path.string() + " private");
    } else if (errno != EEXIST) {
      throw std::system_error(errno, std::generic_category(), "cannot create " + path.string());
    }
  }
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    const std::string file = path.string() + suffix;
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) continue;
    if ((st.st_mode & 077) != 0 && ::chmod(file.c_str(), 0600) != 0)
      throw std::system_error(errno, std::generic_category(), "cannot make " + file + " private (chmod 0600)");
  }
}

// A statement inside a transaction keeps what it changes in pages the transaction had already
// changed, so that it can be undone alone (its statement journal). SQLite keeps that journal in
// memory up to 64 KiB, then in a temporary file: the server's multi-row inserts went over it at
// every batch written with others (group commit), 88,000 writes to /var/tmp for 57,000 to the
// database and its WAL in a 20-device sync. Up to 64 MiB it now stays in memory (freed when the
// statement ends; a batch is at most 16 MiB). Sorts and temporary tables still go to files.
// Process-wide, so set before SQLite starts; if something started it first, the default stays.
void configure_sqlite_once() {
  static std::once_flag once;
  std::call_once(once, [] { (void)sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 64 * 1024 * 1024); });
}

}  // namespace

void make_private_folder(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) throw std::system_error(errno, std::generic_category(), "cannot read " + dir.string());
  if ((st.st_mode & 077) != 0 && ::chmod(dir.c_str(), 0700) != 0)
    throw std::system_error(errno, std::generic_category(), "cannot make " + dir.string() + " private (chmod 0700)");
}

Database::Database(const std::filesystem::path& path, const DatabaseOptions& options)
    : path_(path), read_only_(options.read_only) {
  if (options.private_file && !options.read_only) {
    try {
      make_private(path, options.create);
    } catch (const std::system_error& e) {
      throw Error(Error::Kind::io, e.what());
    }
  }
  configure_sqlite_once();
  int flags = options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (options.create && !options.read_only) flags |= SQLITE_OPEN_CREATE;
  flags |= SQLITE_OPEN_NOMUTEX;  // one connection, one thread
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    const int extended = db_ ? sqlite3_extended_errcode(db_) : rc;
    sqlite3_close(db_);
    db_ = nullptr;
    const auto kind = kind_of(extended);
    throw Error(kind, "cannot open the database " + path.string() + ": " + sqlite3_errstr(extended) + " — " +
                                 advice(kind));
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, options.busy_timeout_ms);
  if (options.max_page_count) exec("PRAGMA max_page_count = " + std::to_string(*options.max_page_count));
}

Database::~Database() {
  cache_.clear();  // statements must be finalized before the connection closes
  sqlite3_close(db_);
}

void Database::exec(std::string_view sql) {
  std::string copy(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, copy.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    sqlite3_free(message);
    fail(sqlite3_extended_errcode(db_), "running \"" + copy.substr(0, 80) + "\"");
  }
}

Query Database::query(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) it = cache_.emplace(sql, std::make_unique<Statement>(*this, sql)).first;
  return Query(*it->second);
}

std::int64_t Database::changes() const { return sqlite3_changes64(db_); }
std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
bool Database::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

void Database::fail(int rc, const std::string& doing) const {
  const auto kind = kind_of(rc);
  std::string detail = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  throw Error(kind, "database " + path_.string() + ": " + doing + " failed (" + detail + ") — " + advice(kind));
}

// --- Transaction ---------------------------------------------------------------------------

Transaction::Transaction(Database& db, Mode mode) : db_(db) {
  db_.exec(mode == Mode::immediate ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
  if (!done_ && db_.in_transaction()) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace allervers::sqlite
