#include "allervers/app/bidi.hpp"

#include <vector>

#include <fribidi.h>

#include "allervers/core/text.hpp"

namespace allervers::app::bidi {
namespace {

constexpr char32_t kLamAlefPlaceholder = 0xFEFF;  // where FriBiDi's ligature swallowed the alef

bool rtl_code_point(char32_t c) {
  return (c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFE);
}

FriBidiParType par_type(Direction dir) { return dir == Direction::rtl ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR; }

std::vector<FriBidiChar> to_fribidi(std::u32string_view text) { return {text.begin(), text.end()}; }

}  // namespace

bool is_rtl_language(std::string_view language) {
  return language == "ar" || language == "he" || language == "fa" || language == "ur" || language == "ps" ||
         language == "ckb" || language == "yi";
}

bool has_rtl(std::string_view utf8) {
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    // Every right-to-left block starts at U+0590 or above: lead bytes 0xD6 and up.
    const auto byte = static_cast<unsigned char>(utf8[i]);
    if (byte < 0xD6) continue;
    for (char32_t c : core::decode_utf8(utf8.substr(i)))
      if (rtl_code_point(c)) return true;
    return false;
  }
  return false;
}

Direction paragraph_direction(std::u32string_view logical, Direction fallback) {
  for (char32_t c : logical) {
    const FriBidiCharType type = fribidi_get_bidi_type(static_cast<FriBidiChar>(c));
    if (FRIBIDI_IS_LETTER(type) && FRIBIDI_IS_STRONG(type)) return FRIBIDI_IS_RTL(type) ? Direction::rtl : Direction::ltr;
  }
  return fallback;
}

std::u32string shape(std::u32string_view logical, Direction base) {
  if (logical.empty()) return {};
  const auto len = static_cast<FriBidiStrIndex>(logical.size());
  std::vector<FriBidiChar> chars = to_fribidi(logical);
  std::vector<FriBidiCharType> types(logical.size());
  std::vector<FriBidiBracketType> brackets(logical.size());
  std::vector<FriBidiLevel> levels(logical.size());
  std::vector<FriBidiArabicProp> joining(logical.size());
  fribidi_get_bidi_types(chars.data(), len, types.data());
  fribidi_get_bracket_types(chars.data(), len, types.data(), brackets.data());
  FriBidiParType direction = par_type(base);
  if (!fribidi_get_par_embedding_levels_ex(types.data(), brackets.data(), len, &direction, levels.data()))
    return std::u32string(logical);
  fribidi_get_joining_types(chars.data(), len, joining.data());
  fribidi_join_arabic(types.data(), len, levels.data(), joining.data());
  fribidi_shape(FRIBIDI_FLAG_SHAPE_MIRRORING | FRIBIDI_FLAGS_ARABIC, levels.data(), len, joining.data(), chars.data());
  std::u32string out;
  out.reserve(chars.size());
  for (FriBidiChar c : chars)
    if (c != kLamAlefPlaceholder) out.push_back(static_cast<char32_t>(c));
  return out;
}

std::u32string reorder(std::u32string_view line, Direction base) {
  if (line.empty()) return {};
  const auto len = static_cast<FriBidiStrIndex>(line.size());
  std::vector<FriBidiChar> chars = to_fribidi(line);
  std::vector<FriBidiCharType> types(line.size());
  std::vector<FriBidiBracketType> brackets(line.size());
  std::vector<FriBidiLevel> levels(line.size());
  fribidi_get_bidi_types(chars.data(), len, types.data());
  fribidi_get_bracket_types(chars.data(), len, types.data(), brackets.data());
  FriBidiParType direction = par_type(base);
  if (!fribidi_get_par_embedding_levels_ex(types.data(), brackets.data(), len, &direction, levels.data()))
    return std::u32string(line);
  // Marks stay after their letter (REORDER_NSM): ImGui draws a mark over what precedes it.
  if (!fribidi_reorder_line(FRIBIDI_FLAG_REORDER_NSM, types.data(), len, 0, direction, levels.data(), chars.data(), nullptr))
    return std::u32string(line);
  return {chars.begin(), chars.end()};
}

std::string visual(std::string_view logical_utf8, Direction fallback) {
  const std::u32string logical = core::decode_utf8(logical_utf8);
  const Direction dir = paragraph_direction(logical, fallback);
  const std::u32string shown = reorder(shape(logical, dir), dir);
  std::string out;
  out.reserve(logical_utf8.size());
  for (char32_t c : shown) core::append_utf8(out, c);
  return out;
}

}  // namespace allervers::app::bidi
