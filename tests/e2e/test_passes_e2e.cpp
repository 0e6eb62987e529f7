// Passes across devices, end to end: a real allervers-server process, two device engines
// (DeviceStore + SyncClient) that enrol and sync, the coordinator's real commands. What a
// device holds is read back the way the sign-in screen and check-pass read it
// (passes::verifier_from_settings on its settings).
#include <catch2/catch.hpp>

#include <algorithm>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "allervers/core/validation.hpp"
#include "allervers/passes/device_settings.hpp"
#include "allervers/server/store.hpp"
#include "e2e_support.hpp"

using namespace allervers;
using namespace allervers::e2e;
using nlohmann::json;

namespace {

std::string setting(const storage::DeviceStore& store, std::string_view key) { return store.setting(std::string(key)).value_or(""); }

passes::PassVerifier verifier_of(const storage::DeviceStore& store) {
  auto v = passes::verifier_from_settings(setting(store, core::settings::town_key), store.setting(core::settings::certificates),
                                          store.setting(core::settings::revocations), store.setting(core::settings::retired_town_keys));
  REQUIRE(v);
  return std::move(*v);
}

passes::DevicePassIssuer issuer_of(const storage::DeviceStore& store) {
  return passes::DevicePassIssuer(passes::SecretKey::parse(setting(store, core::settings::device_key)),
                                  passes::DeviceCertificate::parse(setting(store, core::settings::device_certificate)));
}

void sign_in(storage::DeviceStore& store, const std::string& assembly, const std::string& pass, std::uint64_t seed) {
  core::UuidGenerator ids(seed);
  const auto now = core::SystemClock().now();
  core::Capture c;
  c.id = ids.next(now.utc_ms);
  c.device = store.identity().device;
  c.channel = core::Channel::assembly;
  c.captured_at = {now.utc_ms - 1000, 60};
  core::SignIn s;
  s.assembly = assembly;
  s.pass = pass;
  c.body = s;
  auto result = core::validate(c, store.catalog(), now);
  INFO(core::describe(result.errors()));
  REQUIRE(result.ok());
  store.add(result.valid());
}

// One POST over a plain socket, as a client older than passes sent it; returns the body.
std::string raw_post(int port, const std::string& path, const std::string& body) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  const std::string request = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  REQUIRE(::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size()));
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  const auto at = out.find("\r\n\r\n");
  return at == std::string::npos ? std::string() : out.substr(at + 4);
}

sync::SyncReport sync_now(storage::DeviceStore& store) {
  core::SystemClock clock;
  sync::SyncClient client(store, clock, fast_options());
  auto report = client.sync();
  INFO(report.error);
  REQUIRE(report.ok());
  return report;
}

}  // namespace

TEST_CASE("passes across devices: keys at enrolment - certificates and revocations at sync - attendance at the server") {
  test::TempDir dir;
  const std::string database = "sqlite:" + (dir.path() / "server.db").string();
  ServerProcess server(database, dir.path());
  server.start();
  core::SystemClock clock;
  auto a = make_device(dir.path() / "a", "Borne A");
  auto b = make_device(dir.path() / "b", "Borne B");
  sync::SyncClient(a, clock, fast_options()).enrol(server.url(), make_enrol_code(database, "Borne A"));
  sync::SyncClient(b, clock, fast_options()).enrol(server.url(), make_enrol_code(database, "Borne B"));

  // After enrolment and a sync, each device holds the town key, every certificate, the
  // revocation list, the office key, and its own key and certificate.
  CHECK(sync_now(a).passes_updated);
  const auto report_b = sync_now(b);
  CHECK(report_b.passes_updated);
  const auto keys = server_cli(database, {"keys"});
  REQUIRE(keys.exit_code == 0);
  CHECK(keys.out.find(setting(b, core::settings::town_key)) != std::string::npos);
  CHECK(keys.out.find(setting(b, core::settings::office_public_key)) != std::string::npos);
  CHECK(setting(b, core::settings::office_public_key).size() == 44);
  CHECK(json::parse(setting(b, core::settings::certificates)).size() == 2);
  CHECK(json::parse(setting(b, core::settings::revocations))["passes"].empty());
  const auto own = passes::DeviceCertificate::parse(setting(a, core::settings::device_certificate));
  CHECK(own.device == a.identity().device);
  CHECK(own.signed_by(passes::TownPublicKey::parse(setting(a, core::settings::town_key))));
  CHECK(keys.out.find(setting(a, core::settings::device_key)) == std::string::npos);  // the device's key stays on it

  // Nothing changed: the next sync downloads no pass keys.
  CHECK_FALSE(sync_now(b).passes_updated);

  // A pass issued offline on A verifies on B.
  const auto id = passes::PassId::random();
  const auto code = issuer_of(a).issue(id, clock.now().utc_ms / 1000);
  CHECK(verifier_of(b).verify(code).ok());

  // The same pass signed in on both devices at one assembly: one person, two scans.
  const std::string assembly = "conseil-centre-2026-12";
  sign_in(a, assembly, id.str(), 11);
  sign_in(b, assembly, id.str(), 12);
  sign_in(b, assembly, "", 13);
  CHECK(sync_now(a).accepted == 1);
  CHECK(sync_now(b).accepted == 2);
  const auto attendance = server_cli(database, {"attendance", "--assembly", assembly, "--format", "json"});
  INFO(attendance.out << attendance.err);
  REQUIRE(attendance.exit_code == 0);
  const auto row = json::parse(attendance.out)["assemblies"].at(0);
  CHECK(row["people"] == 2);  // the pass once, plus one sign-in without a pass
  CHECK(row["with_pass"] == 1);
  CHECK(row["scans"] == 3);
  CHECK(row["devices"] == 2);
  CHECK(exported_ids(database).size() == 3);  // every sign-in record kept

  // revoke-pass: refused by B after its next sync (by its fallback code, as the office reads it).
  const auto revoked = server_cli(database, {"revoke-pass", id.fallback_code(), "--reason", "perdu"});
  INFO(revoked.out << revoked.err);
  REQUIRE(revoked.exit_code == 0);
  CHECK(verifier_of(b).verify(code).ok());  // not synced yet
  CHECK(sync_now(b).passes_updated);
  CHECK(verifier_of(b).verify(code).problem == passes::PassProblem::revoked_pass);
  CHECK(server_cli(database, {"list-revocations"}).out.find(id.str()) != std::string::npos);

  // revoke-device: A's certificate is revoked, so a pass A issued is refused by B after its sync.
  const auto other = issuer_of(a).issue(passes::PassId::random(), clock.now().utc_ms / 1000);
  REQUIRE(server_cli(database, {"revoke-device", "Borne A"}).exit_code == 0);
  sync_now(b);
  CHECK(verifier_of(b).verify(other).problem == passes::PassProblem::revoked_certificate);
  CHECK(json::parse(setting(b, core::settings::revocations))["certificates"] == json::array({own.serial}));
  CHECK(issuer_of(b).issue(passes::PassId::random(), clock.now().utc_ms / 1000).size() > 100);  // B still issues
  server.stop();
}

TEST_CASE("a device enrolled before passes gets a certificate at its next sync") {
  test::TempDir dir;
  const std::string database = "sqlite:" + (dir.path() / "server.db").string();
  ServerProcess server(database, dir.path());
  server.start();
  core::SystemClock clock;
  auto a = make_device(dir.path() / "a", "Ancienne");
  // Enrolled as an older client did: no key in the request, so no certificate in the answer.
  const std::string enrol = sync::protocol::encode_enrol_request({make_enrol_code(database, "Ancienne"), a.identity().device, "Ancienne"});
  const auto response = sync::protocol::decode_enrol_response(raw_post(server.port(), "/api/v1/enrol", enrol));
  CHECK(response.device_certificate.empty());
  a.set_setting(core::settings::server_url, server.url());
  a.set_setting(core::settings::token, response.token);
  const auto report = sync_now(a);
  CHECK(report.certificate_renewed);
  CHECK(report.passes_updated);
  const auto code = issuer_of(a).issue(passes::PassId::random(), clock.now().utc_ms / 1000);
  CHECK(verifier_of(a).verify(code).ok());  // its own certificate came back in the list
  CHECK_FALSE(sync_now(a).certificate_renewed);
  server.stop();
}

TEST_CASE("passes --count prints town passes that check-pass reads as valid - their ids recorded") {
  test::TempDir dir;
  const std::string database = "sqlite:" + (dir.path() / "server.db").string();
  const auto pdf = dir.path() / "passes.pdf";
  const auto printed = server_cli(database, {"passes", "--count", "3", "--out", pdf.string(), "--town", "Ville de Test"});
  INFO(printed.out << printed.err);
  REQUIRE(printed.exit_code == 0);
  REQUIRE(std::filesystem::file_size(pdf) > 1000);
  CHECK(test::read_file(pdf).rfind("%PDF", 0) == 0);
  CHECK(server_cli(database, {"passes", "--count", "0", "--out", pdf.string()}).exit_code == 1);

  // Render the page when poppler's pdftoppm is installed, and check it as a print run is checked.
  if (!std::filesystem::exists("/usr/bin/pdftoppm")) {
    WARN("pdftoppm not installed: the printed page is not rendered and checked");
    return;
  }
  REQUIRE(test::run({"/usr/bin/pdftoppm", "-r", "100", "-png", pdf.string(), (dir.path() / "page").string()}).exit_code == 0);
  std::filesystem::path page;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    if (entry.path().extension() == ".png") page = entry.path();
  REQUIRE(!page.empty());
  const auto town_key = server_cli(database, {"keys"}).out.substr(9, 57);
  REQUIRE(town_key.rfind("AVK1-", 0) == 0);
  const auto device = test::binary_dir() / "device" / "allervers-device";
  REQUIRE(test::run({device.string(), "--data", (dir.path() / "d").string(), "init"}).exit_code == 0);
  const auto check = test::run({device.string(), "--data", (dir.path() / "d").string(), "check-pass", "--town-key", town_key, page.string()});
  INFO(check.out << check.err);
  CHECK(check.exit_code == 0);
  CHECK(check.out.find("ok, 3 passes") != std::string::npos);
  // Each id read from the page was recorded: check-code finds it printed.
  const auto pos = check.out.find("passes: ");
  REQUIRE(pos != std::string::npos);
  const auto first_id = check.out.substr(pos + 8, 10);
  const auto known = server_cli(database, {"check-code", first_id});
  INFO(known.out);
  CHECK(known.exit_code == 0);
  CHECK(known.out.find("printed by the town") != std::string::npos);
}

TEST_CASE("rotate-key town and office: old passes verify and old contacts open until --drop-retired - devices follow at their next sync") {
  test::TempDir dir;
  const std::string database = "sqlite:" + (dir.path() / "server.db").string();
  ServerProcess server(database, dir.path());
  server.start();
  core::SystemClock clock;
  auto a = make_device(dir.path() / "a", "Borne A");
  auto b = make_device(dir.path() / "b", "Borne B");
  sync::SyncClient(a, clock, fast_options()).enrol(server.url(), make_enrol_code(database, "Borne A"));
  sync::SyncClient(b, clock, fast_options()).enrol(server.url(), make_enrol_code(database, "Borne B"));
  sync_now(a);
  sync_now(b);
  const std::string old_town = setting(b, core::settings::town_key);
  const std::string old_office = setting(b, core::settings::office_public_key);
  const auto issued_before = issuer_of(a).issue(passes::PassId::random(), clock.now().utc_ms / 1000);
  const auto certificate_before = passes::DeviceCertificate::parse(setting(a, core::settings::device_certificate));

  const auto town = server_cli(database, {"rotate-key", "town"});
  INFO(town.out << town.err);
  REQUIRE(town.exit_code == 0);
  CHECK(town.out.find("New town key AVK1-") != std::string::npos);
  const auto office = server_cli(database, {"rotate-key", "office"});
  REQUIRE(office.exit_code == 0);
  CHECK(server_cli(database, {"rotate-key", "mayor"}).exit_code != 0);  // only town or office

  // At its next sync, each device takes the new keys, keeps trusting the old town key, and
  // gets a certificate of the new key for the key pair it already has.
  const auto report = sync_now(a);
  CHECK(report.passes_updated);
  CHECK(report.certificate_renewed);
  sync_now(b);
  CHECK(setting(b, core::settings::town_key) != old_town);
  CHECK(setting(b, core::settings::office_public_key) != old_office);
  CHECK(json::parse(setting(b, core::settings::retired_town_keys)) == json::array({old_town}));
  const auto renewed = passes::DeviceCertificate::parse(setting(a, core::settings::device_certificate));
  CHECK(renewed.serial != certificate_before.serial);
  CHECK(renewed.signed_by(passes::TownPublicKey::parse(setting(b, core::settings::town_key))));
  CHECK(verifier_of(b).verify(issued_before).ok());  // issued with the old certificate
  const auto issued_after = issuer_of(a).issue(passes::PassId::random(), clock.now().utc_ms / 1000);
  CHECK(verifier_of(b).verify(issued_after).ok());
  const auto keys = server_cli(database, {"keys"});
  CHECK(keys.out.find("retired_town_key " + old_town) != std::string::npos);
  CHECK(keys.out.find("retired_office_keys 1") != std::string::npos);

  // The overlap ends: the old key's passes are another town's at the next sync.
  const auto dropped = server_cli(database, {"rotate-key", "town", "--drop-retired"});
  INFO(dropped.out << dropped.err);
  CHECK(dropped.out.find("1 retired town key(s) forgotten") != std::string::npos);
  sync_now(b);
  CHECK(verifier_of(b).verify(issued_before).problem == passes::PassProblem::other_town);
  CHECK(verifier_of(b).verify(issued_after).ok());
  server.stop();
  auto store = server::open_store(database);
  std::vector<std::string> audited;
  for (const auto& e : store->audit_entries({std::nullopt, std::string("keys."), std::nullopt, std::nullopt}, 10))
    audited.push_back(e.action + " " + e.target);
  std::sort(audited.begin(), audited.end());
  CHECK(audited == std::vector<std::string>{"keys.drop_retired town", "keys.rotate office", "keys.rotate town"});
}
