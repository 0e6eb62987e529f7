// allervers-kiosk's command line refuses what would make a broken kiosk, before any window.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

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
  test::write_catalog_folder(dir / "assets" / "demo", test::read_file(test::assets_dir() / "demo" / "catalog.json"));
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

TEST_CASE("the kiosk's --check-translations names the texts in a script no loaded font draws, by file and key") {
  test::TempDir dir;
  std::filesystem::create_directories(dir / "assets" / "i18n");
  // A catalog whose first question has a Tamil label the town added.
  auto catalog = nlohmann::json::parse(test::read_file(test::assets_dir() / "demo" / "catalog.json"));
  catalog["consultations"][0]["questions"][0]["label"]["ta"] = "நீங்கள் எத்தனை முறை சதுக்கத்தில் செல்கிறீர்கள்?";
  test::write_catalog_folder(dir / "assets" / "demo", catalog.dump());
  for (const char* language : {"fr", "ar", "tr"})
    test::write_file(dir / "assets" / "i18n" / (std::string(language) + ".json"),
                     test::read_file(test::assets_dir() / "i18n" / (std::string(language) + ".json")));
  // A Tamil file, and a Chinese text slipped into another.
  test::write_file(dir / "assets" / "i18n" / "ta.json",
                   "{\n  \"language.name\": \"தமிழ்\",\n  \"welcome.title\": \"வரவேற்கிறோம்\",\n  \"nav.next\": \"Next\"\n}\n");
  test::write_file(dir / "assets" / "i18n" / "de.json", "{\n  \"welcome.title\": \"Willkommen 欢迎\"\n}\n");
  const auto r = test::run({kiosk(), "--data", (dir / "device").string(), "--assets", (dir / "assets").string(),
                            "--check-translations"});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Catch::Contains("ta.json, key language.name: characters no font draws"));
  CHECK_THAT(r.err, Catch::Contains("ta.json, key welcome.title"));
  CHECK_THAT(r.err, Catch::Contains("U+0BB5 வ"));
  CHECK_THAT(r.err, Catch::Contains("de.json, key welcome.title: characters no font draws (install a font for them): U+6B22 欢, U+8FCE 迎"));
  CHECK_THAT(r.err, Catch::Contains("catalog: consultation place-jean-jaures v1, question frequence, label (ta): characters no font draws"));
  CHECK_THAT(r.err, !Catch::Contains("nav.next"));
  CHECK_THAT(r.err, !Catch::Contains("ar.json, key"));  // Arabic and Turkish are drawn
  CHECK_THAT(r.err, !Catch::Contains("tr.json, key"));
}
