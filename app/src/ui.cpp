// Sections: colours · the Ui context and sizes · rows · buttons and choices · text · text fields ·
// the keyboard · layout.
#include "allervers/app/ui.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include <imgui_internal.h>  // the current window's clip rectangle, for ItemRect::visible

#include "allervers/core/text.hpp"

namespace allervers::app {

// --- colours (palette.hpp) and signs ----------------------------------------------------------

namespace {
bool has_border(const ToneColours& t) { return t.border != 0; }

// A tick drawn with lines (no glyph needed), centred on `c`, `r` its half-size.
void draw_tick(ImDrawList* dl, ImVec2 c, float r, ImU32 ink, float thick) {
  const ImVec2 pts[3] = {{c.x - r * 0.55f, c.y}, {c.x - r * 0.1f, c.y + r * 0.45f}, {c.x + r * 0.6f, c.y - r * 0.5f}};
  dl->AddPolyline(pts, 3, ink, 0, thick);
}
}  // namespace

void Ui::mark(const std::string& state, const std::string& sign) {
  if (items_.empty()) return;
  items_.back().state = state;
  items_.back().sign = sign;
}

// --- the Ui context and sizes ------------------------------------------------------------

Ui::Ui(const Translations& tr, const Fonts& fonts, UiScale scale, UiState& state, std::vector<ItemRect>& items,
       Commands& out)
    : tr_(tr), fonts_(fonts), scale_(scale), state_(state), items_(items), out_(out) {}

float Ui::unit() const { return ImGui::GetFontSize(); }

std::string Ui::language_name(const std::string& code) const {
  if (language_names_)
    if (auto it = language_names_->find(code); it != language_names_->end()) return it->second;
  return tr_.get("language.name." + code);
}

ImVec2 Ui::measure(const std::string& text, float wrap, const ImFont* font, float size) const {
  if (!font) font = ImGui::GetFont();
  if (size <= 0) size = font == ImGui::GetFont() ? ImGui::GetFontSize() : font->FontSize;
  // Whole pixels, rounded up, as ImGui::CalcTextSize gives them.
  ImVec2 out = layout_ ? layout_->measure(font, size, text, wrap) : font->CalcTextSizeA(size, FLT_MAX, wrap, text.c_str());
  out.x = std::floor(out.x + 0.99999f);
  return out;
}

void Ui::draw_text(ImDrawList* dl, ImVec2 pos, ImU32 colour, const std::string& text, float wrap, const ImFont* font,
                   float size) const {
  if (!font) font = ImGui::GetFont();
  if (size <= 0) size = font == ImGui::GetFont() ? ImGui::GetFontSize() : font->FontSize;
  if (layout_) layout_->draw(dl, font, size, pos, colour, text, wrap);
  else dl->AddText(font, size, pos, colour, text.c_str(), nullptr, wrap);
}

float Ui::touch() const {
  // About 9 mm: never below 48 px at the display's scale, and comfortably above the text it holds.
  return std::max(min_target(), ImGui::GetFontSize() * 2.4f);
}

float Ui::visible_height() const {
  return ImGui::GetCurrentWindowRead()->InnerRect.GetHeight() - 2 * ImGui::GetStyle().ItemSpacing.y;
}

float Ui::compact() const {
  // Navigation rows stay slim at large text sizes (the body keeps the room), never below a finger.
  return std::max(52.0f * scale_.display, ImGui::GetTextLineHeight() + unit() * 0.7f);
}

void Ui::record(const std::string& id, ItemKind kind, bool enabled) {
  const ImRect clip = ImGui::GetCurrentWindowRead()->ClipRect;
  ItemRect item{id, ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), enabled, clip.Min, clip.Max};
  item.kind = kind;
  item.layer = layer_;
  item.in_body = in_body_;
  items_.push_back(std::move(item));
  // A control kept under the finger while the screen reflows (the text size): the body's
  // scroll follows it until it is back where the finger left it.
  if (in_body_ && state_.anchor_frames > 0 && id == state_.anchor_id) {
    --state_.anchor_frames;
    // Where the finger was, unless the body's edges moved past it (a taller row of buttons
    // below): then as close to it as the body shows it whole.
    const ItemRect& it = items_.back();
    const float half = (it.max.y - it.min.y) * 0.5f;
    const float target = std::clamp(state_.anchor_y, clip.Min.y + half, std::max(clip.Min.y + half, clip.Max.y - half));
    const float drift = it.center().y - target;
    if (std::fabs(drift) > 0.5f) ImGui::SetScrollY(ImGui::GetScrollY() + drift);
  }
}

void Ui::set_text(const std::string& text) {
  if (!items_.empty()) items_.back().text = text;
}

void Ui::set_content(ImVec2 min, ImVec2 max) {
  if (items_.empty()) return;
  items_.back().content_min = min;
  items_.back().content_max = max;
}

void Ui::anchor(const std::string& id) {
  for (auto it = items_.rbegin(); it != items_.rend(); ++it)
    if (it->id == id) {
      state_.anchor_id = id;
      state_.anchor_y = it->center().y;
      state_.anchor_frames = 6;  // fonts rebuild next frame, the layout settles over the next ones
      return;
    }
}

void Ui::refuse(const std::string& key, const std::map<std::string, std::string>& values) {
  out_.push_back(command::Notice{key, values});
}

bool Ui::released_without_drag() const {
  // A finger that moved to scroll a list did not mean to press what it started on.
  const float slop = unit() * 0.8f;
  return ImGui::GetIO().MouseDragMaxDistanceSqr[0] <= slop * slop;
}

// --- rows ------------------------------------------------------------------------------------

void Ui::beside(float width, float gap, const std::function<void()>& first, const std::function<void()>& then) {
  const float x0 = ImGui::GetCursorPosX(), avail = ImGui::GetContentRegionAvail().x;
  if (rtl()) ImGui::SetCursorPosX(x0 + avail - width);
  first();
  ImGui::SameLine(0, gap);
  // In Arabic the group starts at the column's left and must stop short of what is at its
  // right: the window's content region is narrowed while it is drawn (ImGui has no other way
  // to bound what a group's wrapped text takes).
  ImGuiWindow* window = ImGui::GetCurrentWindow();
  const float content_max = window->ContentRegionRect.Max.x, work_max = window->WorkRect.Max.x;
  if (rtl()) {
    ImGui::SetCursorPosX(x0);
    window->ContentRegionRect.Max.x -= width + gap;
    window->WorkRect.Max.x -= width + gap;
  }
  ImGui::BeginGroup();
  then();
  ImGui::EndGroup();
  window->ContentRegionRect.Max.x = content_max;
  window->WorkRect.Max.x = work_max;
}

Row::Row(const Ui& ui, float gap, bool wrap)
    : rtl_(ui.rtl()), wrap_(wrap), gap_(gap), x0_(ImGui::GetCursorPosX()), avail_(ImGui::GetContentRegionAvail().x) {}

void Row::next(float width) {
  if (!first_ && (!wrap_ || used_ + gap_ + width <= avail_ + 0.5f)) {
    ImGui::SameLine(0, 0);
    used_ += gap_;
  } else if (!first_) {
    used_ = 0;  // ImGui put the cursor on the next line after the last item
  }
  first_ = false;
  ImGui::SetCursorPosX(rtl_ ? x0_ + avail_ - used_ - width : x0_ + used_);
  used_ += width;
}

// --- buttons and choices -----------------------------------------------------------------

bool Ui::button(const std::string& id, const std::string& label, ImVec2 size, Tone tone, bool enabled,
                const std::string& refusal) {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float w = size.x > 0 ? size.x : (size.x < 0 ? avail.x + size.x : avail.x);
  const float pad = unit() * 0.5f;
  const float wrap = std::max(w - 2 * pad, unit());
  const ImVec2 text = measure(label, wrap);
  const float h = std::max(size.y > 0 ? size.y : touch(), text.y + 2 * pad);

  ImGui::PushID(id.c_str());
  // A disabled button still takes the tap, to say why it does nothing.
  const bool released = ImGui::InvisibleButton("##button", ImVec2(w, h));
  ImGui::PopID();
  record(id, ItemKind::target, enabled);
  set_text(label);
  const bool pressed = ImGui::IsItemActive() && enabled;
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const Palette& p = colours();
  const ToneColours& tc = p.tone(tone);
  ImU32 bg = pressed ? tc.pressed : tc.bg;
  ImU32 ink = tc.ink;
  if (!enabled) {
    bg = p.disabled_bg;
    ink = p.disabled_ink;
  }
  const float round = unit() * 0.35f, line = std::max(1.0f, scale_.effective());
  dl->AddRectFilled(a, b, bg, round);
  if (!enabled) {
    // Dashes along the border: "not yet" at a glance, without fading the words.
    const float dash = unit() * 0.5f;
    for (float x = a.x + round; x < b.x - round; x += dash * 2) {
      dl->AddLine(ImVec2(x, a.y + line * 0.5f), ImVec2(std::min(x + dash, b.x - round), a.y + line * 0.5f), p.disabled_border, line);
      dl->AddLine(ImVec2(x, b.y - line * 0.5f), ImVec2(std::min(x + dash, b.x - round), b.y - line * 0.5f), p.disabled_border, line);
    }
    mark("disabled", "dashed border");
  } else if (has_border(tc)) {
    dl->AddRect(a, b, tc.border, round, 0, line);
  }
  // What is chosen (an answer, the keyboard's shift) carries a tick in its corner, not only
  // another colour: at the end of the line the reader starts (top right, top left in Arabic).
  if (enabled && tone == Tone::selected) {
    const float r = std::min(unit() * 0.32f, h * 0.2f);
    const ImVec2 c(rtl() ? a.x + r * 1.5f : b.x - r * 1.5f, a.y + r * 1.5f);
    draw_tick(dl, c, r, ink, std::max(1.5f, unit() * 0.12f));
    mark("selected", "tick");
  }
  const bool one_line = text.y < ImGui::GetFontSize() * 1.5f;
  // Paragraphs start where the reader starts (the left, or the right in Arabic).
  const float x = one_line ? a.x + (w - text.x) * 0.5f : start_x(a.x + pad, b.x - pad, text.x);
  const ImVec2 at(x, a.y + (h - text.y) * 0.5f);
  draw_text(dl, at, ink, label, wrap);
  set_content(at, ImVec2(at.x + text.x, at.y + text.y));
  const bool tapped = released && released_without_drag() && !blocked_;
  if (tapped && !enabled && !refusal.empty()) refuse(refusal);
  return tapped && enabled;
}

float Ui::picture_width(const Picture& picture, float height) const {
  // One box for every picture of a list, so their words line up: square for a pictogram
  // (most are), 4:3 for a photo; the picture is fitted inside it.
  return picture.width > picture.height ? height * 4.0f / 3.0f : height;
}

void Ui::draw_picture(ImDrawList* dl, const Picture& picture, ImVec2 a, ImVec2 b) {
  // Fitted, centred, never stretched: a tall picture gets bands at its sides.
  const float bw = b.x - a.x, bh = b.y - a.y;
  const float scale = std::min(bw / static_cast<float>(picture.width), bh / static_cast<float>(picture.height));
  const float w = static_cast<float>(picture.width) * scale, h = static_cast<float>(picture.height) * scale;
  const ImVec2 p0(a.x + (bw - w) * 0.5f, a.y + (bh - h) * 0.5f), p1(p0.x + w, p0.y + h);
  if (picture.texture) dl->AddImageRounded(picture.texture, p0, p1, ImVec2(0, 0), ImVec2(1, 1), IM_COL32_WHITE, unit() * 0.2f);
  else dl->AddRectFilled(p0, p1, IM_COL32(200, 200, 200, 255), unit() * 0.2f);
  if (!items_.empty()) {
    ItemRect& drawn_in = items_.back();
    drawn_in.picture = picture.name;
    drawn_in.picture_min = p0;
    drawn_in.picture_max = p1;
  }
}

bool Ui::choice(const std::string& id, const std::string& label, bool selected, bool multiple, float width, const Picture* picture,
                float picture_height) {
  const float w = width > 0 ? width : ImGui::GetContentRegionAvail().x;
  const float pad = unit() * 0.6f;
  const float mark_w = unit() * 1.1f;  // the radio or checkbox
  const bool pictured = picture && picture->usable();
  const float ph = pictured ? (picture_height > 0 ? picture_height : pictogram_height()) : 0.0f;
  const float pw = pictured ? std::min(picture_width(*picture, ph), w * 0.4f) : 0.0f;
  const float text_x = pad * 2 + mark_w + (pictured ? pw + pad : 0.0f);
  const float wrap = std::max(w - text_x - pad, unit());
  const ImVec2 text = measure(label, wrap);
  const float h = std::max({touch(), text.y + 2 * pad, ph + 2 * pad});

  ImGui::PushID(id.c_str());
  const bool released = ImGui::InvisibleButton("##choice", ImVec2(w, h));
  ImGui::PopID();
  record(id);
  set_text(label);
  const bool pressed = ImGui::IsItemActive();
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ToneColours& tc = colours().tone(selected ? Tone::selected : Tone::normal);
  dl->AddRectFilled(a, b, pressed ? tc.pressed : tc.bg, unit() * 0.35f);
  if (has_border(tc)) dl->AddRect(a, b, tc.border, unit() * 0.35f, 0, std::max(1.0f, scale_.effective()));
  const ImU32 ink = tc.ink;
  // The mark: a round radio or a square checkbox, drawn (no glyph needed), ticked when chosen;
  // on the reader's side (the right in Arabic).
  const ImVec2 c(rtl() ? b.x - pad - mark_w * 0.5f : a.x + pad + mark_w * 0.5f, a.y + h * 0.5f);
  const float r = mark_w * 0.5f;
  const float thick = std::max(1.5f, unit() * 0.1f);
  if (multiple) {
    dl->AddRect(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), ink, unit() * 0.15f, 0, thick);
    if (selected) draw_tick(dl, c, r, ink, thick * 1.4f);
    mark(selected ? "selected" : "unselected", selected ? "ticked box" : "empty box");
  } else {
    dl->AddCircle(c, r, ink, 0, thick);
    if (selected) dl->AddCircleFilled(c, r * 0.5f, ink);
    mark(selected ? "selected" : "unselected", selected ? "filled circle" : "empty circle");
  }
  if (pictured) {  // after the mark, on the reader's side
    const float x0 = rtl() ? b.x - pad * 2 - mark_w - pw : a.x + pad * 2 + mark_w;
    draw_picture(dl, *picture, ImVec2(x0, a.y + (h - ph) * 0.5f), ImVec2(x0 + pw, a.y + (h + ph) * 0.5f));
  }
  const ImVec2 at(start_x(a.x + text_x, b.x - text_x, text.x), a.y + (h - text.y) * 0.5f);
  draw_text(dl, at, ink, label, wrap);
  if (rtl()) set_content(ImVec2(at.x, std::min(at.y, a.y + (h - ph) * 0.5f)), ImVec2(c.x + r, std::max(at.y + text.y, a.y + (h + ph) * 0.5f)));
  else set_content(ImVec2(c.x - r, std::min(at.y, a.y + (h - ph) * 0.5f)), ImVec2(at.x + text.x, std::max(at.y + text.y, a.y + (h + ph) * 0.5f)));
  return released && released_without_drag() && !blocked_;
}

void Ui::pictured_text(const std::string& id, const Picture* picture, float picture_height, const std::string& label) {
  if (!picture || !picture->usable()) {
    text(label, id);
    return;
  }
  const float w = ImGui::GetContentRegionAvail().x;
  const float ph = picture_height, pw = std::min(picture_width(*picture, ph), w * 0.4f);
  const float wrap = std::max(w - pw - gap(), unit());
  const ImVec2 size = measure(label, wrap);
  const float h = std::max(ph, size.y);
  const ImVec2 a = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float px = rtl() ? a.x + w - pw : a.x;
  ImGui::SetCursorScreenPos(ImVec2(px, a.y));
  ImGui::Dummy(ImVec2(pw, ph));
  record(id + ":picture", ItemKind::picture);
  draw_picture(dl, *picture, ImVec2(px, a.y), ImVec2(px + pw, a.y + ph));
  if (label.empty()) return;  // a picture alone (a question's pictogram above its words)
  // The words beside it, from where the reader starts after the picture.
  const float tx0 = rtl() ? a.x : a.x + pw + gap(), tx1 = rtl() ? a.x + w - pw - gap() : a.x + w;
  ImGui::SetCursorScreenPos(ImVec2(start_x(tx0, tx1, size.x), a.y + (h - size.y) * 0.5f));
  ImGui::Dummy(size);
  record(id, ItemKind::text);
  set_text(label);
  const ImVec2 at = ImGui::GetItemRectMin();
  set_content(at, ImVec2(at.x + size.x, at.y + size.y));
  draw_text(dl, at, ImGui::GetColorU32(ImGuiCol_Text), label, wrap);
  ImGui::SetCursorScreenPos(ImVec2(a.x, a.y + h));
  ImGui::Dummy(ImVec2(0, 0));
}

float Ui::speaker_width(const std::string& label) const {
  if (label.empty()) return touch();
  return std::min(ImGui::GetContentRegionAvail().x, touch() + measure(label, 0).x + unit() * 0.6f);
}

bool Ui::speaker(const std::string& id, const std::string& spoken, const std::string& language, const std::string& label) {
  const float w = speaker_width(label);
  // A labelled speaker starts where the reader starts (against the right in Arabic).
  if (!label.empty() && rtl()) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, ImGui::GetContentRegionAvail().x - w));
  return speaker_here(id, spoken, language, label);
}

bool Ui::speaker_here(const std::string& id, const std::string& spoken, const std::string& language, const std::string& label) {
  const float w = speaker_width(label), h = touch();
  ImGui::PushID(id.c_str());
  const bool released = ImGui::InvisibleButton("##speaker", ImVec2(w, h));
  ImGui::PopID();
  record(id, ItemKind::target, speech_available_);
  set_text(label.empty() ? t("speech.listen") : label);
  const bool pressed = ImGui::IsItemActive() && speech_available_;
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float round = unit() * 0.35f, line = std::max(1.0f, scale_.effective());
  const Palette& p = colours();
  const ToneColours& quiet = p.tone(Tone::quiet);
  dl->AddRectFilled(a, b, speech_available_ ? (pressed ? quiet.pressed : quiet.bg) : p.disabled_bg, round);
  dl->AddRect(a, b, speech_available_ ? quiet.border : p.disabled_border, round, 0, line);
  const ImU32 ink = speech_available_ ? quiet.ink : p.disabled_ink;
  // The loudspeaker: a box, a cone and two arcs (no glyph needed); crossed out when unavailable.
  const float s = std::min(h, touch()) * 0.5f;
  const float icon_x = label.empty() ? (a.x + b.x) * 0.5f : (rtl() ? b.x - h * 0.5f : a.x + h * 0.5f);
  const ImVec2 c(icon_x, (a.y + b.y) * 0.5f);
  dl->AddRectFilled(ImVec2(c.x - s * 0.55f, c.y - s * 0.18f), ImVec2(c.x - s * 0.3f, c.y + s * 0.18f), ink);
  dl->AddTriangleFilled(ImVec2(c.x - s * 0.35f, c.y), ImVec2(c.x + s * 0.05f, c.y - s * 0.45f), ImVec2(c.x + s * 0.05f, c.y + s * 0.45f), ink);
  if (speech_available_) {
    dl->PathArcTo(c, s * 0.3f, -0.8f, 0.8f, 10);
    dl->PathStroke(ink, 0, std::max(1.5f, unit() * 0.08f));
    dl->PathArcTo(c, s * 0.5f, -0.8f, 0.8f, 12);
    dl->PathStroke(ink, 0, std::max(1.5f, unit() * 0.08f));
  } else {
    dl->AddLine(ImVec2(c.x - s * 0.6f, c.y - s * 0.6f), ImVec2(c.x + s * 0.6f, c.y + s * 0.6f), ink, std::max(1.5f, unit() * 0.1f));
    mark("disabled", "crossed-out loudspeaker");
  }
  if (!label.empty()) {
    const ImVec2 size = measure(label, 0);
    const ImVec2 at(rtl() ? b.x - h - size.x : a.x + h, a.y + (h - size.y) * 0.5f);
    draw_text(dl, at, ink, label, 0);
    set_content(at, ImVec2(at.x + size.x, at.y + size.y));
  }
  const bool tapped = released && released_without_drag() && !blocked_;
  if (tapped && !speech_available_) refuse("speech.unavailable");
  if (tapped && speech_available_) out_.push_back(command::Speak{spoken, language});
  return tapped && speech_available_;
}

bool Ui::pictured_speaker(const std::string& picture_id, const Picture* picture, float picture_height, const std::string& id,
                          const std::string& spoken, const std::string& language, const std::string& label) {
  if (!picture || !picture->usable()) return speaker(id, spoken, language, label);
  const float w = ImGui::GetContentRegionAvail().x;
  const float ph = picture_height, pw = std::min(picture_width(*picture, ph), w * 0.4f);
  const float sw = speaker_width(label), sh = touch();
  if (pw + gap() + sw > w) {  // too narrow for both: one under the other
    pictured_text(picture_id, picture, ph, "");
    return speaker(id, spoken, language, label);
  }
  const ImVec2 a = ImGui::GetCursorScreenPos();
  const float h = std::max(ph, sh);
  // From where the reader starts: the picture, then the speaker (the right in Arabic).
  const float px = rtl() ? a.x + w - pw : a.x, sx = rtl() ? px - gap() - sw : px + pw + gap();
  ImGui::SetCursorScreenPos(ImVec2(px, a.y + (h - ph) * 0.5f));
  ImGui::Dummy(ImVec2(pw, ph));
  record(picture_id + ":picture", ItemKind::picture);
  draw_picture(ImGui::GetWindowDrawList(), *picture, ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  ImGui::SetCursorScreenPos(ImVec2(sx, a.y + (h - sh) * 0.5f));
  const bool tapped = speaker_here(id, spoken, language, label);
  ImGui::SetCursorScreenPos(ImVec2(a.x, a.y + h));
  ImGui::Dummy(ImVec2(0, 0));
  return tapped;
}

bool Ui::spoken_choice(const std::string& id, const std::string& label, const std::string& spoken,
                       const std::string& spoken_language, bool selected, bool multiple, const Picture* picture) {
  const float sw = speaker_width();
  const float w = std::max(ImGui::GetContentRegionAvail().x - sw - gap(), unit());
  const std::string speaker_id = "speak:" + (id.rfind("answer:", 0) == 0 ? id.substr(7) : id);
  // The speaker ends the line: on the left in Arabic.
  Row row(*this, gap());
  row.next(w);
  const bool chosen = choice(id, label, selected, multiple, w, picture);
  row.next(sw);
  speaker(speaker_id, spoken, spoken_language);
  return chosen;
}

void Ui::add_reading(const std::string& text, const std::string& language) {
  if (text.empty()) return;
  if (reading_.empty()) reading_language_ = language;
  else reading_ += ".\n";
  reading_ += text;
}

bool Ui::card(const std::string& id, const std::string& title, const std::string& body) {
  const float w = ImGui::GetContentRegionAvail().x;
  const float pad = unit() * 0.8f;
  const float wrap = std::max(w - 2 * pad, unit());
  const float title_size = fonts_.title->FontSize;
  const ImVec2 t = measure(title, wrap, fonts_.title, title_size);
  const ImVec2 b = measure(body, wrap);
  const float h = std::max(touch(), pad * 2 + t.y + unit() * 0.4f + b.y);
  ImGui::PushID(id.c_str());
  const bool released = ImGui::InvisibleButton("##card", ImVec2(w, h));
  ImGui::PopID();
  record(id);
  set_text(title + "\n" + body);
  const ImVec2 a = ImGui::GetItemRectMin(), z = ImGui::GetItemRectMax();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ToneColours& tc = colours().tone(Tone::normal);
  dl->AddRectFilled(a, z, ImGui::IsItemActive() ? tc.pressed : tc.bg, unit() * 0.35f);
  dl->AddRect(a, z, tc.border, unit() * 0.35f, 0, std::max(1.0f, scale_.effective()));
  draw_text(dl, ImVec2(start_x(a.x + pad, z.x - pad, t.x), a.y + pad), tc.ink, title, wrap, fonts_.title, title_size);
  draw_text(dl, ImVec2(start_x(a.x + pad, z.x - pad, b.x), a.y + pad + t.y + unit() * 0.4f), colours().muted, body, wrap);
  const float left = start_x(a.x + pad, z.x - pad, std::max(t.x, b.x));
  set_content(ImVec2(left, a.y + pad), ImVec2(left + std::max(t.x, b.x), a.y + pad + t.y + unit() * 0.4f + b.y));
  return released && released_without_drag() && !blocked_;
}

// --- text --------------------------------------------------------------------------------

void Ui::heading(const std::string& value) {
  ImGui::PushFont(fonts_.title);
  text(value);
  ImGui::PopFont();
}

void Ui::text(const std::string& value, const std::string& id) {
  // Wrapped at the column's edge (as PushTextWrapPos(0) did), against the right edge in Arabic.
  const float w = std::max(ImGui::GetContentRegionAvail().x, 1.0f);
  const ImVec2 size = measure(value, w);
  if (rtl()) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + w - size.x);
  const ImVec2 a = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(size.x, std::max(size.y, ImGui::GetTextLineHeight())));
  draw_text(ImGui::GetWindowDrawList(), a, ImGui::GetColorU32(ImGuiCol_Text), value, w);
  record(id, ItemKind::text);
  set_text(value);
}

void Ui::hint(const std::string& value) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colours().muted));
  text(value);
  ImGui::PopStyleColor();
}

namespace {
// A box of words with its icon on the side the reader starts from: a circled « ! » for an error,
// a triangle with « ! » for a warning or a refusal said, a circled tick for good news (never
// the colour alone).
enum class BoxKind { error, warning, good };

void box_icon(ImDrawList* dl, ImVec2 c, float r, ImU32 ink, BoxKind kind, float thick) {
  if (kind == BoxKind::good) {
    dl->AddCircle(c, r, ink, 24, thick);
    draw_tick(dl, c, r * 0.8f, ink, thick);
    return;
  }
  if (kind == BoxKind::error) {
    dl->AddCircle(c, r, ink, 24, thick);
  } else {
    dl->AddTriangle(ImVec2(c.x, c.y - r), ImVec2(c.x + r * 1.1f, c.y + r * 0.85f), ImVec2(c.x - r * 1.1f, c.y + r * 0.85f), ink,
                    thick);
  }
  const float top = kind == BoxKind::error ? c.y - r * 0.55f : c.y - r * 0.45f;
  dl->AddLine(ImVec2(c.x, top), ImVec2(c.x, c.y + r * 0.2f), ink, thick);
  dl->AddCircleFilled(ImVec2(c.x, c.y + r * 0.5f), thick * 0.7f, ink);
}

void message_box(Ui& ui, const std::string& id, const std::string& value, BoxKind kind) {
  const Palette& p = ui.colours();
  const ImU32 bg = kind == BoxKind::error ? p.error_bg : p.warning_bg;
  const ImU32 ink = kind == BoxKind::error ? p.error_ink : p.warning_ink;
  const float pad = ui.unit() * 0.5f;
  const float w = ImGui::GetContentRegionAvail().x;
  const float wrap = std::max(w - 3 * pad, ui.unit());
  const ImVec2 size = ui.measure(value, wrap);
  const float h = size.y + 2 * pad;
  const ImVec2 a = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(a, ImVec2(a.x + w, a.y + h), bg, ui.unit() * 0.3f);
  // The accent bar on the side the reader starts from, the icon in the margin between it and
  // the words (beside the first line: the box is no taller nor narrower for it).
  const float bar = ui.unit() * 0.25f;
  const float bar_x = ui.start_x(a.x, a.x + w, bar);
  dl->AddRectFilled(ImVec2(bar_x, a.y), ImVec2(bar_x + bar, a.y + h), ink);
  const float icon_r = ui.unit() * 0.22f, icon_w = ui.unit() * 0.6f;  // in the margin, clear of the words
  const float icon_x = ui.start_x(a.x + bar, a.x + w - bar, icon_w);
  box_icon(dl, ImVec2(icon_x + icon_w * 0.5f, a.y + pad + ImGui::GetTextLineHeight() * 0.5f), icon_r, ink, kind,
           std::max(1.2f, ui.unit() * 0.07f));
  const float x = ui.start_x(a.x + pad * 2, a.x + w - pad * 2, size.x);
  ui.draw_text(dl, ImVec2(x, a.y + pad), ink, value, wrap);
  ImGui::Dummy(ImVec2(w, h));
  ui.record(id, ItemKind::text);
  ui.set_content(ImVec2(x, a.y + pad), ImVec2(x + size.x, a.y + pad + size.y));
  ui.set_text(value);
  switch (kind) {
    case BoxKind::error: ui.mark("error", "circled ! and words"); break;
    case BoxKind::warning: ui.mark("warning", "triangle ! and words"); break;
    case BoxKind::good: ui.mark("good news", "circled tick and words"); break;
  }
}

}  // namespace

float Ui::box_height(const std::string& value) const {
  const float pad = unit() * 0.5f;
  return measure(value, std::max(ImGui::GetContentRegionAvail().x - 3 * pad, unit())).y + 2 * pad;
}

void Ui::error_box(const std::string& value) { message_box(*this, "error", value, BoxKind::error); }
void Ui::warning_box(const std::string& value) { message_box(*this, "warning", value, BoxKind::warning); }
void Ui::good_box(const std::string& value, const std::string& id) { message_box(*this, id, value, BoxKind::good); }

void Ui::qr(const std::string& id, const std::string& value, float side) {
  if (state_.qr_text != value) {
    state_.qr = platform::encode_qr(value, platform::QrErrorCorrection::medium);
    state_.qr_text = value;
  }
  const auto& m = state_.qr;
  const ImVec2 a = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(side, side));
  record(id, ItemKind::picture);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(a, ImVec2(a.x + side, a.y + side), colours().qr_light);
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
        dl->AddRectFilled(p, ImVec2(p.x + module, p.y + module), colours().qr_dark);
      }
}

// --- text fields -------------------------------------------------------------------------

void Ui::text_field(const std::string& id, const std::string& value, TextKind kind, const std::string& placeholder,
                    bool masked, bool editing) {
  const float w = ImGui::GetContentRegionAvail().x;
  const float pad = unit() * 0.5f;
  std::string shown;
  if (masked) {
    for (std::size_t i = 0; i < value.size(); ++i) shown += i ? " ●" : "●";
  } else {
    shown = value;
  }
  shown += "|";  // the caret: typing always goes to the end of the text
  const std::string& drawn = value.empty() && !placeholder.empty() ? "|" + placeholder : shown;
  const ImVec2 size = measure(drawn, w - 2 * pad);
  // Never taller than what the body shows: a long text shows its end, where typing goes.
  const float visible_h = in_body_ ? ImGui::GetCurrentWindowRead()->InnerRect.GetHeight() - 2 * ImGui::GetStyle().ItemSpacing.y
                                   : FLT_MAX;
  const float line_h = ImGui::GetTextLineHeight() + 2 * pad;
  const float min_h = std::min(kind == TextKind::multi_line ? touch() * 2.5f : touch(), std::max(visible_h, line_h));
  const float h = std::max(min_h, std::min(size.y + 2 * pad, std::max(visible_h, line_h)));
  ImGui::PushID(id.c_str());
  ImGui::InvisibleButton("##field", ImVec2(w, h));
  ImGui::PopID();
  record(id, editing ? ItemKind::field : ItemKind::panel);
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const Palette& p = colours();
  dl->AddRectFilled(a, b, p.field_bg, unit() * 0.25f);
  dl->AddRect(a, b, p.field_border, unit() * 0.25f, 0, std::max(2.0f, unit() * 0.1f));
  float text_y = kind == TextKind::multi_line ? a.y + pad : a.y + (h - size.y) * 0.5f;
  if (size.y > h - 2 * pad) text_y = b.y - pad - size.y;  // the end of a long text, caret included
  dl->PushClipRect(ImVec2(a.x + 1, a.y + 1), ImVec2(b.x - 1, b.y - 1), true);
  draw_text(dl, ImVec2(start_x(a.x + pad, b.x - pad, size.x), text_y),
            value.empty() && !placeholder.empty() ? p.placeholder : p.field_ink, drawn, w - 2 * pad);
  dl->PopClipRect();

  // A new field gets a fresh keyboard (letters, no shift) and is scrolled into view, as it is
  // again whenever its text changes.
  const std::string key = state_.scroll_key + "/" + id;
  if (key != state_.field_key) {
    state_.field_key = key;
    state_.field_text = value;
    state_.reveal_frames = 4;
  } else if (value != state_.field_text) {
    state_.field_text = value;
    state_.reveal_frames = 2;
  }
  if (state_.keyboard_field != key) {
    state_.keyboard_field = key;
    state_.keyboard.reset();
  }
  if (editing && in_body_ && state_.reveal_frames > 0 && !blocked_) {
    --state_.reveal_frames;
    const ImRect clip = ImGui::GetCurrentWindowRead()->ClipRect;
    if (b.y > clip.Max.y) ImGui::SetScrollY(ImGui::GetScrollY() + (b.y - clip.Max.y) + ImGui::GetStyle().ItemSpacing.y);
    else if (a.y < clip.Min.y) ImGui::SetScrollY(ImGui::GetScrollY() - (clip.Min.y - a.y));
  }
}

// --- the keyboard ------------------------------------------------------------------------

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
    case A::to_other_layout: return "key:other_layout";
  }
  return "key:?";
}

float key_units(const std::vector<Key>& row) {
  float units = 0;
  for (const auto& k : row) units += k.width;
  return units;
}

const char* kind_name(TextKind kind) {
  switch (kind) {
    case TextKind::digits_only: return "digits";
    case TextKind::code: return "code";
    default: return "text";
  }
}
}  // namespace

namespace {
// The keyboard belongs to the display, not to the text size: a row of keys is as tall as a
// finger needs, never so tall that the field it types into is squeezed off the screen.
float key_height(const UiScale& s, std::size_t rows) {
  const float by_screen = ImGui::GetIO().DisplaySize.y * 0.42f / static_cast<float>(rows);
  return std::clamp(by_screen, 48.0f * s.display, 58.0f * s.display);
}
float key_spacing(const UiScale& s) { return 8.0f * s.display; }
}  // namespace

float Ui::keyboard_height(TextKind kind) const {
  const std::size_t rows = state_.keyboard.rows(kind).size();
  return key_spacing(scale_) * 2 + static_cast<float>(rows) * (key_height(scale_, rows) + key_spacing(scale_));
}

bool Ui::keyboard(std::string& text, TextKind kind, std::size_t max_chars, bool& enter, const std::string& enter_label) {
  bool changed = false;
  enter = false;
  using Effect = KeyboardModel::Effect;
  const std::map<std::string, std::string> max_value{{"max", std::to_string(max_chars)}};
  const auto said = [&](Effect effect) {
    switch (effect) {
      case Effect::changed: changed = true; break;
      case Effect::enter: enter = true; break;
      case Effect::refused_full: refuse("keyboard.full", max_value); break;
      case Effect::refused_kind: refuse(std::string("keyboard.refused.") + kind_name(kind)); break;
      case Effect::none: break;
    }
  };
  // A physical keyboard types into the same field.
  ImGuiIO& io = ImGui::GetIO();
  if (!blocked_) {
    for (ImWchar c : io.InputQueueCharacters)
      if (c != '\r' && c != '\n') said(type_character(text, static_cast<char32_t>(c), kind, max_chars));
    const int backspace = ImGui::GetKeyIndex(ImGuiKey_Backspace);
    const int enter_key = ImGui::GetKeyIndex(ImGuiKey_Enter);
    const int pad_enter = ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter);
    if (backspace >= 0 && ImGui::IsKeyPressed(backspace) && !text.empty()) {
      core::erase_last_code_point(text);
      changed = true;
    }
    if ((enter_key >= 0 && ImGui::IsKeyPressed(enter_key, false)) ||
        (pad_enter >= 0 && ImGui::IsKeyPressed(pad_enter, false))) {
      if (kind == TextKind::multi_line) said(type_character(text, U'\n', kind, max_chars));
      else enter = true;
    }
  }

  auto& model = state_.keyboard;
  const auto rows = model.rows(kind);
  const float spacing = key_spacing(scale_);
  float width = ImGui::GetContentRegionAvail().x;
  float left = 0;
  if (kind == TextKind::digits_only) {  // a phone-like pad, not stretched across a wide screen
    const float pad_w = std::min(width, 440.0f * scale_.display);
    left = (width - pad_w) * 0.5f;
    width = pad_w;
  }
  const float key_h = key_height(scale_, rows.size());
  ImGui::PushFont(fonts_.small);
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(spacing, spacing));
  ImGui::Dummy(ImVec2(0, 0));
  // What ↵ does, in words: "Suivant" on a one-line field, a new line in a paragraph.
  const std::string enter_text =
      !enter_label.empty() ? enter_label : (kind == TextKind::multi_line ? "↵" : t(kind == TextKind::digits_only ? "keyboard.ok" : "keyboard.next"));
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
        case Key::Action::enter: label = enter_text; tone = Tone::primary; break;
        case Key::Action::backspace:
        case Key::Action::to_letters:
        case Key::Action::to_digits:
        case Key::Action::to_other_layout: tone = Tone::quiet; break;
        case Key::Action::to_accents: tone = model.layer() == KeyboardLayer::accents ? Tone::selected : Tone::quiet; break;
        case Key::Action::insert: break;
      }
      if (button(key_probe(key), label, ImVec2(w, key_h), tone)) said(model.press(key, text, kind, max_chars));
      items_.back().kind = ItemKind::key;
    }
  }
  ImGui::PopStyleVar();
  ImGui::PopFont();
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
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(side, std::max(8.0f * scale_.display, unit() * 0.5f)));
  ImGui::Begin("screen", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
  ImGui::PopStyleVar();
}

void Ui::end_screen() { ImGui::End(); }

void Ui::header(const std::string& title, std::optional<float> progress, const std::string& progress_label) {
  if (progress) {
    // "Étape 2 sur 7" and the bar on one line: the body keeps the height.
    const ImVec2 a = ImGui::GetCursorScreenPos();
    const float w = ImGui::GetContentRegionAvail().x;
    float label_w = 0;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float x0 = ImGui::GetCursorPosX();
    if (!progress_label.empty()) {
      // The label on the reader's side, the bar after it (to its left in Arabic).
      const ImVec2 size = measure(progress_label, 0);
      ImGui::SetCursorPosX(start_x(x0, x0 + w, size.x));
      const ImVec2 at = ImGui::GetCursorScreenPos();
      ImGui::Dummy(ImVec2(size.x, ImGui::GetTextLineHeight()));
      draw_text(dl, at, colours().muted, progress_label, 0);
      record("progress", ItemKind::text);
      set_text(progress_label);
      label_w = size.x + gap();
      ImGui::SameLine(0, gap());
    }
    const float h = unit() * 0.4f;
    const float bar_w = std::max(w - label_w, unit());
    const ImVec2 bar(rtl() ? a.x : a.x + label_w, a.y + (ImGui::GetTextLineHeight() - h) * 0.5f);
    const float filled = bar_w * std::clamp(*progress, 0.0f, 1.0f);
    dl->AddRectFilled(bar, ImVec2(bar.x + bar_w, bar.y + h), colours().progress_track, h * 0.5f);
    // Progress fills from where the reader starts.
    const float fill_x = rtl() ? bar.x + bar_w - filled : bar.x;
    dl->AddRectFilled(ImVec2(fill_x, bar.y), ImVec2(fill_x + filled, bar.y + h), colours().progress_fill, h * 0.5f);
    if (rtl()) ImGui::SetCursorPosX(x0);
    ImGui::Dummy(ImVec2(rtl() ? 0.0f : bar_w, ImGui::GetTextLineHeight()));
  }
  pending_title_ = title;
  if (reading_.empty()) add_reading(title, language());
}

float Ui::notice_height() const {
  if (notice_.empty()) return 0.0f;
  return box_height(notice_) + ImGui::GetStyle().ItemSpacing.y;
}

void Ui::begin_body(float reserved_bottom, const std::string& scroll_key) {
  // Leaving a screen or a step keeps where it was scrolled; coming back finds it there, from
  // the very first frame (SetScrollY alone would wait for the next one).
  std::optional<float> restore;
  if (scroll_key != state_.scroll_key) {
    if (!state_.scroll_key.empty()) state_.scroll_memory[state_.scroll_key] = state_.scroll_y;
    state_.scroll_key = scroll_key;
    const auto it = state_.scroll_memory.find(scroll_key);
    restore = it == state_.scroll_memory.end() ? 0.0f : it->second;
    ImGui::SetNextWindowScroll(ImVec2(-1.0f, *restore));
  }
  // Each screen and step has a body of its own, so ImGui's clamping of the restored scroll
  // uses that body's height, not the last screen's.
  // ImGui 1.86 draws a scroll bar on the right only: in a right-to-left language the body draws
  // its own on the left (end_body), the side a reader starts from, and keeps room for it there.
  ImGui::BeginChild(("body##" + scroll_key).c_str(), ImVec2(0, -(reserved_bottom + notice_height())), false,
                    ImGuiWindowFlags_NoBackground | (rtl() ? ImGuiWindowFlags_NoScrollbar : 0));
  in_body_ = true;
  if (restore) ImGui::SetScrollY(*restore);  // again, once this screen's height is known
  body_indent_ = rtl() && ImGui::GetScrollMaxY() > 0.0f ? ImGui::GetStyle().ScrollbarSize : 0.0f;
  if (body_indent_ > 0) ImGui::Indent(body_indent_);
  // Drag anywhere on the body to scroll it, as on a phone (a finger has no wheel). A drag that
  // started on the body keeps scrolling it when the finger strays over the buttons below.
  const ImGuiIO& io = ImGui::GetIO();
  if (!io.MouseDown[0]) state_.body_drag = false;
  else if (ImGui::IsMouseClicked(ImGuiMouseButton_Left))
    state_.body_drag = !blocked_ && ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem | ImGuiHoveredFlags_ChildWindows);
  if (!blocked_ && state_.body_drag && ImGui::IsMouseDragging(ImGuiMouseButton_Left, unit() * 0.8f))
    ImGui::SetScrollY(ImGui::GetScrollY() - io.MouseDelta.y);
  if (!pending_title_.empty()) {
    heading(pending_title_);
    ImGui::Dummy(ImVec2(0, gap() * 0.3f));
    pending_title_.clear();
  }
}

void Ui::end_body() {
  state_.scroll_y = ImGui::GetScrollY();
  const float scroll_max = ImGui::GetScrollMaxY();
  if (body_indent_ > 0) ImGui::Unindent(body_indent_);
  ImVec2 bar_min(0, 0), bar_max(0, 0);
  if (scroll_max > 0.0f) {
    // The grab: as tall as the share of the body in sight, where the scroll is (ImGui's rule).
    const ImGuiStyle& style = ImGui::GetStyle();
    const ImVec2 at = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
    const float grab_h = std::clamp(size.y * size.y / (size.y + scroll_max), std::min(style.GrabMinSize, size.y), size.y);
    const float y = at.y + (size.y - grab_h) * std::clamp(state_.scroll_y / scroll_max, 0.0f, 1.0f);
    const float x = rtl() ? at.x : at.x + size.x - style.ScrollbarSize;
    bar_min = ImVec2(x, y);
    bar_max = ImVec2(x + style.ScrollbarSize, y + grab_h);
    if (rtl()) {
      ImDrawList* dl = ImGui::GetWindowDrawList();
      dl->PushClipRect(at, ImVec2(at.x + size.x, at.y + size.y), false);
      const float inset = 2.0f;
      dl->AddRectFilled(ImVec2(bar_min.x + inset, bar_min.y + inset), ImVec2(bar_max.x - inset, bar_max.y - inset),
                        ImGui::GetColorU32(ImGuiCol_ScrollbarGrab), style.ScrollbarRounding);
      dl->PopClipRect();
    }
  }
  in_body_ = false;
  ImGui::EndChild();
  record("body", ItemKind::body);
  items_.back().scroll_y = state_.scroll_y;
  items_.back().scroll_max = scroll_max;
  items_.back().bar_min = bar_min;
  items_.back().bar_max = bar_max;
  if (!notice_.empty()) {
    // A refusal, said where the finger is: just above the buttons and the keyboard.
    message_box(*this, "notice", notice_, BoxKind::warning);
  }
}

float Ui::button_height(const std::string& label, float width, float min_h) const {
  const float pad = unit() * 0.5f;
  const ImVec2 text = measure(label, std::max(width - 2 * pad, unit()));
  return std::max(min_h > 0 ? min_h : touch(), text.y + 2 * pad);
}

float Ui::row_height(const std::vector<std::string>& labels, float width) const {
  float h = compact();
  for (const auto& label : labels) h = std::max(h, button_height(label, width, compact()));
  return h;
}

float Ui::row_reserve(const std::vector<std::string>& labels, float width) const {
  // Dummy(gap/2), the button row, a zero Dummy: three item spacings in all.
  return gap() * 0.5f + row_height(labels, width) + 3.0f * ImGui::GetStyle().ItemSpacing.y;
}

namespace {
float footer_slot(const Ui& ui) { return (ImGui::GetContentRegionAvail().x - 2 * ui.gap()) / 3.0f; }
}  // namespace

float Ui::footer_height(const std::string& next_label) const {
  return row_reserve({"‹ " + t("nav.back"), t("nav.skip"), next_label + " ›"}, footer_slot(*this));
}

Ui::Nav Ui::footer(bool back, bool skip, bool next, bool next_enabled, const std::string& next_label,
                   const std::string& next_refusal) {
  Nav nav = Nav::none;
  ImGui::Dummy(ImVec2(0, gap() * 0.5f));
  const float slot = footer_slot(*this);
  const float x0 = ImGui::GetCursorPosX();
  const float y = ImGui::GetCursorPosY();
  const float h = row_height({"‹ " + t("nav.back"), t("nav.skip"), next_label + " ›"}, slot);
  // Back where the reader starts, Next where the reading goes: swapped in Arabic.
  const float back_x = rtl() ? x0 + 2 * (slot + gap()) : x0, next_x = rtl() ? x0 : x0 + 2 * (slot + gap());
  if (back) {
    ImGui::SetCursorPos(ImVec2(back_x, y));
    if (button("back", "‹ " + t("nav.back"), ImVec2(slot, h), Tone::normal)) nav = Nav::back;
  }
  if (skip) {
    ImGui::SetCursorPos(ImVec2(x0 + slot + gap(), y));
    if (button("skip", t("nav.skip"), ImVec2(slot, h), Tone::quiet)) nav = Nav::skip;
  }
  if (next) {
    ImGui::SetCursorPos(ImVec2(next_x, y));
    if (button("next", next_label + " ›", ImVec2(slot, h), Tone::primary, next_enabled, next_refusal)) nav = Nav::next;
  }
  ImGui::SetCursorPos(ImVec2(x0, y + h));
  ImGui::Dummy(ImVec2(0, 0));
  return nav;
}

}  // namespace allervers::app
