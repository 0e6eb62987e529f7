#pragma once
// One frame of the app: the screens for the engine's view-state, drawn with ImGui, and the
// commands they emit handed to the engine. The caller owns the ImGui context and the platform
// (SDL2 + OpenGL3 in allervers-kiosk; nothing at all in the headless test harness).
#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "allervers/app/engine.hpp"
#include "allervers/app/pictures.hpp"
#include "allervers/app/scanner.hpp"
#include "allervers/app/speech.hpp"
#include "allervers/platform/hand_scanner.hpp"
#include "allervers/app/translations.hpp"
#include "allervers/app/text_layout.hpp"
#include "allervers/app/ui.hpp"

namespace allervers::app {

struct AppOptions {
  std::filesystem::path i18n_dir;  // assets/i18n
  std::string font_path = ALLERVERS_DEFAULT_FONT;
  std::string arabic_font_path = ALLERVERS_ARABIC_FONT;  // merged into the atlas; empty: none
  float display_scale = 1.0f;  // from the display's DPI; multiplied with the scale setting
  CameraFactory camera;        // none: the QR screens say there is no camera (scanners still work)
  std::function<void()> wake;  // from worker threads: wake the main loop (an SDL user event)
  Speech* speech = nullptr;    // read-aloud; none (or no audio device): the speaker buttons say it is unavailable
};

// The renderer's side of the camera preview: the newest frame as a greyscale texture.
// allervers-kiosk implements it with OpenGL; headless, there is none and a grey box stands in.
class PreviewTexture {
 public:
  virtual ~PreviewTexture() = default;
  virtual ImTextureID upload(const platform::Frame& frame) = 0;  // main thread, between frames
};

// The display part of the scale: the DPI's (96 dpi = 1), or more on a big screen so a lobby's
// 1920x1080 monitor is not a tablet layout lost in the middle (never below 1, at most 2).
float display_scale_for(float width, float height, float dpi_scale);

// Whether something is drawn over the screen that takes every tap (the idle countdown, the
// quit confirmation).
bool has_overlay(const ViewState& view);

class App {
 public:
  // Needs a current ImGui context. Loads every translation the engine offers.
  App(Engine& engine, AppOptions options);

  // Rebuilds fonts and style when the effective scale changed; true when the font atlas
  // changed and the renderer must upload it again. Call before the platform's NewFrame.
  bool update_fonts();
  // ImGui::NewFrame, the current screen, ImGui::Render; then the commands go to the engine.
  void frame();

  // Rectangles of the widgets drawn by the last frame, by probe id.
  const std::vector<ItemRect>& items() const { return items_; }
  const ItemRect* find(std::string_view id) const;
  // Pointer input forced by a script or a test, applied over the platform's after its NewFrame.
  void inject_mouse(ImVec2 pos, bool down) { injected_ = Injected{pos, down}; }
  void clear_injection() { injected_.reset(); }

  // Keys as they arrive, with their event timestamps (ms, monotonic): a hand scanner's burst
  // ending with Enter becomes a scan on the screens that read codes, with no field focused.
  void key_character(char32_t c, std::int64_t at_ms);
  void key_text(std::string_view utf8, std::int64_t at_ms);  // each code point in turn
  void key_enter(std::int64_t at_ms);
  void set_preview_texture(PreviewTexture* texture) { preview_texture_ = texture; }
  // Pictures from the catalog as textures (allervers-kiosk's OpenGL; none headless).
  void set_picture_textures(PictureTextures* textures) { pictures_.set_textures(textures); }
  void set_camera(CameraFactory factory) { scanner_.set_factory(std::move(factory)); }
  // The camera frame behind a verdict drawn since the last call (its steady-clock arrival),
  // for the "frame to verdict on screen" figure; nullopt when no new verdict was drawn.
  std::optional<std::int64_t> take_verdict_drawn();
  bool camera_active() const { return scanner_.active(); }
  const CameraView& camera_view() const { return camera_view_; }

  float effective_scale() const { return scales().effective(); }
  // The text size: staff's setting, a quarter larger in easy-read (at most the largest size).
  UiScale scales() const {
    const auto& view = engine_.view();
    const float text = view.easy_read ? std::min(view.scale * kEasyReadTextFactor, kMaxTextPercent / 100.0f) : view.scale;
    return UiScale{options_.display_scale, std::max(text, view.scale)};
  }
  static constexpr float kEasyReadTextFactor = 1.25f;
  Engine& engine() { return engine_; }
  TextLayout& text_layout() { return text_layout_; }
  const Translations& translations(const std::string& language) const;
  void set_display_scale(float scale) { options_.display_scale = scale; }

 private:
  struct Injected {
    ImVec2 pos;
    bool down;
  };
  void draw(Commands& out, bool screen_blocked);
  // Read-aloud: Speak/StopSpeech go to the voice; a new screen (or step) stops what was being
  // said, and in « audio » mode reads the new one.
  void speak(Commands& commands);
  std::string reading_, reading_language_;  // what the last frame's screen would read
  std::string spoken_screen_;               // the screen (and step) last seen by speak()
  void feed_scans();
  Engine& engine_;
  AppOptions options_;
  std::map<std::string, Translations> translations_;
  std::map<std::string, std::string> language_names_;  // each in its own script, from its own file
  TextLayout text_layout_;  // shaping and bidi, cached across frames
  Fonts fonts_;
  UiScale built_scale_{0.0f, 0.0f};
  // A press that landed while an overlay showed belongs to the overlay until the finger lifts:
  // nothing under it reacts, even once the overlay is gone.
  bool gesture_on_overlay_ = false;
  UiState ui_state_;
  std::vector<ItemRect> items_;
  std::optional<Injected> injected_;
  Scanner scanner_;
  platform::HandScannerDetector hand_scanner_;
  std::vector<std::string> hand_scans_;  // complete bursts waiting for the next frame
  PreviewTexture* preview_texture_ = nullptr;
  Pictures pictures_{[this](const std::string& hash) { return engine_.media(hash); }};
  CameraView camera_view_;
  std::uint64_t preview_sequence_ = 0;
  std::uint64_t drawn_verdict_ = 0;
  std::optional<std::int64_t> verdict_drawn_;
};

}  // namespace allervers::app
