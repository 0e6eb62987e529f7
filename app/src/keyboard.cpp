#include "allervers/app/keyboard.hpp"

#include <map>

#include "allervers/core/text.hpp"

namespace allervers::app {
namespace {

Key insert(const std::string& text, bool shift) {
  Key k;
  k.text = shift ? to_upper_french(text) : text;
  k.label = k.text;
  return k;
}

Key action(Key::Action a, const std::string& label, float width) {
  Key k;
  k.action = a;
  k.label = label;
  k.width = width;
  return k;
}

std::vector<Key> row(const std::vector<std::string>& chars, bool shift) {
  std::vector<Key> out;
  for (const auto& c : chars) out.push_back(insert(c, shift));
  return out;
}

}  // namespace

std::string to_upper_french(const std::string& c) {
  // The lower-case letters French needs, and their capitals ("É" is correct French on capitals).
  static const std::map<std::string, std::string> upper = {
      {"é", "É"}, {"è", "È"}, {"à", "À"}, {"ù", "Ù"}, {"ç", "Ç"}, {"â", "Â"}, {"ê", "Ê"}, {"î", "Î"},
      {"ô", "Ô"}, {"û", "Û"}, {"ë", "Ë"}, {"ï", "Ï"}, {"œ", "Œ"}, {"ü", "Ü"}, {"ÿ", "Ÿ"}, {"æ", "Æ"}};
  if (c.size() == 1 && c[0] >= 'a' && c[0] <= 'z') return std::string(1, static_cast<char>(c[0] - 'a' + 'A'));
  if (auto it = upper.find(c); it != upper.end()) return it->second;
  return c;
}

std::vector<std::vector<Key>> KeyboardModel::rows(TextKind kind) const {
  using A = Key::Action;
  std::vector<std::vector<Key>> rows;
  if (kind == TextKind::digits_only) {
    rows.push_back(row({"1", "2", "3"}, false));
    rows.push_back(row({"4", "5", "6"}, false));
    rows.push_back(row({"7", "8", "9"}, false));
    rows.push_back({action(A::backspace, "⌫", 1), insert("0", false), action(A::enter, "OK", 1)});
    return rows;
  }
  const bool s = shift_;
  switch (layout_) {
    case KeyboardLayout::letters:
      rows.push_back(row({"a", "z", "e", "r", "t", "y", "u", "i", "o", "p"}, s));
      rows.push_back(row({"q", "s", "d", "f", "g", "h", "j", "k", "l", "m"}, s));
      rows.push_back(row({"w", "x", "c", "v", "b", "n", "'", "-"}, s));
      rows.back().insert(rows.back().begin(), action(A::shift, "⇧", 1.5f));
      rows.back().push_back(action(A::backspace, "⌫", 1.5f));
      break;
    case KeyboardLayout::accents:
      rows.push_back(row({"é", "è", "ê", "ë", "à", "â", "ù", "û", "ü", "ç"}, s));
      rows.push_back(row({"î", "ï", "ô", "œ", "æ", "ÿ", "«", "»", "’", "…"}, s));
      rows.push_back(row({"-", "'", ",", ".", "!", "?", ":", ";"}, false));
      rows.back().insert(rows.back().begin(), action(A::shift, "⇧", 1.5f));
      rows.back().push_back(action(A::backspace, "⌫", 1.5f));
      break;
    case KeyboardLayout::digits:
      rows.push_back(row({"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"}, false));
      rows.push_back(row({"@", ".", ",", "-", "_", "(", ")", "/", "+", "€"}, false));
      rows.push_back(row({"!", "?", ":", ";", "\"", "&", "%", "#"}, false));
      rows.back().insert(rows.back().begin(), action(A::to_accents, "éàç", 1.5f));
      rows.back().push_back(action(A::backspace, "⌫", 1.5f));
      break;
  }
  std::vector<Key> bottom;
  bottom.push_back(layout_ == KeyboardLayout::digits ? action(A::to_letters, "abc", 1.5f)
                                                     : action(A::to_digits, "123", 1.5f));
  bottom.push_back(layout_ == KeyboardLayout::accents ? action(A::to_letters, "abc", 1.5f)
                                                      : action(A::to_accents, "éàç", 1.5f));
  bottom.push_back(insert(",", false));
  bottom.push_back(action(A::space, "espace", 4.0f));
  bottom.push_back(insert(".", false));
  bottom.push_back(action(A::enter, "↵", 2.0f));
  rows.push_back(bottom);
  return rows;
}

bool append_typed(std::string& text, char32_t cp, TextKind kind, std::size_t max_chars) {
  if (cp == U'\n') {
    if (kind != TextKind::multi_line) return false;
  } else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) {
    return false;
  }
  if (kind == TextKind::digits_only && (cp < U'0' || cp > U'9')) return false;
  if (max_chars != 0 && core::code_point_count(text) >= max_chars) return false;
  core::append_utf8(text, cp);
  return true;
}

KeyboardModel::Effect KeyboardModel::press(const Key& key, std::string& text, TextKind kind, std::size_t max_chars) {
  using A = Key::Action;
  switch (key.action) {
    case A::insert: {
      if (max_chars != 0 && core::code_point_count(text) >= max_chars) return Effect::none;
      if (kind == TextKind::digits_only && (key.text.size() != 1 || key.text[0] < '0' || key.text[0] > '9'))
        return Effect::none;
      text += key.text;
      shift_ = false;  // one-shot shift, like a phone keyboard
      return Effect::changed;
    }
    case A::backspace:
      if (text.empty()) return Effect::none;
      core::erase_last_code_point(text);
      return Effect::changed;
    case A::shift:
      shift_ = !shift_;
      return Effect::none;
    case A::space:
      return append_typed(text, U' ', kind, max_chars) ? Effect::changed : Effect::none;
    case A::enter:
      if (kind == TextKind::multi_line) return append_typed(text, U'\n', kind, max_chars) ? Effect::changed : Effect::none;
      return Effect::enter;
    case A::to_letters: layout_ = KeyboardLayout::letters; return Effect::none;
    case A::to_accents: layout_ = KeyboardLayout::accents; return Effect::none;
    case A::to_digits: layout_ = KeyboardLayout::digits; return Effect::none;
  }
  return Effect::none;
}

}  // namespace allervers::app
