#pragma once
// When the kiosk's event loop sleeps and whether it draws, without SDL (tested on a manual
// clock). The loop sleeps until input, the Engine's next timer or the sync poll; it draws a few
// frames after input (ImGui settles hover and active state over a couple), one when a timer
// fell due, none otherwise. A timer that fell due is remembered as a deadline: once it has
// passed, the frame is drawn even though the Engine already counts towards its next timer
// (the idle countdown's next second), which is what kept the countdown on "6" for seconds.
#include <cstdint>
#include <optional>

namespace allervers::app {

class FramePacer {
 public:
  // The sync thread reports through a poll at least this often.
  static constexpr std::int64_t max_sleep_ms = 1000;
  // Frames drawn after input.
  static constexpr int frames_after_input = 3;

  // Before sleeping: how long at most (0: draw now), given the Engine's next timer.
  std::int64_t sleep_ms(std::optional<std::int64_t> ms_until_timer, std::int64_t now_ms);
  void input() { frames_wanted_ = frames_after_input; }
  void news() { frames_wanted_ = frames_wanted_ > 0 ? frames_wanted_ : 1; }  // the sync thread's
  // After waking: whether to draw a frame now; drawing one counts it.
  bool take_frame(std::int64_t now_ms);

 private:
  int frames_wanted_ = 1;
  std::optional<std::int64_t> due_at_ms_;
};

}  // namespace allervers::app
