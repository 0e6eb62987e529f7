// Sections: colours · the Ui context and sizes · buttons and choices · text · text fields and
// keyboard · layout.
#include "allervers/app/ui.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include <imgui_internal.h>  // the current window's clip rectangle, for ItemRect::visible

#include "allervers/core/text.hpp"

namespace allervers::app {

// --- colours -----------------------------------------------------------------------------

namespace {
constexpr ImU32 rgb(int r, int g, int b) { return IM_COL32(r, g, b, 255); }
constexpr ImU32 kInk = rgb(20, 24, 32);
constexpr ImU32 kMuted = rgb(80, 88, 100);
constexpr ImU32 kWhite = rgb(255, 255, 255);
constexpr ImU32 kFieldBg = rgb(255, 255, 255);
constexpr ImU32 kFieldBorder = rgb(30, 80, 160);
constexpr ImU32 kErrorBg = rgb(253, 232, 232);
constexpr ImU32 kErrorInk = rgb(150, 20, 20);

bool tone_has_light_text(Tone tone) { return tone == Tone::primary || tone == Tone::selected || tone == Tone::danger; }
}  // namespace

ImU32 tone_colour(Tone tone, bool pressed) {
  switch (tone) {
    case Tone::normal: return pressed ? rgb(196, 205, 220) : rgb(226, 231, 239);
    case Tone::primary: return pressed ? rgb(8, 60, 130) : rgb(18, 86, 170);
    case Tone::selected: return pressed ? rgb(10, 80, 70) : rgb(14, 110, 96);
    case Tone::danger: return pressed ? rgb(130, 20, 20) : rgb(176, 32, 32);
    case Tone::quiet: return pressed ? rgb(226, 231, 239) : rgb(248, 248, 246);
  }
  return kInk;
}

// --- the Ui context and sizes ------------------------------------------------------------

Ui::Ui(const Translations& tr, const Fonts& fonts, float scale, UiState& state, std::vector<ItemRect>& items)
    : tr_(tr), fonts_(fonts), scale_(scale), state_(state), items_(items) {}

float Ui::unit() const { return ImGui::GetFontSize(); }

float Ui::touch() const {
  // About 9 mm: never below 48 px at scale 1, and comfortably above the text it holds.
  return std::max(48.0f * scale_, ImGui::GetFontSize() * 2.4f);
}

void Ui::record(const std::string& id, bool enabled) {
  const ImRect clip = ImGui::GetCurrentWindowRead()->ClipRect;
  items_.push_back({id, ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), enabled, clip.Min, clip.Max});
}

bool Ui::released_without_drag() const {
  // A finger that moved to scroll a list did not mean to press what it started on.
  const float slop = unit() * 0.8f;
  return ImGui::GetIO().MouseDragMaxDistanceSqr[0] <= slop * slop;
}

// --- buttons and choices -----------------------------------------------------------------

bool Ui::button(const std::string& id, const std::string& label, ImVec2 size, Tone tone, bool enabled) {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float w = size.x > 0 ? size.x : (size.x < 0 ? avail.x + size.x : avail.x);
  const float pad = unit() * 0.6f;
  const float wrap = std::max(w - 2 * pad, unit());
  const ImVec2 text = ImGui::CalcTextSize(label.c_str(), nullptr, false, wrap);
  const float h = std::max(size.y > 0 ? size.y : touch(), text.y + 2 * pad);

  ImGui::PushID(id.c_str());
  ImGui::BeginDisabled(!enabled);
  const bool released = ImGui::InvisibleButton("##button", ImVec2(w, h));
  ImGui::EndDisabled();
  ImGui::PopID();
  record(id, enabled);
  const bool pressed = ImGui::IsItemActive();
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImU32 bg = tone_colour(tone, pressed);
  ImU32 ink = tone_has_light_text(tone) ? kWhite : kInk;
  if (!enabled) {
    bg = rgb(236, 238, 242);
    ink = rgb(150, 156, 166);
  }
  dl->AddRectFilled(a, b, bg, unit() * 0.35f);
  if (tone == Tone::quiet || tone == Tone::normal) dl->AddRect(a, b, rgb(170, 180, 196), unit() * 0.35f, 0, std::max(1.0f, scale_));
  const bool one_line = text.y < ImGui::GetFontSize() * 1.5f;
  const float x = one_line ? a.x + (w - text.x) * 0.5f : a.x + pad;  // paragraphs read from the left
  dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(x, a.y + (h - text.y) * 0.5f), ink, label.c_str(), nullptr, wrap);
  return released && enabled && released_without_drag();
}

bool Ui::choice(const std::string& id, const std::string& label, bool selected, bool multiple) {
  const float w = ImGui::GetContentRegionAvail().x;
  const float pad = unit() * 0.6f;
  const float mark = unit() * 1.1f;
  const float text_x = pad * 2 + mark;
  const float wrap = std::max(w - text_x - pad, unit());
  const ImVec2 text = ImGui::CalcTextSize(label.c_str(), nullptr, false, wrap);
  const float h = std::max(touch(), text.y + 2 * pad);

  ImGui::PushID(id.c_str());
  const bool released = ImGui::InvisibleButton("##choice", ImVec2(w, h));
  ImGui::PopID();
  record(id);
  const bool pressed = ImGui::IsItemActive();
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const Tone tone = selected ? Tone::selected : Tone::normal;
  dl->AddRectFilled(a, b, tone_colour(tone, pressed), unit() * 0.35f);
  const ImU32 ink = selected ? kWhite : kInk;
  // The mark: a round radio or a square checkbox, drawn (no glyph needed), ticked when chosen.
  const ImVec2 c(a.x + pad + mark * 0.5f, a.y + h * 0.5f);
  const float r = mark * 0.5f;
  const float thick = std::max(1.5f, unit() * 0.1f);
  if (multiple) {
    dl->AddRect(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), ink, unit() * 0.15f, 0, thick);
    if (selected) {
      const ImVec2 pts[3] = {{c.x - r * 0.55f, c.y}, {c.x - r * 0.1f, c.y + r * 0.45f}, {c.x + r * 0.6f, c.y - r * 0.5f}};
      dl->AddPolyline(pts, 3, ink, 0, thick * 1.4f);
    }
  } else {
    dl->AddCircle(c, r, ink, 0, thick);
    if (selected) dl->AddCircleFilled(c, r * 0.5f, ink);
  }
  dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(a.x + text_x, a.y + (h - text.y) * 0.5f), ink,
              label.c_str(), nullptr, wrap);
  return released && released_without_drag();
}

bool Ui::card(const std::string& id, const std::string& title, const std::string& body) {
  const float w = ImGui::GetContentRegionAvail().x;
  const float pad = unit() * 0.8f;
  const float wrap = std::max(w - 2 * pad, unit());
  const float title_size = fonts_.title->FontSize;
  const ImVec2 t = fonts_.title->CalcTextSizeA(title_size, FLT_MAX, wrap, title.c_str());
  const ImVec2 b = ImGui::CalcTextSize(body.c_str(), nullptr, false, wrap);
  const float h = std::max(touch(), pad * 2 + t.y + unit() * 0.4f + b.y);
  ImGui::PushID(id.c_str());
  const bool released = ImGui::InvisibleButton("##card", ImVec2(w, h));
  ImGui::PopID();
  record(id);
  const ImVec2 a = ImGui::GetItemRectMin(), z = ImGui::GetItemRectMax();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(a, z, tone_colour(Tone::normal, ImGui::IsItemActive()), unit() * 0.35f);
  dl->AddRect(a, z, rgb(170, 180, 196), unit() * 0.35f, 0, std::max(1.0f, scale_));
  dl->AddText(fonts_.title, title_size, ImVec2(a.x + pad, a.y + pad), kInk, title.c_str(), nullptr, wrap);
  dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(a.x + pad, a.y + pad + t.y + unit() * 0.4f), kMuted,
              body.c_str(), nullptr, wrap);
  return released && released_without_drag();
}

// --- text --------------------------------------------------------------------------------

void Ui::heading(const std::string& value) {
  ImGui::PushFont(fonts_.title);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(value.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopFont();
}

void Ui::text(const std::string& value) {
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(value.c_str());
  ImGui::PopTextWrapPos();
}

void Ui::hint(const std::string& value) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(kMuted));
  text(value);
  ImGui::PopStyleColor();
}

void Ui::error_box(const std::string& value) {
  const float pad = unit() * 0.5f;
  const float w = ImGui::GetContentRegionAvail().x;
  const ImVec2 size = ImGui::CalcTextSize(value.c_str(), nullptr, false, w - 2 * pad);
  const ImVec2 a = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(a, ImVec2(a.x + w, a.y + size.y + 2 * pad), kErrorBg, unit() * 0.3f);
  dl->AddRectFilled(a, ImVec2(a.x + unit() * 0.25f, a.y + size.y + 2 * pad), kErrorInk);
  dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(a.x + pad, a.y + pad), kErrorInk, value.c_str(), nullptr,
              w - 2 * pad);
  ImGui::Dummy(ImVec2(w, size.y + 2 * pad));
  record("error");
}

void Ui::qr(const std::string& id, const std::string& value, float side) {
  if (state_.qr_text != value) {
    state_.qr = platform::encode_qr(value, platform::QrErrorCorrection::medium);
    state_.qr_text = value;
  }
  const auto& m = state_.qr;
  const ImVec2 a = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(side, side));
  record(id);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(a, ImVec2(a.x + side, a.y + side), kWhite);
  if (m.size <= 0) return;
  // Whole pixels per module, so every module has the same size (a camera reads it better).
  const int quiet = 4;
  const float module = std::floor(side / static_cast<float>(m.size + 2 * quiet));
  const float origin_x = a.x + std::floor((side - module * static_cast<float>(m.size)) * 0.5f);
  const float origin_y = a.y + std::floor((side - module * static_cast<float>(m.size)) * 0.5f);
  for (int y = 0; y < m.size; ++y)
    for (int x = 0; x < m.size; ++x)
      if (m.at(x, y)) {
        const ImVec2 p(origin_x + module * static_cast<float>(x), origin_y + module * static_cast<float>(y));
        dl->AddRectFilled(p, ImVec2(p.x + module, p.y + module), kInk);
      }
}

// --- text fields and keyboard ------------------------------------------------------------

void Ui::text_field(const std::string& id, const std::string& value, TextKind kind, const std::string& placeholder,
                    bool masked) {
  const float w = ImGui::GetContentRegionAvail().x;
  const float pad = unit() * 0.6f;
  std::string shown;
  if (masked) {
    for (std::size_t i = 0; i < value.size(); ++i) shown += i ? " ●" : "●";
  } else {
    shown = value;
  }
  shown += "|";  // the caret: typing always goes to the end of the text
  const ImVec2 size = ImGui::CalcTextSize(shown.c_str(), nullptr, false, w - 2 * pad);
  const float min_h = kind == TextKind::multi_line ? touch() * 2.5f : touch();
  const float h = std::max(min_h, size.y + 2 * pad);
  ImGui::PushID(id.c_str());
  ImGui::InvisibleButton("##field", ImVec2(w, h));
  ImGui::PopID();
  record(id);
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(a, b, kFieldBg, unit() * 0.25f);
  dl->AddRect(a, b, kFieldBorder, unit() * 0.25f, 0, std::max(2.0f, unit() * 0.1f));
  const float text_y = kind == TextKind::multi_line ? a.y + pad : a.y + (h - size.y) * 0.5f;
  if (value.empty() && !placeholder.empty()) {
    dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(a.x + pad, text_y), rgb(120, 128, 140),
                ("|" + placeholder).c_str(), nullptr, w - 2 * pad);
  } else {
    dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(a.x + pad, text_y), kInk, shown.c_str(), nullptr,
                w - 2 * pad);
  }
}

namespace {
std::string key_probe(const Key& key) {
  using A = Key::Action;
  switch (key.action) {
    case A::insert: return "key:" + key.text;
    case A::backspace: return "key:backspace";
    case A::shift: return "key:shift";
    case A::space: return "key:space";
    case A::enter: return "key:enter";
    case A::to_letters: return "key:letters";
    case A::to_accents: return "key:accents";
    case A::to_digits: return "key:digits";
  }
  return "key:?";
}

float key_units(const std::vector<Key>& row) {
  float units = 0;
  for (const auto& k : row) units += k.width;
  return units;
}
}  // namespace

float Ui::keyboard_height(TextKind kind) const {
  const std::size_t rows = state_.keyboard.rows(kind).size();
  const float key_h = std::min(touch() * 1.1f, ImGui::GetIO().DisplaySize.y * 0.42f / static_cast<float>(rows));
  const float spacing = ImGui::GetStyle().ItemSpacing.y;
  return gap() * 0.5f + spacing + static_cast<float>(rows) * (std::max(key_h, 48.0f * scale_) + spacing);
}

float Ui::footer_height() const {
  // Dummy(gap/2), the button row, a zero Dummy: three item spacings in all.
  return gap() * 0.5f + touch() + 3.0f * ImGui::GetStyle().ItemSpacing.y;
}

bool Ui::keyboard(std::string& text, TextKind kind, std::size_t max_chars, bool& enter) {
  bool changed = false;
  enter = false;
  // A physical keyboard types into the same field.
  ImGuiIO& io = ImGui::GetIO();
  for (ImWchar c : io.InputQueueCharacters)
    if (c != '\r' && c != '\n') changed |= append_typed(text, static_cast<char32_t>(c), kind, max_chars);
  const int backspace = ImGui::GetKeyIndex(ImGuiKey_Backspace);
  const int enter_key = ImGui::GetKeyIndex(ImGuiKey_Enter);
  const int pad_enter = ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter);
  if (backspace >= 0 && ImGui::IsKeyPressed(backspace) && !text.empty()) {
    core::erase_last_code_point(text);
    changed = true;
  }
  if ((enter_key >= 0 && ImGui::IsKeyPressed(enter_key, false)) || (pad_enter >= 0 && ImGui::IsKeyPressed(pad_enter, false))) {
    if (kind == TextKind::multi_line) changed |= append_typed(text, U'\n', kind, max_chars);
    else enter = true;
  }

  auto& model = state_.keyboard;
  const auto rows = model.rows(kind);
  const float spacing = ImGui::GetStyle().ItemSpacing.x * 0.6f;
  float width = ImGui::GetContentRegionAvail().x;
  float left = 0;
  if (kind == TextKind::digits_only) {  // a phone-like pad, not stretched across a wide screen
    const float pad_w = std::min(width, unit() * 20.0f);
    left = (width - pad_w) * 0.5f;
    width = pad_w;
  }
  const float key_h = std::max(std::min(touch() * 1.1f, io.DisplaySize.y * 0.42f / static_cast<float>(rows.size())),
                               48.0f * scale_);
  ImGui::Dummy(ImVec2(0, gap() * 0.5f));
  for (const auto& row : rows) {
    const float units = kind == TextKind::digits_only ? 3.0f : std::max(10.0f, key_units(row));
    const float unit_w = (width - spacing * (units - 1)) / units;
    const float row_w = unit_w * key_units(row) + spacing * (key_units(row) - 1);
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + left + (width - row_w) * 0.5f);
    bool first = true;
    for (const auto& key : row) {
      if (!first) ImGui::SameLine(0, spacing);
      first = false;
      const float w = unit_w * key.width + spacing * (key.width - 1);
      std::string label = key.label;
      Tone tone = Tone::normal;
      switch (key.action) {
        case Key::Action::space: label = t("keyboard.space"); break;
        case Key::Action::shift: tone = model.shifted() ? Tone::selected : Tone::quiet; break;
        case Key::Action::enter: tone = Tone::primary; break;
        case Key::Action::backspace:
        case Key::Action::to_letters:
        case Key::Action::to_accents:
        case Key::Action::to_digits: tone = Tone::quiet; break;
        case Key::Action::insert: break;
      }
      if (button(key_probe(key), label, ImVec2(w, key_h), tone)) {
        switch (model.press(key, text, kind, max_chars)) {
          case KeyboardModel::Effect::changed: changed = true; break;
          case KeyboardModel::Effect::enter: enter = true; break;
          case KeyboardModel::Effect::none: break;
        }
      }
    }
  }
  return changed;
}

// --- layout ------------------------------------------------------------------------------

void Ui::begin_screen() {
  const ImGuiIO& io = ImGui::GetIO();
  // Lines longer than ~46 font units are hard to read: wide screens get a centred column.
  const float max_w = unit() * 46.0f;
  const float side = std::max(unit() * 1.0f, (io.DisplaySize.x - max_w) * 0.5f);
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(side, unit() * 0.8f));
  ImGui::Begin("screen", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
  ImGui::PopStyleVar();
}

void Ui::end_screen() { ImGui::End(); }

void Ui::header(const std::string& title, std::optional<float> progress, const std::string& progress_label) {
  if (progress) {
    if (!progress_label.empty()) hint(progress_label);
    const ImVec2 a = ImGui::GetCursorScreenPos();
    const float w = ImGui::GetContentRegionAvail().x;
    const float h = unit() * 0.4f;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(a, ImVec2(a.x + w, a.y + h), rgb(222, 226, 234), h * 0.5f);
    dl->AddRectFilled(a, ImVec2(a.x + w * std::clamp(*progress, 0.0f, 1.0f), a.y + h), tone_colour(Tone::primary, false), h * 0.5f);
    ImGui::Dummy(ImVec2(w, h));
    ImGui::Dummy(ImVec2(0, gap() * 0.5f));
  }
  heading(title);
  ImGui::Dummy(ImVec2(0, gap() * 0.5f));
}

void Ui::begin_body(float reserved_bottom, const std::string& scroll_key) {
  ImGui::BeginChild("body", ImVec2(0, -reserved_bottom), false, ImGuiWindowFlags_NoBackground);
  if (scroll_key != state_.scroll_key) {
    state_.scroll_key = scroll_key;
    ImGui::SetScrollY(0);
  }
  // Drag anywhere on the body to scroll it, as on a phone.
  const ImGuiIO& io = ImGui::GetIO();
  if (ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem | ImGuiHoveredFlags_ChildWindows) &&
      ImGui::IsMouseDragging(ImGuiMouseButton_Left, unit() * 0.8f))
    ImGui::SetScrollY(ImGui::GetScrollY() - io.MouseDelta.y);
}

void Ui::end_body() {
  ImGui::EndChild();
  record("body");
}

Ui::Nav Ui::footer(bool back, bool skip, bool next, bool next_enabled, const std::string& next_label) {
  Nav nav = Nav::none;
  ImGui::Dummy(ImVec2(0, gap() * 0.5f));
  const float w = ImGui::GetContentRegionAvail().x;
  const float slot = (w - 2 * gap()) / 3.0f;
  const float x0 = ImGui::GetCursorPosX();
  const float y = ImGui::GetCursorPosY();
  if (back) {
    ImGui::SetCursorPos(ImVec2(x0, y));
    if (button("back", "‹ " + t("nav.back"), ImVec2(slot, 0), Tone::normal)) nav = Nav::back;
  }
  if (skip) {
    ImGui::SetCursorPos(ImVec2(x0 + slot + gap(), y));
    if (button("skip", t("nav.skip"), ImVec2(slot, 0), Tone::quiet)) nav = Nav::skip;
  }
  if (next) {
    ImGui::SetCursorPos(ImVec2(x0 + 2 * (slot + gap()), y));
    if (button("next", next_label + " ›", ImVec2(slot, 0), Tone::primary, next_enabled)) nav = Nav::next;
  }
  ImGui::SetCursorPos(ImVec2(x0, y + touch()));
  ImGui::Dummy(ImVec2(0, 0));
  return nav;
}

}  // namespace allervers::app
