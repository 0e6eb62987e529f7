// A consultation that both asks questions and collects ideas: which one now?
#include "screens/screens.hpp"

namespace allervers::app::screens {

void activity_choice(const ViewState& view, const core::Catalog& catalog, Ui& ui, Commands& out) {
  const auto* c = catalog.find(view.consultation, view.version);
  if (!c) return;
  ui.header(c->title.in(view.language));
  ui.begin_body(ui.footer_height(), "activity");
  ui.text(c->summary.in(view.language));
  ImGui::Dummy(ImVec2(0, ui.gap()));
  if (ui.button("activity:opinion", ui.t("activity.opinion"), ImVec2(0, ui.touch() * 1.5f), Tone::primary))
    out.push_back(command::ChooseActivity{core::CaptureKind::opinion});
  ImGui::Dummy(ImVec2(0, ui.gap() * 0.5f));
  if (ui.button("activity:idea", ui.t("activity.idea"), ImVec2(0, ui.touch() * 1.5f), Tone::primary))
    out.push_back(command::ChooseActivity{core::CaptureKind::idea});
  ImGui::Dummy(ImVec2(0, ui.gap()));
  online_qr(ui, c->online_url, "online.title");
  ui.end_body();
  if (ui.footer(true, false, false, false, "") == Ui::Nav::back) out.push_back(command::Back{});
}

}  // namespace allervers::app::screens
