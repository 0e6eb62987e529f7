// Media files as the server keeps them and devices fetch them (sync/media.hpp): a PNG and a
// JPEG accepted with their type, size and SHA-256; a non-image, a bomb, a truncated file and
// an oversized one refused by their codes; bytes that are not those of the name asked for
// refused before they are decoded; and the names a catalog refers to (core/media.hpp).
#include <catch2/catch.hpp>

#include "allervers/core/consultation.hpp"
#include "allervers/core/media.hpp"
#include "allervers/crypto/hash.hpp"
#include "allervers/sync/media.hpp"
#include "media_samples.hpp"

#include <nlohmann/json.hpp>

using namespace allervers;
namespace media = sync::media;

namespace {

std::string code_of(const std::string& bytes, const media::Limits& limits = {}) {
  try {
    media::check(bytes, limits);
  } catch (const media::MediaError& e) {
    return e.code();
  }
  return "accepted";
}

}  // namespace

TEST_CASE("a PNG and a JPEG are checked once and named by their SHA-256", "[sync][media]") {
  const std::string png = test::png_image(64, 48);
  const auto p = media::check(png);
  CHECK(p.content_type == "image/png");
  CHECK(p.width == 64);
  CHECK(p.height == 48);
  CHECK(p.hash == crypto::sha256_hex(png));
  CHECK(core::is_media_hash(p.hash));
  // The name is sha256sum's: an empty input's is well known.
  CHECK(crypto::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

  const std::string jpeg = test::jpeg_image(320, 240);
  const auto j = media::check_named(jpeg, crypto::sha256_hex(jpeg));
  CHECK(j.content_type == "image/jpeg");
  CHECK(j.width == 320);

  const auto pixels = media::decode_rgba(png);
  REQUIRE(pixels.rgba.size() == 64u * 48u * 4u);
  CHECK(pixels.rgba[3] == 0);                           // a corner: transparent
  CHECK(pixels.rgba[(24u * 64u + 32u) * 4u + 3] == 255);  // the middle: the disc
}

TEST_CASE("a non-image, a bomb, a damaged file and an oversized one are refused by their content", "[sync][media]") {
  CHECK(code_of("") == "not_an_image");
  CHECK(code_of("GIF89a\x01\x00\x01\x00") == "not_an_image");
  CHECK(code_of("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>") == "not_an_image");
  CHECK(code_of(test::png_claiming(50'000, 50'000)) == "too_many_pixels");
  CHECK(code_of(test::png_claiming(4000, 10)) == "too_many_pixels");  // one side too long
  const std::string jpeg = test::jpeg_image(300, 200);
  CHECK(code_of(jpeg.substr(0, jpeg.size() / 3)) == "undecodable");
  const std::string png = test::png_image(40, 40);
  CHECK(code_of(png.substr(0, png.size() - 30)) == "undecodable");
  media::Limits small;
  small.max_bytes = 1000;
  CHECK(code_of(jpeg, small) == "too_large");
  try {
    media::check(jpeg, small);
  } catch (const media::MediaError& e) {
    CHECK(std::string(e.what()).find(std::to_string(jpeg.size()) + " bytes") != std::string::npos);  // the figure is said
  }
}

TEST_CASE("bytes that are not those of the name asked for are refused before any decoding", "[sync][media]") {
  const std::string good = test::png_image(32, 32, 10), other = test::png_image(32, 32, 90);
  const std::string name = crypto::sha256_hex(good);
  CHECK_NOTHROW(media::check_named(good, name));
  try {
    media::check_named(other, name);
    FAIL("a file under another's name was kept");
  } catch (const media::MediaError& e) {
    CHECK(e.code() == "hash_mismatch");
    CHECK(std::string(e.what()).find(name) != std::string::npos);
  }
  // One byte changed in transit is another file.
  std::string flipped = good;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x01);
  CHECK_THROWS_AS(media::check_named(flipped, name), media::MediaError);
  CHECK(media::path_for(name) == "/api/v1/media/" + name);
}

TEST_CASE("a catalog's media names: projects' pictures and pictograms, each once, file names left out", "[sync][media]") {
  const std::string a(64, 'a'), b(64, 'b'), c(64, 'c');
  auto doc = nlohmann::json::parse(R"({"town": {"name": "Ville", "neighbourhoods": [{"id": "gare", "label": "Gare"}]},
    "consultations": [{"id": "c", "version": 1, "title": "C", "questions": [
      {"id": "q1", "type": "single_choice", "label": "Q", "pictogram": ")" + a + R"(",
       "options": [{"id": "o1", "label": "O1", "pictogram": ")" + b + R"("}, {"id": "o2", "label": "O2", "pictogram": "bus.png"}]}]}],
    "votes": [{"id": "v", "title": "V", "opens": "2026-01-01", "closes": "2026-12-31", "rule": "approval",
      "voter_key": ")" + std::string(64, 'e') + R"(", "envelopes": [{"amount_eur": 1000}],
      "projects": [{"id": "p1", "title": "P1", "cost_eur": 10, "picture": ")" + c + R"(", "picture_alt": {"fr": "Un abri"}},
                   {"id": "p2", "title": "P2", "cost_eur": 10, "picture": ")" + a + R"("}]}]})");
  const auto catalog = core::parse_catalog(doc.dump());
  CHECK(core::media_hashes(catalog) == std::vector<std::string>{a, b, c});
  CHECK(catalog.votes[0].projects[0].picture_alt.in("fr") == "Un abri");
  // Written back and read again, the names and the alt text stay.
  CHECK(core::media_hashes(core::parse_catalog(core::catalog_to_json(catalog))) == std::vector<std::string>{a, b, c});
  // A project's picture is a media name, never a file name or a path.
  doc["votes"][0]["projects"][0]["picture"] = "abri.jpg";
  CHECK_THROWS_WITH(core::parse_catalog(doc.dump()), Catch::Contains("projects[0].picture: expected a picture's media name"));
  doc["votes"][0]["projects"][0]["picture"] = std::string(64, 'A');  // upper case is not a name
  CHECK_THROWS_AS(core::parse_catalog(doc.dump()), core::CatalogError);
}
