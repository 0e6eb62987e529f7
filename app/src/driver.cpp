#include "allervers/app/driver.hpp"

namespace allervers::app {

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
  if (!item || !item->enabled || !item->visible()) return false;
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
  for (const auto& item : app_.items()) ids.push_back(item.id);
  return ids;
}

}  // namespace allervers::app
