// Layouts hold on every screen, in every app language, at 100 % and 200 % and in high contrast,
// on a landscape and a portrait tablet, and at every text size from 100 % to 200 % in French:
// the layout checker walks what each screen drew (nothing cut off, nothing overlapping, every
// field wholly in sight, the keyboard whole, targets a finger's size, no state shown by its
// colour alone). Then the moves a finger makes: dragging scrolls wherever content scrolls, and
// a control tapped twice in the same place does the same thing twice.
#include <catch2/catch.hpp>

#include <map>

#include "allervers/app/layout_check.hpp"
#include "allervers/app/translations.hpp"
#include "harness.hpp"
#include "tour.hpp"

using namespace allervers;
using allervers::test::Harness;

namespace {

void check_here(Harness& h, const std::string& where) {
  // What a person sees: the screen once settled (ImGui sizes a scrolling body, and scrolls a
  // field into sight, from the frame before: two frames, a thirtieth of a second).
  h.frames(2);
  const float display = app::display_scale_for(h.width(), h.height(), 1.0f);
  const auto problems = app::check_layout(h.app().items(), {ImVec2(h.width(), h.height()), 48.0f * display, 1.0f,
                                                            h.app().text_layout().rtl()});
  INFO(where << " at " << h.width() << "x" << h.height() << ", text " << h.view().scale * 100 << " %, "
             << h.view().language << (h.view().high_contrast ? ", high contrast" : "") << "\n"
             << app::describe(problems));
  CHECK(problems.empty());
}

void tour_all(const test::TourSize& size) {
  test::tour_agent(size, check_here);
  test::tour_kiosk(size, check_here);
  test::tour_desk(size, check_here);
  test::tour_vote(size, check_here);
}

void tour_every_text_size(float width, float height) {
  for (int percent = 100; percent <= 200; percent += 10)
    tour_all({width, height, static_cast<float>(percent) / 100.0f});
}

// Every app language (the shipped six, and any file a town drops in) × normal, large text
// (200 %) and high contrast.
void tour_every_language(float width, float height) {
  const auto languages = app::available_languages(test::assets_dir() / "i18n");
  REQUIRE(languages.size() >= 6);
  for (const auto& language : languages) {
    tour_all({width, height, 1.0f, language, false});
    tour_all({width, height, 2.0f, language, false});
    tour_all({width, height, 1.0f, language, true});
  }
}

}  // namespace

TEST_CASE("every screen holds in every language, text 100 % and 200 % and high contrast, at 1280x800") {
  tour_every_language(1280, 800);
}
TEST_CASE("every screen holds in every language, text 100 % and 200 % and high contrast, at 800x1280") {
  tour_every_language(800, 1280);
}
TEST_CASE("every screen holds at 1280x800, text 100 % to 200 %") { tour_every_text_size(1280, 800); }
TEST_CASE("every screen holds at 800x1280, text 100 % to 200 %") { tour_every_text_size(800, 1280); }
TEST_CASE("every screen holds at 1920x1080, text 100 % to 200 %") { tour_every_text_size(1920, 1080); }

TEST_CASE("the layout checker says what is cut off, spills or overlaps") {
  const app::LayoutRules rules{ImVec2(800, 600), 48.0f};
  std::vector<app::ItemRect> items(4);
  items[0] = {"next", ImVec2(600, 560), ImVec2(780, 640), true, ImVec2(0, 0), ImVec2(800, 600)};   // off the bottom
  items[1] = {"back", ImVec2(10, 500), ImVec2(200, 540), true, ImVec2(0, 0), ImVec2(800, 600)};    // too short
  items[1].content_min = ImVec2(5, 505);                                                          // label spills left
  items[1].content_max = ImVec2(150, 530);
  items[2] = {"skip", ImVec2(150, 480), ImVec2(300, 560), true, ImVec2(0, 0), ImVec2(800, 600)};  // covers "back"
  items[3] = {"field", ImVec2(10, 100), ImVec2(790, 300), true, ImVec2(0, 50), ImVec2(800, 250)};
  items[3].kind = app::ItemKind::field;
  items[3].in_body = true;
  const auto text = app::describe(app::check_layout(items, rules));
  CHECK_THAT(text, Catch::Contains("next: is cut off at the bottom of the screen"));
  CHECK_THAT(text, Catch::Contains("back: is smaller than a finger"));
  CHECK_THAT(text, Catch::Contains("back: has words spilling out of it"));
  CHECK_THAT(text, Catch::Contains("back: overlaps skip"));
  CHECK_THAT(text, Catch::Contains("field: is a text field not wholly in sight"));
  // A state drawn by its colour only: said; with its tick, it passes.
  std::vector<app::ItemRect> chosen(1);
  chosen[0] = {"answer:yes", ImVec2(10, 10), ImVec2(300, 90), true, ImVec2(0, 0), ImVec2(800, 600)};
  chosen[0].state = "selected";
  CHECK_THAT(app::describe(app::check_layout(chosen, rules)), Catch::Contains("answer:yes: shows « selected » by its colour alone"));
  chosen[0].sign = "tick";
  CHECK(app::check_layout(chosen, rules).empty());
}

TEST_CASE("the layout checker says when a row of buttons does not run the reading's way") {
  // Back drawn first, then Next, side by side: from the left in French, from the right in Arabic.
  std::vector<app::ItemRect> row(2);
  row[0] = {"back", ImVec2(10, 500), ImVec2(200, 560), true, ImVec2(0, 0), ImVec2(800, 600)};
  row[1] = {"next", ImVec2(600, 500), ImVec2(790, 560), true, ImVec2(0, 0), ImVec2(800, 600)};
  app::LayoutRules rules{ImVec2(800, 600), 48.0f};
  CHECK(app::check_layout(row, rules).empty());
  rules.rtl = true;
  CHECK_THAT(app::describe(app::check_layout(row, rules)),
             Catch::Contains("next: comes after back but sits right of it on a right-to-left screen"));
  std::swap(row[0].min.x, row[1].min.x);
  std::swap(row[0].max.x, row[1].max.x);
  CHECK(app::check_layout(row, rules).empty());
  rules.rtl = false;
  CHECK_THAT(app::describe(app::check_layout(row, rules)), Catch::Contains("next: comes after back but sits left of it"));
  // One above the other is no row.
  row[1].min = ImVec2(10, 100);
  row[1].max = ImVec2(200, 160);
  CHECK(app::check_layout(row, rules).empty());
}

TEST_CASE("a larger text size scales text and targets with the font, the keyboard with the display") {
  Harness h;
  const auto* close = h.app().find("close");
  REQUIRE(close);
  const float before = close->max.y - close->min.y;
  for (int i = 0; i < 10; ++i) {
    h.tap("scale:plus");
    h.frames(3);  // a finger's pause: the page reflows and the + comes back under it
  }
  CHECK(h.view().scale == Approx(2.0f));
  h.tap("scale:plus");  // 200 % is the largest: said in words
  CHECK(h.view().scale == Approx(2.0f));
  CHECK(h.view().notice);
  h.frames(2);
  const auto* bigger = h.app().find("close");
  REQUIRE(bigger);
  CHECK(bigger->max.y - bigger->min.y > before * 1.3f);
}

TEST_CASE("the text-size + stays under the finger: the same spot tapped again makes the text bigger again") {
  for (const auto& [w, hgt] : {std::pair<float, float>{1280, 800}, {800, 1280}, {1920, 1080}}) {
    test::HarnessOptions o;
    o.width = w;
    o.height = hgt;
    Harness h(o);
    h.tap("scale:plus");
    h.frames(6);  // a finger's pause: the page reflows and the + comes back under it
    const auto* plus = h.app().find("scale:plus");
    REQUIRE(plus);
    const ImVec2 spot = plus->center();
    for (int step = 2; step <= 10; ++step) {
      INFO("tap " << step << " at " << spot.x << "," << spot.y << " — " << h.on_screen());
      const auto screen = h.view().screen;
      h.app().inject_mouse(spot, false);
      h.frame();
      h.app().inject_mouse(spot, true);
      h.frame();
      h.app().inject_mouse(spot, false);
      h.frame();
      h.app().clear_injection();
      h.frames(6);
      CHECK(h.view().screen == screen);
      CHECK(h.view().scale == Approx(1.0f + 0.1f * static_cast<float>(step)));
    }
  }
}

TEST_CASE("drag to scroll: long screens scroll under the finger, and a drag is not a tap") {
  Harness h;  // the agent home is longer than 800 px
  const auto* other = h.app().find("channel:other");
  REQUIRE(other);
  CHECK_FALSE(other->visible());
  // A finger lands on "let people choose" (not chosen yet) and drags the list up: it
  // scrolls, nothing is chosen.
  h.tap("featured:place-jean-jaures");
  REQUIRE(h.view().featured_consultation == "place-jean-jaures");
  const auto* all = h.app().find("featured:");
  REQUIRE(all);
  REQUIRE(all->visible());
  const float y_before = all->min.y;
  const ImVec2 from = all->center();
  h.driver().drag(from, ImVec2(from.x, from.y - 250));
  h.frames(2);
  CHECK(h.view().featured_consultation == "place-jean-jaures");
  const auto* moved = h.app().find("featured:");
  REQUIRE(moved);
  CHECK(moved->min.y < y_before - 200);
  // The driver scrolls by dragging too when what it must tap is out of sight.
  h.tap("channel:other");
  CHECK(h.view().channel == core::Channel::other);
}

TEST_CASE("wherever content scrolls, a drag scrolls it: every screen of the tour, at 200 %") {
  const auto drag_scrolls = [](Harness& h, const std::string& where) {
    h.frames(2);  // ImGui knows a screen's height from its previous frame
    const auto* body = h.app().find("body");
    if (!body || body->scroll_max < 1.0f) return;  // everything in sight: nothing to scroll
    if (app::has_overlay(h.view())) return;          // an overlay takes every touch, drags too
    INFO(where << " — scroll " << body->scroll_y << " of " << body->scroll_max << " — " << h.on_screen());
    const float before = body->scroll_y, body_max = body->scroll_max;
    const float up = before < body->scroll_max * 0.5f ? -1.0f : 1.0f;  // towards the side with room
    const ImVec2 c = body->center();
    // From the body's middle, 200 px: out of the body if it is short (the drag goes on).
    h.driver().drag(c, ImVec2(c.x, c.y + up * 200.0f));
    const auto* after = h.app().find("body");
    REQUIRE(after);
    CHECK(std::abs(after->scroll_y - before) > std::min(20.0f, body_max * 0.5f));
  };
  const test::TourSize size{1280, 800, 2.0f};
  test::tour_agent(size, drag_scrolls);
  test::tour_desk(size, drag_scrolls);
  test::tour_vote(size, drag_scrolls);
}

TEST_CASE("the scroll bar stands where reading starts: on the right in French, on the left in Arabic, and follows the scroll") {
  std::map<std::string, int> checked;  // screens that scroll, by language
  const auto bar_side = [&checked](Harness& h, const std::string& where) {
    h.frames(2);
    const auto* body = h.app().find("body");
    if (!body || body->scroll_max < 1.0f || app::has_overlay(h.view())) return;
    const bool rtl = h.app().text_layout().rtl();
    INFO(where << " in " << h.view().language << " — scroll " << body->scroll_y << " of " << body->scroll_max);
    // At the body's own edge, within its height.
    if (rtl) CHECK(std::abs(body->bar_min.x - body->min.x) < 0.5f);
    else CHECK(std::abs(body->bar_max.x - body->max.x) < 0.5f);
    CHECK(body->bar_max.x - body->bar_min.x > 4.0f);
    CHECK(body->bar_min.y >= body->min.y - 0.5f);
    CHECK(body->bar_max.y <= body->max.y + 0.5f);
    CHECK(body->bar_max.y - body->bar_min.y < body->max.y - body->min.y);  // a part is hidden: the grab is shorter
    // Nothing drawn in the body under it.
    for (const auto& item : h.app().items())
      if (item.in_body && item.kind != app::ItemKind::body && item.visible() && item.max.y > body->bar_min.y &&
          item.min.y < body->bar_max.y) {
        INFO(item.id);
        if (rtl) CHECK(item.min.x >= body->bar_max.x - 1.5f);
        else CHECK(item.max.x <= body->bar_min.x + 1.5f);  // ImGui's own room for its bar, to a pixel
      }
    // Scrolled towards the end, the grab goes down with it.
    const float before = body->bar_min.y;
    const float scrolled = body->scroll_y;
    const ImVec2 c = body->center();
    h.driver().drag(c, ImVec2(c.x, c.y - 200.0f));
    h.frames(2);
    const auto* after = h.app().find("body");
    REQUIRE(after);
    if (after->scroll_y > scrolled + 1.0f) CHECK(after->bar_min.y > before);
    ++checked[h.view().language];
  };
  for (const char* language : {"fr", "ar"}) {
    const test::TourSize size{800, 1280, 2.0f, language, false};
    test::tour_agent(size, bar_side);
  }
  CHECK(checked["fr"] > 5);  // screens that scroll were met, in both languages
  CHECK(checked["ar"] > 5);
}

TEST_CASE("coming back to a screen finds it scrolled where it was left") {
  Harness h;
  h.tap("enrol");  // far down the agent home: the driver scrolls to it
  REQUIRE(h.view().screen == app::Screen::enrol);
  h.tap("back");
  REQUIRE(h.view().screen == app::Screen::staff);
  const auto* enrol = h.app().find("enrol");
  REQUIRE(enrol);
  CHECK(enrol->visible());
}
