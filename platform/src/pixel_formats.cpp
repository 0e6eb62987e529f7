#include "allervers/platform/pixel_formats.hpp"

#include <linux/videodev2.h>

#include <stdexcept>
#include <string>

namespace allervers::platform {

const char* to_string(PixelFormat format) {
  switch (format) {
    case PixelFormat::grey: return "GREY";
    case PixelFormat::yuyv: return "YUYV";
    case PixelFormat::yuv420: return "YU12";
    case PixelFormat::rgb24: return "RGB3";
  }
  return "?";
}

std::optional<PixelFormat> pixel_format_from_fourcc(std::uint32_t fourcc) {
  switch (fourcc) {
    case V4L2_PIX_FMT_GREY: return PixelFormat::grey;
    case V4L2_PIX_FMT_YUYV: return PixelFormat::yuyv;
    case V4L2_PIX_FMT_YUV420: return PixelFormat::yuv420;
    case V4L2_PIX_FMT_RGB24: return PixelFormat::rgb24;
    default: return std::nullopt;
  }
}

std::vector<std::uint8_t> to_luma(PixelFormat format, std::span<const std::uint8_t> buffer, int width, int height,
                                  int bytes_per_line) {
  if (width <= 0 || height <= 0) throw std::invalid_argument("frame of " + std::to_string(width) + "x" + std::to_string(height));
  const auto w = static_cast<std::size_t>(width);
  const auto h = static_cast<std::size_t>(height);
  const std::size_t bytes_per_pixel = format == PixelFormat::yuyv ? 2 : format == PixelFormat::rgb24 ? 3 : 1;
  const std::size_t stride = bytes_per_line > 0 ? static_cast<std::size_t>(bytes_per_line) : w * bytes_per_pixel;
  if (stride < w * bytes_per_pixel) throw std::invalid_argument("stride shorter than a row");
  // The Y plane is all we read, even for planar formats.
  if (buffer.size() < stride * (h - 1) + w * bytes_per_pixel)
    throw std::invalid_argument(std::string(to_string(format)) + " buffer of " + std::to_string(buffer.size()) +
                                " bytes is too small for " + std::to_string(width) + "x" + std::to_string(height));
  std::vector<std::uint8_t> luma(w * h);
  for (std::size_t y = 0; y < h; ++y) {
    const std::uint8_t* row = buffer.data() + y * stride;
    std::uint8_t* out = luma.data() + y * w;
    switch (format) {
      case PixelFormat::grey:
      case PixelFormat::yuv420:
        std::copy(row, row + w, out);
        break;
      case PixelFormat::yuyv:
        for (std::size_t x = 0; x < w; ++x) out[x] = row[2 * x];
        break;
      case PixelFormat::rgb24:
        for (std::size_t x = 0; x < w; ++x) {
          const unsigned r = row[3 * x], g = row[3 * x + 1], b = row[3 * x + 2];
          out[x] = static_cast<std::uint8_t>((306 * r + 601 * g + 117 * b + 512) >> 10);  // BT.601
        }
        break;
    }
  }
  return luma;
}

}  // namespace allervers::platform
