#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <string>
#include <vector>
#include <set>

#include "allervers/app/translations.hpp"
#include "allervers/app/view_state.hpp"
#include "allervers/core/text.hpp"
#include "allervers/core/capture_kinds.hpp"
#include "test_support.hpp"

using namespace allervers;

namespace {

constexpr const char* kShipped[] = {"fr", "en", "ar", "pt", "es", "tr"};

// Whether a text has words to translate: letters left once its {placeholders} are taken out
// ("{quartier}", "{day} {month} {year}" and "1 {month} {year}" have none).
bool has_words(const std::string& text) {
  bool in_placeholder = false;
  for (char32_t c : core::decode_utf8(text)) {
    if (c == U'{') in_placeholder = true;
    else if (c == U'}') in_placeholder = false;
    else if (in_placeholder) continue;
    else if (c < 0x80 ? std::isalpha(static_cast<int>(c)) != 0
                      // Any script's letters; not the marks French sets between words (no-break
                      // spaces, « », the middle dot, ’ and the dashes).
                      : !(c <= 0xBF || (c >= 0x2000 && c <= 0x206F)))
      return true;
  }
  return false;
}

// Texts that are rightly the same as French's or English's, each with its reason.
struct AllowedCopy {
  const char* language;  // "*": any
  const char* key;
  const char* why;
};
constexpr AllowedCopy kAllowedCopies[] = {
    {"*", "keyboard.layout", "a layout's code (azerty, qwerty), not words"},
    {"*", "keyboard.ok", "« OK » reads the same in these languages"},
    {"*", "staff.idle_value", "« s », the symbol for seconds"},
    {"es", "answer.no", "Spanish's « No » is spelled as English's"},
};

bool allowed_copy(const std::string& language, const std::string& key) {
  for (const auto& a : kAllowedCopies)
    if ((std::string(a.language) == "*" || a.language == language) && a.key == key) return true;
  return false;
}

}  // namespace

TEST_CASE("French is first, English is complete, every language names itself") {
  const auto dir = test::assets_dir() / "i18n";
  const auto languages = app::available_languages(dir);
  REQUIRE(languages.size() >= 6);
  CHECK(languages.front() == "fr");
  for (const char* shipped : {"fr", "en", "ar", "pt", "es", "tr"})
    CHECK(std::find(languages.begin(), languages.end(), shipped) != languages.end());
  const auto fr = app::Translations::load(dir, "fr");
  for (const auto& language : languages) {
    const auto other = app::Translations::load(dir, language);
    INFO(language);
    CHECK(other.has("language.name"));  // its button on the welcome screen, in its own script
    // Every language the app ships is complete: a screen that lands in French lands in all six
    // (a town's own file may lag: the loader lists what falls back, the kiosk's log says it).
    if (std::find(std::begin(kShipped), std::end(kShipped), language) != std::end(kShipped)) {
      const auto missing = other.missing_keys();
      INFO("missing: " << Catch::Detail::stringify(missing));
      CHECK(missing.empty());
    }
  }
}

TEST_CASE("no text is left in English or French in another language (names, codes and numbers aside)") {
  const auto dir = test::assets_dir() / "i18n";
  const auto fr = app::Translations::load(dir, "fr");
  const auto en = app::Translations::load(dir, "en");
  std::vector<std::string> copied;
  for (const auto& language : app::available_languages(dir)) {
    if (language == "fr") continue;
    const auto other = app::Translations::load(dir, language);
    for (const auto& [key, text] : other.own()) {
      const bool as_french = fr.has(key) && fr.get(key) == text;
      const bool as_english = language != "en" && en.has(key) && en.get(key) == text;
      if ((as_french || as_english) && has_words(text) && !allowed_copy(language, key))
        copied.push_back(language + ".json " + key + ": « " + text + " » is " + (as_french ? "French's" : "English's"));
    }
  }
  INFO(Catch::Detail::stringify(copied));
  CHECK(copied.empty());
  // The rule itself: a copied sentence is caught, a bare placeholder or a number is not.
  CHECK(has_words("Choose at least one project."));
  CHECK_FALSE(has_words("{quartier}"));
  CHECK_FALSE(has_words("{weekday} {day} {month} · {time}"));
  CHECK_FALSE(has_words("1 {month} {year}"));
  CHECK(has_words("Résultats du vote"));
  CHECK(allowed_copy("es", "answer.no"));
  CHECK_FALSE(allowed_copy("pt", "answer.no"));
}

TEST_CASE("French typography: no-break spaces before two-part punctuation, « » with inner spaces") {
  const auto fr = app::Translations::load(test::assets_dir() / "i18n", "fr");
  for (const auto& [key, text] : fr.own()) {
    INFO(key << ": " << text);
    for (const char* bad : {" :", " ;", " ?", " !", "« ", " »", "'"}) CHECK(text.find(bad) == std::string::npos);
  }
  CHECK(fr.get("thanks.title") == "Merci\u202F!");
}

TEST_CASE("missing keys fall back to French, then to the key, and placeholders are filled") {
  test::TempDir dir;
  test::write_file(dir / "fr.json", R"({"a": "Bonjour {name}", "b": "Seulement en français"})");
  test::write_file(dir / "de.json", R"({"a": "Hallo {name}"})");
  const auto de = app::Translations::load(dir.path(), "de");
  CHECK(de.format("a", {{"name", "Élodie"}}) == "Hallo Élodie");
  CHECK(de.get("b") == "Seulement en français");
  CHECK(de.get("c") == "c");
  // French is the reference: broken, nothing can fall back on it.
  test::write_file(dir / "fr.json", "{oops");
  CHECK_THROWS_WITH(app::Translations::load(dir.path(), "de"), Catch::Contains("not valid JSON"));
}

TEST_CASE("a broken translation file is said by file, line and key, and French shows for what is broken") {
  test::TempDir dir;
  test::write_file(dir / "fr.json", "{\n  \"a\": \"Question {n} sur {total}\",\n  \"b\": \"Bonjour\",\n  \"c\": \"Merci\",\n  \"d\": \"Au revoir\"\n}\n");
  SECTION("a wrong placeholder") {
    test::write_file(dir / "xx.json", "{\n  \"a\": \"Question {n} of {count}\",\n  \"b\": \"Hello\",\n  \"c\": 3\n}\n");
    const auto xx = app::Translations::load(dir.path(), "xx");
    REQUIRE(xx.problems().size() == 2);
    CHECK(xx.problems()[0] == "xx.json, line 4, key c: the value is not a text (French shows instead)");
    CHECK(xx.problems()[1] ==
          "xx.json, line 2, key a: the placeholder {total} is missing; the placeholder {count} is not French's (French shows instead)");
    CHECK(xx.format("a", {{"n", "1"}, {"total", "3"}}) == "Question 1 sur 3");  // French, readable
    CHECK(xx.get("b") == "Hello");
    CHECK(xx.missing_keys() == std::vector<std::string>{"a", "c", "d"});
  }
  SECTION("invalid UTF-8 and a missing comma: the file is read line by line") {
    test::write_file(dir / "yy.json", "{\n  \"a\": \"Frage {n} von {total}\"\n  \"b\": \"Hall\xC3\x28o\",\n  \"c\": \"Danke\",\n  \"d\" \"Tschüss\"\n}\n");
    const auto yy = app::Translations::load(dir.path(), "yy");
    REQUIRE(yy.problems().size() == 3);
    CHECK(yy.problems()[0] == "yy.json: the file is not valid JSON; it was read line by line");
    CHECK(yy.problems()[1] == "yy.json, line 3, key b: not valid UTF-8 (byte 13 of the line) (French shows instead)");
    CHECK(yy.problems()[2] == "yy.json, line 5, key d: not a \"key\": \"text\" line (French shows instead)");
    CHECK(yy.get("a") == "Frage {n} von {total}");  // a line missing its comma still reads
    CHECK(yy.get("b") == "Bonjour");
    CHECK(yy.get("c") == "Danke");
    CHECK(yy.get("d") == "Au revoir");
  }
}

TEST_CASE("the shipped translations have no problem and keep French's placeholders") {
  const auto dir = test::assets_dir() / "i18n";
  for (const auto& language : app::available_languages(dir)) {
    INFO(language);
    CHECK(app::Translations::load(dir, language).problems().empty());
  }
}

TEST_CASE("each kind of capture names a screen of the app and translated keys (core's registry)") {
  std::set<std::string> screens;
  for (int i = 0;; ++i) {  // Screen's values are 0, 1, …; past the last, to_string says "?"
    const std::string name = app::to_string(static_cast<app::Screen>(i));
    if (name == "?") break;
    screens.insert(name);
  }
  const auto dir = test::assets_dir() / "i18n";
  for (const auto& kind : core::kCaptureKinds) {
    INFO(kind.name);
    if (kind.screen.empty()) continue;  // a kind made outside the app (none today)
    CHECK(screens.count(std::string(kind.screen)) == 1);
    for (const auto& language : app::available_languages(dir)) {
      const auto t = app::Translations::load(dir, language);
      for (const auto key : {kind.activity_label_key, kind.thanks_key})
        if (!key.empty()) CHECK(t.has(std::string(key)));
    }
  }
}
