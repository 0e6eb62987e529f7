#include "allervers/platform/image_files.hpp"

#include "allervers/platform/image_io.hpp"

#include <thread>

namespace allervers::platform {

ImageFileSource::ImageFileSource(std::vector<std::filesystem::path> files, bool loop,
                                 std::chrono::milliseconds interval)
    : files_(std::move(files)), loop_(loop && !files_.empty()), interval_(interval) {}

std::shared_ptr<const Frame> ImageFileSource::next_frame(std::chrono::milliseconds timeout) {
  if (finished() || files_.empty()) return nullptr;
  if (interval_.count() > 0 && last_ != SteadyTime{}) {
    const auto due = last_ + interval_;
    const auto now = std::chrono::steady_clock::now();
    if (due - now > timeout) {
      std::this_thread::sleep_for(timeout);
      return nullptr;
    }
    std::this_thread::sleep_until(due);
  }
  last_ = std::chrono::steady_clock::now();
  if (next_ >= files_.size()) next_ = 0;
  auto frame = std::make_shared<Frame>(read_image(files_[next_++]));
  frame->sequence = ++sequence_;
  frame->captured_at = std::chrono::steady_clock::now();
  return frame;
}

std::string ImageFileSource::description() const {
  return std::to_string(files_.size()) + (files_.size() == 1 ? " image file" : " image files");
}

}  // namespace allervers::platform
