#include "allervers/app/frame_pacer.hpp"

#include <algorithm>

namespace allervers::app {

std::int64_t FramePacer::sleep_ms(std::optional<std::int64_t> ms_until_timer, std::int64_t now_ms) {
  if (ms_until_timer) {
    const std::int64_t due = now_ms + std::max<std::int64_t>(*ms_until_timer, 0);
    due_at_ms_ = due_at_ms_ ? std::min(*due_at_ms_, due) : due;
  }
  if (frames_wanted_ > 0) return 0;
  const std::int64_t until_due = due_at_ms_ ? std::max<std::int64_t>(*due_at_ms_ - now_ms, 0) : max_sleep_ms;
  return std::min(until_due, max_sleep_ms);
}

bool FramePacer::take_frame(std::int64_t now_ms) {
  const bool timer_due = due_at_ms_ && now_ms >= *due_at_ms_;
  if (frames_wanted_ == 0 && !timer_due) return false;
  if (frames_wanted_ > 0) --frames_wanted_;
  if (timer_due) due_at_ms_.reset();  // the Engine is asked for its next one before the next sleep
  return true;
}

}  // namespace allervers::app
