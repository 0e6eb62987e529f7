// "Who we reach": the population CSV as a town types it (and every way it can be wrong, each
// named by line and column, in French and English, with a stable code), stored on both
// databases, and participation weighed against it by the stated rule.
#include <catch2/catch.hpp>

#include "allervers/server/office/population.hpp"
#include "office_fixture.hpp"
#include "pg_instance.hpp"

using namespace allervers;
using server::parse_population_csv;

namespace {

const core::Town& town() {
  static const core::Catalog catalog = test::demo_catalog();
  return catalog.town;
}

// The one problem a file has.
server::PopulationProblem only_problem(const std::string& csv) {
  const auto parsed = parse_population_csv(csv, town());
  INFO(csv);
  REQUIRE(parsed.problems.size() == 1);
  CHECK(parsed.cells.empty());
  CHECK_FALSE(parsed.ok());
  return parsed.problems[0];
}

}  // namespace

TEST_CASE("population CSV: the demo file and the ways towns write theirs") {
  const auto demo = parse_population_csv(test::read_file(test::assets_dir() / "demo/population.csv"), town());
  REQUIRE(demo.ok());
  CHECK(demo.cells.size() == 30);
  CHECK(demo.cells[12] == server::PopulationCell{"bois-joli", "moins-18", 1024});  // "1 024": a space between thousands
  std::int64_t sum = 0;
  for (const auto& c : demo.cells) sum += c.people;
  CHECK(demo.people == sum);

  // Excel's "CSV UTF-8": a BOM, CRLF; columns in another order, an extra one, labels instead of
  // ids, a no-break space in a number, quotes; "," as separator; comments and blank lines.
  const std::string excel =
      "\xEF\xBB\xBF"
      "Habitants;Libellé INSEE;Tranche d'âge;QUARTIER\r\n"
      "\"1\xC2\xA0" "250\";IRIS 0101;18 – 29 ans;Centre-ville\r\n"
      "\r\n"
      "# a comment\r\n"
      "30;IRIS 0102;\"45-59\";\"Quartier de la Gare\"\r\n";
  const auto read = parse_population_csv(excel, town());
  REQUIRE(read.ok());
  CHECK(read.cells == std::vector<server::PopulationCell>{{"centre", "18-29", 1250}, {"gare", "45-59", 30}});
  const auto commas = parse_population_csv("quartier,tranche_age,population\ngare,moins-18,12\n", town());
  REQUIRE(commas.ok());
  CHECK(commas.people == 12);
}

TEST_CASE("population CSV: each mistake named by line and column, in French and English, nothing imported") {
  struct Case {
    std::string csv, code;
    std::int64_t line;
    int column;
    const char* french;  // a piece of the French sentence
  };
  const Case cases[] = {
      {"", "population.empty", 0, 0, "Le fichier est vide"},
      {"# only a comment\n\n", "population.empty", 0, 0, "Le fichier est vide"},
      {"quartier;tranche_age;habitants\n", "population.no_rows", 1, 0, "qu’un en-tête"},
      {"quartier;age;nombre\ncentre;18-29;3\n", "population.header", 1, 0, "la colonne « habitants » manque"},
      {"quartier;tranche_age;habitants\ncentre;18-29;12\nnulle-part;18-29;4\n", "population.unknown_neighbourhood", 3, 1,
       "Ligne 3, colonne 1 (quartier) : « nulle-part » n’est pas un quartier"},
      {"tranche_age;habitants;quartier\n18-29;4;gare\n99-120;4;gare\n", "population.unknown_age_bracket", 3, 1,
       "Ligne 3, colonne 1 (tranche_age)"},
      {"quartier;tranche_age;habitants\ncentre;18-29;douze\n", "population.not_a_number", 2, 3,
       "Ligne 2, colonne 3 (habitants) : « douze » n’est pas un nombre"},
      {"quartier;tranche_age;habitants\ncentre;18-29;-3\n", "population.not_a_number", 2, 3, "colonne 3"},
      {"quartier;tranche_age;habitants\ncentre;18-29;12,5\n", "population.not_a_number", 2, 3, "colonne 3"},
      {"quartier;tranche_age;habitants\ncentre;18-29;99999999\n", "population.too_many", 2, 3, "10 000 000 au plus"},
      {"quartier;tranche_age;habitants\ncentre;18-29;\n", "population.missing_value", 2, 3, "Ligne 2, colonne 3 (habitants) : la case est vide"},
      {"quartier;tranche_age;habitants\ncentre;18-29\n", "population.missing_value", 2, 3, "la case est vide"},
      {"quartier;tranche_age;habitants\ncentre;18-29;3\nCentre-ville;18 – 29 ans;4\n", "population.duplicate", 3, 0,
       "figurent déjà ligne 2"},
      {"quartier;tranche_age;habitants\n\"centre;18-29;3\n", "population.quote", 2, 1, "un guillemet ouvert"},
      {"quartier;tranche_age;habitants\ncentre;18-29;3\nce\xffntre;30-44;3\n", "population.encoding", 3, 0, "pas en UTF-8"},
      {std::string(2 << 20, '#'), "population.too_large", 0, 0, "trop grand"},
  };
  for (const auto& c : cases) {
    INFO(c.code << " " << c.csv.substr(0, 80));
    const auto p = only_problem(c.csv);
    CHECK(p.code == c.code);
    CHECK(p.line == c.line);
    CHECK(p.column == c.column);
    CHECK(p.french.find(c.french) != std::string::npos);
    if (p.line > 0) {  // both sentences name the line (and the column when there is one)
      CHECK(p.english.find("line " + std::to_string(p.line)) != std::string::npos);
      CHECK(p.french.find("Ligne " + std::to_string(p.line)) != std::string::npos);
      if (p.column > 0) CHECK(p.english.find("column " + std::to_string(p.column)) != std::string::npos);
    }
    const auto j = nlohmann::json::parse(server::to_json(p));
    CHECK(j["code"] == c.code);
    CHECK(j["fr"] == p.french);
  }
  // Several mistakes: all listed (up to 20), in order.
  std::string many = "quartier;tranche_age;habitants\n";
  for (int i = 0; i < 30; ++i) many += "nowhere;18-29;1\n";
  const auto listed = parse_population_csv(many, town());
  CHECK(listed.problems.size() == 20);
  CHECK(listed.problems[19].line == 21);
  // A town with no quartiers published: nothing to weigh against.
  CHECK(parse_population_csv("quartier;tranche_age;habitants\n", core::Town{}).problems[0].code == "population.no_town");
}

TEST_CASE("participation against the population: shares, index and the under-represented, by the stated rule") {
  // 1,000 residents: centre 500 (young 250, old 250), gare 500 (young 250, old 250).
  const std::vector<server::PopulationCell> population = {
      {"centre", "18-29", 250}, {"centre", "60-74", 250}, {"gare", "18-29", 250}, {"gare", "60-74", 250}};
  // 100 placed participants: the young of the gare barely reached; 10 more say no quartier.
  const std::vector<server::TallyCount> participants = {{"centre", "18-29", 30}, {"centre", "60-74", 35}, {"gare", "18-29", 5},
                                                        {"gare", "60-74", 30},   {"", "60-74", 10},       {"hors-commune", "", 4}};
  const auto p = server::compute_participation(population, participants, town());
  CHECK(p.population == 1000);
  CHECK(p.placed_by_both == 100);
  CHECK(p.placed_by_neighbourhood == 100);
  CHECK(p.placed_by_age == 110);
  CHECK(p.not_placed == 14);
  CHECK(p.enough);
  REQUIRE(p.by_neighbourhood.size() == 2);
  const auto& gare = p.by_neighbourhood[1];
  CHECK(gare.label == "Quartier de la Gare");
  CHECK(gare.participants == 35);
  CHECK(gare.population_share == Approx(0.5));
  CHECK(gare.participant_share == Approx(0.35));
  CHECK(*gare.index == Approx(0.7));
  CHECK(gare.under_represented);  // 0.7 < 0.8, 50 expected
  CHECK_FALSE(p.by_neighbourhood[0].under_represented);
  // The young of the gare: 5 % of participants for 25 % of residents → index 0.2, the lowest first.
  REQUIRE(p.under_represented.size() >= 2);
  CHECK(p.under_represented[0].neighbourhood == "gare");
  CHECK(p.under_represented[0].age_bracket == "18-29");
  CHECK(*p.under_represented[0].index == Approx(0.2));
  CHECK(p.under_represented[0].label == "Quartier de la Gare, 18 – 29 ans");
  // The young overall: 35 of 110 placed by age (31.8 %) for 50 % → index 0.64.
  const auto& young = p.by_age_bracket[0];
  CHECK(young.age_bracket == "18-29");
  CHECK(*young.index == Approx((35.0 / 110.0) / 0.5));
  CHECK(young.under_represented);

  // Too few participants: nobody is named.
  const auto few = server::compute_participation(population, {{"centre", "18-29", 20}, {"gare", "60-74", 1}}, town());
  CHECK_FALSE(few.enough);
  CHECK(few.under_represented.empty());
  // A group too small to expect 5 participants is not named, however few it has.
  const auto tiny = server::compute_participation({{"centre", "18-29", 990}, {"gare", "60-74", 10}},
                                                  {{"centre", "18-29", 100}}, town());
  CHECK(tiny.by_both[1].expected == Approx(1.0));
  CHECK_FALSE(tiny.by_both[1].under_represented);
  const auto j = nlohmann::json::parse(server::to_json(p));
  CHECK(j["rule"]["index_below"] == 0.8);
  CHECK(j["under_represented"][0]["label"] == "Quartier de la Gare, 18 – 29 ans");
}

namespace {

void stored_and_weighed(const std::string& url) {
  test::ApiRig rig(url);
  const auto data = test::send_varied_captures(rig, 300, 11);
  CHECK_FALSE(rig.store->population_import());
  const auto parsed = parse_population_csv(test::read_file(test::assets_dir() / "demo/population.csv"), town());
  REQUIRE(parsed.ok());
  rig.store->replace_population(parsed.cells, {123, "population.csv", 30, parsed.people});
  rig.store->replace_population(parsed.cells, {456, "population.csv", 30, parsed.people});  // replaces, never adds
  CHECK(rig.store->population() .size() == 30);
  CHECK(rig.store->population_import()->imported_ms == 456);
  const core::Catalog catalog = server::merge_catalogs(rig.store->catalogs()).catalog;
  const auto p = server::participation(*rig.store, catalog, {});
  CHECK(p.population == parsed.people);
  std::int64_t in_town = 0, placed = 0;
  for (const auto& s : data.sent) {
    const bool known = !s.neighbourhood.empty() && s.neighbourhood != "hors-commune";
    in_town += known ? 1 : 0;
    placed += known && !s.age_bracket.empty() ? 1 : 0;
  }
  CHECK(p.placed_by_neighbourhood == in_town);
  CHECK(p.placed_by_both == placed);
  CHECK(p.not_placed == static_cast<std::int64_t>(data.sent.size()) - placed);
  // Under a filter: the captures of one channel only.
  server::CaptureFilter market;
  market.channel = "market";
  std::int64_t market_placed = 0;
  for (const auto& s : data.sent)
    market_placed += test::keeps(market, s) && !s.neighbourhood.empty() && s.neighbourhood != "hors-commune" ? 1 : 0;
  CHECK(server::participation(*rig.store, catalog, market).placed_by_neighbourhood == market_placed);
}

}  // namespace

TEST_CASE("population stored and weighed on SQLite and PostgreSQL") {
  test::TempDir dir;
  stored_and_weighed("sqlite:" + (dir.path() / "population.db").string());
  test::PgInstance pg;
  stored_and_weighed(pg.create_database("population"));
}
