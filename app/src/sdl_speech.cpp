#include "allervers/app/sdl_speech.hpp"

namespace allervers::app {

// 1024 samples: speech is long, a few tens of milliseconds more before it starts go unnoticed.
SdlAudioSink::SdlAudioSink(int sample_rate) : device_(sample_rate, 1024) {}

void SdlAudioSink::play(const Pcm& pcm) { device_.queue(pcm.samples.data(), pcm.samples.size()); }

void SdlAudioSink::stop() { device_.clear(); }

bool SdlAudioSink::playing() const { return device_.playing(); }

}  // namespace allervers::app
