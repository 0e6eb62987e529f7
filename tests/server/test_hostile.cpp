// Hostile requests: every 4xx the protocol promises, each with a JSON reason and nothing
// changed; then a bounded fuzz loop of random and mutated batch bodies.
#include <catch2/catch.hpp>

#include <random>

#include "allervers/sync/tuning.hpp"
#include "server_fixture.hpp"

using namespace allervers;
using allervers::test::ApiRig;
using nlohmann::json;

namespace {

struct Hostile {
  test::TempDir dir;
  ApiRig rig{"sqlite:" + (dir.path() / "server.db").string()};
  std::string held;  // snapshot after one good batch

  Hostile() {
    std::vector<std::pair<std::int64_t, std::string>> records;
    for (int i = 1; i <= 20; ++i) records.emplace_back(i, core::canonical_json(rig.opinion(i)));
    REQUIRE(rig.send_batch(rig.batch(records)).status == 200);
    held = rig.snapshot();
  }

  // Sends, then checks: the status, a JSON error body with that code, nothing changed.
  void expect(const server::HttpRequest& request, int status, const std::string& code) {
    const auto r = rig.api.handle(request);
    INFO(request.method << " " << request.path << " -> " << r.status << " " << r.body);
    CHECK(r.status == status);
    const auto e = sync::protocol::decode_error(r.status, r.body);
    CHECK(e.error == code);
    CHECK_FALSE(e.message.empty());
    CHECK(rig.snapshot() == held);
  }

  server::HttpRequest batch(std::string body, const std::string& encoding = "") {
    return ApiRig::post("/api/v1/batches", std::move(body), rig.token, encoding);
  }
};

std::string good_batch(ApiRig& rig, int n = 3) {
  std::vector<std::pair<std::int64_t, std::string>> records;
  for (int i = 0; i < n; ++i) records.emplace_back(100 + i, core::canonical_json(rig.opinion(100 + i)));
  return rig.batch(records);
}

}  // namespace

TEST_CASE("token problems: 401 and 403 - a revoked token is 401 everywhere - nothing stored") {
  Hostile h;
  const auto body = good_batch(h.rig);
  h.expect(ApiRig::post("/api/v1/batches", body, ""), 401, "missing_token");
  h.expect(ApiRig::post("/api/v1/batches", body, "not-a-token"), 401, "unknown_token");
  auto wrong_scheme = ApiRig::post("/api/v1/batches", body, "");
  wrong_scheme.headers["authorization"] = "Basic " + h.rig.token;
  h.expect(wrong_scheme, 401, "missing_token");
  // Another enrolled device's token with this device's batch.
  const auto [other, other_token] = h.rig.enrol("Tablette 2");
  h.held = h.rig.snapshot();
  h.expect(ApiRig::post("/api/v1/batches", body, other_token), 403, "device_mismatch");
  REQUIRE(h.rig.store->revoke_device("Tablette 1", h.rig.clock.now().utc_ms).outcome == server::RevokeOutcome::revoked);
  h.held = h.rig.snapshot();
  h.expect(h.batch(body), 401, "revoked_device");
  // Every endpoint that reads a token answers a revoked one alike, and tells it to wipe.
  for (const char* path : {"/api/v1/catalog", "/api/v1/passes", "/api/v1/assemblies/attendance"}) {
    server::HttpRequest get;
    get.method = "GET";
    get.path = path;
    get.headers["authorization"] = "Bearer " + h.rig.token;
    h.expect(get, 401, "revoked_device");
    CHECK(json::parse(h.rig.api.handle(get).body).value("wipe", false));
  }
}

TEST_CASE("malformed bodies: 400 with the field at fault - nothing stored") {
  Hostile h;
  h.expect(h.batch("{not json"), 400, "invalid_json");
  h.expect(h.batch(""), 400, "invalid_json");
  h.expect(h.batch(good_batch(h.rig) + std::string(1, '\0') + "{}"), 400, "invalid_json");  // the reader would stop at the NUL
  h.expect(h.batch("[1,2,3]"), 400, "invalid_json");
  h.expect(h.batch("not gzip at all", "gzip"), 400, "invalid_gzip");
  auto zipped = sync::protocol::gzip_compress(good_batch(h.rig), 6);
  h.expect(h.batch(zipped.substr(0, zipped.size() / 2), "gzip"), 400, "invalid_gzip");  // truncated
  h.expect(h.batch(zipped + "trailing", "gzip"), 400, "invalid_gzip");
  json j = json::parse(good_batch(h.rig));
  auto with = [&](const char* key, json value) {
    json k = j;
    if (value.is_discarded()) k.erase(key);
    else k[key] = std::move(value);
    return k.dump();
  };
  h.expect(h.batch(with("records", "many")), 400, "invalid_batch");
  h.expect(h.batch(with("records", json(json::value_t::discarded))), 400, "invalid_batch");
  h.expect(h.batch(with("device", 42)), 400, "invalid_batch");
  h.expect(h.batch(with("device", "tablette")), 400, "invalid_batch");
  h.expect(h.batch(with("sent_at", "hier")), 400, "invalid_batch");
  h.expect(h.batch(with("clock_offset_ms", "5")), 400, "invalid_batch");
  h.expect(h.batch(with("pending_after", 1.5)), 400, "invalid_batch");
  std::string deep(100, '[');
  h.expect(h.batch(with("records", json::array()).insert(1, "\"x\":" + deep + std::string(100, ']') + ",")), 400, "invalid_json");
}

TEST_CASE("over the limits: 413 - wrong media: 415 - wrong place: 404/405") {
  Hostile h;
  const std::size_t limit = sync::tuning::server_max_body_bytes;
  h.expect(h.batch(std::string(limit + 1, ' ')), 413, "too_large");
  // A gzip bomb: 2 KB on the wire, 17 MB once inflated; refused without inflating it all.
  const auto bomb = sync::protocol::gzip_compress(std::string(limit + 1024 * 1024, ' '), 9);
  CHECK(bomb.size() < 64 * 1024);
  h.expect(h.batch(bomb, "gzip"), 413, "too_large");
  std::vector<std::pair<std::int64_t, std::string>> many;
  for (std::size_t i = 0; i <= sync::tuning::server_max_records; ++i) many.emplace_back(static_cast<std::int64_t>(i), "{}");
  h.expect(h.batch(h.rig.batch(many)), 413, "too_many_records");
  h.expect(h.batch(good_batch(h.rig), "br"), 415, "unsupported_encoding");
  auto text = h.batch(good_batch(h.rig));
  text.headers["content-type"] = "text/plain";
  h.expect(text, 415, "unsupported_media_type");
  h.expect(ApiRig::post("/api/v1/nothing", "{}", h.rig.token), 404, "not_found");
  h.expect(ApiRig::post("/api/v2/batches", "{}", h.rig.token), 404, "not_found");
  server::HttpRequest get;
  get.method = "GET";
  get.path = "/api/v1/batches";
  h.expect(get, 405, "method_not_allowed");
  h.expect(ApiRig::post("/api/v1/catalog", "{}", h.rig.token), 405, "method_not_allowed");
}

TEST_CASE("Content-Encoding is decided in one place: gzip or identity in any case - anything else 415 - a cut gzip trailer 400") {
  Hostile h;
  const auto body = good_batch(h.rig);
  const auto zipped = sync::protocol::gzip_compress(body, 6);
  for (const char* encoding : {"x-foo", "deflate", "br", "compress", "gzip, gzip", "identity, gzip"})
    h.expect(h.batch(body, encoding), 415, "unsupported_encoding");
  h.expect(h.batch(zipped.substr(0, zipped.size() - 8), "gzip"), 400, "invalid_gzip");  // no CRC-32 and length
  h.expect(h.batch(zipped.substr(0, zipped.size() - 1), "gzip"), 400, "invalid_gzip");
  auto corrupt_crc = zipped;
  corrupt_crc[corrupt_crc.size() - 6] ^= 0x55;
  h.expect(h.batch(corrupt_crc, "gzip"), 400, "invalid_gzip");
  CHECK(h.rig.api.handle(h.batch(body, " Identity ")).status == 200);
  CHECK(h.rig.api.handle(h.batch(zipped, "GZIP")).status == 200);  // the same records again: duplicates
}

TEST_CASE("enrolment: unknown - used - expired codes and bad requests") {
  Hostile h;
  const auto device = core::UuidGenerator(5).next(h.rig.clock.now().utc_ms);
  auto enrol = [&](const std::string& code) {
    return ApiRig::post("/api/v1/enrol", sync::protocol::encode_enrol_request({code, device, "x"}), "");
  };
  h.expect(enrol("AAAA-BBBB-CCCC-DDDD"), 403, "unknown_code");
  const auto code = server::create_enrol_code(*h.rig.store, "Borne", h.rig.clock.now(), 1000);
  h.held = h.rig.snapshot();
  h.rig.clock.advance_ms(2000);
  h.expect(enrol(code.code), 410, "code_expired");
  const auto fresh = server::create_enrol_code(*h.rig.store, "Borne", h.rig.clock.now(), 60'000);
  // Lower case and without dashes: codes are read as people type them.
  std::string typed;
  for (char c : fresh.code)
    if (c != '-') typed.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  REQUIRE(h.rig.api.handle(enrol(typed)).status == 200);
  h.held = h.rig.snapshot();
  h.expect(enrol(fresh.code), 409, "code_used");
  h.expect(ApiRig::post("/api/v1/enrol", "{]", ""), 400, "invalid_json");
  h.expect(ApiRig::post("/api/v1/enrol", R"({"code":"X","device":"nope"})", ""), 400, "invalid_request");
  h.expect(ApiRig::post("/api/v1/enrol", R"({"code":7,"device":"0190a000-0000-7000-8000-000000000001"})", ""), 400,
           "invalid_request");
  h.expect(ApiRig::post("/api/v1/enrol", std::string(20000, 'x'), ""), 413, "too_large");
}

TEST_CASE("fuzz: random and mutated batch bodies never crash the server nor change what it holds") {
  Hostile h;
  std::mt19937_64 random(20261123);
  const std::string base = good_batch(h.rig, 4);
  // The captures held before: each must stay byte for byte what it was.
  std::map<std::string, std::string> before;
  h.rig.store->for_each_capture([&](const server::CaptureRow& r) { before[r.id] = r.body; });
  const std::vector<std::string> tokens = {"{", "}", "[", "]", ",", ":", "\"", "null", "true", "-1", "1e309",
                                           "\"seq\"", "\"capture\"", "\"id\"", "\\u0000", "\xff\xfe", "9223372036854775808"};
  auto mutate = [&](std::string s) {
    const int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits && !s.empty(); ++e) {
      const std::size_t at = random() % s.size();
      switch (random() % 6) {
        case 0: s[at] = static_cast<char>(random() % 256); break;
        case 1: s.erase(at, 1 + random() % 16); break;
        case 2: s.insert(at, tokens[random() % tokens.size()]); break;
        case 3: s.insert(at, s.substr(random() % s.size(), random() % 64)); break;
        case 4: s.resize(at); break;
        case 5: {  // swap a value for another type, keeping the JSON valid when it was
          json j = json::parse(s, nullptr, false);
          if (j.is_discarded() || !j.contains("records") || !j["records"].is_array() || j["records"].empty()) break;
          auto& rec = j["records"][random() % j["records"].size()];
          static const json values[] = {nullptr, 0, -5, "x", json::array(), json::object(), 1.5, true, std::string(300, 'a')};
          const json v = values[random() % std::size(values)];
          if (random() % 2 && rec.contains("capture") && rec["capture"].is_object() && !rec["capture"].empty()) {
            auto it = rec["capture"].begin();
            std::advance(it, static_cast<long>(random() % rec["capture"].size()));
            *it = v;
          } else {
            rec[random() % 2 ? "seq" : "capture"] = v;
          }
          s = j.dump();
          break;
        }
      }
    }
    return s;
  };
  int answered_200 = 0;
  for (int i = 0; i < 1500; ++i) {
    std::string body;
    if (i % 10 == 0) {
      body.resize(random() % 2048);
      for (char& c : body) c = static_cast<char>(random() % 256);
    } else {
      body = mutate(base);
    }
    const bool zip = i % 4 == 1;
    const auto r = h.rig.api.handle(h.batch(zip ? sync::protocol::gzip_compress(body, 1) : body, zip ? "gzip" : ""));
    INFO("iteration " << i << " body: " << body.substr(0, 300));
    REQUIRE((r.status == 200 || r.status == 400 || r.status == 413));
    if (r.status == 200) {
      ++answered_200;
      const auto response = sync::protocol::decode_batch_response(r.body);
      CHECK(response.accepted + response.duplicates + response.rejected == static_cast<std::int64_t>(response.results.size()));
    } else {
      CHECK_FALSE(sync::protocol::decode_error(r.status, r.body).message.empty());
    }
  }
  CHECK(answered_200 > 100);
  // Nothing held before changed; whatever was added is a valid capture of this device.
  std::map<std::string, std::string> after;
  h.rig.store->for_each_capture([&](const server::CaptureRow& r) { after[r.id] = r.body; });
  for (const auto& [id, body] : before) CHECK(after.at(id) == body);
  const auto catalog = server::merge_catalogs(h.rig.store->catalogs()).catalog;
  for (const auto& [id, body] : after) {
    core::CaptureDefaults defaults;
    auto parsed = core::capture_from_json_text(body, defaults);
    REQUIRE(parsed.capture);
    CHECK(parsed.capture->device == h.rig.device);
    CHECK(core::validate(*parsed.capture, catalog, h.rig.clock.now()).ok());
    CHECK(core::canonical_json(*parsed.capture) == body);
  }
}

TEST_CASE("a database that fails: 503 with Retry-After - the connection is not reused") {
  core::SystemClock clock;
  int opened = 0;
  server::Api api(
      [&]() -> std::unique_ptr<server::ServerStore> {
        ++opened;
        throw server::StoreError("cannot connect to PostgreSQL: connection refused");
      },
      clock);
  server::HttpRequest get;
  get.method = "GET";
  get.path = "/api/v1/health";
  for (int i = 0; i < 2; ++i) {
    const auto r = api.handle(get);
    CHECK(r.status == 503);
    CHECK(r.headers.at("Retry-After") == "5");
    CHECK(sync::protocol::decode_error(r.status, r.body).error == "database_unavailable");
  }
  CHECK(opened == 2);  // tried again for the next request
}
