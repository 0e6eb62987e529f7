// The review of an idea: every allowed change, every refusal with the field it names.
#include <catch2/catch.hpp>

#include "allervers/core/idea_review.hpp"

using namespace allervers::core;
using S = IdeaState;

namespace {
const std::vector<std::string> kReasons{"hors_competence", "deja_prevu"};

ReviewChange to(S state) {
  ReviewChange c;
  c.to = state;
  return c;
}
}  // namespace

TEST_CASE("idea states have stable names and French labels") {
  for (S s : kAllIdeaStates) {
    CHECK(idea_state_named(to_string(s)) == s);
    CHECK(std::string(french_label(s)) != "?");
  }
  CHECK(std::string(to_string(S::soumise_au_vote)) == "soumise_au_vote");
  CHECK(std::string(french_label(S::recue)) == "reçue");
  CHECK_FALSE(idea_state_named("reçue"));
}

TEST_CASE("the whole way from reçue to réalisée is allowed, one step at a time") {
  ReviewChange c = to(S::recevable);
  CHECK_FALSE(check_review_change(S::recue, c, kReasons));
  c = to(S::en_etude);
  c.assignee = "voirie";
  c.estimated_cost_eur = 12000;
  CHECK_FALSE(check_review_change(S::recevable, c, kReasons));
  c = to(S::faisable);
  c.public_answer = "Le service voirie peut installer ces bancs au printemps.";
  CHECK_FALSE(check_review_change(S::en_etude, c, kReasons));
  CHECK_FALSE(check_review_change(S::faisable, to(S::soumise_au_vote), kReasons));
  CHECK_FALSE(check_review_change(S::soumise_au_vote, to(S::laureate), kReasons));
  CHECK_FALSE(check_review_change(S::soumise_au_vote, to(S::non_retenue), kReasons));
  CHECK_FALSE(check_review_change(S::laureate, to(S::en_travaux), kReasons));
  CHECK_FALSE(check_review_change(S::en_travaux, to(S::realisee), kReasons));
}

TEST_CASE("a change that skips a state is refused, naming the states missing") {
  ReviewChange c = to(S::faisable);
  c.public_answer = "Oui.";
  const auto p = check_review_change(S::recue, c, kReasons);
  REQUIRE(p);
  CHECK(p->field == "to");
  CHECK(p->message == "Une idée « reçue » ne peut pas devenir directement « faisable » : elle doit d’abord être « recevable » puis « en étude ».");
  const auto vote = check_review_change(S::recevable, to(S::soumise_au_vote), kReasons);
  REQUIRE(vote);
  CHECK(vote->message.find("« en étude » puis « faisable »") != std::string::npos);
}

TEST_CASE("going back, repeating a state or leaving a final state is refused") {
  auto p = check_review_change(S::en_etude, to(S::recevable), kReasons);
  REQUIRE(p);
  CHECK(p->message == "Une idée « en étude » ne peut plus devenir « recevable » : elle peut seulement devenir « faisable » ou « non faisable ».");
  p = check_review_change(S::recevable, to(S::recevable), kReasons);
  REQUIRE(p);
  CHECK(p->message == "L’idée est déjà « recevable ».");
  p = check_review_change(S::non_recevable, to(S::recevable), kReasons);
  REQUIRE(p);
  CHECK(p->message.find("réponse finale") != std::string::npos);
  CHECK(check_review_change(S::non_faisable, to(S::soumise_au_vote), kReasons));
}

TEST_CASE("each state asks for what it needs") {
  SECTION("non recevable: a reason from the town's list") {
    ReviewChange c = to(S::non_recevable);
    auto p = check_review_change(S::recue, c, kReasons);
    REQUIRE(p);
    CHECK(p->field == "reason");
    c.reason = "pas_envie";
    p = check_review_change(S::recue, c, kReasons);
    REQUIRE(p);
    CHECK(p->message == "Le motif « pas_envie » n’est pas dans la liste de la ville.");
    c.reason = "deja_prevu";
    c.reason_text = "Les travaux de la place sont votés pour 2027.";
    CHECK_FALSE(check_review_change(S::recue, c, kReasons));
  }
  SECTION("en étude: someone to study it") {
    const auto p = check_review_change(S::recevable, to(S::en_etude), kReasons);
    REQUIRE(p);
    CHECK(p->field == "assignee");
  }
  SECTION("faisable and non faisable: a public explanation") {
    for (S s : {S::faisable, S::non_faisable}) {
      ReviewChange c = to(s);
      c.public_answer = "  \n ";
      const auto p = check_review_change(S::en_etude, c, kReasons);
      REQUIRE(p);
      CHECK(p->field == "public_answer");
      CHECK(p->message == "L’explication publique (montrée aux habitants) est obligatoire.");
    }
  }
  SECTION("texts: valid, bounded; costs: not negative") {
    ReviewChange c = to(S::faisable);
    c.public_answer = std::string(kMaxPublicAnswer + 1, 'a');
    CHECK(check_review_change(S::en_etude, c, kReasons)->field == "public_answer");
    c.public_answer = std::string("bad\x01");
    CHECK(check_review_change(S::en_etude, c, kReasons)->field == "public_answer");
    c.public_answer = "Oui";
    c.estimated_cost_eur = -5;
    CHECK(check_review_change(S::en_etude, c, kReasons)->field == "estimated_cost_eur");
  }
}

TEST_CASE("milestones belong to projects being built") {
  CHECK_FALSE(check_milestone(S::en_travaux, "2027-03-15", "Début du chantier"));
  CHECK_FALSE(check_milestone(S::realisee, "2027-06-01", "Inauguration"));
  CHECK(check_milestone(S::laureate, "2027-03-15", "Début")->field == "milestone");
  CHECK(check_milestone(S::en_travaux, "15/03/2027", "Début")->field == "day");
  CHECK(check_milestone(S::en_travaux, "2027-13-01", "Début")->field == "day");
  CHECK(check_milestone(S::en_travaux, "2027-03-15", " ")->field == "text");
}
