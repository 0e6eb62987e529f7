#pragma once
// Touch widgets on top of Dear ImGui, sized in font units, and the screen layout (a fixed
// header, a scrolling body, a footer, the keyboard). Every widget records its rectangle, its
// kind and what is drawn inside it, so tests and the screenshot script can tap it by name
// ("next", "answer:jamais", "key:é") and the layout checker (layout_check.hpp) can walk what
// a screen drew.
//
// Sections: item records · scales and fonts · UI state across frames · the Ui context.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "allervers/app/commands.hpp"
#include "allervers/app/keyboard.hpp"
#include "allervers/app/palette.hpp"
#include "allervers/app/text_layout.hpp"
#include "allervers/app/translations.hpp"
#include "allervers/app/view_state.hpp"
#include "allervers/app/pictures.hpp"
#include "allervers/platform/qr.hpp"

#include <imgui.h>

namespace allervers::app {

// --- item records -----------------------------------------------------------------------

// What a recorded rectangle is, for the layout checker's rules.
enum class ItemKind {
  target,   // something to tap: at least a finger's size
  key,      // a key of the on-screen keyboard (a target that must never scroll away)
  field,    // a text field: always wholly visible while it is edited
  text,     // words drawn for reading (a heading, a hint, an error): never cut
  panel,    // a box with words drawn inside (a verdict): what is inside must fit
  picture,  // a QR code, the camera
  body,     // the scrolling body itself
};

struct ItemRect {
  std::string id;
  ImVec2 min, max;
  bool enabled = true;
  ImVec2 clip_min, clip_max;  // the part of the screen where it can be seen (scrolling bodies clip)
  ItemKind kind = ItemKind::target;
  int layer = 0;          // 0: the screen; 1: an overlay drawn over it (countdown, confirmation)
  bool in_body = false;   // inside the scrolling body: may be scrolled out of sight
  // What is drawn inside it (a label, a paragraph): must fit inside min–max. Empty when none.
  ImVec2 content_min{0, 0}, content_max{0, 0};
  std::string text{};  // the words it shows (a label, a paragraph, a message), as a reader would read them
  // A state its colour stands for ("selected", "error", "refused", "network: offline"; empty:
  // none), and what says it besides the colour: the icon drawn ("tick") or the words. A state
  // without a sign is said by colour alone: the layout checker refuses it.
  std::string state{}, sign{};
  // A picture drawn inside it (a pictogram beside an option's words, a project's picture): its
  // media name and where it was drawn, fitted. Empty when none.
  std::string picture{};
  ImVec2 picture_min{0, 0}, picture_max{0, 0};
  float scroll_y = 0, scroll_max = 0;  // the body's
  // The body's scroll bar's grab when it scrolls: at its right edge (ImGui's own) or, in a
  // right-to-left language, at its left edge (drawn by the body). Empty when it does not scroll.
  ImVec2 bar_min{0, 0}, bar_max{0, 0};
  ImVec2 center() const { return {(min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f}; }
  bool has_content() const { return content_max.x > content_min.x || content_max.y > content_min.y; }
  bool visible() const {
    const ImVec2 c = center();
    return c.x >= clip_min.x && c.x <= clip_max.x && c.y >= clip_min.y && c.y <= clip_max.y;
  }
  // Wholly inside its clip rectangle (nothing of it scrolled away or cut).
  bool wholly_visible() const {
    return min.x >= clip_min.x - 0.5f && max.x <= clip_max.x + 0.5f && min.y >= clip_min.y - 0.5f &&
           max.y <= clip_max.y + 0.5f;
  }
};

// --- scales and fonts ---------------------------------------------------------------------

// The display's part of the scale (its DPI, or a big screen) and the text-size setting. Touch
// targets and the keyboard follow the display (a finger does not grow with the text); text
// follows both.
struct UiScale {
  float display = 1.0f;
  float text = 1.0f;
  float effective() const { return display * text; }
};

struct Fonts {
  ImFont* body = nullptr;
  ImFont* title = nullptr;  // headings: 1.45× the body at 100 %, less as the text grows
  ImFont* huge = nullptr;   // 2.4× the body at 100 %, for the thank-you and the countdown
  ImFont* small = nullptr;  // keys and the agent's status line: the display's size (×1.25 at most)
};

// --- UI state across frames ---------------------------------------------------------------

// Widget state that outlives a frame (never function-static): reset when a session resets.
struct UiState {
  std::uint64_t session = ~std::uint64_t{0};
  KeyboardModel keyboard;
  std::string keyboard_field;  // the field the keyboard types into: a new one opens on letters
  // The body's scroll, per screen and step: coming back to one finds it where it was left.
  std::string scroll_key;
  float scroll_y = 0;
  std::map<std::string, float> scroll_memory;
  bool body_drag = false;  // the finger went down on the body: its moves scroll it
  // A text field is scrolled into view when its step opens and while it is typed into.
  std::string field_key;
  std::string field_text;
  int reveal_frames = 0;
  // A control whose tap reflows the screen (the text size): kept under the finger.
  std::string anchor_id;
  float anchor_y = 0;
  int anchor_frames = 0;
  // The QR code on screen, encoded once rather than every frame.
  std::string qr_text;
  platform::QrMatrix qr;
};

// What the screens that read QR codes show of the camera (the App fills it each frame).
struct CameraView {
  bool on = false;            // a screen asked for the camera
  ImTextureID texture = nullptr;  // the newest frame, greyscale (none headless or before the first frame)
  int width = 0, height = 0;
  std::string problem;        // why there is no picture, as the camera said it
};

// --- the Ui context -----------------------------------------------------------------------

class Ui {
 public:
  // `out` receives the commands widgets emit themselves (a refusal said in words).
  Ui(const Translations& tr, const Fonts& fonts, UiScale scale, UiState& state, std::vector<ItemRect>& items,
     Commands& out);

  // --- text ---
  const std::string& t(const std::string& key) const { return tr_.get(key); }
  std::string f(const std::string& key, const std::map<std::string, std::string>& values) const {
    return tr_.format(key, values);
  }
  const Translations& translations() const { return tr_; }
  // Pieces of data joined by `separator` ("{date} — {text}"), each reading in its own direction
  // (bidi::join): use it, or a translation with placeholders, to put data side by side.
  std::string join(const std::vector<std::string>& parts, std::string_view separator) const {
    return bidi::join(parts, separator, rtl());
  }
  // --- colours: the theme's palette (palette.hpp); screens draw with nothing else ---
  void set_theme(Theme theme) { palette_ = &palette(theme); }
  const Palette& colours() const { return *palette_; }
  // The last recorded item's state and the sign that says it besides its colour.
  void mark(const std::string& state, const std::string& sign);
  const std::string& language() const { return tr_.language(); }
  // A language's name in its own script ("العربية", "Türkçe"), from its own translation file.
  std::string language_name(const std::string& code) const;
  void set_language_names(const std::map<std::string, std::string>* names) { language_names_ = names; }

  // --- pictures from the catalog (pictures.hpp) ---
  void set_pictures(PictureSource* pictures) { pictures_ = pictures; }
  // nullptr when `hash` is empty or there is no source (tests); else maybe not usable.
  const Picture* picture(const std::string& hash) const { return pictures_ && !hash.empty() ? pictures_->picture(hash) : nullptr; }
  float pictogram_height() const { return unit() * 2.6f; }

  // --- text in any script (text_layout.hpp): measure and draw through these, not ImGui ---
  void set_text_layout(TextLayout* layout) { layout_ = layout; }
  bool rtl() const { return layout_ && layout_->rtl(); }
  // `font` null: the current font at its size.
  ImVec2 measure(const std::string& text, float wrap, const ImFont* font = nullptr, float size = 0) const;
  void draw_text(ImDrawList* dl, ImVec2 pos, ImU32 colour, const std::string& text, float wrap,
                 const ImFont* font = nullptr, float size = 0) const;
  // Where a block `width` wide starts between `left` and `right`: at the left on a left-to-right
  // screen, against the right on a right-to-left one (the layout mirrors).
  float start_x(float left, float right, float width) const { return rtl() ? right - width : left; }

  // --- sizes (font units; a touch target never below 48 px at the display's scale) ---
  float unit() const;
  float touch() const;
  float compact() const;  // a button in a row of navigation: as tall as its label needs, ≥ 52 px
  float gap() const { return unit() * 0.6f; }
  float scale() const { return scale_.effective(); }
  const UiScale& scales() const { return scale_; }
  float min_target() const { return 48.0f * scale_.display; }
  // The height the scrolling body shows at once (inside begin_body): what fits without scrolling.
  float visible_height() const;
  UiState& state() { return state_; }
  const Fonts& fonts() const { return fonts_; }

  // --- widgets ---
  // A button of `size` (0 width: all available; 0 height: touch()); label wraps when long. A
  // disabled button still answers a tap with `refusal` (a translation key), said in words.
  bool button(const std::string& id, const std::string& label, ImVec2 size = {0, 0}, Tone tone = Tone::normal,
              bool enabled = true, const std::string& refusal = "");
  // A row to choose (radio or checkbox look), taller when its label wraps; `width` 0: all
  // available. `picture` (a pictogram, a project's picture) sits between the mark and the
  // words, `picture_height` high (0: a pictogram's size); left out when not usable.
  bool choice(const std::string& id, const std::string& label, bool selected, bool multiple, float width = 0,
              const Picture* picture = nullptr, float picture_height = 0);
  // --- read-aloud ---
  // A speaker button (a drawn loudspeaker, and `label` beside it when not empty): a tap emits
  // Speak{spoken, language}. Without an audio device it looks disabled and a tap says that
  // read-aloud is unavailable on this device.
  bool speaker(const std::string& id, const std::string& spoken, const std::string& language,
               const std::string& label = "");
  float speaker_width(const std::string& label = "") const;
  // A pictogram (recorded as `picture_id` + ":picture", `picture_height` high, on the reader's
  // side) with a labelled speaker beside it on one line, both centred on it; stacked when the
  // line is too narrow for both, the speaker alone when the picture is not usable.
  bool pictured_speaker(const std::string& picture_id, const Picture* picture, float picture_height, const std::string& id,
                        const std::string& spoken, const std::string& language, const std::string& label);
  // A choice with its speaker at the end of the line (the left in Arabic).
  bool spoken_choice(const std::string& id, const std::string& label, const std::string& spoken,
                     const std::string& spoken_language, bool selected, bool multiple, const Picture* picture = nullptr);
  void set_speech_available(bool available) { speech_available_ = available; }
  bool speech_available() const { return speech_available_; }
  // What the « audio » mode reads when the screen appears: header() starts it with the title,
  // screens add their options. The first piece's language is the reading's.
  void add_reading(const std::string& text, const std::string& language);
  const std::string& reading() const { return reading_; }
  const std::string& reading_language() const { return reading_language_; }
  // A full-width card to tap: a title in the heading font over a wrapped paragraph.
  bool card(const std::string& id, const std::string& title, const std::string& body);
  void heading(const std::string& text);
  void text(const std::string& text, const std::string& id = "text");  // wrapped body text, recorded as `id`
  // Wrapped text with a picture before it (on the reader's side), `picture_height` high; the
  // text alone when the picture is not usable. The picture is recorded as `id` + ":picture".
  void pictured_text(const std::string& id, const Picture* picture, float picture_height, const std::string& text);
  void hint(const std::string& text);            // wrapped, muted
  void error_box(const std::string& text);       // wrapped, on a red background, a circled « ! » beside it
  void warning_box(const std::string& text);     // wrapped, on an amber background, a triangle « ! » beside it
  // Good news (a vote's winners), on the warning's amber with a circled tick, recorded as `id`.
  void good_box(const std::string& text, const std::string& id = "good");
  float box_height(const std::string& text) const;  // an error or warning box's, in the column's width
  // A QR code of `side` pixels (quiet zone included), dark on white; records `id`.
  void qr(const std::string& id, const std::string& text, float side);
  // Something `width` wide drawn by `first` on the reading side (the left, the right in
  // Arabic) and beside it what `then` draws, in a group wrapped in what is left of the line
  // (a QR code and the words that say what it is).
  void beside(float width, float gap, const std::function<void()>& first, const std::function<void()>& then);
  // A text field; scrolled into view when it appears and while it is typed into. Text taller
  // than the field shows its end (where typing goes).
  // `editing`: the keyboard under the body types into it (it is then kept in sight); false for
  // a field in a long scrolling page (the staff screen's new PIN).
  void text_field(const std::string& id, const std::string& value, TextKind kind, const std::string& placeholder,
                  bool masked = false, bool editing = true);
  // Draws the on-screen keyboard and applies physical keys; true when `text` changed.
  // `enter` is set when Enter was pressed on a field where it means "next" (its key says
  // `enter_label`, "Suivant" by default). A refused key is said in words.
  bool keyboard(std::string& text, TextKind kind, std::size_t max_chars, bool& enter, const std::string& enter_label = "");
  float keyboard_height(TextKind kind) const;
  void refuse(const std::string& key, const std::map<std::string, std::string>& values = {});

  // --- layout ---
  void begin_screen();
  void end_screen();
  // The progress line (a label and a bar) above the body; `title` opens the body, so a long
  // title scrolls with it instead of squeezing it.
  void header(const std::string& title, std::optional<float> progress = std::nullopt,
              const std::string& progress_label = "");
  // The scrolling body: everything but `reserved_bottom` pixels (and the notice line, when a
  // refusal is being said); drag anywhere to scroll. Its scroll is kept per `scroll_key`.
  void begin_body(float reserved_bottom, const std::string& scroll_key);
  void end_body();
  // Exactly what footer() takes, spacing included, for the Next label it will show (a label
  // that wraps at a large text size makes the row taller).
  float footer_height(const std::string& next_label = "") const;
  // The height button() gives `label` in `width` (at least `min_h`; 0: touch()).
  float button_height(const std::string& label, float width, float min_h = 0) const;
  enum class Nav { none, back, skip, next };
  // `next_refusal`: what a tap on the disabled Next says.
  Nav footer(bool back, bool skip, bool next, bool next_enabled, const std::string& next_label,
             const std::string& next_refusal = "");
  // A row of buttons under the body, as tall as its tallest label needs (≥ compact()), with
  // the spacing footer() uses: what to reserve under the body for `labels` in `width` each.
  float row_height(const std::vector<std::string>& labels, float width) const;
  float row_reserve(const std::vector<std::string>& labels, float width) const;
  // The last item's rectangle, recorded under `id`.
  void record(const std::string& id, ItemKind kind = ItemKind::target, bool enabled = true);
  void set_content(ImVec2 min, ImVec2 max);  // of the last recorded item
  void set_text(const std::string& text);     // of the last recorded item
  // Keeps `id` where it is on screen while the layout changes under it (the text size).
  void anchor(const std::string& id);

  // Set by the App: the refusal being said (drawn under the body) and whether the screen's
  // input is blocked by an overlay; overlays draw on layer 1.
  void set_notice(std::string text) { notice_ = std::move(text); }
  void set_blocked(bool blocked) { blocked_ = blocked; }
  bool blocked() const { return blocked_; }
  void set_layer(int layer) { layer_ = layer; }

 private:
  bool released_without_drag() const;
  float notice_height() const;
  const Translations& tr_;
  Fonts fonts_;
  UiScale scale_;
  UiState& state_;
  std::vector<ItemRect>& items_;
  Commands& out_;
  std::string pending_title_;
  std::string notice_;
  bool blocked_ = false;
  bool in_body_ = false;
  float body_indent_ = 0;  // room kept at the body's left for its scroll bar (right to left)
  TextLayout* layout_ = nullptr;
  const std::map<std::string, std::string>* language_names_ = nullptr;
  int layer_ = 0;
  bool speech_available_ = false;
  std::string reading_, reading_language_;
  PictureSource* pictures_ = nullptr;
  // The width of the box a usable picture is fitted in at `height`: 4:3 for a landscape one, else square.
  float picture_width(const Picture& picture, float height) const;
  // The speaker button drawn where the cursor is (speaker() places it first).
  bool speaker_here(const std::string& id, const std::string& spoken, const std::string& language, const std::string& label);
  // Draws `picture` fitted in the box a–b (a grey frame when there is no texture), and notes
  // it on the item recorded last (ItemRect::picture).
  void draw_picture(ImDrawList* dl, const Picture& picture, ImVec2 a, ImVec2 b);
  const Palette* palette_ = &palette(Theme::normal);
};

// Items side by side in the order a reader meets them: from the left, from the right on a
// right-to-left screen (the first language, Back, the first of two choices sit at the right in
// Arabic). Call next(width) before each item; `wrap`: an item that no longer fits starts a new
// line, which starts from the reading side too.
class Row {
 public:
  Row(const Ui& ui, float gap, bool wrap = false);
  void next(float width);

 private:
  bool rtl_, wrap_, first_ = true;
  float gap_, x0_, avail_, used_ = 0;
};

}  // namespace allervers::app
