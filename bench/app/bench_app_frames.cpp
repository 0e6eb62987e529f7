// bench_app_frames: what one frame of the UI costs on the CPU without any GPU or window —
// ImGui and our screens building their draw lists — on the survey and the keyboard screens
// at 1920x1080. Separates our cost from software-GL rendering (see bench_app).
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
#include "allervers/core/consultation.hpp"
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

void measure(const char* what, app::Driver& driver, int n) {
  std::vector<double> us;
  for (int i = 0; i < n; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    driver.frames(1);
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(us.begin(), us.end());
  const ImDrawData* dd = ImGui::GetDrawData();
  std::cout << what << ": median " << us[us.size() / 2] << " us, p95 " << us[us.size() * 95 / 100] << " us per frame ("
            << (dd ? dd->TotalVtxCount : 0) << " vertices)\n";
}
}  // namespace

int main() {
  const fs::path dir = fs::temp_directory_path() / ("allervers-bench-frames-" + std::to_string(::getpid()));
  core::SystemClock clock;
  {
    auto store = storage::DeviceStore::create(dir, "Bench", clock.now());
    store.save_catalog(core::parse_catalog(read_text(fs::path(ALLERVERS_BENCH_ASSETS) / "demo" / "catalog.json")));
    app::EngineConfig config;
    config.languages = app::available_languages(fs::path(ALLERVERS_BENCH_ASSETS) / "i18n");
    app::Engine engine(store, clock, config);
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1920, 1080);
    io.DeltaTime = 1.0f / 60.0f;
    app::AppOptions options;
    options.i18n_dir = fs::path(ALLERVERS_BENCH_ASSETS) / "i18n";
    options.display_scale = app::display_scale_for(1920, 1080, 1.0f);
    {
      app::App app(engine, options);
      const auto t0 = std::chrono::steady_clock::now();
      app.update_fonts();
      std::cout << "fonts and style at scale " << app.effective_scale() << ": "
                << std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() << " ms\n";
      app::Driver driver(app, [&] { app.frame(); });
      driver.frames(2);
      driver.tap("close");
      driver.tap("language:fr");
      driver.tap("consultation:place-jean-jaures");
      driver.tap("answer:parfois");
      measure("survey (choices) 1920x1080", driver, 2000);
      driver.tap("next");
      driver.tap("skip");
      driver.tap("answer:3");
      driver.tap("next");
      driver.tap("answer:no");
      driver.tap("next");
      measure("survey (text + keyboard) 1920x1080", driver, 2000);
    }
    ImGui::DestroyContext();
  }
  fs::remove_all(dir);
  return 0;
}
