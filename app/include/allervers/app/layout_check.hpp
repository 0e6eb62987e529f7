#pragma once
// The layout checker: walks what a screen drew (the rectangles the widgets recorded, their kind
// and what is drawn inside them) against the viewport and against each other, and says in
// words what is wrong — a field cut off, a key off the screen, a label spilling out of its
// button, two buttons on top of each other, a finger-sized target that is not, a state (chosen,
// refused, offline) shown by its colour alone, a row of buttons that does not run the reading's
// way (from the right on an Arabic screen). Run on every
// screen, at every size, text size, language and theme (tests/app/test_layout.cpp, and the
// screenshot script's `check-layout`).
#include <string>
#include <vector>

#include "allervers/app/ui.hpp"

namespace allervers::app {

struct LayoutRules {
  ImVec2 display;             // the viewport
  float min_target = 48.0f;   // a finger: 48 px at the display's scale
  float tolerance = 1.0f;     // pixels of rounding allowed
  bool rtl = false;           // a right-to-left screen: rows run from the right
};

struct LayoutProblem {
  std::string id;    // the item's probe id ("text" for words)
  std::string what;  // "cut off at the bottom of the screen (ends at 842, the screen at 800)"
};

std::vector<LayoutProblem> check_layout(const std::vector<ItemRect>& items, const LayoutRules& rules);
// One problem a line, for a test's message or the script's failure.
std::string describe(const std::vector<LayoutProblem>& problems);

}  // namespace allervers::app
