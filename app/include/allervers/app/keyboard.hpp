#pragma once
// The on-screen keyboard as a model, without ImGui: a letters layout per language (AZERTY for
// French, QWERTY for English, AZERTY and the Arabic letters one key away on an Arabic screen —
// a table a new language adds a line to), each with its accents
// and typography layer, a digits-and-symbols layer, a digit pad, a codes keypad (capitals and
// digits, for pass fallback codes), a one-shot shift, and what each key does to the text being
// typed. The ImGui drawing lives in ui.cpp (Ui::keyboard).
//
// Sections: kinds of field and layers · language layouts · keys · the model · editing helpers.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace allervers::app {

// --- kinds of field and layers ------------------------------------------------------------

// What a text field accepts, which decides the keys shown:
//   single_line  letters; ↵ means "next" (the key says so)
//   multi_line   letters; ↵ starts a new line
//   digits_only  the digit pad (costs, PINs)
//   code         the codes keypad: capitals, digits and '-' (pass fallback codes)
//   contact      letters with '@' and '.' at hand (an e-mail or a phone number); ↵ is "next"
enum class TextKind { single_line, multi_line, digits_only, code, contact };
// Layers of the letters keyboard; a new field always opens on `letters`.
enum class KeyboardLayer { letters, accents, digits };

// --- language layouts ---------------------------------------------------------------------

// A language's letters: three rows of lower-case keys (the third sits between shift and
// backspace) and its accents layer (letters, then the typography the language needs), three
// rows too. A translation file names its layout ("keyboard.layout": "azerty"), or two: the
// first is where every field opens, the second one key away ("azerty arabic").
struct LetterLayout {
  std::string_view name;
  std::vector<std::vector<std::string_view>> letters;
  std::vector<std::vector<std::string_view>> accents;
  std::string_view letters_label = "abc";  // the key back to the letters from the other layers
  std::string_view accents_label = "éàç";  // the key to the accents layer
  std::string_view switch_label;           // the key that switches to this layout from another
  std::string_view comma = ",";            // the bottom row's punctuation key
  bool has_case = true;                    // a script without capitals has no shift key
};
// The layout called `name`; QWERTY when no layout has that name.
const LetterLayout& letter_layout(std::string_view name);
std::vector<std::string_view> letter_layout_names();

// --- keys ---------------------------------------------------------------------------------

struct Key {
  enum class Action { insert, backspace, shift, space, enter, to_letters, to_accents, to_digits, to_other_layout };
  Action action = Action::insert;
  std::string text;   // what `insert` types (already shifted when shift is on)
  std::string label;  // what the key shows; an insert key's probe id is "key:" + label
  float width = 1.0f; // in key units
};

// --- the model ----------------------------------------------------------------------------

class KeyboardModel {
 public:
  KeyboardModel() : layout_(&letter_layout("azerty")) {}
  KeyboardLayer layer() const { return layer_; }
  bool shifted() const { return shift_; }
  void set_layer(KeyboardLayer layer) { layer_ = layer; }
  const LetterLayout& layout() const { return *layout_; }
  void set_layout(const LetterLayout& layout) {
    layout_ = &layout;
    other_ = nullptr;
  }
  // A translation's "keyboard.layout": one layout's name, or two separated by a space (the
  // second one key away on every field but a contact's, which stays on the first: e-mail
  // addresses and phone numbers are written in Latin letters).
  void set_layouts(std::string_view names);
  // The layout a field of `kind` shows its letters in now.
  const LetterLayout& letters_for(TextKind kind) const;
  bool on_other_layout() const { return on_other_ && other_ != nullptr; }
  // A new field: letters, no shift (in the layout the resident last chose).
  void reset() {
    layer_ = KeyboardLayer::letters;
    shift_ = false;
  }
  // The rows for a field of `kind` (digits_only and code always show their pads).
  std::vector<std::vector<Key>> rows(TextKind kind) const;

  // refused_full: the field holds max_chars already; refused_kind: not a character this field
  // takes. The screen says so in words.
  enum class Effect { none, changed, enter, refused_full, refused_kind };
  // Applies a key to `text`; at most `max_chars` code points (0: no limit). A letter from the
  // accents layer returns to the letters, as shift does.
  Effect press(const Key& key, std::string& text, TextKind kind, std::size_t max_chars);

 private:
  const LetterLayout* layout_;
  const LetterLayout* other_ = nullptr;  // one key away, when the language names a second layout
  bool on_other_ = false;
  KeyboardLayer layer_ = KeyboardLayer::letters;
  bool shift_ = false;
};

// --- editing helpers ----------------------------------------------------------------------
// Shared with the physical keyboard path (a backspace is core::erase_last_code_point).

// Whether `cp` is a character a field of `kind` takes (codes: letters, digits, '-', ' ').
bool accepts(TextKind kind, char32_t cp);
// Appends `cp` when the field takes it and it fits; the effect says which.
KeyboardModel::Effect type_character(std::string& text, char32_t cp, TextKind kind, std::size_t max_chars);
// Appends `cp` when it is accepted and fits; returns whether the text changed.
bool append_typed(std::string& text, char32_t cp, TextKind kind, std::size_t max_chars);
std::string to_upper_french(const std::string& utf8_char);

}  // namespace allervers::app
