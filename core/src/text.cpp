#include "allervers/core/text.hpp"

namespace allervers::core {
namespace {

// Decodes one code point at `i`; returns its length in bytes, 0 when the bytes are not UTF-8
// (overlong forms, surrogates and values past U+10FFFF included).
std::size_t decode(std::string_view s, std::size_t i, char32_t& cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  std::size_t len = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2; cp = b0 & 0x1Fu; min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3; cp = b0 & 0x0Fu; min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4; cp = b0 & 0x07u; min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

bool is_forbidden_control(char32_t cp, Lines lines) {
  if (cp == U'\n' || cp == U'\t') return lines == Lines::single;
  if (cp < 0x20 || cp == 0x7F) return true;
  return cp >= 0x80 && cp <= 0x9F;  // C1 controls
}

}  // namespace

std::optional<TextProblem> find_text_problem(std::string_view text, Lines lines) {
  std::size_t i = 0;
  while (i < text.size()) {
    char32_t cp = 0;
    const std::size_t len = decode(text, i, cp);
    if (len == 0) return TextProblem{TextProblem::Kind::invalid_utf8, i, 0};
    if (cp == 0) return TextProblem{TextProblem::Kind::nul_byte, i, 0};
    if (is_forbidden_control(cp, lines)) return TextProblem{TextProblem::Kind::control_character, i, cp};
    i += len;
  }
  return std::nullopt;
}

std::size_t code_point_count(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

bool is_blank(std::string_view text) {
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return true;
}

std::string_view trim_ows(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

void erase_last_code_point(std::string& text) {
  while (!text.empty()) {
    const auto c = static_cast<unsigned char>(text.back());
    text.pop_back();
    if ((c & 0xC0) != 0x80) break;  // stopped after removing a lead (or ASCII) byte
  }
}

std::u32string decode_utf8(std::string_view text) {
  std::u32string out;
  std::size_t i = 0;
  while (i < text.size()) {
    char32_t cp = 0;
    const std::size_t len = decode(text, i, cp);
    out.push_back(len == 0 ? U'\uFFFD' : cp);
    i += len == 0 ? 1 : len;
  }
  return out;
}

const std::string& LocalizedText::in(const std::string& language) const {
  static const std::string empty;
  if (auto it = by_language_.find(language); it != by_language_.end()) return it->second;
  if (auto it = by_language_.find("fr"); it != by_language_.end()) return it->second;
  if (!by_language_.empty()) return by_language_.begin()->second;
  return empty;
}

}  // namespace allervers::core

namespace allervers::core {
namespace {

// Base letters of U+00C0 … U+017F (Latin-1 Supplement letters and Latin Extended-A), lower case;
// '\0' where the code point is not folded to one ASCII letter (×, ÷, and those handled apart).
constexpr char kLatinBase[] =
    "aaaaaaaceeeeiiiidnooooo\0ouuuuyts"  // U+00C0 … U+00DF (Æ, ×, ß apart)
    "aaaaaaaceeeeiiiidnooooo\0ouuuuyty"  // U+00E0 … U+00FF (æ, ÷ apart)
    "aaaaaaccccccccdddd"                  // U+0100 … U+0111
    "eeeeeeeeeegggggggghhhh"              // U+0112 … U+0127
    "iiiiiiiiii\0\0jjkkk"                 // U+0128 … U+0138 (Ĳ ĳ apart)
    "llllllllllnnnnnnnnn"                 // U+0139 … U+014B (ŉ kept as n)
    "oooooo\0\0rrrrrrssssssss"            // U+014C … U+0161 (Œ œ apart)
    "ttttttuuuuuuuuuuuuwwyyyzzzzzzs";     // U+0162 … U+017F
static_assert(sizeof(kLatinBase) - 1 == 0x180 - 0xC0, "one base letter per code point of U+00C0 … U+017F");

// Appends the folded form of one code point.
void fold_one(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp));
    return;
  }
  switch (cp) {
    case 0xC6: case 0xE6: out += "ae"; return;                 // Æ æ
    case 0x152: case 0x153: out += "oe"; return;               // Œ œ
    case 0xDF: out += "ss"; return;                            // ß
    case 0x132: case 0x133: out += "ij"; return;               // Ĳ ĳ
    case 0x2018: case 0x2019: case 0x201B: case 0x2032: case 0xB4: out += '\''; return;  // ‘ ’ ‛ ′ ´
    case 0x201C: case 0x201D: case 0x201E: case 0xAB: case 0xBB: out += '"'; return;     // “ ” „ « »
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: out += '-'; return;  // hyphens and dashes
    case 0xA0: case 0x202F: case 0x2009: out += ' '; return;   // no-break and thin spaces
    default: break;
  }
  if (cp >= 0xC0 && cp < 0x180 && kLatinBase[cp - 0xC0] != '\0') {
    out.push_back(kLatinBase[cp - 0xC0]);
    return;
  }
  if ((cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) || (cp >= 0x410 && cp <= 0x42F)) cp += 0x20;  // Greek, Cyrillic capitals
  else if (cp >= 0x400 && cp <= 0x40F) cp += 0x50;                                             // Ѐ … Џ
  append_utf8(out, cp);
}

}  // namespace

std::string fold_for_search(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const std::size_t len = decode(text, i, cp);
    if (len == 0) {  // not UTF-8: dropped
      ++i;
      continue;
    }
    i += len;
    const bool blank = cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0 || cp == 0x202F || cp == 0x2009;
    if (blank) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    fold_one(out, cp);
  }
  return out;
}

}  // namespace allervers::core
