// Validation, the one gate: every rule with good and bad cases, and hostile text.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "allervers/core/limits.hpp"
#include "allervers/core/validation.hpp"
#include "test_support.hpp"

using namespace allervers::core;
using nlohmann::json;

namespace {

const Catalog& catalog() {
  static const Catalog c = parse_catalog(allervers::test::read_file(allervers::test::assets_dir() / "demo/catalog.json"));
  return c;
}

const Instant kNow{1'795'000'000'000, 60};  // 2026-11-18

Capture base() {
  UuidGenerator ids(7);
  Capture c;
  c.id = ids.next(kNow.utc_ms);
  c.device = ids.next(kNow.utc_ms);
  c.captured_at = kNow;
  c.channel = Channel::market;
  return c;
}

Capture opinion(std::map<std::string, AnswerValue> answers) {
  Capture c = base();
  c.consultation = "place-jean-jaures";
  c.version = 1;
  c.body = Opinion{std::move(answers)};
  return c;
}

std::map<std::string, AnswerValue> good_answers() {
  return {{"frequence", std::string("parfois")},
          {"satisfaction", std::int64_t{4}},
          {"arbres", true},
          {"priorites", std::vector<std::string>{"ombre", "jeux"}},
          {"stationnement", std::int64_t{3}}};
}

Capture idea(Idea body) {
  Capture c = base();
  c.consultation = "budget-participatif-2027";
  c.version = 1;
  c.body = std::move(body);
  return c;
}

Idea good_idea() {
  return Idea{"Un abri vélos", "Un abri couvert de vingt places devant l’école.", "mobilites", "gare", "", {}, {}};
}

// The errors of a capture as "field:code" strings, to compare in one line.
std::vector<std::string> errors_of(const Capture& c) {
  std::vector<std::string> out;
  const auto result = validate(c, catalog(), kNow);
  for (const auto& e : result.errors()) out.push_back(e.field + ":" + e.code);
  return out;
}

using Errors = std::vector<std::string>;

}  // namespace

TEST_CASE("a complete opinion passes and yields a ValidCapture", "[validation]") {
  const Capture c = opinion(good_answers());
  const auto result = validate(c, catalog(), kNow);
  REQUIRE(result.ok());
  CHECK(result.valid().capture() == c);
}

TEST_CASE("a refused capture cannot be turned into a ValidCapture", "[validation]") {
  const auto result = validate(opinion({}), catalog(), kNow);
  CHECK_FALSE(result.ok());
  CHECK_THROWS_AS(result.valid(), std::logic_error);
}

TEST_CASE("required answers, and optional ones skipped", "[validation]") {
  auto answers = good_answers();
  answers.erase("satisfaction");
  CHECK(errors_of(opinion(answers)) == Errors{"answers.satisfaction:required"});
  answers = good_answers();
  answers["quartier"] = std::string("centre");  // optional, given
  CHECK(errors_of(opinion(answers)).empty());
  const auto result = validate(opinion({}), catalog(), kNow);
  CHECK(result.errors().size() == 5);
  CHECK(result.errors()[0].message == "this question requires an answer");
}

TEST_CASE("choices must be among the options", "[validation]") {
  auto answers = good_answers();
  answers["frequence"] = std::string("souvent");
  const auto result = validate(opinion(answers), catalog(), kNow);
  REQUIRE(result.errors().size() == 1);
  CHECK(result.errors()[0].field == "answers.frequence");
  CHECK(result.errors()[0].code == "not_an_option");
  CHECK(result.errors()[0].message ==
        "\"souvent\" is not one of the choices (expected one of: tous-les-jours, chaque-semaine, parfois, jamais)");
  answers = good_answers();
  answers["quartier"] = std::string("atlantide");
  CHECK(errors_of(opinion(answers)) == Errors{"answers.quartier:not_an_option"});
}

TEST_CASE("multiple choice: known options, no repeats, within the limit", "[validation]") {
  auto answers = good_answers();
  answers["priorites"] = std::vector<std::string>{"ombre", "bancs", "jeux", "velos"};
  CHECK(errors_of(opinion(answers)) == Errors{"answers.priorites:too_many_choices"});
  answers["priorites"] = std::vector<std::string>{"ombre", "ombre"};
  CHECK(errors_of(opinion(answers)) == Errors{"answers.priorites:duplicate_choice"});
  answers["priorites"] = std::vector<std::string>{};
  CHECK(errors_of(opinion(answers)) == Errors{"answers.priorites:too_few_choices"});
  answers["priorites"] = std::string("ombre");
  CHECK(errors_of(opinion(answers)) == Errors{"answers.priorites:wrong_type"});
}

TEST_CASE("scales and smileys stay within 1 to 5 — yes/no is a boolean", "[validation]") {
  for (std::int64_t v : {std::int64_t{0}, std::int64_t{6}, std::int64_t{-1}, std::int64_t{1'000'000'000'000}}) {
    auto answers = good_answers();
    answers["stationnement"] = v;
    CHECK(errors_of(opinion(answers)) == Errors{"answers.stationnement:out_of_range"});
  }
  auto answers = good_answers();
  answers["satisfaction"] = std::string("4");
  answers["arbres"] = std::string("oui");
  CHECK(errors_of(opinion(answers)) == Errors{"answers.satisfaction:wrong_type", "answers.arbres:wrong_type"});
}

TEST_CASE("a question shown only after a given answer", "[validation]") {
  auto answers = good_answers();
  answers["arbres-pourquoi"] = std::string("Les feuilles");
  CHECK(errors_of(opinion(answers)) == Errors{"answers.arbres-pourquoi:not_shown"});
  answers["arbres"] = false;
  CHECK(errors_of(opinion(answers)).empty());
}

TEST_CASE("answers to unknown questions are refused", "[validation]") {
  auto answers = good_answers();
  answers["'; DROP TABLE captures; --"] = std::string("x");
  CHECK(errors_of(opinion(answers)) == Errors{"answers.'; DROP TABLE captures; --:unknown_question"});
}

TEST_CASE("free text: length in characters, hostile content", "[validation]") {
  auto with_comment = [](std::string text) {
    auto answers = good_answers();
    answers["commentaire"] = std::move(text);
    return errors_of(opinion(answers));
  };
  CHECK(with_comment(std::string(limits::short_text, 'a')).empty());
  CHECK(with_comment(std::string(limits::short_text + 1, 'a')) == Errors{"answers.commentaire:too_long"});
  std::string accents;  // 500 two-byte characters are 1000 bytes and still allowed
  for (std::size_t i = 0; i < limits::short_text; ++i) accents += "é";
  CHECK(with_comment(accents).empty());
  CHECK(with_comment(std::string(1024 * 1024, 'x')) == Errors{"answers.commentaire:too_long"});
  CHECK(with_comment("Robert'); DROP TABLE captures;--").empty());  // stored as data, never as SQL
  CHECK(with_comment("<script>alert(1)</script>").empty());
  CHECK(with_comment("👍🏽 très bien 🌳").empty());
  CHECK(with_comment("أريد المزيد من الأشجار").empty());
  CHECK(with_comment(std::string("nul\0byte", 8)) == Errors{"answers.commentaire:control_character"});
  CHECK(with_comment("bad \xc3\x28 utf8") == Errors{"answers.commentaire:invalid_utf8"});
  CHECK(with_comment("\x1b[31mred") == Errors{"answers.commentaire:control_character"});
  CHECK(with_comment("sur\ndeux lignes").empty());
  auto answers = good_answers();
  answers["arbres"] = false;
  answers["arbres-pourquoi"] = std::string(301, 'a');  // this question sets max_length 300
  CHECK(errors_of(opinion(answers)) == Errors{"answers.arbres-pourquoi:too_long"});
}

TEST_CASE("an idea: title, description, theme, neighbourhood, cost", "[validation]") {
  CHECK(errors_of(idea(good_idea())).empty());
  Idea i = good_idea();
  i.title = "  ";
  i.description = "court";
  i.theme = "voirie";
  i.neighbourhood = "";
  CHECK(errors_of(idea(i)) ==
        Errors{"idea.title:required", "idea.description:too_short", "idea.theme:not_an_option", "idea.neighbourhood:required"});
  i = good_idea();
  i.title = "Titre\nsur deux lignes";
  CHECK(errors_of(idea(i)) == Errors{"idea.title:control_character"});
  i = good_idea();
  i.title = std::string(limits::idea_title + 1, 't');
  CHECK(errors_of(idea(i)) == Errors{"idea.title:too_long"});
  i = good_idea();
  i.estimated_cost_eur = 150'001;  // the demo budget caps ideas at 150 000 €
  CHECK(errors_of(idea(i)) == Errors{"idea.estimated_cost_eur:out_of_range"});
  i.estimated_cost_eur = -5;
  CHECK(errors_of(idea(i)) == Errors{"idea.estimated_cost_eur:out_of_range"});
  i.estimated_cost_eur = 150'000;
  CHECK(errors_of(idea(i)).empty());
  // "I live outside the town" answers where a resident lives, not where an idea goes.
  i.neighbourhood = "hors-commune";
  CHECK(errors_of(idea(i)) == Errors{"idea.neighbourhood:outside_town"});
}

TEST_CASE("contact details only with consent, and only sealed", "[validation]") {
  Idea i = good_idea();
  i.contact = SealedContact{true, "gIGCg4SFhoeIiYqLjI2Oj5CRkpOUlZaXmJmam5ydnp+goaKjpKWmp6ipqqusra6vsA=="};
  CHECK(errors_of(idea(i)).empty());
  i.contact = SealedContact{false, "gIGCg4SFhoeIiYqLjI2Oj5CRkpOUlZaXmJmam5ydnp+goaKjpKWmp6ipqqusra6vsA=="};
  CHECK(errors_of(idea(i)) == Errors{"idea.contact.consent:consent_required"});
  i.contact = SealedContact{true, "jean.dupont@example.org"};  // clear text is not sealed
  CHECK(errors_of(idea(i)) == Errors{"idea.contact.sealed:invalid_sealed_contact"});
  // Base64 of text in clear is not sealed either, however long: a box starts with 32 random bytes.
  i.contact = SealedContact{true, "amVhbi5kdXBvbnRAZXhhbXBsZS5vcmcsIDEyIHJ1ZSBkZXMgTGlsYXMsIDY5MDAwIEx5b24="};
  CHECK(errors_of(idea(i)) == Errors{"idea.contact.sealed:invalid_sealed_contact"});
  i.contact = SealedContact{true, "c2VhbGVkLWJveA=="};  // too short to hold a box
  CHECK(errors_of(idea(i)) == Errors{"idea.contact.sealed:invalid_sealed_contact"});
  i.contact = SealedContact{true, "gIGCg4SFhoeIiYqLjI2Oj5CRkpOUlZaXmJmam5ydnp+goaKjpKWmp6ipqqusra6vs=A="};  // '=' inside
  CHECK(errors_of(idea(i)) == Errors{"idea.contact.sealed:invalid_sealed_contact"});
}

TEST_CASE("ideas and surveys only where the consultation has them", "[validation]") {
  Capture c = idea(good_idea());
  c.consultation = "place-jean-jaures";
  CHECK(errors_of(c) == Errors{"consultation:no_ideas"});
  Capture o = opinion(good_answers());
  o.consultation = "budget-participatif-2027";
  CHECK(errors_of(o) == Errors{"consultation:no_survey"});
}

TEST_CASE("unknown consultations and versions", "[validation]") {
  Capture c = opinion(good_answers());
  c.consultation = "piscine";
  CHECK(errors_of(c) == Errors{"consultation:unknown_consultation"});
  c = opinion(good_answers());
  c.version = 2;
  CHECK(errors_of(c) == Errors{"version:unknown_version"});
  c.consultation = "";
  CHECK(errors_of(c) == Errors{"consultation:required"});
}

TEST_CASE("a sign-in names a known assembly — its details are optional", "[validation]") {
  Capture c = base();
  c.body = SignIn{"conseil-centre-2026-12", "", "", "", false};
  CHECK(errors_of(c).empty());
  c.body = SignIn{"conseil-centre-2026-12", "P4SS-id_01", "gare", "18-29", true};
  CHECK(errors_of(c).empty());
  c.body = SignIn{"fete-des-voisins", "pass with spaces", "mars", "130-ans", false};
  CHECK(errors_of(c) == Errors{"signin.assembly:unknown_assembly", "signin.pass:invalid_pass",
                               "signin.neighbourhood:not_an_option", "signin.age_bracket:not_an_option"});
  c.body = SignIn{"conseil-centre-2026-12", std::string(limits::pass_id + 1, 'p'), "", "", false};
  CHECK(errors_of(c) == Errors{"signin.pass:invalid_pass"});
}

TEST_CASE("every capture says where and when it came from", "[validation]") {
  Capture c = opinion(good_answers());
  c.device = Uuid();
  c.language = "français";
  c.captured_at = Instant{kNow.utc_ms + limits::future_skew_ms + 1, 60};
  CHECK(errors_of(c) == Errors{"device:required", "language:invalid_language", "captured_at:in_the_future"});
  c = opinion(good_answers());
  c.captured_at = Instant{0, 0};
  CHECK(errors_of(c) == Errors{"captured_at:out_of_range"});
  c = opinion(good_answers());
  c.id = Uuid();
  CHECK(errors_of(c) == Errors{"id:invalid_id"});
}

TEST_CASE("a capture's kind is the type of its body, so the two never disagree", "[validation]") {
  Capture c = opinion(good_answers());
  CHECK(c.kind() == CaptureKind::opinion);
  c.body = good_idea();
  CHECK(c.kind() == CaptureKind::idea);
  CHECK(info(c.kind()).body_key == "idea");
  c.consultation = "budget-participatif-2027";
  CHECK(errors_of(c).empty());  // validated as the idea it now holds
}

TEST_CASE("is_shown follows show_if, the rule screens and validation share", "[validation]") {
  const Consultation* square = catalog().latest("place-jean-jaures");
  const Question& why = *square->find_question("arbres-pourquoi");
  CHECK(is_shown(*square->find_question("arbres"), {}));
  CHECK_FALSE(is_shown(why, {}));
  CHECK_FALSE(is_shown(why, {{"arbres", true}}));
  CHECK(is_shown(why, {{"arbres", false}}));
}

TEST_CASE("an idea goes in one of the quartiers its consultation runs in", "[validation]") {
  json doc = json::parse(allervers::test::read_file(allervers::test::assets_dir() / "demo/catalog.json"));
  doc["consultations"][1]["neighbourhoods"] = {"gare", "centre"};
  const Catalog restricted = parse_catalog(doc.dump());
  Idea in_gare = good_idea();
  CHECK(validate(idea(in_gare), restricted, kNow).errors().empty());
  Idea elsewhere = good_idea();
  elsewhere.neighbourhood = "bois-joli";
  const auto result = validate(idea(elsewhere), restricted, kNow);
  REQUIRE(result.errors().size() == 1);
  CHECK(result.errors()[0].field == "idea.neighbourhood");
  CHECK(result.errors()[0].code == "not_an_option");
  CHECK(errors_of(idea(elsewhere)).empty());  // the demo's, for the whole town
  // A capture made on a channel the consultation is not offered on is still accepted (a paper
  // questionnaire typed in later, a tablet whose channel changed): nothing is lost.
  doc["consultations"][1]["channels"] = {"kiosk"};
  Capture at_market = idea(in_gare);
  CHECK(validate(at_market, parse_catalog(doc.dump()), kNow).errors().empty());
}
