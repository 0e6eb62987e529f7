#pragma once
// The sign-in desk's sounds through SDL audio: three short tones made in code (no sound
// files). With no audio device (Xvfb, CI, a kiosk with its speaker unplugged) it stays
// silent and says why once; it never fails the app.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "allervers/app/sdl_audio.hpp"
#include "allervers/platform/feedback.hpp"

namespace allervers::app {

class SdlFeedbackSound final : public platform::FeedbackSound {
 public:
  SdlFeedbackSound();  // opens its own SDL audio output (sdl_audio.hpp)
  SdlFeedbackSound(const SdlFeedbackSound&) = delete;
  SdlFeedbackSound& operator=(const SdlFeedbackSound&) = delete;

  void play(platform::FeedbackCue cue) override;  // queues the tone, returns at once
  bool silent() const { return !device_.open(); }
  const std::string& problem() const { return device_.problem(); }  // why it is silent
  static constexpr int sample_rate = 22050;
  // The samples of a cue (16-bit mono at sample_rate): tests check their shape.
  static std::vector<std::int16_t> tone(platform::FeedbackCue cue);

 private:
  SdlAudioDevice device_;
  std::array<std::vector<std::int16_t>, 3> samples_;
};

}  // namespace allervers::app
