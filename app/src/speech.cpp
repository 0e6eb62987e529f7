// Sections: WAV · espeak-ng · Speech's worker.
#include "allervers/app/speech.hpp"

#include "allervers/app/bidi.hpp"

#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace allervers::app {

// --- WAV ------------------------------------------------------------------------------------

namespace {
void put16(std::ofstream& out, std::uint16_t v) {
  const char b[2] = {static_cast<char>(v & 0xFF), static_cast<char>(v >> 8)};
  out.write(b, 2);
}
void put32(std::ofstream& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.put(static_cast<char>((v >> (8 * i)) & 0xFF));
}
}  // namespace

void write_wav(const std::filesystem::path& path, const Pcm& pcm) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + path.string());
  const auto data = static_cast<std::uint32_t>(pcm.samples.size() * 2);
  out.write("RIFF", 4);
  put32(out, 36 + data);
  out.write("WAVEfmt ", 8);
  put32(out, 16);
  put16(out, 1);  // PCM
  put16(out, 1);  // mono
  put32(out, static_cast<std::uint32_t>(pcm.sample_rate));
  put32(out, static_cast<std::uint32_t>(pcm.sample_rate * 2));
  put16(out, 2);
  put16(out, 16);
  out.write("data", 4);
  put32(out, data);
  for (std::int16_t s : pcm.samples) put16(out, static_cast<std::uint16_t>(s));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

// --- espeak-ng ------------------------------------------------------------------------------

namespace {

// espeak-ng keeps one engine per process (its voice, its callback): every call goes through
// this lock. It is the library's state, not the app's; nothing else here is shared.
std::mutex& espeak_lock() {
  static std::mutex lock;
  return lock;
}

struct Collect {
  std::vector<std::int16_t>* samples;
  const std::function<bool()>* cancelled;
};

int on_samples(short* wav, int count, espeak_EVENT* events) {
  auto* collect = events ? static_cast<Collect*>(events->user_data) : nullptr;
  if (!collect) return 0;
  if (wav && count > 0) collect->samples->insert(collect->samples->end(), wav, wav + count);
  return (*collect->cancelled && (*collect->cancelled)()) ? 1 : 0;  // 1: stop synthesising
}

int start_espeak() {
  // Called with the lock held, once; the sample rate it returns stays for the process.
  static int rate = [] {
    const int r = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, 0);
    if (r > 0) espeak_SetSynthCallback(on_samples);
    return r;
  }();
  return rate;
}

}  // namespace

int speech_sample_rate() {
  std::lock_guard lock(espeak_lock());
  return std::max(start_espeak(), 0);
}

std::string speech_voice(const std::string& language) {
  static constexpr const char* known[] = {"fr", "en", "ar", "pt", "es", "tr"};
  for (const char* k : known)
    if (language == k) return language;  // espeak-ng's voice files: lang/roa/fr, lang/gmw/en (British), …
  return {};
}

Pcm synthesise_speech(const std::string& text, const std::string& language, const std::function<bool()>& cancelled) {
  const std::string voice = speech_voice(language);
  if (voice.empty()) throw std::runtime_error("no voice for language \"" + language + "\"");
  std::lock_guard lock(espeak_lock());
  const int rate = start_espeak();
  if (rate <= 0) throw std::runtime_error("espeak-ng did not start (espeak-ng-data missing?)");
  if (espeak_SetVoiceByName(voice.c_str()) != EE_OK)
    throw std::runtime_error("espeak-ng has no voice \"" + voice + "\"");
  espeak_SetParameter(espeakRATE, 150, 0);  // a little slower than its default: read to strangers
  Pcm pcm;
  pcm.sample_rate = rate;
  Collect collect{&pcm.samples, &cancelled};
  // Isolates around a street's name or a code order the drawing; nothing to say aloud.
  const std::string said = bidi::without_format_characters(text);
  const auto err = espeak_Synth(said.c_str(), said.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr, &collect);
  if (err != EE_OK) throw std::runtime_error("espeak-ng could not speak the text");
  espeak_Synchronize();
  return pcm;
}

// --- Speech's worker ------------------------------------------------------------------------

Speech::Speech(AudioSink& sink, std::function<void()> wake) : sink_(sink), wake_(std::move(wake)) {
  worker_ = std::thread([this] { run(); });
}

Speech::~Speech() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
    ++generation_;  // cuts a synthesis in progress short
  }
  cv_.notify_all();
  worker_.join();
}

void Speech::say(const std::string& text, const std::string& language) {
  sink_.stop();
  {
    std::lock_guard lock(mutex_);
    request_ = Request{++generation_, text, language};
    done_.reset();
  }
  cv_.notify_all();
}

void Speech::stop() {
  {
    std::lock_guard lock(mutex_);
    ++generation_;
    request_.reset();
    done_.reset();
  }
  sink_.stop();
}

void Speech::set_volume(int percent) {
  std::lock_guard lock(mutex_);
  volume_ = std::clamp(percent, 0, 100);
}

void Speech::pump() {
  std::optional<Done> done;
  int volume = 0;
  {
    std::lock_guard lock(mutex_);
    if (done_ && done_->generation == generation_) done.swap(done_);
    done_.reset();
    volume = volume_;
  }
  if (!done) return;
  for (auto& s : done->pcm.samples) s = static_cast<std::int16_t>(s * volume / 100);
  sink_.play(done->pcm);
  std::lock_guard lock(mutex_);
  said_ = Said{done->text, done->language, done->pcm.samples.size()};
}

bool Speech::speaking() const {
  {
    std::lock_guard lock(mutex_);
    if (request_ || busy_ || done_) return true;
  }
  return sink_.playing();
}

std::optional<Speech::Said> Speech::last_said() const {
  std::lock_guard lock(mutex_);
  return said_;
}

std::string Speech::problem() const {
  std::lock_guard lock(mutex_);
  return problem_;
}

void Speech::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    cv_.wait(lock, [&] { return quit_ || request_.has_value(); });
    if (quit_) return;
    Request request = std::move(*request_);
    request_.reset();
    busy_ = true;
    lock.unlock();
    std::optional<Done> done;
    std::string problem;
    try {
      const auto stale = [&] { return generation_.load() != request.generation; };
      Pcm pcm = synthesise_speech(request.text, request.language, stale);
      if (!stale()) done = Done{request.generation, request.text, request.language, std::move(pcm)};
    } catch (const std::exception& e) {
      problem = e.what();
    }
    lock.lock();
    busy_ = false;
    if (!problem.empty()) problem_ = problem;
    if (done && done->generation == generation_) done_ = std::move(done);
    if (done_ && wake_) {
      lock.unlock();
      wake_();
      lock.lock();
    }
  }
}

}  // namespace allervers::app
