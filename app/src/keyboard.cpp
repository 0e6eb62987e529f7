// Sections: language layouts · rows of each kind · pressing a key · editing helpers.
#include "allervers/app/keyboard.hpp"

#include <map>

#include "allervers/core/text.hpp"

namespace allervers::app {

// --- language layouts ---------------------------------------------------------------------

namespace {

// Immutable: each language's letters and accents. A new layout is one more entry; its
// language's translation file names it ("keyboard.layout").
const std::vector<LetterLayout>& layouts() {
  static const std::vector<LetterLayout> all = {
      {.name = "azerty",
       .letters = {{"a", "z", "e", "r", "t", "y", "u", "i", "o", "p"},
                   {"q", "s", "d", "f", "g", "h", "j", "k", "l", "m"},
                   {"w", "x", "c", "v", "b", "n", "'", "-"}},
       // French letters, then its typography: « » with their spaces, the dash, the apostrophe, …
       .accents = {{"é", "è", "ê", "ë", "à", "â", "ù", "û", "ü", "ç"},
                   {"î", "ï", "ô", "œ", "æ", "ÿ", "«", "»", "—", "…"},
                   {"’", "-", ",", ".", "!", "?", ":", ";"}},
       .switch_label = "Fr"},
      {.name = "qwerty",
       .letters = {{"q", "w", "e", "r", "t", "y", "u", "i", "o", "p"},
                   {"a", "s", "d", "f", "g", "h", "j", "k", "l", "'"},
                   {"z", "x", "c", "v", "b", "n", "m", "-"}},
       .accents = {{"é", "è", "ê", "à", "â", "ç", "ñ", "ö", "ü", "ï"},
                   {"“", "”", "‘", "’", "—", "–", "…", "£", "€", "ô"},
                   {"'", "-", ",", ".", "!", "?", ":", ";"}},
       .switch_label = "En"},
      // The Arabic letters in the rows of the Arabic keyboards sold in France and the Maghreb
      // (ض at the top left, ذ brought down from the digits' row); lam-alef is ل then ا, which
      // the shaping joins. The second layer: hamza's seats, then Arabic punctuation. No
      // capitals, so no shift. Digits stay 0-9 (the codes keypad and the digits layer).
      {.name = "arabic",
       .letters = {{"ض", "ص", "ث", "ق", "ف", "غ", "ع", "ه", "خ", "ح", "ج", "د"},
                   {"ش", "س", "ي", "ب", "ل", "ا", "ت", "ن", "م", "ك", "ط"},
                   {"ذ", "ئ", "ء", "ؤ", "ر", "ى", "ة", "و", "ز", "ظ"}},
       .accents = {{"أ", "إ", "آ", "ئ", "ؤ", "ء", "ى", "ة"},
                   {"«", "»", "،", "؛", "؟", "!", "…", "—"},
                   {"(", ")", "-", ":", "\"", "/", "'", "."}},
       .letters_label = "أبج",
       .accents_label = "أإآ",
       .switch_label = "ع",
       .comma = "،",
       .has_case = false},
  };
  return all;
}

}  // namespace

const LetterLayout& letter_layout(std::string_view name) {
  for (const auto& layout : layouts())
    if (layout.name == name) return layout;
  return layouts()[1];
}

void KeyboardModel::set_layouts(std::string_view names) {
  const std::size_t space = names.find(' ');
  layout_ = &letter_layout(names.substr(0, space));
  other_ = nullptr;
  if (space == std::string_view::npos) return;
  const std::string_view second = names.substr(space + 1);
  for (const auto& layout : layouts())
    if (layout.name == second && &layout != layout_) other_ = &layout;
}

const LetterLayout& KeyboardModel::letters_for(TextKind kind) const {
  return on_other_ && other_ && kind != TextKind::contact ? *other_ : *layout_;
}

std::vector<std::string_view> letter_layout_names() {
  std::vector<std::string_view> names;
  for (const auto& layout : layouts()) names.push_back(layout.name);
  return names;
}

// --- rows of each kind --------------------------------------------------------------------

namespace {

Key insert(std::string_view text, bool shift) {
  Key k;
  k.text = shift ? to_upper_french(std::string(text)) : std::string(text);
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

std::vector<Key> row(const std::vector<std::string_view>& chars, bool shift) {
  std::vector<Key> out;
  for (const auto c : chars) out.push_back(insert(c, shift));
  return out;
}

}  // namespace

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
  if (kind == TextKind::code) {
    // Pass fallback codes: Crockford's base32 (no I, L, O, U: read as 1, 1, 0 and never used).
    rows.push_back(row({"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"}, false));
    rows.push_back(row({"A", "B", "C", "D", "E", "F", "G", "H", "J", "K"}, false));
    rows.push_back(row({"M", "N", "P", "Q", "R", "S", "T", "V", "W", "X"}, false));
    rows.push_back({insert("Y", false), insert("Z", false), insert("-", false), action(A::backspace, "⌫", 2.0f),
                    action(A::enter, "↵", 3.0f)});
    return rows;
  }
  const auto& lang = letters_for(kind);
  const bool s = shift_ && lang.has_case;
  switch (layer_) {
    case KeyboardLayer::letters:
    case KeyboardLayer::accents: {
      const auto& source = layer_ == KeyboardLayer::letters ? lang.letters : lang.accents;
      for (std::size_t i = 0; i < source.size(); ++i) {
        // Typography keys (« » …) have no capitals: to_upper leaves them as they are.
        rows.push_back(row(source[i], s));
      }
      if (lang.has_case) rows.back().insert(rows.back().begin(), action(A::shift, "⇧", 1.5f));
      rows.back().push_back(action(A::backspace, "⌫", 1.5f));
      break;
    }
    case KeyboardLayer::digits:
      rows.push_back(row({"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"}, false));
      rows.push_back(row({"@", ".", ",", "-", "_", "(", ")", "/", "+", "€"}, false));
      rows.push_back(row({"!", "?", ":", ";", "\"", "&", "%", "#"}, false));
      rows.back().insert(rows.back().begin(), action(A::to_accents, std::string(lang.accents_label), 1.5f));
      rows.back().push_back(action(A::backspace, "⌫", 1.5f));
      break;
  }
  const std::string letters_label(lang.letters_label);
  std::vector<Key> bottom;
  bottom.push_back(layer_ == KeyboardLayer::digits ? action(A::to_letters, letters_label, 1.5f)
                                                   : action(A::to_digits, "123", 1.5f));
  bottom.push_back(layer_ == KeyboardLayer::accents ? action(A::to_letters, letters_label, 1.5f)
                                                    : action(A::to_accents, std::string(lang.accents_label), 1.5f));
  // The language's second layout, one key away on its letters (its name's letter or language).
  const bool other = other_ && kind != TextKind::contact && layer_ == KeyboardLayer::letters;
  if (other) bottom.push_back(action(A::to_other_layout, std::string((on_other_ ? layout_ : other_)->switch_label), 1.5f));
  // An e-mail or a phone number: '@' at hand, where the comma would be.
  bottom.push_back(insert(kind == TextKind::contact ? "@" : lang.comma, false));
  bottom.push_back(action(A::space, "espace", other ? 3.0f : 4.0f));
  bottom.push_back(insert(".", false));
  bottom.push_back(action(A::enter, "↵", 2.0f));
  rows.push_back(bottom);
  return rows;
}

// --- pressing a key -----------------------------------------------------------------------

KeyboardModel::Effect KeyboardModel::press(const Key& key, std::string& text, TextKind kind, std::size_t max_chars) {
  using A = Key::Action;
  switch (key.action) {
    case A::insert: {
      const auto cps = core::decode_utf8(key.text);
      if (cps.size() != 1) return Effect::none;
      const Effect effect = type_character(text, cps.front(), kind, max_chars);
      if (effect == Effect::changed) {
        shift_ = false;  // one-shot shift, like a phone keyboard
        // One accented letter (or « ») and back to the letters: the next one is a plain letter.
        if (layer_ == KeyboardLayer::accents) layer_ = KeyboardLayer::letters;
      }
      return effect;
    }
    case A::backspace:
      if (text.empty()) return Effect::none;
      core::erase_last_code_point(text);
      return Effect::changed;
    case A::shift:
      shift_ = !shift_;
      return Effect::none;
    case A::space:
      return type_character(text, U' ', kind, max_chars);
    case A::enter:
      if (kind == TextKind::multi_line) return type_character(text, U'\n', kind, max_chars);
      return Effect::enter;
    case A::to_letters: layer_ = KeyboardLayer::letters; return Effect::none;
    case A::to_accents: layer_ = KeyboardLayer::accents; return Effect::none;
    case A::to_digits: layer_ = KeyboardLayer::digits; return Effect::none;
    case A::to_other_layout:
      on_other_ = !on_other_;
      layer_ = KeyboardLayer::letters;
      shift_ = false;
      return Effect::none;
  }
  return Effect::none;
}

// --- editing helpers ----------------------------------------------------------------------

std::string to_upper_french(const std::string& c) {
  // The lower-case letters French needs, and their capitals ("É" is correct French on capitals).
  static const std::map<std::string, std::string> upper = {
      {"é", "É"}, {"è", "È"}, {"à", "À"}, {"ù", "Ù"}, {"ç", "Ç"}, {"â", "Â"}, {"ê", "Ê"}, {"î", "Î"},
      {"ô", "Ô"}, {"û", "Û"}, {"ë", "Ë"}, {"ï", "Ï"}, {"œ", "Œ"}, {"ü", "Ü"}, {"ÿ", "Ÿ"}, {"æ", "Æ"},
      {"ñ", "Ñ"}, {"ö", "Ö"}};
  if (c.size() == 1 && c[0] >= 'a' && c[0] <= 'z') return std::string(1, static_cast<char>(c[0] - 'a' + 'A'));
  if (auto it = upper.find(c); it != upper.end()) return it->second;
  return c;
}

bool accepts(TextKind kind, char32_t cp) {
  if (cp == U'\n') return kind == TextKind::multi_line;
  if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return false;
  switch (kind) {
    case TextKind::digits_only: return cp >= U'0' && cp <= U'9';
    case TextKind::code:
      return (cp >= U'0' && cp <= U'9') || (cp >= U'A' && cp <= U'Z') || (cp >= U'a' && cp <= U'z') || cp == U'-' ||
             cp == U' ';
    default: return true;
  }
}

KeyboardModel::Effect type_character(std::string& text, char32_t cp, TextKind kind, std::size_t max_chars) {
  if (!accepts(kind, cp)) return KeyboardModel::Effect::refused_kind;
  if (max_chars != 0 && core::code_point_count(text) >= max_chars) return KeyboardModel::Effect::refused_full;
  if (kind == TextKind::code && cp >= U'a' && cp <= U'z') cp = cp - U'a' + U'A';  // codes are shown in capitals
  core::append_utf8(text, cp);
  return KeyboardModel::Effect::changed;
}

bool append_typed(std::string& text, char32_t cp, TextKind kind, std::size_t max_chars) {
  return type_character(text, cp, kind, max_chars) == KeyboardModel::Effect::changed;
}

}  // namespace allervers::app
