#pragma once
// Translation tables: a flat JSON object {"key": "text"} per language (the app's
// assets/i18n/, the web pages' assets/web/i18n/). French is the reference: a key missing in
// another language falls back to French, then to the key itself (a missing string is visible,
// never an empty button). Parsing only — reading the files is the caller's (core does no I/O).
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace allervers::core {

class TranslationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using TranslationTable = std::map<std::string, std::string, std::less<>>;

// The table in `json_text`; `where` (a file name) goes into the error. Throws TranslationError
// when the text is not JSON or not a flat object of strings.
TranslationTable parse_translations(std::string_view json_text, const std::string& where);

// One language with French behind it.
class Translations {
 public:
  Translations() = default;
  Translations(std::string language, TranslationTable own, TranslationTable fallback)
      : language_(std::move(language)), own_(std::move(own)), fallback_(std::move(fallback)) {}

  const std::string& language() const { return language_; }
  // The text, French's when this language lacks it, "" when neither has it.
  std::string_view find(std::string_view key) const;
  // The text, or the key itself when missing.
  std::string get(std::string_view key) const;
  bool has(std::string_view key) const { return own_.find(key) != own_.end(); }
  // get(key) with "{name}" placeholders replaced.
  std::string format(std::string_view key, const std::map<std::string, std::string>& values) const;
  const TranslationTable& own() const { return own_; }

 private:
  std::string language_;
  TranslationTable own_, fallback_;
};

// --- checked reading of one language against the reference (French) ---------------------

// What is wrong in a translation file, where: its line (1-based; 0 when it is the whole file)
// and key (empty when the line has none that can be read).
struct TranslationProblem {
  std::string file;
  std::size_t line = 0;
  std::string key;
  std::string what;
  // "ar.json, line 17, key survey.progress: the placeholder {total} is missing (French shows instead)"
  std::string sentence() const;
};

struct CheckedTranslations {
  TranslationTable table;                  // what can be used
  std::vector<TranslationProblem> problems;  // each left out entry, with why
  std::vector<std::string> missing;        // keys French has and this file lacks (French shows)
};

// Reads a language's file against `reference` and keeps what can be used: a file that is not
// JSON (a missing comma, invalid UTF-8) is read line by line, each `"key": "text"` line that
// reads kept; an entry whose placeholders differ from the reference's ({n} missing, {x} not
// known) is left out so French shows. Never throws: every fault is a problem naming the
// file, the line and the key.
CheckedTranslations check_translations(std::string_view text, const std::string& where, const TranslationTable& reference);

// "2027-03-01" → "1er mars 2027" (fr), "March 1, 2027" (en), "1 مارس 2027" (ar): a town day
// in the language's own words, from its translations ("date.long", "date.long_first" for the
// first of a month, "date.month.1" … "date.month.12"). A text that is not a day comes back as is.
std::string long_day(const Translations& tr, std::string_view day);

// The "{name}" placeholders of a text, sorted.
std::vector<std::string> placeholders(std::string_view text);

// "{name}" placeholders of `text` replaced by `values`.
std::string fill_placeholders(std::string text, const std::map<std::string, std::string>& values);

}  // namespace allervers::core
