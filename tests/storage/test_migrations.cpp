// A database made by the first released schema opens and upgrades; its data survives.
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "allervers/sqlite/database.hpp"
#include "store_fixture.hpp"

using namespace allervers;
using namespace allervers::test;
using storage::DeviceStore;

namespace {

// Schema version 1 exactly as it shipped, frozen here: never edit it.
constexpr const char* kSchemaV1 = R"sql(
  CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE captures(
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    consultation TEXT NOT NULL,
    version INTEGER NOT NULL,
    captured_at_ms INTEGER NOT NULL,
    day TEXT NOT NULL,
    body TEXT NOT NULL);
  CREATE TABLE outbox(
    seq INTEGER PRIMARY KEY REFERENCES captures(seq),
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'acked', 'rejected')),
    attempts INTEGER NOT NULL DEFAULT 0,
    reason TEXT,
    updated_at_ms INTEGER);
  PRAGMA user_version = 1;
)sql";

void exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "?";
    sqlite3_free(error);
    FAIL("SQL failed: " << message);
  }
}

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += (c == '\'') ? std::string("''") : std::string(1, c);
  return out + "'";
}

}  // namespace

TEST_CASE("a version-1 database is upgraded step by step and keeps its captures", "[migrations]") {
  TempDir dir;
  const auto folder = dir.path() / "old-device";
  std::filesystem::create_directories(folder);
  core::UuidGenerator ids(5);
  const core::Uuid device = ids.next(kStoreNow.utc_ms);
  const core::Capture market = [&] {
    auto c = sample_opinion(ids, device, 3);
    c.channel = core::Channel::market;
    return c;
  }();
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(DeviceStore::database_path(folder).c_str(), &db) == SQLITE_OK);
    exec(db, kSchemaV1);
    exec(db, "INSERT INTO meta VALUES('device.id', " + quoted(device.str()) + "), ('device.name', 'Ancienne tablette'), "
             "('device.created_at', '2026-01-05T09:00:00.000+01:00'), ('catalog', " +
                 quoted(read_file(assets_dir() / "demo/catalog.json")) + ")");
    exec(db, "INSERT INTO captures(id, kind, consultation, version, captured_at_ms, day, body) VALUES(" + quoted(market.id.str()) +
                 ", 'opinion', 'place-jean-jaures', 1, " + std::to_string(market.captured_at.utc_ms) + ", " +
                 quoted(core::local_day(market.captured_at)) + ", " + quoted(core::canonical_json(market)) + ")");
    exec(db, "INSERT INTO outbox(seq, state) VALUES(1, 'pending')");
    sqlite3_close(db);
  }

  DeviceStore store = DeviceStore::open(folder);
  auto version = store.database().query("PRAGMA user_version");
  version->step();
  CHECK(version->int64(0) == storage::latest_schema_version());
  CHECK(store.identity().name == "Ancienne tablette");
  CHECK(store.identity().device == device);
  const auto found = store.find(market.id);
  REQUIRE(found);
  CHECK(found->capture == market);
  // Step 3 filled the new channel column from each capture's body.
  auto channel = store.database().query("SELECT channel FROM captures WHERE seq = 1");
  REQUIRE(channel->step());
  CHECK(channel->text(0) == "market");
  CHECK(store.pending(10, 1 << 20).size() == 1);
  // And the upgraded database takes new captures after the old ones.
  const auto next = store.add(valid(sample_opinion(ids, device, 4), store.catalog()));
  CHECK(next.seq == 2);
}

TEST_CASE("opening an up-to-date database twice migrates nothing", "[migrations]") {
  StoreFixture f;
  f.add(1);
  for (int i = 0; i < 3; ++i) f.store = DeviceStore::open(f.dir.path() / "device");
  CHECK(f.store.counts().total() == 1);
}
