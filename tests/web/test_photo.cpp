// An idea's photo: a phone's JPEG comes out smaller, upright and without its EXIF (GPS
// included); a PNG's transparency on white; a non-image, a bomb, a truncated file and an
// oversized upload refused with their codes.
#include <catch2/catch.hpp>

#include <stb_image.h>

#include "allervers/web/photo.hpp"
#include "photo_samples.hpp"

using namespace allervers;

namespace {

void dimensions(const std::string& jpeg, int& w, int& h) {
  int c = 0;
  REQUIRE(stbi_info_from_memory(reinterpret_cast<const stbi_uc*>(jpeg.data()), static_cast<int>(jpeg.size()), &w, &h, &c));
}

std::string code_of(const std::string& bytes, const web::PhotoLimits& limits = {}) {
  try {
    web::process_photo(bytes, limits);
  } catch (const web::PhotoError& e) {
    return e.code();
  }
  return "accepted";
}

}  // namespace

TEST_CASE("a phone's photo is resized and re-encoded without its EXIF or GPS position", "[web][photo]") {
  const std::string original = test::jpeg_with_gps_exif(2400, 1800);
  REQUIRE(original.find("GPS position") != std::string::npos);
  CHECK(web::jpeg_exif_orientation(original) == 1);
  const auto photo = web::process_photo(original);
  CHECK(photo.width == 1600);
  CHECK(photo.height == 1200);
  int w = 0, h = 0;
  dimensions(photo.jpeg, w, h);
  CHECK(w == 1600);
  CHECK(h == 1200);
  CHECK(photo.jpeg.find("Exif") == std::string::npos);
  CHECK(photo.jpeg.find("GPS") == std::string::npos);
  CHECK(photo.jpeg.find("\xFF\xE1") == std::string::npos);  // no APP1 segment at all
  // A small one keeps its size.
  CHECK(web::process_photo(test::jpeg_with_gps_exif(640, 480)).width == 640);
}

TEST_CASE("a photo taken sideways (EXIF orientation 6) is turned upright before its EXIF goes", "[web][photo]") {
  std::string rotated = test::jpeg_with_gps_exif(400, 200);
  // The Orientation entry's value (little-endian SHORT) sits right after its tag, type and count.
  const auto at = rotated.find(std::string("\x12\x01\x03\x00\x01\x00\x00\x00", 8));
  REQUIRE(at != std::string::npos);
  rotated[at + 8] = '\x06';
  CHECK(web::jpeg_exif_orientation(rotated) == 6);
  const auto photo = web::process_photo(rotated);
  CHECK(photo.width == 200);
  CHECK(photo.height == 400);
}

TEST_CASE("a non-image, a bomb, a damaged file and an oversized upload are refused by their content", "[web][photo]") {
  CHECK(code_of("%PDF-1.7\n1 0 obj") == "not_an_image");
  CHECK(code_of("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>") == "not_an_image");
  CHECK(code_of("") == "not_an_image");
  // A photo renamed .jpg but a GIF inside: judged by its bytes.
  CHECK(code_of("GIF89a\x01\x00\x01\x00") == "not_an_image");
  CHECK(code_of(test::png_bomb_header(50'000, 50'000)) == "too_many_pixels");
  CHECK(code_of(test::png_bomb_header(20'000, 100)) == "too_many_pixels");  // one side too long
  const std::string jpeg = test::jpeg_with_gps_exif(300, 200);
  CHECK(code_of(jpeg.substr(0, jpeg.size() / 3)) == "undecodable");
  web::PhotoLimits small;
  small.max_bytes = 1000;
  CHECK(code_of(jpeg, small) == "too_large");
}
