// Upgrades: a database made by the previous release (tests/fixtures/server-0.1.0.sqlite) opens
// with this server, is migrated to its schema, keeps what it held and serves devices again.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

#include "allervers/server/backup.hpp"
#include "e2e_support.hpp"

namespace fs = std::filesystem;
using namespace allervers;
using namespace allervers::e2e;

namespace {
std::int64_t user_version(const fs::path& file) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nullptr);
  sqlite3_step(stmt);
  const std::int64_t version = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return version;
}
}  // namespace

TEST_CASE("the previous release's database is migrated, keeps its captures and devices, and serves") {
  test::TempDir dir;
  const fs::path file = dir / "server.db";
  fs::copy_file(fs::path(ALLERVERS_FIXTURES_DIR) / "server-0.1.0.sqlite", file);
  REQUIRE(user_version(file) == 2);
  const std::string database = "sqlite:" + file.string();

  ServerProcess server(database, dir.path());
  server.start();
  CHECK(user_version(file) == server::known_schema_version());

  const auto ids = exported_ids(database);
  const std::set<std::string> held(ids.begin(), ids.end());
  CHECK(held == std::set<std::string>{"019ab0c2-5e00-7000-8000-00000000a001", "019ab0c2-5e00-7000-8000-00000000a002",
                                      "019ab0c2-5e00-7000-8000-00000000a003", "019ab0c2-5e00-7000-8000-00000000b001",
                                      "019ab0c2-5e00-7000-8000-00000000b002", "019ab0c2-5e00-7000-8000-00000000c001"});
  CHECK_THAT(server_cli(database, {"list-devices"}).out, Catch::Contains("Tablette 0.1"));

  // A new device enrols with the town key the old release made, and syncs.
  auto store = make_device(dir / "device", "Tablette 2");
  core::SystemClock clock;
  sync::SyncClient client(store, clock, fast_options());
  client.enrol(server.url(), make_enrol_code(database, "Tablette 2"));
  add_captures(store, 50, 7);
  const auto report = client.sync();
  INFO(report.error);
  REQUIRE(report.ok());
  CHECK(report.accepted == 50);
  server.stop();
  CHECK(exported_ids(database).size() == 56);
}
