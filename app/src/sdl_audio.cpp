#include "allervers/app/sdl_audio.hpp"

#include <SDL.h>

#include <cstring>

namespace allervers::app {

SdlAudioDevice::SdlAudioDevice(int sample_rate, int buffer_samples) : sample_rate_(sample_rate) {
  if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
    problem_ = std::string("no audio: ") + SDL_GetError();
    return;
  }
  subsystem_ = true;
  // SDL's "dummy" and "disk" drivers open fine but nobody hears them: no device, said so.
  if (const char* driver = SDL_GetCurrentAudioDriver();
      !driver || std::strcmp(driver, "dummy") == 0 || std::strcmp(driver, "disk") == 0) {
    problem_ = std::string("no audio device (driver: ") + (driver ? driver : "none") + ")";
    return;
  }
  SDL_AudioSpec want{};
  want.freq = sample_rate_;
  want.format = AUDIO_S16SYS;
  want.channels = 1;
  want.samples = static_cast<Uint16>(buffer_samples);
  SDL_AudioSpec have{};
  device_ = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);  // no changes allowed: SDL converts
  if (device_ == 0) {
    problem_ = std::string("no audio device: ") + SDL_GetError();
    return;
  }
  SDL_PauseAudioDevice(device_, 0);
}

SdlAudioDevice::~SdlAudioDevice() {
  if (device_ != 0) SDL_CloseAudioDevice(device_);
  if (subsystem_) SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

void SdlAudioDevice::queue(const std::int16_t* samples, std::size_t count) {
  if (device_ == 0 || count == 0) return;
  SDL_QueueAudio(device_, samples, static_cast<Uint32>(count * sizeof(std::int16_t)));
}

void SdlAudioDevice::clear() {
  if (device_ != 0) SDL_ClearQueuedAudio(device_);
}

bool SdlAudioDevice::playing() const { return device_ != 0 && SDL_GetQueuedAudioSize(device_) > 0; }

}  // namespace allervers::app
