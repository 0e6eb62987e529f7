// Sections: the driver · the screenshot script.
#include "allervers/app/driver.hpp"

#include <algorithm>
#include <cmath>
#include <chrono>
#include <ostream>
#include <sstream>
#include <stdexcept>

#include "allervers/app/layout_check.hpp"
#include "allervers/platform/files.hpp"
#include "allervers/platform/image_files.hpp"

namespace allervers::app {

// --- the driver ----------------------------------------------------------------------------

void Driver::frames(int n) {
  for (int i = 0; i < n; ++i) run_frame_();
}

bool Driver::tap(std::string_view id) {
  const ItemRect* item = app_.find(id);
  // Scrolled out of sight: drag the body like a finger until it shows.
  for (int attempt = 0; item && !item->visible() && attempt < 20; ++attempt) {
    const ItemRect* body = app_.find("body");
    if (!body) break;
    const ImVec2 c = body->center();
    const float reach = (body->max.y - body->min.y) * 0.3f;
    const float dy = item->center().y > item->clip_max.y ? -reach : reach;
    drag(ImVec2(c.x, c.y - dy * 0.5f), ImVec2(c.x, c.y + dy * 0.5f));
    item = app_.find(id);
  }
  // A disabled widget is pressed like any other (a finger can): it says why it does nothing.
  if (!item || !item->visible()) return false;
  const ImVec2 at = item->center();
  app_.inject_mouse(at, false);
  run_frame_();  // hover
  app_.inject_mouse(at, true);
  run_frame_();  // press
  app_.inject_mouse(at, false);
  run_frame_();  // release: the widget reports the tap, the engine applies its command
  app_.clear_injection();
  app_.inject_mouse(ImVec2(-1000, -1000), false);  // lift the finger away: no lingering hover
  run_frame_();  // the next screen is drawn and its widgets recorded
  app_.clear_injection();
  return true;
}

void Driver::drag(ImVec2 from, ImVec2 to) {
  constexpr int steps = 8;
  app_.inject_mouse(from, true);
  run_frame_();
  for (int i = 1; i <= steps; ++i) {
    const float t = static_cast<float>(i) / steps;
    app_.inject_mouse(ImVec2(from.x + (to.x - from.x) * t, from.y + (to.y - from.y) * t), true);
    run_frame_();
  }
  app_.inject_mouse(to, false);
  run_frame_();
  app_.inject_mouse(ImVec2(-1000, -1000), false);
  run_frame_();
  app_.clear_injection();
}

void Driver::type(std::string_view utf8) {
  ImGui::GetIO().AddInputCharactersUTF8(std::string(utf8).c_str());
  run_frame_();
  run_frame_();
}

void Driver::press_key(ImGuiKey key) {
  ImGuiIO& io = ImGui::GetIO();
  const int index = io.KeyMap[key];
  if (index < 0) return;
  io.KeysDown[index] = true;
  run_frame_();
  io.KeysDown[index] = false;
  run_frame_();
}

std::vector<std::string> Driver::visible_ids() const {
  std::vector<std::string> ids;
  for (const auto& item : app_.items())
    if (item.kind != ItemKind::text && item.kind != ItemKind::body) ids.push_back(item.id);
  return ids;
}

// --- the screenshot script ----------------------------------------------------------------

namespace {

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

const char* verdict_word(const std::optional<VerdictView>& v) {
  if (!v) return "none";
  switch (v->kind) {
    case VerdictKind::welcome: return "welcome";
    case VerdictKind::already_signed_in: return "already";
    case VerdictKind::refused: return "refused";
  }
  return "?";
}

}  // namespace

void run_screenshot_script(Driver& driver, core::ManualClock& clock, const ScriptWindow& window,
                           const ScriptOptions& options, std::ostream& out) {
  App& app = driver.app();
  const ViewState& view = app.engine().view();
  std::istringstream lines(platform::read_file(options.script));
  if (!options.screenshot_dir.empty()) std::filesystem::create_directories(options.screenshot_dir);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::string verb, rest;
    words >> verb;
    std::getline(words >> std::ws, rest);
    const auto fail = [&](const std::string& why) {
      std::string ids;
      for (const auto& id : driver.visible_ids()) ids += " " + id;
      throw std::runtime_error(options.script.string() + ":" + std::to_string(number) + ": " + why + " (screen " +
                               to_string(view.screen) + "; on screen:" + ids + ")");
    };
    if (verb == "size") {
      int w = 0, h = 0;
      if (std::istringstream(rest) >> w >> h) window.resize(w, h);
      else fail("size needs W H");
      driver.frames(3);
    } else if (verb == "tap") {
      if (!driver.tap(rest)) fail("nothing to tap called \"" + rest + "\"");
    } else if (verb == "type") {
      driver.type(rest);
    } else if (verb == "advance") {
      clock.advance_ms(static_cast<std::int64_t>(std::stod(rest) * 1000));
      driver.frames(2);
    } else if (verb == "frames") {
      driver.frames(std::stoi(rest));
    } else if (verb == "measure") {
      // Frame times of N full frames (UI, rendering, swap), for the benchmark.
      const int n = std::max(1, std::stoi(rest));
      std::vector<double> ms;
      for (int i = 0; i < n; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        driver.frames(1);
        window.finish_rendering();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      }
      std::sort(ms.begin(), ms.end());
      double sum = 0;
      for (double v : ms) sum += v;
      out << "frames " << n << " mean_ms " << sum / n << " median_ms " << ms[ms.size() / 2] << " p95_ms "
          << ms[ms.size() * 95 / 100] << "\n";
    } else if (verb == "camera") {
      const std::filesystem::path file = std::filesystem::path(rest).is_absolute() ? std::filesystem::path(rest)
                                                                                   : options.device_dir / rest;
      if (!std::filesystem::exists(file)) fail("no image " + file.string());
      app.set_camera([file] {
        return std::make_unique<platform::ImageFileSource>(std::vector<std::filesystem::path>{file}, true,
                                                           std::chrono::milliseconds(100));
      });
      driver.frames(1);
    } else if (verb == "scanner") {
      std::int64_t t = steady_ms();
      for (char ch : rest) app.key_character(static_cast<unsigned char>(ch), t += 4);
      app.key_enter(t + 4);
      driver.frames(2);
    } else if (verb == "verdict") {
      // Waits as the real loop does, on the window's events, until a new verdict is on screen.
      const auto before = view.sign_in.verdicts;
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (view.sign_in.verdicts == before) {
        if (std::chrono::steady_clock::now() > deadline) fail("no verdict within 10 s");
        window.wait_for_wake_up();
        driver.frames(1);
      }
      out << "verdict_ms " << window.last_verdict_ms() << "\n";
    } else if (verb == "wait-vote-step") {
      // Waits as the real loop does until the vote booth reaches a step (a pass at the camera).
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (view.screen != Screen::vote || rest != to_string(view.vote.step)) {
        if (std::chrono::steady_clock::now() > deadline) fail("the vote did not reach the step " + rest + " within 10 s");
        window.wait_for_wake_up();
        driver.frames(1);
      }
      driver.frames(2);
    } else if (verb == "wait-follow-answer") {
      // Waits as the real loop does until the follow screen answers (a code at the camera).
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (view.screen != Screen::follow || !view.follow.answered) {
        if (std::chrono::steady_clock::now() > deadline) fail("the follow screen did not answer within 10 s");
        window.wait_for_wake_up();
        driver.frames(1);
      }
      driver.frames(2);
    } else if (verb == "expect-verdict") {
      if (rest != verdict_word(view.sign_in.verdict))
        fail("expected the verdict " + rest + ", got " + verdict_word(view.sign_in.verdict));
    } else if (verb == "expect-display") {
      // The window fills a display of W×H (a kiosk without a window manager included).
      int w = 0, h = 0;
      if (!(std::istringstream(rest) >> w >> h)) fail("expect-display needs W H");
      driver.frames(2);
      const ImVec2 shown = ImGui::GetIO().DisplaySize;
      if (std::lround(shown.x) != w || std::lround(shown.y) != h)
        fail("the window is " + std::to_string(std::lround(shown.x)) + "x" + std::to_string(std::lround(shown.y)) +
             ", not the display's " + rest);
    } else if (verb == "check-layout") {
      // The layout checker on what the screen drew: nothing cut off, overlapping or too small.
      driver.frames(2);
      const auto problems =
          check_layout(app.items(), {ImGui::GetIO().DisplaySize, 48.0f * app.scales().display, 1.0f, app.text_layout().rtl()});
      if (!problems.empty()) fail("the layout does not hold:\n" + describe(problems));
    } else if (verb == "expect") {
      if (rest != to_string(view.screen)) fail("expected the screen " + rest);
    } else if (verb == "shot") {
      driver.frames(2);
      const auto path = options.screenshot_dir / (rest + ".png");
      window.capture_next_frame(path);
      driver.frames(1);
      out << "screenshot " << path.string() << "\n";
    } else {
      fail("unknown command \"" + verb + "\"");
    }
  }
}

}  // namespace allervers::app
