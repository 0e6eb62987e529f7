#pragma once
// Read-aloud's sink through SDL audio (sdl_audio.hpp: one place opens the device). With no audio
// device (SDL_AUDIODRIVER=dummy or none, a kiosk with no sound card) it is not available and
// says why; the app then shows that read-aloud is unavailable instead of failing silently.
#include "allervers/app/sdl_audio.hpp"
#include "allervers/app/speech.hpp"

namespace allervers::app {

class SdlAudioSink final : public AudioSink {
 public:
  explicit SdlAudioSink(int sample_rate);  // opens its own SDL audio output (sdl_audio.hpp)

  bool available() const override { return device_.open(); }
  void play(const Pcm& pcm) override;
  void stop() override;
  bool playing() const override;
  const std::string& problem() const { return device_.problem(); }

 private:
  SdlAudioDevice device_;
};

}  // namespace allervers::app
