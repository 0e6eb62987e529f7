#pragma once
// Touch widgets on top of Dear ImGui, sized in font units, and the screen layout (header,
// scrolling body, footer, keyboard). Every widget records its rectangle under a probe id, so
// tests and the screenshot script can tap it by name ("next", "answer:jamais", "key:é").
//
// Sections: item records · UI state across frames · the Ui context · free helpers.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "allervers/app/keyboard.hpp"
#include "allervers/app/translations.hpp"
#include "allervers/app/view_state.hpp"
#include "allervers/platform/qr.hpp"

#include <imgui.h>

namespace allervers::app {

struct ItemRect {
  std::string id;
  ImVec2 min, max;
  bool enabled = true;
  ImVec2 clip_min, clip_max;  // the part of the screen where it can be seen (scrolling bodies clip)
  ImVec2 center() const { return {(min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f}; }
  bool visible() const {
    const ImVec2 c = center();
    return c.x >= clip_min.x && c.x <= clip_max.x && c.y >= clip_min.y && c.y <= clip_max.y;
  }
};

// Widget state that outlives a frame (never function-static): reset when a session resets.
struct UiState {
  std::uint64_t session = ~std::uint64_t{0};
  KeyboardModel keyboard;
  std::string scroll_key;  // the body's scroll restarts at the top when the step changes
  // The QR code on screen, encoded once rather than every frame.
  std::string qr_text;
  platform::QrMatrix qr;
};

enum class Tone { normal, primary, selected, danger, quiet };

// What the screens that read QR codes show of the camera (the App fills it each frame).
struct CameraView {
  bool on = false;            // a screen asked for the camera
  ImTextureID texture = nullptr;  // the newest frame, greyscale (none headless or before the first frame)
  int width = 0, height = 0;
  std::string problem;        // why there is no picture, as the camera said it
};

struct Fonts {
  ImFont* body = nullptr;
  ImFont* title = nullptr;  // 1.5× the body, for headings
  ImFont* huge = nullptr;   // 2.5×, for the thank-you and the countdown
};

class Ui {
 public:
  Ui(const Translations& tr, const Fonts& fonts, float scale, UiState& state, std::vector<ItemRect>& items);

  // --- text ---
  const std::string& t(const std::string& key) const { return tr_.get(key); }
  std::string f(const std::string& key, const std::map<std::string, std::string>& values) const {
    return tr_.format(key, values);
  }
  const Translations& translations() const { return tr_; }
  const std::string& language() const { return tr_.language(); }

  // --- sizes (font units; a touch target never below 48 px at scale 1) ---
  float unit() const;
  float touch() const;
  float gap() const { return unit() * 0.6f; }
  float scale() const { return scale_; }
  UiState& state() { return state_; }
  const Fonts& fonts() const { return fonts_; }

  // --- widgets ---
  // A button of `size` (0 width: all available; 0 height: touch()); label wraps when long.
  bool button(const std::string& id, const std::string& label, ImVec2 size = {0, 0}, Tone tone = Tone::normal,
              bool enabled = true);
  // A full-width row to choose (radio or checkbox look), taller when its label wraps.
  bool choice(const std::string& id, const std::string& label, bool selected, bool multiple);
  // A full-width card to tap: a title in the heading font over a wrapped paragraph.
  bool card(const std::string& id, const std::string& title, const std::string& body);
  void heading(const std::string& text);
  void text(const std::string& text);            // wrapped body text
  void hint(const std::string& text);            // wrapped, muted
  void error_box(const std::string& text);       // wrapped, on a red background
  // A QR code of `side` pixels (quiet zone included), dark on white; records `id`.
  void qr(const std::string& id, const std::string& text, float side);
  void text_field(const std::string& id, const std::string& value, TextKind kind, const std::string& placeholder,
                  bool masked = false);
  // Draws the on-screen keyboard and applies physical keys; true when `text` changed.
  // `enter` is set when Enter was pressed on a field where it means "next".
  bool keyboard(std::string& text, TextKind kind, std::size_t max_chars, bool& enter);
  float keyboard_height(TextKind kind) const;

  // --- layout ---
  void begin_screen();
  void end_screen();
  // The title line, with an optional progress bar below it.
  void header(const std::string& title, std::optional<float> progress = std::nullopt,
              const std::string& progress_label = "");
  // The scrolling body: everything but `reserved_bottom` pixels; drag anywhere to scroll.
  void begin_body(float reserved_bottom, const std::string& scroll_key);
  void end_body();
  float footer_height() const;  // exactly what footer() takes, spacing included
  enum class Nav { none, back, skip, next };
  Nav footer(bool back, bool skip, bool next, bool next_enabled, const std::string& next_label);

  void record(const std::string& id, bool enabled = true);  // the last item's rectangle

 private:
  bool released_without_drag() const;
  const Translations& tr_;
  Fonts fonts_;
  float scale_;
  UiState& state_;
  std::vector<ItemRect>& items_;
};

ImU32 tone_colour(Tone tone, bool pressed);

}  // namespace allervers::app
