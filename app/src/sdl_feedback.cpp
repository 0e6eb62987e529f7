#include "allervers/app/sdl_feedback.hpp"

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

// 512 samples: a verdict's sound starts as the verdict shows.
SdlFeedbackSound::SdlFeedbackSound() : device_(sample_rate, 512) {
  samples_ = {tone(platform::FeedbackCue::welcome), tone(platform::FeedbackCue::already_signed_in),
              tone(platform::FeedbackCue::refused)};
}

void SdlFeedbackSound::play(platform::FeedbackCue cue) {
  const auto& s = samples_[static_cast<std::size_t>(cue)];
  device_.clear();  // a new verdict cuts the last one short: sounds never pile up
  device_.queue(s.data(), s.size());
}

}  // namespace allervers::app
