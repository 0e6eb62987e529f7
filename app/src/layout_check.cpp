// The rules, each a few lines: the viewport · what scrolls · sizes · contents · states · rows ·
// overlaps.
#include "allervers/app/layout_check.hpp"

#include <cmath>
#include <sstream>

namespace allervers::app {

namespace {

std::string px(float v) {
  std::ostringstream out;
  out << std::lround(v);
  return out.str();
}

std::string rect(const ItemRect& i) {
  return "(" + px(i.min.x) + "," + px(i.min.y) + ")–(" + px(i.max.x) + "," + px(i.max.y) + ")";
}

// The part of an item that can be seen now (its clip rectangle cuts what is scrolled away).
struct Box {
  ImVec2 min, max;
  bool empty() const { return max.x <= min.x || max.y <= min.y; }
};
Box seen(const ItemRect& i) {
  return {ImVec2(std::max(i.min.x, i.clip_min.x), std::max(i.min.y, i.clip_min.y)),
          ImVec2(std::min(i.max.x, i.clip_max.x), std::min(i.max.y, i.clip_max.y))};
}

}  // namespace

std::vector<LayoutProblem> check_layout(const std::vector<ItemRect>& items, const LayoutRules& rules) {
  std::vector<LayoutProblem> out;
  const float tol = rules.tolerance;
  const auto problem = [&](const ItemRect& i, const std::string& what) { out.push_back({i.id, what + " " + rect(i)}); };

  // The body's visible height: what a scrolled item can be seen whole in.
  float body_h = 0;
  for (const auto& i : items)
    if (i.kind == ItemKind::body && i.layer == 0) body_h = i.max.y - i.min.y;

  for (const auto& i : items) {
    // --- the viewport: nothing off its sides; what does not scroll, nothing off its ends ---
    if (i.min.x < -tol) problem(i, "starts left of the screen");
    if (i.max.x > rules.display.x + tol) problem(i, "ends right of the screen (at " + px(rules.display.x) + ")");
    if (!i.in_body || i.kind == ItemKind::body) {
      if (i.min.y < -tol) problem(i, "starts above the screen");
      if (i.max.y > rules.display.y + tol) problem(i, "is cut off at the bottom of the screen (" + px(rules.display.y) + ")");
    }
    // --- what scrolls: reachable whole, and nothing wider than its column ---
    if (i.in_body) {
      if (i.min.x < i.clip_min.x - tol || i.max.x > i.clip_max.x + tol)
        problem(i, "is wider than the scrolling column (" + px(i.clip_min.x) + "–" + px(i.clip_max.x) + ")");
      if (i.kind != ItemKind::text && i.max.y - i.min.y > body_h + tol && body_h > 0)
        problem(i, "is taller than the scrolling area (" + px(body_h) + " px): it can never be seen whole");
    }
    if (i.kind == ItemKind::body && body_h < rules.min_target)
      problem(i, "leaves the screen's content less than a finger's height");
    // --- a field being edited: wholly in sight ---
    if (i.kind == ItemKind::field &&
        (i.min.x < i.clip_min.x - tol || i.max.x > i.clip_max.x + tol || i.min.y < i.clip_min.y - tol || i.max.y > i.clip_max.y + tol))
      problem(i, "is a text field not wholly in sight (visible " + px(i.clip_min.y) + "–" + px(i.clip_max.y) + ")");
    // --- sizes: a finger's worth ---
    if ((i.kind == ItemKind::target || i.kind == ItemKind::key) &&
        (i.max.y - i.min.y < rules.min_target - tol || i.max.x - i.min.x < rules.min_target - tol))
      problem(i, "is smaller than a finger (" + px(rules.min_target) + " px)");
    // --- contents: the label inside its button, the words inside their box ---
    if (i.has_content() && (i.content_min.x < i.min.x - tol || i.content_max.x > i.max.x + tol ||
                            i.content_min.y < i.min.y - tol || i.content_max.y > i.max.y + tol))
      problem(i, "has words spilling out of it (they span (" + px(i.content_min.x) + "," + px(i.content_min.y) + ")–(" +
                     px(i.content_max.x) + "," + px(i.content_max.y) + "))");
    // --- states: never said by colour alone (an icon or words go with it) ---
    if (!i.state.empty() && i.sign.empty()) problem(i, "shows « " + i.state + " » by its colour alone (no icon, no words)");
  }

  // --- rows: buttons drawn one after the other on one line follow the reading, from the
  // right on a right-to-left screen (a screen draws in reading order: Back before Next, the
  // first language first). Keys are left out: a code is typed on a left-to-right keyboard. ---
  for (std::size_t b = 1; b < items.size(); ++b) {
    const auto& i = items[b - 1];
    const auto& j = items[b];
    if (i.kind != ItemKind::target || j.kind != ItemKind::target || i.layer != j.layer) continue;
    const float shared = std::min(i.max.y, j.max.y) - std::max(i.min.y, j.min.y);
    if (shared < 0.5f * std::min(i.max.y - i.min.y, j.max.y - j.min.y)) continue;  // not one line
    const bool leftwards = j.max.x <= i.min.x + tol, rightwards = j.min.x >= i.max.x - tol;
    if (rules.rtl && rightwards)
      out.push_back({j.id, "comes after " + i.id + " but sits right of it on a right-to-left screen " + rect(i) + " / " + rect(j)});
    if (!rules.rtl && leftwards)
      out.push_back({j.id, "comes after " + i.id + " but sits left of it " + rect(i) + " / " + rect(j)});
  }

  // --- overlaps: what can be seen of two things on the same layer never covers the other ---
  for (std::size_t a = 0; a < items.size(); ++a) {
    const auto& i = items[a];
    if (i.kind == ItemKind::body) continue;
    const Box bi = seen(i);
    if (bi.empty()) continue;
    for (std::size_t b = a + 1; b < items.size(); ++b) {
      const auto& j = items[b];
      if (j.kind == ItemKind::body || j.layer != i.layer) continue;
      const Box bj = seen(j);
      if (bj.empty()) continue;
      const float w = std::min(bi.max.x, bj.max.x) - std::max(bi.min.x, bj.min.x);
      const float h = std::min(bi.max.y, bj.max.y) - std::max(bi.min.y, bj.min.y);
      if (w > tol && h > tol) out.push_back({i.id, "overlaps " + j.id + " " + rect(i) + " / " + rect(j)});
    }
  }
  return out;
}

std::string describe(const std::vector<LayoutProblem>& problems) {
  std::string out;
  for (const auto& p : problems) out += "  " + p.id + ": " + p.what + "\n";
  return out;
}

}  // namespace allervers::app
