// Seeing (issue 14): the high-contrast theme and the usual one reach WCAG's ratios for every
// text the app draws, residents and staff switch the theme, and no state is shown by its
// colour alone — what is chosen carries a tick, refusals an icon, verdicts and the network
// their words.
#include <catch2/catch.hpp>

#include <string>
#include <tuple>

#include "allervers/app/layout_check.hpp"
#include "allervers/app/palette.hpp"
#include "allervers/core/settings.hpp"
#include "allervers/passes/pass.hpp"
#include "harness.hpp"

using namespace allervers;
using allervers::test::Harness;
using allervers::test::HarnessOptions;

namespace {

const app::ItemRect& item(Harness& h, const std::string& id) {
  const auto* i = h.app().find(id);
  INFO(id << " — " << h.on_screen());
  REQUIRE(i);
  return *i;
}

}  // namespace

TEST_CASE("every text colour on its background reaches 4.5:1, and 7:1 in high contrast (WCAG AA, AAA)") {
  for (const auto theme : {app::Theme::normal, app::Theme::high_contrast}) {
    const float least = app::required_contrast(theme);
    const auto pairs = app::text_pairs(app::palette(theme));
    CHECK(pairs.size() >= 30);  // every widget's words: screen, fields, boxes, buttons and their states, the desk
    for (const auto& pair : pairs) {
      const float ratio = app::contrast_ratio(pair.ink, pair.paper);
      INFO((theme == app::Theme::high_contrast ? "high contrast: " : "usual theme: ") << pair.what << " at " << ratio << ":1");
      CHECK(ratio >= least);
    }
  }
  CHECK(app::required_contrast(app::Theme::high_contrast) == 7.0f);
  CHECK(app::contrast_ratio(IM_COL32(255, 255, 255, 255), IM_COL32(0, 0, 0, 255)) == Approx(21.0f));
  CHECK(app::contrast_ratio(IM_COL32(119, 119, 119, 255), IM_COL32(255, 255, 255, 255)) == Approx(4.48f).epsilon(0.01));
}

TEST_CASE("high contrast: a resident turns it on at the welcome, the next one starts without it") {
  Harness h;
  h.tap("close");
  CHECK_FALSE(h.view().high_contrast);
  CHECK(ImGui::GetStyle().Colors[ImGuiCol_WindowBg].x > 0.9f);  // the usual warm white
  h.tap("high_contrast");
  REQUIRE(h.view().high_contrast);
  h.frame();
  CHECK(ImGui::GetStyle().Colors[ImGuiCol_WindowBg].x == 0.0f);  // black, white words
  CHECK(ImGui::GetStyle().Colors[ImGuiCol_Text].x == 1.0f);
  CHECK(item(h, "high_contrast").sign == "ticked box");
  h.tap("language:fr");
  h.tap("consultation:place-jean-jaures");
  CHECK(h.view().high_contrast);  // kept through the resident's whole visit
  h.engine().apply(app::command::CancelSession{});
  h.frame();
  CHECK_FALSE(h.view().high_contrast);
}

TEST_CASE("high contrast: staff make it every resident's start, kept by the device") {
  HarnessOptions o;
  Harness h(o);
  h.tap("high_contrast");  // the agent's home: the default for everyone
  CHECK(h.view().high_contrast_default);
  CHECK(h.view().high_contrast);
  CHECK(h.store().setting(core::settings::high_contrast) == "1");
  h.tap("close");
  CHECK(h.view().high_contrast);
  h.tap("high_contrast");  // a resident may still turn it off for themselves
  CHECK_FALSE(h.view().high_contrast);
  h.engine().apply(app::command::CancelSession{});
  CHECK(h.view().high_contrast);  // the next one starts in it again
}

TEST_CASE("never colour alone: a chosen answer has a tick or a filled mark, the unchosen an empty one") {
  Harness h;
  h.tap("close");
  h.tap("language:fr");
  h.tap("consultation:place-jean-jaures");
  h.tap("answer:tous-les-jours");
  h.frame();
  CHECK(item(h, "answer:tous-les-jours").state == "selected");
  CHECK(item(h, "answer:tous-les-jours").sign == "filled circle");
  CHECK(item(h, "answer:parfois").state == "unselected");
  CHECK(item(h, "answer:parfois").sign == "empty circle");
  h.tap("next");
  h.tap("answer:marche");
  h.frame();
  CHECK(item(h, "answer:marche").sign == "ticked box");
  h.tap("next");
  // A scale, smileys and yes/no are buttons: the chosen one has a tick besides its colour.
  int buttons_checked = 0;
  for (int i = 0; i < 8 && h.view().screen == app::Screen::survey; ++i) {
    const auto& q = h.engine().consultation()->questions[h.view().survey.index];
    std::string chosen;
    if (q.type == core::QuestionType::smiley || q.type == core::QuestionType::scale_1_5) chosen = "answer:3";
    if (q.type == core::QuestionType::yes_no) chosen = "answer:no";
    if (!chosen.empty()) {
      h.tap(chosen);
      h.frame();
      INFO(q.id);
      CHECK(item(h, chosen).state == "selected");
      CHECK(item(h, chosen).sign == "tick");
      const std::string other = chosen == "answer:no" ? "answer:yes" : "answer:4";
      CHECK(item(h, other).state.empty());
      ++buttons_checked;
    }
    if (q.id == "priorites") h.tap("answer:ombre");  // required
    h.tap(chosen.empty() && h.app().find("skip") ? "skip" : "next");
  }
  CHECK(buttons_checked >= 2);  // the demo's smileys and its yes/no at least
}

TEST_CASE("never colour alone: a refusal has its icon and its words, the network its words, the desk's verdicts their headline") {
  Harness h;
  h.tap("close");  // an agent's tablet: the status line on top of every resident's screen
  const auto* status = [&]() -> const app::ItemRect* {
    for (const auto& i : h.app().items())
      if (i.state.rfind("network:", 0) == 0) return &i;
    return nullptr;
  }();
  REQUIRE(status);
  CHECK(status->sign.rfind("words: ", 0) == 0);
  CHECK(status->text.find(status->sign.substr(7)) != std::string::npos);  // the line says it
  h.tap("language:fr");
  h.tap("consultation:place-jean-jaures");
  h.tap("next");  // no answer yet: refused, in words and with a warning sign
  h.frame();
  CHECK(item(h, "notice").state == "warning");
  CHECK(item(h, "notice").sign.find("!") != std::string::npos);
  CHECK_FALSE(item(h, "notice").text.empty());

  // The desk: welcome, already here, refused — each says so in its headline.
  const auto town = passes::TownKey::generate();
  Harness d;
  test::hold_town_key(d.store(), town);
  test::hold_device_key(d.store(), town);
  d.engine().reload_catalog();
  d.engine().apply(app::command::OpenSignIn{});
  d.frames(2);
  d.tap("assembly:conseil-centre-2026-12");
  const auto scan = [&](const std::string& code) {
    std::int64_t t = 1'000'000;
    for (char c : code) d.app().key_character(static_cast<unsigned char>(c), t += 4);
    d.app().key_enter(t + 4);
    d.frames(2);
  };
  const auto pass = passes::issue_town_pass(town, passes::PassId::random());
  for (const auto& [code, id, state] : {std::tuple<std::string, std::string, std::string>{pass, "verdict:welcome", "welcome"},
                                        {pass, "verdict:already", "already here"},
                                        {"https://example.org/not-a-pass", "verdict:refused", "refused"}}) {
    scan(code);
    INFO(id);
    CHECK(item(d, id).state == state);
    CHECK(item(d, id).sign.size() > 8);  // "words: " and the headline
  }
}
