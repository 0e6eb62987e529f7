// What leaves the server for the office: exports (JSON Lines, CSV for spreadsheets), with or
// without personal data, and the device list.
#include <catch2/catch.hpp>

#include "server_fixture.hpp"

using namespace allervers;
using allervers::test::ApiRig;

TEST_CASE("export: JSON Lines and CSV - personal data left out on request - formulas defused") {
  test::TempDir dir;
  ApiRig rig("sqlite:" + (dir.path() / "server.db").string());
  core::Capture idea;
  idea.id = rig.ids.next(rig.clock.now().utc_ms);
  idea.device = rig.device;
  idea.consultation = "budget-participatif-2027";
  idea.version = 1;
  idea.captured_at = {rig.clock.now().utc_ms - 1000, 60};
  idea.body = core::Idea{"=HYPERLINK(\"http://x\")", "Une description, avec \"guillemets\"\net une ligne", "nature", "gare", "", 500,
                         core::SealedContact{true, "U0VBTEVE"}};
  const auto opinion = rig.opinion(1, "+33 6 12 34 56 78");
  REQUIRE(rig.send_batch(rig.batch({{1, core::canonical_json(idea)}, {2, core::canonical_json(opinion)}})).status == 200);

  std::ostringstream jsonl;
  CHECK(server::export_captures(*rig.store, jsonl, {server::ExportFormat::jsonl, true}) == 2);
  CHECK(jsonl.str().find("U0VBTEVE") != std::string::npos);  // the sealed contact, as sealed
  std::istringstream lines(jsonl.str());
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line);
    CHECK(j.contains("captured_at_corrected"));
    CHECK(j.contains("received_at"));
    CHECK(j["capture"]["device"] == rig.device.str());
    ++n;
  }
  CHECK(n == 2);

  std::ostringstream anonymous;
  server::export_captures(*rig.store, anonymous, {server::ExportFormat::jsonl, false});
  CHECK(anonymous.str().find("U0VBTEVE") == std::string::npos);
  CHECK(anonymous.str().find("contact") == std::string::npos);

  std::ostringstream csv;
  server::export_captures(*rig.store, csv, {server::ExportFormat::csv, false});
  const auto text = csv.str();
  CHECK(text.rfind("id,kind,device,seq,consultation,version,channel,language,captured_at,captured_at_corrected,received_at,details\r\n", 0) == 0);
  CHECK(text.find("U0VBTEVE") == std::string::npos);
  CHECK(text.find(",=") == std::string::npos);  // no cell starts a formula
  CHECK(text.find(R"(\""guillemets\"")") != std::string::npos);  // JSON's \" with the quote doubled for CSV
}

TEST_CASE("list-devices as a table names what a coordinator needs") {
  test::TempDir dir;
  ApiRig rig("sqlite:" + (dir.path() / "server.db").string());
  REQUIRE(rig.send_batch(rig.batch({{1, core::canonical_json(rig.opinion(1))}, {3, core::canonical_json(rig.opinion(3))}})).status == 200);
  rig.enrol("Borne du hall");
  REQUIRE(rig.store->revoke_device("Borne du hall", rig.clock.now().utc_ms));
  const auto table = server::format_devices(rig.store->list_devices(), rig.clock.now());
  CHECK(table.find("Tablette 1") != std::string::npos);
  CHECK(table.find("REVOKED") != std::string::npos);
  CHECK(table.find("last seen") != std::string::npos);
  const auto devices = nlohmann::json::parse(server::devices_json(rig.store->list_devices()));
  REQUIRE(devices.size() == 2);
  const auto& tablet = devices[0]["name"] == "Tablette 1" ? devices[0] : devices[1];
  CHECK(tablet["gaps"] == 1);
  CHECK(tablet["records_held"] == 2);
  CHECK(tablet["pending_on_device"] == 0);
}
