// allervers-device check-pass on generated pass images: valid, forged, no code, unreadable.
#include <catch2/catch.hpp>

#include "allervers/passes/print.hpp"
#include "allervers/platform/image_io.hpp"
#include "allervers/platform/qr.hpp"
#include "allervers/storage/device_store.hpp"
#include "test_support.hpp"

using namespace allervers;
using namespace allervers::test;

namespace {

void write_qr(const std::filesystem::path& path, const std::string& text) {
  platform::write_png(path, platform::render_qr(platform::encode_qr(text, platform::QrErrorCorrection::medium), 6));
}

}  // namespace

TEST_CASE("check-pass prints one line per image and fails when any is not a valid pass", "[cli][passes]") {
  TempDir dir;
  const std::string data = (dir / "data").string();
  REQUIRE(run({DEVICE_CLI, "--data", data, "init"}).exit_code == 0);
  const auto town = passes::TownKey::generate();
  const auto other_town = passes::TownKey::generate();
  const auto good = passes::make_town_passes(town, 1).front();
  const auto foreign = passes::make_town_passes(other_town, 1).front();
  write_qr(dir / "good.png", good.code);
  write_qr(dir / "foreign.png", foreign.code);
  write_qr(dir / "junk.png", "https://example.org/not-a-pass");
  write_file(dir / "broken.png", "not a png");

  SECTION("without a town key the device says how to get one") {
    const auto r = run({DEVICE_CLI, "--data", data, "check-pass", (dir / "good.png").string()});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("no town key yet") != std::string::npos);
  }
  SECTION("with the key given on the command line") {
    const auto r = run({DEVICE_CLI, "--data", data, "check-pass", "--town-key", town.public_key().str(),
                        (dir / "good.png").string()});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("good.png: ok, 1 pass") != std::string::npos);
  }
  SECTION("with the key the device holds, several images") {
    {
      auto store = storage::DeviceStore::open(dir / "data");
      store.set_setting("passes.town_key", town.public_key().str());
    }
    const auto r = run({DEVICE_CLI, "--data", data, "check-pass", (dir / "good.png").string(), (dir / "foreign.png").string(),
                        (dir / "junk.png").string(), (dir / "broken.png").string()});
    CHECK(r.exit_code == 1);
    const auto lines = r.out;
    CHECK(lines.find("good.png: ok") != std::string::npos);
    CHECK(lines.find("foreign.png: refused, other_town") != std::string::npos);
    CHECK(lines.find("junk.png: refused, wrong_prefix") != std::string::npos);
    CHECK(lines.find("broken.png: error") != std::string::npos);
  }
}
