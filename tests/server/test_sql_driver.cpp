// The SQL driver layer the server's store is written over: the same calls on SQLite and on a
// real PostgreSQL give the same answers — parameters, NULLs, text that COPY must escape, the
// bulk insert's "which rows were new", transactions, streaming, schema steps, failures.
#include <catch2/catch.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "allervers/server/sql.hpp"
#include "pg_instance.hpp"

using namespace allervers;
using server::StoreError;
namespace sql = server::sql;

namespace {

// Text that COPY's text format must escape, and SQL's own quote and dollar.
const std::string kAwkward = "tab\there, line\nbreak, back\\slash \\N, return\r, quote ' and $1, café 🌳";

constexpr const char* kTable = "CREATE TABLE items(k TEXT PRIMARY KEY, n BIGINT, note TEXT)";

// What a driver answered, as lines: two drivers that answer alike give equal transcripts.
std::vector<std::string> exercise(sql::Driver& db) {
  std::vector<std::string> said;
  auto row_text = [](const sql::Row& row, int columns) {
    std::string out;
    for (int c = 0; c < columns; ++c) out += (c ? "|" : "") + (row.is_null(c) ? std::string("NULL") : row.text(c));
    return out;
  };

  db.exec(kTable);
  // exec: rows changed; a parameter used twice; NULL from an empty optional.
  CHECK(db.exec("INSERT INTO items(k, n, note) VALUES($1, $2, $3)", {"a", std::int64_t{1}, kAwkward}) == 1);
  CHECK(db.exec("INSERT INTO items(k, n, note) VALUES($1, $2, $1)", {"b", std::optional<std::int64_t>{}}) == 1);
  CHECK(db.exec("INSERT INTO items(k, n) VALUES($1, $2) ON CONFLICT DO NOTHING", {"a", std::int64_t{5}}) == 0);
  CHECK(db.exec("UPDATE items SET n = COALESCE(n, 0) + $1", {std::int64_t{10}}) == 2);

  // query: numbers and text come back alike; NULL is NULL.
  for (const auto row : db.query("SELECT k, n, note FROM items ORDER BY k")) said.push_back(row_text(row, 3));
  const auto a = db.query("SELECT n, note, CAST(NULL AS BIGINT) FROM items WHERE k = $1", {"a"}).one();
  CHECK(a.int64(0) == 11);
  CHECK(a.text(1) == kAwkward);
  CHECK(a.is_null(2));
  CHECK(a.opt_int64(2) == std::nullopt);
  CHECK_THROWS_AS(a.int64(1), StoreError);  // text is not a number
  // `$1` inside quoted text is text, not a parameter.
  CHECK(db.query("SELECT '$1 stays', CAST($1 AS TEXT)", {"x"}).one().text(0) == "$1 stays");
  // An optional filter: CAST($1 AS TEXT) IS NULL when absent.
  const char* filter = "SELECT COUNT(*) FROM items WHERE CAST($1 AS TEXT) IS NULL OR k = $1";
  CHECK(db.query(filter, {std::optional<std::string>{}}).one().int64(0) == 2);
  CHECK(db.query(filter, {std::optional<std::string>{"b"}}).one().int64(0) == 1);
  // RETURNING gives the rows written.
  said.push_back(db.query("UPDATE items SET n = n + 1 WHERE k = $1 RETURNING n", {"b"}).one().text(0));
  CHECK(db.query("SELECT k FROM items WHERE k = $1", {"none"}).empty());
  CHECK_THROWS_AS(db.query("SELECT k FROM items WHERE k = $1", {"none"}).one(), StoreError);

  // Transactions: rolled back unless committed, also when left by an exception.
  {
    sql::Transaction tx(db);
    CHECK(db.in_transaction());
    db.exec("INSERT INTO items(k) VALUES('gone')");
  }
  CHECK_FALSE(db.in_transaction());
  try {
    sql::Transaction tx(db);
    db.exec("INSERT INTO items(k) VALUES('gone too')");
    db.exec("INSERT INTO no_such_table VALUES(1)");
    tx.commit();
  } catch (const StoreError&) {
  }
  CHECK(db.query("SELECT COUNT(*) FROM items").one().int64(0) == 2);
  {
    sql::Transaction tx(db);
    db.exec("INSERT INTO items(k) VALUES('kept')");
    tx.commit();
  }
  CHECK(db.query("SELECT COUNT(*) FROM items").one().int64(0) == 3);

  // insert_new: new rows in, rows whose key is held (or repeated in the call) left out, and
  // which were new is told by index; only inside a transaction.
  constexpr std::array<std::string_view, 3> columns = {"k", "n", "note"};
  const std::vector<sql::Param> rows = {"a",     std::int64_t{7}, "held: left out",
                                        "c",     std::int64_t{3}, kAwkward,
                                        "d",     nullptr,         nullptr,
                                        "c",     std::int64_t{4}, "repeated in the call: left out",
                                        "kept",  std::int64_t{0}, "held: left out",
                                        "e\tf",  std::int64_t{-5}, ""};
  CHECK_THROWS_AS(db.insert_new({"items", columns, "k"}, rows), std::logic_error);
  {
    sql::Transaction tx(db);
    const auto inserted = db.insert_new({"items", columns, "k"}, rows);
    CHECK(inserted == std::vector<std::size_t>{1, 2, 5});
    // A second call in the same transaction sees only its own rows.
    const std::vector<sql::Param> more = {"g", std::int64_t{1}, "x", "c", std::int64_t{1}, "held"};
    CHECK(db.insert_new({"items", columns, "k"}, more) == std::vector<std::size_t>{0});
    CHECK(db.insert_new({"items", columns, {}}, std::vector<sql::Param>{"h", std::int64_t{2}, "no key asked"}).empty());
    tx.commit();
  }
  for (const auto row : db.query("SELECT k, n, note FROM items ORDER BY k")) said.push_back(row_text(row, 3));
  CHECK(db.query("SELECT note FROM items WHERE k = 'c'").one().text(0) == kAwkward);
  CHECK(db.query("SELECT n FROM items WHERE k = 'd'").one().is_null(0));
  CHECK(db.query("SELECT note FROM items WHERE k = $1", {"e\tf"}).one().text(0).empty());
  {
    // A rolled-back bulk insert leaves nothing, and the next one still works.
    sql::Transaction tx(db);
    db.insert_new({"items", columns, "k"}, std::vector<sql::Param>{"rolled back", std::int64_t{1}, "x"});
  }
  {
    sql::Transaction tx(db);
    CHECK(db.insert_new({"items", columns, "k"}, std::vector<sql::Param>{"after", std::int64_t{1}, "x"}).size() == 1);
    tx.commit();
  }
  CHECK(db.query("SELECT COUNT(*) FROM items WHERE k = 'rolled back'").one().int64(0) == 0);

  // Held::rarely gives the same rows as Held::maybe: straight in when nothing is held, and when a
  // row is held or repeated (PostgreSQL's COPY meets the key and takes the staging way) the new
  // ones only, the transaction going on. Held::never: a held row is an error, nothing skipped.
  {
    sql::Transaction tx(db);
    const std::vector<sql::Param> fresh = {"h-1", std::int64_t{1}, kAwkward, "h-2", nullptr, nullptr};
    CHECK(db.insert_new({"items", columns, "k", sql::Held::rarely}, fresh) == std::vector<std::size_t>{0, 1});
    const std::vector<sql::Param> mixed = {"h-3", std::int64_t{3}, "new",      "h-1", std::int64_t{9}, "held: left out",
                                           "h-4", std::int64_t{4}, "new",      "h-4", std::int64_t{5}, "repeated: left out"};
    CHECK(db.insert_new({"items", columns, "k", sql::Held::rarely}, mixed) == std::vector<std::size_t>{0, 2});
    CHECK(db.insert_new({"items", columns, "k", sql::Held::never}, std::vector<sql::Param>{"h-5", std::int64_t{5}, kAwkward}) ==
          std::vector<std::size_t>{0});
    CHECK(db.query("SELECT COUNT(*) FROM items WHERE k LIKE 'h-%'").one().int64(0) == 5);
    tx.commit();
  }
  for (const auto row : db.query("SELECT k, n, note FROM items WHERE k LIKE 'h-%' ORDER BY k")) said.push_back(row_text(row, 3));
  {
    sql::Transaction tx(db);
    CHECK_THROWS_AS(db.insert_new({"items", columns, {}, sql::Held::never}, std::vector<sql::Param>{"h-1", std::int64_t{1}, "held"}),
                    StoreError);
  }
  CHECK(db.query("SELECT n FROM items WHERE k = 'h-1'").one().int64(0) == 1);
  db.exec("DELETE FROM items WHERE k LIKE 'h-%'");

  // for_each streams a large result in order (more rows than PostgreSQL's cursor page).
  {
    std::vector<sql::Param> many;
    std::vector<std::string> keys;
    keys.reserve(12'000);
    for (int i = 0; i < 12'000; ++i) keys.push_back("m" + std::to_string(100'000 + i));
    for (const auto& k : keys) many.insert(many.end(), {k, std::int64_t{1}, nullptr});
    sql::Transaction tx(db);
    CHECK(db.insert_new({"items", columns, "k"}, many).size() == keys.size());
    tx.commit();
  }
  std::int64_t streamed = 0;
  std::string previous;
  bool ordered = true;
  db.for_each("SELECT k, n FROM items WHERE k >= $1 ORDER BY k", {"m"}, [&](const sql::Row& row) {
    ordered = ordered && row.text(0) > previous;
    previous = row.text(0);
    streamed += row.int64(1);
  });
  CHECK(streamed == 12'000);
  CHECK(ordered);

  // A statement the database refuses: StoreError, and the connection still works.
  CHECK_THROWS_AS(db.exec("INSERT INTO items(k) VALUES($1)", {"a"}), StoreError);
  CHECK_THROWS_AS(db.query("SELECT nothing FROM nowhere"), StoreError);
  CHECK(db.query("SELECT COUNT(*) FROM items").one().int64(0) == 12'009);
  said.push_back(std::to_string(db.query("SELECT COUNT(*) FROM items").one().int64(0)));
  return said;
}

const sql::SchemaStep kSteps[] = {
    {1, "a first table", "CREATE TABLE first(x INTEGER)", "CREATE TABLE first(x integer)"},
    {2, "a second table", "CREATE TABLE second(y TEXT)", "CREATE TABLE second(y text)"},
};

// Schema steps: applied once each, re-running is a no-op, a database newer than the steps
// known is refused, a failing step leaves the version where it was.
void schema_steps(const std::function<std::unique_ptr<sql::Driver>()>& open) {
  {
    auto db = open();
    db->migrate(std::span(kSteps).first(1));
    db->exec("INSERT INTO first(x) VALUES(1)");
    db->migrate(kSteps);
    db->migrate(kSteps);
    db->exec("INSERT INTO second(y) VALUES('two')");
    CHECK(db->query("SELECT COUNT(*) FROM first").one().int64(0) == 1);
  }
  {
    auto db = open();
    CHECK_THROWS_WITH(db->migrate(std::span(kSteps).first(1)), Catch::Contains("schema version 2"));
  }
  const sql::SchemaStep broken[] = {kSteps[0], kSteps[1], {3, "a step that fails", "CREATE TABLE first(x INTEGER)", "CREATE TABLE first(x integer)"}};
  auto db = open();
  CHECK_THROWS_WITH(db->migrate(broken), Catch::Contains("a step that fails"));
  db->migrate(kSteps);  // still at version 2
}

}  // namespace

TEST_CASE("the SQL drivers: SQLite and PostgreSQL answer the same calls alike") {
  test::TempDir dir;
  auto lite = sql::open_sqlite((dir.path() / "driver.db").string());
  CHECK(std::string(lite->name()) == "sqlite");
  const auto lite_said = exercise(*lite);

  test::PgInstance pg;
  auto postgres = sql::open_postgresql(pg.create_database("driver"));
  CHECK(std::string(postgres->name()) == "postgresql");
  const auto pg_said = exercise(*postgres);
  CHECK(lite_said == pg_said);
  CHECK(lite_said.size() == 17);

  schema_steps([&] { return sql::open_sqlite((dir.path() / "schema.db").string()); });
  const std::string schema_url = pg.create_database("schema");
  schema_steps([&] { return sql::open_postgresql(schema_url); });
}

TEST_CASE("the SQL drivers: what cannot be opened says where") {
  test::TempDir dir;
  CHECK_THROWS_WITH(sql::open_sqlite((dir.path() / "no" / "such" / "folder.db").string()),
                    Catch::Contains("cannot open the server database"));
  CHECK_THROWS_WITH(sql::open_postgresql("postgresql://nobody:secret@127.0.0.1:1/none"),
                    Catch::Contains("cannot connect to PostgreSQL") && !Catch::Contains("secret"));
}

// Group commit (Driver::write_grouped on SQLite): writers that arrive while another commits share
// the next transaction, run on the leader's connection, each under its own savepoint. One that
// throws gets its own error and keeps nothing; the others of its group commit; every writer
// returns only once its transaction is over.
TEST_CASE("the SQL drivers: SQLite's writers waiting together commit together, one failing alone") {
  test::TempDir dir;
  const std::string path = (dir.path() / "group.db").string();
  sql::open_sqlite(path)->exec(kTable);

  auto first = sql::open_sqlite(path);
  std::promise<void> leading, release;
  auto released = release.get_future().share();
  // The first writer leads and holds the lock until released: the next three queue meanwhile.
  std::thread leader([&] {
    first->write_grouped([&](sql::Driver& db) {
      db.exec("INSERT INTO items(k, n) VALUES('leader', 1)");
      leading.set_value();
      released.wait();
    });
  });
  leading.get_future().wait();

  std::vector<std::unique_ptr<sql::Driver>> connections;
  for (int i = 0; i < 3; ++i) connections.push_back(sql::open_sqlite(path));
  std::vector<std::string> errors(3);
  std::vector<const sql::Driver*> ran_on(3, nullptr);
  std::vector<std::thread> writers;
  std::atomic<int> started{0};
  for (int i = 0; i < 3; ++i)
    writers.emplace_back([&, i] {
      try {
        ++started;
        connections[static_cast<std::size_t>(i)]->write_grouped([&](sql::Driver& db) {
          ran_on[static_cast<std::size_t>(i)] = &db;
          db.exec("INSERT INTO items(k, n) VALUES($1, $2)", {"w" + std::to_string(i), std::int64_t{i}});
          if (i == 1) db.exec("INSERT INTO items(k, n) VALUES('leader', 2)");  // a held key: this writer fails
        });
      } catch (const std::exception& e) {
        errors[static_cast<std::size_t>(i)] = e.what();
      }
    });
  while (started < 3) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // all three queued behind the leader
  release.set_value();
  leader.join();
  for (auto& w : writers) w.join();

  // The three ran in one transaction on one connection (whichever led), not each on its own.
  CHECK(ran_on[0] == ran_on[1]);
  CHECK(ran_on[1] == ran_on[2]);
  CHECK(errors[0].empty());
  CHECK_THAT(errors[1], Catch::Contains("UNIQUE"));
  CHECK(errors[2].empty());
  auto check = sql::open_sqlite(path);
  std::vector<std::string> kept;
  for (const auto row : check->query("SELECT k FROM items ORDER BY k")) kept.push_back(row.text(0));
  CHECK(kept == std::vector<std::string>{"leader", "w0", "w2"});
  // A writer alone commits through the same call; inside a transaction it is refused at once.
  check->write_grouped([](sql::Driver& db) { db.exec("INSERT INTO items(k) VALUES('alone')"); });
  CHECK(check->query("SELECT COUNT(*) FROM items").one().int64(0) == 4);
  {
    sql::Transaction tx(*check);
    CHECK_THROWS_AS(check->write_grouped([](sql::Driver&) {}), std::logic_error);
  }
}

// PostgreSQL's writers run side by side: write_grouped is the writer's own transaction.
TEST_CASE("the SQL drivers: on PostgreSQL a grouped write is its own transaction") {
  test::PgInstance pg;
  auto db = sql::open_postgresql(pg.create_database("grouped"));
  db->exec(kTable);
  db->write_grouped([](sql::Driver& d) { d.exec("INSERT INTO items(k, n) VALUES('a', 1)"); });
  CHECK_THROWS(db->write_grouped([](sql::Driver& d) {
    d.exec("INSERT INTO items(k, n) VALUES('b', 1)");
    d.exec("INSERT INTO items(k, n) VALUES('a', 2)");
  }));
  CHECK(db->query("SELECT COUNT(*) FROM items").one().int64(0) == 1);
  CHECK_FALSE(db->in_transaction());
}
