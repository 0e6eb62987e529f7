#include <catch2/catch.hpp>

#include <set>

#include "allervers/app/translations.hpp"
#include "allervers/app/view_state.hpp"
#include "allervers/core/capture_kinds.hpp"
#include "test_support.hpp"

using namespace allervers;

TEST_CASE("French is first and every other language is complete") {
  const auto dir = test::assets_dir() / "i18n";
  const auto languages = app::available_languages(dir);
  REQUIRE(languages.size() >= 2);
  CHECK(languages.front() == "fr");
  const auto fr = app::Translations::load(dir, "fr");
  for (const auto& language : languages) {
    const auto other = app::Translations::load(dir, language);
    CHECK(fr.has("language.name." + language));  // its button on the welcome screen
    for (const auto& [key, text] : fr.own()) {
      if (key.rfind("language.name.", 0) == 0) continue;  // each language's own name lives in French's file too
      INFO(language << ": " << key);
      CHECK(other.has(key));
    }
  }
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
  test::write_file(dir / "xx.json", R"({"a": 3})");
  CHECK_THROWS_WITH(app::Translations::load(dir.path(), "xx"), Catch::Contains("\"a\" is not a text"));
  test::write_file(dir / "yy.json", "{oops");
  CHECK_THROWS_WITH(app::Translations::load(dir.path(), "yy"), Catch::Contains("not valid JSON"));
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
    if (kind.screen.empty()) continue;  // made outside the app (ballots: allervers-device capture --file, for now)
    CHECK(screens.count(std::string(kind.screen)) == 1);
    for (const auto& language : app::available_languages(dir)) {
      const auto t = app::Translations::load(dir, language);
      for (const auto key : {kind.activity_label_key, kind.thanks_key})
        if (!key.empty()) CHECK(t.has(std::string(key)));
    }
  }
}
