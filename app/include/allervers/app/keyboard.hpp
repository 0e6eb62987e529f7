#pragma once
// The on-screen keyboard as a model, without ImGui: French AZERTY letters, an accents layout
// (é è à ù ç â ê î ô û ë ï œ « » ’), digits and symbols, a one-shot shift, and what each key
// does to the text being typed. The ImGui drawing lives in ui.cpp (draw_keyboard).
#include <cstddef>
#include <string>
#include <vector>

namespace allervers::app {

enum class KeyboardLayout { letters, accents, digits };
// What a text field accepts: `digits_only` shows the digit pad (costs, PINs).
enum class TextKind { single_line, multi_line, digits_only };

struct Key {
  enum class Action { insert, backspace, shift, space, enter, to_letters, to_accents, to_digits };
  Action action = Action::insert;
  std::string text;   // what `insert` types (already shifted when shift is on)
  std::string label;  // what the key shows; also the key's probe id ("key:" + label)
  float width = 1.0f; // in key units
};

class KeyboardModel {
 public:
  KeyboardLayout layout() const { return layout_; }
  bool shifted() const { return shift_; }
  void set_layout(KeyboardLayout layout) { layout_ = layout; }
  // The rows of the current layout for a field of `kind` (digits_only always shows the pad).
  std::vector<std::vector<Key>> rows(TextKind kind) const;

  enum class Effect { none, changed, enter };
  // Applies a key to `text`; at most `max_chars` code points (0: no limit).
  Effect press(const Key& key, std::string& text, TextKind kind, std::size_t max_chars);

 private:
  KeyboardLayout layout_ = KeyboardLayout::letters;
  bool shift_ = false;
};

// Editing helpers shared with the physical keyboard path (a backspace is
// core::erase_last_code_point).
// Appends `cp` when it is printable and fits; returns whether the text changed.
bool append_typed(std::string& text, char32_t cp, TextKind kind, std::size_t max_chars);
std::string to_upper_french(const std::string& utf8_char);

}  // namespace allervers::app
