#pragma once
// The sound that goes with a sign-in verdict. A small interface so the sign-in screen can
// be written now; an audio backend (SDL) implements it later, tests use a recorder.
namespace allervers::platform {

enum class FeedbackCue {
  welcome,            // a short rising chime
  already_signed_in,  // a neutral double beep
  refused,            // a low tone
};

class FeedbackSound {
 public:
  virtual ~FeedbackSound() = default;
  // Must return at once (queue the sound, never wait for it to finish).
  virtual void play(FeedbackCue cue) = 0;
};

class SilentFeedback final : public FeedbackSound {
 public:
  void play(FeedbackCue) override {}
};

}  // namespace allervers::platform
