// The ingest rules, run the same way against SQLite and a real PostgreSQL: per-record answers,
// idempotence keyed by UUID, conflicts, gaps, clock correction, several servers on one database.
#include <catch2/catch.hpp>

#include <chrono>
#include <set>
#include <thread>

#include "pg_instance.hpp"
#include "server_fixture.hpp"
#include "allervers/server/office/dashboard.hpp"
#include "allervers/sync/tuning.hpp"

using namespace allervers;
using allervers::test::ApiRig;
using nlohmann::json;

namespace {

json results_of(const server::HttpResponse& r) {
  INFO(r.body);
  REQUIRE(r.status == 200);
  return json::parse(r.body);
}

void good_and_bad_records_in_one_batch(const std::string& url) {
  ApiRig rig(url);
  const auto a = rig.opinion(1), b = rig.opinion(2), c = rig.opinion(3);
  auto unknown = rig.opinion(4);
  unknown.consultation = "pas-une-consultation";
  json wrong = core::capture_to_json(rig.opinion(5));
  wrong["answers"]["satisfaction"] = "très";
  const std::string body = rig.batch({{1, core::canonical_json(a)},
                                      {2, core::canonical_json(b)},
                                      {3, core::canonical_json(unknown)},
                                      {4, wrong.dump()},
                                      {5, core::canonical_json(c)}});
  auto j = results_of(rig.send_batch(body));
  CHECK(j["accepted"] == 3);
  CHECK(j["rejected"] == 2);
  CHECK(j["results"][0]["status"] == "accepted");
  CHECK(j["results"][0]["id"] == a.id.str());
  CHECK(j["results"][2]["status"] == "rejected");
  CHECK(j["results"][2]["code"] == "unknown_consultation");
  CHECK(j["results"][3]["code"] == "wrong_type");
  CHECK(j["results"][3]["reason"].get<std::string>().find("answers.satisfaction") != std::string::npos);
  CHECK(j["results"][4]["seq"] == 5);
  CHECK(rig.store->capture_count() == 3);

  // The same batch again (a lost answer): duplicates, nothing added.
  const auto before = rig.snapshot();
  j = results_of(rig.send_batch(body));
  CHECK(j["accepted"] == 0);
  CHECK(j["duplicates"] == 3);
  CHECK(j["rejected"] == 2);
  CHECK(rig.store->capture_count() == 3);
  auto devices = rig.store->list_devices();
  REQUIRE(devices.size() == 1);
  CHECK(devices[0].records_held == 3);
  CHECK(devices[0].rejected == 2);
  CHECK(devices[0].gaps == 0);
  (void)before;
  std::ostringstream set_aside;
  CHECK(server::export_refused(*rig.store, set_aside) == 2);  // logged once, whatever the re-sends
  CHECK(set_aside.str().find("unknown_consultation") != std::string::npos);
  CHECK(set_aside.str().find("\"seq\":4") != std::string::npos);
}

void same_id_other_content_is_flagged_and_the_first_kept(const std::string& url) {
  ApiRig rig(url);
  const auto first = rig.opinion(1, "premier");
  auto second = first;
  second.body = rig.opinion(1, "autre contenu").body;
  results_of(rig.send_batch(rig.batch({{1, core::canonical_json(first)}})));
  auto j = results_of(rig.send_batch(rig.batch({{2, core::canonical_json(second)}})));
  CHECK(j["results"][0]["status"] == "rejected");
  CHECK(j["results"][0]["code"] == "id_conflict");
  CHECK(rig.store->conflict_count() == 1);
  std::ostringstream set_aside;
  CHECK(server::export_refused(*rig.store, set_aside) == 1);
  CHECK(set_aside.str().find("\"kind\":\"conflict\"") != std::string::npos);
  CHECK(set_aside.str().find("autre contenu") != std::string::npos);
  std::ostringstream out;
  server::export_captures(*rig.store, out, {});
  CHECK(out.str().find("premier") != std::string::npos);
  CHECK(out.str().find("autre contenu") == std::string::npos);

  // Within one batch: the second copy of an id is a duplicate when equal, a conflict when not.
  const auto x = rig.opinion(9);
  auto x2 = x;
  x2.body = rig.opinion(9, "changé").body;
  j = results_of(rig.send_batch(rig.batch({{3, core::canonical_json(x)}, {4, core::canonical_json(x)}, {5, core::canonical_json(x2)}})));
  CHECK(j["results"][0]["status"] == "accepted");
  CHECK(j["results"][1]["status"] == "duplicate");
  CHECK(j["results"][2]["code"] == "id_conflict");
}

void gaps_and_device_identity(const std::string& url) {
  ApiRig rig(url);
  auto other = rig.opinion(2);
  other.device = core::UuidGenerator(1234).next(rig.clock.now().utc_ms);  // claims another device
  results_of(rig.send_batch(rig.batch({{1, core::canonical_json(rig.opinion(1))},
                                       {2, core::canonical_json(other)},
                                       {3, core::canonical_json(rig.opinion(3))},
                                       {7, core::canonical_json(rig.opinion(7))},
                                       {9, core::canonical_json(rig.opinion(9))}})));
  auto devices = rig.store->list_devices();
  REQUIRE(devices.size() == 1);
  CHECK(devices[0].id == rig.device.str());
  CHECK(devices[0].max_seq == 9);
  CHECK(devices[0].gaps == 4);  // 4, 5, 6, 8 never arrived
  CHECK(devices[0].records_held == 5);
  // Whatever a record says, the token says which device sent it.
  std::ostringstream out;
  server::export_captures(*rig.store, out, {});
  CHECK(out.str().find(other.device.str()) == std::string::npos);
  // The gaps filled later (a device that had not synced yet, not a loss).
  results_of(rig.send_batch(rig.batch({{4, core::canonical_json(rig.opinion(4))},
                                       {5, core::canonical_json(rig.opinion(5))},
                                       {6, core::canonical_json(rig.opinion(6))},
                                       {8, core::canonical_json(rig.opinion(8))}})));
  CHECK(rig.store->list_devices()[0].gaps == 0);
}

void device_time_and_corrected_time(const std::string& url) {
  ApiRig rig(url);
  const auto c = rig.opinion(1);
  results_of(rig.send_batch(rig.batch({{1, core::canonical_json(c)}}, 90'000)));  // device 90 s behind
  bool seen = false;
  rig.store->for_each_capture([&](const server::CaptureRow& row) {
    seen = true;
    CHECK(row.captured_ms == c.captured_at.utc_ms);
    CHECK(row.corrected_ms == c.captured_at.utc_ms + 90'000);
    CHECK(row.captured_offset_min == 60);
  });
  CHECK(seen);
  CHECK(rig.store->list_devices()[0].clock_offset_ms == 90'000);

  // A tablet three days ahead: its captures are not "in the future" on its own clock, and
  // their corrected time is the server's.
  const std::int64_t three_days = 3LL * 24 * 3600 * 1000;
  auto ahead = rig.opinion(2);
  ahead.captured_at.utc_ms = rig.clock.now().utc_ms + three_days - 60'000;
  auto j = results_of(rig.send_batch(rig.batch({{2, core::canonical_json(ahead)}}, -three_days)));
  CHECK(j["accepted"] == 1);
  rig.store->for_each_capture([&](const server::CaptureRow& row) {
    if (row.id == ahead.id.str()) CHECK(row.corrected_ms == rig.clock.now().utc_ms - 60'000);
  });
  // Without the offset, the same capture is refused as a broken clock.
  auto lost = rig.opinion(3);
  lost.captured_at.utc_ms = rig.clock.now().utc_ms + three_days;
  j = results_of(rig.send_batch(rig.batch({{3, core::canonical_json(lost)}}, 0)));
  CHECK(j["results"][0]["code"] == "in_the_future");
}

void several_servers_share_one_database(const std::string& url) {
  // Four threads, two Api instances (two "servers"), overlapping batches of the same captures.
  ApiRig rig(url);
  core::ManualClock clock2(rig.clock.now());
  server::Api second([&] { return server::open_store(url); }, clock2);
  std::vector<std::string> records;
  for (int i = 0; i < 400; ++i) records.push_back(core::canonical_json(rig.opinion(i)));
  std::atomic<int> failures{0};
  auto worker = [&](server::Api& api, int start) {
    for (int round = 0; round < 4; ++round) {
      std::vector<std::pair<std::int64_t, std::string>> part;
      for (int i = 0; i < 200; ++i) {
        const int k = (start + round * 100 + i) % 400;
        part.emplace_back(k + 1, records[static_cast<std::size_t>(k)]);
      }
      auto r = api.handle(ApiRig::post("/api/v1/batches", rig.batch(part), rig.token));
      if (r.status != 200) ++failures;
    }
  };
  std::vector<std::thread> threads;
  threads.emplace_back(worker, std::ref(rig.api), 0);
  threads.emplace_back(worker, std::ref(second), 50);
  threads.emplace_back(worker, std::ref(rig.api), 130);
  threads.emplace_back(worker, std::ref(second), 270);
  for (auto& t : threads) t.join();
  CHECK(failures == 0);
  CHECK(rig.store->capture_count() == 400);
  CHECK(rig.store->conflict_count() == 0);
  CHECK(rig.store->list_devices()[0].gaps == 0);
}

// A sync pass's GETs say the device was seen without committing an UPDATE each: "last seen" is
// written once it is older than the resolution (or ahead of the server's clock), the app's
// version only when it changes.
void last_seen_within_its_resolution(const std::string& url) {
  ApiRig rig(url);
  const auto seen = [&] {
    const auto devices = rig.store->list_devices();
    REQUIRE(devices.size() == 1);
    return devices[0];
  };
  const std::int64_t enrolled = rig.clock.now().utc_ms;
  REQUIRE(seen().last_seen_ms == enrolled);
  const std::int64_t resolution = std::chrono::duration_cast<std::chrono::milliseconds>(sync::tuning::server_device_seen_resolution).count();
  auto get = [&](const std::string& path, const std::string& version = "") {
    auto r = ApiRig::get(path, rig.token);
    if (!version.empty()) r.headers["allervers-app-version"] = version;
    return rig.api.handle(r).status;
  };
  rig.clock.advance_ms(resolution - 1);
  CHECK(get("/api/v1/catalog", "1.4.0") == 200);
  CHECK(get("/api/v1/passes") == 200);
  CHECK(get("/api/v1/outcomes") == 200);
  CHECK(seen().last_seen_ms == enrolled);  // within the resolution: not written
  CHECK(seen().app_version == "1.4.0");   // a version it never said before: written at once
  rig.clock.advance_ms(1);
  CHECK(get("/api/v1/passes", "1.4.0") == 200);
  CHECK(seen().last_seen_ms == enrolled + resolution);
  CHECK(get("/api/v1/outcomes", "1.5.0") == 200);
  CHECK(seen().app_version == "1.5.0");
  // The server's clock set back (an NTP step): the stored time would be in the future; written.
  rig.clock.advance_ms(-resolution / 2);
  CHECK(get("/api/v1/catalog") == 200);
  CHECK(seen().last_seen_ms == enrolled + resolution / 2);
  // A batch records its arrival exactly, whatever the resolution.
  rig.clock.advance_ms(1000);
  const auto j = results_of(rig.send_batch(rig.batch({{1, core::canonical_json(rig.opinion(1))}})));
  CHECK(j["accepted"] == 1);
  CHECK(seen().last_seen_ms == rig.clock.now().utc_ms);
  CHECK(seen().last_batch_ms == rig.clock.now().utc_ms);
}

void catalog_is_conditional(const std::string& url) {
  ApiRig rig(url);
  server::HttpRequest get;
  get.method = "GET";
  get.path = "/api/v1/catalog";
  get.headers["authorization"] = "Bearer " + rig.token;
  auto first = rig.api.handle(get);
  REQUIRE(first.status == 200);
  const auto etag = first.headers.at("ETag");
  get.headers["if-none-match"] = etag;
  auto again = rig.api.handle(get);
  CHECK(again.status == 304);
  CHECK(again.body.empty());
  // A new version published: a new ETag, both versions served (old captures stay valid).
  auto doc = json::parse(test::read_file(test::assets_dir() / "demo/catalog.json"));
  doc["consultations"][0]["version"] = 2;
  CHECK(server::publish_catalog(*rig.store, doc.dump(), rig.clock.now()));
  CHECK_FALSE(server::publish_catalog(*rig.store, doc.dump(), rig.clock.now()));  // unchanged
  auto updated = rig.api.handle(get);
  REQUIRE(updated.status == 200);
  CHECK(updated.headers.at("ETag") != etag);
  const auto catalog = core::parse_catalog(updated.body);
  CHECK(catalog.find("place-jean-jaures", 1));
  CHECK(catalog.find("place-jean-jaures", 2));
  // A capture made with version 1 is still accepted.
  auto j = results_of(rig.send_batch(rig.batch({{1, core::canonical_json(rig.opinion(1))}})));
  CHECK(j["accepted"] == 1);
}

void bundle_in_clear_refused(const std::string& url) {
  // What devices wrote before bundles were signed and sealed: one record a line, in clear.
  ApiRig rig(url);
  std::string bundle = R"({"format":"allervers.bundle/1","device":")" + rig.device.str() +
                       R"(","device_name":"Tablette 1","created_at":"2026-11-21T10:00:00Z","records":50})" + "\n";
  for (int i = 1; i <= 50; ++i) bundle += sync::protocol::encode_bundle_record({i, core::canonical_json(rig.opinion(i))}) + "\n";
  const auto before = rig.snapshot();
  std::istringstream in(bundle);
  try {
    server::import_bundle(*rig.store, in, rig.clock.now());
    FAIL("an unsigned bundle in clear was imported");
  } catch (const server::BundleRefused& e) {
    CHECK(e.reason() == "unsigned");
    CHECK_THAT(e.what(), Catch::Contains("allervers.bundle/1"));
  }
  CHECK(rig.snapshot() == before);
  std::istringstream bad("{\"format\":\"something else\"}\n");
  CHECK_THROWS_AS(server::import_bundle(*rig.store, bad, rig.clock.now()), server::BundleRefused);
}

void text_survives_the_database(const std::string& url) {
  // Backslashes, quotes, tabs, line breaks, accents and emoji: stored byte for byte, or the
  // re-sent record would look like a conflict instead of a duplicate.
  ApiRig rig(url);
  core::Capture idea;
  idea.id = rig.ids.next(rig.clock.now().utc_ms);
  idea.device = rig.device;
  idea.consultation = "budget-participatif-2027";
  idea.version = 1;
  idea.captured_at = {rig.clock.now().utc_ms - 1000, 60};
  idea.body = core::Idea{"Un \\ chemin \"vert\"", "Ligne 1\n\tLigne 2 : à l’école, près du café 🌳\nFin \\N", "nature",
                         "gare", "", std::nullopt, std::nullopt};
  const auto body = rig.batch({{1, core::canonical_json(idea)}});
  const auto first = results_of(rig.send_batch(body));
  INFO(first.dump());
  CHECK(first["accepted"] == 1);
  CHECK(results_of(rig.send_batch(body))["duplicates"] == 1);
  rig.store->for_each_capture([&](const server::CaptureRow& row) { CHECK(row.body == core::canonical_json(idea)); });
}

// A batch partly held (its answer was lost, then the device captured more): on PostgreSQL its
// COPY meets a held id and the batch takes the staging way; either way the new ones are in, the
// held ones are repeats, and the office counts each capture once.
void a_batch_partly_held(const std::string& url) {
  ApiRig rig(url);
  const auto a = rig.opinion(1), b = rig.opinion(2), c = rig.opinion(3);
  CHECK(results_of(rig.send_batch(rig.batch({{1, core::canonical_json(a)}, {2, core::canonical_json(b)}})))["accepted"] == 2);
  const auto j = results_of(rig.send_batch(rig.batch({{1, core::canonical_json(a)}, {2, core::canonical_json(b)}, {3, core::canonical_json(c)}})));
  CHECK(j["accepted"] == 1);
  CHECK(j["duplicates"] == 2);
  CHECK(j["results"][2]["status"] == "accepted");
  CHECK(rig.store->capture_count() == 3);
  CHECK(server::capture_counts(*rig.store, server::merge_catalogs(rig.store->catalogs()).catalog, {}).total == 3);
}

// A batch whose writing stops before its end (a record that made the judge throw, a connection
// lost): on PostgreSQL its captures were already flowing into the database; none is kept, and
// the next batch goes through.
void a_batch_left_unfinished_keeps_nothing(const std::string& url) {
  ApiRig rig(url);
  CHECK(results_of(rig.send_batch(rig.batch({{1, core::canonical_json(rig.opinion(1))}})))["accepted"] == 1);
  {
    const std::int64_t now = rig.clock.now().utc_ms;
    auto ingest = rig.store->open_ingest({rig.device.str(), "left", now, 0, 0, true}, std::nullopt, 2);
    for (int n : {2, 3}) {
      const auto c = rig.opinion(n);
      server::CaptureRow row;
      row.id = c.id.str();
      row.device = rig.device.str();
      row.seq = n;
      row.kind = "opinion";
      row.consultation = c.consultation;
      row.version = c.version;
      row.channel = core::to_string(c.channel);
      row.language = c.language;
      row.captured_ms = row.corrected_ms = c.captured_at.utc_ms;
      row.captured_offset_min = c.captured_at.offset_minutes;
      row.received_ms = now;
      row.batch = "left";
      row.body = core::canonical_json(c);
      ingest.add(std::move(row), c);
    }
  }
  CHECK(rig.store->capture_count() == 1);
  const auto j = results_of(rig.send_batch(rig.batch({{2, core::canonical_json(rig.opinion(2))}, {3, core::canonical_json(rig.opinion(3))}})));
  CHECK(j["accepted"] == 2);
  CHECK(rig.store->capture_count() == 3);
}

void run_suite(const std::function<std::string(const std::string&)>& make_url) {
  SECTION("a batch partly held") { a_batch_partly_held(make_url("partly")); }
  SECTION("a batch left unfinished") { a_batch_left_unfinished_keeps_nothing(make_url("unfinished")); }
  SECTION("good and bad records in one batch") { good_and_bad_records_in_one_batch(make_url("mixed")); }
  SECTION("same id, other content") { same_id_other_content_is_flagged_and_the_first_kept(make_url("conflict")); }
  SECTION("gaps and device identity") { gaps_and_device_identity(make_url("gaps")); }
  SECTION("device time and corrected time") { device_time_and_corrected_time(make_url("clock")); }
  SECTION("several servers, one database") { several_servers_share_one_database(make_url("shared")); }
  SECTION("catalog is conditional") { catalog_is_conditional(make_url("catalog")); }
  SECTION("last seen within its resolution") { last_seen_within_its_resolution(make_url("seen")); }
  SECTION("a bundle in clear (format 1) refused") { bundle_in_clear_refused(make_url("bundle")); }
  SECTION("text survives the database") { text_survives_the_database(make_url("text")); }
}

}  // namespace

TEST_CASE("ingest rules on SQLite") {
  test::TempDir dir;
  run_suite([&](const std::string& name) { return "sqlite:" + (dir.path() / (name + ".db")).string(); });
}

TEST_CASE("ingest rules on PostgreSQL (a real server set up by the test)") {
  // One PostgreSQL for all sections: Catch re-enters the test case per section, so keep it.
  static std::unique_ptr<test::PgInstance> pg;  // NOLINT: test-only, stopped at exit
  static int databases = 0;
  if (!pg) pg = std::make_unique<test::PgInstance>();
  run_suite([&](const std::string& name) { return pg->create_database(name + "_" + std::to_string(++databases)); });
}
