#include "allervers/app/bidi.hpp"

#include <algorithm>
#include <vector>

#include <fribidi.h>

#include "allervers/core/text.hpp"

namespace allervers::app::bidi {
namespace {

constexpr char32_t kLamAlefPlaceholder = 0xFEFF;  // where FriBiDi's ligature swallowed the alef

static_assert(sizeof(FriBidiCharType) == sizeof(std::uint32_t));
static_assert(sizeof(FriBidiLevel) == sizeof(std::int8_t));

bool rtl_code_point(char32_t c) {
  return (c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFE);
}

// P2–P3 with HL1's default: the first strong letter decides, the fallback when there is none.
FriBidiParType weak_par_type(Direction fallback) { return fallback == Direction::rtl ? FRIBIDI_PAR_WRTL : FRIBIDI_PAR_WLTR; }

std::string utf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t c : text) core::append_utf8(out, c);
  return out;
}

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

bool has_strong_letter(std::string_view utf8) {
  for (char32_t c : core::decode_utf8(utf8)) {
    const FriBidiCharType type = fribidi_get_bidi_type(static_cast<FriBidiChar>(c));
    if (FRIBIDI_IS_LETTER(type) && FRIBIDI_IS_STRONG(type)) return true;
  }
  return false;
}

bool is_format_character(char32_t c) {
  return c == 0x200E || c == 0x200F || c == 0x061C || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

bool has_format_characters(std::string_view utf8) {
  // Their UTF-8 starts with 0xD8 (U+061C) or 0xE2 0x80 / 0xE2 0x81: decode only from there.
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    const auto byte = static_cast<unsigned char>(utf8[i]);
    if (byte != 0xD8 && byte != 0xE2) continue;
    for (char32_t c : core::decode_utf8(utf8.substr(i)))
      if (is_format_character(c)) return true;
    return false;
  }
  return false;
}

std::string without_format_characters(std::string_view text) {
  if (!has_format_characters(text)) return std::string(text);
  std::u32string kept = core::decode_utf8(text);
  kept.erase(std::remove_if(kept.begin(), kept.end(), is_format_character), kept.end());
  return utf8(kept);
}

std::string isolate(std::string_view value) {
  std::string out;
  out.reserve(value.size() + 6);
  core::append_utf8(out, kFirstStrongIsolate);
  out.append(value);
  core::append_utf8(out, kPopDirectionalIsolate);
  return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator, bool rtl_screen) {
  const bool isolated = rtl_screen || std::any_of(parts.begin(), parts.end(), [](const std::string& p) { return has_rtl(p); });
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out.append(separator);
    out += isolated ? isolate(parts[i]) : parts[i];
  }
  return out;
}

Paragraph resolve(std::u32string_view logical, Direction fallback) {
  Paragraph p;
  p.direction = fallback;
  if (logical.empty()) return p;
  const auto len = static_cast<FriBidiStrIndex>(logical.size());
  std::vector<FriBidiChar> chars(logical.begin(), logical.end());
  std::vector<FriBidiCharType> types(logical.size());
  std::vector<FriBidiBracketType> brackets(logical.size());
  std::vector<FriBidiLevel> levels(logical.size());
  std::vector<FriBidiArabicProp> joining(logical.size());
  fribidi_get_bidi_types(chars.data(), len, types.data());
  fribidi_get_bracket_types(chars.data(), len, types.data(), brackets.data());
  FriBidiParType direction = weak_par_type(fallback);
  if (!fribidi_get_par_embedding_levels_ex(types.data(), brackets.data(), len, &direction, levels.data())) {
    p.shaped = logical;  // out of memory: drawn as stored, left to right
    p.types.assign(logical.size(), FRIBIDI_TYPE_LTR);
    p.levels.assign(logical.size(), 0);
    p.direction = Direction::ltr;
    return p;
  }
  p.direction = FRIBIDI_IS_RTL(direction) ? Direction::rtl : Direction::ltr;
  fribidi_get_joining_types(chars.data(), len, joining.data());
  fribidi_join_arabic(types.data(), len, levels.data(), joining.data());
  fribidi_shape(FRIBIDI_FLAG_SHAPE_MIRRORING | FRIBIDI_FLAGS_ARABIC, levels.data(), len, joining.data(), chars.data());
  p.shaped.reserve(chars.size());
  p.types.reserve(chars.size());
  p.levels.reserve(chars.size());
  for (std::size_t i = 0; i < chars.size(); ++i) {
    if (chars[i] == kLamAlefPlaceholder) continue;
    p.shaped.push_back(static_cast<char32_t>(chars[i]));
    p.types.push_back(types[i]);
    p.levels.push_back(levels[i]);
  }
  return p;
}

std::u32string visual_line(const Paragraph& p, std::size_t from, std::size_t to) {
  to = std::min(to, p.shaped.size());
  if (from >= to) return {};
  // FriBiDi reorders a line inside the paragraph's arrays (and resets its trailing spaces'
  // levels, L1): copies of this line's part, offset 0.
  const auto len = static_cast<FriBidiStrIndex>(to - from);
  std::vector<FriBidiChar> chars(p.shaped.begin() + static_cast<std::ptrdiff_t>(from), p.shaped.begin() + static_cast<std::ptrdiff_t>(to));
  std::vector<FriBidiCharType> types(p.types.begin() + static_cast<std::ptrdiff_t>(from), p.types.begin() + static_cast<std::ptrdiff_t>(to));
  std::vector<FriBidiLevel> levels(p.levels.begin() + static_cast<std::ptrdiff_t>(from), p.levels.begin() + static_cast<std::ptrdiff_t>(to));
  const FriBidiParType base = p.direction == Direction::rtl ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
  // Marks stay after their letter (REORDER_NSM): ImGui draws a mark over what precedes it.
  if (!fribidi_reorder_line(FRIBIDI_FLAG_REORDER_NSM, types.data(), len, 0, base, levels.data(), chars.data(), nullptr))
    chars.assign(p.shaped.begin() + static_cast<std::ptrdiff_t>(from), p.shaped.begin() + static_cast<std::ptrdiff_t>(to));
  std::u32string out;
  out.reserve(chars.size());
  for (FriBidiChar c : chars)
    if (!is_format_character(static_cast<char32_t>(c))) out.push_back(static_cast<char32_t>(c));
  return out;
}

Direction paragraph_direction(std::u32string_view logical, Direction fallback) {
  // P2: the first strong letter, skipping what lies between an isolate and its PDI.
  int isolates = 0;
  for (char32_t c : logical) {
    const FriBidiCharType type = fribidi_get_bidi_type(static_cast<FriBidiChar>(c));
    if (c >= 0x2066 && c <= 0x2068) {
      ++isolates;
    } else if (c == kPopDirectionalIsolate) {
      if (isolates > 0) --isolates;
    } else if (isolates == 0 && FRIBIDI_IS_LETTER(type) && FRIBIDI_IS_STRONG(type)) {
      return FRIBIDI_IS_RTL(type) ? Direction::rtl : Direction::ltr;
    }
  }
  return fallback;
}

std::string visual(std::string_view logical_utf8, Direction fallback) {
  const Paragraph p = resolve(core::decode_utf8(logical_utf8), fallback);
  return utf8(visual_line(p, 0, p.shaped.size()));
}

}  // namespace allervers::app::bidi
