#include "tour.hpp"

#include <catch2/catch.hpp>

#include "allervers/passes/pass.hpp"

namespace allervers::test {

namespace {

// Any 32 bytes make a sealing key: this one is for drawing the contact steps only.
constexpr const char* kOfficeKey = "c2NyZWVuc2hvdHMtb25seS1ub3QtYS1yZWFsLWtleSE=";

HarnessOptions options_for(const TourSize& size) {
  HarnessOptions o;
  o.width = size.width;
  o.height = size.height;
  o.text_scale = size.text_scale;
  o.language = size.language;
  o.high_contrast = size.high_contrast;
  o.office_public_key = kOfficeKey;
  // The budget consultation also asks one question, so the activity choice shows.
  o.edit_catalog = [](nlohmann::json& catalog) {
    for (auto& c : catalog["consultations"])
      if (c["id"] == "budget-participatif-2027")
        c["questions"] = nlohmann::json::array({{{"id", "connu"},
                                                 {"type", "yes_no"},
                                                 {"label", {{"fr", "Connaissiez-vous le budget participatif ?"},
                                                            {"en", "Did you know about the participatory budget?"}}}}});
  };
  return o;
}

void enter_pin(Harness& h, const std::string& pin) {
  for (char digit : pin) h.tap(std::string("key:") + digit);
  h.tap("next");
}

}  // namespace

void tour_agent(const TourSize& size, const Visit& visit) {
  Harness h(options_for(size));
  const std::string lang = size.language;
  visit(h, "agent home");
  h.tap("quit");
  visit(h, "agent home: quit?");
  h.tap("quit:cancel");
  h.tap("close");
  visit(h, "welcome");
  h.tap("staff");
  visit(h, "PIN");
  h.tap("back");
  h.tap("language:" + lang);
  visit(h, "consultations");
  h.tap("consultation:budget-participatif-2027");
  visit(h, "activity choice");
  h.tap("back");

  // A whole survey, each question before and after its answer.
  h.tap("consultation:place-jean-jaures");
  h.tap("next");  // refused: no answer yet
  visit(h, "survey: Next refused");
  for (int i = 0; i < 12 && h.view().screen == app::Screen::survey; ++i) {
    const auto& q = h.engine().consultation()->questions[h.view().survey.index];
    visit(h, "survey: " + q.id);
    if (q.id == "frequence") h.tap("answer:tous-les-jours");
    if (q.id == "usages") h.tap("answer:marche");
    if (q.id == "satisfaction" || q.id == "stationnement") h.tap("answer:3");
    if (q.id == "arbres") h.tap("answer:no");
    if (q.id == "arbres-pourquoi" || q.id == "commentaire")
      h.type("Les racines des platanes soulèvent le trottoir devant l’école, et les poussettes passent mal.");
    if (q.id == "priorites")
      for (const char* option : {"answer:ombre", "answer:bancs", "answer:velos", "answer:jeux"}) h.tap(option);
    if (q.id == "quartier") h.tap("answer:gare");
    if (q.id == "age") h.tap("answer:30-44");
    visit(h, "survey: " + q.id + " answered");
    h.tap("next");
  }
  REQUIRE(h.view().screen == app::Screen::thanks);
  visit(h, "thanks");
  h.tap("finish");

  // A whole idea, with its refusals.
  h.tap("language:" + lang);
  h.tap("consultation:budget-participatif-2027");
  h.tap("activity:idea");
  visit(h, "idea: title");
  REQUIRE(h.can_tap("key:other_layout") == (lang == "ar"));  // the language's own letters, one key away
  if (h.can_tap("key:other_layout")) {
    h.tap("key:other_layout");
    visit(h, "idea: title, the language's other letters");
    h.tap("key:accents");
    visit(h, "idea: title, the other letters' second layer");
    h.tap("key:letters");
    h.tap("key:other_layout");
  }
  h.tap("next");
  visit(h, "idea: title refused");
  h.type("Un jardin partagé");
  h.tap("next");
  h.type("Court");
  h.tap("next");
  visit(h, "idea: description refused");
  std::string long_text;
  for (int i = 0; i < 6; ++i)
    long_text += "Des bacs de légumes près de l’école, entretenus par les habitants et les enfants du quartier. ";
  h.type(long_text);
  visit(h, "idea: description, a long text");
  h.tap("next");
  visit(h, "idea: theme");
  h.tap("answer:nature");
  h.tap("next");
  visit(h, "idea: neighbourhood");
  h.tap("answer:gare");
  h.tap("next");
  visit(h, "idea: place");
  h.tap("skip");
  h.type("12500");
  visit(h, "idea: cost");
  h.tap("next");
  visit(h, "idea: contact offer");
  h.tap("contact:yes");
  visit(h, "idea: consent");
  h.tap("consent:yes");
  visit(h, "idea: contact");
  h.type("marie");
  h.tap("next");
  visit(h, "idea: contact refused");
}

void tour_kiosk(const TourSize& size, const Visit& visit) {
  auto o = options_for(size);
  o.kiosk = true;
  Harness h(o);
  visit(h, "kiosk welcome");
  h.tap("language:" + size.language);
  h.tap("consultation:place-jean-jaures");
  h.tap("answer:parfois");
  h.advance_seconds(80);
  REQUIRE(h.view().idle_countdown_ms);
  visit(h, "countdown over a question");
  h.tap("still_here");
  h.tap("back");
  h.tap("back");
  h.tap("staff");
  for (int i = 0; i < 5; ++i) enter_pin(h, "1111");
  visit(h, "PIN locked");
  h.advance_seconds(301);
  h.tap("staff");
  enter_pin(h, "2468");
  REQUIRE(h.view().screen == app::Screen::staff);
  visit(h, "kiosk settings");
}

void tour_desk(const TourSize& size, const Visit& visit) {
  const auto town = passes::TownKey::generate();
  {
    Harness h(options_for(size));
    hold_town_key(h.store(), town);
    hold_device_key(h.store(), town);
    h.engine().reload_catalog();
    h.engine().apply(app::command::OpenSignIn{});  // no assembly chosen yet: the desk's list
    h.frames(2);
    visit(h, "desk: assemblies");
    h.tap("assembly:conseil-centre-2026-12");
    visit(h, "desk: ready, no camera");
    const auto scan = [&](const std::string& code) {
      std::int64_t t = 1'000'000;
      for (char c : code) h.app().key_character(static_cast<unsigned char>(c), t += 4);
      h.app().key_enter(t + 4);
      h.frames(2);
    };
    scan("https://example.org/not-a-pass");
    visit(h, "desk: refused");
    const auto pass = passes::issue_town_pass(town, passes::PassId::random());
    scan(pass);
    visit(h, "desk: welcome");
    scan(pass);
    visit(h, "desk: already signed in");
    h.tap("typed_code");
    visit(h, "desk: typing a code");
    h.tap("typed_submit");  // refused: too short
    h.type("K7QM2XPA9D5");
    h.tap("typed_submit");
    visit(h, "desk: code refused");
    h.tap("typed_cancel");
    h.tap("without_pass");
    visit(h, "desk: sign-in form");
    h.tap("neighbourhood:gare");
    h.tap("age:30-44");
    visit(h, "desk: sign-in form answered");
    h.tap("next");
    REQUIRE(h.view().screen == app::Screen::pass_issued);
    visit(h, "desk: pass issued");
    h.tap("finish");
    h.tap("staff");
    enter_pin(h, "2468");
    h.tap("enrol");
    visit(h, "enrol: scanning");
    h.engine().apply(app::command::Scanned{"allervers-enrol:https://mairie.example/#ABCD", app::command::Scanned::Source::camera, 0});
    h.frames(2);
    visit(h, "enrol: cannot run here");
    h.engine().enrolment_finished(true, "Appareil enrôlé auprès de https://mairie.example (Borne du hall).");
    h.frames(2);
    visit(h, "enrol: done");
  }
  {
    Harness h(options_for(size));  // no signing key: the sign-in is recorded without a pass
    hold_town_key(h.store(), town);
    h.engine().reload_catalog();
    h.tap("desk_assembly:conseil-centre-2026-12");
    h.tap("open_desk");
    h.tap("without_pass");
    h.tap("next");
    REQUIRE(h.view().screen == app::Screen::pass_issued);
    visit(h, "desk: signed in without a pass");
  }
}

void tour_vote(const TourSize& size, const Visit& visit) {
  const auto town = passes::TownKey::generate();
  HarnessOptions o = options_for(size);
  o.kiosk = true;
  o.votes = true;
  Harness h(o);
  hold_town_key(h.store(), town);
  const auto scan = [&](const std::string& code) {
    std::int64_t t = 1'000'000;
    for (char c : code) h.app().key_character(static_cast<unsigned char>(c), t += 4);
    h.app().key_enter(t + 4);
    h.frames(2);
  };
  h.tap("language:" + size.language);
  h.tap("consultation:place-jean-jaures");
  visit(h, "activity choice with a vote");
  h.tap("vote:budget-2027-vote");
  visit(h, "vote: show your pass, no camera");
  scan("https://example.org/not-a-pass");
  visit(h, "vote: pass refused");
  h.tap("typed_code");
  visit(h, "vote: typing the fallback code");
  h.tap("typed_cancel");
  const auto pass = passes::PassId::random();
  scan(passes::issue_town_pass(town, pass));
  visit(h, "vote: minimum age");
  h.tap("age:yes");
  visit(h, "vote: empty basket");
  h.tap("next");
  visit(h, "vote: empty basket refused");
  for (const char* p : {"project:boite-a-livres", "project:aire-de-jeux", "project:jardin-partage", "project:pistes-cyclables"})
    h.tap(p);
  visit(h, "vote: over the envelope");
  h.tap("project:abri-velos-gare");
  h.tap("next");
  visit(h, "vote: summary");
  h.tap("next");
  REQUIRE(h.view().screen == app::Screen::thanks);
  visit(h, "vote: thank-you with the receipt");
  h.tap("finish");
  h.tap("language:" + size.language);
  h.tap("consultation:place-jean-jaures");
  h.tap("vote:budget-2027-vote");
  scan(passes::issue_town_pass(town, pass));
  visit(h, "vote: already voted");
  h.tap("finish");
  h.tap("language:" + size.language);
  h.tap("consultation:place-jean-jaures");
  h.tap("vote:budget-2027-vote");
  scan(passes::issue_town_pass(town, passes::PassId::random()));
  h.advance_seconds(static_cast<double>(h.view().idle_seconds) + 1);
  visit(h, "welcome after a vote left half-way");

  // The results, once the office closed the vote and published them.
  HarnessOptions closed = options_for(size);
  closed.kiosk = true;
  closed.votes = true;
  closed.edit_catalog = [](nlohmann::json& catalog) {
    auto& v = catalog["votes"][0];
    v["state"] = "closed";
    nlohmann::json projects = nlohmann::json::array();
    bool first = true;
    for (const auto& p : v["projects"]) {
      if (p.value("neighbourhood", "") == "gare") continue;
      projects.push_back({{"id", p["id"]}, {"votes", 100}, {"winner", first}});
      first = false;
    }
    v["results"] = {{"counted", 1234},
                    {"duplicates", 5},
                    {"envelopes", {{{"neighbourhood", ""}, {"amount_eur", 150000}, {"allotted_eur", 80000}, {"ballots", 1200}, {"projects", projects}},
                                   {{"neighbourhood", "gare"}, {"amount_eur", 60000}, {"allotted_eur", 35000}, {"ballots", 300},
                                    {"projects", {{{"id", "abri-velos-gare"}, {"votes", 300}, {"winner", true}}}}}}}};
  };
  Harness r(closed);
  r.tap("language:" + size.language);
  r.tap("consultation:place-jean-jaures");
  visit(r, "activity choice with results");
  r.tap("results:budget-2027-vote");
  visit(r, "vote results");

  // « Où en est mon idée ? » and « Mon vote a-t-il été compté ? », from what a sync brought.
  hold_outcomes(r.store(),
                demo_outcomes(r.store(), "K7QM-2XHD", "faisable",
                              "Le service des sports l’a étudiée : trois abris couverts, posés au printemps.", "K7M2-9QXD", true),
                harness_start().utc_ms - 3'600'000);
  r.advance_seconds(static_cast<double>(r.view().idle_seconds) + 1);
  r.tap("follow:idea");
  visit(r, "follow idea: typing the code");
  r.type("K7QM2XHD");
  r.tap("follow_submit");
  visit(r, "follow idea: the town's answer");
  r.tap("follow_again");
  r.type("0000-0001");
  r.tap("follow_submit");
  visit(r, "follow idea: unknown code");
  r.tap("follow_again");
  r.tap("follow_scan");
  visit(r, "follow idea: scanning, no camera");
  r.tap("back");
  r.tap("follow:ballot");
  r.type("ABCDEFGU");  // U is never in a code
  r.tap("follow_submit");
  visit(r, "follow ballot: not a code");
  r.tap("follow_language:ar");
  visit(r, "follow ballot: in Arabic");
  r.tap("back");
  r.tap("follow:ballot");
  r.type("K7M29QXD");
  r.tap("follow_submit");
  visit(r, "follow ballot: counted");
}

}  // namespace allervers::test
