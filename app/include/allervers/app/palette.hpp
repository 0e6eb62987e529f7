#pragma once
// Every colour the app draws with, in one place, for each theme: the usual light one and a
// high-contrast one (white and yellow on black) for residents with poor eyesight, switched on
// the welcome screen or made the default by staff. Screens take their colours from here and
// never write their own, so text_pairs() lists every text-on-background pair the app draws and
// a test holds each to WCAG's ratios: 4.5:1 in the usual theme (AA), 7:1 in high contrast
// (AAA). Colour never says a state alone: an icon or words go with it (ItemRect::sign).
#include <string>
#include <vector>

#include <imgui.h>

namespace allervers::app {

enum class Theme { normal, high_contrast };

enum class Tone { normal, primary, selected, danger, quiet };

struct ToneColours {
  ImU32 bg, pressed, ink;
  ImU32 border;  // drawn around it (0: none)
};

struct Palette {
  ImU32 screen, ink, muted;  // the window, its text, hints and secondary text
  ImU32 panel, dim;          // an overlay's panel, and the dim over the screen behind it
  ImU32 field_bg, field_ink, field_border, placeholder;
  ImU32 error_bg, error_ink, warning_bg, warning_ink;
  ImU32 disabled_bg, disabled_ink, disabled_border;
  ImU32 progress_track, progress_fill;
  ToneColours tones[5];  // by Tone
  // The assembly desk: its verdict panels (no verdict yet, welcome, already here, refused),
  // the head count, and the camera box with its words.
  ToneColours verdict_none, verdict_welcome, verdict_already, verdict_refused;
  ImU32 count;
  ImU32 camera_bg, camera_ink, camera_muted, camera_caption;  // caption: a band over the picture
  ImU32 guide, guide_shadow;                                  // the camera's framing guide
  // The network's dot on the agent's status line (the state is said in words beside it).
  ImU32 network_online, network_offline, network_unknown;
  ImU32 qr_dark, qr_light;  // a QR code stays dark on light in every theme (cameras expect it)
  const ToneColours& tone(Tone t) const { return tones[static_cast<int>(t)]; }
};

const Palette& palette(Theme theme);

// A text colour on the background it is drawn on, named for a test's message.
struct TextPair {
  std::string what;
  ImU32 ink, paper;
};
// Every text-on-background pair the app draws in `p` (pressed and disabled states included;
// words over the camera's picture are taken over the worst picture, a white one).
std::vector<TextPair> text_pairs(const Palette& p);

// WCAG's contrast ratio of two colours (1 to 21).
float contrast_ratio(ImU32 a, ImU32 b);
// The least ratio each theme's text must reach: 4.5 (WCAG AA) and 7 (AAA).
float required_contrast(Theme theme);

}  // namespace allervers::app
