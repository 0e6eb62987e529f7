// The screenshot script's interpreter, headless: the same lines the kiosk runs under Xvfb,
// with the harness standing in for the window.
#include <catch2/catch.hpp>

#include <sstream>

#include "harness.hpp"

using namespace allervers;
using allervers::test::Harness;

namespace {

struct FakeWindow {
  std::vector<std::filesystem::path> captures;
  app::ScriptWindow hooks(Harness& h) {
    app::ScriptWindow w;
    w.resize = [&h](int width, int height) { h.resize(static_cast<float>(width), static_cast<float>(height)); };
    w.wait_for_wake_up = [] {};
    w.capture_next_frame = [this](const std::filesystem::path& png) { captures.push_back(png); };
    w.finish_rendering = [] {};
    w.last_verdict_ms = [] { return -1.0; };
    return w;
  }
};

}  // namespace

TEST_CASE("script: taps, typing, the clock and shots, as the kiosk's screenshot run does") {
  Harness h;
  FakeWindow window;
  const auto script = h.dir() / "tour.txt";
  test::write_file(script,
                   "# the agent hands over\n"
                   "expect staff\n"
                   "tap close\n"
                   "expect welcome\n"
                   "size 800 1280\n"
                   "tap language:fr\n"
                   "tap consultation:budget-participatif-2027\n"
                   "expect idea\n"
                   "type Un abri vélo\n"
                   "advance 1.5\n"
                   "shot 10-idea\n"
                   "measure 3\n");
  const auto start = h.clock().now().utc_ms;
  std::ostringstream out;
  app::run_screenshot_script(h.driver(), h.clock(), window.hooks(h), {script, h.dir() / "shots", h.dir()}, out);
  CHECK(h.view().idea.title == "Un abri vélo");
  CHECK(h.clock().now().utc_ms - start == 1500);
  REQUIRE(window.captures.size() == 1);
  CHECK(window.captures[0] == h.dir() / "shots" / "10-idea.png");
  CHECK(std::filesystem::is_directory(h.dir() / "shots"));
  CHECK(out.str().find("screenshot " + (h.dir() / "shots" / "10-idea.png").string()) != std::string::npos);
  CHECK(out.str().find("frames 3 mean_ms") != std::string::npos);
}

TEST_CASE("script: a failing line names the file, the line, the screen and what is on it") {
  Harness h;
  FakeWindow window;
  const auto script = h.dir() / "broken.txt";
  std::ostringstream out;
  test::write_file(script, "tap close\n\ntap language:xx\n");
  CHECK_THROWS_WITH(app::run_screenshot_script(h.driver(), h.clock(), window.hooks(h), {script, {}, h.dir()}, out),
                    Catch::Contains("broken.txt:3") && Catch::Contains("nothing to tap called \"language:xx\"") &&
                        Catch::Contains("screen welcome") && Catch::Contains("language:fr"));
  test::write_file(script, "expect survey\n");
  CHECK_THROWS_WITH(app::run_screenshot_script(h.driver(), h.clock(), window.hooks(h), {script, {}, h.dir()}, out),
                    Catch::Contains("expected the screen survey"));
  test::write_file(script, "dance\n");
  CHECK_THROWS_WITH(app::run_screenshot_script(h.driver(), h.clock(), window.hooks(h), {script, {}, h.dir()}, out),
                    Catch::Contains("unknown command \"dance\""));
  test::write_file(script, "camera missing.png\n");
  CHECK_THROWS_WITH(app::run_screenshot_script(h.driver(), h.clock(), window.hooks(h), {script, {}, h.dir()}, out),
                    Catch::Contains("no image"));
  CHECK_THROWS_WITH(app::run_screenshot_script(h.driver(), h.clock(), window.hooks(h), {h.dir() / "none.txt", {}, h.dir()}, out),
                    Catch::Contains("cannot read"));
}
