#pragma once
// The server's Api in-process over a real store (SQLite file or PostgreSQL database), a
// manual clock, the demo catalog published, and one enrolled device with its token.
#include <nlohmann/json.hpp>

#include "allervers/core/capture_json.hpp"
#include "allervers/core/time.hpp"
#include "allervers/server/admin.hpp"
#include "allervers/server/api.hpp"
#include "allervers/sync/protocol.hpp"
#include "demo_captures.hpp"
#include "test_support.hpp"

namespace allervers::test {

inline core::Instant server_now() { return core::SystemClock().now(); }

struct ApiRig {
  std::string url;
  core::ManualClock clock{server_now()};
  server::Api api{[this] { return server::open_store(url); }, clock};
  std::unique_ptr<server::ServerStore> store = server::open_store(url);
  core::UuidGenerator ids{7};
  core::Uuid device;
  std::string token;

  explicit ApiRig(std::string database_url) : url(std::move(database_url)) {
    server::publish_catalog(*store, read_file(assets_dir() / "demo/catalog.json"), clock.now());
    std::tie(device, token) = enrol("Tablette 1");
  }

  std::pair<core::Uuid, std::string> enrol(const std::string& name) {
    const auto code = server::create_enrol_code(*store, name, clock.now(), 3600'000);
    const core::Uuid id = ids.next(clock.now().utc_ms);
    auto r = api.handle(post("/api/v1/enrol", sync::protocol::encode_enrol_request({code.code, id, "x"}), ""));
    if (r.status != 200) throw std::runtime_error("enrol failed: " + r.body);
    return {id, sync::protocol::decode_enrol_response(r.body).token};
  }

  static server::HttpRequest post(const std::string& path, std::string body, const std::string& token,
                                  const std::string& encoding = "") {
    server::HttpRequest r;
    r.method = "POST";
    r.path = path;
    r.body = std::move(body);
    r.headers["content-type"] = "application/json";
    if (!token.empty()) r.headers["authorization"] = "Bearer " + token;
    if (!encoding.empty()) r.headers["content-encoding"] = encoding;
    return r;
  }

  static server::HttpRequest get(const std::string& path, const std::string& token, const std::string& etag = "") {
    server::HttpRequest r;
    r.method = "GET";
    r.path = path;
    if (!token.empty()) r.headers["authorization"] = "Bearer " + token;
    if (!etag.empty()) r.headers["if-none-match"] = etag;
    return r;
  }

  server::HttpResponse send_batch(const std::string& body, const std::string& encoding = "") {
    return api.handle(post("/api/v1/batches", body, token, encoding));
  }

  // A valid opinion for the demo square consultation; `n` varies its answers.
  core::Capture opinion(int n, const std::string& comment = "") {
    core::Capture c;
    c.id = ids.next(clock.now().utc_ms);
    c.device = device;
    c.consultation = "place-jean-jaures";
    c.version = 1;
    c.channel = core::Channel::market;
    c.captured_at = {clock.now().utc_ms - 60'000, 60};
    c.body = test::demo_opinion(n, comment.empty() ? "Réponse " + std::to_string(n) : comment);
    return c;
  }

  std::string batch(const std::vector<std::pair<std::int64_t, std::string>>& records, std::optional<std::int64_t> offset = 0) {
    sync::protocol::BatchRequest b;
    b.device = device;
    b.sent_at = clock.now();
    b.clock_offset_ms = offset;
    for (const auto& [seq, json] : records) b.records.push_back({seq, json});
    return sync::protocol::encode_batch(b);
  }

  // Everything the server holds, as text: two equal snapshots mean nothing changed.
  std::string snapshot() {
    std::ostringstream out;
    server::export_captures(*store, out, {});
    out << server::devices_json(store->list_devices()) << store->conflict_count();
    return out.str();
  }
};

}  // namespace allervers::test
