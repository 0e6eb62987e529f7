// Read-aloud on the screens: which words a speaker says, and the welcome screen's toggles.
#include "screens/screens.hpp"

namespace allervers::app::screens {

Spoken spoken_form(const core::LocalizedText& label, const core::LocalizedText& spoken, const std::string& language) {
  if (spoken.has(language)) return {spoken.in(language), language};
  if (label.has(language)) return {label.in(language), language};
  // Not translated: the French text, spoken by the French voice (never French letters read by
  // an Arabic voice).
  if (spoken.has("fr")) return {spoken.in("fr"), "fr"};
  if (label.has("fr")) return {label.in("fr"), "fr"};
  if (!label.all().empty()) return {label.all().begin()->second, label.all().begin()->first};
  return {};
}

const std::string& shown_label(const ViewState& view, const core::LocalizedText& label, const core::LocalizedText& easy) {
  if (view.easy_read && easy.has(view.language)) return easy.in(view.language);
  return label.in(view.language);
}

Spoken spoken_label(const ViewState& view, const core::LocalizedText& label, const core::LocalizedText& spoken,
                    const core::LocalizedText& easy) {
  if (view.easy_read && easy.has(view.language)) return {easy.in(view.language), view.language};
  return spoken_form(label, spoken, view.language);
}

void accessibility_toggles(const ViewState& view, Ui& ui, Commands& out) {
  if (ui.speech_available()) {
    if (ui.choice("audio", ui.t("welcome.audio"), view.audio_mode, true)) out.push_back(command::SetAudioMode{!view.audio_mode});
  } else {
    // Said on the screen, not only on a tap: whoever looks for the sound knows at once.
    ui.speaker("audio", "", "", ui.t("welcome.audio"));
    ui.hint(ui.t("speech.unavailable"));
  }
  if (ui.choice("easy_read", ui.t("welcome.easy_read"), view.easy_read, true)) out.push_back(command::SetEasyRead{!view.easy_read});
  if (ui.choice("high_contrast", ui.t("welcome.high_contrast"), view.high_contrast, true))
    out.push_back(command::SetHighContrast{!view.high_contrast});
}

}  // namespace allervers::app::screens
