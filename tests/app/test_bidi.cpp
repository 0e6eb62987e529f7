// Arabic right to left: our shaping and reordering (FriBiDi, bidi.hpp) against HarfBuzz as an
// independent reference, mixed text in reader order, and every glyph present in the atlas.
#include <catch2/catch.hpp>

#include <hb.h>

#include <fstream>
#include <functional>
#include <memory>
#include <set>
#include <nlohmann/json.hpp>

#include "allervers/app/bidi.hpp"
#include "allervers/app/fonts_style.hpp"
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
