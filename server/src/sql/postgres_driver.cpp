// The PostgreSQL driver (libpq): for a territory's server, or several servers sharing one
// database. Bulk inserts go through COPY into a session-local staging table, then one
// INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING: a batch is a few statements whatever
// its size (docs/benchmarks.md measured it against json_to_recordset). Schema steps run under
// an advisory lock, so servers starting together upgrade once.
//
// Sections: a little RAII over libpq · the driver.
#include <libpq-fe.h>

#include <charconv>
#include <cstdint>
#include <set>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "allervers/server/sql.hpp"

namespace allervers::server::sql {
namespace {

// --- a little RAII over libpq ----------------------------------------------------------

constexpr std::int64_t kSchemaLock = 7242016;  // pg_advisory_xact_lock key of schema upgrades
constexpr int kFetchRows = 5000;               // rows a cursor fetch reads at once (for_each)

class Result {
 public:
  explicit Result(PGresult* r) : r_(r) {}
  ~Result() { PQclear(r_); }
  Result(Result&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  Result& operator=(Result&& o) noexcept {
    std::swap(r_, o.r_);
    return *this;
  }
  PGresult* get() const { return r_; }
  int rows() const { return PQntuples(r_); }
  int columns() const { return PQnfields(r_); }
  bool is_null(int row, int column) const { return PQgetisnull(r_, row, column) != 0; }
  std::string text(int row, int column) const {
    return std::string(PQgetvalue(r_, row, column), static_cast<std::size_t>(PQgetlength(r_, row, column)));
  }
  void append_row(int row, std::vector<Cell>& cells) const {
    for (int c = 0; c < columns(); ++c) {
      if (is_null(row, c)) cells.emplace_back();
      else cells.emplace_back(text(row, c));
    }
  }

 private:
  PGresult* r_;
};

// Parameters as libpq wants them: NUL-terminated text, or null pointers for NULL.
class TextParams {
 public:
  explicit TextParams(Params params) {
    held_.reserve(params.size());
    for (const auto& p : params) {
      if (const auto* v = p.integer()) held_.push_back(std::to_string(*v));
      else if (const auto* t = p.text()) held_.emplace_back(*t);
      else held_.emplace_back();
    }
    for (std::size_t i = 0; i < params.size(); ++i) values_.push_back(params[i].is_null() ? nullptr : held_[i].c_str());
  }
  int count() const { return static_cast<int>(values_.size()); }
  const char* const* values() const { return values_.data(); }

 private:
  std::vector<std::string> held_;
  std::vector<const char*> values_;
};

// A field of COPY's text format: backslash, tab and line breaks escaped.
void append_copy_field(std::string& out, const Param& p) {
  if (const auto* v = p.integer()) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, *v).ptr;
    out.append(digits, end);
    return;
  }
  const auto* t = p.text();
  if (!t) {
    out += "\\N";
    return;
  }
  // The plain stretches appended whole, the four characters COPY reads specially escaped.
  const char* plain = t->data();
  const char* const end = plain + t->size();
  for (const char* at = plain; at != end; ++at) {
    const char ch = *at;
    if (ch != '\\' && ch != '\t' && ch != '\n' && ch != '\r') continue;
    out.append(plain, at);
    out += '\\';
    out += ch == '\\' ? '\\' : ch == '\t' ? 't' : ch == '\n' ? 'n' : 'r';
    plain = at + 1;
  }
  out.append(plain, end);
}

std::string key_text(const Param& p) {
  if (const auto* v = p.integer()) return std::to_string(*v);
  if (const auto* t = p.text()) return std::string(*t);
  return {};
}

std::string redact(const std::string& conninfo) {  // no password in messages
  const auto at = conninfo.find('@');
  const auto scheme = conninfo.find("://");
  if (at == std::string::npos || scheme == std::string::npos) return conninfo;
  const auto colon = conninfo.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return conninfo;
  return conninfo.substr(0, colon) + ":***" + conninfo.substr(at);
}

// --- the driver ------------------------------------------------------------------------

class PostgresDriver final : public Driver {
 public:
  explicit PostgresDriver(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = PQerrorMessage(conn_);
      PQfinish(conn_);
      conn_ = nullptr;
      throw StoreError("cannot connect to PostgreSQL (" + redact(conninfo) + "): " + msg);
    }
    script("SET client_min_messages = warning");
  }
  ~PostgresDriver() override {
    if (conn_) PQfinish(conn_);
  }
  PostgresDriver(const PostgresDriver&) = delete;
  PostgresDriver& operator=(const PostgresDriver&) = delete;

  using Driver::exec;
  using Driver::for_each;
  using Driver::open_cursor;
  using Driver::query;

  const char* name() const override { return "postgresql"; }

  std::int64_t exec(std::string_view sql, Params params) override {
    Result r = run(sql, params);
    const char* changed = PQcmdTuples(r.get());
    return changed && *changed ? std::stoll(changed) : 0;
  }

  Rows query(std::string_view sql, Params params) override {
    Result r = run(sql, params);
    std::vector<Cell> cells;
    cells.reserve(static_cast<std::size_t>(r.rows()) * static_cast<std::size_t>(r.columns()));
    for (int i = 0; i < r.rows(); ++i) r.append_row(i, cells);
    return Rows(r.columns(), std::move(cells));
  }

  void for_each(std::string_view sql, Params params, const std::function<void(const Row&)>& visit) override {
    // In pages through a cursor, so an export of millions of rows does not sit in memory.
    const bool own = !in_transaction();
    if (own) begin();
    try {
      const std::string cursor = "allervers_cursor_" + std::to_string(++cursors_);
      run("DECLARE " + cursor + " NO SCROLL CURSOR FOR " + std::string(sql), params);
      const std::string fetch = "FETCH " + std::to_string(kFetchRows) + " FROM " + cursor;
      std::vector<Cell> cells;
      for (;;) {
        Result page = run(fetch, {});
        if (page.rows() == 0) break;
        for (int i = 0; i < page.rows(); ++i) {
          cells.clear();
          page.append_row(i, cells);
          visit(Row(cells));
        }
      }
      run("CLOSE " + cursor, {});
      if (own) commit();
    } catch (...) {
      if (own) rollback();
      throw;
    }
  }

  std::unique_ptr<Cursor> open_cursor(std::string_view sql, Params params) override {
    return std::make_unique<PgCursor>(*this, sql, params);
  }

  bool streams_bulk() const override { return true; }

  std::unique_ptr<BulkStream> stream_new(const BulkInsert& insert) override {
    if (!in_transaction()) throw std::logic_error("sql: stream_new outside a transaction");
    if (insert.held == Held::maybe) return nullptr;  // the staging way needs every row first
    std::string columns;
    for (std::size_t c = 0; c < insert.columns.size(); ++c) columns += (c ? ", " : "") + std::string(insert.columns[c]);
    if (insert.held == Held::rarely) script("SAVEPOINT allervers_bulk");
    return std::make_unique<CopyStream>(*this, "COPY " + std::string(insert.table) + "(" + columns + ") FROM STDIN",
                                        insert.held == Held::rarely ? Duplicates::tell : Duplicates::fail);
  }

  void add_counts(std::string_view table_name, std::span<const std::string_view> names, Params values) override {
    if (!in_transaction()) throw std::logic_error("sql: add_counts outside a transaction");
    const std::size_t width = names.size();
    if (width < 2) throw std::logic_error("sql: add_counts needs key columns and a count");
    if (values.size() < width) return;
    const std::string table(table_name);
    std::string columns;
    for (std::size_t c = 0; c < width; ++c) columns += (c ? ", " : "") + std::string(names[c]);
    const std::string staging = stage(table, columns, width, values);
    std::string key;
    for (std::size_t c = 0; c + 1 < width; ++c) key += (c ? ", " : "") + std::string(names[c]);
    const std::string count(names[width - 1]);
    // Summed per key first (ON CONFLICT DO UPDATE may touch a row once a statement), then
    // written in key order so that concurrent batches lock shared tallies in the same order.
    script("INSERT INTO " + table + "(" + key + ", " + count + ") SELECT " + key + ", CAST(SUM(" + count + ") AS BIGINT) FROM " +
           staging + " GROUP BY " + key + " ORDER BY " + key + " ON CONFLICT(" + key + ") DO UPDATE SET " + count + " = " + table +
           "." + count + " + excluded." + count);
  }

  std::vector<std::size_t> insert_new(const BulkInsert& insert, Params values) override {
    if (!in_transaction()) throw std::logic_error("sql: insert_new outside a transaction");
    const std::size_t width = insert.columns.size();
    const std::size_t rows = width ? values.size() / width : 0;
    if (rows == 0) return {};
    const std::string table(insert.table);
    std::string columns;
    std::size_t key_column = width;
    for (std::size_t c = 0; c < width; ++c) {
      columns += (c ? ", " : "") + std::string(insert.columns[c]);
      if (insert.columns[c] == insert.key) key_column = c;
    }
    const auto every_row = [&] {
      std::vector<std::size_t> all(key_column == width ? 0 : rows);
      for (std::size_t row = 0; row < all.size(); ++row) all[row] = row;
      return all;
    };
    // Straight into the table: one COPY, no staging table and no conflict check, which is what
    // costs most per row (docs/benchmarks.md).
    if (insert.held != Held::maybe) {
      auto stream = stream_new(insert);
      for (std::size_t row = 0; row < rows; ++row) stream->add(values.subspan(row * width, width));
      if (stream->finish()) return every_row();
      // a row is held: the staging way
    }
    const std::string staging = stage(table, columns, width, values);
    std::string sql = "INSERT INTO " + table + "(" + columns + ") SELECT " + columns + " FROM " + staging + " ON CONFLICT DO NOTHING";
    if (key_column == width) {
      run(sql, {});
      return {};
    }
    Result fresh_rows = run(sql + " RETURNING " + std::string(insert.key), {});
    std::unordered_set<std::string> fresh;
    for (int i = 0; i < fresh_rows.rows(); ++i) fresh.insert(fresh_rows.text(i, 0));
    // The first row with a fresh key was inserted; a later one with the same key was not.
    std::vector<std::size_t> inserted;
    for (std::size_t row = 0; row < rows && !fresh.empty(); ++row)
      if (fresh.erase(key_text(values[row * width + key_column])) > 0) inserted.push_back(row);
    return inserted;
  }

  void begin() override { script("BEGIN"); }
  void commit() override {
    used_.clear();
    script("COMMIT");
  }
  void rollback() noexcept override {
    used_.clear();
    staged_.clear();  // a staging table made in this transaction is gone with it
    try {
      script("ROLLBACK");
    } catch (...) {  // the connection is broken: the next statement says so
    }
  }
  bool in_transaction() const override {
    const auto status = PQtransactionStatus(conn_);
    return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
  }

  void migrate(std::span<const SchemaStep> steps) override {
    const int latest = steps.empty() ? 0 : steps.back().version;
    for (;;) {
      Transaction tx(*this);
      // Several servers may start at once on one database: one upgrades, the others wait.
      exec("SELECT pg_advisory_xact_lock(" + std::to_string(kSchemaLock) + ")", {});
      script("CREATE TABLE IF NOT EXISTS allervers_schema(version integer NOT NULL)");
      const int have = static_cast<int>(query("SELECT COALESCE(MAX(version), 0) FROM allervers_schema", {}).one().int64(0));
      if (have > latest)
        throw StoreError("the PostgreSQL database has schema version " + std::to_string(have) + ", newer than this allervers-server knows (" +
                         std::to_string(latest) + "): upgrade the server");
      if (have == latest) {
        tx.commit();
        return;
      }
      const SchemaStep& step = steps[static_cast<std::size_t>(have)];
      try {
        script(step.postgresql);
      } catch (const StoreError& e) {
        throw StoreError("upgrading the PostgreSQL database to schema version " + std::to_string(step.version) + " (" +
                         step.description + ") failed; it is unchanged at version " + std::to_string(have) + ": " + e.what());
      }
      exec("DELETE FROM allervers_schema", {});
      exec("INSERT INTO allervers_schema(version) VALUES($1)", {step.version});
      tx.commit();
    }
  }

 private:
  // A server-side cursor read a page at a time; in a transaction of its own when none is open.
  class PgCursor final : public Cursor {
   public:
    PgCursor(PostgresDriver& db, std::string_view sql, Params params)
        : db_(db), name_("allervers_cursor_" + std::to_string(++db.cursors_)), own_(!db.in_transaction()) {
      if (own_) db_.begin();
      try {
        db_.run("DECLARE " + name_ + " NO SCROLL CURSOR FOR " + std::string(sql), params);
      } catch (...) {
        if (own_) db_.rollback();
        throw;
      }
      open_ = true;
    }
    ~PgCursor() override { finish(); }
    PgCursor(const PgCursor&) = delete;
    PgCursor& operator=(const PgCursor&) = delete;

    std::optional<Row> next() override {
      if (!open_) return std::nullopt;
      if (!page_ || row_ >= page_->rows()) {
        page_.reset();
        try {
          page_.emplace(db_.run("FETCH " + std::to_string(kFetchRows) + " FROM " + name_, {}));
        } catch (...) {
          finish();
          throw;
        }
        row_ = 0;
        if (page_->rows() == 0) {
          finish();  // read to the end: the connection is free again
          return std::nullopt;
        }
      }
      cells_.clear();
      page_->append_row(row_++, cells_);
      return Row(cells_);
    }

   private:
    void finish() noexcept {
      if (!open_) return;
      open_ = false;
      page_.reset();
      try {
        if (db_.in_transaction() && PQtransactionStatus(db_.conn_) != PQTRANS_INERROR) db_.run("CLOSE " + name_, {});
        if (own_) db_.commit();
      } catch (...) {
        if (own_) db_.rollback();
      }
    }

    PostgresDriver& db_;
    std::string name_;
    bool own_ = false;
    bool open_ = false;
    std::optional<Result> page_;
    int row_ = 0;
    std::vector<Cell> cells_;
  };

  // Copies rows into this connection's staging table for `table` (made on first use, emptied at
  // each commit and before each reuse in a transaction); returns its name.
  std::string stage(const std::string& table, const std::string& columns, std::size_t width, Params values) {
    const std::string staging = "staging_" + table;
    if (!staged_.contains(table)) {
      script("CREATE TEMP TABLE IF NOT EXISTS " + staging + " (LIKE " + table + ") ON COMMIT DELETE ROWS");
      staged_.insert(table);
    }
    if (!used_.insert(table).second) script("TRUNCATE " + staging);  // used before in this transaction
    copy_in("COPY " + staging + "(" + columns + ") FROM STDIN", width, values);
    return staging;
  }

  Result run(std::string_view sql, Params params) {
    const std::string text(sql);
    const TextParams p(params);
    Result r(PQexecParams(conn_, text.c_str(), p.count(), nullptr, p.values(), nullptr, nullptr, 0));
    const auto status = PQresultStatus(r.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
      throw StoreError("PostgreSQL: " + std::string(PQresultErrorMessage(r.get())) + " in: " + text.substr(0, 120));
    return r;
  }
  Result run(const std::string& sql, std::initializer_list<Param> params) {
    return run(std::string_view(sql), Params(params.begin(), params.size()));
  }

  // Several statements without parameters.
  void script(const std::string& sql) {
    Result r(PQexec(conn_, sql.c_str()));
    const auto status = PQresultStatus(r.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
      throw StoreError("PostgreSQL: " + std::string(PQresultErrorMessage(r.get())) + " in: " + sql.substr(0, 120));
  }

  // COPY … FROM STDIN, its rows in COPY's text format sent a chunk at a time as they are
  // added, so that PostgreSQL reads and inserts the first rows while the last are being made.
  // With Duplicates::tell, a row whose key is held makes finish() false and the transaction
  // goes on from the savepoint taken before (stream_new); any other failure throws. A stream
  // left unfinished ends its COPY as failed: the transaction is then to be rolled back.
  enum class Duplicates { fail, tell };
  class CopyStream final : public BulkStream {
   public:
    CopyStream(PostgresDriver& db, std::string sql, Duplicates duplicates) : db_(db), sql_(std::move(sql)), duplicates_(duplicates) {
      Result start(PQexec(db_.conn_, sql_.c_str()));
      if (PQresultStatus(start.get()) != PGRES_COPY_IN)
        throw StoreError("PostgreSQL: " + std::string(PQerrorMessage(db_.conn_)) + " in: " + sql_.substr(0, 80));
      open_ = true;
      data_.reserve(kChunk + 4096);
    }
    ~CopyStream() override {
      if (!open_) return;
      PQputCopyEnd(db_.conn_, "abandoned by the server");  // the transaction fails; its owner rolls back
      for (PGresult* r = PQgetResult(db_.conn_); r; r = PQgetResult(db_.conn_)) PQclear(r);
    }
    CopyStream(const CopyStream&) = delete;
    CopyStream& operator=(const CopyStream&) = delete;

    void add(Params row) override {
      for (std::size_t c = 0; c < row.size(); ++c) {
        append_copy_field(data_, row[c]);
        data_ += c + 1 < row.size() ? '\t' : '\n';
      }
      if (data_.size() >= kChunk) send();
    }

    bool finish() override {
      if (!data_.empty()) send();
      open_ = false;
      if (PQputCopyEnd(db_.conn_, nullptr) != 1) throw StoreError("PostgreSQL: COPY failed: " + std::string(PQerrorMessage(db_.conn_)));
      bool copied = true;
      std::string failure;
      for (PGresult* r = PQgetResult(db_.conn_); r; r = PQgetResult(db_.conn_)) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
          const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
          const bool held = state && std::string_view(state) == "23505";  // unique_violation
          if (held && duplicates_ == Duplicates::tell) copied = false;
          else if (failure.empty()) failure = PQresultErrorMessage(r);
        }
        PQclear(r);
      }
      if (!failure.empty()) throw StoreError("PostgreSQL: " + failure + " in: " + sql_.substr(0, 80));
      if (!copied) db_.script("ROLLBACK TO SAVEPOINT allervers_bulk");
      return copied;
    }

   private:
    static constexpr std::size_t kChunk = 64 * 1024;
    void send() {
      if (PQputCopyData(db_.conn_, data_.data(), static_cast<int>(data_.size())) != 1)
        throw StoreError("PostgreSQL: COPY failed: " + std::string(PQerrorMessage(db_.conn_)));
      data_.clear();
    }

    PostgresDriver& db_;
    std::string sql_;
    Duplicates duplicates_;
    std::string data_;
    bool open_ = false;
  };

  void copy_in(const std::string& sql, std::size_t width, Params values) {
    CopyStream stream(*this, sql, Duplicates::fail);
    for (std::size_t at = 0; at + width <= values.size(); at += width) stream.add(values.subspan(at, width));
    stream.finish();
  }

  PGconn* conn_ = nullptr;
  std::set<std::string, std::less<>> staged_;  // staging tables made on this connection
  std::set<std::string, std::less<>> used_;    // … and filled in this transaction
  std::uint64_t cursors_ = 0;
};

}  // namespace

std::unique_ptr<Driver> open_postgresql(const std::string& conninfo) { return std::make_unique<PostgresDriver>(conninfo); }

}  // namespace allervers::server::sql
