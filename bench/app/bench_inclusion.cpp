// bench_inclusion: read-aloud and Arabic's costs (issue 14).
//  1. espeak-ng's synthesis time for each question of the demo catalog, French and Arabic,
//     against its length: the time a resident waits after tapping a speaker.
//  2. The UI's CPU time per frame on the same survey screen in French and in Arabic (shaping
//     and bidi through TextLayout), headless, interleaved in one run so both see the same load.
// The machine may be shared: read the ratios, not the absolute figures.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

#include "allervers/app/app.hpp"
#include "allervers/app/driver.hpp"
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
    }
    ImGui::DestroyContext();
  }
  fs::remove_all(dir);
  return 0;
}
