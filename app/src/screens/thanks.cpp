// Shown only after storage committed the capture: the resident can walk away.
#include "allervers/core/capture_kinds.hpp"
#include <algorithm>

#include "screens/screens.hpp"

namespace allervers::app::screens {

namespace {

// The code to ask later what became of the idea or the ballot: big, and said what it is for;
// beside it (so both show without scrolling on a landscape kiosk) the QR code of the public
// page that checks it, which a phone opens and this kiosk's « Où en est… ? » reads back.
void receipt(const ViewState& view, Ui& ui) {
  const bool ballot = view.activity == core::CaptureKind::ballot;
  const bool qr = !view.receipt_url.empty();
  const auto words = [&] {
    ui.text(ui.t(ballot ? "thanks.ballot_receipt_label" : "thanks.receipt_label"));
    ImGui::PushFont(ui.fonts().huge);
    ui.text(view.receipt, "receipt");
    ImGui::PopFont();
    ui.hint(ui.t(ballot ? "thanks.ballot_receipt_hint" : "thanks.receipt_hint"));
    if (qr) ui.hint(ui.t(ballot ? "thanks.ballot_receipt_qr" : "thanks.receipt_qr"));
  };
  if (!qr) return words();
  const float side = std::max(ui.min_target() * 2.0f, std::min({ui.unit() * 9.0f, ImGui::GetContentRegionAvail().x * 0.35f,
                                                                 ui.visible_height() * 0.5f}));
  ui.beside(side, ui.gap(), [&] { ui.qr("receipt_qr", view.receipt_url, side); }, words);
}

}  // namespace

void thanks(const ViewState& view, const core::Catalog& catalog, Ui& ui, Commands& out) {
  const std::string finish = ui.t(view.kiosk ? "thanks.finish" : "thanks.next_person");
  const float finish_h = ui.button_height(finish, ImGui::GetContentRegionAvail().x, std::max(ui.compact(), ui.min_target() * 1.3f));
  ui.begin_body(finish_h + ui.gap() + 2 * ImGui::GetStyle().ItemSpacing.y, "thanks");
  ImGui::Dummy(ImVec2(0, view.receipt.empty() ? ui.unit() * 2 : ui.unit() * 0.5f));
  ImGui::PushFont(ui.fonts().huge);
  ui.text(ui.t("thanks.title"));
  ImGui::PopFont();
  ImGui::Dummy(ImVec2(0, ui.gap()));
  ui.heading(ui.t(std::string(core::info(view.activity).thanks_key)));
  if (!view.receipt.empty()) {
    ImGui::Dummy(ImVec2(0, ui.gap()));
    receipt(view, ui);
  }
  ImGui::Dummy(ImVec2(0, ui.gap()));
  // Said as the status line says it: connected now, or sent once connected.
  ui.text(ui.t(view.status.network == Network::online ? "thanks.saved_online" : "thanks.saved"));
  if (view.kiosk) ui.hint(ui.t("thanks.auto_return"));
  // The town's online page for this consultation, for those who prefer their phone — unless a
  // receipt's own page is shown (a ballot's consultation page would not say if it was counted).
  if (const auto* c = catalog.find(view.consultation, view.version);
      c && !c->online_url.empty() && view.receipt_url.empty() && view.activity != core::CaptureKind::ballot) {
    ImGui::Dummy(ImVec2(0, ui.gap()));
    online_qr(ui, c->online_url, "online.follow_title");
  }
  ui.end_body();
  ImGui::Dummy(ImVec2(0, ui.gap()));
  if (ui.button("finish", finish, ImVec2(0, finish_h), Tone::primary))
    out.push_back(command::Finish{});
}

}  // namespace allervers::app::screens
