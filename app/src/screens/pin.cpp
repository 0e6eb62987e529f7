// The staff PIN before the kiosk settings (and the way out of the kiosk). Five wrong PINs
// lock it for a while; the lock is shown with the time left, the PIN pad stays hidden.
#include "allervers/app/staff_pin.hpp"
#include "screens/screens.hpp"

namespace allervers::app::screens {

void pin(const ViewState& view, Ui& ui, Commands& out, std::int64_t now_ms) {
  ui.header(ui.t("pin.title"));
  const bool locked = view.pin_locked_until_ms && now_ms < *view.pin_locked_until_ms;
  const float reserved = ui.footer_height(ui.t("pin.submit")) + (locked ? 0.0f : ui.keyboard_height(TextKind::digits_only));
  ui.begin_body(reserved, "pin");
  if (locked) {
    const std::int64_t minutes = (*view.pin_locked_until_ms - now_ms + 59'999) / 60'000;
    ui.error_box(ui.f("pin.locked", {{"minutes", std::to_string(minutes)}}));
  } else {
    ui.text_field("field", view.pin_entry, TextKind::digits_only, "", true);
    if (view.pin_wrong) ui.error_box(ui.t("pin.wrong"));
    if (!view.staff_pin_set) ui.error_box(ui.t("pin.not_set"));
    ui.hint(ui.t("pin.hint"));
  }
  ui.end_body();
  const auto nav = ui.footer(true, false, !locked, view.pin_entry.size() >= kPinMinDigits, ui.t("pin.submit"), "pin.refused.short");
  if (nav == Ui::Nav::back) out.push_back(command::CloseStaff{});
  if (nav == Ui::Nav::next) out.push_back(command::SubmitPin{});
  if (!locked) {
    std::string entry = view.pin_entry;
    bool enter = false;
    if (ui.keyboard(entry, TextKind::digits_only, kPinMaxDigits, enter)) out.push_back(command::SetText{TextField::pin, entry});
    if (enter) {
      if (view.pin_entry.size() >= kPinMinDigits) out.push_back(command::SubmitPin{});
      else ui.refuse("pin.refused.short");
    }
  }
}

}  // namespace allervers::app::screens
