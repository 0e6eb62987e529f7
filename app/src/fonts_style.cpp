#include "allervers/app/fonts_style.hpp"

#include "allervers/app/bidi.hpp"
#include "allervers/core/kiosk_glyphs.hpp"
#include "allervers/core/text.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

namespace allervers::app {

namespace {
// Immutable tables: pairs of inclusive ranges, zero-terminated. The office holds the same list
// (core/kiosk_glyphs.cpp) to tell the coordinator; a test in tests/app keeps the two equal.
constexpr ImWchar kFrenchRanges[] = {
    0x0020, 0x00FF,  // Basic Latin + Latin-1 (é è à ç « » NBSP)
    0x0100, 0x017F,  // Latin Extended-A (œ Œ Ÿ)
    0x2000, 0x206F,  // General Punctuation (’ — – … narrow NBSP)
    0x20AC, 0x20AC,  // €
    0x2190, 0x21FF,  // arrows (⇧ ↵ ←)
    0x2212, 0x2212,  // − (minus sign)
    0x2300, 0x23FF,  // ⌫
    0x25A0, 0x25FF,  // ● ○
    0x2713, 0x2714,  // ✓
    0,
};
constexpr ImWchar kLargeRanges[] = {0x0020, 0x00FF, 0x0100, 0x017F, 0x2000, 0x206F, 0x20AC, 0x20AC, 0};
// Arabic as drawn after shaping (bidi.hpp), and nothing more. Shaping draws Arabic's joining
// letters as presentation forms (Forms-B), so the Arabic block's letters, the Persian, Urdu and
// Quranic ones and Forms-A were three glyphs in four of the Arabic in this atlas, in each of
// four fonts, never drawn. What stays of the block is what FriBiDi's shaping leaves as it is
// (each code point tried alone and between letters): punctuation, hamza, tatweel, tashkeel,
// digits. A Persian or Urdu text would need Forms-A back: characters_without_glyph says so.
constexpr ImWchar kArabicRanges[] = {
    0x0600, 0x0621,  // signs and punctuation (، ؛ ؟), and hamza ء, which joins nothing: never shaped
    0x0640, 0x0640,  // tatweel
    0x064B, 0x066D,  // tashkeel (harakat, shadda, sukun), Arabic-Indic digits, ٪ ٫ ٬
    0x0670, 0x0670,  // superscript alef
    0xFE70, 0xFEFF,  // Presentation Forms-B (initial, medial, final, isolated; lam-alef)
    0,
};

// ImGui sizes a font by its line height (ascent − descent). Noto Sans Arabic keeps room for
// stacked marks, so its letters come out about half the size of DejaVu's at the same height:
// its em is 0.473 of its line height, DejaVu's 0.859. Asked for twice the height, its letters
// match the Latin ones (about 10 % larger, as Arabic needs to read as easily).
constexpr float kArabicSizeRatio = 2.0f;

// The Arabic font merged into `base`: one ImFont draws both scripts, on the Latin baseline.
void merge_arabic(ImFont* base, const std::string& path, float px, const ImFontConfig& like) {
  if (!base || path.empty()) return;
  ImFontConfig config = like;
  config.MergeMode = true;
  config.DstFont = base;
  ImGui::GetIO().Fonts->AddFontFromFileTTF(path.c_str(), px * kArabicSizeRatio, &config, kArabicRanges);
}
}  // namespace

const ImWchar* french_glyph_ranges() { return kFrenchRanges; }

const ImWchar* arabic_glyph_ranges() { return kArabicRanges; }

bool glyph_loaded(char32_t c) {
  if (c == U'\n' || c == U'\t' || bidi::is_format_character(c)) return true;  // never drawn
  // U+200E/U+200F/U+2066…U+2069 (direction marks) sit in General Punctuation: loaded.
  for (const ImWchar* ranges : {kFrenchRanges, kArabicRanges})
    for (const ImWchar* r = ranges; r[0]; r += 2)
      if (c >= r[0] && c <= r[1]) return true;
  return false;
}

std::string characters_without_glyph(std::string_view text) {
  // What is drawn: Arabic shaped first (its letters become presentation forms).
  std::u32string drawn = core::decode_utf8(text);
  if (bidi::has_rtl(text)) drawn = bidi::resolve(drawn, bidi::Direction::rtl).shaped;
  return core::characters_not_drawn(drawn, glyph_loaded);
}

void apply_palette(const Palette& p) {
  ImVec4* c = ImGui::GetStyle().Colors;
  c[ImGuiCol_WindowBg] = ImGui::ColorConvertU32ToFloat4(p.screen);
  c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_Text] = ImGui::ColorConvertU32ToFloat4(p.ink);
  c[ImGuiCol_ModalWindowDimBg] = ImGui::ColorConvertU32ToFloat4(p.dim);
  c[ImGuiCol_Separator] = ImGui::ColorConvertU32ToFloat4(p.muted);
  c[ImGuiCol_ScrollbarBg] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_ScrollbarGrab] = c[ImGuiCol_ScrollbarGrabHovered] = c[ImGuiCol_ScrollbarGrabActive] =
      ImGui::ColorConvertU32ToFloat4(p.muted);
}

Fonts build_fonts_and_style(UiScale scales, const std::string& font_path, const std::string& arabic_font_path) {
  const float scale = scales.effective();
  if (!std::filesystem::exists(font_path))
    throw std::runtime_error("the font " + font_path + " is missing (install fonts-dejavu-core)");
  if (!arabic_font_path.empty() && !std::filesystem::exists(arabic_font_path))
    throw std::runtime_error("the font " + arabic_font_path + " is missing (install fonts-noto-core)");
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  ImFontConfig config;
  // Glyphs are snapped to whole pixels (PixelSnapH), so a glyph rasterised at twice the width
  // for sub-pixel positions (OversampleH = 2) is only ever drawn at whole ones: half the atlas
  // spent on nothing visible at these sizes (22 px and up).
  config.OversampleH = 1;
  config.OversampleV = 1;
  config.PixelSnapH = true;
  const float body_px = kBaseFontPixels * scale;
  Fonts fonts;
  fonts.body = io.Fonts->AddFontFromFileTTF(font_path.c_str(), body_px, &config, kFrenchRanges);
  merge_arabic(fonts.body, arabic_font_path, body_px, config);
  // Headings stand out less as the text grows: at 200 % a 1.45× heading would crowd the body.
  const float heading = std::max(1.15f, 1.45f - 0.3f * (scales.text - 1.0f));
  fonts.title = io.Fonts->AddFontFromFileTTF(font_path.c_str(), body_px * heading, &config, kLargeRanges);
  merge_arabic(fonts.title, arabic_font_path, body_px * heading, config);
  const float huge_px = body_px * std::max(1.8f, 2.4f - 0.6f * (scales.text - 1.0f));
  fonts.huge = io.Fonts->AddFontFromFileTTF(font_path.c_str(), huge_px, &config, kLargeRanges);
  merge_arabic(fonts.huge, arabic_font_path, huge_px, config);
  // Keys and the agent's status line belong to the display: they grow a little with the text,
  // never so much that the keyboard pushes the field it types into off the screen.
  const float small_px = kBaseFontPixels * scales.display * std::min(scales.text, 1.25f);
  fonts.small = io.Fonts->AddFontFromFileTTF(font_path.c_str(), small_px, &config, kFrenchRanges);
  merge_arabic(fonts.small, arabic_font_path, small_px, config);
  if (!fonts.body || !fonts.title || !fonts.huge || !fonts.small || !io.Fonts->Build())
    throw std::runtime_error("the font " + font_path + " could not be loaded");
  io.FontDefault = fonts.body;

  ImGuiStyle& style = ImGui::GetStyle();
  style = ImGuiStyle();
  ImGui::StyleColorsLight(&style);
  style.WindowRounding = 0;
  style.WindowBorderSize = 0;
  style.ChildBorderSize = 0;
  style.FrameRounding = 6;
  style.GrabRounding = 6;
  style.FramePadding = ImVec2(12, 10);
  style.ItemSpacing = ImVec2(12, 12);
  style.ItemInnerSpacing = ImVec2(10, 8);
  style.ScrollbarSize = 10;
  style.ScrollbarRounding = 5;
  style.TouchExtraPadding = ImVec2(2, 2);
  apply_palette(palette(Theme::normal));
  // Spacing grows with the display, and half as fast as the text: large text needs its room.
  style.ScaleAllSizes(scales.display * (1.0f + 0.5f * (scales.text - 1.0f)));
  return fonts;
}

}  // namespace allervers::app
