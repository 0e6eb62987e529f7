#include "allervers/app/app.hpp"

#include <algorithm>
#include <cmath>

#include "allervers/app/fonts_style.hpp"
#include "screens/screens.hpp"

namespace allervers::app {

float display_scale_for(float width, float height, float dpi_scale) {
  const float by_size = std::clamp(std::min(width / 1280.0f, height / 800.0f), 1.0f, 2.0f);
  return std::max(dpi_scale, by_size);
}

App::App(Engine& engine, AppOptions options) : engine_(engine), options_(std::move(options)) {
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // a kiosk keeps no window layout between runs
  io.LogFilename = nullptr;
  for (const auto& language : engine_.view().languages)
    translations_.emplace(language, Translations::load(options_.i18n_dir, language));
  if (!translations_.count("fr")) translations_.emplace("fr", Translations::load(options_.i18n_dir, "fr"));
}

const Translations& App::translations(const std::string& language) const {
  auto it = translations_.find(language);
  return it != translations_.end() ? it->second : translations_.at("fr");
}

bool App::update_fonts() {
  const float scale = effective_scale();
  if (std::fabs(scale - built_scale_) < 0.001f) return false;
  fonts_ = build_fonts_and_style(scale, options_.font_path);
  built_scale_ = scale;
  return true;
}

const ItemRect* App::find(std::string_view id) const {
  for (const auto& item : items_)
    if (item.id == id) return &item;
  return nullptr;
}

void App::frame() {
  ImGuiIO& io = ImGui::GetIO();
  if (injected_) {
    io.MousePos = injected_->pos;
    io.MouseDown[0] = injected_->down;
  }
  ImGui::NewFrame();
  bool input = io.MouseDown[0] || io.MouseWheel != 0.0f || !io.InputQueueCharacters.empty();
  for (bool down : io.KeysDown) input = input || down;
  if (input) engine_.touched();
  engine_.tick();

  items_.clear();
  Commands commands;
  draw(commands);
  ImGui::Render();
  engine_.apply(commands);
}

void App::draw(Commands& out) {
  const ViewState& view = engine_.view();
  if (ui_state_.session != view.session) {  // a new resident: nothing of the last one's typing
    ui_state_ = UiState{};
    ui_state_.session = view.session;
  }
  Ui ui(translations(view.language), fonts_, effective_scale(), ui_state_, items_);
  const auto& catalog = engine_.catalog();
  ui.begin_screen();
  if (!view.kiosk && view.screen != Screen::staff) screens::status_line(view, ui);
  switch (view.screen) {
    case Screen::staff: screens::staff(view, catalog, ui, out); break;
    case Screen::welcome: screens::welcome(view, catalog, ui, out); break;
    case Screen::consultation_choice: screens::consultation_choice(view, catalog, ui, out); break;
    case Screen::activity_choice: screens::activity_choice(view, catalog, ui, out); break;
    case Screen::survey: screens::survey(view, catalog, ui, out); break;
    case Screen::idea: screens::idea(view, catalog, ui, out); break;
    case Screen::thanks: screens::thanks(view, ui, out); break;
    case Screen::pin: screens::pin(view, ui, out, engine_.now_ms()); break;
  }
  ui.end_screen();
  screens::idle_overlay(view, ui, out);
}

}  // namespace allervers::app
