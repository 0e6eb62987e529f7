// Translation tables: flat JSON objects of texts, French behind every other language.
#include <catch2/catch.hpp>

#include "allervers/core/translations.hpp"
#include "test_support.hpp"

using namespace allervers;

TEST_CASE("translations: parsing refuses what is not a flat object of texts, saying where") {
  const auto t = core::parse_translations(R"({"a": "un", "b": "deux"})", "fr.json");
  CHECK(t.size() == 2);
  CHECK(t.at("a") == "un");
  CHECK_THROWS_WITH(core::parse_translations("{", "fr.json"), Catch::Contains("fr.json: not valid JSON"));
  CHECK_THROWS_WITH(core::parse_translations("[]", "fr.json"), Catch::Contains("expected an object"));
  CHECK_THROWS_WITH(core::parse_translations(R"({"a": 1})", "en.json"), Catch::Contains("en.json: the value of \"a\""));
}

TEST_CASE("translations: a missing text falls back to French, then to the key") {
  const core::Translations en("en", {{"hello", "Hello {name}"}}, {{"hello", "Bonjour {name}"}, {"bye", "Au revoir"}});
  CHECK(en.language() == "en");
  CHECK(en.get("hello") == "Hello {name}");
  CHECK(en.get("bye") == "Au revoir");
  CHECK(en.get("missing.key") == "missing.key");
  CHECK(en.find("missing.key").empty());
  CHECK(en.format("hello", {{"name", "Ana"}}) == "Hello Ana");
  CHECK(core::fill_placeholders("{a}{a}{b}", {{"a", "{a}"}, {"b", "x"}}) == "{a}{a}x");
}

TEST_CASE("translations: a town day in words, in each language of the web pages") {
  auto load = [](const std::string& lang) {
    return core::parse_translations(allervers::test::read_file(allervers::test::assets_dir() / "web/i18n" / (lang + ".json")), lang);
  };
  const auto fr_table = load("fr");
  const core::Translations fr("fr", fr_table, fr_table), en("en", load("en"), fr_table), ar("ar", load("ar"), fr_table);
  CHECK(core::long_day(fr, "2027-01-31") == "31 janvier 2027");
  CHECK(core::long_day(fr, "2027-03-01") == "1er mars 2027");
  CHECK(core::long_day(en, "2027-01-31") == "January 31, 2027");
  CHECK(core::long_day(en, "2027-03-01") == "March 1, 2027");
  CHECK(core::long_day(ar, "2027-01-31") == "31 يناير 2027");  // not « 2027-01-31 », nor French months
  CHECK(core::long_day(ar, "2027-08-01") == "1 أغسطس 2027");
  // Not a day: as it came.
  for (const char* odd : {"", "2027-13-01", "2027-1-31", "31/01/2027", "2027-01-00", "20x7-01-31"}) CHECK(core::long_day(fr, odd) == odd);
}
