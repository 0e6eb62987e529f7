#pragma once
// Drives the app as a finger and a keyboard would: tap a widget by its probe id (press and
// release at its rectangle's centre), type text, let frames pass. The same driver serves the
// headless tests and the kiosk's screenshot script.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "allervers/app/app.hpp"

namespace allervers::app {

class Driver {
 public:
  // `run_frame` runs one whole frame: platform NewFrame (if any), App::frame(), rendering.
  Driver(App& app, std::function<void()> run_frame) : app_(app), run_frame_(std::move(run_frame)) {}

  void frames(int n = 1);
  // False when no enabled widget with that id is on screen (nothing is pressed then).
  bool tap(std::string_view id);
  // Drags from one point to another over a few frames (to scroll).
  void drag(ImVec2 from, ImVec2 to);
  void type(std::string_view utf8);  // as a physical keyboard's text input
  void press_key(ImGuiKey key);      // Backspace, Enter …
  bool visible(std::string_view id) const { return app_.find(id) != nullptr; }
  std::vector<std::string> visible_ids() const;

 private:
  App& app_;
  std::function<void()> run_frame_;
};

}  // namespace allervers::app
