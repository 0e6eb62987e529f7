// « Où en est mon idée ? » and « Mon vote a-t-il été compté ? » through the real screens: from
// the welcome screen, the code typed on the keyboard or read by a scanner from the thank-you
// screen's QR code; the answer from what the device holds — saved here, arrived, the town's
// state and answer, counted or flagged, unknown — in words and an icon, as of the last sync;
// a wrong code said; the language switched on the spot; the idle reset forgets it all.
#include <catch2/catch.hpp>

#include "allervers/app/bidi.hpp"
#include "allervers/core/receipt.hpp"
#include "allervers/core/text.hpp"
#include "allervers/core/settings.hpp"
#include "allervers/core/validation.hpp"
#include "harness.hpp"

using namespace allervers;
using allervers::test::Harness;
using allervers::test::HarnessOptions;

namespace {

HarnessOptions kiosk(bool votes = false) {
  HarnessOptions o;
  o.kiosk = true;
  o.votes = votes;
  return o;
}

// An idea stored on this device as the idea screens store it; its receipt code.
std::string store_idea(Harness& h) {
  core::Capture c;
  c.id = core::UuidGenerator(3).next(h.clock().now().utc_ms);
  c.device = h.store().identity().device;
  c.consultation = "budget-participatif-2027";
  c.version = 1;
  c.channel = core::Channel::kiosk;
  c.captured_at = h.clock().now();
  c.body = core::Idea{"Un abri à vélos couvert", "Devant la médiathèque.", "mobilites", "gare", "", std::nullopt, std::nullopt};
  const auto result = core::validate(c, h.store().catalog(), h.clock().now());
  REQUIRE(result.ok());
  h.store().add(result.valid());
  return core::receipt_code(c.id);
}

void ask(Harness& h, const std::string& which, const std::string& code) {
  h.tap("follow:" + which);
  REQUIRE(h.view().screen == app::Screen::follow);
  h.type(code);
  h.tap("follow_submit");
}

// From an answer: « Un autre code », typed, « Voir la réponse ».
void another(Harness& h, const std::string& code) {
  h.tap("follow_again");
  h.type(code);
  h.tap("follow_submit");
}

bool shows(Harness& h, const std::string& words) { return h.words().find(words) != std::string::npos; }

}  // namespace

TEST_CASE("« Où en est mon idée ? »: saved here, then the town's state and answer as of the last sync; wrong codes said") {
  Harness h(kiosk());
  const std::string code = store_idea(h);
  CHECK_FALSE(h.can_tap("follow:ballot"));  // no vote in this town: only the idea's question

  // Never synced: saved on this kiosk, and said that the town has sent nothing yet.
  ask(h, "idea", code);
  REQUIRE(h.view().follow.answered);
  CHECK(h.app().find("answer:here_pending"));
  CHECK(shows(h, "Votre idée est enregistrée sur cette borne."));
  CHECK(shows(h, "Cette borne n’a encore reçu aucune information de la mairie"));

  // A sync brought the town's answer.
  const auto synced = h.clock().now().utc_ms;
  test::hold_outcomes(h.store(), test::demo_outcomes(h.store(), code, "faisable", "Trois abris, posés au printemps.", "K7M2-9QXD", true),
                      synced);
  another(h, code.substr(0, 4) + code.substr(5));  // without its hyphen
  CHECK(h.app().find("answer:0:faisable"));
  CHECK(shows(h, "Faisable\u00a0: elle pourra être soumise au vote."));
  CHECK(shows(h, "Trois abris, posés au printemps."));
  CHECK(shows(h, "Informations de la mairie reçues par cette borne le 23 novembre 2026 à 10:00."));

  // A code nobody was given; one that cannot be a code (U is not in the alphabet); too short.
  another(h, "0000-0001");
  CHECK(h.app().find("answer:unknown"));
  CHECK(shows(h, "Aucune idée n’a ce code ici."));
  another(h, "ABCDEFGU");
  CHECK_FALSE(h.view().follow.answered);
  CHECK(shows(h, "«\u00a0ABCDEFGU\u00a0» n’est pas un code"));
  CHECK(h.view().screen == app::Screen::follow);
  h.tap("back");
  h.tap("follow:idea");
  h.type("K7QM");
  CHECK_FALSE(h.can_tap("follow_submit"));  // four characters: refused, in words

  // The idle reset forgets the code and the answer.
  h.advance_seconds(static_cast<double>(h.view().idle_seconds) + 1);
  CHECK(h.view().screen == app::Screen::welcome);
  CHECK(h.view().follow.typed_code.empty());
  CHECK_FALSE(h.view().follow.answered);
}

TEST_CASE("« Mon vote a-t-il été compté ? »: counted or flagged from the synced outcomes, the code scanned from the thank-you's QR") {
  Harness h(kiosk(true));
  test::hold_outcomes(h.store(), test::demo_outcomes(h.store(), "K7QM-2XHD", "recue", "", "K7M2-9QXD", true), h.clock().now().utc_ms);
  ask(h, "ballot", "k7m2 9qxd");  // as a person types it
  CHECK(h.app().find("answer:counted"));
  CHECK(shows(h, "Votre vote a été compté."));
  CHECK(shows(h, "Vote\u00a0: Budget participatif 2027"));

  // Flagged: a second ballot of a voter already counted.
  test::hold_outcomes(h.store(), test::demo_outcomes(h.store(), "K7QM-2XHD", "recue", "", "K7M2-9QXD", false), h.clock().now().utc_ms);
  h.tap("follow_again");
  // The QR code of the thank-you screen, read by a hand scanner: the page's address with the code.
  h.tap("follow_scan");
  CHECK(h.engine().wants_scanner());
  h.engine().apply(app::command::Scanned{"https://participer.saint-aubin-sur-loire.fr/votes/recu?code=K7M2-9QXD",
                                         app::command::Scanned::Source::hand_scanner, 0});
  h.frame();
  CHECK(h.app().find("answer:flagged"));
  CHECK(shows(h, "Ce bulletin n’a pas été compté."));
  CHECK_FALSE(h.engine().wants_scanner());

  // Not received anywhere yet.
  another(h, "ZZZZ-ZZZZ");
  CHECK(h.app().find("answer:unknown"));
  CHECK(shows(h, "Ce code n’a pas encore été reçu."));

  // In Arabic, on the spot, right to left.
  h.tap("follow_language:ar");
  CHECK(h.view().language == "ar");
  CHECK(shows(h, "لم يصل هذا الرمز بعد."));
  h.tap("finish");
  CHECK(h.view().screen == app::Screen::welcome);
  CHECK(h.view().language == "fr");  // the next resident starts in French again
}

TEST_CASE("« Où en est mon idée ? » in Arabic: the town's French words keep their own order, the languages run from the right") {
  Harness h(kiosk());
  auto outcomes = test::demo_outcomes(h.store(), "K7QM-2XHD", "en_travaux", "Trois abris, posés au printemps.", "K7M2-9QXD", true);
  outcomes.ideas[0].milestones = {{"2027-03-01", "Début du chantier devant la médiathèque."}};
  test::hold_outcomes(h.store(), outcomes, h.clock().now().utc_ms);
  ask(h, "idea", "K7QM-2XHD");
  h.tap("follow_language:ar");
  REQUIRE(h.view().language == "ar");
  REQUIRE(h.app().find("answer:0:en_travaux"));
  // As drawn on this right-to-left screen: each French text whole, its full stop at its end
  // (not « .Début du chantier »), the day of the milestone read first, at the right.
  const auto drawn = [&](const char* id) {
    const app::ItemRect* item = h.app().find(id);
    REQUIRE(item);
    return core::decode_utf8(app::bidi::visual(item->text, app::bidi::Direction::rtl));
  };
  const std::u32string answer = drawn("public_answer");
  CHECK(answer == U"Trois abris, posés au printemps.");
  const std::u32string milestone = drawn("milestone");
  INFO(h.app().find("milestone")->text);
  const auto french = milestone.find(U"Début du chantier devant la médiathèque.");
  CHECK(french == 0);  // read last: at the left
  CHECK(milestone.find(U"2027") != std::u32string::npos);

  // The languages in a row from the reading side: French first, at the right.
  const app::ItemRect* fr = h.app().find("follow_language:fr");
  const app::ItemRect* en = h.app().find("follow_language:en");
  REQUIRE(fr);
  REQUIRE(en);
  CHECK(fr->min.x > en->max.x);
  h.tap("follow_language:fr");
  CHECK(h.app().find("follow_language:fr")->max.x < h.app().find("follow_language:en")->min.x);
}
