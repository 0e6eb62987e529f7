// Bundles you can trust (issue 9): a device's bundle is sealed for the office key and signed
// with the device's certified key; the server refuses, with the reason and having stored
// nothing, a bundle that is unsigned, forged, altered, truncated, or from a revoked or unknown
// device. A real device store enrolled at a real server process; imports go through the
// server's library over the same database (fast), and once through `allervers-server`.
#include <catch2/catch.hpp>

#include <sstream>

#include "allervers/crypto/base64.hpp"
#include "allervers/passes/keys.hpp"
#include "allervers/server/admin.hpp"
#include "allervers/server/store.hpp"
#include "e2e_support.hpp"

using namespace allervers;
using namespace allervers::e2e;
namespace protocol = sync::protocol;

namespace {

struct BundleRig {
  test::TempDir dir;
  std::string database = "sqlite:" + (dir.path() / "server.db").string();
  ServerProcess server{database, dir.path()};
  storage::DeviceStore device = make_device(dir.path() / "device", "Tablette 8");
  core::SystemClock clock;
  std::vector<core::Uuid> sent;

  BundleRig() {
    server.start();
    sync::SyncClient client(device, clock, fast_options());
    client.enrol(server.url(), make_enrol_code(database, "Tablette 8"));
    sent = add_captures(device, 40, 8);
  }

  std::string bundle() {
    std::ostringstream out;
    REQUIRE(sync::export_bundle(device, out, clock.now()) == 40);
    return out.str();
  }

  // The reason the server refuses `text`, "" when it imports it; a refused bundle stores nothing.
  std::string import(const std::string& text, const server::BundleTrust& trust = {}) {
    auto store = server::open_store(database);
    const auto before = store->capture_count();
    std::istringstream in(text);
    try {
      const auto report = server::import_bundle(*store, in, clock.now(), trust);
      CHECK(report.records == 40);
      return "";
    } catch (const server::BundleRefused& e) {
      INFO(e.what());
      CHECK(store->capture_count() == before);
      return e.reason();
    }
  }
};

std::string device_program() { return (test::binary_dir() / "device" / "allervers-device").string(); }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& l : lines) text += l + "\n";
  return text;
}

}  // namespace

TEST_CASE("bundles: sealed and signed - refused whole when forged - altered - truncated - unsigned - from an unknown or a revoked device") {
  BundleRig rig;
  const std::string text = rig.bundle();
  const auto lines = lines_of(text);
  REQUIRE(lines.size() == 3);

  // Without the office key, a bundle shows its header and nothing else.
  const auto header = protocol::decode_bundle_header(lines[0]);
  CHECK(header.device == rig.device.identity().device);
  CHECK(header.records == 40);
  CHECK_FALSE(header.certificate.empty());
  for (const auto& id : rig.sent) REQUIRE(text.find(id.str()) == std::string::npos);
  CHECK(text.find("place-jean-jaures") == std::string::npos);
  CHECK(text.find("Idée") == std::string::npos);

  // Altered anywhere: the header, the sealed records, the signature.
  auto altered = lines;
  altered[0].replace(altered[0].find("\"records\":40"), 12, "\"records\":39");
  CHECK(rig.import(joined(altered)) == "bad_signature");
  altered = lines;
  altered[1][altered[1].size() / 2] = altered[1][altered[1].size() / 2] == 'A' ? 'B' : 'A';
  CHECK(rig.import(joined(altered)) == "bad_signature");
  altered = lines;
  altered[2].replace(altered[2].find("\"signature\":\"") + 13, 4, "AAAA");
  CHECK(rig.import(joined(altered)) == "bad_signature");
  CHECK(rig.import(text + "{\"seq\":41}\n") == "altered");

  // Forged: signed by another key, or naming another certificate.
  const auto other = passes::SecretKey::generate();
  auto forged = lines;
  forged[2] = protocol::encode_bundle_signature(crypto::to_base64(other.sign(protocol::bundle_signed_text(forged[0], forged[1]))));
  CHECK(rig.import(joined(forged)) == "bad_signature");
  forged = lines;
  auto h = header;
  h.certificate = "AVC1-" + std::string(200, 'A');
  forged[0] = protocol::encode_bundle_header(h);
  CHECK(rig.import(joined(forged)) == "wrong_certificate");

  // Truncated: the signature lost, or cut in the sealed records.
  CHECK(rig.import(lines[0] + "\n" + lines[1] + "\n") == "truncated");
  CHECK(rig.import(text.substr(0, text.size() / 2)) == "truncated");
  CHECK(rig.import("") == "truncated");

  // From a device this server never enrolled.
  h = header;
  h.device = core::UuidGenerator(99).next(rig.clock.now().utc_ms);
  CHECK(rig.import(protocol::encode_bundle_header(h) + "\n" + lines[1] + "\n" + lines[2] + "\n") == "unknown_device");

  // Unsigned (a device without its key): refused unless the admin names the device.
  rig.device.set_setting(core::settings::device_key, "");
  const std::string unsigned_text = rig.bundle();
  CHECK(protocol::decode_bundle_header(lines_of(unsigned_text)[0]).certificate.empty());
  CHECK(rig.import(unsigned_text) == "unsigned");
  CHECK(rig.import(unsigned_text, {"01234567-89ab-7def-8123-456789abcdef"}) == "unsigned");

  // The bundle as written is accepted, once; through the command line too.
  CHECK(rig.import(text).empty());
  test::write_file(rig.dir.path() / "stick.bundle", text);
  auto r = server_cli(rig.database, {"import-bundle", (rig.dir.path() / "stick.bundle").string()});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("40 records, 0 accepted, 40 already held") != std::string::npos);

  // Revoked: its signature is no longer trusted, even on a bundle made before.
  REQUIRE(server_cli(rig.database, {"revoke-device", rig.device.identity().device.str()}).exit_code == 0);
  CHECK(rig.import(text) == "revoked_device");
  test::write_file(rig.dir.path() / "truncated.bundle", lines[0] + "\n");
  r = server_cli(rig.database, {"import-bundle", (rig.dir.path() / "truncated.bundle").string()});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("bundle refused (truncated)") != std::string::npos);
  CHECK(r.err.find("nothing was imported") != std::string::npos);
  // The unsigned bundle of the revoked device, accepted by name by the admin.
  CHECK(rig.import(unsigned_text, {rig.device.identity().device.str()}).empty());
}

TEST_CASE("a revoked device acts on the wipe flag: its token - keys and sealed contacts erased - its captures leave only in a bundle the admin accepts") {
  if (!std::filesystem::exists(device_program())) FAIL("allervers-device was not built: " << device_program());
  test::TempDir dir;
  const std::string database = "sqlite:" + (dir.path() / "server.db").string();
  ServerProcess server(database, dir.path());
  server.start();
  const std::string data = (dir.path() / "device").string();
  auto device = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {device_program(), "--data", data});
    return test::run(args);
  };
  REQUIRE(device({"init", "--name", "Tablette volée"}).exit_code == 0);
  auto r = device({"enrol", protocol::enrol_link(server.url(), make_enrol_code(database, "Tablette volée"))});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  core::Uuid id;
  {
    auto store = storage::DeviceStore::open(data);
    id = store.identity().device;
    add_captures(store, 40, 3);  // ideas among them carry sealed contacts
    CHECK_FALSE(store.setting(core::settings::device_key).value_or("").empty());
  }
  REQUIRE(server_cli(database, {"revoke-device", id.str()}).exit_code == 0);

  // The next sync: refused, and the device erases its secrets at once.
  r = device({"sync"});
  INFO(r.out << r.err);
  CHECK(r.exit_code != 0);
  CHECK((r.out + r.err).find("erased its token, keys and sealed contacts") != std::string::npos);
  CHECK((r.out + r.err).find("40 capture(s) not yet sent stay here") != std::string::npos);
  {
    auto store = storage::DeviceStore::open(data);
    for (const auto key : {core::settings::token, core::settings::device_key, core::settings::pending_device_key,
                           core::settings::device_certificate})
      CHECK(store.setting(key).value_or("").empty());
    CHECK(store.counts().pending == 40);
    for (const auto& record : store.pending(100, SIZE_MAX)) CHECK(record.json.find("\"contact\"") == std::string::npos);
  }
  // Nothing leaves by the network any more.
  r = device({"sync"});
  CHECK(r.exit_code != 0);
  CHECK((r.out + r.err).find("not enrolled") != std::string::npos);

  // An export bundle: unsigned now, refused until an admin accepts this device's by name.
  const auto stick = (dir.path() / "stick.bundle").string();
  r = device({"export-bundle", stick});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  r = server_cli(database, {"import-bundle", stick});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("bundle refused (unsigned)") != std::string::npos);
  CHECK(r.err.find("--accept-unsigned " + id.str()) != std::string::npos);
  CHECK(exported_ids(database).empty());
  r = server_cli(database, {"import-bundle", stick, "--accept-unsigned", id.str()});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("40 records, 40 accepted") != std::string::npos);
  CHECK(exported_ids(database).size() == 40);
}
