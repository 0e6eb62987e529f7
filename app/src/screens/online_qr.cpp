// The consultation's online page as a QR code, for residents who prefer their phone: the code
// on the reading side, what it is and the address beside it (no scrolling on a landscape screen).
#include <algorithm>

#include "screens/screens.hpp"

namespace allervers::app::screens {

void online_qr(Ui& ui, const std::string& url, const std::string& title_key) {
  if (url.empty()) return;
  // Never taller than the body shows at once: a code seen in part cannot be scanned.
  const float side = std::max(ui.min_target() * 2.0f,
                              std::min({ui.unit() * 11.0f, ImGui::GetContentRegionAvail().x * 0.4f, ui.visible_height()}));
  ui.beside(side, ui.gap(), [&] { ui.qr("online_qr", url, side); }, [&] {
    ImGui::Dummy(ImVec2(0, ui.gap()));
    ui.heading(ui.t(title_key));
    ui.hint(ui.t("online.hint"));
    ui.hint(url);
  });
}

}  // namespace allervers::app::screens
