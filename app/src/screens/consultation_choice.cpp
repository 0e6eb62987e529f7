// The consultations this device holds that are offered on its channel, newest version of each,
// as big cards.
#include "allervers/core/capture_kinds.hpp"
#include "screens/screens.hpp"

namespace allervers::app::screens {

void consultation_choice(const ViewState& view, const core::Catalog& catalog, Ui& ui, Commands& out) {
  ui.header(ui.t("choose.title"));
  ui.begin_body(ui.footer_height(), "consultations");
  bool any = false;
  for (const auto* c : catalog.offered_on(view.channel)) any = any || !core::offered_kinds(*c).empty();
  if (!any) ui.hint(ui.t("choose.none"));  // an enrolled device before its first catalog
  for (const auto* c : catalog.offered_on(view.channel)) {
    if (core::offered_kinds(*c).empty()) continue;  // nothing a resident can do there
    if (ui.card("consultation:" + c->id, c->title.in(view.language), c->summary.in(view.language)))
      out.push_back(command::ChooseConsultation{c->id});
    ImGui::Dummy(ImVec2(0, ui.gap() * 0.5f));
  }
  ui.end_body();
  if (ui.footer(true, false, false, false, "") == Ui::Nav::back) out.push_back(command::Back{});
}

}  // namespace allervers::app::screens
