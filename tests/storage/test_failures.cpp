// Failure paths: a database that is corrupt, too new, locked, read-only or full gives a clear
// error and never loses what was already saved.
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "allervers/sqlite/database.hpp"
#include "store_fixture.hpp"

using namespace allervers;
using namespace allervers::test;
using storage::DeviceStore;
using storage::StorageError;

namespace {

StorageError::Kind open_error(const std::filesystem::path& folder, storage::OpenOptions options = {}) {
  try {
    DeviceStore::open(folder, options);
  } catch (const StorageError& e) {
    INFO(e.what());
    return e.kind();
  }
  FAIL("the database opened");
  return StorageError::Kind::other;
}

std::string message_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const StorageError& e) {
    return e.what();
  }
  return "";
}

// Checkpoints the WAL into the main file so that file holds everything.
void checkpoint_and_close(DeviceStore& store, const std::filesystem::path& folder) {
  store.database().exec("PRAGMA wal_checkpoint(TRUNCATE)");
  store = DeviceStore::create(folder.parent_path() / "scratch", "x", kStoreNow);  // closes the original
}

}  // namespace

TEST_CASE("no database in the folder: say how to make one", "[failures]") {
  TempDir dir;
  const std::string message = message_of([&] { DeviceStore::open(dir.path() / "nowhere"); });
  CHECK(message.find("no device database in") != std::string::npos);
  CHECK(message.find("init") != std::string::npos);
}

TEST_CASE("a file that is not a database is refused and left untouched", "[failures]") {
  TempDir dir;
  const auto folder = dir.path() / "device";
  std::filesystem::create_directories(folder);
  const std::string garbage = "ceci n'est pas une base de données\n" + std::string(5000, '\x5a');
  write_file(DeviceStore::database_path(folder), garbage);
  CHECK(open_error(folder) == StorageError::Kind::corrupt);
  CHECK(read_file(DeviceStore::database_path(folder)) == garbage);
  write_file(DeviceStore::database_path(folder), "");
  CHECK(open_error(folder) == StorageError::Kind::corrupt);  // empty: not a device
}

TEST_CASE("a damaged page fails the integrity check — the file is left as found", "[failures]") {
  StoreFixture f;
  for (int i = 0; i < 300; ++i) f.add(i);
  const auto folder = f.dir.path() / "device";
  checkpoint_and_close(f.store, folder);
  const auto path = DeviceStore::database_path(folder);
  std::string bytes = read_file(path);
  REQUIRE(bytes.size() > 8 * 4096);
  for (std::size_t page = 2; page < 8; ++page)  // scribble over b-tree page headers and cell pointers
    for (std::size_t i = page * 4096; i < page * 4096 + 64; ++i) bytes[i] = '\x7f';
  write_file(path, bytes);
  std::string message;
  try {
    DeviceStore::open(folder);
  } catch (const StorageError& e) {
    message = e.what();
    CHECK(e.kind() == StorageError::Kind::corrupt);
  }
  CHECK(message.find("left untouched") != std::string::npos);
  CHECK(read_file(path) == bytes);
}

TEST_CASE("a database from a newer Aller-vers is refused untouched", "[failures]") {
  StoreFixture f;
  f.add(1);
  f.store.database().exec("PRAGMA user_version = 99");
  const auto folder = f.dir.path() / "device";
  checkpoint_and_close(f.store, folder);
  const std::string before = read_file(DeviceStore::database_path(folder));
  std::string message;
  try {
    DeviceStore::open(folder);
  } catch (const StorageError& e) {
    message = e.what();
    CHECK(e.kind() == StorageError::Kind::too_new);
  }
  CHECK(message.find("schema version 99, made by a newer Aller-vers") != std::string::npos);
  CHECK(read_file(DeviceStore::database_path(folder)) == before);
}

TEST_CASE("a database locked by another program: a clear error, nothing lost", "[failures]") {
  StoreFixture f;
  f.add(1);
  const auto folder = f.dir.path() / "device";
  sqlite::Database other(DeviceStore::database_path(folder), sqlite::DatabaseOptions{});
  other.exec("BEGIN EXCLUSIVE");
  DeviceStore store = DeviceStore::open(folder, storage::OpenOptions{false, 100, {}});
  std::string message;
  try {
    store.add(valid(sample_opinion(f.ids, store.identity().device, 2), f.catalog));
  } catch (const StorageError& e) {
    message = e.what();
    CHECK(e.kind() == StorageError::Kind::locked);
  }
  CHECK(message.find("another program is using the database") != std::string::npos);
  other.exec("ROLLBACK");
  CHECK(store.counts().total() == 1);
  CHECK(store.add(valid(sample_opinion(f.ids, store.identity().device, 3), f.catalog)).outcome ==
        storage::AddOutcome::stored);
}

TEST_CASE("a read-only database can be read but refuses captures clearly", "[failures]") {
  StoreFixture f;
  f.add(1);
  const auto folder = f.dir.path() / "device";
  DeviceStore reader = DeviceStore::open(folder, storage::OpenOptions{true, 100, {}});
  CHECK(reader.counts().total() == 1);
  std::string message;
  try {
    reader.add(valid(sample_opinion(f.ids, reader.identity().device, 2), f.catalog));
  } catch (const StorageError& e) {
    message = e.what();
    CHECK(e.kind() == StorageError::Kind::read_only);
  }
  CHECK(message.find("cannot be written") != std::string::npos);
  CHECK(f.store.counts().total() == 1);
}

TEST_CASE("a full disk refuses the next capture and keeps every earlier one", "[failures]") {
  StoreFixture f;
  const auto folder = f.dir.path() / "device";
  f.store = DeviceStore::open(folder, storage::OpenOptions{false, 5000, 40});  // 40 pages of 4 KiB
  std::vector<core::Uuid> saved;
  std::string message;
  for (int i = 0; i < 5000 && message.empty(); ++i) {
    auto c = sample_opinion(f.ids, f.store.identity().device, i);
    try {
      f.store.add(valid(c, f.catalog));
      saved.push_back(c.id);
    } catch (const StorageError& e) {
      CHECK(e.kind() == StorageError::Kind::full);
      message = e.what();
    }
  }
  REQUIRE_FALSE(message.empty());
  CHECK(message.find("the storage is full") != std::string::npos);
  CHECK(saved.size() > 20);
  f.store = DeviceStore::open(folder);  // no cap any more: everything saved is there, and more fits
  CHECK(f.store.counts().total() == static_cast<std::int64_t>(saved.size()));
  for (const auto& id : saved) CHECK(f.store.find(id));
  auto check = f.store.database().query("PRAGMA integrity_check");
  check->step();
  CHECK(check->text(0) == "ok");
  CHECK(f.add(9999).outcome == storage::AddOutcome::stored);
}
