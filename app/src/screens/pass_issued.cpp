// After an on-screen sign-in: the new pass full screen, to photograph (the QR and its fallback
// code), or — on a device that holds no signing key yet — the sign-in confirmed without one.
#include <algorithm>

#include "screens/screens.hpp"

namespace allervers::app::screens {

void pass_issued(const ViewState& view, const core::Catalog&, Ui& ui, Commands& out) {
  const auto& s = view.sign_in;
  const std::string done = ui.t("signin.issued.done");
  const float done_h = ui.button_height(done, ImGui::GetContentRegionAvail().x, std::max(ui.compact(), ui.min_target() * 1.3f));
  const float footer = done_h + ui.gap() + 2 * ImGui::GetStyle().ItemSpacing.y;
  ui.begin_body(footer, "pass-issued");
  if (s.issued_code.empty()) {
    ImGui::Dummy(ImVec2(0, ui.unit() * 2));
    ImGui::PushFont(ui.fonts().huge);
    ui.text(ui.t("signin.welcome"));
    ImGui::PopFont();
    ui.heading(ui.t("signin.issued.recorded"));
    ImGui::Dummy(ImVec2(0, ui.gap()));
    ui.error_box(ui.t(s.issue_problem.empty() ? "signin.no_device_key" : s.issue_problem));
  } else {
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const bool wide = avail.x > avail.y * 1.3f;
    // The QR as big as fits: a phone photographs it from arm's length.
    const float side = wide ? std::min(avail.y - ImGui::GetStyle().ItemSpacing.y, avail.x * 0.55f)
                            : std::min(avail.x, avail.y - ui.unit() * 12);
    const auto qr = [&] { ui.qr("pass_qr", s.issued_code, side); };
    const auto words = [&] {
      ui.heading(ui.t("signin.welcome") + " " + ui.t("signin.issued.recorded"));
      ImGui::Dummy(ImVec2(0, ui.gap()));
      ImGui::PushFont(ui.fonts().huge);
      ui.text(ui.t("signin.issued.photo"));
      ImGui::PopFont();
      ui.text(ui.t("signin.issued.keep"));
      ImGui::Dummy(ImVec2(0, ui.gap()));
      ui.hint(ui.t("signin.issued.fallback"));
      ImGui::PushFont(ui.fonts().huge);
      ImGui::TextUnformatted(s.issued_fallback.c_str());
      ImGui::PopFont();
      ui.record("fallback", ItemKind::text);
      ImGui::Dummy(ImVec2(0, ui.gap()));
      ui.hint(ui.t("signin.issued.privacy"));
    };
    if (wide) {
      ui.beside(side, ui.gap() * 2, qr, words);
    } else {
      ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail.x - side) * 0.5f);
      qr();
      words();
    }
  }
  ui.end_body();
  ImGui::Dummy(ImVec2(0, ui.gap()));
  if (ui.button("finish", done, ImVec2(0, done_h), Tone::primary))
    out.push_back(command::Finish{});
}

}  // namespace allervers::app::screens
