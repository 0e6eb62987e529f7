// Hostile traffic on the real socket: what the HTTP layer itself must refuse (a gzip bomb,
// a declared length over the limit, garbage instead of HTTP), then a bounded loop of random
// requests; the server must stay up, answer JSON errors, and hold exactly what it held.
#include <catch2/catch.hpp>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <random>

#include "allervers/sync/tuning.hpp"
#include "e2e_support.hpp"

using namespace allervers;
using namespace allervers::e2e;

namespace {

// Sends raw bytes, returns whatever comes back until the server closes or stops answering.
// Waits up to `first_byte` for the answer to begin: long where an answer is due (a loaded machine
// may take seconds to inflate a bomb), short where the server may rightly wait for more bytes.
std::string raw_exchange(int port, const std::string& request,
                         std::chrono::milliseconds first_byte = std::chrono::seconds(10)) {
  const int fd = connect_loopback(port);
  if (fd < 0) return "(connect failed)";
  std::size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  // No half-close (a server may take it for a client gone). Wait for the answer, or give up
  // (the server may be waiting for bytes a mutated Content-Length promised).
  std::string out;
  char buf[65536];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, out.empty() ? static_cast<int>(first_byte.count()) : 200) <= 0) break;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

std::string post(const std::string& path, const std::string& body, const std::string& extra_headers) {
  return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n" + extra_headers + "Connection: close\r\n\r\n" + body;
}

int status_of(const std::string& response) {
  if (response.rfind("HTTP/1.1 ", 0) != 0) return 0;
  return std::stoi(response.substr(9, 3));
}

std::string body_of(const std::string& response) {
  const auto at = response.find("\r\n\r\n");
  return at == std::string::npos ? std::string() : response.substr(at + 4);
}

}  // namespace

TEST_CASE("the HTTP layer refuses bombs - oversized and garbage requests with JSON - and stays up") {
  test::TempDir dir;
  const std::string database = "sqlite:" + (dir.path() / "server.db").string();
  ServerProcess server(database, dir.path());
  server.start();
  auto store = make_device(dir.path() / "device", "Tablette H");
  core::SystemClock clock;
  sync::SyncClient client(store, clock, fast_options());
  client.enrol(server.url(), make_enrol_code(database, "Tablette H"));
  add_captures(store, 100, 31);
  REQUIRE(client.sync().ok());
  const std::string token = "Authorization: Bearer " + *store.setting(core::settings::token) + "\r\n";
  const auto before = server_cli(database, {"export"}).out;

  SECTION("a gzip bomb is cut off at the body limit: 413") {
    const auto bomb = sync::protocol::gzip_compress(std::string(sync::tuning::server_max_body_bytes + 4096, '['), 9);
    const auto r = raw_exchange(server.port(), post("/api/v1/batches", bomb, token + "Content-Encoding: gzip\r\n"));
    CHECK(status_of(r) == 413);
    CHECK(sync::protocol::decode_error(413, body_of(r)).error == "too_large");
  }
  SECTION("a declared Content-Length over the limit: 413 before reading it") {
    const std::string head = "POST /api/v1/batches HTTP/1.1\r\nHost: x\r\n" + token +
                             "Content-Length: 999999999999\r\nConnection: close\r\n\r\n";
    const auto r = raw_exchange(server.port(), head + "{");
    CHECK(status_of(r) == 413);
    CHECK(body_of(r).find("\"error\"") != std::string::npos);
    // Enrolment's limit is 16 KiB: a longer one is refused from its head too (its body never sent).
    const auto enrol = raw_exchange(server.port(), "POST /api/v1/enrol HTTP/1.1\r\nHost: x\r\nContent-Length: 16385\r\n\r\n");
    CHECK(status_of(enrol) == 413);
    CHECK(sync::protocol::decode_error(413, body_of(enrol)).error == "too_large");
  }
  SECTION("corrupt gzip: 400 invalid_gzip") {
    const auto r = raw_exchange(server.port(), post("/api/v1/batches", "\x1f\x8b\x08garbage", token + "Content-Encoding: gzip\r\n"));
    CHECK(status_of(r) == 400);
    CHECK(sync::protocol::decode_error(400, body_of(r)).error == "invalid_gzip");
  }
  SECTION("Content-Encoding as docs/protocol.md says: gzip or identity - anything else 415 - a cut gzip trailer 400") {
    sync::protocol::BatchRequest empty{store.identity().device, clock.now(), 0, 0, {}};
    const std::string batch = sync::protocol::encode_batch(empty);
    const std::string zipped = sync::protocol::gzip_compress(batch, 6);
    for (const char* encoding : {"x-foo", "deflate", "br", "compress", "gzip, gzip"}) {
      const auto r = raw_exchange(server.port(), post("/api/v1/batches", batch, token + "Content-Encoding: " + encoding + "\r\n"));
      INFO(encoding << " -> " << r.substr(0, 200));
      CHECK(status_of(r) == 415);
      CHECK(sync::protocol::decode_error(415, body_of(r)).error == "unsupported_encoding");
    }
    // The deflate stream is whole, only the gzip trailer (CRC-32 and length, 8 bytes) is missing.
    const auto cut = raw_exchange(server.port(), post("/api/v1/batches", zipped.substr(0, zipped.size() - 8),
                                                      token + "Content-Encoding: gzip\r\n"));
    CHECK(status_of(cut) == 400);
    CHECK(sync::protocol::decode_error(400, body_of(cut)).error == "invalid_gzip");
    CHECK(status_of(raw_exchange(server.port(), post("/api/v1/batches", zipped, token + "Content-Encoding: GZIP\r\n"))) == 200);
    CHECK(status_of(raw_exchange(server.port(), post("/api/v1/batches", batch, token + "Content-Encoding: identity\r\n"))) == 200);
  }
  SECTION("a chunked body: 411 - the server wants its length first") {
    const std::string head = "POST /api/v1/batches HTTP/1.1\r\nHost: x\r\n" + token +
                             "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    const auto r = raw_exchange(server.port(), head + "5\r\n{}{}{\r\n");
    CHECK(status_of(r) == 411);
    CHECK(sync::protocol::decode_error(411, body_of(r)).error == "length_required");
  }
  SECTION("random bytes and mutated requests") {
    std::mt19937_64 random(7);
    const std::string valid = post("/api/v1/batches", R"({"device":"x","sent_at":"y","records":[]})", token);
    for (int i = 0; i < 60; ++i) {
      std::string request;
      if (i % 3 == 0) {
        request.resize(random() % 1024);
        for (char& c : request) c = static_cast<char>(random() % 256);
        request += "\r\n\r\n";
      } else {
        request = valid;
        for (int e = 0; e < 3; ++e) request[random() % request.size()] = static_cast<char>(random() % 256);
      }
      const auto r = raw_exchange(server.port(), request, std::chrono::milliseconds(300));
      const int status = status_of(r);
      INFO("request " << i << " answered " << r.substr(0, 200));
      CHECK((status == 0 || (status >= 400 && status < 500)));  // 0: the server closed a non-HTTP stream
    }
  }
  // Still up, still holding exactly what it held.
  const auto health = raw_exchange(server.port(), "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(status_of(health) == 200);
  CHECK(server_cli(database, {"export"}).out == before);
}
