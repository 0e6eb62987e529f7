#pragma once
// RAII over SQLite: Database (one connection), Statement (prepared, cached, reset after use),
// Transaction (begins in its constructor, rolls back in its destructor unless committed).
// <sqlite3.h> stays out of this header. Used by the device database (storage/) and the
// server's SQLite driver.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "allervers/sqlite/error.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace allervers::sqlite {

class Database;

class Statement {
 public:
  Statement(Database& db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  // Text SQLite reads in place rather than copies: it must stay valid until the statement is
  // reset or the parameter bound again (a bulk insert binding thousands of bodies).
  Statement& bind_in_place(int index, std::string_view value);
  Statement& bind_blob(int index, std::string_view bytes);  // bytes, not text (a media file)
  Statement& bind_null(int index);
  bool step();  // true while there is a row; throws Error on failure
  void run();   // steps to the end
  void reset() noexcept;

  enum class Type { integer, real, text, blob, null };
  int columns() const;
  Type type(int column) const;
  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  std::string text(int column) const;
  std::size_t text_size(int column) const;
  std::string blob(int column) const;

 private:
  Database& db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;
};

// A cached statement in use: resets and clears its bindings when it goes out of scope.
class Query {
 public:
  explicit Query(Statement& statement) : statement_(statement) {}
  ~Query() { statement_.reset(); }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  Statement* operator->() { return &statement_; }
  Statement& operator*() { return statement_; }

 private:
  Statement& statement_;
};

struct DatabaseOptions {
  bool create = false;
  bool read_only = false;
  int busy_timeout_ms = 5000;
  std::optional<std::int64_t> max_page_count;  // caps the file size (tests of a full disk)
  // The file (and its -wal, -shm and -journal, which SQLite makes with the file's mode) readable
  // by its owner only, whatever the umask: made 0600, an existing one tightened to 0600.
  bool private_file = false;
};

// Makes `dir` (and missing parents) and sets it to 0700, whatever the umask: a folder holding
// secrets is no one else's to list. Throws std::system_error when it cannot.
void make_private_folder(const std::filesystem::path& dir);

class Database {
 public:
  Database(const std::filesystem::path& path, const DatabaseOptions& options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(std::string_view sql);         // one or more statements without results
  Query query(const std::string& sql);     // a cached prepared statement
  std::int64_t changes() const;
  std::int64_t last_insert_rowid() const;
  bool in_transaction() const;
  const std::filesystem::path& path() const { return path_; }
  bool read_only() const { return read_only_; }

  // Turns an SQLite result code into an Error that names the file and what was done.
  [[noreturn]] void fail(int rc, const std::string& doing) const;
  sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
  bool read_only_ = false;
  std::map<std::string, std::unique_ptr<Statement>> cache_;
};

class Transaction {
 public:
  enum class Mode { deferred, immediate };
  explicit Transaction(Database& db, Mode mode = Mode::immediate);
  ~Transaction();  // rolls back unless commit() ran; never throws
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace allervers::sqlite
