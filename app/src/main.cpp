// allervers-kiosk: the SDL2 window, the OpenGL3 context, the event loop that sleeps until
// something happens, and the screenshot script. Everything the resident sees is in App.
//
// Sections: options · opening the device · the window · the screenshot script · the loop.
#include <SDL.h>
#include <SDL_opengl.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include <CLI/CLI.hpp>

#include "allervers/app/app.hpp"
#include "allervers/app/driver.hpp"
#include "allervers/app/png.hpp"
#include "allervers/app/sdl_feedback.hpp"
#include "allervers/platform/image_files.hpp"
#include "allervers/platform/v4l2_camera.hpp"
#include "allervers/core/consultation.hpp"
#include "allervers/core/settings.hpp"
#include "allervers/crypto/sealed_box.hpp"
#include "allervers/storage/device_store.hpp"

#include <imgui_impl_opengl3.h>
#include <imgui_impl_sdl.h>

#if ALLERVERS_APP_WITH_SYNC
#include <mutex>
#include <thread>

#include "allervers/sync/background.hpp"
#include "allervers/sync/client.hpp"
#include "allervers/sync/protocol.hpp"
#endif

namespace fs = std::filesystem;
using namespace allervers;

namespace {

// --- options -----------------------------------------------------------------------------

struct Options {
  fs::path data;
  bool kiosk = false;
  std::string language = "fr";
  std::optional<float> scale;
  std::optional<std::int64_t> idle_seconds;
  fs::path assets = ALLERVERS_DEFAULT_ASSETS_DIR;
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
};

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// --- opening the device ------------------------------------------------------------------

storage::DeviceStore open_device(const Options& o, const core::Instant& now) {
  if (fs::exists(storage::DeviceStore::database_path(o.data))) return storage::DeviceStore::open(o.data);
  // A fresh folder: a new device holding the demo catalog, so the app is usable at once.
  auto store = storage::DeviceStore::create(o.data, o.kiosk ? "Borne" : "Tablette", now);
  store.save_catalog(core::parse_catalog(read_text(o.assets / "demo" / "catalog.json")));
  std::cerr << "allervers-kiosk: created a new device in " << o.data << " with the demo catalog\n";
  return store;
}

// --- the camera preview, as an OpenGL texture --------------------------------------------

class GlPreviewTexture final : public app::PreviewTexture {
 public:
  ~GlPreviewTexture() override {
    if (texture_) glDeleteTextures(1, &texture_);
  }
  ImTextureID upload(const platform::Frame& frame) override {
    if (!texture_) glGenTextures(1, &texture_);
    glBindTexture(GL_TEXTURE_2D, texture_);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    // Luminance to grey: the red channel swizzled would need GL 3.3; expand to RGBA instead.
    rgba_.resize(frame.luma.size() * 4);
    for (std::size_t i = 0; i < frame.luma.size(); ++i) {
      const auto v = frame.luma[i];
      rgba_[i * 4] = rgba_[i * 4 + 1] = rgba_[i * 4 + 2] = v;
      rgba_[i * 4 + 3] = 255;
    }
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    if (frame.width != width_ || frame.height != height_) {
      glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, frame.width, frame.height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba_.data());
      width_ = frame.width;
      height_ = frame.height;
    } else {
      glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, frame.width, frame.height, GL_RGBA, GL_UNSIGNED_BYTE, rgba_.data());
    }
    return reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(texture_));
  }

 private:
  GLuint texture_ = 0;
  int width_ = 0, height_ = 0;
  std::vector<std::uint8_t> rgba_;
};

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

// --- the screenshot script ---------------------------------------------------------------
// One command per line: `size W H`, `tap ID`, `type TEXT`, `advance SECONDS`, `frames N`,
// `expect SCREEN`, `shot NAME`, `measure N` (frame times); `#` starts a comment. Any failure stops with a message.

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App cli{"allervers-kiosk — the Aller-vers touch app for field tablets and lobby kiosks"};
  cli.add_option("--data", o.data, "Device data folder (made by `allervers-device init`, or created here)")->required();
  cli.add_flag("--kiosk", o.kiosk, "Unattended lobby kiosk: full screen, idle reset, staff PIN");
  cli.add_option("--lang", o.language, "Language of the welcome screen (default fr)");
  cli.add_option("--scale", o.scale, "UI scale setting (0.75–2.5), multiplied with the display's DPI scale");
  cli.add_option("--idle-seconds", o.idle_seconds, "Kiosk: seconds without a touch before the reset (20–600)");
  cli.add_option("--assets", o.assets, "Assets folder (translations, demo catalog)");
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
  cli.add_flag("--no-sound", o.no_sound, "No sign-in sounds (a library, a quiet room)");
  CLI11_PARSE(cli, argc, argv);

  const bool scripted = !o.screenshot_script.empty();
  core::SystemClock system_clock;
  core::ManualClock script_clock(system_clock.now());  // a script's time moves only when told
  const core::Clock& clock = scripted ? static_cast<const core::Clock&>(script_clock) : system_clock;

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

  // Translations are checked before any window opens: a broken file is a clear message, not a
  // kiosk showing keys.
  try {
    for (const auto& language : app::available_languages(o.assets / "i18n"))
      app::Translations::load(o.assets / "i18n", language);
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

  // --- the window ---
  int width = 1280, height = 800;
  if (std::sscanf(o.size.c_str(), "%dx%d", &width, &height) != 2 || width < 320 || height < 320) {
    std::cerr << "allervers-kiosk: --size must look like 1280x800\n";
    return 2;
  }
  const auto started = std::chrono::steady_clock::now();
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
    std::cerr << "allervers-kiosk: SDL could not start: " << SDL_GetError() << "\n";
    return 1;
  }
  SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  auto flags = static_cast<SDL_WindowFlags>(SDL_WINDOW_OPENGL | SDL_WINDOW_ALLOW_HIGHDPI |
                                            (o.kiosk && !scripted ? SDL_WINDOW_FULLSCREEN_DESKTOP : SDL_WINDOW_RESIZABLE));
  SDL_Window* window = SDL_CreateWindow("Aller-vers", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, width, height, flags);
  if (!window) {
    std::cerr << "allervers-kiosk: no window: " << SDL_GetError() << "\n";
    return 1;
  }
  SDL_GLContext gl = SDL_GL_CreateContext(window);
  if (!gl) {
    std::cerr << "allervers-kiosk: no OpenGL 3 context: " << SDL_GetError() << "\n";
    return 1;
  }
  SDL_GL_MakeCurrent(window, gl);
  SDL_GL_SetSwapInterval(1);
  if (o.kiosk && !scripted) SDL_ShowCursor(SDL_DISABLE);  // a touch screen: no arrow parked mid-screen

  // The display's DPI sets the base scale (96 dpi = 1); ALLERVERS_DISPLAY_SCALE overrides it.
  float display_scale = 1.0f;
  float ddpi = 0;
  if (!scripted && SDL_GetDisplayDPI(0, &ddpi, nullptr, nullptr) == 0 && ddpi > 0)
    display_scale = std::clamp(ddpi / 96.0f, 1.0f, 3.0f);
  if (const char* env = std::getenv("ALLERVERS_DISPLAY_SCALE")) display_scale = std::clamp(std::strtof(env, nullptr), 0.5f, 4.0f);

  // Worker threads (camera, decoding, enrolment) wake the loop with this event.
  const Uint32 wake_event = SDL_RegisterEvents(1);
  auto wake = [wake_event] {
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

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui_ImplSDL2_InitForOpenGL(window, gl);
  ImGui_ImplOpenGL3_Init("#version 130");

  int exit_code = 0;
  {
    app::AppOptions app_options;
    app_options.i18n_dir = o.assets / "i18n";
    app_options.font_path = o.font;
    app_options.display_scale = display_scale;
    app_options.camera = camera_factory(o);
    app_options.wake = wake;
    GlPreviewTexture preview;
    std::optional<app::App> app;
    try {
      app.emplace(*engine, app_options);
    } catch (const std::exception& e) {
      std::cerr << "allervers-kiosk: " << e.what() << "\n";
      return 1;
    }
    app->set_preview_texture(&preview);

#if ALLERVERS_APP_WITH_SYNC
    // Enrolment by QR: the scanned link goes to the sync client on a thread of its own (it
    // talks to the server); the answer comes back through this box and a wake-up.
    struct EnrolResult {
      std::mutex mutex;
      std::optional<std::pair<bool, std::string>> answer;
    } enrol_result;
    std::thread enrol_thread;
    engine->set_enroller([&](const std::string& scanned) {
      const auto link = sync::protocol::parse_enrol_link(scanned);
      if (!link) {
        engine->enrolment_finished(false, "ce QR code n’est pas un code d’enrôlement Aller-vers");
        return;
      }
      if (enrol_thread.joinable()) enrol_thread.join();
      enrol_thread = std::thread([&, url = link->first, code = link->second] {
        std::pair<bool, std::string> answer;
        try {
          auto own = storage::DeviceStore::open(o.data);
          core::SystemClock clock_for_enrol;
          sync::SyncClient client(own, clock_for_enrol);
          const auto response = client.enrol(url, code);
          answer = {true, response.name.empty() ? url : response.name + " — " + url};
        } catch (const std::exception& e) {
          answer = {false, e.what()};
        }
        {
          std::lock_guard lock(enrol_result.mutex);
          enrol_result.answer = std::move(answer);
        }
        wake();
      });
    });
#endif

#if ALLERVERS_APP_WITH_SYNC
    std::optional<sync::BackgroundSync> background;
    if (!scripted) {
      background.emplace(o.data);
      background->start();
      engine->on_captured([&background] { background->nudge(); });
    }
#endif

    fs::path capture_to;
    double last_verdict_ms = -1;
    const bool report_latency = std::getenv("ALLERVERS_REPORT_SCAN_LATENCY") != nullptr;
    // Keys to the hand-scanner detector, with SDL's event timestamps.
    auto feed_keys = [&](const SDL_Event& ev) {
      if (ev.type == SDL_TEXTINPUT) {
        // UTF-8 to code points (scanners type ASCII; anything else just breaks a burst).
        const auto* p = reinterpret_cast<const unsigned char*>(ev.text.text);
        while (*p) {
          char32_t c = *p;
          int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
          if (extra) c &= (0x3Fu >> extra);
          ++p;
          for (; extra > 0 && *p; --extra, ++p) c = (c << 6) | (*p & 0x3Fu);
          app->key_character(c, ev.text.timestamp);
        }
      } else if (ev.type == SDL_KEYDOWN &&
                 (ev.key.keysym.sym == SDLK_RETURN || ev.key.keysym.sym == SDLK_KP_ENTER || ev.key.keysym.sym == SDLK_TAB)) {
        app->key_enter(ev.key.timestamp);
      }
    };
    auto run_frame = [&] {
      int window_w = 0, window_h = 0;
      SDL_GetWindowSize(window, &window_w, &window_h);
      app->set_display_scale(app::display_scale_for(static_cast<float>(window_w), static_cast<float>(window_h), display_scale));
      if (app->update_fonts()) {
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
        ImGui::GetIO().Fonts->ClearTexData();  // the GPU holds the pixels now; the glyph tables stay
      }
      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplSDL2_NewFrame();
#if ALLERVERS_APP_WITH_SYNC
      {
        std::lock_guard lock(enrol_result.mutex);
        if (enrol_result.answer) {
          engine->enrolment_finished(enrol_result.answer->first, enrol_result.answer->second);
          enrol_result.answer.reset();
        }
      }
#endif
      app->frame();
      const ImGuiIO& io = ImGui::GetIO();
      glViewport(0, 0, static_cast<int>(io.DisplaySize.x * io.DisplayFramebufferScale.x),
                 static_cast<int>(io.DisplaySize.y * io.DisplayFramebufferScale.y));
      glClearColor(0.976f, 0.973f, 0.961f, 1.0f);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
      if (!capture_to.empty()) {
        int w = 0, h = 0;
        SDL_GL_GetDrawableSize(window, &w, &h);
        app::Image image;
        image.width = w;
        image.height = h;
        std::vector<std::uint8_t> bottom_up(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4);
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, bottom_up.data());
        const auto row = static_cast<std::size_t>(w) * 4;
        image.rgba.resize(bottom_up.size());
        for (std::size_t y = 0; y < static_cast<std::size_t>(h); ++y)
          std::copy_n(bottom_up.begin() + static_cast<std::ptrdiff_t>((static_cast<std::size_t>(h) - 1 - y) * row),
                      row, image.rgba.begin() + static_cast<std::ptrdiff_t>(y * row));
        for (std::size_t i = 3; i < image.rgba.size(); i += 4) image.rgba[i] = 255;
        app::write_png(capture_to, image);
        capture_to.clear();
      }
      SDL_GL_SwapWindow(window);
      if (auto frame_ns = app->take_verdict_drawn()) {
        // Frame arrival (camera thread) to the verdict on screen (after the swap).
        const auto now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                std::chrono::steady_clock::now().time_since_epoch()).count();
        last_verdict_ms = static_cast<double>(now_ns - *frame_ns) / 1e6;
        if (report_latency) std::cerr << "verdict " << last_verdict_ms << " ms after the frame\n";
      }
    };

    run_frame();
    const double first_frame_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    if (std::getenv("ALLERVERS_REPORT_STARTUP")) std::cerr << "first frame after " << first_frame_ms << " ms\n";

    if (scripted) {
      // --- the screenshot script ---
      app::Driver driver(*app, run_frame);
      try {
        std::istringstream lines(read_text(o.screenshot_script));
        std::string line;
        int number = 0;
        if (!o.screenshot_dir.empty()) fs::create_directories(o.screenshot_dir);
        while (std::getline(lines, line)) {
          ++number;
          if (line.empty() || line[0] == '#') continue;
          std::istringstream words(line);
          std::string verb, rest;
          words >> verb;
          std::getline(words >> std::ws, rest);
          const auto fail = [&](const std::string& why) {
            std::string ids;
            for (const auto& id : driver.visible_ids()) ids += " " + id;
            throw std::runtime_error(o.screenshot_script.string() + ":" + std::to_string(number) + ": " + why +
                                     " (screen " + app::to_string(engine->view().screen) + "; on screen:" + ids + ")");
          };
          if (verb == "size") {
            int w = 0, h = 0;
            if (std::sscanf(rest.c_str(), "%d %d", &w, &h) != 2) fail("size needs W H");
            SDL_SetWindowSize(window, w, h);
            SDL_Event ev;
            while (SDL_PollEvent(&ev)) ImGui_ImplSDL2_ProcessEvent(&ev);
            driver.frames(3);
          } else if (verb == "tap") {
            if (!driver.tap(rest)) fail("nothing to tap called \"" + rest + "\"");
          } else if (verb == "type") {
            driver.type(rest);
          } else if (verb == "advance") {
            script_clock.advance_ms(static_cast<std::int64_t>(std::stod(rest) * 1000));
            driver.frames(2);
          } else if (verb == "frames") {
            driver.frames(std::stoi(rest));
          } else if (verb == "measure") {
            // Frame times of N full frames (UI, GL rendering, swap), for the benchmark.
            const int n = std::max(1, std::stoi(rest));
            std::vector<double> ms;
            for (int i = 0; i < n; ++i) {
              const auto t0 = std::chrono::steady_clock::now();
              run_frame();
              glFinish();
              ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
            }
            std::sort(ms.begin(), ms.end());
            double sum = 0;
            for (double v : ms) sum += v;
            std::cout << "frames " << n << " mean_ms " << sum / n << " median_ms " << ms[ms.size() / 2] << " p95_ms "
                      << ms[ms.size() * 95 / 100] << "\n";
          } else if (verb == "camera") {
            // `camera FILE`: the camera now shows this image (again and again, 10 a second).
            const fs::path file = fs::path(rest).is_absolute() ? fs::path(rest) : o.data / rest;  // images beside the device
            if (!fs::exists(file)) fail("no image " + file.string());
            app->set_camera([file] {
              return std::make_unique<platform::ImageFileSource>(std::vector<fs::path>{file}, true, std::chrono::milliseconds(100));
            });
            driver.frames(1);
          } else if (verb == "scanner") {
            // `scanner TEXT`: a hand scanner types TEXT at 4 ms a key, then Enter.
            Uint32 t = SDL_GetTicks();
            for (char ch : rest) app->key_character(static_cast<unsigned char>(ch), t += 4);
            app->key_enter(t + 4);
            driver.frames(2);
          } else if (verb == "verdict") {
            // Waits (as the real loop does, on SDL events) until a new verdict is on screen.
            const auto before = engine->view().sign_in.verdicts;
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
            while (engine->view().sign_in.verdicts == before) {
              if (std::chrono::steady_clock::now() > deadline) fail("no verdict within 10 s");
              SDL_Event ev;
              if (SDL_WaitEventTimeout(&ev, 100)) {
                ImGui_ImplSDL2_ProcessEvent(&ev);
                while (SDL_PollEvent(&ev)) ImGui_ImplSDL2_ProcessEvent(&ev);
              }
              run_frame();
            }
            std::cout << "verdict_ms " << last_verdict_ms << "\n";
          } else if (verb == "expect-verdict") {
            const auto& v = engine->view().sign_in.verdict;
            const std::string kind = !v ? "none" : v->kind == app::VerdictKind::welcome ? "welcome"
                                                 : v->kind == app::VerdictKind::already_signed_in ? "already" : "refused";
            if (kind != rest) fail("expected the verdict " + rest + ", got " + kind);
          } else if (verb == "expect") {
            if (rest != app::to_string(engine->view().screen)) fail("expected the screen " + rest);
          } else if (verb == "shot") {
            driver.frames(2);
            capture_to = o.screenshot_dir / (rest + ".png");
            run_frame();
            std::cout << "screenshot " << (o.screenshot_dir / (rest + ".png")).string() << "\n";
          } else {
            fail("unknown command \"" + verb + "\"");
          }
        }
      } catch (const std::exception& e) {
        std::cerr << "allervers-kiosk: script failed: " << e.what() << "\n";
        exit_code = 1;
      }
    } else {
      // --- the loop: sleep until input, a timer, or sync news; then draw a few frames ---
      int frames_wanted = 1;
#if ALLERVERS_APP_WITH_SYNC
      std::int64_t seen_catalog_updates = 0, seen_pass_keys_updates = 0;
#endif
      while (!engine->view().quit) {
        int timeout_ms = static_cast<int>(std::min<std::int64_t>(engine->ms_until_next_timer().value_or(60'000), 60'000));
#if ALLERVERS_APP_WITH_SYNC
        timeout_ms = std::min(timeout_ms, 1000);  // the sync thread reports through poll()
#endif
        if (frames_wanted > 0) timeout_ms = 0;
        SDL_Event ev;
        bool got = SDL_WaitEventTimeout(&ev, timeout_ms) != 0;
        while (got) {
          ImGui_ImplSDL2_ProcessEvent(&ev);
          feed_keys(ev);
          switch (ev.type) {
            case SDL_QUIT:
              if (!o.kiosk) engine->apply(app::command::Quit{});  // a kiosk is left only through the PIN
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
              engine->touched();
              break;
            default:
              break;
          }
          frames_wanted = 3;  // ImGui settles hover/active state over a couple of frames
          got = SDL_PollEvent(&ev) != 0;
        }
#if ALLERVERS_APP_WITH_SYNC
        if (background) {
          if (auto s = background->poll()) {
            using N = sync::SyncStatus::Network;
            app::Network n = app::Network::unknown;
            if (s->network == N::online) n = app::Network::online;
            if (s->network == N::offline) n = app::Network::offline;
            if (s->network == N::not_enrolled) n = app::Network::not_enrolled;
            engine->set_network(n, s->running);
            engine->refresh_status();
            engine->sync_news(s->catalog_updates != seen_catalog_updates, s->pass_keys_updates != seen_pass_keys_updates);
            seen_catalog_updates = s->catalog_updates;
            seen_pass_keys_updates = s->pass_keys_updates;
            frames_wanted = std::max(frames_wanted, 1);
          }
        }
#endif
        // Nothing happened and no timer is due (e.g. a sync poll with no news): draw nothing.
        if (frames_wanted == 0 && engine->ms_until_next_timer().value_or(1) > 0) continue;
        run_frame();
        if (frames_wanted > 0) --frames_wanted;
      }
    }
#if ALLERVERS_APP_WITH_SYNC
    if (background) background->stop();
    if (enrol_thread.joinable()) enrol_thread.join();
#endif
  }

  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  SDL_GL_DeleteContext(gl);
  SDL_DestroyWindow(window);
  SDL_Quit();
  return exit_code;
}
