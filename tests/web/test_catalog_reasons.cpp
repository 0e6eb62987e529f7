// Core's catalog reasons said in the console's language (web/src/catalog_reasons.cpp): every
// shape core writes (core/src/consultation.cpp, core/src/vote.cpp) is known and translated with
// its values in place; a reason of another shape comes through unchanged.
#include <catch2/catch.hpp>

#include <fstream>

#include "allervers/core/consultation.hpp"
#include "allervers/core/translations.hpp"
#include "catalog_reasons.hpp"
#include "test_support.hpp"

using namespace allervers;

namespace {

core::Translations language(const char* lang) {
  auto load = [](const std::string& name) {
    std::ifstream in(test::assets_dir() / "web/i18n" / (name + ".json"));
    const std::string text(std::istreambuf_iterator<char>(in), {});
    return core::parse_translations(text, name);
  };
  return core::Translations(lang, load(lang), load("fr"));
}

// Core's reasons, as core writes them, with sample values.
const std::vector<std::string> kReasons = {
    "\"gare\" is listed twice",
    "\"lune\" is not one of the town's neighbourhoods",
    "\"dehors\" is the town's outside, not a place a consultation runs",
    "a French text (\"fr\") is required",
    "a consultation needs questions, ideas, or both",
    "a pictogram is a file name of a-z 0-9 - _ ending in .png, or a media name (64 hex characters)",
    "an id may hold only a-z, 0-9, '-' and '_' (got \"Jamais !\")",
    "an id must have 1 to 64 characters",
    "consultation \"place\" version 2 appears twice",
    "duplicate assembly id \"ag-1\"",
    "duplicate id \"o1\"",
    "duplicate question id \"q1\"",
    "expected a string",
    "expected a string, a boolean or an integer",
    "expected an array",
    "expected an integer",
    "expected an object",
    "expected true or false",
    "greater than max_choices",
    "missing",
    "must be between 1 and 10",
    "must name an earlier question of this consultation",
    "must start with https:// or http://",
    "needs at least one channel; leave the field out for every channel",
    "needs at least one entry",
    "needs at least one neighbourhood; leave the field out for the whole town",
    "needs at least one value",
    "not a language code",
    "not one of the town's neighbourhoods",
    "only for short_text questions",
    "text is not valid UTF-8 or holds a control character",
    "text longer than 2000 characters",
    "the town has no age brackets listed",
    "the town has no neighbourhoods listed",
    "this question type takes no options",
    "unknown channel \"fax\" (known: door_to_door, market)",
    "unknown question type \"slider\"",
    "unsupported format \"autre/2\" (this version reads allervers.catalog/1)",
    "the vote appears twice",
    "duplicate project id \"p1\"",
    "expected the id (a UUID) of the idea the project came from",
    "no envelope takes this project: add a town-wide envelope or one for its quartier",
    "two envelopes for one quartier",
    "expected a picture's media name (64 hex characters, its SHA-256), as the console stores it",
    "expected a text or {\"fr\": …}",
    "expected a day YYYY-MM-DD",
    "the vote closes before it opens",
    "expected at least one envelope",
    "fewer than min_projects",
    "expected at least one project",
    "not valid results: a count is missing",
    "expected budget or approval",
    "expected open or closed",
    "expected 32 bytes in lower-case hex",
};

}  // namespace

TEST_CASE("catalog reasons: every reason core gives is said in French and English, its values in place") {
  const auto fr = language("fr"), en = language("en");
  for (const auto& reason : kReasons) {
    INFO(reason);
    const std::string f = web::catalog_reason(fr, reason);
    CHECK(f != reason);
    CHECK(f.find('{') == std::string::npos);
    CHECK(f.find("catalog.reason") == std::string::npos);
    const std::string e = web::catalog_reason(en, reason);
    CHECK(e.find("catalog.reason") == std::string::npos);
    CHECK_FALSE(e.empty());
  }
  CHECK(web::catalog_reason(fr, kReasons[6]) ==
        "un identifiant ne peut contenir que des lettres minuscules sans accent, des chiffres, «\u00a0-\u00a0» et «\u00a0_\u00a0» "
        "(«\u00a0Jamais !\u00a0» ne convient pas)");
  CHECK(web::catalog_reason(fr, "must be between 1 and 10") == "doit être compris entre 1 et 10");
  CHECK(web::catalog_reason(fr, "consultation \"place\" version 2 appears twice") ==
        "la version 2 de la consultation «\u00a0place\u00a0» figure deux fois");
  CHECK(web::catalog_reason(en, "unknown channel \"fax\" (known: door_to_door, market)") ==
        "“fax” is not a known channel (door_to_door, market)");
  // Another shape, or a known one with more around it: as core wrote it.
  CHECK(web::catalog_reason(fr, "something new") == "something new");
  CHECK(web::catalog_reason(fr, "missing!") == "missing!");
  CHECK(web::catalog_reason(fr, "") == "");
  // From the exception: its place in the document is left to the caller.
  try {
    (void)core::parse_catalog(R"({"format": "autre/2"})");
    FAIL("parsed");
  } catch (const core::CatalogError& err) {
    CHECK(web::catalog_reason(fr, err) == "le format «\u00a0autre/2\u00a0» n’est pas lu par cette version (elle lit allervers.catalog/1)");
  }
}
