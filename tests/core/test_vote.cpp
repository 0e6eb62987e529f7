// Votes: the catalog's "votes", the basket rule (budget and approval, envelopes per quartier),
// ballots through validation (dates, age, unknown vote or project, voter and receipt shapes),
// the count and its tie-break, receipts as typed.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "allervers/core/capture_json.hpp"
#include "allervers/core/validation.hpp"
#include "allervers/core/vote.hpp"
#include "test_support.hpp"

using namespace allervers::core;

namespace {

const Catalog& catalog() {
  static const Catalog c = parse_catalog(allervers::test::read_file(allervers::test::assets_dir() / "demo/catalog.json"));
  return c;
}
const Vote& demo_vote() { return *catalog().find_vote("budget-2027-vote"); }

const Instant kNow{1'795'000'000'000, 60};  // 2026-11-18, within the demo vote's dates
const std::string kVoter(64, 'a');

Capture ballot(std::vector<std::string> projects, Instant at = kNow) {
  UuidGenerator ids(9);
  Capture c;
  c.id = ids.next(at.utc_ms);
  c.device = ids.next(at.utc_ms);
  c.captured_at = at;
  c.channel = Channel::kiosk;
  c.body = Ballot{"budget-2027-vote", std::move(projects), kVoter, "K7M29QXD", true, false};
  return c;
}

std::vector<std::string> codes(const std::vector<ValidationError>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.code);
  return out;
}

nlohmann::json approval_vote() {
  return nlohmann::json::parse(R"({"id": "v", "title": "Vote", "opens": "2026-01-01", "closes": "2026-12-31", "rule": "approval",
    "min_projects": 2, "max_projects": 3, "voter_key": ")" + std::string(64, '0') + R"(",
    "envelopes": [{"amount_eur": 100}],
    "projects": [{"id": "a", "title": "A", "cost_eur": 60}, {"id": "b", "title": "B", "cost_eur": 50},
                 {"id": "c", "title": "C", "cost_eur": 40}, {"id": "d", "title": "D", "cost_eur": 10}]})");
}

}  // namespace

TEST_CASE("the demo catalog's vote is read and written back unchanged") {
  const Vote& v = demo_vote();
  CHECK(v.rule == VoteRule::budget);
  CHECK(v.min_share_percent == 50);
  CHECK(v.min_age == 16);
  REQUIRE(v.envelopes.size() == 2);
  CHECK(v.envelope_of(*v.find_project("abri-velos-gare")) == 1);   // the gare's own envelope
  CHECK(v.envelope_of(*v.find_project("jardin-partage")) == 0);    // no envelope of its own: the town's
  CHECK(v.within_dates("2026-11-01"));
  CHECK(v.within_dates("2027-06-30"));
  CHECK_FALSE(v.within_dates("2027-07-01"));
  const Catalog again = parse_catalog(catalog_to_json(catalog()));
  CHECK(catalog_to_json(again) == catalog_to_json(catalog()));
}

TEST_CASE("a vote that does not follow the format is refused, naming the field") {
  auto refused = [](nlohmann::json vote, const std::string& where) {
    try {
      parse_vote(vote, {"gare"});
      FAIL("accepted");
    } catch (const CatalogError& e) {
      CHECK(e.where() == where);
    }
  };
  auto v = approval_vote();
  v["rule"] = "ranked";
  refused(v, "$.votes[v].rule");
  v = approval_vote();
  v["closes"] = "2025-12-31";
  refused(v, "$.votes[v].closes");
  v = approval_vote();
  v["voter_key"] = "short";
  refused(v, "$.votes[v].voter_key");
  v = approval_vote();
  v["projects"][1]["id"] = "a";
  refused(v, "$.votes[v].projects[1].id");
  v = approval_vote();
  v["envelopes"] = nlohmann::json::array({{{"neighbourhood", "gare"}, {"amount_eur", 10}}});
  refused(v, "$.votes[v].projects[0].neighbourhood");  // no envelope takes a town-wide project
  v = approval_vote();
  v["envelopes"][0]["neighbourhood"] = "atlantis";
  refused(v, "$.votes[v].envelopes[0].neighbourhood");
}

TEST_CASE("budget baskets: within each envelope they touch, at most its amount and at least its minimum share") {
  const Vote& v = demo_vote();
  CHECK(check_basket(v, {"aire-de-jeux"}).empty());                       // 80,000 of 150,000: over half
  CHECK(check_basket(v, {"abri-velos-gare", "eclairage-passage"}).empty());  // 60,000 of the gare's 60,000
  CHECK(codes(check_basket(v, {"boite-a-livres"})) == std::vector<std::string>{"under_minimum_share"});
  CHECK(codes(check_basket(v, {"aire-de-jeux", "pistes-cyclables", "jardin-partage"})) ==
        std::vector<std::string>{"over_envelope"});  // 185,000
  CHECK(codes(check_basket(v, {})) == std::vector<std::string>{"empty_basket"});
  CHECK(codes(check_basket(v, {"piscine"})) == std::vector<std::string>{"unknown_project"});
  CHECK(codes(check_basket(v, {"aire-de-jeux", "aire-de-jeux"})) == std::vector<std::string>{"repeated_project"});
  const auto totals = basket_totals(v, {"aire-de-jeux", "abri-velos-gare"});
  CHECK(totals[0].cost_eur == 80000);
  CHECK(totals[1].cost_eur == 35000);
}

TEST_CASE("approval baskets: between the minimum and the maximum number of projects, costs aside") {
  const Vote v = parse_vote(approval_vote(), {});
  CHECK(check_basket(v, {"a", "b", "c"}).empty());
  CHECK(codes(check_basket(v, {"a"})) == std::vector<std::string>{"too_few_projects"});
  CHECK(codes(check_basket(v, {"a", "b", "c", "d"})) == std::vector<std::string>{"too_many_projects"});
}

TEST_CASE("a ballot is validated against its vote: dates, age, basket, voter and receipt") {
  CHECK(validate(ballot({"aire-de-jeux"}), catalog(), kNow).ok());
  const Instant july{1'815'000'000'000, 120};  // 2027-07-07: after the vote closed
  auto late = validate(ballot({"aire-de-jeux"}, july), catalog(), july);
  CHECK(codes(late.errors()) == std::vector<std::string>{"outside_dates"});

  Capture young = ballot({"aire-de-jeux"});
  std::get<Ballot>(young.body).age_confirmed = false;
  CHECK(codes(validate(young, catalog(), kNow).errors()) == std::vector<std::string>{"under_min_age"});

  CHECK(codes(validate(ballot({"aire-de-jeux", "pistes-cyclables", "jardin-partage"}), catalog(), kNow).errors()) ==
        std::vector<std::string>{"over_envelope"});
  CHECK(codes(validate(ballot({"piscine"}), catalog(), kNow).errors()) == std::vector<std::string>{"unknown_project"});

  Capture other = ballot({"aire-de-jeux"});
  std::get<Ballot>(other.body).vote = "budget-1999";
  CHECK(codes(validate(other, catalog(), kNow).errors()) == std::vector<std::string>{"unknown_vote"});

  Capture clear = ballot({"aire-de-jeux"});
  std::get<Ballot>(clear.body).voter = "ABCDEFGHJK";  // a pass id in clear is not a voter hash
  std::get<Ballot>(clear.body).receipt = "ILOU0000";
  CHECK(codes(validate(clear, catalog(), kNow).errors()) == std::vector<std::string>{"invalid_voter", "invalid_receipt"});
}

TEST_CASE("a ballot goes through its JSON form unchanged, and strange fields are refused") {
  const Capture c = ballot({"aire-de-jeux", "boite-a-livres"});
  const auto back = capture_from_json(capture_to_json(c), {});
  REQUIRE(back.capture);
  CHECK(*back.capture == c);
  auto j = capture_to_json(c);
  j["ballot"]["pass"] = "ABCDEFGHJK";
  CHECK(codes(capture_from_json(j, {}).errors) == std::vector<std::string>{"unknown_field"});
  j = capture_to_json(c);
  j["ballot"]["projects"] = "aire-de-jeux";
  CHECK(codes(capture_from_json(j, {}).errors) == std::vector<std::string>{"wrong_type"});
}

TEST_CASE("the count ranks by votes, breaks ties by cost then by the vote's order, and fills each envelope") {
  const Vote v = parse_vote(approval_vote(), {});  // one envelope of 100
  Tally t(v);
  t.add({"a", "b"});
  t.add({"a", "b"});
  t.add({"c", "d"});
  t.add({"c", "d", "piscine"});  // an id the vote does not know counts for nothing
  t.add_duplicate();
  const VoteResults r = t.results();
  CHECK(r.counted == 4);
  CHECK(r.duplicates == 1);
  REQUIRE(r.envelopes.size() == 1);
  const auto& p = r.envelopes[0].projects;
  // a, b, c, d have 2 votes each: cheapest first (d 10, c 40, b 50, a 60); d and c fit (50),
  // b fits (100), a no longer does.
  REQUIRE(p.size() == 4);
  CHECK(p[0].project == "d");
  CHECK(p[1].project == "c");
  CHECK(p[2].project == "b");
  CHECK(p[3].project == "a");
  CHECK((p[0].winner && p[1].winner && p[2].winner && !p[3].winner));
  CHECK(r.envelopes[0].allotted_eur == 100);
  CHECK(r.envelopes[0].ballots == 4);
  CHECK(results_from_json(results_to_json(r)).envelopes[0].projects[2].project == "b");
}

TEST_CASE("a project that no longer fits is skipped and the next one that fits still wins") {
  const Vote& v = demo_vote();
  Tally t(v);
  for (int i = 0; i < 5; ++i) t.add({"aire-de-jeux"});        // 80,000
  for (int i = 0; i < 4; ++i) t.add({"pistes-cyclables"});    // 60,000: 140,000
  for (int i = 0; i < 3; ++i) t.add({"jardin-partage"});      // 45,000: over 150,000, skipped
  for (int i = 0; i < 2; ++i) t.add({"boite-a-livres"});      // 12,000: 152,000 > 150,000 — skipped too
  t.add({"abri-velos-gare"});
  const auto r = t.results();
  const auto& town = r.envelopes[0].projects;
  CHECK(town[0].project == "aire-de-jeux");
  CHECK(town[0].winner);
  CHECK(town[1].winner);
  CHECK_FALSE(town[2].winner);
  CHECK_FALSE(town[3].winner);
  CHECK(r.envelopes[0].allotted_eur == 140000);
  CHECK(r.envelopes[1].projects[0].project == "abri-velos-gare");
  CHECK(r.envelopes[1].projects[0].winner);
  CHECK_FALSE(r.envelopes[1].projects[1].winner);  // no vote: never a winner
}

TEST_CASE("receipt codes as people type them") {
  CHECK(normal_receipt("k7m2-9qxd") == "K7M29QXD");
  CHECK(normal_receipt(" K7M2 9QXD ") == "K7M29QXD");
  CHECK(normal_receipt("O1LI-0000") == "01110000");
  CHECK(normal_receipt("K7M2-9QX").empty());
  CHECK(normal_receipt("K7M2-9QXU").empty());
  CHECK(shown_receipt("K7M29QXD") == "K7M2-9QXD");
}
