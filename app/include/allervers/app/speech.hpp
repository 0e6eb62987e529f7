#pragma once
// Read-aloud: espeak-ng speaks a text into memory on a worker thread, and an audio sink (SDL
// audio in allervers-kiosk, a recorder in tests) plays it. The UI never waits: `say` returns
// at once, the sound is handed to the sink when the main loop next calls `pump`.
//
// Sections: PCM and WAV · synthesis · the sink · Speech (the worker and what the App calls).
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace allervers::app {

// --- PCM and WAV ------------------------------------------------------------------------------

// 16-bit signed mono samples.
struct Pcm {
  std::vector<std::int16_t> samples;
  int sample_rate = 22050;
  double seconds() const { return sample_rate ? static_cast<double>(samples.size()) / sample_rate : 0.0; }
};
// A canonical 44-byte-header PCM WAV file (what `sox --i` reads). Throws on a write error.
void write_wav(const std::filesystem::path& path, const Pcm& pcm);

// --- synthesis --------------------------------------------------------------------------------

// espeak-ng's sample rate (it starts espeak-ng once); 0 when espeak-ng cannot start.
int speech_sample_rate();
// espeak-ng's voice for one of the app's languages ("fr", "en", "ar", "pt", "es", "tr"); empty
// for a language it is not set up for.
std::string speech_voice(const std::string& language);
// Speaks `text` in `language` into memory (espeak-ng, AUDIO_OUTPUT_SYNCHRONOUS with a synth
// callback). espeak-ng is one engine per process: calls are serialised. `cancelled`, polled
// between chunks, cuts a long text short. Throws std::runtime_error when espeak-ng cannot start
// or has no voice for the language.
Pcm synthesise_speech(const std::string& text, const std::string& language,
                      const std::function<bool()>& cancelled = {});

// --- the sink ---------------------------------------------------------------------------------

class AudioSink {
 public:
  virtual ~AudioSink() = default;
  // False with no audio device (SDL_AUDIODRIVER=dummy, none, a kiosk with no sound card).
  virtual bool available() const = 0;
  virtual void play(const Pcm& pcm) = 0;  // queues it after what is playing; returns at once
  virtual void stop() = 0;                // drops everything queued
  virtual bool playing() const = 0;       // something is still queued
};

// --- Speech -----------------------------------------------------------------------------------

class Speech {
 public:
  // `wake` is called from the worker when a sound is ready (the main loop should run a frame).
  explicit Speech(AudioSink& sink, std::function<void()> wake = {});
  ~Speech();
  Speech(const Speech&) = delete;
  Speech& operator=(const Speech&) = delete;

  bool available() const { return sink_.available(); }
  // Replaces whatever is being said (or synthesised) by `text`.
  void say(const std::string& text, const std::string& language);
  void stop();
  void set_volume(int percent);  // 0–100, applied to the samples
  // Main thread, once per frame: hands finished sound to the sink.
  void pump();
  // Synthesising, waiting for pump, or still playing.
  bool speaking() const;
  // The last text handed to the sink and its language (tests check the spoken form was used).
  struct Said {
    std::string text, language;
    std::size_t samples = 0;
  };
  std::optional<Said> last_said() const;
  std::string problem() const;  // the last synthesis failure, for the log

 private:
  struct Request {
    std::uint64_t generation;
    std::string text, language;
  };
  struct Done {
    std::uint64_t generation;
    std::string text, language;
    Pcm pcm;
  };
  void run();
  AudioSink& sink_;
  std::function<void()> wake_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::optional<Request> request_;
  std::optional<Done> done_;
  bool busy_ = false;
  bool quit_ = false;
  std::atomic<std::uint64_t> generation_{0};  // read by the worker to cut a stale synthesis short
  int volume_ = 80;
  std::optional<Said> said_;
  std::string problem_;
  std::thread worker_;
};

}  // namespace allervers::app
