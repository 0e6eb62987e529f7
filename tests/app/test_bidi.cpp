// Arabic right to left: our shaping and reordering (FriBiDi, bidi.hpp) against HarfBuzz as an
// independent reference, mixed text in reader order against ICU's bidi as another (a French
// answer on an Arabic screen, a Latin street name in an Arabic sentence, a value inserted into
// a translated sentence), and every glyph present in the atlas.
#include <catch2/catch.hpp>

#include <hb.h>
#include <unicode/ubidi.h>
#include <unicode/ushape.h>
#include <unicode/ustring.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <set>
#include <nlohmann/json.hpp>

#include "allervers/app/bidi.hpp"
#include "allervers/app/fonts_style.hpp"
#include "allervers/app/translations.hpp"
#include "allervers/core/kiosk_glyphs.hpp"
#include "allervers/core/text.hpp"
#include "harness.hpp"
#include "test_support.hpp"

using namespace allervers;
using app::bidi::Direction;

namespace {

// HarfBuzz with the font the app merges into its atlas.
class Reference {
 public:
  explicit Reference(const std::string& path)
      : blob_(hb_blob_create_from_file(path.c_str()), hb_blob_destroy),
        face_(hb_face_create(blob_.get(), 0), hb_face_destroy),
        font_(hb_font_create(face_.get()), hb_font_destroy) {}

  bool loaded() const { return hb_face_get_glyph_count(face_.get()) > 0; }

  // The glyphs HarfBuzz draws for one right-to-left run, left to right. The features an ImGui
  // atlas cannot draw (one glyph per code point, no kerning) are off: optional ligatures,
  // contextual alternates, kerning, mark positioning. Joining forms (init, medi, fina, isol)
  // and the required lam-alef ligature (rlig) stay on: those are what shaping must match.
  std::vector<hb_codepoint_t> shape(std::string_view utf8, bool required_ligatures = true) const {
    std::unique_ptr<hb_buffer_t, decltype(&hb_buffer_destroy)> buffer(hb_buffer_create(), hb_buffer_destroy);
    hb_buffer_add_utf8(buffer.get(), utf8.data(), static_cast<int>(utf8.size()), 0, -1);
    hb_buffer_set_direction(buffer.get(), HB_DIRECTION_RTL);
    hb_buffer_set_script(buffer.get(), HB_SCRIPT_ARABIC);
    hb_buffer_set_language(buffer.get(), hb_language_from_string("ar", -1));
    std::vector<hb_feature_t> features;
    for (const char* off : {"liga=0", "calt=0", "kern=0", "dlig=0", "rlig=0"}) {
      if (required_ligatures && std::string_view(off) == "rlig=0") continue;
      hb_feature_t f;
      hb_feature_from_string(off, -1, &f);
      features.push_back(f);
    }
    hb_shape(font_.get(), buffer.get(), features.data(), static_cast<unsigned>(features.size()));
    unsigned n = 0;
    const hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buffer.get(), &n);
    std::vector<hb_codepoint_t> out;
    for (unsigned i = 0; i < n; ++i) out.push_back(info[i].codepoint);
    return out;
  }

  bool is_mark(hb_codepoint_t glyph) const { return hb_font_get_glyph_h_advance(font_.get(), glyph) == 0; }

  // The glyph the atlas holds for a code point (the font's cmap: what ImGui loads).
  hb_codepoint_t glyph(char32_t c) const {
    hb_codepoint_t g = 0;
    hb_font_get_nominal_glyph(font_.get(), c, &g);
    return g;
  }

  // A glyph's outline as text: two glyph ids drawing the same picture (an isolated letter and
  // its isolated presentation form are often two copies) compare equal.
  std::string outline(hb_codepoint_t glyph) const {
    std::string out;
    std::unique_ptr<hb_draw_funcs_t, decltype(&hb_draw_funcs_destroy)> funcs(hb_draw_funcs_create(), hb_draw_funcs_destroy);
    hb_draw_funcs_set_move_to_func(funcs.get(), [](hb_draw_funcs_t*, void* d, hb_draw_state_t*, float x, float y, void*) {
      *static_cast<std::string*>(d) += "M" + std::to_string(int(x)) + "," + std::to_string(int(y));
    }, nullptr, nullptr);
    hb_draw_funcs_set_line_to_func(funcs.get(), [](hb_draw_funcs_t*, void* d, hb_draw_state_t*, float x, float y, void*) {
      *static_cast<std::string*>(d) += "L" + std::to_string(int(x)) + "," + std::to_string(int(y));
    }, nullptr, nullptr);
    hb_draw_funcs_set_quadratic_to_func(funcs.get(), [](hb_draw_funcs_t*, void* d, hb_draw_state_t*, float, float, float x, float y, void*) {
      *static_cast<std::string*>(d) += "Q" + std::to_string(int(x)) + "," + std::to_string(int(y));
    }, nullptr, nullptr);
    hb_draw_funcs_set_cubic_to_func(funcs.get(), [](hb_draw_funcs_t*, void* d, hb_draw_state_t*, float, float, float, float, float x, float y, void*) {
      *static_cast<std::string*>(d) += "C" + std::to_string(int(x)) + "," + std::to_string(int(y));
    }, nullptr, nullptr);
    hb_font_get_glyph_shape(font_.get(), glyph, funcs.get(), &out);
    return out + "/" + std::to_string(hb_font_get_glyph_h_advance(font_.get(), glyph));
  }

 private:
  std::unique_ptr<hb_blob_t, decltype(&hb_blob_destroy)> blob_;
  std::unique_ptr<hb_face_t, decltype(&hb_face_destroy)> face_;
  std::unique_ptr<hb_font_t, decltype(&hb_font_destroy)> font_;
};

std::u32string shown(std::string_view utf8) { return core::decode_utf8(app::bidi::visual(utf8, Direction::rtl)); }

// A text HarfBuzz can shape as one run: Arabic letters, spaces and neutral punctuation (no
// digit, no Latin letter: those would be a left-to-right run inside it, HarfBuzz does no bidi).
bool one_rtl_run(std::string_view utf8) {
  for (char32_t c : core::decode_utf8(utf8)) {
    if (c < 0x80 && (std::isalnum(static_cast<int>(c)) || c == '{' || c == '}')) return false;
    if (c >= 0x80 && c < 0x0600 && c != 0xA0 && c != 0xAB && c != 0xBB) return false;
    if (c >= 0x0660 && c <= 0x0669) return false;  // Arabic-Indic digits: a number, not letters
  }
  return app::bidi::has_rtl(utf8);
}

std::vector<std::string> arabic_texts() {
  std::vector<std::string> out;
  std::ifstream in(test::assets_dir() / "i18n" / "ar.json");
  const auto json = nlohmann::json::parse(in);
  for (const auto& [key, value] : json.items()) out.push_back(value.get<std::string>());
  std::ifstream catalog_in(test::assets_dir() / "demo" / "catalog.json");
  const auto catalog = nlohmann::json::parse(catalog_in);
  // Every {"ar": "…"} of the demo catalog that is drawn (a spoken form is only heard).
  std::function<void(const nlohmann::json&)> walk = [&](const nlohmann::json& j) {
    if (j.is_object()) {
      if (auto it = j.find("ar"); it != j.end() && it->is_string()) out.push_back(it->get<std::string>());
      for (const auto& [k, v] : j.items())
        if (k != "spoken") walk(v);
    } else if (j.is_array()) {
      for (const auto& v : j) walk(v);
    }
  };
  walk(catalog);
  return out;
}

}  // namespace

namespace {
// Our glyphs for `text` against HarfBuzz's: the same glyph, or one drawing the same outline.
// Code points the Arabic font lacks (…, «) must be the Latin font's.
bool same_glyphs(Reference& hb, const Reference& latin, std::string_view text, bool required_ligatures) {
  auto reference = hb.shape(text, required_ligatures);
  // HarfBuzz gives a right-to-left cluster reversed, its mark before its letter, and places the
  // mark with the font's anchors; ImGui draws a mark over what it drew just before, so ours
  // follows its letter. Same glyphs, same letter: the mark is moved after it for comparison.
  for (std::size_t i = 0; i + 1 < reference.size(); ++i)
    if (hb.is_mark(reference[i]) && !hb.is_mark(reference[i + 1])) {
      std::swap(reference[i], reference[i + 1]);
      ++i;
    }
  const std::u32string drawn = shown(text);
  if (drawn.size() != reference.size()) return false;
  for (std::size_t i = 0; i < drawn.size(); ++i) {
    const hb_codepoint_t ours = hb.glyph(drawn[i]);
    if (ours == 0) {
      if (reference[i] != 0 || latin.glyph(drawn[i]) == 0) return false;
    } else if (ours != reference[i] && hb.outline(ours) != hb.outline(reference[i])) {
      return false;
    }
  }
  return true;
}
}  // namespace

TEST_CASE("Arabic is shaped and ordered as HarfBuzz shapes it, with the font the atlas uses") {
  Reference hb(ALLERVERS_ARABIC_FONT);
  const Reference latin(ALLERVERS_DEFAULT_FONT);
  REQUIRE(hb.loaded());
  int compared = 0, optional_ligature_words = 0;
  for (const auto& text : arabic_texts()) {
    // Line by line as drawn: a paragraph with a line break is two runs.
    for (std::size_t from = 0; from <= text.size();) {
      const std::size_t nl = text.find('\n', from);
      const std::string line = text.substr(from, nl == std::string::npos ? std::string::npos : nl - from);
      from = nl == std::string::npos ? text.size() + 1 : nl + 1;
      if (!one_rtl_run(line)) continue;
      INFO(line);
      ++compared;
      if (same_glyphs(hb, latin, line, true)) continue;
      // Noto's required ligatures go beyond Unicode's lam-alef (lam with alef maksura, "إلى"):
      // FriBiDi's shaping forms only lam-alef, so a word holding another is drawn as its
      // joined letters, which HarfBuzz gives with the ligatures off. Every other word matches.
      for (std::size_t w = 0; w <= line.size();) {
        const std::size_t sp = line.find(' ', w);
        const std::string word = line.substr(w, sp == std::string::npos ? std::string::npos : sp - w);
        w = sp == std::string::npos ? line.size() + 1 : sp + 1;
        if (word.empty()) continue;
        INFO(word);
        if (same_glyphs(hb, latin, word, true)) continue;
        ++optional_ligature_words;
        CHECK(same_glyphs(hb, latin, word, false));
      }
    }
  }
  CHECK(compared >= 150);  // most of the app's Arabic strings are one run
  CHECK(optional_ligature_words < compared / 4);
}

TEST_CASE("lam-alef becomes one ligature and the placeholder FriBiDi leaves is dropped") {
  const auto s = shown("لا");
  REQUIRE(s.size() == 1);
  CHECK(s[0] == 0xFEFB);  // ARABIC LIGATURE LAM WITH ALEF ISOLATED FORM
  for (char32_t c : shown("لا، شكراً")) CHECK(c != 0xFEFF);
}

TEST_CASE("numbers and Latin names inside Arabic come out in reader order") {
  // "السؤال 1 من 10": read from the right, "Question 1 of 10"; numbers keep their digit order.
  const std::string progress = app::bidi::visual("السؤال 1 من 10", Direction::rtl);
  const auto ten = progress.find("10"), one = progress.find(" 1 ");
  REQUIRE(ten != std::string::npos);
  REQUIRE(one != std::string::npos);
  CHECK(ten < one);  // the last number read is the leftmost
  CHECK(progress.find("01") == std::string::npos);

  // A street's Latin name stays one left-to-right run, at the end of the reading (the left).
  const std::string street = app::bidi::visual("مقاعد في ساحة Jean-Jaurès اليوم", Direction::rtl);
  const auto name = street.find("Jean-Jaurès");
  REQUIRE(name != std::string::npos);
  const std::u32string before = core::decode_utf8(street.substr(0, name));
  const std::u32string after = core::decode_utf8(street.substr(name + std::string("Jean-Jaurès").size()));
  // "اليوم" (read last) is left of the name, "مقاعد" (read first) right of it.
  CHECK(app::bidi::has_rtl(street.substr(0, name)));
  CHECK(after.find(0xFEE3) != std::u32string::npos);  // meem initial: "مقاعد" starts the sentence, at the right

  // A French text shown in an Arabic screen (a missing translation) keeps its own order.
  CHECK(app::bidi::visual("Jamais ?", Direction::rtl) == "Jamais ?");
  // Brackets face the right way inside Arabic: "أين؟ (اختياري)" drawn left to right is
  // "(…) ؟…" with the reading's closing bracket, mirrored, leftmost; its first letter rightmost.
  const std::u32string bracketed = shown("أين؟ (اختياري)");
  CHECK(bracketed.front() == U'(');
  CHECK(bracketed.find(U')') > bracketed.find(U'('));
  CHECK(bracketed.back() == 0xFE83);  // alef with hamza above, isolated: "أين" starts the reading
  (void)before;
}

// --- reading order against ICU --------------------------------------------------------------

namespace {

// ICU's bidirectional algorithm (ubidi) and Arabic shaping (u_shapeArabic), which share no code
// with FriBiDi: a one-line paragraph as it must be drawn left to right. `fallback_rtl`: the
// paragraph's direction when it has no strong letter (ICU's UBIDI_DEFAULT_RTL / _LTR: first
// strong letter, rules P2–P3, as ours).
std::u32string icu_visual(std::string_view utf8, bool fallback_rtl) {
  UErrorCode err = U_ZERO_ERROR;
  std::vector<UChar> text(utf8.size() + 1);
  int32_t len = 0;
  u_strFromUTF8(text.data(), static_cast<int32_t>(text.size()), &len, utf8.data(), static_cast<int32_t>(utf8.size()), &err);
  REQUIRE(U_SUCCESS(err));
  std::unique_ptr<UBiDi, decltype(&ubidi_close)> bidi(ubidi_open(), ubidi_close);
  ubidi_setPara(bidi.get(), text.data(), len, fallback_rtl ? UBIDI_DEFAULT_RTL : UBIDI_DEFAULT_LTR, nullptr, &err);
  std::vector<UChar> visual(static_cast<std::size_t>(len) * 2 + 1);
  const int32_t n = ubidi_writeReordered(bidi.get(), visual.data(), static_cast<int32_t>(visual.size()),
                                         UBIDI_DO_MIRRORING | UBIDI_REMOVE_BIDI_CONTROLS, &err);
  REQUIRE(U_SUCCESS(err));
  std::vector<UChar> shaped(static_cast<std::size_t>(n) * 2 + 1);
  const int32_t m = u_shapeArabic(visual.data(), n, shaped.data(), static_cast<int32_t>(shaped.size()),
                                  U_SHAPE_LETTERS_SHAPE | U_SHAPE_TEXT_DIRECTION_VISUAL_LTR, &err);
  REQUIRE(U_SUCCESS(err));
  std::vector<UChar32> out(static_cast<std::size_t>(m) + 1);
  int32_t count = 0;
  u_strToUTF32(out.data(), static_cast<int32_t>(out.size()), &count, shaped.data(), m, &err);
  REQUIRE(U_SUCCESS(err));
  return {out.begin(), out.begin() + count};
}

std::u32string ours(std::string_view utf8, bool rtl_screen) {
  return core::decode_utf8(app::bidi::visual(utf8, rtl_screen ? Direction::rtl : Direction::ltr));
}

bool holds(const std::u32string& drawn, std::string_view run) { return drawn.find(core::decode_utf8(run)) != std::u32string::npos; }

}  // namespace

TEST_CASE("a French text on an Arabic screen keeps its full stop at its end, as ICU orders it") {
  // The town's answer alone: a paragraph of its own, left to right from its first letter.
  const std::string answer = "Début du chantier devant la médiathèque.";
  CHECK(ours(answer, true) == icu_visual(answer, true));
  CHECK(ours(answer, true) == core::decode_utf8(answer));

  // A milestone: the day in Arabic, then the town's French words. Put side by side as they are,
  // the sentence is Arabic (its first letter) and the French full stop, neutral between the
  // French and the paragraph's end, goes to the left: « .Début du chantier ».
  const std::string day = "1 مارس 2027";
  const std::string plain = day + " — " + answer;
  CHECK(ours(plain, true) == icu_visual(plain, true));
  CHECK_FALSE(holds(ours(plain, true), answer));
  // Joined as isolates, each reads in its own direction, the whole in the screen's.
  const std::string milestone = app::bidi::join({day, answer}, " — ", true);
  const std::u32string drawn = ours(milestone, true);
  CHECK(drawn == icu_visual(milestone, true));
  REQUIRE(holds(drawn, answer));
  CHECK(holds(drawn, "2027"));
  // The day read first: at the right; the answer after it: at the left.
  CHECK(drawn.find(core::decode_utf8(answer)) < drawn.find(U"2027"));
  CHECK(drawn.find(app::bidi::kFirstStrongIsolate) == std::u32string::npos);  // steers, never drawn

  // On a French screen with nothing right to left, nothing is added.
  CHECK(app::bidi::join({"1 mars 2027", answer}, " — ", false) == "1 mars 2027 — " + answer);
}

TEST_CASE("a value put into a translated sentence reads in its own direction, as ICU orders it") {
  const auto ar = app::Translations::load(test::assets_dir() / "i18n", "ar");
  const auto fr = app::Translations::load(test::assets_dir() / "i18n", "fr");
  // The resident's French idea title in the Arabic sentence « فكرتك: «{title}» ».
  const std::string title = "Des bancs place Jean-Jaurès.";
  const std::string sentence = ar.format("follow.idea.your_idea", {{"title", title}});
  const std::u32string drawn = ours(sentence, true);
  CHECK(drawn == icu_visual(sentence, true));
  CHECK(holds(drawn, title));  // its full stop where its author put it
  CHECK(drawn.back() == core::decode_utf8(app::bidi::visual("فكرتك", Direction::rtl)).back());  // the sentence starts at the right

  // An Arabic value in a French sentence: the French reads from the left, the Arabic whole.
  const std::string arabic_title = "مقاعد في ساحة 8 مايو.";
  const std::string fr_sentence = fr.format("follow.idea.your_idea", {{"title", arabic_title}});
  CHECK(ours(fr_sentence, false) == icu_visual(fr_sentence, false));
  CHECK(ours(fr_sentence, false).substr(0, 10) == U"Votre idée");
  CHECK(holds(ours(fr_sentence, false), app::bidi::visual(arabic_title, Direction::rtl)));

  // A date put together from its values ("{day} {month} {year}": no letter of its own) into an
  // Arabic sentence reads as the same sentence typed in one piece: day, month, year from the right.
  const std::string date = ar.format("date.day", {{"day", "1"}, {"month", ar.get("date.month.12")}, {"year", "2026"}});
  const std::string as_of = ar.format("follow.as_of", {{"date", date}, {"time", "04:36"}});
  const std::string typed = "معلومات البلدية التي تلقاها هذا الجهاز يوم 1 ديسمبر 2026 على الساعة 04:36.";
  REQUIRE(app::bidi::without_format_characters(as_of) == typed);
  CHECK(ours(as_of, true) == icu_visual(typed, true));

  // Left to right into left to right: the text as it always was (words compared in tests, read aloud).
  CHECK(fr.format("follow.code", {{"code", "K7QM-2XHD"}}) == "Code\u00a0: K7QM-2XHD");
}

TEST_CASE("an Arabic sentence with a Latin street name and numbers reads as ICU orders it") {
  for (const std::string text : {"نلتقي في ساحة Jean-Jaurès رقم 12.", "السؤال 3 من 10", "الموعد يوم 12 ماي على الساعة 18:30.",
                                 "مقاعد (اختياري) في شارع Victor Hugo، قرب المدرسة.", "12 €"}) {
    INFO(text);
    CHECK(ours(text, true) == icu_visual(text, true));
  }
  // Drawn as ICU draws it: the street's name whole, left of what is read before it.
  const std::u32string drawn = ours("نلتقي في ساحة Jean-Jaurès رقم 12.", true);
  REQUIRE(holds(drawn, "Jean-Jaurès"));
  CHECK(drawn.find(U"12") < drawn.find(U"Jean-Jaurès"));
  CHECK(drawn.front() == U'.');  // the Arabic sentence's full stop ends it: at the left
}

TEST_CASE("a paragraph wrapped on several lines is ordered with the levels of the whole paragraph") {
  // An isolate cut by the line's end: its second line still reads left to right inside it.
  const std::string text = app::bidi::join({"فكرتك", "Des bancs place Jean-Jaurès."}, ": ", true);
  const app::bidi::Paragraph p = app::bidi::resolve(core::decode_utf8(text), Direction::rtl);
  CHECK(p.direction == Direction::rtl);
  const std::size_t cut = p.shaped.find(U"place");
  REQUIRE(cut != std::u32string::npos);
  CHECK(app::bidi::visual_line(p, cut, p.shaped.size()) == U"place Jean-Jaurès.");
  // The first line: the Arabic at the right, the start of the French at the left.
  const std::u32string first = app::bidi::visual_line(p, 0, cut - 1);
  CHECK(first.substr(0, 9) == U"Des bancs");
  CHECK(app::bidi::paragraph_direction(core::decode_utf8(app::bidi::isolate("Bonjour") + " مرحبا"), Direction::ltr) == Direction::rtl);
}

TEST_CASE("the office's list of letters a kiosk draws is the kiosk's own, code point by code point") {
  // core::kiosk_draws tells the coordinator (missing-translations, the console's editor) which
  // catalog texts would show as empty boxes; it must say what the kiosk's atlas really holds.
  std::vector<std::string> disagree;
  for (char32_t c = 0x20; c <= 0xFFFD; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;  // surrogates: not characters
    if (app::bidi::is_format_character(c)) continue;  // never drawn, never reported
    std::string text;
    core::append_utf8(text, c);
    const bool kiosk = app::characters_without_glyph(text).empty();
    if (kiosk != core::kiosk_draws(c) && disagree.size() < 20) {
      char code[16];
      std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
      disagree.push_back(std::string(code) + (kiosk ? " drawn by the kiosk" : " not drawn by the kiosk"));
    }
  }
  std::string said;
  for (const auto& d : disagree) said += d + "\n";
  INFO(said);
  CHECK(disagree.empty());
}
