#pragma once
// Text rules shared by every room: UTF-8 validity, what counts as a control character,
// and text given in several languages.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace allervers::core {

// Where a text breaks the rules, and how. `offset` is a byte offset into the text.
struct TextProblem {
  enum class Kind { invalid_utf8, nul_byte, control_character };
  Kind kind;
  std::size_t offset;
  char32_t code_point;  // the offending character (0 for invalid UTF-8)
};

enum class Lines { single, multi };  // multi allows \n and \t; single allows neither

// First problem in `text`, or nothing when it is valid UTF-8 without forbidden characters.
std::optional<TextProblem> find_text_problem(std::string_view text, Lines lines);

// Number of Unicode code points (valid UTF-8 assumed; invalid bytes count one each).
std::size_t code_point_count(std::string_view text);

// True when the text is empty or only white space.
bool is_blank(std::string_view text);

// `text` without the spaces and tabs at its ends (HTTP's optional white space around header values
// and their parts).
std::string_view trim_ows(std::string_view text);

// Append the UTF-8 encoding of one code point.
void append_utf8(std::string& out, char32_t cp);

// Removes the last code point (all its bytes): a backspace.
void erase_last_code_point(std::string& text);

// The code points of a UTF-8 text. A byte that does not begin a valid sequence becomes
// U+FFFD and decoding goes on at the next byte, so nothing typed is silently dropped.
std::u32string decode_utf8(std::string_view text);

// The text as a search compares it: lower case, Latin letters without their accents ("É" and
// "é" as "e", "œ" as "oe", "ß" as "ss"), typographic apostrophes and quotes as ASCII ones, runs
// of white space as one space. Other scripts keep their letters (Greek and Cyrillic in lower
// case). The same folding on both sides of a search makes it case- and accent-insensitive on
// any database. Invalid UTF-8 bytes are dropped.
std::string fold_for_search(std::string_view text);

// A label given in several languages: {"fr": "…", "en": "…"}. French is the reference.
class LocalizedText {
 public:
  LocalizedText() = default;
  explicit LocalizedText(std::string french) { by_language_["fr"] = std::move(french); }
  void set(const std::string& language, std::string text) { by_language_[language] = std::move(text); }
  // The text in `language`, else French, else any, else "".
  const std::string& in(const std::string& language) const;
  bool empty() const { return by_language_.empty(); }
  bool has(const std::string& language) const { return by_language_.count(language) != 0; }
  const std::map<std::string, std::string>& all() const { return by_language_; }

 private:
  std::map<std::string, std::string> by_language_;
};

}  // namespace allervers::core
