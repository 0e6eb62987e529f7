// The HTTP engine in-process, with handlers of the test's own: routing by prefix, the client
// address, bodies refused before they are read, the body budget, streamed answers with flat
// memory, a handler that throws, and a graceful stop that still answers a request in flight.
#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "allervers/server/http.hpp"
#include "allervers/sync/protocol.hpp"
#include "raw_http.hpp"

using namespace allervers;
using namespace std::chrono_literals;
using server::HttpRequest;
using server::HttpResponse;
using test::http_request;
using test::RawConnection;

namespace {

HttpResponse text(std::string body) {
  HttpResponse r;
  r.content_type = "text/plain";
  r.body = std::move(body);
  return r;
}

// A byte of the streamed test body: its position, so a lost or repeated part shows.
char pattern(std::size_t at) { return static_cast<char>('a' + (at * 7 + at / 65536) % 26); }

struct Rig {
  server::Router router;
  server::ListenOptions options;
  std::atomic<int> slow_started{0};
  std::unique_ptr<server::HttpServer> http;

  Rig() {
    options.port = 0;
    options.threads = 4;
    options.log_requests = false;
    router.mount("/api/", 1024, [](const HttpRequest& r) {
      return text("api " + r.method + " " + r.path + " from " + r.client_address + " query=" +
                  (r.query.count("q") ? r.query.at("q") : "") + " body=" + std::to_string(r.body.size()));
    });
    router.mount("/api/special/", 1024, [](const HttpRequest&) { return text("special"); });
    router.mount("/stream", 0, [](const HttpRequest& r) {
      const std::size_t total = std::stoul(r.query.at("bytes"));
      HttpResponse out;
      out.content_type = "application/octet-stream";
      auto at = std::make_shared<std::size_t>(0);
      out.stream = [total, at](std::string& part, std::size_t hint) {
        const std::size_t n = std::min(hint, total - *at);
        for (std::size_t i = 0; i < n; ++i) part.push_back(pattern(*at + i));
        *at += n;
        return *at < total;
      };
      return out;
    });
    router.mount("/broken-stream", 0, [](const HttpRequest&) {
      HttpResponse out;
      auto parts = std::make_shared<int>(0);
      out.stream = [parts](std::string& part, std::size_t hint) -> bool {
        if ((*parts)++ > 0) throw std::runtime_error("the export's database went away");
        part.assign(hint, 'x');
        return true;
      };
      return out;
    });
    router.mount("/boom", 0, [](const HttpRequest&) -> HttpResponse { throw std::runtime_error("handler bug"); });
    router.mount("/slow", 0, [this](const HttpRequest&) {
      ++slow_started;
      std::this_thread::sleep_for(400ms);
      return text("slow done");
    });
    router.mount("/upload", 1024 * 1024, [](const HttpRequest& r) { return text(std::to_string(r.body.size())); });
  }
  void start() { http = std::make_unique<server::HttpServer>(router, options); }
  int port() const { return http->port(); }
};

struct Chunked {
  std::string head;
  std::size_t total = 0;
  bool in_order = true;     // every byte matched pattern()
  bool terminated = false;  // the last (empty) chunk arrived: the body is whole
};

// Reads a chunked body to its end, checking every byte against pattern() without keeping it.
Chunked read_chunked(RawConnection& c) {
  Chunked out;
  char ch;
  while (out.head.find("\r\n\r\n") == std::string::npos) {
    if (::recv(c.fd(), &ch, 1, 0) != 1) return out;
    out.head.push_back(ch);
  }
  std::string buf;
  char chunk[65536];
  auto fill = [&](std::size_t want) {
    while (buf.size() < want) {
      const ssize_t n = ::recv(c.fd(), chunk, sizeof chunk, 0);
      if (n <= 0) return false;
      buf.append(chunk, static_cast<std::size_t>(n));
    }
    return true;
  };
  for (;;) {
    std::size_t eol;
    while ((eol = buf.find("\r\n")) == std::string::npos)
      if (!fill(buf.size() + 1)) return out;
    const std::size_t size = std::stoul(buf.substr(0, eol), nullptr, 16);
    buf.erase(0, eol + 2);
    if (!fill(size + 2)) return out;
    for (std::size_t i = 0; i < size; ++i)
      if (buf[i] != pattern(out.total + i)) out.in_order = false;
    out.total += size;
    buf.erase(0, size + 2);
    if (size == 0) {
      out.terminated = true;
      return out;
    }
  }
}

}  // namespace

TEST_CASE("the router: the longest prefix wins - 404 JSON when nothing is mounted - handlers see the client address") {
  Rig rig;
  rig.start();
  RawConnection c(rig.port(), "127.0.0.7");
  REQUIRE(c.send(http_request("GET", "/api/v1/x?q=caf%C3%A9")));
  auto r = c.read_response();
  CHECK(r.status == 200);
  CHECK(r.body == "api GET /api/v1/x from 127.0.0.7 query=café body=0");
  REQUIRE(c.send(http_request("GET", "/api/special/y")));  // same connection: kept alive
  CHECK(c.read_response().body == "special");
  REQUIRE(c.send(http_request("GET", "/nothing/here")));
  r = c.read_response();
  CHECK(r.status == 404);
  CHECK(sync::protocol::decode_error(404, r.body).error == "not_found");
  // The same through the plain function, without a socket.
  HttpRequest plain;
  plain.method = "POST";
  plain.path = "/api/z";
  plain.client_address = "192.0.2.1";
  plain.body = "abc";
  CHECK(rig.router.handle(plain).body == "api POST /api/z from 192.0.2.1 query= body=3");
}

TEST_CASE("a handler that throws: 500 internal_error in JSON - the server goes on") {
  Rig rig;
  rig.start();
  RawConnection c(rig.port());
  REQUIRE(c.send(http_request("GET", "/boom")));
  const auto r = c.read_response();
  CHECK(r.status == 500);
  CHECK(sync::protocol::decode_error(500, r.body).error == "internal_error");
  RawConnection again(rig.port());
  REQUIRE(again.send(http_request("GET", "/api/ok")));
  CHECK(again.read_response().status == 200);
}

TEST_CASE("bodies: over the mount's limit 413 before a byte is read - chunked 411 - a bad Content-Length 400") {
  Rig rig;
  rig.start();
  SECTION("a declared body over the limit is answered at once and not read") {
    RawConnection c(rig.port());
    REQUIRE(c.send("POST /api/x HTTP/1.1\r\nHost: x\r\nContent-Length: 1025\r\n\r\n"));
    const auto r = c.read_response(5s);  // the body was never sent: the answer cannot have waited for it
    CHECK(r.status == 413);
    CHECK(sync::protocol::decode_error(413, r.body).error == "too_large");
    CHECK(c.closed_within(2s));
  }
  SECTION("a body at the limit is read") {
    RawConnection c(rig.port());
    REQUIRE(c.send(http_request("POST", "/api/x", std::string(1024, 'x'))));
    CHECK(c.read_response().body == "api POST /api/x from 127.0.0.1 query= body=1024");
  }
  SECTION("chunked request bodies") {
    RawConnection c(rig.port());
    REQUIRE(c.send("POST /api/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
    const auto r = c.read_response(5s);
    CHECK(r.status == 411);
    CHECK(sync::protocol::decode_error(411, r.body).error == "length_required");
  }
  SECTION("Content-Length that is not a number") {
    RawConnection c(rig.port());
    REQUIRE(c.send("POST /api/x HTTP/1.1\r\nHost: x\r\nContent-Length: 12abc\r\n\r\n"));
    CHECK(c.read_response(5s).status == 400);
  }
}

TEST_CASE("the body budget: a body that would pass it is refused 503 with Retry-After - room again once the first ends") {
  Rig rig;
  rig.options.body_budget_bytes = 1024 * 1024;
  rig.start();
  const std::string body(700 * 1024, 'b');
  const std::string head = "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  RawConnection first(rig.port());
  REQUIRE(first.send(head + body.substr(0, 100)));  // holds 700 KiB of the budget, slowly
  std::this_thread::sleep_for(200ms);
  RawConnection second(rig.port(), "127.0.0.2");
  REQUIRE(second.send(head));
  const auto refused = second.read_response(5s);
  CHECK(refused.status == 503);
  CHECK(refused.headers.at("retry-after") == "5");
  CHECK(sync::protocol::decode_error(503, refused.body).error == "busy");
  REQUIRE(first.send(body.substr(100)));
  CHECK(first.read_response().body == std::to_string(body.size()));
  // The first's share comes back once its exchange has ended (just after its answer went out).
  std::string answered;
  for (int attempt = 0; attempt < 40 && answered != std::to_string(body.size()); ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(50ms);
    RawConnection third(rig.port(), "127.0.0.3");
    REQUIRE(third.send(head));
    if (auto r = third.read_response(200ms); r.status == 503) continue;
    REQUIRE(third.send(body));
    answered = third.read_response().body;
  }
  CHECK(answered == std::to_string(body.size()));
}

TEST_CASE("a streamed answer: 64 MiB in parts - every byte in order - the server's memory stays flat") {
  Rig rig;
  rig.start();
  std::ofstream("/proc/self/clear_refs") << "5";  // the peak (VmHWM) starts again from now
  const long before = test::process_memory_kb(::getpid(), "VmRSS");
  RawConnection c(rig.port());
  const std::size_t total = 64 * 1024 * 1024;
  REQUIRE(c.send(http_request("GET", "/stream?bytes=" + std::to_string(total))));
  const auto body = read_chunked(c);
  CHECK(body.head.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(body.head.find("Transfer-Encoding: chunked") != std::string::npos);
  CHECK(body.total == total);
  CHECK(body.in_order);
  CHECK(body.terminated);
  const long after = test::process_memory_kb(::getpid(), "VmHWM");
  INFO("memory before " << before << " kB, peak " << after << " kB");
  CHECK(after - before < 32 * 1024);  // the body is 64 MiB: it was never held whole
  // The connection is still usable after a streamed answer.
  REQUIRE(c.send(http_request("GET", "/stream?bytes=10")));
  CHECK(read_chunked(c).total == 10);
}

TEST_CASE("a streamed answer whose producer fails: the body is cut (no final chunk) - the client can tell") {
  Rig rig;
  rig.start();
  RawConnection c(rig.port());
  REQUIRE(c.send(http_request("GET", "/broken-stream")));
  const auto body = read_chunked(c);  // returns when the server closes
  CHECK(body.head.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(body.total == server::http_tuning::stream_part_bytes);  // the first part, then the cut
  CHECK_FALSE(body.terminated);
}

TEST_CASE("stopping: a request being handled is still answered - then nothing is accepted") {
  Rig rig;
  rig.start();
  const int port = rig.port();
  RawConnection c(port);
  REQUIRE(c.send(http_request("GET", "/slow")));
  while (rig.slow_started == 0) std::this_thread::sleep_for(5ms);
  std::thread stopper([&] { CHECK(rig.http->stop()); });
  const auto r = c.read_response(10s);
  stopper.join();
  CHECK(r.status == 200);
  CHECK(r.body == "slow done");
  CHECK_THROWS(RawConnection(port));
}

TEST_CASE("listening: a port already taken and an unusable TLS pair are refused with the reason") {
  Rig rig;
  rig.start();
  server::ListenOptions taken = rig.options;
  taken.port = rig.port();
  CHECK_THROWS_WITH(server::HttpServer(rig.router, taken), Catch::Contains("cannot listen on 127.0.0.1:"));
  server::ListenOptions name = rig.options;
  name.host = "localhost";
  CHECK_THROWS_WITH(server::HttpServer(rig.router, name), Catch::Contains("IP address"));
  server::ListenOptions tls = rig.options;
  tls.tls_cert = "/nonexistent/cert.pem";
  tls.tls_key = "/nonexistent/key.pem";
  CHECK_THROWS_WITH(server::HttpServer(rig.router, tls), Catch::Contains("cannot read the TLS certificate"));
}

TEST_CASE("X-Forwarded-For: believed only from a trusted proxy (its rightmost untrusted hop) - a client's own claim is ignored") {
  using server::client_address_of;
  const std::vector<std::string> nginx{"127.0.0.1"};
  // nginx appends the address it saw; what the client wrote before it proves nothing.
  CHECK(client_address_of("127.0.0.1", "198.51.100.66, 203.0.113.5", nginx) == "203.0.113.5");
  CHECK(client_address_of("127.0.0.1", "203.0.113.5", nginx) == "203.0.113.5");
  // A chain of trusted proxies is walked through.
  CHECK(client_address_of("127.0.0.1", "203.0.113.5, 10.0.0.2", {"127.0.0.1", "10.0.0.2"}) == "203.0.113.5");
  // From anyone else, the header is ignored.
  CHECK(client_address_of("203.0.113.9", "198.51.100.66", nginx) == "203.0.113.9");
  CHECK(client_address_of("127.0.0.2", "198.51.100.66", nginx) == "127.0.0.2");
  // No header, only trusted hops, or a hop that is not an address: the proxy's own address.
  CHECK(client_address_of("127.0.0.1", "", nginx) == "127.0.0.1");
  CHECK(client_address_of("127.0.0.1", "127.0.0.1", nginx) == "127.0.0.1");
  CHECK(client_address_of("127.0.0.1", "198.51.100.66, evil", nginx) == "127.0.0.1");
  CHECK(client_address_of("127.0.0.1", "203.0.113.5:4711", nginx) == "127.0.0.1");
  // IPv6, and IPv4 written as IPv6, in their canonical text.
  CHECK(client_address_of("::1", "2001:DB8::5", {"::1"}) == "2001:db8::5");
  CHECK(client_address_of("127.0.0.1", " ::ffff:192.0.2.7 ", nginx) == "192.0.2.7");
  CHECK(client_address_of("127.0.0.1", "[2001:db8::6]", nginx) == "2001:db8::6");

  // Through the engine: the handlers (limits, logs) see the address so chosen.
  Rig rig;
  rig.options.trusted_proxies = {"127.0.0.7"};
  rig.start();
  RawConnection proxy(rig.port(), "127.0.0.7");
  REQUIRE(proxy.send(http_request("GET", "/api/a", "", {"X-Forwarded-For: 198.51.100.66, 203.0.113.5"})));
  CHECK(proxy.read_response().body == "api GET /api/a from 203.0.113.5 query= body=0");
  RawConnection client(rig.port(), "127.0.0.8");
  REQUIRE(client.send(http_request("GET", "/api/a", "", {"X-Forwarded-For: 203.0.113.5"})));
  CHECK(client.read_response().body == "api GET /api/a from 127.0.0.8 query= body=0");
}
