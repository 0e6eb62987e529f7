// The start for every resident: a greeting in each language, and one big button per language.
#include <algorithm>

#include "screens/screens.hpp"

namespace allervers::app::screens {

void welcome(const ViewState& view, const core::Catalog& catalog, Ui& ui, Commands& out) {
  // Staff only: the PIN pad behind it (a kiosk's settings, an agent's menu alike).
  const std::string staff = ui.t(view.kiosk ? "welcome.staff" : "welcome.agent_menu");
  const float staff_w = std::min(ui.unit() * 11.0f, ImGui::GetContentRegionAvail().x * 0.5f);
  const float staff_h = ui.button_height(staff, staff_w, ui.compact());
  ui.begin_body(staff_h + ui.gap() + ImGui::GetStyle().ItemSpacing.y, "welcome");
  ui.add_reading(ui.t("welcome.title"), ui.language());
  ui.add_reading(ui.t("welcome.choose_language"), ui.language());
  ui.hint(catalog.town.name);
  ImGui::PushFont(ui.fonts().huge);
  ui.text(ui.t("welcome.title"));
  ImGui::PopFont();
  if (!view.featured_consultation.empty()) {
    if (const auto* c = catalog.latest(view.featured_consultation)) ui.heading(c->title.in(view.language));
  } else {
    ui.text(ui.t("welcome.subtitle"));
  }
  // The last person left their vote half-way: said plainly, so they know to start again.
  if (view.vote_abandoned_until_ms) ui.warning_box(ui.t("welcome.vote_abandoned"));
  ImGui::Dummy(ImVec2(0, ui.gap()));
  // Before the languages: whoever needs to hear the screen must find it without reading on.
  ImGui::Dummy(ImVec2(0, ui.gap() * 0.5f));
  accessibility_toggles(view, ui, out);
  ImGui::Dummy(ImVec2(0, ui.gap() * 0.5f));
  // Residents who left a code on a thank-you screen come back to ask what became of it: in
  // sight without scrolling, before the languages (which a new resident reads on to).
  // The ballot's question only where the town holds votes.
  const std::string idea = ui.t("welcome.follow_idea"), ballot = ui.t("welcome.follow_ballot");
  const bool votes = !catalog.votes.empty();
  const float slot = votes ? (ImGui::GetContentRegionAvail().x - ui.gap()) / 2.0f : ImGui::GetContentRegionAvail().x;
  const float follow_h = votes ? ui.row_height({idea, ballot}, slot) : ui.row_height({idea}, slot);
  Row row(ui, ui.gap());
  row.next(slot);
  if (ui.button("follow:idea", idea, ImVec2(slot, follow_h))) out.push_back(command::OpenFollow{FollowKind::idea});
  if (votes) {
    row.next(slot);
    if (ui.button("follow:ballot", ballot, ImVec2(slot, follow_h))) out.push_back(command::OpenFollow{FollowKind::ballot});
  }
  ImGui::Dummy(ImVec2(0, ui.gap() * 0.5f));
  ui.text(ui.t("welcome.choose_language"));
  ImGui::Dummy(ImVec2(0, ui.gap() * 0.5f));
  for (const auto& language : view.languages) {
    // Each button speaks its own language in its own script: "Français", "العربية", never a flag.
    if (ui.button("language:" + language, ui.language_name(language), ImVec2(0, ui.touch() * 1.3f), Tone::primary))
      out.push_back(command::ChooseLanguage{language});
  }
  ui.end_body();
  ImGui::Dummy(ImVec2(0, ui.gap() * 0.5f));
  // Staff at the end of the reading: the right, the left in Arabic.
  if (!ui.rtl()) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x - staff_w);
  if (ui.button("staff", staff, ImVec2(staff_w, staff_h), Tone::quiet)) out.push_back(command::OpenStaff{});
}

}  // namespace allervers::app::screens
