#include "allervers/platform/image_files.hpp"

#include "allervers/platform/image_io.hpp"

namespace allervers::platform {

ImageFileSource::ImageFileSource(std::vector<std::filesystem::path> files, bool loop)
    : files_(std::move(files)), loop_(loop && !files_.empty()) {}

std::shared_ptr<const Frame> ImageFileSource::next_frame(std::chrono::milliseconds) {
  if (finished() || files_.empty()) return nullptr;
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
