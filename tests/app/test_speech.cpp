// Read-aloud: espeak-ng's sound for a French and an Arabic sentence and for every question of
// the demo consultations in each app language (checked as WAV files by sox), the catalog's
// spoken forms, and the speaker buttons, the « audio » mode and the staff
// volume driven through the real screens.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <mutex>
#include <regex>

#include "allervers/app/speech.hpp"
#include "allervers/core/settings.hpp"
#include "harness.hpp"

using namespace allervers;
using allervers::test::Harness;
using allervers::test::HarnessOptions;

namespace {

// Records what Speech hands to the sound card.
class RecordingSink final : public app::AudioSink {
 public:
  explicit RecordingSink(bool available = true) : available_(available) {}
  bool available() const override { return available_; }
  void play(const app::Pcm& pcm) override {
    std::lock_guard lock(mutex_);
    played_.push_back(pcm);
    queued_ = true;
  }
  void stop() override {
    std::lock_guard lock(mutex_);
    ++stops_;
    queued_ = false;
  }
  bool playing() const override {
    std::lock_guard lock(mutex_);
    return queued_;
  }
  std::vector<app::Pcm> played() const {
    std::lock_guard lock(mutex_);
    return played_;
  }

 private:
  bool available_;
  mutable std::mutex mutex_;
  std::vector<app::Pcm> played_;
  bool queued_ = false;
  int stops_ = 0;
};

std::string run(const std::string& command) {
  std::string out;
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  REQUIRE(p);
  char buf[512];
  while (fgets(buf, sizeof buf, p)) out += buf;
  pclose(p);
  return out;
}

double field(const std::string& text, const std::string& name) {
  std::smatch m;
  const std::regex re(name + R"(:?\s+(-?[0-9.]+))");
  if (!std::regex_search(text, m, re)) FAIL("no \"" << name << "\" in:\n" << text);
  return std::stod(m[1]);
}

// Frames until `done`, for at most 20 s (synthesis runs on the worker thread).
template <class F>
bool frames_until(Harness& h, F done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    h.frame();
    if (done()) return true;
  }
  return false;
}

void to_first_question(Harness& h, const std::string& language) {
  if (h.view().screen == app::Screen::staff) h.tap("close");
  h.tap("language:" + language);
  h.tap("consultation:place-jean-jaures");
  REQUIRE(h.view().screen == app::Screen::survey);
}

}  // namespace

TEST_CASE("speech: a French and an Arabic sentence become sound, checked as WAV files by sox") {
  allervers::test::TempDir dir;
  struct Case {
    std::string language, text;
  };
  for (const auto& c : {Case{"fr", "À quelle fréquence passez-vous sur la place Jean-Jaurès ?"},
                        Case{"ar", "كَمْ مَرَّةً تَمُرُّ بِالسَّاحَةِ؟"}}) {
    INFO(c.language);
    const app::Pcm pcm = app::synthesise_speech(c.text, c.language);
    REQUIRE(pcm.sample_rate == 22050);
    // A sentence read at 150 words a minute: about a second to a few, never silence or a minute.
    CHECK(pcm.seconds() > 0.8);
    CHECK(pcm.seconds() < 12.0);
    const auto wav = dir.path() / (c.language + ".wav");
    app::write_wav(wav, pcm);
    const std::string info = run("sox --i " + wav.string());
    CHECK(info.find("Channels       : 1") != std::string::npos);
    CHECK(info.find("Sample Rate    : 22050") != std::string::npos);
    CHECK(info.find("16-bit") != std::string::npos);
    const double duration = std::stod(run("sox --i -D " + wav.string()));
    CHECK(duration == Approx(pcm.seconds()).margin(0.01));
    const std::string stat = run("sox " + wav.string() + " -n stat");
    CHECK(field(stat, "RMS     amplitude") > 0.01);  // a voice, not silence
    CHECK(field(stat, "Maximum amplitude") < 1.0);    // and not clipped
  }
  CHECK_THROWS(app::synthesise_speech("வணக்கம்", "ta"));  // no voice set up: said, not a crash
}

TEST_CASE("speech: every question of the demo consultations, in each app language, is speech in a WAV sox reads") {
  // What a question's speaker says: its spoken form in the language, else its label in it, else
  // the French (in French's voice), as the screens choose it (screens/read_aloud.cpp).
  allervers::test::TempDir dir;
  Harness h;
  int checked = 0;
  for (const auto& c : h.store().catalog().consultations)
    for (const auto& q : c.questions)
      for (const std::string language : {"fr", "en", "ar", "pt", "es", "tr"}) {
        const bool own = q.spoken.has(language) || q.label.has(language);
        const std::string text = q.spoken.has(language) ? q.spoken.in(language) : q.label.in(language);
        const std::string voice = own ? language : "fr";
        INFO(c.id << ", question " << q.id << ", " << language << ": " << text);
        const app::Pcm pcm = app::synthesise_speech(text, voice);
        const auto wav = dir.path() / (c.id + "-" + q.id + "-" + language + ".wav");
        app::write_wav(wav, pcm);
        const std::string stat = run("sox " + wav.string() + " -n stat");
        // As long as a reader needs for it: from a short question (« Votre âge ? ») to a long one.
        CHECK(field(stat, "Length \\(seconds\\)") == Approx(pcm.seconds()).margin(0.01));
        CHECK(field(stat, "Length \\(seconds\\)") > 0.5);
        CHECK(field(stat, "Length \\(seconds\\)") < 0.2 * static_cast<double>(text.size()) + 2.0);
        CHECK(field(stat, "RMS     amplitude") > 0.01);  // a voice, not silence
        CHECK(field(stat, "Maximum amplitude") < 1.0);    // and not clipped
        ++checked;
      }
  CHECK(checked >= 6 * 10);
}

TEST_CASE("speech: the speaker says the catalog's spoken form, and Next stops it") {
  RecordingSink sink;
  app::Speech speech(sink);
  HarnessOptions options;
  options.speech = &speech;
  Harness h(options);
  to_first_question(h, "ar");
  // The demo catalog gives this Arabic question a fully vowelled spoken form.
  const std::string spoken = "كَمْ مَرَّةً تَمُرُّ بِالسَّاحَةِ؟";
  h.tap("speak:question");
  REQUIRE(frames_until(h, [&] { return speech.last_said().has_value(); }));
  CHECK(speech.last_said()->text == spoken);
  CHECK(speech.last_said()->language == "ar");
  CHECK(speech.speaking());
  // What was played is what espeak-ng makes of the spoken form (its length varies by a few
  // samples from one run to the next), not of the drawn label.
  const auto played = sink.played();
  REQUIRE(played.size() == 1);
  const auto of_spoken = app::synthesise_speech(spoken, "ar").samples.size();
  CHECK(played[0].samples.size() == Approx(of_spoken).epsilon(0.01));

  // An option's speaker, then Next: the next question stops the voice.
  h.tap("speak:tous-les-jours");
  REQUIRE(frames_until(h, [&] { return speech.last_said()->text == "كُلَّ يَوْمٍ"; }));
  h.tap("answer:tous-les-jours");
  h.tap("next");
  h.frame();
  CHECK_FALSE(speech.speaking());
}

TEST_CASE("speech: in audio mode each screen is read as it appears; a reset turns it off") {
  RecordingSink sink;
  app::Speech speech(sink);
  HarnessOptions options;
  options.speech = &speech;
  Harness h(options);
  h.tap("close");
  h.tap("audio");
  CHECK(h.view().audio_mode);
  REQUIRE(frames_until(h, [&] { return speech.last_said().has_value(); }));
  CHECK(speech.last_said()->text.find("langue") != std::string::npos);  // the welcome screen, read
  h.tap("language:fr");
  h.tap("consultation:place-jean-jaures");
  REQUIRE(frames_until(h, [&] { return speech.last_said()->text.find("fréquence") != std::string::npos; }));
  CHECK(speech.last_said()->language == "fr");
  CHECK(speech.last_said()->text.find("Tous les jours") != std::string::npos);  // and its options
  h.engine().apply(app::command::CancelSession{});
  h.frame();
  CHECK_FALSE(h.view().audio_mode);
  CHECK_FALSE(speech.speaking());
}

TEST_CASE("speech: staff set the volume, and the sound played follows it") {
  RecordingSink sink;
  app::Speech speech(sink);
  HarnessOptions options;
  options.speech = &speech;
  Harness h(options);
  REQUIRE(h.view().screen == app::Screen::staff);
  CHECK(h.view().volume == 80);
  for (int i = 0; i < 3; ++i) h.tap("volume:minus");
  CHECK(h.view().volume == 50);
  CHECK(h.store().setting(core::settings::speech_volume) == "50");
  to_first_question(h, "fr");
  h.tap("speak:jamais");
  REQUIRE(frames_until(h, [&] { return !sink.played().empty(); }));
  const auto peak = [](const app::Pcm& pcm) {
    int m = 0;
    for (auto s : pcm.samples) m = std::max(m, std::abs(static_cast<int>(s)));
    return m;
  };
  const auto reference = app::synthesise_speech("Jamais", "fr");
  const auto played = sink.played().back();
  CHECK(played.samples.size() == Approx(reference.samples.size()).epsilon(0.01));
  CHECK(peak(played) == Approx(peak(reference) * 0.5).epsilon(0.15));  // espeak-ng varies a little
}

TEST_CASE("speech: without an audio device the buttons say read-aloud is unavailable") {
  RecordingSink sink(false);
  app::Speech speech(sink);
  HarnessOptions options;
  options.speech = &speech;
  Harness h(options);
  h.tap("close");
  CHECK(h.words().find("Lecture à voix haute indisponible sur cet appareil") != std::string::npos);  // welcome
  h.tap("audio");
  CHECK_FALSE(h.view().audio_mode);
  h.advance_seconds(10);  // the refusal said on that tap has gone
  to_first_question(h, "fr");
  CHECK(h.words().find("Lecture à voix haute indisponible") == std::string::npos);
  h.tap("speak:question");
  h.frame();
  INFO(h.words());
  CHECK(h.words().find("Lecture à voix haute indisponible sur cet appareil") != std::string::npos);  // said on a tap
  CHECK_FALSE(speech.speaking());
  CHECK(sink.played().empty());
}

TEST_CASE("easy-read: the welcome toggle shows the catalog's easy-read wordings in larger text, until the reset") {
  RecordingSink sink;
  app::Speech speech(sink);
  HarnessOptions options;
  options.speech = &speech;
  // Texts without an easy-read wording show their labels: the first option's, the question's in Spanish.
  options.edit_catalog = [](nlohmann::json& catalog) {
    auto& q = catalog["consultations"][0]["questions"][0];
    q["options"][0].erase("easy");
    q["easy"].erase("es");
  };
  Harness h(options);
  h.tap("close");
  const float normal = h.app().scales().text;
  h.tap("easy_read");
  REQUIRE(h.view().easy_read);
  h.frame();
  CHECK(h.app().scales().text == Approx(normal * 1.25f));
  h.tap("language:fr");
  h.tap("consultation:place-jean-jaures");
  CHECK(h.words().find("Vous allez souvent sur la place") != std::string::npos);
  CHECK(h.words().find("À quelle fréquence") == std::string::npos);
  CHECK(h.words().find("Tous les jours") != std::string::npos);  // no easy wording: the label
  CHECK(h.words().find("J’y vais chaque semaine") != std::string::npos);  // the next option's easy wording
  // Its speaker says the easy-read wording too.
  h.tap("speak:question");
  REQUIRE(frames_until(h, [&] { return speech.last_said().has_value(); }));
  CHECK(speech.last_said()->text == "Vous allez souvent sur la place\u202f?");
  h.tap("answer:parfois");
  h.tap("next");
  CHECK(h.words().find("Je vais au marché le samedi") != std::string::npos);
  // A language with no easy-read wording shows its labels.
  h.engine().apply(app::command::CancelSession{});
  h.frame();
  CHECK_FALSE(h.view().easy_read);
  CHECK(h.app().scales().text == Approx(normal));
  h.tap("easy_read");
  h.tap("language:es");
  h.tap("consultation:place-jean-jaures");
  CHECK(h.words().find("¿Con qué frecuencia pasa por la plaza?") != std::string::npos);
}
