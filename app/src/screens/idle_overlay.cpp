// The kiosk's countdown before it forgets a walked-away resident's answers: a dimmed screen
// (which also swallows taps meant for what is under it) and a panel sized to its text.
#include "screens/screens.hpp"

namespace allervers::app::screens {

void idle_overlay(const ViewState& view, Ui& ui, Commands& out) {
  if (!view.idle_countdown_ms) return;
  const ImGuiIO& io = ImGui::GetIO();
  const auto fixed = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings;
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0.05f, 0.07f, 0.10f, 0.6f));
  ImGui::Begin("idle_dim", nullptr, fixed);  // (NoBringToFrontOnFocus would put it behind the screen)
  ImGui::End();
  ImGui::PopStyleColor();

  const float w = std::min(io.DisplaySize.x - ui.unit() * 2, ui.unit() * 30);
  ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, io.DisplaySize.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(w, 0.0f));  // 0: the height fits the content
  ImGui::SetNextWindowFocus();
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(1, 1, 1, 1));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(ui.unit(), ui.unit()));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, ui.unit() * 0.5f);
  ImGui::Begin("idle_panel", nullptr, fixed | ImGuiWindowFlags_AlwaysAutoResize);
  ui.heading(ui.t("idle.title"));
  const std::int64_t seconds = (*view.idle_countdown_ms + 999) / 1000;
  ui.text(ui.f("idle.countdown", {{"seconds", std::to_string(seconds)}}));
  ImGui::PushFont(ui.fonts().huge);
  ImGui::TextUnformatted(std::to_string(seconds).c_str());
  ImGui::PopFont();
  if (ui.button("still_here", ui.t("idle.continue"), ImVec2(w - 2 * ui.unit(), ui.touch() * 1.2f), Tone::primary))
    out.push_back(command::StillHere{});
  ImGui::End();
  ImGui::PopStyleVar(2);
  ImGui::PopStyleColor();
}

}  // namespace allervers::app::screens
