#pragma once
// Read-aloud's sink through SDL audio (SDL_OpenAudioDevice + SDL_QueueAudio). With no audio
// device (SDL_AUDIODRIVER=dummy or none, a kiosk with no sound card) it is not available and
// says why; the app then shows that read-aloud is unavailable instead of failing silently.
#include <cstdint>
#include <string>

#include "allervers/app/speech.hpp"

namespace allervers::app {

class SdlAudioSink final : public AudioSink {
 public:
  explicit SdlAudioSink(int sample_rate);  // initialises SDL's audio subsystem itself
  ~SdlAudioSink() override;
  SdlAudioSink(const SdlAudioSink&) = delete;
  SdlAudioSink& operator=(const SdlAudioSink&) = delete;

  bool available() const override { return device_ != 0; }
  void play(const Pcm& pcm) override;
  void stop() override;
  bool playing() const override;
  const std::string& problem() const { return problem_; }

 private:
  std::uint32_t device_ = 0;
  bool subsystem_ = false;
  int sample_rate_;
  std::string problem_;
};

}  // namespace allervers::app
