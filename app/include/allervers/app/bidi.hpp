#pragma once
// Right-to-left text for Dear ImGui, which draws code points left to right one glyph each:
// Arabic is shaped here into its presentation forms (each letter's initial, medial, final or
// isolated form; lam-alef ligatures) and each line reordered by the Unicode bidirectional
// algorithm (FriBiDi), so numbers and Latin names inside Arabic come out where a reader
// expects them. Wrapping happens between the two steps: on the shaped text in logical order
// (a glyph's width does not depend on where it is drawn), then each line is reordered.
#include <string>
#include <string_view>

namespace allervers::app::bidi {

enum class Direction { ltr, rtl };

// Languages written right to left (the layout mirrors for them).
bool is_rtl_language(std::string_view language);
// Whether a UTF-8 text holds a right-to-left letter (Hebrew, Arabic, Syriac, Thaana, N'Ko,
// their presentation forms).
bool has_rtl(std::string_view utf8);

// A paragraph's direction: its first strong letter's, `fallback` when it has none ("12 €").
Direction paragraph_direction(std::u32string_view logical, Direction fallback);
// One paragraph (no line break) of direction `dir`, shaped, still in logical order: Arabic
// letters in their joined presentation forms, the placeholder FriBiDi leaves after a lam-alef
// ligature dropped, brackets mirrored inside right-to-left runs.
std::u32string shape(std::u32string_view logical, Direction dir);
// One line of shaped text of a paragraph of direction `dir`, from logical to visual order
// (what to draw left to right).
std::u32string reorder(std::u32string_view shaped_line, Direction dir);
// All three, on UTF-8: a one-line label as it must be drawn.
std::string visual(std::string_view logical_utf8, Direction fallback);

}  // namespace allervers::app::bidi
