#include <catch2/catch.hpp>

#include <png.h>
#include <zlib.h>

#include "allervers/platform/image_io.hpp"
#include "test_support.hpp"

using namespace allervers::platform;
using allervers::test::TempDir;

namespace {
Frame gradient(int w, int h) {
  Frame f;
  f.width = w;
  f.height = h;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) f.luma.push_back(static_cast<std::uint8_t>((x * 7 + y * 13) & 0xFF));
  return f;
}

std::string chunk(const std::string& type, const std::string& body) {
  std::string out;
  auto put32 = [&](std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<char>((v >> s) & 0xFF));
  };
  put32(static_cast<std::uint32_t>(body.size()));
  const std::string typed = type + body;
  out += typed;
  put32(static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(typed.data()), static_cast<uInt>(typed.size()))));
  return out;
}

// A PNG with the given header fields and already-filtered rows.
std::string png(std::uint32_t w, std::uint32_t h, int depth, int colour, const std::string& rows, const std::string& extra = "") {
  std::string header;
  for (std::uint32_t v : {w, h})
    for (int s = 24; s >= 0; s -= 8) header.push_back(static_cast<char>((v >> s) & 0xFF));
  header += std::string{static_cast<char>(depth), static_cast<char>(colour), 0, 0, 0};
  uLongf size = compressBound(static_cast<uLong>(rows.size()));
  std::string z(size, '\0');
  compress(reinterpret_cast<Bytef*>(z.data()), &size, reinterpret_cast<const Bytef*>(rows.data()), static_cast<uLong>(rows.size()));
  z.resize(size);
  return std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", header) + extra + chunk("IDAT", z) + chunk("IEND", "");
}
}  // namespace

TEST_CASE("PNG and PGM written here read back identically") {
  TempDir dir;
  const Frame original = gradient(37, 23);
  write_png(dir / "a.png", original);
  write_pgm(dir / "a.pgm", original);
  CHECK(read_image(dir / "a.png").luma == original.luma);
  const Frame pgm = read_image(dir / "a.pgm");
  CHECK(pgm.width == 37);
  CHECK(pgm.luma == original.luma);
}

TEST_CASE("RGBA PNG: what write_png writes, read_png_rgba reads back") {
  TempDir dir;
  RgbaImage image;
  image.width = 3;
  image.height = 2;
  image.rgba = {1, 2, 3, 255, 4, 5, 6, 255, 7, 8, 9, 255, 10, 11, 12, 255, 13, 14, 15, 255, 16, 17, 18, 255};
  write_png(dir / "shot.png", image);
  const RgbaImage back = read_png_rgba(dir / "shot.png");
  CHECK(back.width == 3);
  CHECK(back.height == 2);
  CHECK(back.rgba == image.rgba);
  // A greyscale PNG reads as RGBA too: grey spread to the three colours, opaque.
  write_png(dir / "grey.png", gradient(2, 1));
  CHECK(read_png_rgba(dir / "grey.png").rgba == std::vector<std::uint8_t>{0, 0, 0, 255, 7, 7, 7, 255});
  CHECK_THROWS_WITH(read_png_rgba(dir / "missing.png"), Catch::Contains("missing.png"));
  CHECK_THROWS_AS(write_png(dir / "bad.png", RgbaImage{2, 2, {1, 2, 3}}), ImageError);
}

TEST_CASE("PNG colour types and bit depths and filters reduce to luminance") {
  // RGB, 2x1, filter Sub on the second pixel: (255,0,0) then +(0,0,0) -> red, red.
  CHECK(decode_image(png(2, 1, 8, 2, std::string("\x01\xFF\x00\x00\x00\x00\x00", 7))).luma ==
        std::vector<std::uint8_t>{76, 76});
  // Grey + alpha: fully transparent is white paper.
  CHECK(decode_image(png(1, 1, 8, 4, std::string("\x00\x00\x00", 3))).luma == std::vector<std::uint8_t>{255});
  // 1-bit grey: 8 pixels in one byte.
  CHECK(decode_image(png(8, 1, 1, 0, std::string("\x00\xA5", 2))).luma ==
        std::vector<std::uint8_t>{255, 0, 255, 0, 0, 255, 0, 255});
  // Palette with two entries, 1 bit, and filter Up on row 2.
  const std::string plte = chunk("PLTE", std::string("\x00\x00\x00\xFF\xFF\xFF", 6));
  CHECK(decode_image(png(2, 2, 1, 3, std::string("\x00\x40\x02\x00", 4), plte)).luma ==
        std::vector<std::uint8_t>{0, 255, 0, 255});
  // 16-bit grey keeps the high byte; Paeth and Average filters.
  CHECK(decode_image(png(1, 1, 16, 0, std::string("\x00\x80\x01", 3))).luma == std::vector<std::uint8_t>{128});
  CHECK(decode_image(png(2, 2, 8, 0, std::string("\x00\x10\x20\x04\x01\x01", 6))).luma ==
        std::vector<std::uint8_t>{16, 32, 17, 33});
  CHECK(decode_image(png(2, 2, 8, 0, std::string("\x00\x10\x20\x03\x02\x02", 6))).luma ==
        std::vector<std::uint8_t>{16, 32, 10, 23});
  // RGBA half transparent over white paper; a palette entry made transparent by tRNS.
  CHECK(decode_image(png(1, 1, 8, 6, std::string("\x00\x00\x00\x00\x80", 5))).luma == std::vector<std::uint8_t>{127});
  const std::string trns = chunk("PLTE", std::string("\x00\x00\x00", 3)) + chunk("tRNS", std::string("\x00", 1));
  CHECK(decode_image(png(1, 1, 8, 3, std::string("\x00\x00", 2), trns)).luma == std::vector<std::uint8_t>{255});
}

TEST_CASE("an interlaced PNG (Adam7) reads like any other") {
  // Written with libpng itself: interlacing by hand would test the test.
  const Frame original = gradient(13, 11);
  std::string bytes;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  png_set_write_fn(
      png, &bytes,
      [](png_structp p, png_bytep data, png_size_t n) {
        static_cast<std::string*>(png_get_io_ptr(p))->append(reinterpret_cast<const char*>(data), n);
      },
      nullptr);
  png_set_IHDR(png, info, 13, 11, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_ADAM7, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  std::vector<png_bytep> rows;
  for (int y = 0; y < 11; ++y) rows.push_back(const_cast<png_bytep>(original.luma.data() + y * 13));
  png_write_info(png, info);
  png_set_interlace_handling(png);
  png_write_image(png, rows.data());
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  REQUIRE(static_cast<unsigned char>(bytes[28]) == 1);  // IHDR's interlace byte: Adam7
  CHECK(decode_image(bytes, "adam7.png").luma == original.luma);
}

TEST_CASE("damaged images are refused with the file name and the reason") {
  TempDir dir;
  const std::string good = encode_png(gradient(8, 8));
  std::string bad_crc = good;
  bad_crc[20] = static_cast<char>(bad_crc[20] ^ 1);
  CHECK_THROWS_WITH(decode_image(bad_crc, "scan.png"), Catch::Contains("scan.png") && Catch::Contains("CRC"));
  CHECK_THROWS_WITH(decode_image(good.substr(0, good.size() - 20), "cut.png"), Catch::Contains("cut"));
  CHECK_THROWS_WITH(decode_image("GIF89a", "x.gif"), Catch::Contains("not a PNG or PGM"));
  CHECK_THROWS_WITH(decode_image("P5\n10 10\n255\nabc", "short.pgm"), Catch::Contains("cut short"));
  CHECK_THROWS_WITH(decode_image("P5\n100000 100000\n255\n", "huge.pgm"), Catch::Contains("unsupported size"));
  CHECK_THROWS_WITH(decode_image(png(1, 1, 8, 0, std::string("\x07\x00", 2)), "f.png"), Catch::Contains("filter"));
  CHECK_THROWS_WITH(read_image(dir / "missing.png"), Catch::Contains("missing.png"));
  CHECK(decode_image("P2\n# comment\n2 1\n15\n0 15\n").luma == std::vector<std::uint8_t>{0, 255});
}
