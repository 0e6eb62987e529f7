// The SQLite driver: one file, WAL, synchronous=FULL (a batch is answered only once it is on
// disk). Several connections (one per server thread) share the file; writers serialise on
// BEGIN IMMEDIATE with a busy timeout. Statements are prepared once per connection and kept.
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "allervers/server/sql.hpp"
#include "allervers/sqlite/database.hpp"
#include "allervers/sqlite/migrations.hpp"

namespace allervers::server::sql {
namespace {

std::string user_name(uid_t uid) {
  if (const passwd* pw = ::getpwuid(uid)) return pw->pw_name;
  return "uid " + std::to_string(uid);
}

// Why a database cannot be opened when its file or folder belongs to someone else (a state
// folder made by hand as root, a file copied in by another user): said with both names.
std::string ownership_hint(const std::string& path) {
  const std::filesystem::path file(path);
  const std::filesystem::path folder = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
  struct stat st {};
  const std::string me = user_name(::geteuid());
  if (::access(file.c_str(), F_OK) == 0 && ::access(file.c_str(), R_OK | W_OK) != 0 && ::stat(file.c_str(), &st) == 0)
    return " (" + path + " belongs to " + user_name(st.st_uid) + "; " + me + ", who runs the server, cannot write it)";
  // The folder too: SQLite writes its journal (-wal, -shm) beside the file.
  if (::stat(folder.c_str(), &st) == 0 && ::access(folder.c_str(), W_OK | X_OK) != 0)
    return " (the folder " + folder.string() + " belongs to " + user_name(st.st_uid) + "; " + me +
           ", who runs the server, cannot write in it)";
  return "";
}

constexpr int kBusyTimeoutMs = 10000;

// `$N` (the store's portable spelling) as SQLite's `?N`, outside quoted text.
std::string positional(std::string_view sql) {
  std::string out(sql);
  bool quoted = false;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == '\'') quoted = !quoted;
    else if (!quoted && out[i] == '$' && i + 1 < out.size() && out[i + 1] >= '0' && out[i + 1] <= '9') out[i] = '?';
  }
  return out;
}

[[noreturn]] void fail(const sqlite::Error& e) { throw StoreError(std::string("SQLite: ") + e.what()); }

// How text parameters are bound: read in place when the statement is stepped and reset within
// the call that was given them (Params outlive the call), copied when it is stepped later (a cursor).
enum class Texts { in_place, copied };

void bind(sqlite::Statement& statement, Params params, Texts texts, std::size_t first = 0, std::size_t count = SIZE_MAX) {
  count = std::min(count, params.size() - first);
  for (std::size_t i = 0; i < count; ++i) {
    const Param& p = params[first + i];
    const int index = static_cast<int>(i + 1);
    if (const auto* v = p.integer()) statement.bind(index, *v);
    else if (const auto* t = p.text()) texts == Texts::in_place ? statement.bind_in_place(index, *t) : statement.bind(index, *t);
    else statement.bind_null(index);
  }
}

void read_row(const sqlite::Statement& statement, int columns, std::vector<Cell>& cells) {
  for (int c = 0; c < columns; ++c) {
    switch (statement.type(c)) {
      case sqlite::Statement::Type::null: cells.emplace_back(); break;
      case sqlite::Statement::Type::integer: cells.emplace_back(statement.int64(c)); break;
      default: cells.emplace_back(statement.text(c));
    }
  }
}

// A statement of its own (not the connection's cache), stepped as the reader asks.
class SqliteCursor final : public Cursor {
 public:
  SqliteCursor(sqlite::Database& db, std::string_view sql, Params params) : statement_(db, positional(sql)) {
    bind(statement_, params, Texts::copied);
    columns_ = statement_.columns();
  }
  std::optional<Row> next() override {
    try {
      if (done_) return std::nullopt;  // stepping on would run the query again
      if (!statement_.step()) {
        done_ = true;
        return std::nullopt;
      }
      cells_.clear();
      read_row(statement_, columns_, cells_);
      return Row(cells_);
    } catch (const sqlite::Error& e) {
      fail(e);
    }
  }

 private:
  sqlite::Statement statement_;
  int columns_ = 0;
  bool done_ = false;
  std::vector<Cell> cells_;
};

// Group commit (Driver::write_grouped): the writers of one database file in this process queue
// here; the first finds no leader and leads, taking every writer queued (its own included, up
// to kMaxGroup) into one transaction on its connection, each under a savepoint, then answers
// them all. Writers that arrive meanwhile wait and form the next group. SQLite has one writer
// at a time anyway: a batch waits about as long for the lock, but what several batches touch
// in common — the leaves of the captures' indexes around the same days, the tallies, the device
// rows — is written and synced once instead of once per batch.
class GroupCommit {
 public:
  static std::shared_ptr<GroupCommit> of(const std::string& path) {
    static std::mutex mutex;
    static std::map<std::string, std::weak_ptr<GroupCommit>> groups;
    std::error_code ec;
    const auto canonical = std::filesystem::weakly_canonical(path, ec);
    std::lock_guard lock(mutex);
    auto& slot = groups[ec ? path : canonical.string()];
    auto group = slot.lock();
    if (!group) slot = group = std::make_shared<GroupCommit>();
    return group;
  }

  void run(Driver& mine, const std::function<void(Driver&)>& work) {
    Writer me{&work, nullptr, false};
    std::unique_lock lock(mutex_);
    queue_.push_back(&me);
    while (!me.done) {
      if (leading_) {
        changed_.wait(lock);
        continue;
      }
      leading_ = true;
      std::vector<Writer*> group;
      while (!queue_.empty() && group.size() < kMaxGroup) {
        group.push_back(queue_.front());
        queue_.pop_front();
      }
      lock.unlock();
      commit(mine, group);
      lock.lock();
      for (Writer* w : group) w->done = true;
      leading_ = false;
      changed_.notify_all();
    }
    lock.unlock();
    if (me.error) std::rethrow_exception(me.error);
  }

 private:
  // A group's transaction stays short: a batch of the largest size takes tens of milliseconds.
  static constexpr std::size_t kMaxGroup = 16;

  struct Writer {
    const std::function<void(Driver&)>* work;
    std::exception_ptr error;
    bool done;
  };

  static void commit(Driver& db, const std::vector<Writer*>& group) {
    try {
      Transaction tx(db);
      if (group.size() == 1) {
        (*group.front()->work)(db);  // alone: its failure is the transaction's
      } else {
        for (Writer* w : group) {
          db.exec("SAVEPOINT allervers_writer");
          try {
            (*w->work)(db);
          } catch (...) {
            w->error = std::current_exception();
            db.exec("ROLLBACK TO allervers_writer");  // if this throws, the whole group fails below
          }
          db.exec("RELEASE allervers_writer");
        }
      }
      tx.commit();
    } catch (...) {
      // Nothing of the group was kept: every writer not already failed gets this error.
      for (Writer* w : group)
        if (!w->error) w->error = std::current_exception();
    }
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Writer*> queue_;
  bool leading_ = false;
};

class SqliteDriver final : public Driver {
 public:
  explicit SqliteDriver(const std::string& path) : db_(open(path)), group_(GroupCommit::of(path)) {}

  void write_grouped(const std::function<void(Driver&)>& work) override {
    // Led from here, the group's transaction could not begin: one caller's mistake would fail the others.
    if (in_transaction()) throw std::logic_error("sql: write_grouped inside a transaction");
    group_->run(*this, work);
  }

  using Driver::exec;
  using Driver::for_each;
  using Driver::open_cursor;
  using Driver::query;

  const char* name() const override { return "sqlite"; }

  std::int64_t exec(std::string_view sql, Params params) override {
    try {
      auto q = db_->query(positional(sql));
      bind(*q, params, Texts::in_place);
      q->run();
      return db_->changes();
    } catch (const sqlite::Error& e) {
      fail(e);
    }
  }

  Rows query(std::string_view sql, Params params) override {
    try {
      auto q = db_->query(positional(sql));
      bind(*q, params, Texts::in_place);
      std::vector<Cell> cells;
      const int columns = q->columns();
      while (q->step()) read_row(*q, columns, cells);
      return Rows(columns, std::move(cells));
    } catch (const sqlite::Error& e) {
      fail(e);
    }
  }

  void for_each(std::string_view sql, Params params, const std::function<void(const Row&)>& visit) override {
    try {
      auto q = db_->query(positional(sql));
      bind(*q, params, Texts::in_place);
      const int columns = q->columns();
      std::vector<Cell> cells;
      while (q->step()) {
        cells.clear();
        read_row(*q, columns, cells);
        visit(Row(cells));
      }
    } catch (const sqlite::Error& e) {
      fail(e);
    }
  }

  std::unique_ptr<Cursor> open_cursor(std::string_view sql, Params params) override {
    try {
      return std::make_unique<SqliteCursor>(*db_, sql, params);
    } catch (const sqlite::Error& e) {
      fail(e);
    }
  }

  void add_counts(std::string_view table, std::span<const std::string_view> columns, Params values) override {
    if (!in_transaction()) throw std::logic_error("sql: add_counts outside a transaction");
    const std::size_t width = columns.size();
    if (width < 2) throw std::logic_error("sql: add_counts needs key columns and a count");
    std::string sql = "INSERT INTO " + std::string(table) + "(";
    std::string placeholders, key;
    for (std::size_t c = 0; c < width; ++c) {
      sql += (c ? ", " : "") + std::string(columns[c]);
      placeholders += (c ? ", ?" : "?") + std::to_string(c + 1);
      if (c + 1 < width) key += (c ? ", " : "") + std::string(columns[c]);
    }
    const std::string count(columns[width - 1]);
    sql += ") VALUES(" + placeholders + ") ON CONFLICT(" + key + ") DO UPDATE SET " + count + " = " + count + " + excluded." + count;
    try {
      auto q = db_->query(sql);
      for (std::size_t row = 0; row * width < values.size(); ++row) {
        bind(*q, values, Texts::in_place, row * width, width);
        q->run();
        q->reset();
      }
    } catch (const sqlite::Error& e) {
      fail(e);
    }
  }

  std::vector<std::size_t> insert_new(const BulkInsert& insert, Params values) override {
    if (!in_transaction()) throw std::logic_error("sql: insert_new outside a transaction");
    const std::size_t width = insert.columns.size();
    std::string sql = "INSERT INTO " + std::string(insert.table) + "(";
    std::string placeholders;
    for (std::size_t c = 0; c < width; ++c) {
      sql += (c ? ", " : "") + std::string(insert.columns[c]);
      placeholders += (c ? ", ?" : "?") + std::to_string(c + 1);
    }
    sql += ") VALUES(" + placeholders + (insert.held == Held::never ? ")" : ") ON CONFLICT DO NOTHING");
    std::vector<std::size_t> inserted;
    try {
      auto q = db_->query(sql);
      for (std::size_t row = 0; width > 0 && row * width < values.size(); ++row) {
        bind(*q, values, Texts::in_place, row * width, width);
        q->run();
        if (!insert.key.empty() && db_->changes() > 0) inserted.push_back(row);
        q->reset();
      }
    } catch (const sqlite::Error& e) {
      fail(e);
    }
    return inserted;
  }

  void begin() override { run("BEGIN IMMEDIATE"); }
  void commit() override { run("COMMIT"); }
  void rollback() noexcept override {
    try {
      if (db_->in_transaction()) db_->exec("ROLLBACK");
    } catch (...) {  // the connection is unusable: the next statement says so
    }
  }
  bool in_transaction() const override { return db_->in_transaction(); }

  void migrate(std::span<const SchemaStep> steps) override {
    std::vector<sqlite::Migration> migrations;
    for (const auto& s : steps) migrations.push_back({s.version, s.description, s.sqlite});
    try {
      sqlite::migrate(*db_, sqlite::Schema{migrations, "upgrade allervers-server"});
    } catch (const sqlite::Error& e) {
      fail(e);
    }
  }

 private:
  static std::unique_ptr<sqlite::Database> open(const std::string& path) {
    try {
      sqlite::DatabaseOptions options;
      options.create = true;
      options.busy_timeout_ms = kBusyTimeoutMs;
      options.private_file = true;  // 0600 whatever the umask: it holds the devices' token hashes and the office's data
      auto db = std::make_unique<sqlite::Database>(path, options);
      // secure_delete: a row rewritten (a secret encrypted in place) or deleted leaves no old
      // bytes in the file's free space for a copy of the file to reveal.
      // cache_size: 16 MiB of pages per connection (SQLite's default is 2 MiB). A batch of 1,000
      // captures from devices whose days overlap lands all over the captures' indexes; with
      // the default, a group commit's transaction spilled dirty pages to the journal before
      // its end and read them back (bench_sync, 20 devices: 9% less CPU with it).
      db->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON; "
               "PRAGMA cache_size=-16384;");
      return db;
    } catch (const sqlite::Error& e) {
      throw StoreError("cannot open the server database " + path + ": " + e.what() + ownership_hint(path));
    }
  }

  void run(const char* sql) {
    try {
      db_->exec(sql);
    } catch (const sqlite::Error& e) {
      fail(e);
    }
  }

  std::unique_ptr<sqlite::Database> db_;
  std::shared_ptr<GroupCommit> group_;
};

}  // namespace

std::unique_ptr<Driver> open_sqlite(const std::string& path) { return std::make_unique<SqliteDriver>(path); }

}  // namespace allervers::server::sql
