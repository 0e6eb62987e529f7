#pragma once
// Text measured, wrapped and drawn for any script: left-to-right text without a right-to-left
// letter goes straight to ImGui (as it always did); anything else — an Arabic label, or any
// text on a right-to-left screen — is shaped, wrapped on its logical order, and each line
// reordered for drawing (bidi.hpp). Each paragraph keeps its own direction: its lines end at
// the right when it reads from the right, start at the left otherwise (a French answer on an
// Arabic screen), whichever side the screen places the whole block.
// Layouts are cached between frames (a screen draws the same words sixty times a second).
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "allervers/app/bidi.hpp"

#include <imgui.h>

namespace allervers::app {

class TextLayout {
 public:
  struct Lines {
    std::vector<std::string> text;  // each line in drawing order (UTF-8)
    std::vector<float> width;
    std::vector<bool> rtl;  // whether each line's paragraph reads from the right
    ImVec2 size{0, 0};
  };

  void set_direction(bidi::Direction dir);
  bidi::Direction direction() const { return dir_; }
  bool rtl() const { return dir_ == bidi::Direction::rtl; }
  // Whether `text` is laid out here rather than by ImGui.
  bool ours(std::string_view text) const {
    return rtl() || bidi::has_rtl(text) || bidi::has_format_characters(text);
  }

  // The lines of `text` in `font` at `size` pixels, wrapped at `wrap` (≤ 0: only at '\n').
  const Lines& lines(const ImFont* font, float size, std::string_view text, float wrap);
  // Same size as ImGui's CalcTextSizeA for left-to-right text.
  ImVec2 measure(const ImFont* font, float size, std::string_view text, float wrap);
  // Draws `text` in the box at `pos` as wide as its measure: a line of a paragraph read from
  // the right ends at the box's right, any other starts at its left.
  void draw(ImDrawList* dl, const ImFont* font, float size, ImVec2 pos, ImU32 colour, std::string_view text, float wrap);

  std::size_t cached() const { return cache_.size(); }

 private:
  bidi::Direction dir_ = bidi::Direction::ltr;
  std::unordered_map<std::string, Lines> cache_;
};

}  // namespace allervers::app
