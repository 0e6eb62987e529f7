// The kiosk's rules: the idle countdown and reset, the staff PIN and its lockout, and the
// on-screen keyboard typing French.
#include <catch2/catch.hpp>

#include "allervers/app/staff_pin.hpp"
#include "allervers/core/settings.hpp"
#include "harness.hpp"

using namespace allervers;
using allervers::test::Harness;
using allervers::test::HarnessOptions;

namespace {
HarnessOptions kiosk() {
  HarnessOptions o;
  o.kiosk = true;
  o.staff_pin = "2468";
  return o;
}

void type_pin(Harness& h, const std::string& pin) {
  for (char digit : pin) h.tap(std::string("key:") + digit);
}
}  // namespace

TEST_CASE("a kiosk left alone mid-survey counts down, then forgets the answers and welcomes the next person") {
  Harness h(kiosk());
  REQUIRE(h.view().screen == app::Screen::welcome);
  REQUIRE(h.view().idle_seconds == 90);
  h.tap("language:en");
  h.tap("consultation:place-jean-jaures");
  h.tap("answer:tous-les-jours");
  h.tap("next");
  h.tap("answer:marche");
  REQUIRE(h.view().survey.answers.size() == 2);

  h.advance_seconds(70);
  CHECK_FALSE(h.view().idle_countdown_ms);
  CHECK_FALSE(h.driver().visible("still_here"));
  CHECK(h.engine().ms_until_next_timer().value() == 5'000);  // when the countdown starts
  h.advance_seconds(10);  // 80 s: the last 15 s are counted down on screen
  REQUIRE(h.view().idle_countdown_ms);
  CHECK(*h.view().idle_countdown_ms == 10'000);
  CHECK(h.driver().visible("still_here"));
  CHECK(h.engine().ms_until_next_timer().value() <= 1000);  // the loop wakes to redraw the seconds
  h.clock().advance_ms(400);
  CHECK(h.engine().ms_until_next_timer().value() == 600);  // computed from the clock, between frames

  // The dimmed screen swallows taps meant for what is under it... (the tap itself is input,
  // so the countdown stops, but "Back" did nothing)
  const auto index = h.view().survey.index;
  h.driver().tap("back");
  CHECK(h.view().survey.index == index);
  CHECK(h.view().screen == app::Screen::survey);
  h.advance_seconds(80);
  REQUIRE(h.view().idle_countdown_ms);
  // "I'm still here" keeps everything.
  h.tap("still_here");
  CHECK_FALSE(h.view().idle_countdown_ms);
  CHECK(h.view().screen == app::Screen::survey);
  CHECK(h.view().survey.answers.size() == 2);

  // Walking away for good.
  h.advance_seconds(89);
  REQUIRE(h.view().idle_countdown_ms);
  h.advance_seconds(1);
  CHECK(h.view().screen == app::Screen::welcome);
  CHECK(h.view().survey.answers.empty());
  CHECK(h.view().consultation.empty());
  CHECK(h.view().language == "fr");
  CHECK_FALSE(h.view().idle_countdown_ms);
  std::size_t stored = 0;
  h.store().for_each_capture([&](const storage::StoredCapture&) { ++stored; });
  CHECK(stored == 0);
}

TEST_CASE("the idle delay is configurable and the welcome screen itself never counts down") {
  auto options = kiosk();
  options.idle_seconds = 30;
  Harness h(options);
  h.advance_seconds(600);
  CHECK(h.view().screen == app::Screen::welcome);
  CHECK_FALSE(h.view().idle_countdown_ms);
  h.tap("language:fr");
  h.tap("consultation:budget-participatif-2027");
  h.type("Un banc");
  h.advance_seconds(29);
  CHECK(h.view().screen == app::Screen::idea);
  h.advance_seconds(1);
  CHECK(h.view().screen == app::Screen::welcome);
  CHECK(h.view().idea.title.empty());
}

TEST_CASE("an agent's tablet does not reset by itself") {
  Harness h;
  h.tap("close");
  h.tap("language:fr");
  h.tap("consultation:place-jean-jaures");
  h.advance_seconds(3600);
  CHECK(h.view().screen == app::Screen::survey);
}

TEST_CASE("the staff PIN guards the kiosk settings and five wrong PINs lock them for a while") {
  Harness h(kiosk());
  h.tap("staff");
  REQUIRE(h.view().screen == app::Screen::pin);

  // Four wrong, then the right one: the count starts again after a success.
  for (int i = 0; i < 4; ++i) {
    type_pin(h, "1111");
    h.tap("next");
    CHECK(h.view().pin_wrong);
  }
  type_pin(h, "2468");
  h.tap("next");
  REQUIRE(h.view().screen == app::Screen::staff);
  h.tap("close");
  REQUIRE(h.view().screen == app::Screen::welcome);

  h.tap("staff");
  for (int i = 0; i < 5; ++i) {
    type_pin(h, "9999");
    h.tap("next");
  }
  REQUIRE(h.view().pin_locked_until_ms);
  CHECK_FALSE(h.driver().visible("key:2"));  // the pad is gone while locked
  CHECK(h.driver().visible("error"));
  // Even the right PIN, typed on a physical keyboard, is refused while locked.
  h.type("2468");
  h.engine().apply(app::command::SubmitPin{});
  CHECK(h.view().screen == app::Screen::pin);
  // The lock survives a restart of the app.
  CHECK(h.store().setting(core::settings::pin_locked_until_ms));

  h.advance_seconds(5 * 60);  // meanwhile the idle rule took the kiosk back to welcome
  CHECK(h.view().screen == app::Screen::welcome);
  CHECK_FALSE(h.view().pin_locked_until_ms);
  h.tap("staff");
  REQUIRE(h.driver().visible("key:2"));
  type_pin(h, "2468");
  h.tap("next");
  CHECK(h.view().screen == app::Screen::staff);
}

TEST_CASE("settings and the way out are reachable only from behind the PIN") {
  Harness h(kiosk());
  h.tap("language:fr");
  h.tap("consultation:place-jean-jaures");
  // Commands a crafted frame could emit are ignored outside the staff screen.
  h.engine().apply(app::command::Quit{});
  h.engine().apply(app::command::SetIdleSeconds{600});
  h.engine().apply(app::command::FeatureConsultation{"budget-participatif-2027"});
  CHECK_FALSE(h.view().quit);
  CHECK(h.view().idle_seconds == 90);
  CHECK(h.view().featured_consultation.empty());
  h.engine().apply(app::command::OpenStaff{});  // only from welcome / thank-you
  CHECK(h.view().screen == app::Screen::survey);

  h.tap("back");
  h.tap("back");
  REQUIRE(h.view().screen == app::Screen::welcome);
  h.tap("staff");
  type_pin(h, "2468");
  h.tap("next");
  REQUIRE(h.view().screen == app::Screen::staff);
  h.tap("idle:minus");
  CHECK(h.view().idle_seconds == 80);
  h.tap("featured:budget-participatif-2027");
  h.tap("quit");
  CHECK(h.view().quit);
  CHECK(h.store().setting(core::settings::idle_seconds) == std::optional<std::string>("80"));
  CHECK(h.store().setting(core::settings::featured_consultation) == std::optional<std::string>("budget-participatif-2027"));
}

TEST_CASE("the on-screen keyboard types « Élodie à l'école »") {
  Harness h(kiosk());
  h.tap("language:fr");
  h.tap("consultation:budget-participatif-2027");
  REQUIRE(h.view().idea.step == app::IdeaStep::title);
  for (const char* key : {"key:accents", "key:shift", "key:É", "key:letters", "key:l", "key:o", "key:d", "key:i",
                          "key:e", "key:space", "key:accents", "key:à", "key:space", "key:letters", "key:l", "key:'",
                          "key:accents", "key:é", "key:letters", "key:c", "key:o", "key:l", "key:e"})
    h.tap(key);
  CHECK(h.view().idea.title == "Élodie à l'école");
  // Backspace removes a whole accented letter, not half of its bytes.
  h.tap("key:accents");
  h.tap("key:œ");
  h.tap("key:backspace");
  CHECK(h.view().idea.title == "Élodie à l'école");
  // A physical keyboard types into the same field.
  h.type(" — bravo");
  h.driver().press_key(ImGuiKey_Backspace);
  CHECK(h.view().idea.title == "Élodie à l'école — brav");
  // Enter on a one-line field means "next".
  h.driver().press_key(ImGuiKey_Enter);
  CHECK(h.view().idea.step == app::IdeaStep::description);
}

TEST_CASE("the kiosk's thank-you returns to welcome by itself but an agent's waits for the next person") {
  for (const bool kiosk_mode : {true, false}) {
    auto options = kiosk();
    options.kiosk = kiosk_mode;
    Harness h(options);
    if (!kiosk_mode) h.tap("close");
    h.tap("language:fr");
    h.tap("consultation:budget-participatif-2027");
    h.type("Un banc public");
    h.tap("next");
    h.type("Un banc devant la médiathèque.");
    h.tap("next");
    h.tap("answer:cadre-de-vie");
    h.tap("next");
    h.tap("answer:centre");
    h.tap("next");
    h.tap("skip");
    h.tap("skip");
    REQUIRE(h.view().screen == app::Screen::thanks);
    h.advance_seconds(10);
    CHECK(h.view().screen == (kiosk_mode ? app::Screen::welcome : app::Screen::thanks));
  }
}
