// What residents read and how the answers are offered (issue 11's smaller defects): nothing
// leans, nothing faint, nothing offered that the answer cannot be.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "allervers/app/ui.hpp"
#include "harness.hpp"

using namespace allervers;
using allervers::test::Harness;
using allervers::test::HarnessOptions;

namespace {
// Any 32 bytes make a sealing key: this one is for drawing the contact steps only.
constexpr const char* kOfficeKey = "c2NyZWVuc2hvdHMtb25seS1ub3QtYS1yZWFsLWtleSE=";

void same_size(Harness& h, const std::string& a, const std::string& b) {
  const auto* x = h.app().find(a);
  const auto* y = h.app().find(b);
  REQUIRE(x);
  REQUIRE(y);
  CHECK(x->max.x - x->min.x == Approx(y->max.x - y->min.x));
  CHECK(x->max.y - x->min.y == Approx(y->max.y - y->min.y));
  CHECK(x->min.y == Approx(y->min.y));  // side by side: neither above the other
}

// An idea told from the agent's home up to its neighbourhood step: title, description, theme.
void idea_up_to_its_neighbourhood(Harness& h) {
  h.tap("close");
  h.tap("language:fr");
  h.tap("consultation:budget-participatif-2027");
  h.type("Un jardin partagé");
  h.tap("next");
  h.type("Des bacs de légumes près de l’école.");
  h.tap("next");
  h.tap("answer:nature");
  h.tap("next");
}

}  // namespace

TEST_CASE("the idea's neighbourhood offers the town's, not \"I live outside the town\"; yes and no weigh the same") {
  HarnessOptions o;
  o.office_public_key = kOfficeKey;
  Harness h(o);
  idea_up_to_its_neighbourhood(h);
  REQUIRE(h.view().idea.step == app::IdeaStep::neighbourhood);
  CHECK(h.driver().visible("answer:centre"));
  CHECK_FALSE(h.app().find("answer:hors-commune"));
  h.tap("answer:gare");
  h.tap("next");
  h.tap("skip");
  h.tap("skip");
  REQUIRE(h.view().idea.step == app::IdeaStep::contact_offer);
  same_size(h, "contact:yes", "contact:no");
  h.tap("contact:yes");
  REQUIRE(h.view().idea.step == app::IdeaStep::consent);
  same_size(h, "consent:yes", "consent:no");
}

TEST_CASE("the question count counts every question: an answer that brings in a follow-up never moves the total") {
  Harness h;
  h.tap("close");
  h.tap("language:fr");
  h.tap("consultation:place-jean-jaures");
  const auto* consultation = h.engine().catalog().find("place-jean-jaures", 1);
  REQUIRE(consultation);
  const std::string total = " sur " + std::to_string(consultation->questions.size());
  std::vector<std::string> counts;
  const auto count = [&] {
    const auto* progress = h.app().find("progress");
    REQUIRE(progress);
    counts.push_back(progress->text);
  };
  count();
  h.tap("answer:parfois");
  h.tap("next");
  count();
  h.tap("skip");
  count();
  h.tap("answer:4");
  h.tap("next");
  count();
  h.tap("answer:no");  // "Non" brings in "Pourquoi ?"
  count();
  h.tap("next");
  REQUIRE(h.view().survey.index == 4);
  count();
  const std::vector<std::string> expected = {"Question 1" + total, "Question 2" + total, "Question 3" + total,
                                             "Question 4" + total, "Question 4" + total, "Question 5" + total};
  CHECK(counts == expected);
}

TEST_CASE("the thank-you says what the status line says: sent in a moment when connected, once connected when not") {
  for (const bool online : {false, true}) {
    INFO((online ? "online" : "offline"));
    Harness h;
    h.engine().set_network(online ? app::Network::online : app::Network::offline, true);
    idea_up_to_its_neighbourhood(h);
    h.tap("answer:gare");
    h.tap("next");
    for (int step = 0; step < 6 && h.view().screen != app::Screen::thanks; ++step) h.tap(h.can_tap("skip") ? "skip" : "next");
    REQUIRE(h.view().screen == app::Screen::thanks);
    const std::string words = h.words();
    INFO(words);
    if (online) {
      CHECK_THAT(words, Catch::Contains("Tout part à la mairie dans quelques instants."));
      CHECK_THAT(words, !Catch::Contains("dès que l’appareil sera connecté"));
    } else {
      CHECK_THAT(words, Catch::Contains("dès que l’appareil sera connecté"));
    }
  }
}

TEST_CASE("the agent menu says a sync problem in the agent's words, never a command line") {
  Harness h;
  h.engine().set_network(app::Network::not_enrolled, true);
  h.frames(2);
  REQUIRE(h.view().screen == app::Screen::staff);
  const std::string words = h.words();
  INFO(words);
  CHECK_THAT(words, Catch::Contains("Cet appareil n’est pas encore enrôlé"));
  CHECK_THAT(words, !Catch::Contains("allervers-device"));
  CHECK_THAT(words, !Catch::Contains("not enrolled"));
}
