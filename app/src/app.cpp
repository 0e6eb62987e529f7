#include "allervers/app/app.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "allervers/app/fonts_style.hpp"
#include "allervers/core/text.hpp"
#include "screens/screens.hpp"

namespace allervers::app {

float display_scale_for(float width, float height, float dpi_scale) {
  const float by_size = std::clamp(std::min(width / 1280.0f, height / 800.0f), 1.0f, 2.0f);
  return std::max(dpi_scale, by_size);
}

App::App(Engine& engine, AppOptions options)
    : engine_(engine), options_(std::move(options)), scanner_(options_.camera, options_.wake) {
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // a kiosk keeps no window layout between runs
  io.LogFilename = nullptr;
  for (const auto& language : engine_.view().languages)
    translations_.emplace(language, Translations::load(options_.i18n_dir, language));
  if (!translations_.count("fr")) translations_.emplace("fr", Translations::load(options_.i18n_dir, "fr"));
  for (const auto& [code, tr] : translations_)
    if (tr.has("language.name")) language_names_[code] = tr.get("language.name");
}

const Translations& App::translations(const std::string& language) const {
  auto it = translations_.find(language);
  return it != translations_.end() ? it->second : translations_.at("fr");
}

bool App::update_fonts() {
  const UiScale scale = scales();
  if (std::fabs(scale.display - built_scale_.display) < 0.001f && std::fabs(scale.text - built_scale_.text) < 0.001f)
    return false;
  fonts_ = build_fonts_and_style(scale, options_.font_path, options_.arabic_font_path);
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
  // An overlay up when the input arrives eats it (the finger meant the overlay, whatever is
  // under it), and keeps eating that gesture until the finger lifts.
  const bool overlay_was_up = has_overlay(engine_.view());
  if (overlay_was_up && io.MouseDown[0]) gesture_on_overlay_ = true;
  bool input = io.MouseDown[0] || io.MouseWheel != 0.0f || !io.InputQueueCharacters.empty();
  for (bool down : io.KeysDown) input = input || down;
  if (input) engine_.touched();
  engine_.tick();
  feed_scans();

  items_.clear();
  Commands commands;
  draw(commands, overlay_was_up || gesture_on_overlay_);
  if (!io.MouseDown[0]) gesture_on_overlay_ = false;
  ImGui::Render();
  speak(commands);
  engine_.apply(commands);
  // The camera follows the screen: open while a screen reads codes, closed otherwise.
  scanner_.set_active(engine_.wants_scanner());
  if (!engine_.wants_scanner()) hand_scanner_.reset();
}

void App::feed_scans() {
  // Codes decoded since the last frame, then hand-scanner bursts: each a Scanned command.
  for (auto& result : scanner_.drain()) {
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(result.frame_captured_at.time_since_epoch()).count();
    engine_.apply(command::Scanned{std::move(result.text), command::Scanned::Source::camera, ns});
  }
  for (auto& code : hand_scans_) engine_.apply(command::Scanned{std::move(code), command::Scanned::Source::hand_scanner, 0});
  hand_scans_.clear();
  // The preview: a new texture only when a new frame arrived.
  camera_view_.on = scanner_.active();
  camera_view_.problem = scanner_.problem();
  if (!camera_view_.on) {
    camera_view_.texture = nullptr;
    preview_sequence_ = 0;
    return;
  }
  if (auto frame = scanner_.latest(); frame && frame->sequence != preview_sequence_) {
    preview_sequence_ = frame->sequence;
    camera_view_.width = frame->width;
    camera_view_.height = frame->height;
    if (preview_texture_) camera_view_.texture = preview_texture_->upload(*frame);
  }
}

void App::key_character(char32_t c, std::int64_t at_ms) {
  if (engine_.wants_scanner()) hand_scanner_.character(c, at_ms);
}

void App::key_text(std::string_view utf8, std::int64_t at_ms) {
  for (char32_t c : core::decode_utf8(utf8)) key_character(c, at_ms);
}

void App::key_enter(std::int64_t at_ms) {
  if (!engine_.wants_scanner()) return;
  if (auto scan = hand_scanner_.enter(at_ms)) hand_scans_.push_back(std::move(*scan));
}

std::optional<std::int64_t> App::take_verdict_drawn() {
  auto out = verdict_drawn_;
  verdict_drawn_.reset();
  return out;
}

void App::draw(Commands& out, bool screen_blocked) {
  const ViewState& view = engine_.view();
  if (ui_state_.session != view.session) {  // a new resident: nothing of the last one's typing
    ui_state_ = UiState{};
    ui_state_.session = view.session;
  }
  const Translations& tr = translations(view.language);
  ui_state_.keyboard.set_layouts(tr.get("keyboard.layout"));  // AZERTY in French, Arabic a key away in Arabic …
  text_layout_.set_direction(bidi::is_rtl_language(view.language) ? bidi::Direction::rtl : bidi::Direction::ltr);
  Ui ui(tr, fonts_, scales(), ui_state_, items_, out);
  ui.set_theme(view.high_contrast ? Theme::high_contrast : Theme::normal);
  apply_palette(ui.colours());  // ImGui's own colours (the window, its text) follow the theme
  ui.set_text_layout(&text_layout_);
  ui.set_language_names(&language_names_);
  ui.set_pictures(&pictures_);
  ui.set_speech_available(options_.speech && options_.speech->available());
  ui.set_notice(view.notice ? tr.format(view.notice->key, view.notice->values) : "");
  // An overlay that appeared this very frame eats this frame's input too.
  ui.set_blocked(screen_blocked || has_overlay(view));
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
    case Screen::thanks: screens::thanks(view, catalog, ui, out); break;
    case Screen::pin: screens::pin(view, ui, out, engine_.now_ms()); break;
    case Screen::sign_in: screens::sign_in(view, catalog, camera_view_, ui, out, engine_.now_ms()); break;
    case Screen::sign_in_form: screens::sign_in_form(view, catalog, ui, out); break;
    case Screen::pass_issued: screens::pass_issued(view, catalog, ui, out); break;
    case Screen::enrol: screens::enrol(view, camera_view_, ui, out); break;
    case Screen::vote: screens::vote(view, catalog, camera_view_, ui, out); break;
    case Screen::vote_results: screens::vote_results(view, catalog, ui, out); break;
    case Screen::follow: screens::follow(view, catalog, camera_view_, ui, out); break;
  }
  ui.end_screen();
  reading_ = ui.reading();
  reading_language_ = ui.reading_language();
  if (const auto& v = view.sign_in.verdict; v && v->serial != drawn_verdict_ &&
                                            (view.screen == Screen::sign_in || view.screen == Screen::pass_issued)) {
    drawn_verdict_ = v->serial;
    if (v->frame_steady_ns) verdict_drawn_ = v->frame_steady_ns;
  }
  ui.set_blocked(false);
  ui.set_layer(1);
  screens::idle_overlay(view, ui, out);
  screens::quit_confirmation(view, ui, out);
}

void App::speak(Commands& commands) {
  Speech* speech = options_.speech;
  if (!speech) return;
  const ViewState& view = engine_.view();
  speech->set_volume(view.volume);
  speech->pump();
  // The screen as drawn this frame: the resident moved on (next, back, reset) when it changes.
  std::string screen = std::string(to_string(view.screen)) + "/" + std::to_string(view.session) + "/" +
                       view.consultation + "/" + view.language + "/" + (view.audio_mode ? "audio" : "");
  if (view.screen == Screen::survey) screen += "/" + std::to_string(view.survey.index);
  if (view.screen == Screen::idea) screen += std::string("/") + to_string(view.idea.step);
  if (view.screen == Screen::follow && view.follow.answered) screen += "/answer:" + view.follow.code;
  if (screen != spoken_screen_) {
    spoken_screen_ = screen;
    speech->stop();
    if (view.audio_mode && !reading_.empty()) speech->say(reading_, reading_language_);
  }
  for (const auto& c : commands) {
    if (const auto* s = std::get_if<command::Speak>(&c)) speech->say(s->text, s->language);
    if (std::holds_alternative<command::StopSpeech>(c)) speech->stop();
  }
}

bool has_overlay(const ViewState& view) { return view.idle_countdown_ms.has_value() || view.confirm_quit; }

}  // namespace allervers::app
