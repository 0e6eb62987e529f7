// allervers-kiosk's command line refuses what would make a broken kiosk, before any window.
#include <catch2/catch.hpp>

#include "allervers/storage/device_store.hpp"
#include "test_support.hpp"

using namespace allervers;

namespace {
std::string kiosk() { return (test::binary_dir() / "app" / "allervers-kiosk").string(); }
}  // namespace

TEST_CASE("a kiosk without a staff PIN refuses to start and says how to set one") {
  test::TempDir dir;
  const auto r = test::run({kiosk(), "--data", (dir / "device").string(), "--kiosk"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--staff-pin"));
}

TEST_CASE("a staff PIN that is not 4 to 8 digits is refused") {
  test::TempDir dir;
  const auto r = test::run({kiosk(), "--data", (dir / "device").string(), "--kiosk", "--staff-pin", "12a4"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("4 to 8 digits"));
}

TEST_CASE("an office key that is not a public key is refused") {
  test::TempDir dir;
  const auto r = test::run({kiosk(), "--data", (dir / "device").string(), "--office-key", "bm90IGEga2V5"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--office-key"));
}

TEST_CASE("a broken translation file is named: French's stops the kiosk, another's is said and falls back") {
  test::TempDir dir;
  std::filesystem::create_directories(dir / "assets" / "i18n");
  std::filesystem::create_directories(dir / "assets" / "demo");
  test::write_file(dir / "assets" / "demo" / "catalog.json",
                   test::read_file(test::assets_dir() / "demo" / "catalog.json"));
  test::write_file(dir / "assets" / "i18n" / "fr.json", test::read_file(test::assets_dir() / "i18n" / "fr.json"));
  test::write_file(dir / "assets" / "i18n" / "de.json", "{\n  \"welcome.title\": 42\n}\n");
  // A town dropping in a file checks it first: each fault by file, line and key.
  const auto checked = test::run({kiosk(), "--data", (dir / "device").string(), "--assets", (dir / "assets").string(),
                                  "--check-translations"});
  CHECK(checked.exit_code == 3);
  CHECK_THAT(checked.err, Catch::Contains("de.json, line 2, key welcome.title: the value is not a text"));
  // French is what every language falls back to: broken, the kiosk does not start.
  test::write_file(dir / "assets" / "i18n" / "fr.json", "{\"welcome.title\": 42}");
  const auto r = test::run({kiosk(), "--data", (dir / "device").string(), "--assets", (dir / "assets").string()});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("fr.json"));
  CHECK_THAT(r.err, Catch::Contains("welcome.title"));
}

TEST_CASE("a damaged device database is refused with the reason, and left as found") {
  test::TempDir dir;
  std::filesystem::create_directories(dir / "device");
  const auto db = storage::DeviceStore::database_path(dir / "device");
  const std::string junk(8192, 'x');
  test::write_file(db, junk);
  const auto r = test::run({kiosk(), "--data", (dir / "device").string()});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("cannot open the device"));
  CHECK(test::read_file(db) == junk);
}

TEST_CASE("a window size that is not WxH is refused") {
  test::TempDir dir;
  const auto r = test::run({kiosk(), "--data", (dir / "device").string(), "--size", "big"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--size"));
}
