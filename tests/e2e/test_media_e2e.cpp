// Media end to end: a real allervers-server process and real devices (allervers-device).
// Pictograms named in a catalog file are published by the CLI (checked, kept by their
// SHA-256, the catalog rewritten to name them so); a project's picture is kept as the console
// keeps it; GET /api/v1/media/HASH serves them to enrolled devices only, immutable; a device's
// sync fetches what it lacks once, checks each file against its name and keeps it in its
// database; a file damaged on the server (other bytes, too many bytes) is refused and
// reported, never kept, and fetched at a later sync once repaired; the device keeps its
// pictures with the server gone.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <map>

#include "allervers/core/media.hpp"
#include "allervers/core/settings.hpp"
#include "allervers/crypto/base64.hpp"
#include "allervers/crypto/hash.hpp"
#include "allervers/server/admin.hpp"
#include "allervers/server/media.hpp"
#include "allervers/server/store.hpp"
#include "allervers/server/vote_admin.hpp"
#include "allervers/sync/protocol.hpp"
#include "e2e_support.hpp"
#include "media_samples.hpp"
#include "raw_http.hpp"

#include <nlohmann/json.hpp>

using namespace allervers;
using namespace allervers::e2e;
using nlohmann::json;

namespace {

std::string device_binary() { return (test::binary_dir() / "device" / "allervers-device").string(); }

// The server's media row changed behind its back (a damaged disk, a bad restore).
void replace_media_bytes(const std::filesystem::path& db, const std::string& hash, const std::string& bytes) {
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(h, "UPDATE media SET data_base64 = ?1 WHERE hash = ?2", -1, &st, nullptr) == SQLITE_OK);
  const std::string b64 = crypto::to_base64(std::string_view(bytes));
  sqlite3_bind_text(st, 1, b64.c_str(), static_cast<int>(b64.size()), SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, hash.c_str(), static_cast<int>(hash.size()), SQLITE_TRANSIENT);
  REQUIRE(sqlite3_step(st) == SQLITE_DONE);
  CHECK(sqlite3_changes(h) == 1);
  sqlite3_finalize(st);
  sqlite3_close(h);
}

// The demo catalog without its own pictograms.
json demo_without_pictograms() {
  auto doc = json::parse(test::read_file(test::assets_dir() / "demo" / "catalog.json"));
  for (auto& consultation : doc["consultations"])
    for (auto& question : consultation["questions"]) {
      question.erase("pictogram");
      for (auto& option : question["options"]) option.erase("pictogram");
    }
  return doc;
}

// The demo catalog with pictograms on its first question and that question's first option
// only (this test counts the files a device fetches).
json catalog_with_pictograms(const std::string& question_png, const std::string& option_png) {
  auto doc = demo_without_pictograms();
  auto& q = doc["consultations"][0]["questions"][0];
  q["pictogram"] = question_png;
  q["options"][0]["pictogram"] = option_png;
  return doc;
}

}  // namespace

TEST_CASE("pictures and pictograms reach a device checked against their names, a damaged one refused, then fetched once repaired") {
  if (!std::filesystem::exists(device_binary())) FAIL("allervers-device was not built: " << device_binary());
  test::TempDir dir;
  const auto db_path = dir.path() / "server.db";
  const std::string database = "sqlite:" + db_path.string();

  // --- a catalog file with its pictograms beside it, published by the CLI ---
  const std::string velo = test::png_image(96, 96, 0), bus = test::png_image(96, 96, 60);
  const std::string velo_hash = crypto::sha256_hex(velo), bus_hash = crypto::sha256_hex(bus);
  const auto catalog_dir = dir.path() / "catalogue";
  std::filesystem::create_directories(catalog_dir);
  test::write_file(catalog_dir / "velo.png", velo);
  test::write_file(catalog_dir / "bus.png", bus);
  test::write_file(catalog_dir / "catalog.json", catalog_with_pictograms("velo.png", "bus.png").dump(2));
  {
    const auto r = server_cli(database, {"publish-catalog", (catalog_dir / "catalog.json").string()});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
  }
  // A pictogram that is not a usable PNG stops the publication, naming it and what is wrong.
  const std::string jpeg_as_png = test::jpeg_image(40, 40), truncated = velo.substr(0, velo.size() / 2);
  const std::vector<std::pair<std::string, std::string>> bad = {
      {truncated, "damaged"}, {test::png_claiming(5000, 5000), "5000 × 5000 pixels"}, {jpeg_as_png, "a pictogram is a PNG"}};
  for (const auto& [bytes, said] : bad) {
    test::write_file(catalog_dir / "casse.png", bytes);
    test::write_file(catalog_dir / "bad.json", catalog_with_pictograms("velo.png", "casse.png").dump());
    const auto r = server_cli(database, {"publish-catalog", (catalog_dir / "bad.json").string()});
    INFO(said << ": " << r.err);
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("questions[0].options[0].pictogram") != std::string::npos);
    CHECK(r.err.find("casse.png") != std::string::npos);
    CHECK(r.err.find(said) != std::string::npos);
  }

  // A media name the server does not hold is refused too: devices would ask for it in vain.
  {
    test::write_file(catalog_dir / "unknown.json", catalog_with_pictograms("velo.png", std::string(64, 'a')).dump());
    const auto r = server_cli(database, {"publish-catalog", (catalog_dir / "unknown.json").string()});
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("the catalog names the media file " + std::string(64, 'a') + ", which this server does not hold") != std::string::npos);
  }

  // --- a vote whose project has a picture, kept as the console keeps it ---
  const std::string picture = test::jpeg_image(800, 600);
  const std::string picture_hash = crypto::sha256_hex(picture);
  {
    auto store = server::open_store(database);
    const auto now = core::SystemClock().now();
    const auto published = server::merge_catalogs(store->catalogs());
    // The published catalog names the pictograms by their hashes now, not by their files.
    CHECK(core::media_hashes(published.catalog) == std::vector<std::string>{std::min(velo_hash, bus_hash), std::max(velo_hash, bus_hash)});
    CHECK(server::keep_media(*store, picture, now.utc_ms).hash == picture_hash);
    auto vote = core::parse_vote(json::parse(R"({"id": "vote-media", "title": "Budget", "opens": "2024-01-01", "closes": "2099-12-31",
      "rule": "approval", "voter_key": ")" + std::string(64, 'e') + R"(", "envelopes": [{"amount_eur": 100000}],
      "projects": [{"id": "abri", "title": "Abri vélos", "cost_eur": 30000, "picture": ")" + picture_hash + R"(",
                    "picture_alt": {"fr": "Un abri vélos couvert devant la gare"}}]})"), {});
    vote.voter_key.clear();
    vote = server::save_vote_draft(*store, vote, now);
    server::publish_vote(*store, vote.id, server::VoteStage::open, false, now);
  }

  ServerProcess server(database, dir.path());
  server.start();
  const auto data = (dir.path() / "kiosk").string(), data2 = (dir.path() / "kiosk2").string();
  auto device = [&](const std::string& d, std::vector<std::string> args) {
    args.insert(args.begin(), {device_binary(), "--data", d});
    return test::run(args);
  };
  for (const auto& [d, name] : {std::pair{data, "Borne mairie"}, std::pair{data2, "Borne gare"}}) {
    REQUIRE(device(d, {"init", "--name", name}).exit_code == 0);
    REQUIRE(device(d, {"enrol", sync::protocol::enrol_link(server.url(), make_enrol_code(database, name))}).exit_code == 0);
  }

  // --- the endpoint: a device's token, names checked, immutable caching ---
  const std::string token = *storage::DeviceStore::open(data).setting(core::settings::token);
  auto get = [&](const std::string& path, std::initializer_list<std::string> headers) {
    test::RawConnection c(server.port());
    REQUIRE(c.send(test::http_request("GET", path, "", headers)));
    return c.read_response();
  };
  const std::string path = "/api/v1/media/" + picture_hash, auth = "Authorization: Bearer " + token;
  CHECK(get(path, {}).status == 401);
  CHECK(get(path, {"Authorization: Bearer not-a-token"}).status == 401);
  const auto served = get(path, {auth});
  REQUIRE(served.status == 200);
  CHECK(served.headers.at("content-type") == "image/jpeg");
  CHECK(served.body == picture);
  CHECK(served.headers.at("etag") == "\"" + picture_hash + "\"");
  CHECK(served.headers.at("cache-control").find("immutable") != std::string::npos);
  CHECK(get(path, {auth, "If-None-Match: \"" + picture_hash + "\""}).status == 304);
  const auto bad_name = get("/api/v1/media/" + std::string(64, 'F'), {auth});
  CHECK(bad_name.status == 400);
  CHECK(bad_name.body.find("invalid_media_name") != std::string::npos);
  CHECK(get("/api/v1/media/" + std::string(64, 'f'), {auth}).status == 404);
  CHECK(get(path, {auth, "Content-Type: application/json"}).status == 200);

  // --- the device fetches the three once, keeps them in its database ---
  {
    const auto r = device(data, {"sync"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("media: 3 fetched, 0 refused, 0 missing") != std::string::npos);
    auto store = storage::DeviceStore::open(data);
    CHECK(store.missing_media().empty());
    REQUIRE(store.media(picture_hash));
    CHECK(store.media(picture_hash)->data == picture);
    CHECK(store.media(velo_hash)->data == velo);
    CHECK(store.media(bus_hash)->content_type == "image/png");
    CHECK(store.catalog().find_vote("vote-media")->projects[0].picture_alt.in("fr") == "Un abri vélos couvert devant la gare");
  }
  {
    const auto again = device(data, {"sync"});
    CHECK(again.exit_code == 0);
    CHECK(again.out.find("media:") == std::string::npos);  // nothing to fetch: nothing asked
  }

  // --- damaged on the server: other bytes under its name, a file far too big ---
  replace_media_bytes(db_path, bus_hash, test::png_image(96, 96, 200));
  replace_media_bytes(db_path, velo_hash, velo + std::string(3 * 1024 * 1024, '\0'));
  {
    const auto r = device(data2, {"sync"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);  // the captures' sync is not held back by a picture
    CHECK(r.out.find("media: 1 fetched, 2 refused, 2 missing") != std::string::npos);
    CHECK(r.err.find("refused media " + bus_hash + ": the bytes received hash to") != std::string::npos);
    CHECK(r.err.find("refused media " + velo_hash + ": the file is over") != std::string::npos);
    auto store = storage::DeviceStore::open(data2);
    CHECK_FALSE(store.media(bus_hash));  // never kept, so never shown
    CHECK_FALSE(store.media(velo_hash));
    CHECK(store.media(picture_hash));
    const auto refusals = store.media_refusals();
    REQUIRE(refusals.size() == 2);
    // Staff see it in the device's status, with the reason.
    const auto status = device(data2, {"status"});
    CHECK(status.out.find("Pictures:      2 not fetched yet") != std::string::npos);
    CHECK(status.out.find("refused " + bus_hash + ": the bytes received hash to") != std::string::npos);
  }

  // --- repaired: the next sync fetches what is still missing, and forgets the refusals ---
  replace_media_bytes(db_path, bus_hash, bus);
  replace_media_bytes(db_path, velo_hash, velo);
  {
    const auto r = device(data2, {"sync"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("media: 2 fetched, 0 refused, 0 missing") != std::string::npos);
  }

  // --- offline afterwards: the pictures stay with the device ---
  server.stop();
  auto store = storage::DeviceStore::open(data2);
  CHECK(store.missing_media().empty());
  CHECK(store.media(bus_hash)->data == bus);
  CHECK(store.media_refusals().empty());
}

// The README's demo: `serve` on a fresh database publishes the demo catalog with its
// pictograms (the PNG files beside it); a device that holds the catalog without them — set up
// from an older catalog — fetches every one at its next sync, and holds the very files.
TEST_CASE("the server's demo publishes the demo consultation's pictograms, and a device's sync brings them") {
  if (!std::filesystem::exists(device_binary())) FAIL("allervers-device was not built: " << device_binary());
  test::TempDir dir;
  const std::string database = "sqlite:" + (dir.path() / "server.db").string();
  ServerProcess server(database, dir.path());
  server.start();

  // What was published: each pictogram the demo catalog file names, by the SHA-256 of its file.
  const auto demo = json::parse(test::read_file(test::assets_dir() / "demo" / "catalog.json"));
  std::map<std::string, std::string> files;  // hash → file name
  for (const auto& q : demo["consultations"][0]["questions"]) {
    files[crypto::sha256_hex(test::read_file(test::assets_dir() / "demo" / q["pictogram"].get<std::string>()))] = q["pictogram"];
    for (const auto& o : q.value("options", json::array()))
      files[crypto::sha256_hex(test::read_file(test::assets_dir() / "demo" / o["pictogram"].get<std::string>()))] = o["pictogram"];
  }
  REQUIRE(files.size() == 24);
  {
    auto store = server::open_store(database);
    const auto published = server::merge_catalogs(store->catalogs());
    const auto hashes = core::media_hashes(published.catalog);
    for (const auto& [hash, file] : files) {
      INFO(file);
      CHECK(std::binary_search(hashes.begin(), hashes.end(), hash));
      CHECK(store->has_media(hash));
    }
  }

  // A device holding the demo catalog without its pictograms, as one set up before them.
  test::write_file(dir.path() / "old.json", demo_without_pictograms().dump());
  const auto data = (dir.path() / "kiosk").string();
  auto device = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {device_binary(), "--data", data});
    return test::run(args);
  };
  REQUIRE(device({"init", "--name", "Borne mairie", "--catalog", (dir.path() / "old.json").string()}).exit_code == 0);
  REQUIRE(device({"enrol", sync::protocol::enrol_link(server.url(), make_enrol_code(database, "Borne mairie"))}).exit_code == 0);
  const auto r = device({"sync"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("media: 24 fetched, 0 refused, 0 missing") != std::string::npos);
  auto store = storage::DeviceStore::open(data);
  CHECK(store.missing_media().empty());
  const auto* c = store.catalog().find("place-jean-jaures", 1);
  REQUIRE(c);
  for (const auto& q : c->questions) {
    INFO(q.id);
    REQUIRE(files.count(q.pictogram));
    const auto held = store.media(q.pictogram);
    REQUIRE(held);
    CHECK(held->data == test::read_file(test::assets_dir() / "demo" / files[q.pictogram]));
    if (q.type == core::QuestionType::single_choice || q.type == core::QuestionType::multiple_choice)
      for (const auto& o : q.options) CHECK(store.media(o.pictogram));
  }
}
