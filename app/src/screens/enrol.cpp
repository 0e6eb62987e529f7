// Staff: enrol this device by scanning the QR code `allervers-server enrol-code` shows — no
// address or secret typed. The Engine hands the scanned text to the sync client's enrolment
// (off the UI thread) and shows its answer.
#include "screens/screens.hpp"

namespace allervers::app::screens {

void enrol(const ViewState& view, const CameraView& camera, Ui& ui, Commands& out) {
  ui.header(ui.t("enrol.title"));
  ui.begin_body(ui.footer_height(), "enrol");
  using State = EnrolView::State;
  switch (view.enrol.state) {
    case State::scanning: {
      ui.hint(ui.t("enrol.hint"));
      const ImVec2 avail = ImGui::GetContentRegionAvail();
      const float h = std::max(avail.y - ImGui::GetStyle().ItemSpacing.y, ui.touch() * 3);
      camera_preview(camera, ui, ImVec2(std::min(avail.x, h * 1.33f), h));
      break;
    }
    case State::working:
      ui.heading(ui.t("enrol.working"));
      break;
    case State::done:
      ui.heading(ui.t("enrol.done"));
      ui.text(view.enrol.message);
      break;
    case State::failed:
      ui.error_box(view.enrol.message.empty() ? ui.t("enrol.unavailable") : ui.t("enrol.failed") + "\n" + view.enrol.message);
      ui.hint(ui.t("enrol.hint"));
      {
        const ImVec2 avail = ImGui::GetContentRegionAvail();
        const float h = std::max(avail.y - ImGui::GetStyle().ItemSpacing.y, ui.touch() * 3);
        camera_preview(camera, ui, ImVec2(std::min(avail.x, h * 1.33f), h));
      }
      break;
  }
  ui.end_body();
  if (ui.footer(view.enrol.state != State::working, false, false, false, "") == Ui::Nav::back) out.push_back(command::Back{});
}

}  // namespace allervers::app::screens
