// The two other faces of the device engine: the allervers-device CLI (scripts, support
// staff) and BackgroundSync (the touch app's thread), against a real server process.
#include <catch2/catch.hpp>

#include "allervers/core/settings.hpp"
#include "allervers/sync/background.hpp"
#include "e2e_support.hpp"

using namespace allervers;
using namespace allervers::e2e;
using namespace std::chrono_literals;

namespace {
std::string device_binary() { return (test::binary_dir() / "device" / "allervers-device").string(); }
}  // namespace

TEST_CASE("allervers-device: enrol from the scanned link - sync - export-bundle - the server imports it twice") {
  if (!std::filesystem::exists(device_binary())) FAIL("allervers-device was not built: " << device_binary());
  test::TempDir dir;
  const std::string database = "sqlite:" + (dir.path() / "server.db").string();
  ServerProcess server(database, dir.path());
  server.start();
  const std::string data = (dir.path() / "device").string();
  auto device = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {device_binary(), "--data", data});
    return test::run(args);
  };
  REQUIRE(device({"init", "--name", "Tablette 5"}).exit_code == 0);
  const auto code = make_enrol_code(database, "Tablette 5");
  auto r = device({"enrol", sync::protocol::enrol_link(server.url(), code)});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("Enrolled as \"Tablette 5\"") != std::string::npos);
  std::vector<core::Uuid> sent;
  {
    auto store = storage::DeviceStore::open(data);
    sent = add_captures(store, 1200, 11);
  }
  r = device({"export-bundle", (dir.path() / "stick.jsonl").string()});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("Wrote 1200") != std::string::npos);
  auto imported = server_cli(database, {"import-bundle", (dir.path() / "stick.jsonl").string()});
  CHECK(imported.out.find("1200 accepted") != std::string::npos);
  imported = server_cli(database, {"import-bundle", (dir.path() / "stick.jsonl").string()});
  CHECK(imported.out.find("0 accepted, 1200 already held") != std::string::npos);

  r = device({"sync"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("Sync done: 0 accepted, 1200 already held, 0 refused in 2 batch(es); 0 waiting") != std::string::npos);
  CHECK(exported_ids(database).size() == 1200);

  REQUIRE(server_cli(database, {"revoke-device", "Tablette 5"}).exit_code == 0);
  r = device({"sync"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("revoked") != std::string::npos);
  auto listing = server_cli(database, {"list-devices"});
  CHECK(listing.out.find("REVOKED") != std::string::npos);
}

TEST_CASE("BackgroundSync: not enrolled - then enrolled and nudged - never blocking the caller") {
  test::TempDir dir;
  const std::string database = "sqlite:" + (dir.path() / "server.db").string();
  ServerProcess server(database, dir.path());
  server.start();
  const auto data = dir.path() / "device";
  { make_device(data, "Borne"); }

  auto wait_for = [](sync::BackgroundSync& bg, const std::function<bool(const sync::SyncStatus&)>& done) {
    std::optional<sync::SyncStatus> last;
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
      const auto t0 = std::chrono::steady_clock::now();
      auto s = bg.poll();
      CHECK(std::chrono::steady_clock::now() - t0 < 50ms);  // the UI thread never waits
      if (s) last = s;
      if (last && !last->running && done(*last)) return *last;
      std::this_thread::sleep_for(20ms);
    }
    FAIL("BackgroundSync did not get there in 30 s");
    return *last;
  };

  {
    sync::BackgroundSync bg(data);
    bg.start();
    bg.nudge();
    const auto s = wait_for(bg, [](const auto& st) { return st.network != sync::Network::unknown; });
    CHECK(s.network == sync::Network::not_enrolled);
    CHECK_FALSE(s.last_error.empty());
  }
  std::vector<core::Uuid> sent;
  {
    auto store = storage::DeviceStore::open(data);
    core::SystemClock clock;
    sync::SyncClient(store, clock, fast_options()).enrol(server.url(), make_enrol_code(database, "Borne"));
    sent = add_captures(store, 300, 12);
  }
  sync::BackgroundSync bg(data);
  bg.start();
  bg.nudge();
  const auto s = wait_for(bg, [](const auto& st) { return st.network == sync::Network::online; });
  CHECK(s.pending == 0);
  CHECK(s.last_success);
  CHECK(s.last_error.empty());
  CHECK(exported_ids(database).size() == 300);
  const auto t0 = std::chrono::steady_clock::now();
  bg.stop();
  CHECK(std::chrono::steady_clock::now() - t0 < 2s);
}

TEST_CASE("TLS: the certificate is verified - a town's own CA file makes it trusted") {
  test::TempDir dir;
  const auto cert = (dir.path() / "cert.pem").string(), key = (dir.path() / "key.pem").string();
  // A self-signed certificate for 127.0.0.1: its own CA.
  auto made = test::run({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                         "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"});
  INFO(made.err);
  REQUIRE(made.exit_code == 0);  // needs the openssl command (Debian: openssl, pulled in by ca-certificates)
  const std::string database = "sqlite:" + (dir.path() / "server.db").string();
  ServerProcess server(database, dir.path());
  server.extra_args = {"--tls-cert", cert, "--tls-key", key};
  server.scheme = "https";
  server.start();
  auto store = make_device(dir.path() / "device", "Tablette TLS");
  core::SystemClock clock;
  const auto code = make_enrol_code(database, "Tablette TLS");
  {
    sync::SyncClient untrusting(store, clock, fast_options());
    CHECK_THROWS_WITH(untrusting.enrol(server.url(), code), Catch::Contains("certificate"));
  }
  auto options = fast_options();
  options.ca_file = cert;
  sync::SyncClient client(store, clock, options);
  CHECK(client.enrol(server.url(), code).name == "Tablette TLS");
  add_captures(store, 50, 41);
  const auto report = client.sync();
  INFO(report.error);
  REQUIRE(report.ok());
  CHECK(report.accepted == 50);
  // The CA kept as the device's setting works the same.
  store.set_setting(core::settings::ca_file, cert);
  CHECK(sync::SyncClient(store, clock, fast_options()).sync().ok());
}

TEST_CASE("BackgroundSync stops at once even while a request hangs on a stalled server") {
  test::TempDir dir;
  const std::string database = "sqlite:" + (dir.path() / "server.db").string();
  ServerProcess server(database, dir.path());
  server.start();
  FaultProxy proxy(server.port());
  const auto data = dir.path() / "device";
  {
    auto store = make_device(data, "Borne");
    core::SystemClock clock;
    sync::SyncClient(store, clock, fast_options()).enrol(proxy.url(), make_enrol_code(database, "Borne"));
    add_captures(store, 20, 13);
  }
  proxy.set_faults("/api/v1/health", [](int) { return Fault::stall; });  // production timeouts: 120 s
  sync::BackgroundSync bg(data);
  bg.start();
  bg.nudge();
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  bool running = false;
  while (!running && std::chrono::steady_clock::now() < deadline) {
    if (auto s = bg.poll()) running = s->running;
    std::this_thread::sleep_for(20ms);
  }
  REQUIRE(running);
  std::this_thread::sleep_for(300ms);  // the request is now hanging on the proxy
  const auto t0 = std::chrono::steady_clock::now();
  bg.stop();
  CHECK(std::chrono::steady_clock::now() - t0 < 3s);
}

TEST_CASE("BackgroundEnrolment: a scanned link enrols off the caller's thread - other text is refused at once") {
  test::TempDir dir;
  const std::string database = "sqlite:" + (dir.path() / "server.db").string();
  ServerProcess server(database, dir.path());
  server.start();
  const auto data = dir.path() / "device";
  { make_device(data, "Borne"); }
  std::atomic<int> wakes{0};
  sync::BackgroundEnrolment enrolment(data, [&] { ++wakes; });
  const auto answer = [&] {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
      if (auto a = enrolment.poll()) return *a;
      std::this_thread::sleep_for(20ms);
    }
    FAIL("no enrolment answer in 30 s");
    return sync::BackgroundEnrolment::Answer{};
  };

  // Not an enrolment link: answered at once, no thread, no wake-up.
  const auto refused = enrolment.start("https://example.org/not-an-enrolment-link");
  REQUIRE(refused);
  CHECK_FALSE(refused->ok);
  CHECK(refused->message.find("enrôlement") != std::string::npos);

  // A code the server does not know: the server's refusal, as a sentence.
  CHECK_FALSE(enrolment.start(sync::protocol::enrol_link(server.url(), "NOT-A-CODE")));
  const auto wrong = answer();
  CHECK_FALSE(wrong.ok);
  CHECK(wrong.message.find("enrolment refused") != std::string::npos);

  // The real code: the answer, polled later, names the server.
  CHECK_FALSE(enrolment.start(sync::protocol::enrol_link(server.url(), make_enrol_code(database, "Borne"))));
  const auto ok = answer();
  INFO(ok.message);
  CHECK(ok.ok);
  CHECK(ok.message.find(server.url()) != std::string::npos);
  CHECK(wakes == 2);
  CHECK(storage::DeviceStore::open(data).setting(core::settings::server_url) == server.url());
}
