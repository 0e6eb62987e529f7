// Faults between device and server, each ending with zero lost and zero duplicated captures
// after a final clean sync. A fault-injecting proxy sits between the device engine and a real
// allervers-server process; the server's own export is the judge.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <set>

#include "allervers/sqlite/database.hpp"
#include "e2e_support.hpp"

using namespace allervers;
using namespace allervers::e2e;
using namespace std::chrono_literals;

namespace {

struct FaultRig {
  test::TempDir dir;
  std::string database = "sqlite:" + (dir.path() / "server.db").string();
  ServerProcess server{database, dir.path()};
  std::optional<FaultProxy> proxy;
  storage::DeviceStore store = make_device(dir.path() / "device", "Tablette 7");
  core::SystemClock clock;
  std::vector<core::Uuid> sent;

  explicit FaultRig(int captures) {
    server.start();
    proxy.emplace(server.port());
    sync::SyncClient client(store, clock, fast_options());
    client.enrol(proxy->url(), make_enrol_code(database, "Tablette 7"));
    sent = add_captures(store, captures, 42);
  }

  sync::SyncOptions options(std::size_t batch = 200) const {
    auto o = fast_options();
    o.batch_records = batch;
    return o;
  }

  // The final clean sync, then: every capture held exactly once, none left on the device.
  void require_exactly_once() {
    proxy->set_faults("", nullptr);
    sync::SyncClient client(store, clock, options());
    const auto final_pass = client.sync();
    INFO(final_pass.error);
    REQUIRE(final_pass.ok());
    CHECK(store.counts().pending == 0);
    CHECK(store.counts().rejected == 0);
    const auto ids = exported_ids(database);
    const std::set<std::string> unique(ids.begin(), ids.end());
    CHECK(unique.size() == ids.size());  // zero duplicated
    REQUIRE(ids.size() == sent.size());
    for (const auto& id : sent) REQUIRE(unique.count(id.str()) == 1);  // zero lost
    auto devices = nlohmann::json::parse(server_cli(database, {"list-devices", "--format", "json"}).out);
    REQUIRE(devices.size() == 1);
    CHECK(devices[0]["gaps"] == 0);
  }
};

}  // namespace

TEST_CASE("the server SIGKILLed mid-batch - then restarted") {
  FaultRig rig(2000);
  int kills = 0;
  rig.proxy->on_kill = [&] {
    // Vary how far the server got: before reading, while validating, around the commit.
    std::this_thread::sleep_for(std::chrono::milliseconds(kills * 7));
    ++kills;
    rig.server.kill_hard();
    rig.server.start();  // same port
  };
  rig.proxy->set_faults("/api/v1/batches", [](int i) { return i == 1 || i == 4 || i == 7 ? Fault::kill_server : Fault::pass; });
  sync::SyncClient client(rig.store, rig.clock, rig.options());
  const auto report = client.sync();
  INFO(report.error);
  CHECK(kills == 3);
  // libcurl itself re-sends once on a fresh connection when a reused one dies unanswered;
  // either way the batch is sent again and the server's idempotence absorbs it.
  CHECK(report.ok());
  rig.require_exactly_once();
}

TEST_CASE("the answer is lost after the server committed: the re-sent batch is acknowledged as duplicates") {
  FaultRig rig(1000);
  rig.proxy->set_faults("/api/v1/batches", [](int i) { return i == 0 || i == 2 || i == 3 ? Fault::drop_response : Fault::pass; });
  sync::SyncClient client(rig.store, rig.clock, rig.options());
  const auto report = client.sync();
  REQUIRE(report.ok());
  CHECK(rig.proxy->faults_injected() == 3);
  CHECK(report.duplicates == 400);  // two batches of 200 committed but unanswered
  CHECK(report.accepted == 600);
  rig.require_exactly_once();
}

TEST_CASE("500 and 503 answers are retried with backoff") {
  FaultRig rig(1000);
  rig.proxy->set_faults("/api/v1/batches", [](int i) {
    if (i == 0 || i == 1) return Fault::answer_503;
    if (i == 3) return Fault::answer_500;
    return Fault::pass;
  });
  sync::SyncClient client(rig.store, rig.clock, rig.options());
  const auto report = client.sync();
  REQUIRE(report.ok());
  CHECK(report.retries == 3);
  CHECK(report.accepted == 1000);
  CHECK(report.duplicates == 0);
  rig.require_exactly_once();
}

TEST_CASE("persistent 503: the pass gives up after its attempts - the outbox is intact") {
  FaultRig rig(300);
  rig.proxy->set_faults("/api/v1/batches", [](int i) { return i >= 1 ? Fault::answer_503 : Fault::pass; });
  sync::SyncClient client(rig.store, rig.clock, rig.options());
  const auto report = client.sync();
  CHECK(report.failure == sync::SyncFailure::unreachable);
  CHECK(report.error.find("503") != std::string::npos);
  CHECK(rig.store.counts().pending == 100);
  CHECK(rig.store.sync_state().last_error == report.error);
  rig.require_exactly_once();
}

TEST_CASE("a server that stalls past the timeout") {
  FaultRig rig(600);
  rig.proxy->set_faults("/api/v1/batches", [](int i) { return i == 1 ? Fault::stall : Fault::pass; });
  auto options = rig.options();
  options.request_timeout = 800ms;
  sync::SyncClient client(rig.store, rig.clock, options);
  const auto started = std::chrono::steady_clock::now();
  const auto report = client.sync();
  REQUIRE(report.ok());
  CHECK(report.retries == 1);
  CHECK(std::chrono::steady_clock::now() - started >= 800ms);
  rig.require_exactly_once();
}

TEST_CASE("the device killed mid-sync (SIGKILL) - then a clean sync") {
  FaultRig rig(1500);
  pid_t child = -1;
  std::atomic<int> killed{0};
  rig.proxy->on_kill = [&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(killed * 3));
    ::kill(child, SIGKILL);
    ++killed;
  };
  rig.proxy->set_faults("/api/v1/batches", [](int i) { return i == 3 ? Fault::kill_server : Fault::pass; });
  const std::string bin = (test::binary_dir() / "tests" / "e2e" / "sync_child").string();
  const std::string data = (rig.dir.path() / "device").string();
  child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    execl(bin.c_str(), bin.c_str(), data.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  waitpid(child, &status, 0);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);
  CHECK(killed == 1);
  CHECK(rig.store.counts().acked == 300);  // three batches of 100 were answered before the kill
  rig.require_exactly_once();
}

TEST_CASE("the same bundle imported twice adds nothing - the device's next sync is all duplicates") {
  FaultRig rig(500);
  const auto bundle = rig.dir.path() / "bundle.jsonl";
  {
    std::ofstream out(bundle, std::ios::binary);
    CHECK(sync::export_bundle(rig.store, out, rig.clock.now()) == 500);
  }
  auto first = server_cli(rig.database, {"import-bundle", bundle.string()});
  REQUIRE(first.exit_code == 0);
  CHECK(first.out.find("500 records, 500 accepted, 0 already held, 0 rejected") != std::string::npos);
  auto second = server_cli(rig.database, {"import-bundle", bundle.string()});
  REQUIRE(second.exit_code == 0);
  CHECK(second.out.find("500 records, 0 accepted, 500 already held, 0 rejected") != std::string::npos);
  CHECK(exported_ids(rig.database).size() == 500);
  CHECK(rig.store.counts().pending == 500);  // a bundle does not ack: the server does, on the next sync

  sync::SyncClient client(rig.store, rig.clock, rig.options());
  const auto report = client.sync();
  REQUIRE(report.ok());
  CHECK(report.duplicates == 500);
  CHECK(report.accepted == 0);
  rig.require_exactly_once();

  SECTION("a bundle altered anywhere is refused whole: nothing from it is stored") {
    std::string text = test::read_file(bundle);
    const auto sealed = text.find('\n') + 1;
    text[sealed + 100] = text[sealed + 100] == 'A' ? 'B' : 'A';
    test::write_file(rig.dir.path() / "altered.jsonl", text);
    auto r = server_cli(rig.database, {"import-bundle", (rig.dir.path() / "altered.jsonl").string()});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("bundle refused (bad_signature)") != std::string::npos);
    CHECK(r.err.find("nothing was imported") != std::string::npos);
    CHECK(exported_ids(rig.database).size() == 500);
  }

}

TEST_CASE("a gzip bomb in place of the outcomes is abandoned at the device's limit - the captures delivered, the outcomes kept") {
  FaultRig rig(300);
  {
    sync::SyncClient client(rig.store, rig.clock, rig.options());
    REQUIRE(client.sync().ok());
  }
  auto outcome_rows = [&] {
    auto q = rig.store.database().query("SELECT COUNT(*) FROM outcomes");
    q->step();
    return q->int64(0);
  };
  const auto held = outcome_rows();
  REQUIRE(held > 0);
  const auto more = add_captures(rig.store, 100, 43);
  rig.sent.insert(rig.sent.end(), more.begin(), more.end());
  rig.store.set_setting(core::settings::outcomes_etag, "");  // ask for the whole document again
  rig.proxy->set_faults("/api/v1/outcomes", [](int) { return Fault::gzip_bomb; });
  sync::SyncClient client(rig.store, rig.clock, rig.options());
  const auto report = client.sync();
  CHECK_FALSE(report.ok());
  CHECK(report.error.find("too long") != std::string::npos);
  CHECK(report.accepted == 100);  // the batches go before the outcomes
  CHECK(outcome_rows() == held);  // what was held stays, whole
  CHECK(rig.proxy->faults_injected() == 1);  // not asked again: it would be the same answer
  rig.require_exactly_once();
}
