// Layouts hold at the sizes we ship on: every touch target at least 48 px, nothing off the
// screen's sides, the navigation and the keyboard fully on screen.
#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace allervers;
using allervers::test::Harness;

namespace {

void check_screen(Harness& h, float width, float height) {
  INFO(h.on_screen() << " at " << width << "x" << height);
  for (const auto& item : h.app().items()) {
    INFO(item.id << " at (" << item.min.x << "," << item.min.y << ")-(" << item.max.x << "," << item.max.y << ")");
    if (item.id != "error" && item.id != "body") {
      CHECK(item.max.y - item.min.y >= 48.0f);
      CHECK(item.max.x - item.min.x >= 48.0f);
    }
    CHECK(item.min.x >= 0.0f);
    CHECK(item.max.x <= width);
    const bool in_body = h.view().screen == app::Screen::staff;  // the staff screen's PIN pad scrolls
    const bool fixed = item.id == "next" || item.id == "back" || item.id == "skip" ||
                       (item.id.rfind("key:", 0) == 0 && !in_body) || item.id == "staff" || item.id == "finish" ||
                       item.id == "quit" || item.id == "close";
    if (fixed) {
      CHECK(item.min.y >= 0.0f);
      CHECK(item.max.y <= height);
    }
  }
}

}  // namespace

TEST_CASE("every main screen holds at 1280x800, 800x1280 and 1920x1080") {
  const auto [width, height] = GENERATE(std::pair<float, float>{1280, 800}, std::pair<float, float>{800, 1280},
                                        std::pair<float, float>{1920, 1080});
  test::HarnessOptions options;
  options.width = width;
  options.height = height;
  options.office_public_key = "c2NyZWVuc2hvdHMtb25seS1ub3QtYS1yZWFsLWtleSE=";
  Harness h(options);
  check_screen(h, width, height);  // agent home
  h.tap("close");
  check_screen(h, width, height);  // welcome
  h.tap("language:fr");
  check_screen(h, width, height);  // consultations
  h.tap("consultation:place-jean-jaures");
  // Every question of the survey.
  h.tap("answer:tous-les-jours");
  for (int i = 0; i < 12 && h.view().screen == app::Screen::survey; ++i) {
    check_screen(h, width, height);
    const auto& q = h.engine().consultation()->questions[h.view().survey.index];
    if (q.id == "arbres") h.tap("answer:no");
    if (q.id == "arbres-pourquoi") h.type("Parce que");
    if (q.id == "priorites") h.tap("answer:ombre");
    if (q.id == "satisfaction" || q.id == "stationnement") h.tap("answer:3");
    if (h.can_tap("next")) h.tap("next");
    else h.tap("skip");
  }
  REQUIRE(h.view().screen == app::Screen::thanks);
  check_screen(h, width, height);
  h.tap("finish");
  // Every step of an idea.
  h.tap("language:fr");
  h.tap("consultation:budget-participatif-2027");
  for (const char* text : {"Un jardin", "Un jardin partagé pour le quartier."}) {
    check_screen(h, width, height);
    h.type(text);
    h.tap("next");
  }
  check_screen(h, width, height);
  h.tap("answer:nature");
  h.tap("next");
  check_screen(h, width, height);
  h.tap("answer:gare");
  h.tap("next");
  check_screen(h, width, height);
  h.tap("skip");
  check_screen(h, width, height);
  h.tap("skip");
  check_screen(h, width, height);  // contact offer
  h.tap("contact:yes");
  check_screen(h, width, height);  // consent
  h.tap("consent:yes");
  check_screen(h, width, height);  // contact
}

TEST_CASE("a larger text size scales touch targets with the font") {
  Harness h;
  const auto* close = h.app().find("close");
  REQUIRE(close);
  const float before = close->max.y - close->min.y;
  for (int i = 0; i < 5; ++i) h.tap("scale:plus");
  CHECK(h.view().scale == Approx(1.5f));
  h.frames(2);
  const auto* bigger = h.app().find("close");
  REQUIRE(bigger);
  CHECK(bigger->max.y - bigger->min.y > before * 1.3f);
}

TEST_CASE("drag to scroll: long screens scroll under the finger, and a drag is not a tap") {
  Harness h;  // the agent home is longer than 800 px
  const auto* other = h.app().find("channel:other");
  REQUIRE(other);
  CHECK_FALSE(other->visible());
  const auto* market = h.app().find("channel:market");
  REQUIRE(market);
  REQUIRE(market->visible());
  const float y_before = market->min.y;
  // A finger lands on "Market" and drags the list up: it scrolls, nothing is chosen.
  h.driver().drag(market->center(), ImVec2(market->center().x, market->center().y - 250));
  CHECK(h.view().channel == core::Channel::door_to_door);
  const auto* moved = h.app().find("channel:market");
  REQUIRE(moved);
  CHECK(moved->min.y < y_before - 200);
  // The driver scrolls by dragging too when what it must tap is out of sight.
  h.tap("channel:other");
  CHECK(h.view().channel == core::Channel::other);
}
