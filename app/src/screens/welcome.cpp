// The start for every resident: a greeting in each language, and one big button per language.
#include "screens/screens.hpp"

namespace allervers::app::screens {

void welcome(const ViewState& view, const core::Catalog& catalog, Ui& ui, Commands& out) {
  const float staff_h = ui.touch() + ui.gap();
  ui.begin_body(staff_h, "welcome");
  ui.hint(catalog.town.name);
  ImGui::PushFont(ui.fonts().huge);
  ui.text(ui.t("welcome.title"));
  ImGui::PopFont();
  if (!view.featured_consultation.empty()) {
    if (const auto* c = catalog.latest(view.featured_consultation)) ui.heading(c->title.in(view.language));
  } else {
    ui.text(ui.t("welcome.subtitle"));
  }
  ImGui::Dummy(ImVec2(0, ui.gap()));
  ui.text(ui.t("welcome.choose_language"));
  ImGui::Dummy(ImVec2(0, ui.gap() * 0.5f));
  for (const auto& language : view.languages) {
    // Each button speaks its own language: "Français", "English".
    const std::string key = "language.name." + language;
    if (ui.button("language:" + language, ui.t(key), ImVec2(0, ui.touch() * 1.3f), Tone::primary))
      out.push_back(command::ChooseLanguage{language});
  }
  ui.end_body();
  // Staff only: the kiosk asks the PIN behind it; a field agent goes to the agent home.
  const float w = ui.unit() * 11.0f;
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x - w);
  if (ui.button("staff", ui.t(view.kiosk ? "welcome.staff" : "welcome.agent_menu"), ImVec2(w, 0), Tone::quiet))
    out.push_back(command::OpenStaff{});
}

}  // namespace allervers::app::screens
