// allervers-kiosk: start-up — the options, the device, the engine, the window, the app and the
// sync threads — then the event loop that sleeps until something happens (or the screenshot
// script, run_screenshot_script in driver.cpp). Everything the resident sees is in App; the
// window and its SDL, OpenGL and ImGui resources are KioskWindow's.
//
// Sections: options · opening the device · the camera · the loop and the script · main.
#include <SDL.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <optional>

#include <CLI/CLI.hpp>

#include "allervers/app/app.hpp"
#include "allervers/app/driver.hpp"
#include "allervers/app/fonts_style.hpp"
#include "allervers/app/frame_pacer.hpp"
#include "allervers/app/sdl_feedback.hpp"
#include "allervers/app/sdl_speech.hpp"
#include "allervers/core/consultation.hpp"
#include "allervers/core/settings.hpp"
#include "allervers/crypto/sealed_box.hpp"
#include "allervers/platform/files.hpp"
#include "allervers/platform/image_files.hpp"
#include "allervers/platform/install_paths.hpp"
#include "allervers/platform/v4l2_camera.hpp"
#include "allervers/storage/device_store.hpp"
#include "allervers/sync/background.hpp"
#include "allervers/sync/catalog_file.hpp"
#include "kiosk_window.hpp"

namespace fs = std::filesystem;
using namespace allervers;

namespace {

// --- options -------------------------------------------------------------------------------

struct Options {
  fs::path data;
  bool kiosk = false;
  std::string language = "fr";
  std::optional<float> scale;
  std::optional<std::int64_t> idle_seconds;
  fs::path assets;  // empty: the data shipped with the program (platform::assets_dir)
  std::string font = ALLERVERS_DEFAULT_FONT;
  std::string staff_pin;
  std::string office_key;
  std::string size = "1280x800";
  fs::path screenshot_dir;
  fs::path screenshot_script;
  std::string camera = "/dev/video0";
  std::vector<fs::path> camera_images;
  bool no_camera = false;
  bool no_sound = false;
  bool check_translations = false;
};

void add_options(CLI::App& cli, Options& o) {
  cli.add_option("--data", o.data, "Device data folder (made by `allervers-device init`, or created here)")->required();
  cli.add_flag("--kiosk", o.kiosk, "Unattended lobby kiosk: full screen, idle reset, staff PIN");
  cli.add_option("--lang", o.language, "Language of the welcome screen (default fr)");
  cli.add_option("--scale", o.scale, "Text size setting (1–2, i.e. 100 %–200 %), multiplied with the display's DPI scale");
  cli.add_option("--idle-seconds", o.idle_seconds, "Kiosk: seconds without a touch before the reset (20–600)");
  cli.add_option("--assets", o.assets, "Data folder (translations, demo catalog; default: ../share/allervers beside the program, or $ALLERVERS_ASSETS)");
  cli.add_option("--font", o.font, "TTF font file");
  cli.add_option("--staff-pin", o.staff_pin, "Set the staff PIN (4–8 digits) and keep it");
  cli.add_option("--office-key", o.office_key,
                 "Set the office public key for sealed contacts (base64; normally set at enrolment)");
  cli.add_option("--size", o.size, "Window size WxH when not full screen (default 1280x800)");
  cli.add_option("--screenshot-dir", o.screenshot_dir, "Where `shot` writes PNG files");
  cli.add_option("--screenshot-script", o.screenshot_script, "Drive the app from a script, then exit");
  cli.add_option("--camera", o.camera, "Camera device for the QR screens (default /dev/video0)");
  cli.add_option("--camera-images", o.camera_images, "Use image files (PNG/PGM) as the camera, in turn, 10 a second (demos)")
      ->check(CLI::ExistingFile);
  cli.add_flag("--no-camera", o.no_camera, "No camera: the QR screens take hand scanners and typed codes only");
  cli.add_flag("--check-translations", o.check_translations,
               "Say what is wrong in each translation file (file, line, key), then exit: 0 when nothing is");
  cli.add_flag("--no-sound", o.no_sound, "No sign-in sounds (a library, a quiet room)");
}

// --- opening the device --------------------------------------------------------------------

storage::DeviceStore open_device(const Options& o, const core::Instant& now) {
  if (fs::exists(storage::DeviceStore::database_path(o.data))) return storage::DeviceStore::open(o.data);
  // A fresh folder: a new device holding the demo catalog and its pictograms, so the app is
  // usable at once, « Facile à lire » included, before any sync.
  const auto demo = sync::read_catalog_file(o.assets / "demo" / "catalog.json");
  auto store = storage::DeviceStore::create(o.data, o.kiosk ? "Borne" : "Tablette", now);
  sync::hold_catalog_file(store, demo, now);
  std::cerr << "allervers-kiosk: created a new device in " << o.data << " with the demo catalog\n";
  return store;
}

// --- text the fonts cannot draw --------------------------------------------------------------

// Every text of the catalog a screen may draw, with where it is ("consultation X, question Y,
// label (ta)"), for the check of characters no loaded font draws.
void for_each_catalog_text(const core::Catalog& catalog,
                           const std::function<void(const std::string&, const std::string&)>& visit) {
  const auto texts = [&](const std::string& where, const char* field, const core::LocalizedText& text) {
    for (const auto& [language, value] : text.all()) visit(where + ", " + field + " (" + language + ")", value);
  };
  const auto options = [&](const std::string& where, const std::vector<core::Option>& list) {
    for (const auto& o : list) {
      texts(where + ", option " + o.id, "label", o.label);
      texts(where + ", option " + o.id, "easy", o.easy);
    }
  };
  options("town, neighbourhoods", catalog.town.neighbourhoods);
  options("town, age brackets", catalog.town.age_brackets);
  for (const auto& c : catalog.consultations) {
    const std::string where = "consultation " + c.id + " v" + std::to_string(c.version);
    texts(where, "title", c.title);
    texts(where, "summary", c.summary);
    for (const auto& q : c.questions) {
      texts(where + ", question " + q.id, "label", q.label);
      texts(where + ", question " + q.id, "help", q.help);
      texts(where + ", question " + q.id, "easy", q.easy);
      options(where + ", question " + q.id, q.options);
    }
    options(where + ", themes", c.ideas.themes);
  }
  for (const auto& a : catalog.assemblies) texts("assembly " + a.id, "name", a.name);
}

// Says each text with characters no loaded font draws; true when there is one.
bool report_missing_glyphs(const fs::path& i18n, const core::Catalog& catalog) {
  bool any = false;
  for (const auto& language : app::available_languages(i18n)) {
    const auto t = app::Translations::load(i18n, language);
    for (const auto& [key, value] : t.own())
      if (const auto missing = app::characters_without_glyph(value); !missing.empty()) {
        std::cerr << "allervers-kiosk: translation: " << language << ".json, key " << key
                  << ": characters no font draws (install a font for them): " << missing << "\n";
        any = true;
      }
  }
  for_each_catalog_text(catalog, [&](const std::string& where, const std::string& value) {
    if (const auto missing = app::characters_without_glyph(value); !missing.empty()) {
      std::cerr << "allervers-kiosk: catalog: " << where << ": characters no font draws: " << missing << "\n";
      any = true;
    }
  });
  return any;
}

// --- the camera ----------------------------------------------------------------------------

app::CameraFactory camera_factory(const Options& o) {
  if (o.no_camera) return {};
  if (!o.camera_images.empty()) {
    auto files = o.camera_images;
    // A demo camera: the images in turn, ten a second, forever.
    return [files] { return std::make_unique<platform::ImageFileSource>(files, true, std::chrono::milliseconds(100)); };
  }
  const std::string device = o.camera;
  return [device] {
    platform::CameraRequest request;
    request.device = device;
    return std::make_unique<platform::V4l2Camera>(request);
  };
}

// Camera frame to verdict on screen (after the swap): the desk's latency figure.
struct VerdictLatency {
  double last_ms = -1;
  bool report = std::getenv("ALLERVERS_REPORT_SCAN_LATENCY") != nullptr;

  void after_swap(app::App& app) {
    const auto frame_ns = app.take_verdict_drawn();
    if (!frame_ns) return;
    const auto now_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
    last_ms = static_cast<double>(now_ns - *frame_ns) / 1e6;
    if (report) std::cerr << "verdict " << last_ms << " ms after the frame\n";
  }
};

// --- the loop and the script ----------------------------------------------------------------

// Sleeps until input, the engine's next timer or the sync thread's news; then draws a few
// frames (ImGui settles hover and active state over a couple), or none when nothing changed.
void run_loop(app::Engine& engine, app::App& app, app::KioskWindow& window, sync::BackgroundSync& background,
              bool kiosk, const std::function<void()>& run_frame) {
  app::FramePacer pacer;
  std::int64_t seen_catalog_updates = 0, seen_pass_keys_updates = 0;
  while (!engine.view().quit) {
    const auto timeout_ms = static_cast<int>(pacer.sleep_ms(engine.ms_until_next_timer(), engine.now_ms()));
    SDL_Event ev;
    bool got = SDL_WaitEventTimeout(&ev, timeout_ms) != 0;
    while (got) {
      window.process(ev);
      if (ev.type == SDL_TEXTINPUT) {  // keys to the hand-scanner detector, with SDL's timestamps
        app.key_text(ev.text.text, ev.text.timestamp);
      } else if (ev.type == SDL_KEYDOWN && (ev.key.keysym.sym == SDLK_RETURN || ev.key.keysym.sym == SDLK_KP_ENTER ||
                                            ev.key.keysym.sym == SDLK_TAB)) {
        app.key_enter(ev.key.timestamp);
      }
      switch (ev.type) {
        case SDL_QUIT:
          if (!kiosk) engine.apply(app::command::Quit{});  // a kiosk is left only through the PIN
          break;
        case SDL_MOUSEBUTTONDOWN:
        case SDL_MOUSEBUTTONUP:
        case SDL_MOUSEMOTION:
        case SDL_MOUSEWHEEL:
        case SDL_FINGERDOWN:
        case SDL_FINGERUP:
        case SDL_FINGERMOTION:
        case SDL_KEYDOWN:
        case SDL_TEXTINPUT:
          engine.touched();
          break;
        default:
          break;
      }
      pacer.input();
      got = SDL_PollEvent(&ev) != 0;
    }
    if (auto s = background.poll()) {
      engine.set_network(s->network, s->running);
      engine.refresh_status();
      engine.sync_news(s->catalog_updates != seen_catalog_updates, s->pass_keys_updates != seen_pass_keys_updates);
      seen_catalog_updates = s->catalog_updates;
      seen_pass_keys_updates = s->pass_keys_updates;
      pacer.news();
    }
    // Nothing happened and no timer fell due (e.g. a sync poll with no news): draw nothing.
    if (pacer.take_frame(engine.now_ms())) run_frame();
  }
}

// The screenshot script instead of the loop; the window lends it what only it can do.
int run_script(app::App& app, app::KioskWindow& window, core::ManualClock& clock, const VerdictLatency& latency,
               const Options& o, const std::function<void()>& run_frame) {
  app::Driver driver(app, run_frame);
  app::ScriptWindow script_window;
  script_window.resize = [&](int w, int h) { window.resize(w, h); };
  script_window.wait_for_wake_up = [&] {
    SDL_Event ev;
    if (SDL_WaitEventTimeout(&ev, 100)) {
      window.process(ev);
      while (SDL_PollEvent(&ev)) window.process(ev);
    }
  };
  script_window.capture_next_frame = [&](const fs::path& png) { window.capture_next_frame(png); };
  script_window.finish_rendering = [&] { window.finish_rendering(); };
  script_window.last_verdict_ms = [&] { return latency.last_ms; };
  try {
    app::run_screenshot_script(driver, clock, script_window, {o.screenshot_script, o.screenshot_dir, o.data}, std::cout);
  } catch (const std::exception& e) {
    std::cerr << "allervers-kiosk: script failed: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

// --- main ----------------------------------------------------------------------------------

int main(int argc, char** argv) {
  Options o;
  CLI::App cli{"allervers-kiosk — the Aller-vers touch app for field tablets and lobby kiosks"};
  add_options(cli, o);
  CLI11_PARSE(cli, argc, argv);

  const bool scripted = !o.screenshot_script.empty();
  core::SystemClock system_clock;
  core::ManualClock script_clock(system_clock.now());  // a script's time moves only when told
  const core::Clock& clock = scripted ? static_cast<const core::Clock&>(script_clock) : system_clock;

  // Everything that can be refused is checked before any window opens: a clear sentence, not
  // a kiosk showing keys.
  if (o.assets.empty()) {
    try {
      o.assets = platform::assets_dir();
    } catch (const std::exception& e) {
      std::cerr << "allervers-kiosk: " << e.what() << "\n";
      return 1;
    }
  }
  std::optional<storage::DeviceStore> store;
  try {
    store.emplace(open_device(o, clock.now()));
    if (!o.office_key.empty()) {
      if (!crypto::ContactSealer::from_base64(o.office_key)) {
        std::cerr << "allervers-kiosk: --office-key is not base64 of a 32-byte public key\n";
        return 2;
      }
      store->set_setting(core::settings::office_public_key, o.office_key);
    }
  } catch (const std::exception& e) {
    std::cerr << "allervers-kiosk: cannot open the device in " << o.data << ": " << e.what() << "\n";
    return 1;
  }
  try {
    bool translation_problems = false;
    for (const auto& language : app::available_languages(o.assets / "i18n")) {
      const auto t = app::Translations::load(o.assets / "i18n", language);
      translation_problems = translation_problems || !t.problems().empty();
      // Said at start-up, where whoever installed the file sees it; the kiosk still starts.
      for (const auto& problem : t.problems()) std::cerr << "allervers-kiosk: translation: " << problem << "\n";
      if (!t.missing_keys().empty())
        std::cerr << "allervers-kiosk: translation: " << language << ".json lacks " << t.missing_keys().size()
                  << " texts French has (French shows), first " << t.missing_keys().front() << "\n";
    }
    // Text in a script no loaded font has (Tamil, Chinese…) would show as boxes: said here.
    translation_problems = report_missing_glyphs(o.assets / "i18n", store->catalog()) || translation_problems;
    if (o.check_translations) return translation_problems ? 3 : 0;
  } catch (const std::exception& e) {
    std::cerr << "allervers-kiosk: " << e.what() << "\n";
    return 1;
  }
  app::EngineConfig config;
  config.kiosk = o.kiosk;
  config.default_language = o.language;
  config.languages = app::available_languages(o.assets / "i18n");
  config.idle_seconds = o.idle_seconds;
  config.scale = o.scale;
  std::optional<app::Engine> engine;
  try {
    engine.emplace(*store, clock, config);
    if (!o.staff_pin.empty()) engine->set_staff_pin(o.staff_pin);
  } catch (const std::exception& e) {
    std::cerr << "allervers-kiosk: " << e.what() << "\n";
    return 2;
  }
  if (o.kiosk && !engine->view().staff_pin_set) {
    std::cerr << "allervers-kiosk: a kiosk needs a staff PIN to be left or configured: run once with --staff-pin NNNN\n";
    return 2;
  }
  app::KioskWindow::Settings window_settings;
  if (std::sscanf(o.size.c_str(), "%dx%d", &window_settings.width, &window_settings.height) != 2 ||
      window_settings.width < 320 || window_settings.height < 320) {
    std::cerr << "allervers-kiosk: --size must look like 1280x800\n";
    return 2;
  }
  // A kiosk takes the whole display, under a screenshot script too (its `size` lines leave
  // full screen for the sizes they ask).
  window_settings.full_screen = o.kiosk;

  // The window, then what draws in it. Worker threads (camera, decoding, enrolment) wake the
  // loop with an SDL user event.
  const auto started = std::chrono::steady_clock::now();
  std::optional<app::KioskWindow> window;
  try {
    window.emplace(window_settings);
  } catch (const std::exception& e) {
    std::cerr << "allervers-kiosk: " << e.what() << "\n";
    return 1;
  }
  // The display's DPI sets the base scale (96 dpi = 1); ALLERVERS_DISPLAY_SCALE overrides it.
  float display_scale = scripted ? 1.0f : window->dpi_scale().value_or(1.0f);
  if (const char* env = std::getenv("ALLERVERS_DISPLAY_SCALE")) display_scale = std::clamp(std::strtof(env, nullptr), 0.5f, 4.0f);
  const Uint32 wake_event = SDL_RegisterEvents(1);
  const auto wake = [wake_event] {
    SDL_Event ev{};
    ev.type = wake_event;
    SDL_PushEvent(&ev);  // thread-safe; a full queue only drops a wake-up
  };
  std::optional<app::SdlFeedbackSound> sound;
  if (!o.no_sound) {
    sound.emplace();
    if (sound->silent()) std::cerr << "allervers-kiosk: sign-in sounds off (" << sound->problem() << ")\n";
    engine->set_feedback(&*sound);
  }
  // Read-aloud: espeak-ng on a worker thread, played through SDL audio. Without an audio
  // device the speaker buttons say read-aloud is unavailable.
  app::SdlAudioSink speech_sink(app::speech_sample_rate() > 0 ? app::speech_sample_rate() : 22050);
  if (!speech_sink.available()) std::cerr << "allervers-kiosk: read-aloud off (" << speech_sink.problem() << ")\n";
  app::Speech speech(speech_sink, wake);
  app::AppOptions app_options;
  app_options.speech = &speech;
  app_options.i18n_dir = o.assets / "i18n";
  app_options.font_path = o.font;
  app_options.display_scale = display_scale;
  app_options.camera = camera_factory(o);
  app_options.wake = wake;
  std::optional<app::App> app;
  try {
    app.emplace(*engine, app_options);
  } catch (const std::exception& e) {
    std::cerr << "allervers-kiosk: " << e.what() << "\n";
    return 1;
  }
  app->set_preview_texture(&window->preview());
  app->set_picture_textures(&window->pictures());

  // The sync client's threads: enrolment by QR (its answer comes back at a frame) and, unless
  // a script drives the app, syncing in the background, nudged by each capture.
  sync::BackgroundEnrolment enrolment(o.data, wake);
  std::optional<sync::BackgroundSync> background;
  if (!scripted) {
    background.emplace(o.data);
    background->start();
    engine->on_captured([&background] { background->nudge(); });
  }
  engine->set_enroller([&](const std::string& scanned) {
    if (auto refused = enrolment.start(scanned)) engine->enrolment_finished(refused->ok, refused->message);
  });
  VerdictLatency latency;
  const auto run_frame = [&] {
    if (auto answer = enrolment.poll()) engine->enrolment_finished(answer->ok, answer->message);
    window->draw(*app, display_scale);
    latency.after_swap(*app);
  };
  run_frame();
  const double first_frame_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (std::getenv("ALLERVERS_REPORT_STARTUP")) std::cerr << "first frame after " << first_frame_ms << " ms\n";

  if (scripted) return run_script(*app, *window, script_clock, latency, o, run_frame);
  run_loop(*engine, *app, *window, *background, o.kiosk, run_frame);
  return 0;
}
