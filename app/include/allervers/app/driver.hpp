#pragma once
// Drives the app as a finger and a keyboard would: tap a widget by its probe id (press and
// release at its rectangle's centre), type text, let frames pass. The same driver serves the
// headless tests and the kiosk's screenshot script, whose interpreter is here too.
//
// Sections: the driver · the screenshot script.
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "allervers/app/app.hpp"
#include "allervers/core/time.hpp"

namespace allervers::app {

class Driver {
 public:
  // `run_frame` runs one whole frame: platform NewFrame (if any), App::frame(), rendering.
  Driver(App& app, std::function<void()> run_frame) : app_(app), run_frame_(std::move(run_frame)) {}

  void frames(int n = 1);
  // False when no widget with that id is on screen (nothing is pressed then). A disabled one
  // is pressed like any other: it answers with its refusal.
  bool tap(std::string_view id);
  // Drags from one point to another over a few frames (to scroll).
  void drag(ImVec2 from, ImVec2 to);
  void type(std::string_view utf8);  // as a physical keyboard's text input
  void press_key(ImGuiKey key);      // Backspace, Enter …
  bool visible(std::string_view id) const { return app_.find(id) != nullptr; }
  std::vector<std::string> visible_ids() const;
  App& app() { return app_; }

 private:
  App& app_;
  std::function<void()> run_frame_;
};

// --- the screenshot script ------------------------------------------------------------------
// One command a line; `#` starts a comment:
//   size W H          the window's size            tap ID           a finger on a widget
//   type TEXT         a physical keyboard          advance SECONDS  the script's clock moves
//   frames N          let N frames pass            expect SCREEN    fail unless on that screen
//   shot NAME         SCREENSHOT_DIR/NAME.png      measure N        frame times of N frames
//   camera FILE       the camera shows FILE (relative: beside the device), 10 frames a second
//   scanner TEXT      a hand scanner types TEXT (4 ms a key) and Enter
//   verdict           wait (10 s at most) for the desk's next verdict; prints verdict_ms
//   expect-verdict welcome|already|refused|none

// What the script needs from the window it drives (allervers-kiosk: SDL2 and OpenGL).
struct ScriptWindow {
  std::function<void(int width, int height)> resize;  // and take in the window's events
  std::function<void()> wait_for_wake_up;             // up to 100 ms for an event (camera, decoder)
  std::function<void(const std::filesystem::path&)> capture_next_frame;  // as a PNG file
  std::function<void()> finish_rendering;             // so frame times include the GPU's work
  std::function<double()> last_verdict_ms;            // camera frame to verdict on screen
};

struct ScriptOptions {
  std::filesystem::path script;
  std::filesystem::path screenshot_dir;
  std::filesystem::path device_dir;  // where `camera FILE` looks for relative names
};

// Runs the script line by line, printing figures and screenshot names to `out`. Throws
// std::runtime_error naming the line, the screen and every widget id on it.
void run_screenshot_script(Driver& driver, core::ManualClock& clock, const ScriptWindow& window,
                           const ScriptOptions& options, std::ostream& out);

}  // namespace allervers::app
