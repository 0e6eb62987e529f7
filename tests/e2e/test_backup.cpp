// `allervers-server backup` and `restore` on SQLite: a backup taken while a device syncs is one
// moment of the database and serves again once restored; every refusal leaves the database as
// it was.
#include <sqlite3.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>
#include <thread>

#include "e2e_support.hpp"
#include "pg_instance.hpp"

namespace fs = std::filesystem;
using namespace allervers;
using namespace allervers::e2e;

namespace {

std::set<std::string> id_set(const std::string& database) {
  const auto ids = exported_ids(database);
  return {ids.begin(), ids.end()};
}

void set_user_version(const fs::path& file, int version) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, ("PRAGMA user_version=" + std::to_string(version)).c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
}

std::size_t files_named(const fs::path& dir, const std::string& part) {
  std::size_t n = 0;
  for (const auto& entry : fs::directory_iterator(dir)) n += entry.path().filename().string().find(part) != std::string::npos;
  return n;
}

}  // namespace

TEST_CASE("a backup taken while captures arrive is one moment, and serves again once restored") {
  test::TempDir dir;
  const std::string database = "sqlite:" + (dir / "server.db").string();
  ServerProcess server(database, dir.path());
  server.start();
  auto store = make_device(dir / "device", "Tablette 1");
  core::SystemClock clock;
  sync::SyncClient(store, clock, fast_options()).enrol(server.url(), make_enrol_code(database, "Tablette 1"));

  // The device adds and sends captures in rounds while the backup is taken.
  constexpr int kRounds = 8, kPerRound = 250;
  std::atomic<int> rounds_synced{0};
  std::atomic<bool> failed{false};
  std::thread device([&] {
    sync::SyncClient client(store, clock, fast_options());
    for (int round = 0; round < kRounds; ++round) {
      add_captures(store, kPerRound, 100 + static_cast<std::uint64_t>(round));
      if (!client.sync().ok()) failed = true;
      ++rounds_synced;
    }
  });
  while (rounds_synced < 2) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const auto backup = server_cli(database, {"backup", "--to", (dir / "backup.db").string()});
  device.join();
  REQUIRE_FALSE(failed);
  INFO(backup.err);
  REQUIRE(backup.exit_code == 0);
  CHECK_THAT(backup.out, Catch::Contains("Backup written to"));

  // Restored elsewhere: what the backup holds is what the live database held at some moment —
  // every capture in it is in the live one, at least the two rounds synced before it began.
  const std::string restored = "sqlite:" + (dir / "restored.db").string();
  const auto restore = server_cli(restored, {"restore", "--from", (dir / "backup.db").string()});
  INFO(restore.err);
  REQUIRE(restore.exit_code == 0);
  server.stop();
  const auto live = id_set(database);
  const auto saved = id_set(restored);
  CHECK(live.size() == static_cast<std::size_t>(kRounds * kPerRound));
  CHECK(saved.size() >= static_cast<std::size_t>(2 * kPerRound));
  CHECK(saved.size() <= live.size());
  for (const auto& id : saved) REQUIRE(live.count(id) == 1);

  // The restored database serves, and the device is still known there.
  ServerProcess again(restored, dir / "again");
  fs::create_directories(dir / "again");
  again.start();
  const auto devices = server_cli(restored, {"list-devices"});
  CHECK_THAT(devices.out, Catch::Contains("Tablette 1"));
  again.stop();
}

TEST_CASE("restore over a database keeps the one that was there beside it") {
  test::TempDir dir;
  const std::string database = "sqlite:" + (dir / "server.db").string();
  make_enrol_code(database, "Ancienne");
  REQUIRE(server_cli(database, {"backup", "--to", (dir / "backup.db").string()}).exit_code == 0);
  make_enrol_code(database, "Après la sauvegarde");
  const auto r = server_cli(database, {"restore", "--from", (dir / "backup.db").string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("kept as " + (dir / "server.db").string() + ".before-restore-"));
  CHECK(files_named(dir.path(), "server.db.before-restore-") >= 1);
}

TEST_CASE("refused backups and restores change nothing") {
  test::TempDir dir;
  const fs::path db_file = dir / "server.db";
  const std::string database = "sqlite:" + db_file.string();
  make_enrol_code(database, "Tablette 1");
  REQUIRE(server_cli(database, {"backup", "--to", (dir / "good.db").string()}).exit_code == 0);
  // The database as it is now, every write in its file (a command's connection checkpoints as it closes).
  std::string before = test::read_file(db_file);

  auto refused = [&](const fs::path& from, const std::string& why) {
    const auto r = server_cli(database, {"restore", "--from", from.string()});
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains(why));
    CHECK(test::read_file(db_file) == before);
    CHECK(files_named(dir.path(), "before-restore") == 0);
    CHECK_FALSE(fs::exists(db_file.string() + ".restoring"));
  };

  SECTION("a backup never overwrites a file") {
    test::write_file(dir / "taken.db", "mine");
    const auto r = server_cli(database, {"backup", "--to", (dir / "taken.db").string()});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("already exists"));
    CHECK(test::read_file(dir / "taken.db") == "mine");
  }
  SECTION("a truncated backup") {
    const std::string whole = test::read_file(dir / "good.db");
    test::write_file(dir / "cut.db", whole.substr(0, whole.size() / 2));
    refused(dir / "cut.db", "is truncated");
  }
  SECTION("a file that is not a database") {
    test::write_file(dir / "notes.db", "not a database at all, but long enough to hold a header of one hundred bytes......");
    refused(dir / "notes.db", "is not an SQLite database");
  }
  SECTION("a backup from a newer server") {
    fs::copy_file(dir / "good.db", dir / "newer.db");
    set_user_version(dir / "newer.db", 999);
    refused(dir / "newer.db", "made by a newer allervers-server (schema 999");
  }
  SECTION("a device's database, not a server's") {
    make_device(dir / "device", "Tablette");
    refused(storage::DeviceStore::database_path(dir / "device"), "is not a backup of an Aller-vers server's database");
  }
  SECTION("a database a server is serving") {
    ServerProcess server(database, dir.path());
    server.start();
    before = test::read_file(db_file);  // as the starting server left it
    refused(dir / "good.db", "a server is serving");
    server.stop();
    // Stopped, the same restore goes through.
    CHECK(server_cli(database, {"restore", "--from", (dir / "good.db").string()}).exit_code == 0);
  }
  SECTION("PostgreSQL is sent to its own tools") {
    const auto r = server_cli("postgresql://nobody@127.0.0.1:1/none", {"backup", "--to", (dir / "pg.dump").string()});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("pg_dump"));
    CHECK_FALSE(fs::exists(dir / "pg.dump"));
  }
}

TEST_CASE("PostgreSQL: pg_dump's backup while a server serves, restored once it is stopped - refusals change nothing") {
  test::PgInstance pg;
  const std::string database = pg.create_database("town");
  test::TempDir dir;
  ServerProcess server(database, dir.path());
  server.start();
  auto store = make_device(dir / "device", "Tablette PG");
  core::SystemClock clock;
  sync::SyncClient client(store, clock, fast_options());
  client.enrol(server.url(), make_enrol_code(database, "Tablette PG"));
  add_captures(store, 300, 41);
  REQUIRE(client.sync().ok());
  const auto at_backup = id_set(database);
  REQUIRE(at_backup.size() == 300);

  const fs::path backup = dir / "town.dump";
  auto r = server_cli(database, {"backup", "--to", backup.string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("schema"));
  CHECK_FALSE(fs::exists(backup.string() + ".partial"));

  // More arrives after the backup.
  add_captures(store, 200, 42);
  REQUIRE(client.sync().ok());
  REQUIRE(id_set(database).size() == 500);

  // A backup never overwrites a file.
  r = server_cli(database, {"backup", "--to", backup.string()});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("already exists"));

  // Not while a server is connected.
  r = server_cli(database, {"restore", "--from", backup.string()});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("stop them first"));
  CHECK(id_set(database).size() == 500);
  server.stop();

  // A truncated dump, a file that is not one: refused, nothing changed.
  const std::string whole = test::read_file(backup);
  test::write_file(dir / "cut.dump", whole.substr(0, whole.size() / 2));
  r = server_cli(database, {"restore", "--from", (dir / "cut.dump").string()});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("not a whole pg_dump file"));
  test::write_file(dir / "notes.dump", "not a dump");
  r = server_cli(database, {"restore", "--from", (dir / "notes.dump").string()});
  CHECK(r.exit_code == 1);
  CHECK(id_set(database).size() == 500);

  // The backup restored: the database is that moment again, and serves.
  r = server_cli(database, {"restore", "--from", backup.string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(id_set(database) == at_backup);
  ServerProcess again(database, dir.path());
  again.start();  // migrates if needed, and answers its health check
  CHECK(id_set(database) == at_backup);
}
