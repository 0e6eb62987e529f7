// Printing sheets of passes and checking passes in images, as the office does for a print run.
#include <catch2/catch.hpp>

#include "allervers/passes/check.hpp"
#include "allervers/passes/print.hpp"
#include "allervers/platform/image_io.hpp"
#include "allervers/platform/qr.hpp"
#include "test_support.hpp"

using namespace allervers;
using namespace allervers::passes;
using allervers::test::TempDir;

namespace {

constexpr std::int64_t now_s = 1'795'000'000;

// A white sheet with the given codes in a grid, as a scanner would give it.
platform::Frame sheet(const std::vector<std::string>& codes) {
  const int cell = 300;
  platform::Frame frame;
  frame.width = 2 * cell;
  frame.height = static_cast<int>((codes.size() + 1) / 2) * cell;
  frame.luma.assign(static_cast<std::size_t>(frame.width * frame.height), 255);
  for (std::size_t i = 0; i < codes.size(); ++i) {
    const auto qr = platform::render_qr(platform::encode_qr(codes[i], platform::QrErrorCorrection::medium), 5);
    const int ox = static_cast<int>(i % 2) * cell + 20, oy = static_cast<int>(i / 2) * cell + 20;
    for (int y = 0; y < qr.height; ++y)
      for (int x = 0; x < qr.width; ++x)
        frame.luma[static_cast<std::size_t>((oy + y) * frame.width + ox + x)] = qr.at(x, y);
  }
  return frame;
}

}  // namespace

TEST_CASE("check-pass reads every code of a sheet and gives one line per image") {
  TempDir dir;
  const TownKey town = TownKey::generate();
  const TownKey other = TownKey::generate();
  SecretKey device_key = SecretKey::generate();
  const auto certificate = town.certify(3, core::Uuid::parse("0190f3a1-0000-7000-8000-000000000002").value(),
                                        device_key.public_bytes(), now_s - 60, now_s + 86400);
  const DevicePassIssuer issuer(std::move(device_key), certificate);
  CertificateStore store(town.public_key());
  store.add(certificate);
  const PassVerifier verifier(std::move(store));

  std::vector<std::string> good;
  for (const auto& p : make_town_passes(town, 5)) good.push_back(p.code);
  good.push_back(issuer.issue(PassId::random(), now_s));
  platform::write_png(dir / "sheet.png", sheet(good));

  const auto result = check_pass_image(verifier, dir / "sheet.png");
  REQUIRE(result.codes.size() == 6);
  CHECK(result.all_valid());
  const std::string line = format_line(result);
  CHECK_THAT(line, Catch::StartsWith((dir / "sheet.png").string() + ": ok, 6 passes: "));
  CHECK_THAT(line, Catch::Contains("(town)") && Catch::Contains("(device 3)"));
  CHECK(line.find('\n') == std::string::npos);

  SECTION("a sheet with a foreign and an altered code says which and why") {
    std::string altered = good[0];
    altered[40] = altered[40] == 'A' ? 'B' : 'A';
    platform::write_png(dir / "mixed.png", sheet({good[1], issue_town_pass(other, PassId::random()), altered}));
    const auto mixed = check_pass_image(verifier, dir / "mixed.png");
    CHECK_FALSE(mixed.all_valid());
    const std::string text = format_line(mixed);
    CHECK_THAT(text, Catch::Contains("refused 2 of 3") && Catch::Contains("other_town") &&
                         Catch::Contains("bad_signature"));
  }
  SECTION("no code, not an image, no file") {
    platform::Frame blank;
    blank.width = blank.height = 200;
    blank.luma.assign(200 * 200, 255);
    platform::write_pgm(dir / "blank.pgm", blank);
    CHECK(format_line(check_pass_image(verifier, dir / "blank.pgm")) == (dir / "blank.pgm").string() + ": no code found");
    test::write_file(dir / "notes.txt", "hello");
    CHECK_THAT(format_line(check_pass_image(verifier, dir / "notes.txt")), Catch::EndsWith("error: not a PNG or PGM image"));
    CHECK_THAT(format_line(check_pass_image(verifier, dir / "none.png")), Catch::EndsWith("error: cannot be opened"));
    CHECK_FALSE(check_pass_image(verifier, dir / "none.png").all_valid());
  }
}

TEST_CASE("printing makes an A4 PDF with eight passes a page") {
  TempDir dir;
  const TownKey town = TownKey::generate();
  const auto passes = make_town_passes(town, 10);
  REQUIRE(passes.size() == 10);
  CHECK(read_fallback_code(passes[0].fallback).id == parse_pass(passes[0].code).pass->id);
  PrintLayout layout;
  layout.town = "Ville de Saint-Denis";
  print_passes_pdf(passes, dir / "passes.pdf", layout);
  const std::string pdf = test::read_file(dir / "passes.pdf");
  CHECK(pdf.rfind("%PDF-", 0) == 0);
  CHECK(pdf.find("/Count 2") != std::string::npos);  // two pages
  CHECK(pdf.find("595.27") != std::string::npos);     // A4 width in points
  CHECK_THROWS_WITH(print_passes_pdf(passes, dir / "no-such-dir" / "x.pdf"), Catch::Contains("x.pdf"));
}

TEST_CASE("the allervers-passes tool makes a key and prints and writes a QR image and checks and scans") {
  TempDir dir;
  const std::string tool = (test::binary_dir() / "passes" / "tools" / "allervers-passes").string();
  const auto keygen = test::run({tool, "keygen", "--out", (dir / "town.key").string()});
  REQUIRE(keygen.exit_code == 0);
  const std::string public_key = keygen.out.substr(0, keygen.out.find('\n'));
  CHECK_NOTHROW(TownPublicKey::parse(public_key));
  CHECK(std::filesystem::status(dir / "town.key").permissions() ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));

  CHECK(test::run({tool, "print", "--key", (dir / "town.key").string(), "--count", "3", "--out",
                   (dir / "p.pdf").string()}).exit_code == 0);
  CHECK(std::filesystem::file_size(dir / "p.pdf") > 1000);

  const TownKey town(SecretKey::parse(test::read_file(dir / "town.key").substr(0, 57)));
  const std::string code = issue_town_pass(town, PassId::random());
  REQUIRE(test::run({tool, "qr", code, "--out", (dir / "pass.png").string()}).exit_code == 0);
  REQUIRE(test::run({tool, "qr", "AV1-ABCD", "--out", (dir / "nope.png").string()}).exit_code == 0);
  const auto check = test::run({tool, "check", "--town-key", public_key, (dir / "pass.png").string(),
                                (dir / "nope.png").string()});
  CHECK(check.exit_code == 1);
  CHECK_THAT(check.out, Catch::Contains("pass.png: ok, 1 pass: ") && Catch::Contains("nope.png: refused, truncated"));
  CHECK(std::count(check.out.begin(), check.out.end(), '\n') == 2);

  // scan: the sign-in screen's loop without a screen.
  const auto scan = test::run({tool, "scan", "--town-key", public_key, "--images", (dir / "pass.png").string(),
                               (dir / "nope.png").string(), "--seconds", "20"});
  CHECK(scan.exit_code == 0);
  CHECK_THAT(scan.out, Catch::Contains("Bienvenue ") && Catch::Contains("ms after the frame"));
  const auto no_camera = test::run({tool, "scan", "--town-key", public_key, "--camera", "/dev/video-allervers-none"});
  CHECK(no_camera.exit_code == 2);
  CHECK_THAT(no_camera.err, Catch::Contains("no camera at /dev/video-allervers-none"));

  const auto bad_key = test::run({tool, "check", "--town-key", "AVK1-XX", (dir / "pass.png").string()});
  CHECK(bad_key.exit_code == 2);
  CHECK_THAT(bad_key.err, Catch::Contains("town public key"));
}
