// The server's settings file (/etc/allervers/server.conf for the service, dist/server/):
// read for the global options and serve's, and refused with a sentence naming the file when
// it is missing, unreadable or holds a key the server does not know.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "e2e_support.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace allervers;

namespace {
test::RunResult server(const fs::path& settings, std::vector<std::string> args) {
  std::vector<std::string> argv{e2e::server_binary().string(), "--config", settings.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return test::run(argv);
}
}  // namespace

TEST_CASE("the settings file gives the database and serve's options") {
  test::TempDir dir;
  test::write_file(dir / "server.conf", "# a comment\ndatabase = \"sqlite:" + (dir / "town.db").string() +
                                            "\"\n\n[serve]\nlisten = \"127.0.0.1:0\"\nport-file = \"" +
                                            (dir / "port").string() + "\"\nquiet = true\n");
  const auto listed = server(dir / "server.conf", {"list-devices"});
  CHECK(listed.exit_code == 0);
  CHECK(fs::exists(dir / "town.db"));

  // serve with the file's listen address and port file, stopped by SIGTERM as systemd does.
  const auto served = test::run({"/usr/bin/timeout", "-s", "TERM", "3", e2e::server_binary().string(), "--config",
                                 (dir / "server.conf").string(), "serve"});
  CHECK(served.exit_code == 124);  // timeout's own: the server ran until told to stop
  CHECK_THAT(served.err, Catch::Contains("listening on http://127.0.0.1:"));
  REQUIRE(fs::exists(dir / "port"));
  CHECK(std::stoi(test::read_file(dir / "port")) > 0);
}

TEST_CASE("the command line wins over the settings file") {
  test::TempDir dir;
  test::write_file(dir / "server.conf", "database = \"sqlite:" + (dir / "from-file.db").string() + "\"\n");
  const auto r = server(dir / "server.conf", {"--database", "sqlite:" + (dir / "from-line.db").string(), "list-devices"});
  CHECK(r.exit_code == 0);
  CHECK(fs::exists(dir / "from-line.db"));
  CHECK_FALSE(fs::exists(dir / "from-file.db"));
}

TEST_CASE("a missing settings file is named, with the reason, and nothing is made") {
  test::TempDir dir;
  const auto r = server(dir / "absent.conf", {"--database", "sqlite:" + (dir / "town.db").string(), "list-devices"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("cannot read the settings file " + (dir / "absent.conf").string()) &&
                        Catch::Contains("No such file or directory"));
  CHECK_FALSE(fs::exists(dir / "town.db"));
}

TEST_CASE("a folder given as the settings file is named as one") {
  test::TempDir dir;
  const auto r = server(dir.path(), {"list-devices"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("cannot read the settings file " + dir.path().string() + ": it is a folder"));
}

TEST_CASE("an unreadable settings file is named, with the reason") {
  if (geteuid() == 0) {
    WARN("root reads any file: this case runs as another user only");
    return;
  }
  test::TempDir dir;
  test::write_file(dir / "server.conf", "database = \"sqlite:x.db\"\n");
  fs::permissions(dir / "server.conf", fs::perms::none);
  const auto r = server(dir / "server.conf", {"list-devices"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("cannot read the settings file") && Catch::Contains("Permission denied"));
}

TEST_CASE("a misspelt setting is refused by name, globally or in [serve]") {
  test::TempDir dir;
  test::write_file(dir / "top.conf", "databse = \"sqlite:" + (dir / "town.db").string() + "\"\n");
  const auto top = server(dir / "top.conf", {"list-devices"});
  CHECK(top.exit_code == 1);
  CHECK_THAT(top.err, Catch::Contains("the settings file " + (dir / "top.conf").string() + " is not valid") &&
                          Catch::Contains("databse"));

  test::write_file(dir / "serve.conf", "database = \"sqlite:" + (dir / "town.db").string() + "\"\n[serve]\nlistn = \"127.0.0.1:0\"\n");
  const auto serve = server(dir / "serve.conf", {"serve"});  // refused before listening: returns at once
  CHECK(serve.exit_code == 1);
  CHECK_THAT(serve.err, Catch::Contains("serve.listn"));
}

TEST_CASE("missing-translations lists, per consultation and language, the texts residents would see in French") {
  test::TempDir dir;
  auto doc = nlohmann::json::parse(test::read_file(test::assets_dir() / "demo" / "catalog.json"));
  doc["consultations"][0]["questions"][0]["label"].erase("ar");
  doc["consultations"][0]["questions"][1]["help"] = {{"fr", "Cochez tout ce qui vous concerne"}, {"en", "Tick all that apply"}};
  test::write_catalog_folder(dir.path(), doc.dump());
  const std::string db = (dir / "server.db").string();
  const auto published = test::run({e2e::server_binary().string(), "--database", db, "publish-catalog", (dir / "catalog.json").string()});
  REQUIRE(published.exit_code == 0);
  const auto all = test::run({e2e::server_binary().string(), "--database", db, "missing-translations"});
  CHECK(all.exit_code == 1);  // something is missing
  CHECK_THAT(all.out, Catch::Contains("place-jean-jaures v1, ar: 2 texts missing\n  question frequence\n  question usages, help\n"));
  CHECK_THAT(all.out, Catch::Contains("place-jean-jaures v1, en: complete\n"));
  CHECK_THAT(all.out, Catch::Contains("place-jean-jaures v1, tr: 1 text missing\n  question usages, help\n"));
  CHECK_THAT(all.out, Catch::Contains("budget-participatif-2027 v1, ar: complete\n"));
  const auto one = test::run({e2e::server_binary().string(), "--database", db, "missing-translations", "--consultation",
                              "budget-participatif-2027"});
  CHECK(one.exit_code == 0);
  CHECK_THAT(one.out, !Catch::Contains("place-jean-jaures"));
  const auto unknown = test::run({e2e::server_binary().string(), "--database", db, "missing-translations", "--consultation", "nope"});
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Catch::Contains("no consultation \"nope\""));
}

TEST_CASE("missing-translations names the texts with letters the kiosks cannot draw, in any language") {
  test::TempDir dir;
  auto doc = nlohmann::json::parse(test::read_file(test::assets_dir() / "demo" / "catalog.json"));
  doc["consultations"][0]["questions"][0]["label"]["ta"] = "சதுக்கத்தில்";       // Tamil: no kiosk font has it
  doc["consultations"][0]["questions"][1]["options"][0]["easy"]["fa"] = "بازار پنجشنبه";  // Persian: Forms-A
  test::write_catalog_folder(dir.path(), doc.dump());
  const std::string db = (dir / "server.db").string();
  REQUIRE(test::run({e2e::server_binary().string(), "--database", db, "publish-catalog", (dir / "catalog.json").string()}).exit_code == 0);
  const auto all = test::run({e2e::server_binary().string(), "--database", db, "missing-translations", "--language", "en"});
  CHECK(all.exit_code == 1);
  CHECK_THAT(all.out, Catch::Contains("place-jean-jaures v1, ta, question frequence: letters the kiosks cannot draw: U+0B9A ச"));
  CHECK_THAT(all.out, Catch::Contains("place-jean-jaures v1, fa, question usages, option marche, easy-read: letters the kiosks cannot draw: U+067E پ"));
  // The demo catalog itself: every letter drawn (Arabic, Turkish, Portuguese, Spanish).
  test::TempDir clean;
  test::write_catalog_folder(clean.path(), test::read_file(test::assets_dir() / "demo" / "catalog.json"));
  const std::string db2 = (clean / "server.db").string();
  REQUIRE(test::run({e2e::server_binary().string(), "--database", db2, "publish-catalog", (clean / "catalog.json").string()}).exit_code == 0);
  CHECK_THAT(test::run({e2e::server_binary().string(), "--database", db2, "missing-translations"}).out,
             !Catch::Contains("cannot draw"));
}
