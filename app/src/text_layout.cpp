#include "allervers/app/text_layout.hpp"

#include <algorithm>
#include <cstring>

#include "allervers/core/text.hpp"

namespace allervers::app {
namespace {

constexpr std::size_t kMaxCached = 4096;  // a few screens' worth of words; cleared when full

float advance(const ImFont* font, float scale, char32_t c) {
  if (bidi::is_format_character(c)) return 0;  // steers the order, never drawn
  return c > 0xFFFF ? font->FallbackAdvanceX * scale : font->GetCharAdvance(static_cast<ImWchar>(c)) * scale;
}

std::string utf8(std::u32string_view text) {
  std::string out;
  for (char32_t c : text) core::append_utf8(out, c);
  return out;
}

struct Span {
  std::size_t from, to;
};

// Greedy wrapping of one shaped paragraph (logical order): breaks after the last space that
// fits, inside a word only when the word alone is wider than the line. The lines' spans, spaces
// at their ends left out.
std::vector<Span> wrap_paragraph(const std::u32string& shaped, const ImFont* font, float scale, float wrap) {
  std::vector<Span> out;
  std::size_t start = 0;
  while (start < shaped.size()) {
    float width = 0;
    std::size_t end = start, last_space = std::u32string::npos;
    for (; end < shaped.size(); ++end) {
      const float w = advance(font, scale, shaped[end]);
      if (shaped[end] == U' ') last_space = end;
      if (wrap > 0 && width + w > wrap && end > start && shaped[end] != U' ') break;
      width += w;
    }
    std::size_t cut = end;
    if (end < shaped.size() && last_space != std::u32string::npos && last_space > start) cut = last_space;
    std::size_t line_end = cut;
    while (line_end > start && shaped[line_end - 1] == U' ') --line_end;
    out.push_back({start, line_end});
    start = cut;
    while (start < shaped.size() && shaped[start] == U' ') ++start;
  }
  if (out.empty()) out.push_back({0, 0});
  return out;
}

}  // namespace

void TextLayout::set_direction(bidi::Direction dir) {
  if (dir != dir_) cache_.clear();
  dir_ = dir;
}

const TextLayout::Lines& TextLayout::lines(const ImFont* font, float size, std::string_view text, float wrap) {
  std::string key(sizeof font + 2 * sizeof(float), '\0');
  std::memcpy(key.data(), &font, sizeof font);
  std::memcpy(key.data() + sizeof font, &size, sizeof(float));
  std::memcpy(key.data() + sizeof font + sizeof(float), &wrap, sizeof(float));
  key.append(text);
  if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  if (cache_.size() >= kMaxCached) cache_.clear();

  Lines out;
  const float scale = size / font->FontSize;
  const std::u32string all = core::decode_utf8(text);
  std::size_t from = 0;
  while (true) {
    const std::size_t nl = all.find(U'\n', from);
    const std::u32string_view paragraph = std::u32string_view(all).substr(from, nl == std::u32string::npos ? std::u32string::npos : nl - from);
    // Its own direction (first strong letter), the screen's when it has no letter ("12 €").
    const bidi::Paragraph resolved = bidi::resolve(paragraph, dir_);
    for (const Span& line : wrap_paragraph(resolved.shaped, font, scale, wrap)) {
      const std::u32string shown = bidi::visual_line(resolved, line.from, line.to);
      float width = 0;
      for (char32_t c : shown) width += advance(font, scale, c);
      out.text.push_back(utf8(shown));
      out.width.push_back(width);
      out.rtl.push_back(resolved.direction == bidi::Direction::rtl);
      out.size.x = std::max(out.size.x, width);
    }
    if (nl == std::u32string::npos) break;
    from = nl + 1;
  }
  out.size.y = size * static_cast<float>(out.text.size());
  return cache_.emplace(std::move(key), std::move(out)).first->second;
}

ImVec2 TextLayout::measure(const ImFont* font, float size, std::string_view text, float wrap) {
  if (!ours(text)) return font->CalcTextSizeA(size, FLT_MAX, wrap > 0 ? wrap : 0.0f, text.data(), text.data() + text.size());
  return lines(font, size, text, wrap).size;
}

void TextLayout::draw(ImDrawList* dl, const ImFont* font, float size, ImVec2 pos, ImU32 colour, std::string_view text,
                      float wrap) {
  if (!ours(text)) {
    dl->AddText(font, size, pos, colour, text.data(), text.data() + text.size(), wrap > 0 ? wrap : 0.0f);
    return;
  }
  const Lines& l = lines(font, size, text, wrap);
  for (std::size_t i = 0; i < l.text.size(); ++i) {
    // A line ends at the box's right when its paragraph reads from the right (Arabic, or a
    // number alone on an Arabic screen), starts at its left otherwise (a French answer).
    const float x = l.rtl[i] ? pos.x + l.size.x - l.width[i] : pos.x;
    const std::string& line = l.text[i];
    dl->AddText(font, size, ImVec2(x, pos.y + size * static_cast<float>(i)), colour, line.data(), line.data() + line.size());
  }
}

}  // namespace allervers::app
