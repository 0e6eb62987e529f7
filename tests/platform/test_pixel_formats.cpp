// Camera buffer conversion on synthetic buffers: the test machine has no camera.
#include <catch2/catch.hpp>

#include <linux/videodev2.h>

#include "allervers/platform/pixel_formats.hpp"

using namespace allervers::platform;

TEST_CASE("YUYV keeps the Y samples and honours the driver's line stride") {
  // 4x2 pixels, rows padded to 12 bytes.
  const std::vector<std::uint8_t> yuyv = {
      10, 128, 20, 128, 30, 128, 40, 128, 0xEE, 0xEE, 0xEE, 0xEE,
      50, 1,   60, 2,   70, 3,   80, 4,   0xEE, 0xEE, 0xEE, 0xEE};
  CHECK(to_luma(PixelFormat::yuyv, yuyv, 4, 2, 12) == std::vector<std::uint8_t>{10, 20, 30, 40, 50, 60, 70, 80});
}

TEST_CASE("GREY and YUV 4:2:0 copy the first plane and RGB24 weighs the channels") {
  const std::vector<std::uint8_t> grey = {1, 2, 3, 4, 5, 6};
  CHECK(to_luma(PixelFormat::grey, grey, 3, 2) == grey);
  std::vector<std::uint8_t> yuv420(2 * 2 + 2);  // Y plane then (tiny) chroma
  yuv420 = {9, 8, 7, 6, 128, 128};
  CHECK(to_luma(PixelFormat::yuv420, yuv420, 2, 2) == std::vector<std::uint8_t>{9, 8, 7, 6});
  const std::vector<std::uint8_t> rgb = {255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 255, 0};
  const auto luma = to_luma(PixelFormat::rgb24, rgb, 4, 1);
  CHECK(luma[0] == 255);
  CHECK(luma[1] == 0);
  CHECK(luma[2] == Approx(76).margin(1));
  CHECK(luma[3] == Approx(150).margin(1));
}

TEST_CASE("a buffer too small for its geometry is refused and never overread") {
  const std::vector<std::uint8_t> small(100);
  CHECK_THROWS_WITH(to_luma(PixelFormat::yuyv, small, 640, 480), Catch::Contains("too small"));
  CHECK_THROWS_AS(to_luma(PixelFormat::grey, small, 10, 10, 5), std::invalid_argument);
  CHECK_THROWS_AS(to_luma(PixelFormat::grey, small, 0, 10), std::invalid_argument);
}

TEST_CASE("V4L2 four-character codes map to the formats we read") {
  CHECK(pixel_format_from_fourcc(V4L2_PIX_FMT_YUYV) == PixelFormat::yuyv);
  CHECK(pixel_format_from_fourcc(V4L2_PIX_FMT_GREY) == PixelFormat::grey);
  CHECK_FALSE(pixel_format_from_fourcc(V4L2_PIX_FMT_MJPEG));
}
