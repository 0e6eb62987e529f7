#pragma once
// Fonts and style are rebuilt together when the scale changes: the style is reset, scaled,
// and the fonts reloaded at the new pixel size (never a font baked at one size and stretched).
#include <string>

#include "allervers/app/ui.hpp"

namespace allervers::app {

inline constexpr float kBaseFontPixels = 22.0f;  // at scale 1: readable at arm's length on a 10" tablet

// Rebuilds ImGui's style and font atlas for `scale` (the display's and the text size's) from
// the TTF at `font_path`. Throws std::runtime_error naming the file when it cannot be loaded
// (the app would show '?' boxes).
// `arabic_font_path` (none: Latin only) is merged into every font for Arabic after shaping.
Fonts build_fonts_and_style(UiScale scale, const std::string& font_path, const std::string& arabic_font_path = "");

// ImGui's style colours from `palette` (the window, its text, the dim behind an overlay, the
// separator and scrollbar): set every frame, so a theme switch shows at once.
void apply_palette(const Palette& palette);

// The glyph ranges French needs: Latin-1 and Latin Extended-A (œ Œ ÿ), ’ « » — … € and the
// arrows and symbols our keys and marks use.
const ImWchar* french_glyph_ranges();
// Arabic, its presentation forms (what bidi::shape produces).
const ImWchar* arabic_glyph_ranges();
// Whether the atlas holds a glyph for `c` (the ranges above; line breaks count as drawn).
bool glyph_loaded(char32_t c);
// The characters of `text` no loaded font draws ("U+0B95 க, U+4E2D 中"; at most 5, then "…"),
// empty when every one is drawn. Such text would show as boxes or "?" (a Tamil or Chinese
// translation with no font for it).
std::string characters_without_glyph(std::string_view text);

}  // namespace allervers::app
