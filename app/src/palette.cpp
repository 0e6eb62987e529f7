#include "allervers/app/palette.hpp"

#include <algorithm>
#include <cmath>

namespace allervers::app {

namespace {

constexpr ImU32 rgb(int r, int g, int b) { return IM_COL32(r, g, b, 255); }

// The usual theme: dark ink on a warm white, blue actions, teal for what is chosen.
Palette make_normal() {
  Palette p{};
  p.screen = rgb(249, 248, 245);
  p.ink = rgb(20, 24, 32);
  // Secondary text, dark enough on a pressed card too (it was 4.49:1 there).
  p.muted = rgb(72, 80, 92);
  p.panel = rgb(255, 255, 255);
  p.dim = IM_COL32(13, 18, 26, 153);
  p.field_bg = rgb(255, 255, 255);
  p.field_ink = p.ink;
  p.field_border = rgb(30, 80, 160);
  p.placeholder = rgb(96, 104, 116);
  p.error_bg = rgb(253, 232, 232);
  p.error_ink = rgb(150, 20, 20);
  p.warning_bg = rgb(255, 243, 205);
  p.warning_ink = rgb(102, 60, 0);
  // A disabled button reads clearly yet is plainly not the blue of an action: grey, dashed.
  p.disabled_bg = rgb(232, 234, 238);
  p.disabled_ink = rgb(70, 76, 86);
  p.disabled_border = rgb(120, 128, 140);
  p.progress_track = rgb(222, 226, 234);
  p.progress_fill = rgb(18, 86, 170);
  const ImU32 border = rgb(170, 180, 196), white = rgb(255, 255, 255);
  p.tones[static_cast<int>(Tone::normal)] = {rgb(226, 231, 239), rgb(196, 205, 220), p.ink, border};
  p.tones[static_cast<int>(Tone::primary)] = {rgb(18, 86, 170), rgb(8, 60, 130), white, 0};
  p.tones[static_cast<int>(Tone::selected)] = {rgb(14, 110, 96), rgb(10, 80, 70), white, 0};
  p.tones[static_cast<int>(Tone::danger)] = {rgb(176, 32, 32), rgb(130, 20, 20), white, 0};
  p.tones[static_cast<int>(Tone::quiet)] = {rgb(248, 248, 246), rgb(226, 231, 239), p.ink, border};
  p.verdict_none = {rgb(226, 231, 239), rgb(226, 231, 239), p.ink, 0};
  p.verdict_welcome = {rgb(22, 122, 60), rgb(22, 122, 60), white, 0};
  p.verdict_already = {rgb(247, 178, 30), rgb(247, 178, 30), p.ink, 0};  // dark text: white on amber reads badly
  p.verdict_refused = {rgb(176, 32, 32), rgb(176, 32, 32), white, 0};
  p.count = rgb(18, 86, 170);
  p.camera_bg = rgb(40, 44, 52);
  p.camera_ink = white;
  p.camera_muted = rgb(220, 224, 232);
  p.camera_caption = IM_COL32(0, 0, 0, 150);
  p.guide = rgb(255, 200, 0);
  p.guide_shadow = IM_COL32(20, 24, 32, 200);
  p.network_online = rgb(20, 140, 60);
  p.network_offline = rgb(200, 110, 0);
  p.network_unknown = rgb(130, 136, 146);
  p.qr_dark = p.ink;
  p.qr_light = white;
  return p;
}

// High contrast: white and yellow on black, actions yellow with black words, what is chosen
// light blue with black words and a tick; every border drawn.
Palette make_high_contrast() {
  Palette p{};
  const ImU32 black = rgb(0, 0, 0), white = rgb(255, 255, 255), yellow = rgb(255, 221, 0);
  p.screen = black;
  p.ink = white;
  p.muted = rgb(210, 210, 210);
  p.panel = rgb(24, 24, 24);
  p.dim = IM_COL32(0, 0, 0, 217);
  p.field_bg = black;
  p.field_ink = white;
  p.field_border = yellow;
  p.placeholder = rgb(190, 190, 190);
  p.error_bg = rgb(50, 0, 0);
  p.error_ink = rgb(255, 170, 170);
  p.warning_bg = rgb(40, 32, 0);
  p.warning_ink = rgb(255, 225, 90);
  p.disabled_bg = rgb(30, 30, 30);
  p.disabled_ink = rgb(175, 175, 175);
  p.disabled_border = rgb(150, 150, 150);
  p.progress_track = rgb(80, 80, 80);
  p.progress_fill = yellow;
  p.tones[static_cast<int>(Tone::normal)] = {rgb(24, 24, 24), rgb(50, 50, 50), white, white};  // muted words on it too
  p.tones[static_cast<int>(Tone::primary)] = {yellow, rgb(230, 190, 0), black, 0};
  p.tones[static_cast<int>(Tone::selected)] = {rgb(140, 220, 255), rgb(90, 190, 240), black, white};
  p.tones[static_cast<int>(Tone::danger)] = {rgb(255, 150, 150), rgb(240, 110, 110), black, 0};
  p.tones[static_cast<int>(Tone::quiet)] = {black, rgb(50, 50, 50), white, rgb(200, 200, 200)};
  p.verdict_none = {rgb(24, 24, 24), rgb(24, 24, 24), white, white};
  p.verdict_welcome = {rgb(120, 230, 140), rgb(120, 230, 140), black, 0};
  p.verdict_already = {rgb(255, 210, 80), rgb(255, 210, 80), black, 0};
  p.verdict_refused = {rgb(255, 150, 150), rgb(255, 150, 150), black, 0};
  p.count = yellow;
  p.camera_bg = black;
  p.camera_ink = white;
  p.camera_muted = rgb(220, 220, 220);
  p.camera_caption = IM_COL32(0, 0, 0, 230);
  p.guide = yellow;
  p.guide_shadow = IM_COL32(0, 0, 0, 230);
  p.network_online = rgb(90, 230, 120);
  p.network_offline = rgb(255, 170, 40);
  p.network_unknown = rgb(170, 170, 170);
  p.qr_dark = black;
  p.qr_light = white;
  return p;
}

const Palette kNormal = make_normal();
const Palette kHighContrast = make_high_contrast();

float channel(unsigned c) {
  const float v = static_cast<float>(c) / 255.0f;
  return v <= 0.03928f ? v / 12.92f : std::pow((v + 0.055f) / 1.055f, 2.4f);
}
float luminance(ImU32 c) {
  return 0.2126f * channel((c >> IM_COL32_R_SHIFT) & 0xFF) + 0.7152f * channel((c >> IM_COL32_G_SHIFT) & 0xFF) +
         0.0722f * channel((c >> IM_COL32_B_SHIFT) & 0xFF);
}

// `top` (with its alpha) laid over the opaque `under`.
ImU32 over(ImU32 top, ImU32 under) {
  const float a = static_cast<float>((top >> IM_COL32_A_SHIFT) & 0xFF) / 255.0f;
  const auto mix = [&](int shift) {
    const float t = static_cast<float>((top >> shift) & 0xFF), u = static_cast<float>((under >> shift) & 0xFF);
    return static_cast<int>(std::lround(t * a + u * (1.0f - a)));
  };
  return rgb(mix(IM_COL32_R_SHIFT), mix(IM_COL32_G_SHIFT), mix(IM_COL32_B_SHIFT));
}

}  // namespace

const Palette& palette(Theme theme) { return theme == Theme::high_contrast ? kHighContrast : kNormal; }

std::vector<TextPair> text_pairs(const Palette& p) {
  std::vector<TextPair> out = {
      {"text on the screen", p.ink, p.screen},
      {"a hint on the screen", p.muted, p.screen},
      {"text on an overlay's panel", p.ink, p.panel},
      {"a hint on an overlay's panel", p.muted, p.panel},
      {"typed text in a field", p.field_ink, p.field_bg},
      {"a field's placeholder", p.placeholder, p.field_bg},
      {"an error", p.error_ink, p.error_bg},
      {"a warning or a refusal said", p.warning_ink, p.warning_bg},
      {"a disabled button's label", p.disabled_ink, p.disabled_bg},
      {"the desk's head count", p.count, p.screen},
      {"the desk's « people »", p.muted, p.screen},
      {"the camera box's title", p.camera_ink, p.camera_bg},
      {"the camera box's words", p.camera_muted, p.camera_bg},
      {"the camera's hint over a white picture", p.camera_ink, over(p.camera_caption, IM_COL32(255, 255, 255, 255))},
  };
  const char* tones[] = {"a button", "an action button", "a chosen answer", "a danger button", "a quiet button"};
  for (int t = 0; t < 5; ++t) {
    out.push_back({std::string(tones[t]) + "'s label", p.tones[t].ink, p.tones[t].bg});
    out.push_back({std::string(tones[t]) + "'s label, pressed", p.tones[t].ink, p.tones[t].pressed});
  }
  // A card: its title in ink, its paragraph muted, on a button's colours.
  out.push_back({"a card's paragraph", p.muted, p.tone(Tone::normal).bg});
  out.push_back({"a card's paragraph, pressed", p.muted, p.tone(Tone::normal).pressed});
  const std::pair<const char*, const ToneColours*> verdicts[] = {{"the desk, ready", &p.verdict_none},
                                                                  {"the desk's welcome", &p.verdict_welcome},
                                                                  {"the desk's « already here »", &p.verdict_already},
                                                                  {"the desk's refusal", &p.verdict_refused}};
  for (const auto& [what, v] : verdicts) out.push_back({what, v->ink, v->bg});
  return out;
}

float contrast_ratio(ImU32 a, ImU32 b) {
  const float la = luminance(a), lb = luminance(b);
  return (std::max(la, lb) + 0.05f) / (std::min(la, lb) + 0.05f);
}

float required_contrast(Theme theme) { return theme == Theme::high_contrast ? 7.0f : 4.5f; }

}  // namespace allervers::app
