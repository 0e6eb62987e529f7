// What is drawn over a screen and takes every tap until it goes: the kiosk's countdown before
// it forgets a walked-away resident's answers, and "quit the app?". Each is a dimmed screen
// and a panel whose height is worked out before it is drawn, so it shows whole from its very
// first frame (an auto-sized window would be hidden for one frame, and an event-driven loop
// may not draw a second one for a while).
#include <algorithm>
#include <cfloat>

#include "screens/screens.hpp"

namespace allervers::app::screens {
namespace {

constexpr auto kFixed = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings;

// The dim over everything, then a centred white panel of `content_h` (padding added).
void begin_panel(Ui& ui, const char* name, float width, float content_h) {
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::ColorConvertU32ToFloat4(ui.colours().dim));
  ImGui::Begin((std::string(name) + "_dim").c_str(), nullptr, kFixed);  // (NoBringToFrontOnFocus would put it behind)
  ImGui::End();
  ImGui::PopStyleColor();

  const float pad = ui.unit();
  const float h = std::min(content_h + 2 * pad, io.DisplaySize.y - 2 * pad);
  ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, io.DisplaySize.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(width, h));
  ImGui::SetNextWindowFocus();
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::ColorConvertU32ToFloat4(ui.colours().panel));
  ImGui::PushStyleColor(ImGuiCol_Border, ImGui::ColorConvertU32ToFloat4(ui.colours().muted));  // its edge, over any dim
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(pad, pad));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, ui.unit() * 0.5f);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, std::max(1.0f, ui.scale()));
  ImGui::Begin(name, nullptr, kFixed);
}

void end_panel() {
  ImGui::End();
  ImGui::PopStyleVar(3);
  ImGui::PopStyleColor(2);
}

float panel_width(const Ui& ui) {
  const ImGuiIO& io = ImGui::GetIO();
  return std::min(io.DisplaySize.x - ui.unit() * 2, ui.unit() * 30);
}

float heading_height(const Ui& ui, const std::string& text, float wrap) { return ui.measure(text, wrap, ui.fonts().title).y; }

float text_height(const Ui& ui, const std::string& text, float wrap) { return ui.measure(text, wrap).y; }

}  // namespace

void idle_overlay(const ViewState& view, Ui& ui, Commands& out) {
  if (!view.idle_countdown_ms) return;
  const float w = panel_width(ui), inner = w - 2 * ui.unit();
  const float spacing = ImGui::GetStyle().ItemSpacing.y;
  const std::int64_t seconds = (*view.idle_countdown_ms + 999) / 1000;
  const std::string title = ui.t("idle.title");
  const std::string sentence = ui.f("idle.countdown", {{"seconds", std::to_string(seconds)}});
  const std::string number = std::to_string(seconds);
  const float button_h = ui.touch() * 1.2f;
  const float content = heading_height(ui, title, inner) + text_height(ui, sentence, inner) + ui.fonts().huge->FontSize +
                        button_h + 3 * spacing;
  begin_panel(ui, "idle_panel", w, content);
  ui.heading(title);
  ui.text(sentence);
  ImGui::PushFont(ui.fonts().huge);
  ui.text(number, "countdown");
  ImGui::PopFont();
  if (ui.button("still_here", ui.t("idle.continue"), ImVec2(inner, button_h), Tone::primary))
    out.push_back(command::StillHere{});
  end_panel();
}

void quit_confirmation(const ViewState& view, Ui& ui, Commands& out) {
  if (!view.confirm_quit) return;
  const float w = panel_width(ui), inner = w - 2 * ui.unit();
  const float spacing = ImGui::GetStyle().ItemSpacing.y;
  const std::string title = ui.t("quit.title");
  const std::string sentence = ui.t(view.kiosk ? "quit.body_kiosk" : "quit.body");
  const float button_w = (inner - ui.gap()) / 2.0f;
  // Both answers the same size; the label that wraps decides the row's height.
  const float pad = ui.unit() * 0.5f;
  const float label_h = std::max(text_height(ui, ui.t("quit.cancel"), button_w - 2 * pad), text_height(ui, ui.t("quit.confirm"), button_w - 2 * pad));
  const float button_h = std::max(ui.touch(), label_h + 2 * pad);
  const float content = heading_height(ui, title, inner) + text_height(ui, sentence, inner) + ui.gap() + button_h + 3 * spacing;
  begin_panel(ui, "quit_panel", w, content);
  ui.heading(title);
  ui.text(sentence);
  ImGui::Dummy(ImVec2(0, ui.gap()));
  Row row(ui, ui.gap());
  row.next(button_w);
  if (ui.button("quit:cancel", ui.t("quit.cancel"), ImVec2(button_w, button_h), Tone::normal))
    out.push_back(command::ConfirmQuit{false});
  row.next(button_w);
  if (ui.button("quit:confirm", ui.t("quit.confirm"), ImVec2(button_w, button_h), Tone::danger))
    out.push_back(command::ConfirmQuit{true});
  end_panel();
}

}  // namespace allervers::app::screens
