// Translation tables: flat JSON objects of texts, French behind every other language.
#include <catch2/catch.hpp>

#include "allervers/core/translations.hpp"

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
