#pragma once
// Right-to-left text for Dear ImGui, which draws code points left to right one glyph each:
// Arabic is shaped here into its presentation forms (each letter's initial, medial, final or
// isolated form; lam-alef ligatures) and each line reordered by the Unicode bidirectional
// algorithm (FriBiDi), so numbers and Latin names inside Arabic come out where a reader
// expects them. Wrapping happens between the two steps: on the shaped text in logical order
// (a glyph's width does not depend on where it is drawn), then each line is reordered with
// the levels resolved once for its whole paragraph (UAX #9: levels per paragraph, L1–L4 per line).
//
// Direction of a text that comes from data (the town's answer, a street name, a French text
// standing in for a missing translation) is its own, never the screen's:
// - a paragraph takes its base direction from its first strong letter (UAX #9 P2–P3), the
//   screen's only when it has none ("12 €");
// - a value inserted into a sentence is wrapped in a first-strong isolate (U+2068 … U+2069):
//   its own direction inside, a neutral block to the sentence around it, so a French answer's
//   full stop stays at its end in an Arabic sentence. isolate() and join() do it.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace allervers::app::bidi {

enum class Direction { ltr, rtl };

inline constexpr char32_t kFirstStrongIsolate = 0x2068;  // FSI
inline constexpr char32_t kPopDirectionalIsolate = 0x2069;  // PDI

// Languages written right to left (the layout mirrors for them).
bool is_rtl_language(std::string_view language);
// Whether a UTF-8 text holds a right-to-left letter (Hebrew, Arabic, Syriac, Thaana, N'Ko,
// their presentation forms).
bool has_rtl(std::string_view utf8);
// Whether a UTF-8 text holds a strong letter (Latin, Arabic…: not digits, spaces, punctuation).
bool has_strong_letter(std::string_view utf8);
// Unicode's directional formatting characters (marks LRM RLM ALM, embeddings, overrides,
// isolates): they steer the algorithm and are never drawn.
bool is_format_character(char32_t c);
bool has_format_characters(std::string_view utf8);
// `utf8` without them (for speech, for a text compared in words).
std::string without_format_characters(std::string_view utf8);

// `value` as a first-strong isolate: FSI value PDI.
std::string isolate(std::string_view value);
// `parts` joined by `separator`, each part an isolate when any part holds right-to-left text
// or `rtl_screen`: "{date} — {text}" where the date is Arabic and the text French reads each
// in its own direction, the whole in the screen's (P2 skips isolates: no strong letter left).
// Left-to-right parts on a left-to-right screen are joined as they are.
std::string join(const std::vector<std::string>& parts, std::string_view separator, bool rtl_screen);

// One paragraph (no line break) resolved by the bidirectional algorithm and shaped.
struct Paragraph {
  Direction direction = Direction::ltr;  // its base direction (P2–P3, else the fallback)
  std::u32string shaped;                 // logical order: Arabic in its joined presentation forms,
                                         // lam-alef's placeholder dropped, brackets mirrored in RTL runs
  std::vector<std::uint32_t> types;      // FriBiDi's character types, one per shaped code point
  std::vector<std::int8_t> levels;       // embedding levels of the whole paragraph
};
// `fallback`: the base direction when the paragraph has no strong letter outside isolates.
Paragraph resolve(std::u32string_view logical, Direction fallback);
// The code points [from, to) of `p.shaped` as one line drawn left to right: reordered with the
// paragraph's levels (rules L1–L2), formatting characters left out.
std::u32string visual_line(const Paragraph& p, std::size_t from, std::size_t to);

// A paragraph's direction: its first strong letter's outside isolates, `fallback` when none.
Direction paragraph_direction(std::u32string_view logical, Direction fallback);
// All of it, on UTF-8: a one-line label as it must be drawn.
std::string visual(std::string_view logical_utf8, Direction fallback);

}  // namespace allervers::app::bidi
