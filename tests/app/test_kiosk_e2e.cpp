// The kiosk's screens end to end with a real server: a resident votes through the vote booth's
// real screens (the harness drives the app as a finger would), the kiosk syncs to a real
// allervers-server process, the office closes the vote and publishes its results, the kiosk
// syncs them down, and then shows the results screen and answers « Mon vote a-t-il été
// compté ? » for the receipt its own thank-you screen gave — "counted" — and an unknown code
// with « pas encore reçu ».
#include <catch2/catch.hpp>

#include "allervers/passes/pass.hpp"
#include "allervers/server/api.hpp"
#include "allervers/server/pass_keys.hpp"
#include "allervers/server/store.hpp"
#include "allervers/server/vote_admin.hpp"
#include "allervers/sync/client.hpp"
#include "e2e_support.hpp"
#include "harness.hpp"

using namespace allervers;
using allervers::test::Harness;
using allervers::test::HarnessOptions;

namespace {

constexpr const char* kVote = "budget-2027-vote";

}  // namespace

TEST_CASE("a ballot cast on the kiosk's screens is counted at a real server, and the kiosk says so after syncing the results") {
  test::TempDir dir;
  const std::string database = "sqlite:" + (dir.path() / "server.db").string();
  e2e::ServerProcess server(database, dir.path());
  server.extra_args = {"--public-url", "https://participer.example.fr"};
  server.start();

  // The coordinator opens the demo catalog's vote from the console's store (as the console's
  // vote pages do), so the office can count and close it.
  core::SystemClock real;
  {
    auto store = server::open_store(database);
    const auto published = server::merge_catalogs(store->catalogs());
    const core::Vote* demo = published.catalog.find_vote(kVote);
    REQUIRE(demo);
    server::save_vote_draft(*store, *demo, real.now());
    server::publish_vote(*store, kVote, server::VoteStage::open, false, real.now());
  }

  HarnessOptions o;
  o.kiosk = true;
  o.votes = true;
  Harness h(o);
  // The kiosk's own sync client on its database, against the real server's clock.
  sync::SyncClient client(h.store(), real);
  client.enrol(server.url(), e2e::make_enrol_code(database, "Borne mairie"));
  REQUIRE(client.sync().ok());
  h.engine().reload_catalog();
  REQUIRE(h.engine().catalog().find_vote(kVote));

  // A resident with a pass the town printed votes on the kiosk's screens.
  std::string pass;
  {
    auto store = server::open_store(database);
    pass = passes::issue_town_pass(server::town_key(*store, real.now()), passes::PassId::random());
  }
  h.tap("language:fr");
  h.tap("consultation:place-jean-jaures");
  h.tap(std::string("vote:") + kVote);
  h.hand_scan(pass);
  REQUIRE(h.view().vote.step == app::VoteStep::age);
  h.tap("age:yes");
  for (const char* p : {"project:boite-a-livres", "project:aire-de-jeux", "project:jardin-partage", "project:abri-velos-gare"}) h.tap(p);
  h.tap("next");
  REQUIRE(h.view().vote.step == app::VoteStep::summary);
  h.tap("next");  // « Valider mon vote »
  REQUIRE(h.view().screen == app::Screen::thanks);
  const std::string receipt = h.view().receipt;
  REQUIRE_FALSE(receipt.empty());
  // The thank-you's QR code opens the public page that checks this receipt.
  CHECK(h.view().receipt_url == "https://participer.example.fr/votes/recu?code=" + receipt);
  CHECK(h.app().find("receipt_qr"));
  h.tap("finish");

  // Before it is sent: the kiosk says it holds the ballot.
  h.tap("follow:ballot");
  h.type(receipt);
  h.tap("follow_submit");
  CHECK(h.app().find("answer:here_pending"));
  h.tap("finish");

  // Up to the server; the office closes the vote and publishes its results.
  const auto up = client.sync();
  REQUIRE(up.ok());
  CHECK(up.accepted == 1);
  CHECK(up.outcomes_updated);  // brought down after the upload: the ballot's outcome with it
  {
    auto store = server::open_store(database);
    CHECK(store->find_receipt(receipt).state == server::ReceiptState::counted);
    server::publish_vote(*store, kVote, server::VoteStage::closed, true, real.now());
  }
  const auto down = client.sync();
  REQUIRE(down.ok());
  CHECK(down.catalog_updated);
  CHECK_FALSE(down.outcomes_updated);  // closing the vote changed no ballot's outcome: a 304
  h.engine().sync_news(true, false);  // as the kiosk's sync thread tells the engine

  // The results screen, from the synced catalog.
  h.tap("language:fr");
  h.tap("consultation:place-jean-jaures");
  h.tap(std::string("results:") + kVote);
  REQUIRE(h.view().screen == app::Screen::vote_results);
  CHECK(h.words().find("1 bulletins comptés.") != std::string::npos);
  CHECK(h.words().find("Retenu") != std::string::npos);  // the ballot's projects, winners of a one-ballot count
  h.advance_seconds(static_cast<double>(h.view().idle_seconds) + 1);
  REQUIRE(h.view().screen == app::Screen::welcome);

  // « Mon vote a-t-il été compté ? »: counted, from the outcomes synced down, offline.
  server.stop();
  h.tap("follow:ballot");
  h.type(receipt);
  h.tap("follow_submit");
  CHECK(h.app().find("answer:counted"));
  CHECK(h.words().find("Votre vote a été compté.") != std::string::npos);
  h.tap("follow_again");
  h.type("ZZZZ-ZZZZ");
  h.tap("follow_submit");
  CHECK(h.app().find("answer:unknown"));
}
