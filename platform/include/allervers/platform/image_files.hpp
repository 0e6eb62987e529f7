#pragma once
// A frame source that reads image files (PGM, PNG): for tests, demos and checking a print
// run without a camera. Each file is one frame; the source ends after the last unless told
// to loop (a demo kiosk showing the same codes forever).
#include <filesystem>
#include <vector>

#include "allervers/platform/frame.hpp"

namespace allervers::platform {

class ImageFileSource final : public FrameSource {
 public:
  // `interval` paces the frames like a camera (a demo kiosk at 10 frames a second); zero
  // hands them out as fast as they are asked for.
  explicit ImageFileSource(std::vector<std::filesystem::path> files, bool loop = false,
                           std::chrono::milliseconds interval = std::chrono::milliseconds(0));
  // Throws ImageError for a file that cannot be read.
  std::shared_ptr<const Frame> next_frame(std::chrono::milliseconds timeout) override;
  bool finished() const override { return !loop_ && next_ >= files_.size(); }
  std::string description() const override;

 private:
  std::vector<std::filesystem::path> files_;
  bool loop_;
  std::size_t next_ = 0;
  std::chrono::milliseconds interval_;
  SteadyTime last_{};
  std::uint64_t sequence_ = 0;
};

}  // namespace allervers::platform
