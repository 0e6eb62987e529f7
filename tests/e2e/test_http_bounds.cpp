// The server under attack, as issue 9 measured it, against the real allervers-server process:
// 1 GB request and header lines, a refused 1 GB body, 500 slow connections from one address,
// silent connections to the TLS port, connections per address, slow and idle clients
// dropped, the 40 ms Nagle stall, and 1,000 devices connected at once syncing.
//
// Latency bounds hold on a loaded 2-core machine; under AddressSanitizer (the CI's second
// run) only the latency bound of the slow-connection test is loosened (kSlowlorisBoundMs).
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <atomic>
#include <random>
#include <thread>

#include "allervers/core/capture_json.hpp"
#include "allervers/server/admin.hpp"
#include "allervers/server/http_tuning.hpp"
#include "allervers/server/store.hpp"
#include "allervers/sync/protocol.hpp"
#include "demo_captures.hpp"
#include "e2e_support.hpp"
#include "raw_http.hpp"

using namespace allervers;
using namespace allervers::e2e;
using namespace std::chrono_literals;
using test::http_request;
using test::RawConnection;
using test::RawResponse;
using Clock = std::chrono::steady_clock;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr double kSlowlorisBoundMs = 600;  // ASan makes the server 2-3x slower: only this bound is loosened
#else
constexpr double kSlowlorisBoundMs = 200;  // issue 9's target
#endif

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

struct Server {
  test::TempDir dir;
  std::string database = "sqlite:" + (dir.path() / "server.db").string();
  ServerProcess process{database, dir.path()};
  explicit Server(std::vector<std::string> args = {}) {
    process.extra_args = std::move(args);
    process.start();
  }
  int port() const { return process.port(); }
  int health_from(const std::string& address) const {
    RawConnection c(port(), address);
    if (!c.send(http_request("GET", "/api/v1/health"))) return 0;
    return c.read_response(10s).status;
  }
};

// Sends `head`, then `filler` again and again, until the server answers or closes, or `limit`
// bytes went out. What a client flooding one line or one body sees.
struct Flood {
  std::string head, filler;
  bool deaf = false;  // keeps sending after the answer, as an attacker would
  std::size_t sent = 0;
  RawResponse answer;
};

void flood(int port, Flood& f, std::size_t limit) {
  RawConnection c(port, "127.0.0.4");
  if (!c.send(f.head)) return;
  f.sent = f.head.size();
  std::string block;
  while (block.size() < 1024 * 1024) block += f.filler;
  while (f.sent < limit) {
    pollfd p{c.fd(), POLLIN | POLLOUT, 0};
    if (::poll(&p, 1, 5000) <= 0) break;  // neither reading nor answering: the check below fails
    if ((p.revents & (POLLIN | POLLHUP | POLLERR)) && !f.deaf) break;  // an answer (or the end): stop sending
    if (!(p.revents & POLLOUT)) {
      if (p.revents & (POLLHUP | POLLERR)) break;
      std::this_thread::sleep_for(1ms);
      continue;
    }
    const ssize_t n = ::send(c.fd(), block.data(), block.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) break;
    if (n > 0) f.sent += static_cast<std::size_t>(n);
  }
  f.answer = c.read_response(5s);
}

// Is `c` closed by the server (without waiting)?
bool is_closed(RawConnection& c) { return c.closed_within(0ms); }

}  // namespace

TEST_CASE("1 GB request and header lines get 414 and 431 - a refused 1 GB body is not read - memory rises under 50 MB") {
  Server server;
  REQUIRE(server.health_from("127.0.0.1") == 200);
  const long before = test::process_memory_kb(server.process.pid(), "VmRSS");
  constexpr std::size_t gigabyte = std::size_t{1} << 30;
  const std::string too_long = "POST /api/v1/batches HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                               "Content-Length: 1073741824\r\n\r\n";
  std::vector<Flood> floods = {
      {"GET /", "a", true, 0, {}},                                                     // a request line without end
      {"GET /api/v1/health?x=", "b", true, 0, {}},                                      // the same in the query
      {"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Long: ", "c", true, 0, {}},        // a header line without end
      {"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n", "X-Many: header\r\n", true, 0, {}},  // headers without end
      {too_long, "[", true, 0, {}},   // a declared body over the limit, sent all the same
      {too_long, "[", false, 0, {}},  // the same, from a client that stops at the answer
  };
  std::vector<std::thread> threads;
  for (auto& f : floods) threads.emplace_back([&] { flood(server.port(), f, gigabyte); });
  for (auto& t : threads) t.join();
  const int expected[] = {414, 414, 431, 431, 413, 413};
  for (std::size_t i = 0; i < floods.size(); ++i) {
    INFO("flood " << i << " (" << floods[i].head.substr(0, 30) << "…): " << floods[i].sent << " bytes sent, answered "
                  << floods[i].answer.status);
    CHECK(floods[i].answer.status == expected[i]);
    CHECK(floods[i].sent < 64u * 1024 * 1024);  // the server stopped reading long before 1 GB
  }
  CHECK(sync::protocol::decode_error(413, floods[5].answer.body).error == "too_large");
  const long peak = test::process_memory_kb(server.process.pid(), "VmHWM");
  INFO("server memory before " << before << " kB, peak " << peak << " kB");
  CHECK(peak - before < 50 * 1024);
  CHECK(server.health_from("127.0.0.1") == 200);
}

TEST_CASE("500 slow connections from one address - a normal request from another address is answered in under 200 ms") {
  test::raise_open_files(4096);
  Server server;
  std::vector<RawConnection> slow;
  slow.reserve(500);
  for (int i = 0; i < 500; ++i) {
    slow.emplace_back(server.port(), "127.0.0.3");
    slow.back().send("GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: ");
  }
  // Each slow connection sends one more byte of its endless header line every second.
  std::atomic<bool> stop{false};
  std::thread trickle([&] {
    while (!stop) {
      for (auto& c : slow) ::send(c.fd(), "s", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
      for (int i = 0; i < 10 && !stop; ++i) std::this_thread::sleep_for(100ms);
    }
  });
  std::this_thread::sleep_for(1500ms);
  std::vector<double> took;
  for (int i = 0; i < 20; ++i) {
    const auto t0 = Clock::now();
    CHECK(server.health_from("127.0.0.2") == 200);
    took.push_back(ms_since(t0));
    std::this_thread::sleep_for(50ms);
  }
  int held = 0;
  for (auto& c : slow) held += is_closed(c) ? 0 : 1;
  stop = true;
  trickle.join();
  INFO("health from another address under attack: median " << percentile(took, 0.5) << " ms, max "
                                                           << percentile(took, 1.0) << " ms; slow connections held " << held);
  CHECK(percentile(took, 1.0) < kSlowlorisBoundMs);
  // The attacker's address holds at most its share; the rest were closed at once.
  CHECK(held <= static_cast<int>(server::http_tuning::max_connections_per_address));
  CHECK(held >= static_cast<int>(server::http_tuning::max_connections_per_address) - 10);
}

TEST_CASE("connections per address: the one over the limit is closed - other addresses are served - room again after a close") {
  Server server({"--max-connections-per-address", "4"});
  std::vector<RawConnection> four;
  for (int i = 0; i < 4; ++i) {
    four.emplace_back(server.port(), "127.0.0.5");
    REQUIRE(four.back().send(http_request("GET", "/api/v1/health")));
    REQUIRE(four.back().read_response().status == 200);  // kept alive
  }
  RawConnection fifth(server.port(), "127.0.0.5");
  CHECK(fifth.closed_within(3s));
  CHECK(server.health_from("127.0.0.6") == 200);
  four.pop_back();
  int status = 0;
  for (int attempt = 0; attempt < 40 && status != 200; ++attempt) {
    std::this_thread::sleep_for(50ms);  // the server notices the close
    status = server.health_from("127.0.0.5");
  }
  CHECK(status == 200);
}

TEST_CASE("slow and idle clients are dropped: a trickled head - a silent connection - a stalled body - an idle keep-alive") {
  Server server({"--head-timeout", "2", "--idle-timeout", "2"});
  RawConnection trickled(server.port(), "127.0.0.8"), silent(server.port(), "127.0.0.8"), stalled(server.port(), "127.0.0.8"),
      idle(server.port(), "127.0.0.8");
  const auto t0 = Clock::now();
  REQUIRE(trickled.send("GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: "));
  REQUIRE(stalled.send("POST /api/v1/enrol HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"code\":"));
  REQUIRE(idle.send(http_request("GET", "/api/v1/health")));
  REQUIRE(idle.read_response().status == 200);
  std::array<double, 4> closed_at{};
  std::array<RawConnection*, 4> all{&trickled, &silent, &stalled, &idle};
  while (ms_since(t0) < 10'000 && std::any_of(closed_at.begin(), closed_at.end(), [](double t) { return t == 0; })) {
    ::send(trickled.fd(), "s", 1, MSG_NOSIGNAL | MSG_DONTWAIT);  // "active": one byte every 100 ms
    for (std::size_t i = 0; i < all.size(); ++i)
      if (closed_at[i] == 0 && is_closed(*all[i])) closed_at[i] = ms_since(t0);
    std::this_thread::sleep_for(100ms);
  }
  const char* names[] = {"trickled head", "silent", "stalled body", "idle keep-alive"};
  for (std::size_t i = 0; i < all.size(); ++i) {
    INFO(names[i] << " closed after " << closed_at[i] << " ms");
    CHECK(closed_at[i] > 1500);  // not before its deadline (2 s)
    CHECK(closed_at[i] < 6000);  // and soon after it
  }
  CHECK(server.health_from("127.0.0.8") == 200);
}

TEST_CASE("TLS: silent TCP connections to the TLS port delay nobody - and are dropped") {
  test::TempDir keys;
  const auto cert = (keys.path() / "cert.pem").string(), key = (keys.path() / "key.pem").string();
  auto made = test::run({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days",
                         "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"});
  REQUIRE(made.exit_code == 0);
  Server server({"--tls-cert", cert, "--tls-key", key, "--head-timeout", "3"});
  server.process.scheme = "https";
  std::vector<RawConnection> silent;
  for (int i = 0; i < 8; ++i) silent.emplace_back(server.port(), "127.0.0.9");  // issue 9: eight delayed health 28 s
  for (int i = 0; i < 200; ++i) silent.emplace_back(server.port(), "127.0.0.10");
  std::this_thread::sleep_for(300ms);
  auto store = make_device(server.dir.path() / "device", "Tablette TLS");
  core::SystemClock clock;
  auto options = fast_options();
  options.ca_file = cert;
  const auto code = make_enrol_code(server.database, "Tablette TLS");
  const auto t0 = Clock::now();
  sync::SyncClient client(store, clock, options);
  CHECK(client.enrol(server.process.url(), code).name == "Tablette TLS");
  add_captures(store, 20, 42);
  const auto report = client.sync();
  const double took = ms_since(t0);
  INFO(report.error);
  REQUIRE(report.ok());
  CHECK(report.accepted == 20);
  INFO("enrol and sync over TLS beside 208 silent connections: " << took << " ms");
  CHECK(took < 3000);  // a few handshakes and three commits; the old engine waited 28 s
  // Past the head timeout, the silent connections are gone.
  int open = 0;
  for (auto& c : silent) open += c.closed_within(6s) ? 0 : 1;
  CHECK(open == 0);
}

TEST_CASE("no Nagle stall: small requests one after another on a kept-alive connection take well under 40 ms each") {
  Server server;
  RawConnection c(server.port());
  std::vector<double> health, enrol;
  const std::string body = R"({"code":"AAAA-BBBB-CCCC-DDDD","device":"0190a000-0000-7000-8000-000000000001","device_name":"x"})";
  for (int i = 0; i < 100; ++i) {
    auto t0 = Clock::now();
    REQUIRE(c.send(http_request("GET", "/api/v1/health")));
    REQUIRE(c.read_response().status == 200);
    health.push_back(ms_since(t0));
    // Head and body in two writes, as libcurl sends a POST.
    t0 = Clock::now();
    const std::string request = http_request("POST", "/api/v1/enrol", body, {"Content-Type: application/json"});
    REQUIRE(c.send(request.substr(0, request.size() - body.size())));
    REQUIRE(c.send(body));
    const int status = c.read_response().status;
    REQUIRE((status == 403 || status == 429));  // unknown code, then too many from this address: read only
    enrol.push_back(ms_since(t0));
  }
  INFO("health median " << percentile(health, 0.5) << " ms; POST in two writes median " << percentile(enrol, 0.5) << " ms");
  CHECK(percentile(health, 0.5) < 20);
  CHECK(percentile(enrol, 0.5) < 20);
}

// --- 1,000 devices -----------------------------------------------------------------------

namespace {

// One simulated device on its own kept-alive connection: enrols, then every few seconds makes
// a sync pass as the sync client does: the catalog (ETag), a batch of one capture, the pass keys
// and the outcomes (each with its ETag).
struct SimDevice {
  enum class Step { idle, enrol, catalog, batch, passes, outcomes };
  int fd = -1;
  core::Uuid id;
  std::string code, token, etag, passes_etag, outcomes_etag;
  std::string out, in;
  std::size_t out_at = 0;
  Step step = Step::idle;
  Clock::time_point next, sent;
  int cycles = 0;
  std::int64_t seq = 0;
};

std::string one_capture_batch(SimDevice& d, core::UuidGenerator& ids, const core::Instant& now) {
  core::Capture c;
  c.id = ids.next(now.utc_ms);
  c.device = d.id;
  c.consultation = "place-jean-jaures";
  c.version = 1;
  c.channel = core::Channel::market;
  c.captured_at = {now.utc_ms - 5'000, 60};
  c.body = test::demo_opinion(static_cast<int>(d.seq), "Appareil " + d.id.str());  // the body says its kind
  sync::protocol::BatchRequest b{d.id, now, 0, 0, {}};
  b.records.push_back({++d.seq, core::canonical_json(c)});
  return sync::protocol::encode_batch(b);
}

}  // namespace

TEST_CASE("1000 devices connected at once - syncing every few seconds - see no error") {
  constexpr std::size_t devices = 1000;
  constexpr int cycles = 3;
  constexpr auto period = 4s;  // each device syncs every 3 to 5 s
  test::raise_open_files(4096);
  Server server;
  auto store = server::open_store(server.database);
  core::SystemClock clock;
  std::vector<SimDevice> fleet(devices);
  core::UuidGenerator ids(2026);
  for (std::size_t i = 0; i < devices; ++i) {
    fleet[i].id = ids.next(clock.now().utc_ms);
    fleet[i].code = server::create_enrol_code(*store, "Tablette " + std::to_string(i), clock.now(), 3600'000).code;
  }
  // All connected before the first request: ten devices behind each of 100 addresses (NATs).
  for (std::size_t i = 0; i < devices; ++i) {
    RawConnection c(server.port(), "127.0.50." + std::to_string(1 + i % 100));
    fleet[i].fd = ::dup(c.fd());
    ::fcntl(fleet[i].fd, F_SETFL, O_NONBLOCK);
  }
  std::mt19937 random(9);
  const auto start = Clock::now();
  for (auto& d : fleet) d.next = start + std::chrono::milliseconds(random() % 3000);
  std::vector<std::string> errors;
  std::vector<double> latency;
  auto fail = [&](std::size_t i, const std::string& what) {
    if (errors.size() < 20) errors.push_back("device " + std::to_string(i) + ": " + what);
    else errors.push_back("…");
  };
  auto send_request = [&](SimDevice& d, SimDevice::Step step, std::string request) {
    d.step = step;
    d.out = std::move(request);
    d.out_at = 0;
    d.sent = Clock::now();
  };
  std::vector<pollfd> polls(devices);
  while (errors.empty()) {
    const auto now = Clock::now();
    std::size_t done = 0;
    for (std::size_t i = 0; i < devices; ++i) {
      auto& d = fleet[i];
      done += d.cycles >= cycles ? 1 : 0;
      if (d.step == SimDevice::Step::idle && d.cycles < cycles && now >= d.next) {
        if (d.token.empty())
          send_request(d, SimDevice::Step::enrol,
                       http_request("POST", "/api/v1/enrol", sync::protocol::encode_enrol_request({d.code, d.id, "Tablette"}),
                                    {"Content-Type: application/json"}));
        else
          send_request(d, SimDevice::Step::catalog,
                       http_request("GET", "/api/v1/catalog", "", {"Authorization: Bearer " + d.token, "If-None-Match: " + d.etag}));
        d.next = now + period - 1s + std::chrono::milliseconds(random() % 2000);
      }
      if (d.step != SimDevice::Step::idle && now - d.sent > 60s) fail(i, "no answer within 60 s");
      polls[i] = {d.fd, static_cast<short>(POLLIN | (d.out_at < d.out.size() ? POLLOUT : 0)), 0};
    }
    if (done == devices) break;
    if (now - start > 240s) {
      fail(devices, "(the fleet) did not finish within 240 s");
      break;
    }
    if (::poll(polls.data(), polls.size(), 20) < 0) continue;
    for (std::size_t i = 0; i < devices; ++i) {
      auto& d = fleet[i];
      const short ready = polls[i].revents;
      if (ready & POLLOUT) {
        const ssize_t n = ::send(d.fd, d.out.data() + d.out_at, d.out.size() - d.out_at, MSG_NOSIGNAL);
        if (n > 0) d.out_at += static_cast<std::size_t>(n);
        else if (errno != EAGAIN) fail(i, "send failed: " + std::string(std::strerror(errno)));
      }
      if (!(ready & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[16384];
      const ssize_t n = ::recv(d.fd, buf, sizeof buf, 0);
      if (n == 0 || (n < 0 && errno != EAGAIN)) {
        fail(i, "the server closed the connection");
        continue;
      }
      if (n > 0) d.in.append(buf, static_cast<std::size_t>(n));
      RawResponse r;
      if (!test::take_response(d.in, r)) continue;
      latency.push_back(ms_since(d.sent));
      const auto step = d.step;
      d.step = SimDevice::Step::idle;
      if (step == SimDevice::Step::enrol) {
        if (r.status != 200) fail(i, "enrol answered " + std::to_string(r.status) + " " + r.body);
        else d.token = sync::protocol::decode_enrol_response(r.body).token;
      } else if (step == SimDevice::Step::catalog) {
        if (r.status != 200 && r.status != 304) fail(i, "catalog answered " + std::to_string(r.status) + " " + r.body);
        if (r.status == 200) d.etag = r.headers["etag"];
        send_request(d, SimDevice::Step::batch,
                     http_request("POST", "/api/v1/batches", one_capture_batch(d, ids, clock.now()),
                                  {"Content-Type: application/json", "Authorization: Bearer " + d.token}));
      } else if (step == SimDevice::Step::batch) {
        if (r.status != 200) fail(i, "batch answered " + std::to_string(r.status) + " " + r.body);
        else if (sync::protocol::decode_batch_response(r.body).accepted != 1) fail(i, "batch not accepted: " + r.body);
        send_request(d, SimDevice::Step::passes,
                     http_request("GET", "/api/v1/passes", "", {"Authorization: Bearer " + d.token, "If-None-Match: " + d.passes_etag}));
      } else if (step == SimDevice::Step::passes || step == SimDevice::Step::outcomes) {
        const bool passes = step == SimDevice::Step::passes;
        if (r.status != 200 && r.status != 304)
          fail(i, std::string(passes ? "passes" : "outcomes") + " answered " + std::to_string(r.status) + " " + r.body);
        if (r.status == 200) (passes ? d.passes_etag : d.outcomes_etag) = r.headers["etag"];
        if (passes)
          send_request(d, SimDevice::Step::outcomes,
                       http_request("GET", "/api/v1/outcomes", "", {"Authorization: Bearer " + d.token, "If-None-Match: " + d.outcomes_etag}));
        else
          ++d.cycles;
      }
    }
  }
  const long peak = test::process_memory_kb(server.process.pid(), "VmHWM");
  for (auto& d : fleet) ::close(d.fd);
  std::printf("1000 devices: %zu requests in %.1f s, latency p50 %.1f ms, p99 %.1f ms, max %.1f ms; server peak memory %ld kB\n",
              latency.size(), ms_since(start) / 1000, percentile(latency, 0.5), percentile(latency, 0.99), percentile(latency, 1.0),
              peak);
  std::string first_errors;
  for (const auto& e : errors) first_errors += e + "\n";
  INFO(first_errors);
  CHECK(errors.empty());
  CHECK(store->capture_count() == static_cast<std::int64_t>(devices) * cycles);
}
