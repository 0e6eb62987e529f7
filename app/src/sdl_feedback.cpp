#include "allervers/app/sdl_feedback.hpp"

#include <SDL.h>

#include <cmath>

namespace allervers::app {

namespace {

struct Note {
  double hz;  // 0: a silence
  int ms;
};

// Each note fades in and out over 6 ms: no click at its edges.
void append(std::vector<std::int16_t>& out, Note note, double volume) {
  const int n = SdlFeedbackSound::sample_rate * note.ms / 1000;
  const int fade = SdlFeedbackSound::sample_rate * 6 / 1000;
  for (int i = 0; i < n; ++i) {
    double v = 0;
    if (note.hz > 0) {
      const double edge = std::min(1.0, std::min(i, n - 1 - i) / static_cast<double>(fade));
      v = std::sin(2.0 * M_PI * note.hz * i / SdlFeedbackSound::sample_rate) * volume * edge;
    }
    out.push_back(static_cast<std::int16_t>(v * 32767.0));
  }
}

}  // namespace

std::vector<std::int16_t> SdlFeedbackSound::tone(platform::FeedbackCue cue) {
  std::vector<std::int16_t> out;
  switch (cue) {
    case platform::FeedbackCue::welcome:  // a rising chime: "come in"
      append(out, {660, 110}, 0.5);
      append(out, {990, 190}, 0.5);
      break;
    case platform::FeedbackCue::already_signed_in:  // a neutral double beep: "nothing new"
      append(out, {587, 100}, 0.45);
      append(out, {0, 80}, 0);
      append(out, {587, 100}, 0.45);
      break;
    case platform::FeedbackCue::refused:  // a low tone: "look at the screen"
      append(out, {220, 420}, 0.55);
      break;
  }
  return out;
}

SdlFeedbackSound::SdlFeedbackSound() {
  samples_ = {tone(platform::FeedbackCue::welcome), tone(platform::FeedbackCue::already_signed_in),
              tone(platform::FeedbackCue::refused)};
  if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
    problem_ = std::string("no audio: ") + SDL_GetError();
    return;
  }
  subsystem_ = true;
  SDL_AudioSpec want{};
  want.freq = sample_rate;
  want.format = AUDIO_S16SYS;
  want.channels = 1;
  want.samples = 512;
  SDL_AudioSpec have{};
  device_ = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);  // no changes allowed: SDL converts
  if (device_ == 0) {
    problem_ = std::string("no audio device: ") + SDL_GetError();
    return;
  }
  SDL_PauseAudioDevice(device_, 0);
}

SdlFeedbackSound::~SdlFeedbackSound() {
  if (device_ != 0) SDL_CloseAudioDevice(device_);
  if (subsystem_) SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

void SdlFeedbackSound::play(platform::FeedbackCue cue) {
  if (device_ == 0) return;
  const auto& s = samples_[static_cast<std::size_t>(cue)];
  SDL_ClearQueuedAudio(device_);  // a new verdict cuts the last one short: sounds never pile up
  SDL_QueueAudio(device_, s.data(), static_cast<Uint32>(s.size() * sizeof(std::int16_t)));
}

}  // namespace allervers::app
