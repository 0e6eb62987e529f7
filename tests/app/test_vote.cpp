// The vote booth through the real screens: a pass read by a hand scanner or typed as its
// fallback code, the minimum age, the basket against the envelopes, the summary, « Valider
// mon vote », the receipt code; and every refusal said on the spot (dates, age, revoked pass,
// a second ballot, the envelope, the minimum share), the idle reset that records nothing.
#include <catch2/catch.hpp>

#include "allervers/core/settings.hpp"
#include "allervers/passes/pass.hpp"
#include "allervers/passes/voter.hpp"
#include "harness.hpp"

using namespace allervers;
using allervers::test::Harness;
using allervers::test::HarnessOptions;

namespace {

constexpr const char* kVote = "budget-2027-vote";

HarnessOptions with_vote(bool kiosk = true) {
  HarnessOptions o;
  o.kiosk = kiosk;
  o.votes = true;
  return o;
}

// From the welcome screen to the vote's first step, in French.
void open_booth(Harness& h) {
  h.tap("language:fr");
  h.tap("consultation:place-jean-jaures");
  REQUIRE(h.view().screen == app::Screen::activity_choice);
  h.tap(std::string("vote:") + kVote);
  REQUIRE(h.view().screen == app::Screen::vote);
  REQUIRE(h.view().vote.step == app::VoteStep::identify);
}

// A hand scanner types the code and Enter, as fast as scanners do.
void hand_scan(Harness& h, const std::string& code) { h.hand_scan(code); }

std::vector<core::Ballot> stored_ballots(Harness& h) {
  std::vector<core::Ballot> out;
  h.store().for_each_capture([&](const storage::StoredCapture& c) {
    if (const auto* b = c.capture.ballot()) out.push_back(*b);
  });
  return out;
}
std::size_t ballots(Harness& h) { return stored_ballots(h).size(); }

}  // namespace

TEST_CASE("a resident votes at the kiosk: pass, age, basket, summary, « Valider mon vote », receipt") {
  const auto town = passes::TownKey::generate();
  Harness h(with_vote());
  test::hold_town_key(h.store(), town);
  h.store().set_setting(core::settings::public_url, "https://participer.saint-aubin-sur-loire.fr");  // as a sync stores it
  open_booth(h);
  CHECK(h.words().find("Montrez votre pass") != std::string::npos);
  const auto pass = passes::PassId::random();
  hand_scan(h, passes::issue_town_pass(town, pass));
  REQUIRE(h.view().vote.step == app::VoteStep::age);
  h.tap("age:yes");
  REQUIRE(h.view().vote.step == app::VoteStep::choose);

  // The basket: under the town-wide envelope's minimum share, said when moving on.
  h.tap("project:boite-a-livres");
  CHECK(h.words().find("Toute la ville\u00a0: 12\u202f000\u00a0€ choisis sur 150\u202f000\u00a0€") != std::string::npos);
  CHECK(h.words().find("75\u202f000\u00a0€)") != std::string::npos);  // the minimum share
  h.tap("next");
  CHECK(h.view().vote.step == app::VoteStep::choose);
  CHECK(h.words().find("minimum d’une enveloppe") != std::string::npos);
  // Over the envelope: refused at the tap, the basket unchanged.
  h.tap("project:aire-de-jeux");
  h.tap("project:jardin-partage");
  h.tap("project:pistes-cyclables");  // 12 000 + 80 000 + 45 000 + 60 000 > 150 000
  CHECK(h.view().vote.basket == std::vector<std::string>{"boite-a-livres", "aire-de-jeux", "jardin-partage"});
  CHECK(h.words().find("dépasserait l’enveloppe") != std::string::npos);
  h.tap("project:abri-velos-gare");  // the Gare's own envelope: 35 000 of 60 000, at least 30 000
  h.tap("next");
  REQUIRE(h.view().vote.step == app::VoteStep::summary);
  CHECK(h.words().find("Une aire de jeux aux Prés-Fleuris") != std::string::npos);
  CHECK(ballots(h) == 0);
  h.tap("next");  // « Valider mon vote »
  REQUIRE(h.view().screen == app::Screen::thanks);

  // Stored before the thank-you, holding the keyed hash and never the pass id.
  const auto stored = stored_ballots(h);
  REQUIRE(stored.size() == 1);
  const core::Ballot* b = &stored.front();
  CHECK(b->vote == kVote);
  CHECK(b->age_confirmed);
  CHECK(b->voter == passes::voter_hash(*h.engine().catalog().find_vote(kVote), pass.str()));
  CHECK(b->voter.find(pass.str()) == std::string::npos);
  // The receipt: big, grouped, with how to check it.
  CHECK(h.view().receipt == core::shown_receipt(b->receipt));
  CHECK(h.words().find(h.view().receipt) != std::string::npos);
  CHECK(h.words().find("Votre code de vote") != std::string::npos);
  // Its QR code opens the page saying whether it was counted — not the consultation's page —
  // and shows whole without scrolling on a 1280×800 kiosk.
  CHECK(h.view().receipt_url == "https://participer.saint-aubin-sur-loire.fr/votes/recu?code=" + h.view().receipt);
  const auto* qr = h.app().find("receipt_qr");
  REQUIRE(qr);
  CHECK(qr->wholly_visible());
  CHECK_FALSE(h.app().find("online_qr"));

  // The same pass again, typed as its fallback code this time: refused, nothing stored.
  h.tap("finish");
  open_booth(h);
  h.tap("typed_code");
  h.type(pass.fallback_code());
  h.tap("typed_submit");
  REQUIRE(h.view().vote.step == app::VoteStep::refused);
  CHECK(h.words().find("déjà voté sur cet appareil") != std::string::npos);
  CHECK(ballots(h) == 1);
}

TEST_CASE("the booth refuses on the spot: age, revoked pass, dates, a mistyped code, and a vote left half-way") {
  const auto town = passes::TownKey::generate();
  Harness h(with_vote());
  test::hold_town_key(h.store(), town);
  const auto revoked = passes::PassId::random();
  passes::RevocationList list;
  list.passes.insert(revoked);
  h.store().set_setting(core::settings::revocations, list.to_json());

  open_booth(h);
  hand_scan(h, passes::issue_town_pass(town, revoked));
  CHECK(h.view().vote.step == app::VoteStep::identify);
  CHECK(h.words().find("déclaré perdu") != std::string::npos);
  hand_scan(h, "https://example.org/not-a-pass");
  CHECK(h.view().vote.step == app::VoteStep::identify);
  h.tap("typed_code");
  h.type("K7QM2XPA9D5");  // a wrong check character
  h.tap("typed_submit");
  CHECK(h.words().find("n’est pas reconnu") != std::string::npos);
  h.tap("typed_cancel");

  hand_scan(h, passes::issue_town_pass(town, passes::PassId::random()));
  h.tap("age:no");
  CHECK(h.view().vote.step == app::VoteStep::refused);
  CHECK(h.words().find("à partir de 16 ans") != std::string::npos);
  h.tap("finish");
  CHECK(h.view().screen == app::Screen::welcome);

  // Left in the middle of the basket: the kiosk's idle reset, and the welcome says so.
  open_booth(h);
  hand_scan(h, passes::issue_town_pass(town, passes::PassId::random()));
  h.tap("age:yes");
  h.tap("project:boite-a-livres");
  h.advance_seconds(static_cast<double>(h.view().idle_seconds) + 1);
  REQUIRE(h.view().screen == app::Screen::welcome);
  CHECK(h.words().find("aucun vote n’a été enregistré") != std::string::npos);
  CHECK(ballots(h) == 0);
  h.advance_seconds(31);
  CHECK(h.words().find("aucun vote n’a été enregistré") == std::string::npos);

  // After the last day: the card still shows its dates, a tap is refused in words.
  h.clock().set(core::Instant{h.clock().now().utc_ms + 400LL * 86'400'000, 60});
  h.tap("language:fr");
  h.tap("consultation:place-jean-jaures");
  h.tap(std::string("vote:") + kVote);
  CHECK(h.view().screen == app::Screen::activity_choice);
  CHECK(h.words().find("Ce vote est terminé") != std::string::npos);
}

TEST_CASE("an approval vote counts projects between its minimum and maximum") {
  const auto town = passes::TownKey::generate();
  HarnessOptions o = with_vote(false);
  o.edit_catalog = [](nlohmann::json& catalog) {
    auto& v = catalog["votes"][0];
    v["rule"] = "approval";
    v["min_projects"] = 2;
    v["max_projects"] = 3;
    v["min_age"] = 0;
    v.erase("min_share_percent");
  };
  Harness h(o);
  test::hold_town_key(h.store(), town);
  h.tap("close");  // the agent home hands over to the welcome screen
  open_booth(h);
  hand_scan(h, passes::issue_town_pass(town, passes::PassId::random()));
  REQUIRE(h.view().vote.step == app::VoteStep::choose);  // no minimum age: straight to the basket
  h.tap("project:jardin-partage");
  h.tap("next");
  CHECK(h.words().find("Choisissez davantage de projets") != std::string::npos);
  for (const char* p : {"project:aire-de-jeux", "project:pistes-cyclables", "project:boite-a-livres"}) h.tap(p);
  CHECK(h.view().vote.basket.size() == 3);
  CHECK(h.words().find("le maximum") != std::string::npos);
  CHECK(h.words().find("3 projet(s) choisi(s), de 2 à 3") != std::string::npos);
  h.tap("next");
  h.tap("next");
  CHECK(h.view().screen == app::Screen::thanks);
  CHECK(ballots(h) == 1);
}

TEST_CASE("a closed vote's published results show at the kiosk from the synced catalog") {
  HarnessOptions o = with_vote();
  o.edit_catalog = [](nlohmann::json& catalog) {
    auto& v = catalog["votes"][0];
    v["state"] = "closed";
    v["results"] = {{"counted", 212},
                    {"duplicates", 3},
                    {"envelopes",
                     {{{"neighbourhood", ""}, {"amount_eur", 150000}, {"allotted_eur", 137000}, {"ballots", 198},
                       {"projects", {{{"id", "aire-de-jeux"}, {"votes", 120}, {"winner", true}},
                                     {{"id", "pistes-cyclables"}, {"votes", 97}, {"winner", false}}}}},
                      {{"neighbourhood", "gare"}, {"amount_eur", 60000}, {"allotted_eur", 35000}, {"ballots", 41},
                       {"projects", {{{"id", "abri-velos-gare"}, {"votes", 41}, {"winner", true}}}}}}}};
  };
  Harness h(o);
  h.tap("language:fr");
  h.tap("consultation:place-jean-jaures");
  CHECK_FALSE(h.can_tap(std::string("vote:") + kVote));  // closed: no more ballots
  h.tap(std::string("results:") + kVote);
  REQUIRE(h.view().screen == app::Screen::vote_results);
  const auto words = h.words();
  CHECK(words.find("212 bulletins comptés") != std::string::npos);
  CHECK(words.find("Retenu\u00a0: Une aire de jeux aux Prés-Fleuris — 120 voix") != std::string::npos);
  CHECK(words.find("Relier les pistes cyclables du centre — 97 voix") != std::string::npos);
  CHECK(words.find("Quartier de la Gare") != std::string::npos);
  h.tap("back");
  CHECK(h.view().screen == app::Screen::activity_choice);
}
