#pragma once
// One SDL audio output, opened in one place for every sound the app makes (read-aloud, the
// sign-in desk's tones): SDL's audio subsystem, 16-bit mono at a given rate, queued playback.
// With no device that anyone hears — no sound card, SDL_AUDIODRIVER=dummy or disk, Xvfb on
// CI — it is not open and says why; nothing fails.
#include <cstddef>
#include <cstdint>
#include <string>

namespace allervers::app {

class SdlAudioDevice {
 public:
  // `buffer_samples`: SDL's callback size (small: short latency; larger: fewer wake-ups).
  SdlAudioDevice(int sample_rate, int buffer_samples);
  ~SdlAudioDevice();
  SdlAudioDevice(const SdlAudioDevice&) = delete;
  SdlAudioDevice& operator=(const SdlAudioDevice&) = delete;

  bool open() const { return device_ != 0; }
  const std::string& problem() const { return problem_; }  // why it is not open
  int sample_rate() const { return sample_rate_; }
  void queue(const std::int16_t* samples, std::size_t count);  // returns at once; SDL plays it
  void clear();                                                // what is queued is dropped: silence
  bool playing() const;                                        // something queued is not yet played

 private:
  std::uint32_t device_ = 0;
  bool subsystem_ = false;
  int sample_rate_;
  std::string problem_;
};

}  // namespace allervers::app
