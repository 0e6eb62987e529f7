// Catalog documents: the demo one loads; a broken one says where it is broken.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "allervers/core/catalog_translations.hpp"
#include "allervers/core/consultation.hpp"
#include "test_support.hpp"

using namespace allervers::core;
using nlohmann::json;

namespace {

json demo() { return json::parse(allervers::test::read_file(allervers::test::assets_dir() / "demo/catalog.json")); }

std::string error_of(const json& doc) {
  try {
    parse_catalog(doc.dump());
  } catch (const CatalogError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("the demo catalog loads with every question type", "[catalog]") {
  const Catalog catalog = parse_catalog(demo().dump());
  CHECK(catalog.town.name == "Saint-Aubin-sur-Loire");
  REQUIRE(catalog.consultations.size() == 2);
  const Consultation* square = catalog.latest("place-jean-jaures");
  REQUIRE(square);
  CHECK(square->title.in("fr") == "Réaménagement de la place Jean-Jaurès");
  CHECK(square->title.in("en") == "Redesigning Jean-Jaurès square");
  std::set<QuestionType> types;
  for (const auto& q : square->questions) types.insert(q.type);
  CHECK(types.size() == 8);
  const Question* age = square->find_question("age");
  REQUIRE(age);
  CHECK(age->options.size() == catalog.town.age_brackets.size());
  CHECK(square->find_question("arbres-pourquoi")->show_if->any_of == std::vector<std::string>{"false"});
  CHECK(catalog.latest("budget-participatif-2027")->ideas.themes.size() == 6);
  CHECK(catalog.assemblies.size() == 2);
  // The town's "I live outside the town" is marked, and only it.
  CHECK(catalog.town.find_neighbourhood("hors-commune")->outside);
  CHECK_FALSE(catalog.town.find_neighbourhood("centre")->outside);
  // …and kept when the catalog is written out again (the server sends it on to devices).
  const auto written = json::parse(catalog_to_json(catalog));
  for (const auto& n : written["town"]["neighbourhoods"]) CHECK(n.value("outside", false) == (n["id"] == "hors-commune"));
}

TEST_CASE("a catalog survives a round trip through JSON", "[catalog]") {
  const Catalog first = parse_catalog(demo().dump());
  const Catalog second = parse_catalog(catalog_to_json(first));
  CHECK(catalog_to_json(first) == catalog_to_json(second));
}

TEST_CASE("several versions of one consultation are held side by side", "[catalog]") {
  json doc = demo();
  json v2 = doc["consultations"][0];
  v2["version"] = 2;
  v2["questions"].erase(v2["questions"].begin());
  doc["consultations"].push_back(v2);
  const Catalog catalog = parse_catalog(doc.dump());
  CHECK(catalog.latest("place-jean-jaures")->version == 2);
  CHECK(catalog.find("place-jean-jaures", 1)->questions.size() == 10);
  CHECK(catalog.current().size() == 2);
}

TEST_CASE("catalog errors name the JSON path and the fault", "[catalog]") {
  SECTION("not JSON") { CHECK(std::string(error_of(json())).find("$") == 0); }
  SECTION("unknown question type") {
    json doc = demo();
    doc["consultations"][0]["questions"][2]["type"] = "slider";
    CHECK(error_of(doc) == "$.consultations[0].questions[2].type: unknown question type \"slider\"");
  }
  SECTION("duplicate option ids") {
    json doc = demo();
    doc["consultations"][0]["questions"][0]["options"][1]["id"] = "tous-les-jours";
    CHECK(error_of(doc).find("$.consultations[0].questions[0].options[1].id: duplicate id") == 0);
  }
  SECTION("a label without French") {
    json doc = demo();
    doc["consultations"][1]["title"] = {{"en", "Budget"}};
    CHECK(error_of(doc) == "$.consultations[1].title: a French text (\"fr\") is required");
  }
  SECTION("show_if pointing forward") {
    json doc = demo();
    doc["consultations"][0]["questions"][0]["show_if"] = {{"question", "arbres"}, {"any_of", {true}}};
    CHECK(error_of(doc).find("must name an earlier question") != std::string::npos);
  }
  SECTION("ids with odd characters") {
    json doc = demo();
    doc["consultations"][0]["id"] = "Place Jean Jaurès";
    CHECK(error_of(doc).find("$.consultations[0].id: an id may hold only") == 0);
  }
  SECTION("the same version twice") {
    json doc = demo();
    doc["consultations"][1]["id"] = "place-jean-jaures";
    CHECK(error_of(doc).find("appears twice") != std::string::npos);
  }
  SECTION("a newer format") {
    json doc = demo();
    doc["format"] = "allervers.catalog/9";
    CHECK(error_of(doc).find("unsupported format") != std::string::npos);
  }
  SECTION("control characters in a label") {
    json doc = demo();
    doc["town"]["name"] = std::string("Saint\x1b[2J", 9);
    CHECK(error_of(doc).find("$.town.name") == 0);
  }
}

TEST_CASE("the coordinator's list: each text a language lacks, per consultation", "[catalog]") {
  json doc = demo();
  // The demo is complete in its six languages; take three texts out of Arabic and one of Turkish.
  auto& q = doc["consultations"][0]["questions"];
  q[0]["label"].erase("ar");
  q[0]["options"][1]["label"].erase("ar");
  doc["consultations"][0]["title"].erase("tr");
  doc["consultations"][1]["title"].erase("ar");
  const Catalog catalog = parse_catalog(doc.dump());
  const auto languages = catalog_languages(catalog);
  CHECK(languages == std::vector<std::string>{"fr", "ar", "en", "es", "pt", "tr"});
  const auto all = missing_translations(catalog, languages);
  std::set<std::string> said;
  for (const auto& m : all) said.insert(m.consultation + " v" + std::to_string(m.version) + " " + m.language + ": " + m.where);
  CHECK(said == std::set<std::string>{"place-jean-jaures v1 ar: question frequence",
                                      "place-jean-jaures v1 ar: question frequence, option chaque-semaine",
                                      "place-jean-jaures v1 tr: title", "budget-participatif-2027 v1 ar: title"});
  // One consultation; one language; French is never missing (it is the reference).
  CHECK(missing_translations(catalog, languages, "budget-participatif-2027").size() == 1);
  CHECK(missing_translations(catalog, {"fr", "tr"}).size() == 1);
  CHECK(missing_translations(catalog, {"fr"}).empty());
  // A language nobody wrote yet: every text is missing in it.
  CHECK(missing_translations(catalog, {"de"}, "place-jean-jaures").size() >= 28);  // title, summary, 10 questions, options
}

TEST_CASE("a consultation's quartiers and channels: optional, checked, kept, and meaning something", "[catalog]") {
  json doc = demo();
  // A catalog written before these fields: every consultation everywhere, on every channel.
  const Catalog before = parse_catalog(doc.dump());
  for (const auto* c : before.current()) {
    CHECK(c->neighbourhoods.empty());
    CHECK(c->channels.empty());
    for (auto ch : kAllChannels) CHECK(c->offered_on(ch));
  }
  CHECK(json::parse(catalog_to_json(before))["consultations"][0].contains("channels") == false);

  doc["consultations"][0]["neighbourhoods"] = {"gare", "centre"};
  doc["consultations"][0]["channels"] = {"market", "web"};
  doc["consultations"][1]["neighbourhoods"] = {"bois-joli"};
  const Catalog catalog = parse_catalog(doc.dump());
  const Consultation& square = *catalog.latest("place-jean-jaures");
  CHECK(square.neighbourhoods == std::vector<std::string>{"gare", "centre"});
  CHECK(square.channels == std::vector<Channel>{Channel::market, Channel::web});
  CHECK(square.offered_on(Channel::web));
  CHECK_FALSE(square.offered_on(Channel::kiosk));
  CHECK(square.runs_in("gare"));
  CHECK_FALSE(square.runs_in("bois-joli"));
  // Its quartier question offers its quartiers, in the town's order, without « outside ».
  std::vector<std::string> offered;
  for (const auto& o : square.find_question("quartier")->options) offered.push_back(o.id);
  CHECK(offered == std::vector<std::string>{"centre", "gare"});
  // What a device on a channel lists.
  std::vector<std::string> on_kiosks;
  for (const auto* c : catalog.offered_on(Channel::kiosk)) on_kiosks.push_back(c->id);
  CHECK(on_kiosks == std::vector<std::string>{"budget-participatif-2027"});
  // An idea's quartiers: those it runs in.
  const auto quartiers = catalog.latest("budget-participatif-2027")->quartiers(catalog.town);
  REQUIRE(quartiers.size() == 1);
  CHECK(quartiers[0].id == "bois-joli");
  // Written out and read again, the same.
  CHECK(catalog_to_json(parse_catalog(catalog_to_json(catalog))) == catalog_to_json(catalog));

  SECTION("an unknown quartier") {
    doc["consultations"][0]["neighbourhoods"] = {"gare", "lune"};
    CHECK(error_of(doc) == "$.consultations[0].neighbourhoods[1]: \"lune\" is not one of the town's neighbourhoods");
  }
  SECTION("the town's outside is no place a consultation runs") {
    doc["consultations"][0]["neighbourhoods"] = {"hors-commune"};
    CHECK(error_of(doc).find("$.consultations[0].neighbourhoods[0]: \"hors-commune\" is the town's outside") == 0);
  }
  SECTION("an unknown channel, a repeated one, an empty list") {
    doc["consultations"][0]["channels"] = {"market", "fax"};
    CHECK(error_of(doc).find("$.consultations[0].channels[1]: unknown channel \"fax\" (known: door_to_door, market,") == 0);
    doc["consultations"][0]["channels"] = {"market", "market"};
    CHECK(error_of(doc) == "$.consultations[0].channels[1]: \"market\" is listed twice");
    doc["consultations"][0]["channels"] = json::array();
    CHECK(error_of(doc).find("$.consultations[0].channels: needs at least one channel") == 0);
  }
}
