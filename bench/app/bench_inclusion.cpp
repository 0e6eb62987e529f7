// bench_inclusion: read-aloud and Arabic's costs (issue 14).
//  1. espeak-ng's synthesis time for each question of the demo catalog, French and Arabic,
//     against its length: the time a resident waits after tapping a speaker.
//  2. A speaker's tap to the first sample handed to the audio sink, through Speech (the worker
//     thread, its wake-up, the main loop's pump): issue 14's goal is under 300 ms.
//  3. The UI's CPU time per frame on the same survey screen in French and in Arabic (shaping
//     and bidi through TextLayout), headless, interleaved in one run so both see the same load.
//  4. Switching language: the tap to the first frame drawn in the new language, and a whole
//     font atlas rebuild (what a text-size change does; the atlas always holds Arabic, so a
//     language switch does not rebuild it): goal under 150 ms. The atlas's size with and
//     without Arabic merged in.
// The machine may be shared: read the ratios, not the absolute figures.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <vector>

#include "allervers/app/app.hpp"
#include "allervers/app/driver.hpp"
#include "allervers/app/fonts_style.hpp"
#include "allervers/app/speech.hpp"
#include "allervers/core/consultation.hpp"
#include "allervers/core/text.hpp"
#include "allervers/storage/device_store.hpp"

namespace fs = std::filesystem;
using namespace allervers;

namespace {
std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void synthesis(const core::Catalog& catalog) {
  std::cout << "# synthesis: language, characters, synthesis ms (median of 3), sound s, real-time factor\n";
  app::synthesise_speech("Bonjour", "fr");  // espeak-ng's start-up, not counted
  for (const char* language : {"fr", "ar"}) {
    for (const auto& q : catalog.consultations.front().questions) {
      const auto& text = q.spoken.has(language) ? q.spoken.in(language) : q.label.in(language);
      std::vector<double> ms;
      double seconds = 0;
      for (int i = 0; i < 3; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        seconds = app::synthesise_speech(text, language).seconds();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      }
      const double m = median(ms);
      std::cout << language << "\t" << core::code_point_count(text) << "\t" << m << "\t" << seconds << "\t"
                << (m / 1000.0) / seconds << "\t" << q.id << "\n";
    }
  }
}

// A sink that notes when the first sample of a sound is handed to it (where SDL would queue it).
class TimingSink final : public app::AudioSink {
 public:
  bool available() const override { return true; }
  void play(const app::Pcm&) override {
    if (!first_) first_ = std::chrono::steady_clock::now();
  }
  void stop() override {}
  bool playing() const override { return false; }
  std::optional<std::chrono::steady_clock::time_point> first_;
};

// Tap → first sample: say() as the speaker's tap does, the main loop waiting for the worker's
// wake-up and pumping, as allervers-kiosk's loop does.
void first_sample(const core::Catalog& catalog) {
  std::cout << "# speaker tap to first sample handed to the sink (ms), each question 3 times: language, median, max\n";
  std::mutex mutex;
  std::condition_variable cv;
  bool woken = false;
  TimingSink sink;
  app::Speech speech(sink, [&] {
    std::lock_guard lock(mutex);
    woken = true;
    cv.notify_one();
  });
  for (const char* language : {"fr", "ar"}) {
    std::vector<double> ms;
    for (const auto& q : catalog.consultations.front().questions) {
      const auto& text = q.spoken.has(language) ? q.spoken.in(language) : q.label.in(language);
      for (int i = 0; i < 3; ++i) {
        sink.first_.reset();
        {
          std::lock_guard lock(mutex);
          woken = false;
        }
        const auto t0 = std::chrono::steady_clock::now();
        speech.say(text, language);
        while (!sink.first_) {
          std::unique_lock lock(mutex);
          cv.wait_for(lock, std::chrono::milliseconds(5), [&] { return woken; });
          woken = false;
          lock.unlock();
          speech.pump();
        }
        ms.push_back(std::chrono::duration<double, std::milli>(*sink.first_ - t0).count());
        speech.stop();
      }
    }
    std::cout << language << "\t" << median(ms) << "\t" << *std::max_element(ms.begin(), ms.end()) << "\n";
  }
}

// Frames of the first question in `language`, `n` at a time: their CPU times.
void frames(app::Driver& driver, std::vector<double>& us, int n) {
  for (int i = 0; i < n; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    driver.frames(1);
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
}
}  // namespace

int main() {
  const fs::path assets(ALLERVERS_BENCH_ASSETS);
  const auto catalog = core::parse_catalog(read_text(assets / "demo" / "catalog.json"));
  synthesis(catalog);
  first_sample(catalog);

  const fs::path dir = fs::temp_directory_path() / ("allervers-bench-inclusion-" + std::to_string(::getpid()));
  core::SystemClock clock;
  {
    auto store = storage::DeviceStore::create(dir, "Bench", clock.now());
    store.save_catalog(catalog);
    app::EngineConfig config;
    config.languages = app::available_languages(assets / "i18n");
    app::Engine engine(store, clock, config);
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1280, 800);
    io.DeltaTime = 1.0f / 60.0f;
    app::AppOptions options;
    options.i18n_dir = assets / "i18n";
    {
      app::App app(engine, options);
      app.update_fonts();
      app::Driver driver(app, [&] { app.frame(); });
      driver.frames(2);
      driver.tap("close");
      std::vector<double> fr, ar;
      // Alternate 200-frame blocks of each language, ten times: a load spike hits both.
      for (int round = 0; round < 10; ++round) {
        for (const char* language : {"fr", "ar"}) {
          engine.apply(app::command::CancelSession{});
          driver.frames(1);
          driver.tap(std::string("language:") + language);
          driver.tap("consultation:place-jean-jaures");
          driver.frames(5);  // the text layout's cache filled
          frames(driver, language[0] == 'f' ? fr : ar, 200);
        }
      }
      const double f = median(fr), a = median(ar);
      std::cout << "# frame CPU time, first question, 1280x800, headless (median of 2000 each)\n"
                << "fr\t" << f << " us\nar\t" << a << " us\nar/fr\t" << a / f << "\n";

      // Switching language on the welcome screen: the tap's frames until the new language's
      // first frame is drawn (its text shaped and laid out for the first time: caches cold).
      std::vector<double> to_ar, to_fr;
      for (int round = 0; round < 10; ++round) {
        for (const char* language : {"ar", "fr"}) {
          engine.apply(app::command::CancelSession{});
          driver.frames(2);
          const auto t0 = std::chrono::steady_clock::now();
          driver.tap(std::string("language:") + language);
          driver.frames(1);
          (language[0] == 'a' ? to_ar : to_fr)
              .push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        }
      }
      std::cout << "# switching language: the tap (3 frames) and the next frame, ms (median of 10, max)\n"
                << "to ar\t" << median(to_ar) << "\t" << *std::max_element(to_ar.begin(), to_ar.end()) << "\n"
                << "to fr\t" << median(to_fr) << "\t" << *std::max_element(to_fr.begin(), to_fr.end()) << "\n";
    }
    // The font atlas rebuilt (four fonts, style reset), with and without Arabic merged, at
    // 100 % and 200 %: its time and its size. ImGui keeps an alpha texture; the kiosk uploads
    // it as one byte a pixel (GL_R8 and a swizzle, kiosk_window.cpp), ImGui's OpenGL backend as
    // RGBA (4 bytes a pixel, still what a GL without swizzles gets).
    std::cout << "# font atlas rebuild: fonts, text size, ms (median of 5), atlas W x H, MiB uploaded (1 B/px), MiB as RGBA\n";
    for (const bool arabic : {false, true}) {
      for (const float text : {1.0f, 2.0f}) {
        std::vector<double> ms;
        int w = 0, h = 0;
        for (int i = 0; i < 5; ++i) {
          const auto t0 = std::chrono::steady_clock::now();
          app::build_fonts_and_style({1.0f, text}, ALLERVERS_DEFAULT_FONT, arabic ? ALLERVERS_ARABIC_FONT : "");
          unsigned char* pixels = nullptr;
          ImGui::GetIO().Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);
          ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        }
        std::cout << (arabic ? "Latin+Arabic" : "Latin") << "\t" << text * 100 << " %\t" << median(ms) << "\t" << w << " x "
                  << h << "\t" << static_cast<double>(w) * h / (1024.0 * 1024.0) << "\t"
                  << static_cast<double>(w) * h * 4 / (1024.0 * 1024.0) << "\n";
      }
    }
    ImGui::DestroyContext();
  }
  fs::remove_all(dir);
  return 0;
}
