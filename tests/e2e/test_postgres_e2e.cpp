// End to end on PostgreSQL: a real PostgreSQL set up by the test, two allervers-server
// processes sharing it (the server is stateless over its database), the device moving from
// one to the other when the first is SIGKILLed mid-batch.
#include <catch2/catch.hpp>

#include <set>

#include "e2e_support.hpp"
#include "pg_instance.hpp"

using namespace allervers;
using namespace allervers::e2e;

TEST_CASE("two servers on one PostgreSQL - the first killed mid-batch - exactly once") {
  test::PgInstance pg;
  const std::string database = pg.create_database("town");
  test::TempDir dir;
  ServerProcess a(database, dir.path()), b(database, dir.path());
  a.start();
  b.start();
  FaultProxy proxy(a.port());
  auto store = make_device(dir.path() / "device", "Tablette PG");
  core::SystemClock clock;
  sync::SyncClient(store, clock, fast_options()).enrol(proxy.url(), make_enrol_code(database, "Tablette PG"));
  const auto sent = add_captures(store, 3000, 21);

  // Batch 3 goes to server A, which is killed while on it; the "load balancer" then sends
  // everything to B. A lost answer on B (index 6) is re-sent too.
  proxy.on_kill = [&] {
    a.kill_hard();
    proxy.set_upstream(b.port());
  };
  proxy.set_faults("/api/v1/batches", [](int i) {
    if (i == 3) return Fault::kill_server;
    if (i == 6) return Fault::drop_response;
    return Fault::pass;
  });
  auto options = fast_options();
  options.batch_records = 250;
  sync::SyncClient client(store, clock, options);
  auto report = client.sync();
  INFO(report.error);
  proxy.set_faults("", nullptr);
  if (!report.ok()) report = client.sync();
  REQUIRE(report.ok());
  CHECK(store.counts().pending == 0);

  const auto ids = exported_ids(database);
  const std::set<std::string> unique(ids.begin(), ids.end());
  CHECK(unique.size() == ids.size());
  REQUIRE(ids.size() == sent.size());
  for (const auto& id : sent) REQUIRE(unique.count(id.str()) == 1);
  auto devices = nlohmann::json::parse(server_cli(database, {"list-devices", "--format", "json"}).out);
  REQUIRE(devices.size() == 1);
  CHECK(devices[0]["gaps"] == 0);
  CHECK(devices[0]["records_held"] == 3000);
}
