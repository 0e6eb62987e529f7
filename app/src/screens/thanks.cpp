// Shown only after storage committed the capture: the resident can walk away.
#include "allervers/core/capture_kinds.hpp"
#include <algorithm>

#include "screens/screens.hpp"

namespace allervers::app::screens {

void thanks(const ViewState& view, const core::Catalog& catalog, Ui& ui, Commands& out) {
  const std::string finish = ui.t(view.kiosk ? "thanks.finish" : "thanks.next_person");
  const float finish_h = ui.button_height(finish, ImGui::GetContentRegionAvail().x, std::max(ui.compact(), ui.min_target() * 1.3f));
  ui.begin_body(finish_h + ui.gap() + 2 * ImGui::GetStyle().ItemSpacing.y, "thanks");
  ImGui::Dummy(ImVec2(0, ui.unit() * 2));
  ImGui::PushFont(ui.fonts().huge);
  ui.text(ui.t("thanks.title"));
  ImGui::PopFont();
  ImGui::Dummy(ImVec2(0, ui.gap()));
  ui.heading(ui.t(std::string(core::info(view.activity).thanks_key)));
  if (!view.receipt.empty()) {
    // The code to ask later what became of the idea: big, and said what it is for.
    ImGui::Dummy(ImVec2(0, ui.gap()));
    // A ballot's code says whether it was counted; an idea's what became of it.
    const bool ballot = view.activity == core::CaptureKind::ballot;
    ui.text(ui.t(ballot ? "thanks.ballot_receipt_label" : "thanks.receipt_label"));
    ImGui::PushFont(ui.fonts().huge);
    ui.text(view.receipt, "receipt");
    ImGui::PopFont();
    ui.hint(ui.t(ballot ? "thanks.ballot_receipt_hint" : "thanks.receipt_hint"));
  }
  ImGui::Dummy(ImVec2(0, ui.gap()));
  // Said as the status line says it: connected now, or sent once connected.
  ui.text(ui.t(view.status.network == Network::online ? "thanks.saved_online" : "thanks.saved"));
  if (view.kiosk) ui.hint(ui.t("thanks.auto_return"));
  // The town's online page for this consultation, for those who prefer their phone.
  if (const auto* c = catalog.find(view.consultation, view.version); c && !c->online_url.empty()) {
    ImGui::Dummy(ImVec2(0, ui.gap()));
    online_qr(ui, c->online_url, "online.follow_title");
  }
  ui.end_body();
  ImGui::Dummy(ImVec2(0, ui.gap()));
  if (ui.button("finish", finish, ImVec2(0, finish_h), Tone::primary))
    out.push_back(command::Finish{});
}

}  // namespace allervers::app::screens
