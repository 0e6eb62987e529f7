// The kiosk's countdown before it forgets a walked-away resident's answers.
#include "screens/screens.hpp"

namespace allervers::app::screens {

void idle_overlay(const ViewState& view, Ui& ui, Commands& out) {
  if (!view.idle_countdown_ms) return;
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0.05f, 0.07f, 0.10f, 0.6f));
  ImGui::Begin("idle", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
  ImGui::PopStyleColor();
  const float w = std::min(io.DisplaySize.x - ui.unit() * 2, ui.unit() * 30);
  const float h = ui.unit() * 2.0f + ImGui::GetTextLineHeightWithSpacing() * 4.5f + ui.touch() * 1.2f +
                  ui.unit() * 2.4f + ImGui::GetStyle().ItemSpacing.y * 3;
  ImGui::SetCursorPos(ImVec2((io.DisplaySize.x - w) * 0.5f, (io.DisplaySize.y - h) * 0.5f));
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(1, 1, 1, 1));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(ui.unit(), ui.unit()));
  ImGui::BeginChild("panel", ImVec2(w, h), false, ImGuiWindowFlags_AlwaysUseWindowPadding | ImGuiWindowFlags_NoScrollbar);
  ui.heading(ui.t("idle.title"));
  const std::int64_t seconds = (*view.idle_countdown_ms + 999) / 1000;
  ui.text(ui.f("idle.countdown", {{"seconds", std::to_string(seconds)}}));
  ImGui::PushFont(ui.fonts().huge);
  ImGui::TextUnformatted(std::to_string(seconds).c_str());
  ImGui::PopFont();
  if (ui.button("still_here", ui.t("idle.continue"), ImVec2(0, ui.touch() * 1.2f), Tone::primary))
    out.push_back(command::StillHere{});
  ImGui::EndChild();
  ImGui::PopStyleVar();
  ImGui::PopStyleColor();
  ImGui::End();
}

}  // namespace allervers::app::screens
