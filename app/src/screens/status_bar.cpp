#include <string>

#include "screens/screens.hpp"

namespace allervers::app::screens {

std::string error_sentence(const Ui& ui, const core::ValidationError& error) {
  const std::string key = "error." + error.code;
  const std::string& text = ui.t(key);
  return text == key ? error.message : text;  // an untranslated code still says what is wrong
}

std::string format_euros(std::int64_t amount, const std::string& language) {
  std::string digits = std::to_string(amount);
  // French groups thousands with a narrow no-break space and puts " €" after; English "€1,000".
  const std::string sep = language == "fr" ? "\u202F" : ",";
  std::string grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) grouped += sep;
    grouped += digits[i];
  }
  return language == "fr" ? grouped + "\u00A0€" : "€" + grouped;
}

std::string format_local_time(const core::Instant& when, const core::Instant& now) {
  const std::string text = core::format_instant(when);  // 2026-11-23T10:15:00.123+01:00
  if (text.size() < 16) return text;
  const std::string time = text.substr(11, 5);
  if (core::local_day(when) == core::local_day(now)) return time;
  return text.substr(8, 2) + "/" + text.substr(5, 2) + " " + time;
}

namespace {
const char* network_key(Network n) {
  switch (n) {
    case Network::online: return "status.network.online";
    case Network::offline: return "status.network.offline";
    case Network::not_enrolled: return "status.network.not_enrolled";
    case Network::unknown: return "status.network.unknown";
  }
  return "status.network.unknown";
}

ImU32 network_colour(const Palette& p, Network n) {
  switch (n) {
    case Network::online: return p.network_online;
    case Network::offline: return p.network_offline;
    default: return p.network_unknown;
  }
}

std::string last_sync(const ViewState& view, const Ui& ui) {
  if (!view.status.last_success) return ui.t("status.never");
  return format_local_time(*view.status.last_success, core::Instant{});  // always with its date
}
}  // namespace

void status_line(const ViewState& view, Ui& ui) {
  const auto& s = view.status;
  const std::string line = ui.f("status.line", {{"today", std::to_string(s.captures_today)},
                                                {"pending", std::to_string(s.pending)},
                                                {"last", last_sync(view, ui)},
                                                {"network", ui.t(network_key(s.network))}});
  const ImVec2 a = ImGui::GetCursorScreenPos();
  const float r = ui.unit() * 0.3f;
  ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(a.x + r, a.y + ImGui::GetTextLineHeight() * 0.5f), r,
                                              network_colour(ui.colours(), s.network));
  ImGui::SetCursorScreenPos(ImVec2(a.x + r * 3, a.y));
  ui.hint(line);
  // The dot's colour is a glance; the line says the network's state in words.
  ui.mark(std::string("network: ") + network_key(s.network), "words: " + ui.t(network_key(s.network)));
  ImGui::Separator();
}

void status_panel(const ViewState& view, Ui& ui) {
  const auto& s = view.status;
  ui.text(ui.f("status.today", {{"count", std::to_string(s.captures_today)}}));
  ui.text(ui.f("status.pending", {{"count", std::to_string(s.pending)}}));
  ui.text(ui.f("status.last_sync", {{"when", last_sync(view, ui)}}));
  ui.text(ui.f("status.network", {{"state", ui.t(network_key(s.network))}}));
  // The sync's own words are English and meant for a log (one names a command line): the agent
  // reads what it means and what to do, in their language.
  if (s.network == Network::not_enrolled) ui.hint(ui.t("status.error.not_enrolled"));
  else if (!s.last_error.empty()) ui.hint(ui.t("status.error.sync_failed"));
  if (!s.storage_error.empty()) ui.error_box(ui.t("status.storage_error") + "\n" + s.storage_error);
}

}  // namespace allervers::app::screens
