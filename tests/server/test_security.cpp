// The defects of issue 9, each as the attack that found it: device takeover with any unused
// code, a refused enrolment that changed the database, guessing codes at full speed, seq and
// clock values that broke the gap count and the export, revocation by a shared name, and the
// limits of `enrol-code --hours`.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "allervers/crypto/at_rest.hpp"
#include "allervers/crypto/base64.hpp"
#include "allervers/crypto/start.hpp"
#include "allervers/server/pass_keys.hpp"
#include "allervers/passes/keys.hpp"
#include "allervers/server/sql.hpp"
#include "allervers/sync/tuning.hpp"
#include "server_fixture.hpp"

using namespace allervers;
using allervers::test::ApiRig;
using nlohmann::json;

namespace {

server::HttpRequest enrol_request(const std::string& code, const core::Uuid& device, const std::string& address = "198.51.100.7",
                                  const std::string& device_key = "") {
  auto r = ApiRig::post("/api/v1/enrol", sync::protocol::encode_enrol_request({code, device, "x", device_key}), "");
  r.client_address = address;
  return r;
}

server::HttpRequest get(const std::string& path, const std::string& token) {
  server::HttpRequest r;
  r.method = "GET";
  r.path = path;
  r.headers["authorization"] = "Bearer " + token;
  return r;
}

std::string error_code(const server::HttpResponse& r) { return sync::protocol::decode_error(r.status, r.body).error; }

std::int64_t count(const std::filesystem::path& db, const std::string& sql) {
  return server::sql::open_sqlite(db.string())->query(sql).one().int64(0);
}

}  // namespace

TEST_CASE("enrolment: an unused code made for a new device cannot take over an enrolled one") {
  test::TempDir dir;
  ApiRig rig("sqlite:" + (dir.path() / "server.db").string());
  REQUIRE(rig.store->revoke_device(rig.enrol("Perdue").first.str(), rig.clock.now().utc_ms).outcome == server::RevokeOutcome::revoked);
  const auto lost = rig.store->list_devices();
  const std::string lost_id = lost[0].id == rig.device.str() ? lost[1].id : lost[0].id;
  const auto before = rig.snapshot();

  // "Evil"'s code with Tablette 1's id (ids are in certificates and exports): refused, nothing changed.
  const auto evil = server::create_enrol_code(*rig.store, "Evil", rig.clock.now(), 3600'000);
  auto r = rig.api.handle(enrol_request(evil.code, rig.device));
  CHECK(r.status == 409);
  CHECK(error_code(r) == "device_taken");
  CHECK(rig.snapshot() == before);
  CHECK(rig.api.handle(get("/api/v1/catalog", rig.token)).status == 200);  // its real token still works
  // Nor can it lift a revocation.
  r = rig.api.handle(enrol_request(evil.code, *core::Uuid::parse(lost_id)));
  CHECK(error_code(r) == "device_taken");
  CHECK(rig.snapshot() == before);
  // The code was not used: it still enrols a new device.
  r = rig.api.handle(enrol_request(evil.code, rig.ids.next(rig.clock.now().utc_ms)));
  CHECK(r.status == 200);

  // A code made to replace Tablette 1 (a reset tablet keeps its id) works for it and nothing else.
  const auto replace = server::create_enrol_code(*rig.store, "Tablette 1", rig.clock.now(), 3600'000, rig.device.str());
  const auto held = rig.snapshot();
  r = rig.api.handle(enrol_request(replace.code, rig.ids.next(rig.clock.now().utc_ms)));
  CHECK(r.status == 403);
  CHECK(error_code(r) == "wrong_device");
  CHECK(rig.snapshot() == held);
  r = rig.api.handle(enrol_request(replace.code, rig.device));
  REQUIRE(r.status == 200);
  const auto fresh_token = sync::protocol::decode_enrol_response(r.body).token;
  CHECK(rig.api.handle(get("/api/v1/catalog", rig.token)).status == 401);  // the old token is gone
  CHECK(rig.api.handle(get("/api/v1/catalog", fresh_token)).status == 200);
}

TEST_CASE("enrolment: a refused enrolment changes nothing - not even the town key on a fresh database") {
  test::TempDir dir;
  const auto path = dir.path() / "server.db";
  core::ManualClock clock(test::server_now());
  server::Api api([&] { return server::open_store("sqlite:" + path.string()); }, clock);
  auto store = server::open_store("sqlite:" + path.string());
  const auto key = passes::SecretKey::generate();
  const auto pub = crypto::to_base64(key.public_bytes());
  const core::Uuid device = core::UuidGenerator(3).next(clock.now().utc_ms);
  auto r = api.handle(enrol_request("AAAA-BBBB-CCCC-DDDD", device, "198.51.100.7", pub));
  CHECK(r.status == 403);
  CHECK(count(path, "SELECT COUNT(*) FROM server_secrets") == 0);
  CHECK(count(path, "SELECT COUNT(*) FROM devices") == 0);
  CHECK(count(path, "SELECT COUNT(*) FROM certificates") == 0);
  // Accepted: the town key is made then, and the certificate signed with it.
  const auto code = server::create_enrol_code(*store, "Borne", clock.now(), 3600'000);
  r = api.handle(enrol_request(code.code, device, "198.51.100.7", pub));
  REQUIRE(r.status == 200);
  CHECK_FALSE(sync::protocol::decode_enrol_response(r.body).device_certificate.empty());
  CHECK(count(path, "SELECT COUNT(*) FROM server_secrets WHERE name = 'town_key'") == 1);
}

TEST_CASE("enrolment: refused attempts are limited per client address, others are not held up") {
  test::TempDir dir;
  ApiRig rig("sqlite:" + (dir.path() / "server.db").string());
  const core::Uuid device = rig.ids.next(rig.clock.now().utc_ms);
  // The allowed refusals, and one more that starts the wait.
  for (int i = 0; i < sync::tuning::enrol_failures_allowed + 1; ++i)
    REQUIRE(rig.api.handle(enrol_request("AAAA-BBBB-CCCC-" + std::to_string(1000 + i), device)).status == 403);
  // The next one is answered 429 without a look at its code, even a good one (which stays unused).
  const auto good = server::create_enrol_code(*rig.store, "Borne", rig.clock.now(), 3 * 3600'000);
  auto r = rig.api.handle(enrol_request(good.code, device));
  CHECK(r.status == 429);
  CHECK(error_code(r) == "too_many_attempts");
  CHECK(r.headers.at("Retry-After") == "60");
  // The wait grows with each further refusal: a guesser gets a few tries an hour.
  rig.clock.advance_ms(60'000);
  CHECK(rig.api.handle(enrol_request("AAAA-BBBB-CCCC-9999", device)).status == 403);
  r = rig.api.handle(enrol_request(good.code, device));
  CHECK(r.status == 429);
  CHECK(r.headers.at("Retry-After") == "120");
  // Another address is served.
  const auto other = server::create_enrol_code(*rig.store, "Borne 2", rig.clock.now(), 3 * 3600'000);
  CHECK(rig.api.handle(enrol_request(other.code, rig.ids.next(rig.clock.now().utc_ms), "203.0.113.9")).status == 200);
  // Once the window has passed, the first address may try again, and its code still works.
  rig.clock.advance_ms(std::chrono::duration_cast<std::chrono::milliseconds>(sync::tuning::enrol_failure_window).count() + 1000);
  CHECK(rig.api.handle(enrol_request(good.code, device)).status == 200);
}

TEST_CASE("seq: out of range, reused under another id or going backwards - refused by record, with the reason") {
  test::TempDir dir;
  ApiRig rig("sqlite:" + (dir.path() / "server.db").string());
  REQUIRE(rig.send_batch(rig.batch({{1, core::canonical_json(rig.opinion(1))}, {2, core::canonical_json(rig.opinion(2))}})).status == 200);
  auto body = json::parse(rig.batch({{3, core::canonical_json(rig.opinion(3))},
                                     {5, core::canonical_json(rig.opinion(5))},
                                     {4, core::canonical_json(rig.opinion(4))},
                                     {2, core::canonical_json(rig.opinion(6))},
                                     {7, core::canonical_json(rig.opinion(7))}}));
  body["records"][0]["seq"] = 9223372036854775807LL;
  body["records"][4]["seq"] = 18446744073709551615ULL;
  const auto r = rig.send_batch(body.dump());
  REQUIRE(r.status == 200);
  const auto j = json::parse(r.body);
  INFO(r.body);
  CHECK(j["results"][0]["code"] == "invalid_seq");
  CHECK(j["results"][1]["status"] == "accepted");
  CHECK(j["results"][2]["code"] == "invalid_seq");  // 4 after 5
  CHECK(j["results"][3]["code"] == "invalid_seq");  // 2 after 5 (and 2 is held already)
  CHECK(j["results"][4]["code"] == "invalid_seq");
  // Seq 2 sent again, in order, under another id: refused, the first record stays.
  const auto again = json::parse(rig.send_batch(rig.batch({{2, core::canonical_json(rig.opinion(8))}})).body);
  CHECK(again["results"][0]["code"] == "seq_reused");
  const auto devices = rig.store->list_devices();
  CHECK(devices[0].max_seq == 5);
  CHECK(devices[0].gaps == 2);  // 3 and 4 were refused, not lost for good
  CHECK(rig.store->capture_count() == 3);
}

TEST_CASE("sent_at and clock_offset_ms: a time no clock reads is refused whole, with the field") {
  test::TempDir dir;
  ApiRig rig("sqlite:" + (dir.path() / "server.db").string());
  const auto held = rig.snapshot();
  auto batch = json::parse(rig.batch({{1, core::canonical_json(rig.opinion(1))}}, std::nullopt));
  for (const char* sent_at : {"9999-01-01T00:00:00Z", "2200-01-01T00:00:00+00:00", "1969-12-31T23:59:59Z"}) {
    batch["sent_at"] = sent_at;
    const auto r = rig.send_batch(batch.dump());
    INFO(sent_at << " -> " << r.body);
    CHECK(r.status == 400);
    CHECK(sync::protocol::decode_error(r.status, r.body).field == "sent_at");
  }
  batch["sent_at"] = core::format_instant(rig.clock.now());
  for (const json& offset : {json(9223372036854775807LL), json(-9223372036854775807LL), json(18446744073709551615ULL)}) {
    batch["clock_offset_ms"] = offset;
    const auto r = rig.send_batch(batch.dump());
    INFO(offset.dump() << " -> " << r.body);
    CHECK(r.status == 400);
    CHECK(sync::protocol::decode_error(r.status, r.body).field == "clock_offset_ms");
  }
  CHECK(rig.snapshot() == held);
}

TEST_CASE("revoke-device: by id, or by a name only one device has") {
  test::TempDir dir;
  ApiRig rig("sqlite:" + (dir.path() / "server.db").string());
  const auto [a, a_token] = rig.enrol("Tablette 2");
  const auto [b, b_token] = rig.enrol("Tablette 2");
  const auto held = rig.snapshot();
  auto r = rig.store->revoke_device("Tablette 2", rig.clock.now().utc_ms);
  CHECK(r.outcome == server::RevokeOutcome::ambiguous);
  CHECK(r.candidates.size() == 2);
  CHECK(rig.snapshot() == held);
  CHECK(rig.store->revoke_device("Tablette 9", rig.clock.now().utc_ms).outcome == server::RevokeOutcome::not_found);
  r = rig.store->revoke_device(b.str(), rig.clock.now().utc_ms);
  CHECK(r.outcome == server::RevokeOutcome::revoked);
  CHECK(r.device == b.str());
  CHECK(rig.api.handle(get("/api/v1/catalog", a_token)).status == 200);
  CHECK(rig.api.handle(get("/api/v1/catalog", b_token)).status == 401);
  r = rig.store->revoke_device("Tablette 1", rig.clock.now().utc_ms);  // unique: by name
  CHECK(r.device == rig.device.str());
  CHECK(rig.api.handle(get("/api/v1/catalog", rig.token)).status == 401);
  CHECK(rig.api.handle(ApiRig::post("/api/v1/passes/certificate", "{}", rig.token)).status == 401);
}

TEST_CASE("enrol-code --hours: above 0, finite, at most a month") {
  CHECK(server::enrol_code_lifetime_ms(24) == 24 * 3600'000LL);
  CHECK(server::enrol_code_lifetime_ms(0.5) == 1800'000);
  for (const double hours : {-5.0, 0.0, 1e9, 745.0, std::nan(""), std::numeric_limits<double>::infinity()})
    CHECK_THROWS_AS(server::enrol_code_lifetime_ms(hours), std::invalid_argument);
}

TEST_CASE("the server's SQLite database is 0600 whatever the umask - a looser one is tightened at open") {
  test::TempDir dir;
  const auto path = dir.path() / "server.db";
  auto mode_of = [](const std::filesystem::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 0777;
  };
  const mode_t old = ::umask(0);
  {
    ApiRig rig("sqlite:" + path.string());  // enrols a device: the WAL holds its token hash
    CHECK(mode_of(path) == 0600);
    CHECK(mode_of(path.string() + "-wal") == 0600);
    CHECK(mode_of(path.string() + "-shm") == 0600);
  }
  ::umask(old);
  REQUIRE(::chmod(path.c_str(), 0644) == 0);
  (void)server::open_store("sqlite:" + path.string());
  CHECK(mode_of(path) == 0600);
}

TEST_CASE("server secrets at rest: encrypted under a key outside the database - clear ones migrated - a backup alone opens nothing") {
  test::TempDir dir;
  const auto path = dir.path() / "server.db";
  const std::string url = "sqlite:" + path.string();
  const auto now = test::server_now();
  auto raw = [&](const char* name) {
    return server::sql::open_sqlite(path.string())->query("SELECT value FROM server_secrets WHERE name = $1", {std::string(name)}).one().text(0);
  };
  // An older server kept them in clear.
  std::string town_public, office_public;
  {
    auto store = server::open_store(url);
    town_public = server::town_key(*store, now).public_key().str();
    office_public = server::office_public_key(*store, now);
  }
  CHECK(raw("town_key").starts_with("AVS1-"));
  // The first start with a key encrypts them; the keys stay the same.
  const auto key_file = dir.path() / "secrets.key";
  auto key = std::make_shared<const crypto::AtRestKey>(crypto::AtRestKey::create_file(key_file));
  {
    auto store = server::open_store(url, key);
    CHECK(server::town_key(*store, now).public_key().str() == town_public);
    CHECK(server::office_public_key(*store, now) == office_public);
  }
  for (const char* name : {"town_key", "office_key"}) {
    INFO(name);
    CHECK(crypto::is_encrypted_at_rest(raw(name)));
  }
  CHECK(test::read_file(path).find("AVS1-") == std::string::npos);
  // Rotated keys: the retired ones are kept encrypted too, and still read back.
  {
    auto store = server::open_store(url, key);
    const auto office_secret = server::office_secret_key(*store, now);
    server::rotate_town_key(*store, now);
    server::rotate_office_key(*store, now);
    CHECK(server::retired_town_keys(*store) == std::vector<std::string>{town_public});
    CHECK(server::office_secret_keys(*store, now).back() == office_secret);
    for (const char* name : {"town_keys_retired", "office_keys_retired"}) {
      INFO(name);
      CHECK(crypto::is_encrypted_at_rest(raw(name)));
    }
    CHECK(test::read_file(path).find(office_secret) == std::string::npos);
    town_public = server::town_key(*store, now).public_key().str();
  }
  // The database alone (a backup): the secrets cannot be read, and the refusal says what to give.
  {
    auto store = server::open_store(url);
    CHECK_THROWS_WITH(server::town_key(*store, now), Catch::Contains("--secrets-key-file"));
    auto other = std::make_shared<const crypto::AtRestKey>(crypto::AtRestKey::generate());
    auto wrong = server::open_store(url, other);
    CHECK_THROWS_WITH(server::office_public_key(*wrong, now), Catch::Contains("does not open with this secrets key"));
  }
  // The key file as written is 0600 and read back; one others can read is refused.
  auto again = std::make_shared<const crypto::AtRestKey>(crypto::AtRestKey::read_file(key_file));
  CHECK(server::town_key(*server::open_store(url, again), now).public_key().str() == town_public);
  CHECK_THROWS_AS(crypto::AtRestKey::create_file(key_file), crypto::CryptoError);  // never overwritten
  REQUIRE(::chmod(key_file.c_str(), 0644) == 0);
  CHECK_THROWS_WITH(crypto::AtRestKey::read_file(key_file), Catch::Contains("can be read by others"));
  // A new database with a key: made encrypted from the start.
  test::TempDir fresh;
  auto store = server::open_store("sqlite:" + (fresh.path() / "s.db").string(), again);
  (void)server::town_key(*store, now);
  CHECK(crypto::is_encrypted_at_rest(server::sql::open_sqlite((fresh.path() / "s.db").string())
                                         ->query("SELECT value FROM server_secrets WHERE name = 'town_key'")
                                         .one()
                                         .text(0)));
}
