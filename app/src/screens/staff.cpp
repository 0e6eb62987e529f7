// Agent home (field tablet) or kiosk settings (behind the PIN): the status, which
// consultation to offer, the channel, the text size, the idle delay, the staff PIN, the way out.
#include <algorithm>
#include <cmath>

#include "allervers/app/engine.hpp"
#include "screens/screens.hpp"

namespace allervers::app::screens {
namespace {

// "−  value  +" on one line, centred, the value in a slot as wide as its widest value: a tap
// on either button leaves both where they were (the screen reflows around them when the text
// size changes: the body's scroll keeps the tapped one under the finger).
int stepper(Ui& ui, const std::string& id, const std::string& label, const std::string& value, const std::string& widest,
            bool can_lower, bool can_raise, const std::string& lowest, const std::string& highest) {
  int delta = 0;
  ui.text(label);
  const float b = ui.touch() * 1.4f;
  const float value_w = ImGui::CalcTextSize(widest.c_str()).x + ui.unit();
  const float total = 2 * b + value_w + 2 * ui.gap();
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, (ImGui::GetContentRegionAvail().x - total) * 0.5f));
  if (ui.button(id + ":minus", "−", ImVec2(b, 0), Tone::normal, can_lower, lowest)) {
    delta = -1;
    ui.anchor(id + ":minus");
  }
  ImGui::SameLine(0, ui.gap());
  const ImVec2 a = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(value_w, ui.touch()));
  ui.record(id + ":value", ItemKind::panel);
  const ImVec2 size = ImGui::CalcTextSize(value.c_str());
  const ImVec2 at(a.x + (value_w - size.x) * 0.5f, a.y + (ui.touch() - size.y) * 0.5f);
  ImGui::GetWindowDrawList()->AddText(at, ImGui::GetColorU32(ImGuiCol_Text), value.c_str());
  ui.set_content(at, ImVec2(at.x + size.x, at.y + size.y));
  ImGui::SameLine(0, ui.gap());
  if (ui.button(id + ":plus", "+", ImVec2(b, 0), Tone::normal, can_raise, highest)) {
    delta = 1;
    ui.anchor(id + ":plus");
  }
  return delta;
}

const char* channel_key(core::Channel ch) {
  switch (ch) {
    case core::Channel::door_to_door: return "channel.door_to_door";
    case core::Channel::market: return "channel.market";
    case core::Channel::kiosk: return "channel.kiosk";
    case core::Channel::assembly: return "channel.assembly";
    case core::Channel::school: return "channel.school";
    case core::Channel::other: return "channel.other";
    case core::Channel::web: return "channel.other";  // never offered on a device
  }
  return "channel.other";
}

}  // namespace

void staff(const ViewState& view, const core::Catalog& catalog, Ui& ui, Commands& out) {
  const float half = (ImGui::GetContentRegionAvail().x - ui.gap()) / 2.0f;
  const std::string quit = ui.t("staff.quit"), close = ui.t(view.kiosk ? "staff.close_kiosk" : "staff.start");
  const float row_h = ui.row_height({quit, close}, half);
  ui.header(ui.t(view.kiosk ? "staff.title_kiosk" : "staff.title_agent"));
  ui.begin_body(ui.row_reserve({quit, close}, half), "staff");
  // Handing the tablet over needs a PIN to come back with: said first, where it cannot be missed.
  if (!view.staff_pin_set) ui.warning_box(ui.t("staff.pin_first"));
  status_panel(view, ui);
  ImGui::Dummy(ImVec2(0, ui.gap()));

  // The text size first: whoever needs larger text should not have to read the page to find it.
  ui.heading(ui.t("staff.display"));
  const int percent = static_cast<int>(std::lround(view.scale * 100.0f));
  if (int d = stepper(ui, "scale", ui.t("staff.scale"), std::to_string(percent) + "\u00A0%", "200\u00A0%",
                      percent > kMinTextPercent, percent < kMaxTextPercent, "staff.scale.smallest", "staff.scale.largest"))
    out.push_back(command::SetScale{static_cast<float>(percent + 10 * d) / 100.0f});
  if (ui.choice("high_contrast", ui.t("staff.high_contrast"), view.high_contrast_default, true))
    out.push_back(command::SetHighContrast{!view.high_contrast_default});
  if (view.kiosk) {
    if (int d = stepper(ui, "idle", ui.t("staff.idle"), ui.f("staff.idle_value", {{"seconds", std::to_string(view.idle_seconds)}}),
                        ui.f("staff.idle_value", {{"seconds", "600"}}), view.idle_seconds > timing::min_idle_seconds,
                        view.idle_seconds < timing::max_idle_seconds, "staff.idle.shortest", "staff.idle.longest"))
      out.push_back(command::SetIdleSeconds{view.idle_seconds + 10 * d});
  }
  // Read-aloud's volume (residents turn on the « audio » mode themselves, on the welcome screen).
  if (int d = stepper(ui, "volume", ui.t("staff.volume"), std::to_string(view.volume) + "\u00A0%", "100\u00A0%",
                      view.volume > 0, view.volume < 100, "staff.volume.silent", "staff.volume.loudest"))
    out.push_back(command::SetVolume{view.volume + 10 * d});
  if (!ui.speech_available()) ui.hint(ui.t("speech.unavailable"));
  ImGui::Dummy(ImVec2(0, ui.gap()));


  ui.heading(ui.t("staff.consultation"));
  if (ui.choice("featured:", ui.t("staff.consultation.all"), view.featured_consultation.empty(), false))
    out.push_back(command::FeatureConsultation{""});
  for (const auto* c : catalog.offered_on(view.channel))
    if (ui.choice("featured:" + c->id, c->title.in(view.language), view.featured_consultation == c->id, false))
      out.push_back(command::FeatureConsultation{c->id});
  ImGui::Dummy(ImVec2(0, ui.gap()));

  if (!view.kiosk) {
    ui.heading(ui.t("staff.channel"));
    for (const auto ch : core::kAllChannels) {
      if (ch == core::Channel::kiosk) continue;  // the kiosk channel belongs to --kiosk
      if (ch == core::Channel::web) continue;    // the public pages' own (issue 13)
      if (ui.choice(std::string("channel:") + core::to_string(ch), ui.t(channel_key(ch)), view.channel == ch, false))
        out.push_back(command::SetChannel{ch});
    }
    ImGui::Dummy(ImVec2(0, ui.gap()));
  }

  // The assembly desk: residents then start on the QR sign-in instead of the welcome screen.
  ui.heading(ui.t("staff.desk"));
  ui.hint(ui.t("staff.desk.hint"));
  for (const auto& a : catalog.assemblies)
    if (ui.choice("desk_assembly:" + a.id, ui.join({a.name.in(view.language), format_assembly_date(ui, a.date)}, " — "),
                  view.sign_in.assembly == a.id, false))
      out.push_back(command::ChooseAssembly{a.id});
  if (catalog.assemblies.empty()) ui.hint(ui.t("signin.no_assemblies"));
  if (ui.button("open_desk", ui.t("staff.desk.open"), ImVec2(0, 0), Tone::primary, !view.sign_in.assembly.empty(),
                "staff.desk.choose_first"))
    out.push_back(command::OpenSignIn{});
  if (view.desk_open && ui.button("close_desk", ui.t("staff.desk.close"), ImVec2(0, 0)))
    out.push_back(command::CloseSignIn{});
  ImGui::Dummy(ImVec2(0, ui.gap()));

  ui.heading(ui.t("staff.enrol"));
  ui.hint(ui.t(view.status.network == Network::not_enrolled ? "staff.enrol.hint_not_enrolled" : "staff.enrol.hint"));
  if (ui.button("enrol", ui.t("staff.enrol.scan"), ImVec2(0, 0))) out.push_back(command::OpenEnrol{});
  ImGui::Dummy(ImVec2(0, ui.gap()));

  ui.heading(ui.t("staff.contact"));
  ui.hint(ui.t(view.contact_offered ? "staff.contact.on" : "staff.contact.off"));
  ImGui::Dummy(ImVec2(0, ui.gap()));

  ui.heading(ui.t(view.staff_pin_set ? "staff.pin" : "staff.pin.choose"));
  if (!view.staff_notice.empty()) ui.hint(ui.t(view.staff_notice));
  ui.text_field("new_pin", view.new_pin, TextKind::digits_only, ui.t("staff.pin.placeholder"), true, false);
  std::string entry = view.new_pin;
  bool enter = false;
  if (ui.keyboard(entry, TextKind::digits_only, 8, enter)) out.push_back(command::SetText{TextField::new_pin, entry});
  if (enter) out.push_back(command::ChangePin{});
  ui.end_body();

  // Footer: the way out where the reading starts (asked again before it happens), back to
  // residents where it ends (the left and the right, swapped in Arabic).
  ImGui::Dummy(ImVec2(0, ui.gap() * 0.5f));
  Row row(ui, ui.gap());
  row.next(half);
  if (ui.button("quit", quit, ImVec2(half, row_h), Tone::danger)) out.push_back(command::Quit{});
  row.next(half);
  if (ui.button("close", close, ImVec2(half, row_h), Tone::primary, view.staff_pin_set, "staff.pin_first"))
    out.push_back(command::CloseStaff{});
}

}  // namespace allervers::app::screens
