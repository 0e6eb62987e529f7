// The kiosk's rules: the idle countdown and reset, the staff PIN and its lockout, and the
// on-screen keyboard typing French.
#include <catch2/catch.hpp>

#include <algorithm>

#include "allervers/app/frame_pacer.hpp"
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
  h.tap("quit:confirm");
  CHECK(h.view().quit);
  CHECK(h.store().setting(core::settings::idle_seconds) == std::optional<std::string>("80"));
  CHECK(h.store().setting(core::settings::featured_consultation) == std::optional<std::string>("budget-participatif-2027"));
}

TEST_CASE("the on-screen keyboard types « Élodie à l'école »") {
  Harness h(kiosk());
  h.tap("language:fr");
  h.tap("consultation:budget-participatif-2027");
  REQUIRE(h.view().idea.step == app::IdeaStep::title);
  // An accented letter returns to the letters by itself, as shift does.
  for (const char* key : {"key:accents", "key:shift", "key:É", "key:l", "key:o", "key:d", "key:i", "key:e",
                          "key:space", "key:accents", "key:à", "key:space", "key:l", "key:'", "key:accents", "key:é",
                          "key:c", "key:o", "key:l", "key:e"})
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

TEST_CASE("the kiosk's loop redraws the countdown every second, however it is woken") {
  Harness h(kiosk());
  h.tap("language:fr");
  h.tap("consultation:place-jean-jaures");
  // The loop as main.cpp runs it: sleep until the pacer says, draw when it says. Waking is
  // modelled as SDL does it: at the timeout, or earlier by the sync thread's poll.
  app::FramePacer pacer;
  std::vector<std::pair<std::int64_t, std::int64_t>> drawn;  // (when, the second shown)
  const std::int64_t start = h.engine().now_ms();
  while (h.view().screen == app::Screen::survey && h.engine().now_ms() - start < 120'000) {
    const std::int64_t sleep = pacer.sleep_ms(h.engine().ms_until_next_timer(), h.engine().now_ms());
    CHECK(sleep <= app::FramePacer::max_sleep_ms);
    h.clock().advance_ms(std::max<std::int64_t>(sleep, 16));  // a frame takes a while
    if (!pacer.take_frame(h.engine().now_ms())) continue;
    h.frame();
    if (h.view().idle_countdown_ms) drawn.emplace_back(h.engine().now_ms(), (*h.view().idle_countdown_ms + 999) / 1000);
  }
  REQUIRE(h.view().screen == app::Screen::welcome);  // 90 s later, the reset
  // Every second from 15 down to 1 was on screen, each drawn within a frame of its start.
  for (std::int64_t second = 15; second >= 1; --second) {
    INFO("the countdown at " << second);
    const auto first = std::find_if(drawn.begin(), drawn.end(), [&](const auto& d) { return d.second == second; });
    REQUIRE(first != drawn.end());
    const std::int64_t due = start + 90'000 - second * 1000;  // when the shown number becomes `second`
    CHECK(first->first - due <= 32);
  }
}

TEST_CASE("no tap passes through an overlay: not on the dimmed screen, not on its own button") {
  Harness h(kiosk());
  h.tap("language:fr");
  h.tap("consultation:place-jean-jaures");
  h.tap("answer:tous-les-jours");
  h.tap("next");
  REQUIRE(h.view().survey.index == 1);  // "usages": several answers, the whole screen tickable
  const auto answers = h.view().survey.answers;
  h.advance_seconds(80);
  REQUIRE(h.view().idle_countdown_ms);
  // Whatever lies under "Je continue" stays as it was.
  h.tap("still_here");
  CHECK_FALSE(h.view().idle_countdown_ms);
  CHECK(h.view().survey.answers == answers);
  CHECK(h.view().survey.index == 1);
  // A tap anywhere on the dimmed screen only dismisses it: the answer under the finger is not ticked.
  for (const std::string id : {"answer:marche", "answer:stationner", "next", "back"}) {
    INFO(id);
    h.advance_seconds(80);
    REQUIRE(h.view().idle_countdown_ms);
    const auto* under = h.app().find(id);
    REQUIRE(under);
    const ImVec2 at = under->center();
    h.app().inject_mouse(at, false);
    h.frame();
    h.app().inject_mouse(at, true);
    h.frame();
    h.app().inject_mouse(at, false);
    h.frame();
    h.app().clear_injection();
    h.frames(2);
    CHECK_FALSE(h.view().idle_countdown_ms);
    CHECK(h.view().survey.answers == answers);
    CHECK(h.view().survey.index == 1);
    CHECK(h.view().screen == app::Screen::survey);
  }
}

TEST_CASE("the countdown shows whole from its very first frame") {
  Harness h(kiosk());
  h.tap("language:fr");
  h.tap("consultation:place-jean-jaures");
  h.clock().advance_ms(75'000);
  h.frame();  // one frame only: the event-driven loop may draw no second one for a second
  REQUIRE(h.view().idle_countdown_ms);
  for (const char* id : {"still_here", "countdown"}) {
    INFO(id);
    const auto* item = h.app().find(id);
    REQUIRE(item);
    CHECK(item->wholly_visible());
    CHECK(item->max.y - item->min.y > 10.0f);
  }
}

TEST_CASE("quitting is asked again, and either answer weighs the same") {
  for (const bool kiosk_mode : {true, false}) {
    auto options = kiosk();
    options.kiosk = kiosk_mode;
    Harness h(options);
    if (kiosk_mode) {
      h.tap("staff");
      type_pin(h, "2468");
      h.tap("next");
    }
    REQUIRE(h.view().screen == app::Screen::staff);
    h.tap("quit");
    CHECK_FALSE(h.view().quit);
    REQUIRE(h.view().confirm_quit);
    const auto* stay = h.app().find("quit:cancel");
    const auto* go = h.app().find("quit:confirm");
    REQUIRE(stay);
    REQUIRE(go);
    CHECK(stay->max.y - stay->min.y == Approx(go->max.y - go->min.y));
    CHECK(stay->max.x - stay->min.x == Approx(go->max.x - go->min.x));
    // The rest of the screen is out of reach meanwhile.
    h.driver().tap("close");
    CHECK(h.view().screen == app::Screen::staff);
    CHECK(h.view().confirm_quit);
    h.tap("quit:cancel");
    CHECK_FALSE(h.view().quit);
    CHECK_FALSE(h.view().confirm_quit);
    CHECK(h.view().screen == app::Screen::staff);
    h.tap("quit");
    h.tap("quit:confirm");
    CHECK(h.view().quit);
  }
}

TEST_CASE("an agent's tablet handed to a resident: the agent menu is behind the staff PIN") {
  Harness h;  // an agent's tablet (not a kiosk), PIN 2468
  REQUIRE(h.view().screen == app::Screen::staff);
  h.tap("close");
  REQUIRE(h.view().screen == app::Screen::welcome);
  h.tap("staff");
  REQUIRE(h.view().screen == app::Screen::pin);
  type_pin(h, "1357");
  h.tap("next");
  CHECK(h.view().screen == app::Screen::pin);
  CHECK(h.view().pin_wrong);
  type_pin(h, "2468");
  h.tap("next");
  CHECK(h.view().screen == app::Screen::staff);
  // The commands a crafted frame could send are ignored on a resident's screen.
  h.tap("close");
  h.tap("language:fr");
  h.engine().apply(app::command::OpenStaff{});
  h.engine().apply(app::command::Quit{});
  CHECK(h.view().screen != app::Screen::staff);
  CHECK_FALSE(h.view().quit);
  CHECK_FALSE(h.view().confirm_quit);
}

TEST_CASE("an agent without a staff PIN is asked to choose one before handing the tablet over") {
  HarnessOptions o;
  o.staff_pin.clear();
  Harness h(o);
  REQUIRE(h.view().screen == app::Screen::staff);
  CHECK_FALSE(h.view().staff_pin_set);
  h.tap("close");  // refused, in words
  CHECK(h.view().screen == app::Screen::staff);
  REQUIRE(h.view().notice);
  CHECK(h.view().notice->key == "staff.pin_first");
  h.tap("new_pin");
  for (const char* key : {"key:1", "key:3", "key:5", "key:7"}) h.tap(key);
  h.engine().apply(app::command::ChangePin{});
  CHECK(h.view().staff_pin_set);
  h.tap("close");
  CHECK(h.view().screen == app::Screen::welcome);
  h.tap("staff");
  CHECK(h.view().screen == app::Screen::pin);
}
