// What the office's data needs of the SQL drivers, on SQLite and a real PostgreSQL alike: a
// cursor read at the reader's pace (and left half-read), and tallies added to in bulk.
#include <catch2/catch.hpp>

#include <array>

#include "allervers/server/sql.hpp"
#include "pg_instance.hpp"
#include "test_support.hpp"

using namespace allervers;
namespace sql = allervers::server::sql;

namespace {

std::vector<std::string> exercise(sql::Driver& db) {
  std::vector<std::string> said;
  db.exec("CREATE TABLE rows_(k INTEGER PRIMARY KEY, v TEXT)");
  {
    std::vector<std::string> texts;
    for (int i = 0; i < 12'345; ++i) texts.push_back("v" + std::to_string(i));
    std::vector<sql::Param> values;
    for (int i = 0; i < 12'345; ++i) values.insert(values.end(), {std::int64_t{i}, texts[static_cast<std::size_t>(i)]});
    sql::Transaction tx(db);
    db.insert_new({"rows_", std::array<std::string_view, 2>{"k", "v"}, {}}, values);
    tx.commit();
  }
  // Read to the end, in order, past PostgreSQL's page of 5,000 rows.
  {
    auto cursor = db.open_cursor("SELECT k, v FROM rows_ WHERE k >= $1 ORDER BY k", {std::int64_t{100}});
    std::int64_t n = 0, expected = 100;
    bool in_order = true;
    while (const auto row = cursor->next()) {
      in_order = in_order && row->int64(0) == expected && row->text(1) == "v" + std::to_string(expected);
      ++expected;
      ++n;
    }
    CHECK(n == 12'245);
    CHECK(in_order);
    CHECK_FALSE(cursor->next());  // and stays at its end
    CHECK_FALSE(db.in_transaction());  // PostgreSQL's own transaction ended with the rows
  }
  // Left half-read (a download cut short): the connection works on.
  {
    auto cursor = db.open_cursor("SELECT k FROM rows_ ORDER BY k", {});
    for (int i = 0; i < 7'000; ++i) REQUIRE(cursor->next());
  }
  CHECK_FALSE(db.in_transaction());
  said.push_back(db.query("SELECT COUNT(*) FROM rows_").one().text(0));
  // Two cursors at once, inside a transaction of the caller's.
  {
    sql::Transaction tx(db);
    auto a = db.open_cursor("SELECT k FROM rows_ WHERE k < 3 ORDER BY k", {});
    auto b = db.open_cursor("SELECT v FROM rows_ WHERE k < 3 ORDER BY k DESC", {});
    std::string both;
    for (int i = 0; i < 3; ++i) both += a->next()->text(0) + b->next()->text(0) + ",";
    said.push_back(both);
    CHECK(db.in_transaction());
    tx.commit();
  }
  CHECK_THROWS(db.open_cursor("SELECT nothing FROM nowhere", {}));
  CHECK(db.query("SELECT COUNT(*) FROM rows_").one().int64(0) == 12'345);

  // Tallies: counts added to the row of the same key, new keys inserted, equal keys of one
  // call summed first; only inside a transaction.
  db.exec("CREATE TABLE tally(a TEXT NOT NULL, b INTEGER NOT NULL, n BIGINT NOT NULL, PRIMARY KEY(a, b))");
  constexpr std::array<std::string_view, 3> columns = {"a", "b", "n"};
  const std::vector<sql::Param> first = {"x", std::int64_t{1}, std::int64_t{2}, "y", std::int64_t{1}, std::int64_t{5},
                                         "x", std::int64_t{1}, std::int64_t{3}, "tab\there", std::int64_t{-4}, std::int64_t{1}};
  CHECK_THROWS_AS(db.add_counts("tally", columns, first), std::logic_error);
  {
    sql::Transaction tx(db);
    db.add_counts("tally", columns, first);
    db.add_counts("tally", columns, std::vector<sql::Param>{"y", std::int64_t{1}, std::int64_t{10}, "z", std::int64_t{2}, std::int64_t{1}});
    tx.commit();
  }
  {
    sql::Transaction tx(db);  // rolled back: nothing added
    db.add_counts("tally", columns, std::vector<sql::Param>{"x", std::int64_t{1}, std::int64_t{1000}});
  }
  for (const auto row : db.query("SELECT a, b, n FROM tally ORDER BY a, b")) said.push_back(row.text(0) + "|" + row.text(1) + "|" + row.text(2));
  CHECK(said.size() == 6);
  return said;
}

}  // namespace

TEST_CASE("the SQL drivers: cursors and tallies answer alike on SQLite and PostgreSQL") {
  test::TempDir dir;
  auto lite = sql::open_sqlite((dir.path() / "office.db").string());
  const auto lite_said = exercise(*lite);
  test::PgInstance pg;
  auto postgres = sql::open_postgresql(pg.create_database("office"));
  const auto pg_said = exercise(*postgres);
  CHECK(lite_said == pg_said);
  CHECK(lite_said[1] == "0v2,1v1,2v0,");
  CHECK(lite_said[2] == "tab\there|-4|1");
  CHECK(lite_said[3] == "x|1|5");
  CHECK(lite_said[4] == "y|1|15");
}
