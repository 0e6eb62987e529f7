#pragma once
// The small SQL driver the server's store is written over, once: statements with positional
// parameters ($1, $2 …), rows read back as integers or text, transactions, a bulk-insert hook
// and numbered schema steps. Two drivers: SQLite (on allervers::sqlite) and PostgreSQL
// (libpq). What differs between the two databases lives in the drivers and, where the SQL
// itself must differ, in a schema step's per-dialect text — nowhere else.
//
// Portable SQL, as both drivers run it: `$N` parameters (a parameter may be used twice),
// `CAST(x AS TEXT)` / `CAST($1 AS BIGINT)` where PostgreSQL must be told a type, `ON CONFLICT
// … DO NOTHING / DO UPDATE`, `RETURNING`, `COALESCE`, `CASE`. Not portable: `::` casts,
// `FOR UPDATE`, `FILTER`, JSON functions, arrays.
//
// Sections: errors · parameters · rows · cursors · the driver · transactions · opening.
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace allervers::server {

// --- errors ----------------------------------------------------------------------------

// The database failed (unreachable, locked, full, a statement refused): what failed and where.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace sql {

// --- parameters ------------------------------------------------------------------------

// A value for one positional parameter: NULL, a whole number or text. Text is not copied:
// what it points to must outlive the call.
class Param {
 public:
  Param(std::nullptr_t) {}  // NOLINT: implicit on purpose, parameters read as a list of values
  Param(std::int64_t v) : value_(v) {}
  Param(std::int32_t v) : value_(std::int64_t{v}) {}
  Param(std::uint32_t v) : value_(std::int64_t{v}) {}
  Param(std::string_view v) : value_(v) {}
  Param(const std::string& v) : value_(std::string_view(v)) {}
  Param(const char* v) : value_(std::string_view(v)) {}
  Param(const std::optional<std::int64_t>& v) {
    if (v) value_ = *v;
  }
  Param(const std::optional<std::string>& v) {
    if (v) value_ = std::string_view(*v);
  }

  bool is_null() const { return std::holds_alternative<std::monostate>(value_); }
  const std::int64_t* integer() const { return std::get_if<std::int64_t>(&value_); }
  const std::string_view* text() const { return std::get_if<std::string_view>(&value_); }

 private:
  std::variant<std::monostate, std::int64_t, std::string_view> value_;
};

using Params = std::span<const Param>;

// --- rows ------------------------------------------------------------------------------

// One value as read back. SQLite gives integers as integers; PostgreSQL gives every value as
// its text, converted when asked for as a number.
using Cell = std::variant<std::monostate, std::int64_t, std::string>;

// One row; columns counted from 0. A view, valid while the Rows (or the visit) that gave it
// lasts — except the row `one()` takes from a temporary Rows, which holds its values.
class Row {
 public:
  explicit Row(std::span<const Cell> cells) : cells_(cells) {}
  explicit Row(std::vector<Cell> cells)
      : held_(std::make_shared<const std::vector<Cell>>(std::move(cells))), cells_(*held_) {}
  bool is_null(int column) const;
  std::int64_t int64(int column) const;  // throws StoreError when the value is not a whole number
  std::optional<std::int64_t> opt_int64(int column) const;
  std::string text(int column) const;  // "" for NULL

 private:
  const Cell& at(int column) const;
  std::shared_ptr<const std::vector<Cell>> held_;
  std::span<const Cell> cells_;
};

// Every row of a query's result, held in memory (use Driver::for_each for large results).
class Rows {
 public:
  Rows() = default;
  Rows(int columns, std::vector<Cell> cells) : columns_(columns), cells_(std::move(cells)) {}
  std::size_t size() const { return columns_ ? cells_.size() / static_cast<std::size_t>(columns_) : 0; }
  bool empty() const { return size() == 0; }
  Row operator[](std::size_t row) const;
  // The first row; throws StoreError when there is none.
  Row one() const&;
  Row one() &&;

  class iterator {
   public:
    iterator(const Rows* rows, std::size_t row) : rows_(rows), row_(row) {}
    Row operator*() const { return (*rows_)[row_]; }
    iterator& operator++() {
      ++row_;
      return *this;
    }
    bool operator!=(const iterator& other) const { return row_ != other.row_; }

   private:
    const Rows* rows_;
    std::size_t row_;
  };
  iterator begin() const { return {this, 0}; }
  iterator end() const { return {this, size()}; }

 private:
  int columns_ = 0;
  std::vector<Cell> cells_;
};

// --- cursors ---------------------------------------------------------------------------

// A large result read at the reader's pace, a row at a time (exports pulled by an HTTP
// response): memory stays flat however many rows. SQLite steps one statement of its own;
// PostgreSQL reads through a server-side cursor in pages (inside a transaction the cursor
// opens when none is open, ended when the cursor is destroyed). Use the connection for nothing
// else that writes while a cursor is open; destroy the cursor before the Driver.
class Cursor {
 public:
  virtual ~Cursor() = default;
  // The next row, valid until the next call; nothing after the last one.
  virtual std::optional<Row> next() = 0;
};

// --- the driver ------------------------------------------------------------------------

// How likely the rows of a bulk insert are to be held already; it chooses the way in.
enum class Held {
  // Any row may be held (the default): PostgreSQL copies them into a staging table, then one
  // INSERT … SELECT … ON CONFLICT DO NOTHING.
  maybe,
  // Rarely (a device's batch is sent again only when its answer was lost): PostgreSQL copies
  // them straight into the table under a savepoint, and takes the staging way only when that
  // meets a held key. What is inserted is the same either way.
  rarely,
  // Never: the rows hang off rows this transaction has just inserted (a new capture's free
  // texts, its idea row, its flags). A plain bulk insert, COPY on PostgreSQL; a row that is
  // held after all is an error (StoreError), not skipped.
  never,
};

// Rows added by Driver::insert_new: `values` holds `columns.size()` parameters a row.
struct BulkInsert {
  std::string_view table;
  std::span<const std::string_view> columns;
  // The column whose value tells which rows were inserted (the conflict key); empty when the
  // caller does not need to know.
  std::string_view key;
  Held held = Held::maybe;
};

// A numbered step of a schema, with its text for each database. Where the two agree, both
// point to the same text. Never edit a step that has shipped: add one.
struct SchemaStep {
  int version;
  const char* description;
  const char* sqlite;
  const char* postgresql;
};

// Rows copied into a table while they are still being made (Driver::stream_new): each added as
// soon as it is known, so that the database inserts the first rows while the caller works on the
// next. Nothing else may use the connection until finish() (or the stream's end, which abandons
// the rows and leaves the transaction to be rolled back).
class BulkStream {
 public:
  virtual ~BulkStream() = default;
  virtual void add(Params row) = 0;
  // True when every row was inserted; false when a row was held already (Held::rarely): then
  // none was, the transaction goes on, and the caller inserts them again with Held::maybe.
  // A held row with Held::never, or any other failure, throws.
  virtual bool finish() = 0;
};

// One connection: use it from one thread.
class Driver {
 public:
  virtual ~Driver() = default;
  virtual const char* name() const = 0;  // "sqlite" or "postgresql"

  // One statement; returns how many rows it changed.
  virtual std::int64_t exec(std::string_view sql, Params params) = 0;
  std::int64_t exec(std::string_view sql, std::initializer_list<Param> params = {}) {
    return exec(sql, Params(params.begin(), params.size()));
  }
  // One statement's rows (a SELECT, or a write with RETURNING).
  virtual Rows query(std::string_view sql, Params params) = 0;
  Rows query(std::string_view sql, std::initializer_list<Param> params = {}) {
    return query(sql, Params(params.begin(), params.size()));
  }
  // A large result row by row, never held whole (exports).
  virtual void for_each(std::string_view sql, Params params, const std::function<void(const Row&)>& visit) = 0;
  void for_each(std::string_view sql, std::initializer_list<Param> params, const std::function<void(const Row&)>& visit) {
    for_each(sql, Params(params.begin(), params.size()), visit);
  }

  // Adds rows to a table, each unless it conflicts with a row already held (or an earlier row
  // of the same call): `INSERT … ON CONFLICT DO NOTHING`, row by row on SQLite, through COPY
  // on PostgreSQL (see Held). Returns the indexes of the rows inserted, in order (only when
  // `insert.key` is named). With Held::never a held row is an error instead. Inside a
  // transaction.
  virtual std::vector<std::size_t> insert_new(const BulkInsert& insert, Params values) = 0;

  // A bulk insert whose rows are sent as they are added (BulkStream), for rows held rarely or
  // never; nullptr when the driver has no such way (SQLite, where a row costs the same either
  // way): the caller then gathers the rows and calls insert_new. Inside a transaction.
  virtual std::unique_ptr<BulkStream> stream_new(const BulkInsert& insert) {
    (void)insert;
    return nullptr;
  }
  // Whether stream_new gives streams (then a caller may open its transaction early for one).
  virtual bool streams_bulk() const { return false; }

  // Opens a cursor over one query's rows (see Cursor). The parameters are read at once.
  virtual std::unique_ptr<Cursor> open_cursor(std::string_view sql, Params params) = 0;
  std::unique_ptr<Cursor> open_cursor(std::string_view sql, std::initializer_list<Param> params) {
    return open_cursor(sql, Params(params.begin(), params.size()));
  }

  // Adds counts to a table of tallies: each row's last column is a count, the columns before
  // it its key (the table's primary key, in order). A row whose key is held adds its count to
  // the one held; others are inserted. Rows with equal keys in one call are summed first.
  // PostgreSQL updates the rows in key order, so two transactions adding to the same tallies
  // wait for each other instead of deadlocking. Inside a transaction.
  virtual void add_counts(std::string_view table, std::span<const std::string_view> columns, Params values) = 0;

  // Runs `work` in a write transaction and commits it; returns once that transaction committed,
  // throws what `work` threw or the commit's error (and then nothing of `work` is kept).
  // SQLite: the writers of one database file in this process that arrive while another commits
  // share the next transaction (group commit), each under its own savepoint so that one that
  // throws leaves the others to commit; it runs on whichever of their connections leads, so
  // `work` must use only the Driver it is given. Pages the writers share (the indexes' leaves,
  // the tallies) are written once for all, and the file synced once. PostgreSQL, whose writers
  // run side by side, runs `work` alone in its own transaction.
  virtual void write_grouped(const std::function<void(Driver&)>& work);

  // Transactions (see sql::Transaction). SQLite takes the write lock at begin.
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;
  virtual bool in_transaction() const = 0;

  // Creates or upgrades the schema, one step per transaction; a database made by a newer
  // server is refused by name. Several servers starting at once upgrade it once.
  virtual void migrate(std::span<const SchemaStep> steps) = 0;
};

// --- transactions ----------------------------------------------------------------------

// Begins in its constructor, rolls back in its destructor unless commit() ran; never throws
// from the destructor.
class Transaction {
 public:
  explicit Transaction(Driver& db) : db_(db) { db_.begin(); }
  ~Transaction() {
    if (!done_) db_.rollback();
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit() {
    db_.commit();
    done_ = true;
  }

 private:
  Driver& db_;
  bool done_ = false;
};

// --- opening ---------------------------------------------------------------------------

// A file, created when missing: WAL, synchronous=FULL, foreign keys on, a 10 s busy timeout.
std::unique_ptr<Driver> open_sqlite(const std::string& path);
// A libpq connection string or URL ("postgresql://user@host:5432/db").
std::unique_ptr<Driver> open_postgresql(const std::string& conninfo);

}  // namespace sql
}  // namespace allervers::server
