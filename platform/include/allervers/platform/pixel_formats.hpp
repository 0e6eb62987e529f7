#pragma once
// Conversion of camera buffers to 8-bit luminance. Kept apart from the V4L2 source so that it
// is tested on synthetic buffers on machines without a camera.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace allervers::platform {

enum class PixelFormat {
  grey,    // 8-bit luminance (V4L2_PIX_FMT_GREY)
  yuyv,    // packed 4:2:2, Y0 U Y1 V (V4L2_PIX_FMT_YUYV): most USB webcams
  yuv420,  // planar 4:2:0, Y plane first (V4L2_PIX_FMT_YUV420): libv4l2's emulated format
  rgb24,   // packed R G B (V4L2_PIX_FMT_RGB24): libv4l2's other emulated format
};

const char* to_string(PixelFormat format);
std::optional<PixelFormat> pixel_format_from_fourcc(std::uint32_t fourcc);

// Luminance of one frame. `bytes_per_line` is the stride of the first plane (0: packed).
// Throws std::invalid_argument when the buffer is too small for the geometry.
std::vector<std::uint8_t> to_luma(PixelFormat format, std::span<const std::uint8_t> buffer, int width, int height,
                                  int bytes_per_line = 0);

}  // namespace allervers::platform
