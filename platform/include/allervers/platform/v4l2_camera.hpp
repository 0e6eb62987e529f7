#pragma once
// A camera through libv4l2 (Linux): opens the device, asks for YUYV (libv4l2 converts from
// MJPEG and others when the camera cannot), maps buffers, and hands out luminance frames.
#include <filesystem>
#include <memory>

#include "allervers/platform/frame.hpp"
#include "allervers/platform/pixel_formats.hpp"

namespace allervers::platform {

struct CameraRequest {
  std::filesystem::path device = "/dev/video0";
  int width = 1280;  // the driver may choose the nearest size it supports
  int height = 720;
};

class V4l2Camera final : public FrameSource {
 public:
  // Throws CameraError with a sentence naming the device: missing, busy, not a camera, no
  // usable format.
  explicit V4l2Camera(const CameraRequest& request);
  ~V4l2Camera() override;
  V4l2Camera(const V4l2Camera&) = delete;
  V4l2Camera& operator=(const V4l2Camera&) = delete;

  std::shared_ptr<const Frame> next_frame(std::chrono::milliseconds timeout) override;
  bool finished() const override { return false; }
  std::string description() const override;

 private:
  struct Buffer {
    void* start = nullptr;
    std::size_t length = 0;
  };
  void close_device() noexcept;

  std::filesystem::path device_;
  int fd_ = -1;
  int width_ = 0;
  int height_ = 0;
  int bytes_per_line_ = 0;
  PixelFormat format_ = PixelFormat::yuyv;
  std::vector<Buffer> buffers_;
  bool streaming_ = false;
  std::uint64_t sequence_ = 0;
};

}  // namespace allervers::platform
