// End to end on loopback: a real allervers-server process, the real device engine
// (DeviceStore + SyncClient), and the server's own export as the judge.
#include <catch2/catch.hpp>

#include <set>

#include "allervers/sqlite/database.hpp"
#include "e2e_support.hpp"

using namespace allervers;
using namespace allervers::e2e;

namespace {

struct Rig {
  test::TempDir dir;
  std::string database = "sqlite:" + (dir.path() / "server.db").string();
  ServerProcess server{database, dir.path()};
  storage::DeviceStore store = make_device(dir.path() / "device", "Tablette 3");
  core::SystemClock clock;

  Rig() { server.start(); }
  void enrol(const std::string& url) {
    sync::SyncClient client(store, clock, fast_options());
    client.enrol(url, make_enrol_code(database, "Tablette 3"));
  }
};

// Every id sent is held by the server exactly once.
void require_exactly_once(const std::string& database, const std::vector<core::Uuid>& sent) {
  const auto ids = exported_ids(database);
  std::set<std::string> unique(ids.begin(), ids.end());
  REQUIRE(unique.size() == ids.size());  // nothing duplicated
  REQUIRE(ids.size() == sent.size());
  for (const auto& id : sent) REQUIRE(unique.count(id.str()) == 1);  // nothing lost
}

}  // namespace

TEST_CASE("5000 captures reach the server exactly once - with gzip - in batches") {
  Rig rig;
  rig.enrol(rig.server.url());
  CHECK(rig.store.setting(core::settings::device_name) == "Tablette 3");
  const auto sent = add_captures(rig.store, 5000, 1);

  auto options = fast_options();
  std::vector<std::int64_t> progress;
  options.progress = [&](const sync::SyncProgress& p) { progress.push_back(p.sent); };
  sync::SyncClient client(rig.store, rig.clock, options);
  const auto report = client.sync();
  INFO(report.error);
  REQUIRE(report.ok());
  CHECK(report.accepted == 5000);
  CHECK(report.duplicates == 0);
  CHECK(report.rejected == 0);
  CHECK(report.pending_left == 0);
  CHECK(report.batches == 5);
  CHECK(progress == std::vector<std::int64_t>{1000, 2000, 3000, 4000, 5000});
  CHECK(report.catalog_updated);
  REQUIRE(report.clock_offset_ms);
  CHECK(std::abs(*report.clock_offset_ms) < 1000);  // same machine
  CHECK(report.bytes_sent < 5000 * 120);             // gzip: well under the ~500 B of JSON a record
  CHECK(rig.store.counts().pending == 0);
  CHECK(rig.store.counts().acked == 5000);
  CHECK(rig.store.sync_state().last_error.empty());
  require_exactly_once(rig.database, sent);

  SECTION("a second pass sends nothing and downloads no catalog (ETag)") {
    const auto again = client.sync();
    REQUIRE(again.ok());
    CHECK(again.batches == 0);
    CHECK_FALSE(again.catalog_updated);
    CHECK(again.bytes_received < 1000);
  }
  SECTION("the town's outcomes come gzipped: fetched again whole, a fraction of their size on the wire") {
    std::int64_t rows = 0, held_bytes = 0;
    {
      auto q = rig.store.database().query("SELECT COUNT(*), SUM(LENGTH(body)) FROM outcomes");
      REQUIRE(q->step());
      rows = q->int64(0);
      held_bytes = q->int64(1);
    }
    CHECK(rows == 500);  // one idea in every ten captures
    rig.store.set_setting(core::settings::outcomes_etag, "");  // as if never fetched
    const auto again = client.sync();
    INFO(again.error);
    REQUIRE(again.ok());
    CHECK(again.outcomes_updated);
    CHECK(again.bytes_received * 3 < held_bytes);  // a plain document is larger than its rows
  }
  SECTION("list-devices shows the device, what it holds, no gap") {
    auto r = server_cli(rig.database, {"list-devices", "--format", "json"});
    REQUIRE(r.exit_code == 0);
    auto devices = nlohmann::json::parse(r.out);
    REQUIRE(devices.size() == 1);
    CHECK(devices[0]["name"] == "Tablette 3");
    CHECK(devices[0]["records_held"] == 5000);
    CHECK(devices[0]["gaps"] == 0);
    CHECK(devices[0]["max_seq"] == rig.store.last_seq());
    CHECK(devices[0]["pending_on_device"] == 0);
    CHECK(devices[0]["last_seen_ms"].is_number());
  }
  SECTION("CSV export has one line per capture plus the header, table by table") {
    // add_captures makes one idea and one sign-in in every ten captures, opinions otherwise.
    const std::pair<const char*, long> tables[] = {{"opinions", 4000}, {"ideas", 500}, {"signins", 500}};
    for (const auto& [table, rows] : tables) {
      auto r = server_cli(rig.database, {"export", "--format", "csv", "--table", table});
      REQUIRE(r.exit_code == 0);
      INFO(table);
      CHECK(std::count(r.out.begin(), r.out.end(), '\n') == rows + 1);
    }
  }
}

TEST_CASE("a record the server refuses stays on the device with its reason and is not sent again") {
  Rig rig;
  rig.enrol(rig.server.url());
  // The device holds a consultation the server never published.
  auto catalog = rig.store.catalog();
  auto extra = catalog.consultations.front();
  extra.id = "consultation-locale";
  catalog.consultations.push_back(extra);
  rig.store.save_catalog(catalog);
  auto sent = add_captures(rig.store, 30, 2);
  core::UuidGenerator ids(3);
  core::Capture c;
  c.id = ids.next(rig.clock.now().utc_ms);
  c.device = rig.store.identity().device;
  c.consultation = "consultation-locale";
  c.version = 1;
  c.captured_at = rig.clock.now();
  c.body = core::Opinion{{{"frequence", std::string("jamais")}, {"satisfaction", std::int64_t{3}}, {"arbres", true},
                          {"priorites", std::vector<std::string>{"bancs"}}, {"stationnement", std::int64_t{2}}}};
  auto v = core::validate(c, rig.store.catalog(), rig.clock.now());
  REQUIRE(v.ok());
  rig.store.add(v.valid());

  sync::SyncClient client(rig.store, rig.clock, fast_options());
  auto report = client.sync();
  REQUIRE(report.ok());
  CHECK(report.accepted == 30);
  CHECK(report.rejected == 1);
  const auto rejected = rig.store.rejected();
  REQUIRE(rejected.size() == 1);
  CHECK(rejected[0].id == c.id);
  CHECK(rejected[0].reason.find("unknown_consultation") != std::string::npos);
  CHECK(rig.store.counts().pending == 0);
  report = client.sync();
  CHECK(report.batches == 0);  // never retried
  require_exactly_once(rig.database, sent);
}

TEST_CASE("a revoked device is refused and keeps its captures") {
  Rig rig;
  rig.enrol(rig.server.url());
  add_captures(rig.store, 10, 4);
  REQUIRE(server_cli(rig.database, {"revoke-device", "Tablette 3"}).exit_code == 0);
  sync::SyncClient client(rig.store, rig.clock, fast_options());
  const auto report = client.sync();
  CHECK(report.failure == sync::SyncFailure::refused);
  CHECK(report.error.find("revoked") != std::string::npos);
  CHECK(rig.store.counts().pending == 10);
  CHECK(rig.store.sync_state().last_error == report.error);
}

TEST_CASE("enrolment codes work once - and only when known") {
  Rig rig;
  sync::SyncClient client(rig.store, rig.clock, fast_options());
  CHECK_THROWS_WITH(client.enrol(rig.server.url(), "AAAA-BBBB-CCCC-DDDD"), Catch::Contains("not known"));
  const auto code = make_enrol_code(rig.database, "Borne hall");
  const auto response = client.enrol(rig.server.url(), code);
  CHECK(response.name == "Borne hall");
  CHECK(response.device == rig.store.identity().device);
  auto other = make_device(rig.dir.path() / "other", "Autre");
  sync::SyncClient other_client(other, rig.clock, fast_options());
  CHECK_THROWS_WITH(other_client.enrol(rig.server.url(), code), Catch::Contains("already used"));
}

TEST_CASE("without enrolment - sync says so and changes nothing") {
  Rig rig;
  add_captures(rig.store, 3, 5);
  sync::SyncClient client(rig.store, rig.clock, fast_options());
  const auto report = client.sync();
  CHECK(report.failure == sync::SyncFailure::not_enrolled);
  CHECK(rig.store.counts().pending == 3);
}

TEST_CASE("a server that is down: the pass fails after its retries - the next one delivers") {
  Rig rig;
  rig.enrol(rig.server.url());
  const auto sent = add_captures(rig.store, 50, 6);
  rig.server.stop();
  sync::SyncClient client(rig.store, rig.clock, fast_options());
  const auto down = client.sync();
  CHECK(down.failure == sync::SyncFailure::unreachable);
  CHECK(down.retries == fast_options().attempts_per_pass - 1);
  CHECK(rig.store.counts().pending == 50);
  rig.server.start();
  const auto up = client.sync();
  REQUIRE(up.ok());
  require_exactly_once(rig.database, sent);
}
