#include "allervers/app/translations.hpp"

#include <algorithm>

#include "allervers/app/bidi.hpp"
#include "allervers/core/translations.hpp"

#include "allervers/platform/files.hpp"

namespace allervers::app {
namespace {

std::string read_text(const std::filesystem::path& path) {
  try {
    return platform::read_file(path);
  } catch (const platform::FileError&) {
    // The loader speaks of translation files: the kiosk refuses to start with this sentence.
    throw TranslationError("cannot read the translation file " + path.string());
  }
}

// French, the reference every other language falls back to: it must read whole.
core::TranslationTable read_reference(const std::filesystem::path& path) {
  try {
    return core::parse_translations(read_text(path), path.string());  // core's, shared with the web pages
  } catch (const core::TranslationError& e) {
    throw TranslationError(e.what());
  }
}

}  // namespace

Translations Translations::load(const std::filesystem::path& dir, const std::string& language) {
  Translations t;
  t.language_ = language;
  const auto french = read_reference(dir / "fr.json");
  t.fallback_ = {french.begin(), french.end()};
  if (language == "fr") {
    t.own_ = t.fallback_;
    return t;
  }
  // Another language keeps what reads; each fault is said (file, line, key) and French shows.
  const auto path = dir / (language + ".json");
  auto checked = core::check_translations(read_text(path), path.filename().string(), french);
  t.own_ = {checked.table.begin(), checked.table.end()};
  for (const auto& p : checked.problems) t.problems_.push_back(p.sentence());
  t.missing_keys_ = std::move(checked.missing);
  return t;
}

const std::string& Translations::get(const std::string& key) const {
  if (auto it = own_.find(key); it != own_.end()) return it->second;
  if (auto it = fallback_.find(key); it != fallback_.end()) return it->second;
  return missing_.emplace(key, key).first->second;
}

std::string Translations::format(const std::string& key, const std::map<std::string, std::string>& values) const {
  std::string text = get(key);
  // A value (a code, a street, a French title in an Arabic sentence) keeps its own direction
  // inside the sentence: a first-strong isolate, whenever right-to-left text is involved
  // (left to right with left to right reads the same without, and stays plain text). Not in
  // a text made of its values alone ("{day} {month} {year}"): that is one value put together,
  // whose direction is its own letters' (an isolate inside it would hide them from the
  // sentence it goes into, and an Arabic date would read from the left).
  std::string frame = text;
  for (const auto& [name, raw] : values)
    for (auto pos = frame.find("{" + name + "}"); pos != std::string::npos; pos = frame.find("{" + name + "}"))
      frame.erase(pos, name.size() + 2);
  const bool isolated = bidi::has_strong_letter(frame) &&
                        (bidi::has_rtl(text) || std::any_of(values.begin(), values.end(), [](const auto& v) {
                          return bidi::has_rtl(v.second);
                        }));
  for (const auto& [name, raw] : values) {
    const std::string mark = "{" + name + "}";
    const std::string value = isolated ? bidi::isolate(raw) : raw;
    for (auto pos = text.find(mark); pos != std::string::npos; pos = text.find(mark, pos + value.size()))
      text.replace(pos, mark.size(), value);
  }
  return text;
}

std::vector<std::string> available_languages(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.path().extension() == ".json") out.push_back(entry.path().stem().string());
  std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
    if (a == "fr" || b == "fr") return a == "fr" && b != "fr";
    return a < b;
  });
  return out;
}

}  // namespace allervers::app
