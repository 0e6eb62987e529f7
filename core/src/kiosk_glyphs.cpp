#include "allervers/core/kiosk_glyphs.hpp"

#include <cstdio>
#include <functional>

#include "allervers/core/text.hpp"

namespace allervers::core {

namespace {

struct Range {
  char32_t first, last;
};

// As app/src/fonts_style.cpp loads them (its kFrenchRanges and kArabicRanges), plus the Arabic
// letters shaping turns into presentation forms.
constexpr Range kDrawn[] = {
    {0x0020, 0x017F},  // Basic Latin, Latin-1, Latin Extended-A (é « » œ ğ ş ı)
    {0x0600, 0x063A},  // Arabic signs and punctuation, hamza, the letters to ghain
    {0x0640, 0x066D},  // tatweel, the letters fa to ya, tashkeel, Arabic-Indic digits, ٪ ٫ ٬
    {0x0670, 0x0670},  // superscript alef
    {0x2000, 0x206F},  // General Punctuation (’ — … narrow no-break space, direction marks)
    {0x20AC, 0x20AC},  // €
    {0x2190, 0x21FF},  // arrows
    {0x2212, 0x2212},  // −
    {0x2300, 0x23FF},  // ⌫
    {0x25A0, 0x25FF},  // ● ○
    {0x2713, 0x2714},  // ✓
    {0xFE70, 0xFEFF},  // Arabic Presentation Forms-B
};

}  // namespace

bool kiosk_draws(char32_t c) {
  if (c == U'\n' || c == U'\t') return true;
  for (const Range& r : kDrawn)
    if (c >= r.first && c <= r.last) return true;
  return false;
}

std::string characters_not_drawn(std::u32string_view text, bool (*drawn)(char32_t)) {
  std::string out;
  std::u32string seen;
  for (char32_t c : text) {
    if (drawn(c) || seen.find(c) != std::u32string::npos) continue;
    seen.push_back(c);
    if (seen.size() > 5) {
      out += ", …";
      break;
    }
    char code[16];
    std::snprintf(code, sizeof code, "U+%04X ", static_cast<unsigned>(c));
    if (!out.empty()) out += ", ";
    out += code;
    append_utf8(out, c);
  }
  return out;
}

std::string characters_kiosks_cannot_draw(std::string_view text) { return characters_not_drawn(decode_utf8(text), kiosk_draws); }

std::vector<UndrawableText> undrawable_texts(const Catalog& catalog, const std::string& consultation) {
  std::vector<UndrawableText> out;
  for (const Consultation* c : catalog.current()) {
    if (!consultation.empty() && c->id != consultation) continue;
    const auto check = [&](const LocalizedText& text, const std::string& where) {
      for (const auto& [language, value] : text.all())
        if (auto missing = characters_kiosks_cannot_draw(value); !missing.empty())
          out.push_back({c->id, c->version, language, where, std::move(missing)});
    };
    const auto option = [&](const Option& o, const std::string& where) {
      check(o.label, where);
      check(o.easy, where + ", easy-read");
    };
    check(c->title, "title");
    check(c->summary, "summary");
    for (const auto& q : c->questions) {
      const std::string where = "question " + q.id;
      check(q.label, where);
      check(q.help, where + ", help");
      check(q.easy, where + ", easy-read");
      for (const auto& o : q.options) option(o, where + ", option " + o.id);
    }
    for (const auto& t : c->ideas.themes) option(t, "idea theme " + t.id);
  }
  return out;
}

}  // namespace allervers::core
