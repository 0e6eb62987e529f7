#pragma once
// UI strings come from assets/i18n/<language>.json: a flat object {"key": "text"}. French is
// the reference: a key missing in another language falls back to French, then to the key
// itself (so a missing string is visible, never an empty button).
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace allervers::app {

class TranslationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Translations {
 public:
  Translations() = default;
  // Loads `language` with French as fallback from `dir`. Throws TranslationError naming the
  // file and the fault when French's file, or the language's, cannot be read or French's is
  // not a flat object of strings. Faults in another language's file (not JSON, invalid UTF-8,
  // a placeholder French does not have) leave those entries out: problems() says which.
  static Translations load(const std::filesystem::path& dir, const std::string& language);

  const std::string& language() const { return language_; }
  const std::string& get(const std::string& key) const;
  bool has(const std::string& key) const { return own_.count(key) != 0; }
  // get(key) with "{name}" placeholders replaced; when the sentence or a value holds
  // right-to-left text, each value is a first-strong isolate (bidi::isolate) so it reads in its
  // own direction: "رمزك {code}." keeps "K7QM-2XHD" whole and the sentence's full stop its own.
  // A text with no letter of its own ("{day} {month} {year}") is one value put together: its
  // values go in as they are.
  std::string format(const std::string& key, const std::map<std::string, std::string>& values) const;
  const std::map<std::string, std::string>& own() const { return own_; }
  // Sentences naming the file, line and key of each entry left out (French shows instead).
  const std::vector<std::string>& problems() const { return problems_; }
  // Keys French has and this language lacks (new screens land in French first).
  const std::vector<std::string>& missing_keys() const { return missing_keys_; }

 private:
  std::string language_;
  std::map<std::string, std::string> own_;
  std::map<std::string, std::string> fallback_;
  std::vector<std::string> problems_;
  std::vector<std::string> missing_keys_;
  mutable std::map<std::string, std::string> missing_;  // key -> key, so get() can return a reference
};

// The languages for which `dir` holds a translation file, French first.
std::vector<std::string> available_languages(const std::filesystem::path& dir);

}  // namespace allervers::app
