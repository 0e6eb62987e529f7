#pragma once
// Camera frames as the rest of the program sees them: 8-bit luminance, row-major, no
// padding. QR decoding needs nothing more, and one plane is a quarter of the copying of
// RGBA. A FrameSource hands out frames; V4L2 cameras and image files are two of them.
#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace allervers::platform {

using SteadyTime = std::chrono::steady_clock::time_point;

struct Frame {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> luma;  // width * height bytes
  std::uint64_t sequence = 0;      // increasing per source
  SteadyTime captured_at{};

  std::uint8_t at(int x, int y) const {
    return luma[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)];
  }
};

// A camera that is missing, busy, unplugged or unusable. The message names the device and
// says what to do ("no camera at /dev/video0: ...").
class CameraError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class FrameSource {
 public:
  virtual ~FrameSource() = default;
  // The next frame, waiting at most `timeout`; nullptr when none came in time or the source
  // has ended (see finished()). Throws CameraError when the camera fails.
  virtual std::shared_ptr<const Frame> next_frame(std::chrono::milliseconds timeout) = 0;
  virtual bool finished() const = 0;
  virtual std::string description() const = 0;  // "/dev/video0 640x480 YUYV", "3 image files"
};

}  // namespace allervers::platform
