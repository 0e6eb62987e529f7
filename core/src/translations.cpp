// Translation tables: parsing and lookup with French behind every language.
#include "allervers/core/translations.hpp"

#include <nlohmann/json.hpp>

namespace allervers::core {

TranslationTable parse_translations(std::string_view json_text, const std::string& where) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::parse_error& e) {
    throw TranslationError(where + ": not valid JSON (" + e.what() + ")");
  }
  if (!doc.is_object()) throw TranslationError(where + ": expected an object of \"key\": \"text\"");
  TranslationTable out;
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (!it.value().is_string()) throw TranslationError(where + ": the value of \"" + it.key() + "\" is not a text");
    out.emplace(it.key(), it.value().get<std::string>());
  }
  return out;
}

std::string_view Translations::find(std::string_view key) const {
  if (auto it = own_.find(key); it != own_.end()) return it->second;
  if (auto it = fallback_.find(key); it != fallback_.end()) return it->second;
  return {};
}

std::string Translations::get(std::string_view key) const {
  const auto text = find(key);
  return std::string(text.empty() && !has(key) ? key : text);
}

std::string fill_placeholders(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [name, value] : values) {
    const std::string mark = "{" + name + "}";
    for (auto pos = text.find(mark); pos != std::string::npos; pos = text.find(mark, pos + value.size()))
      text.replace(pos, mark.size(), value);
  }
  return text;
}

std::string Translations::format(std::string_view key, const std::map<std::string, std::string>& values) const {
  return fill_placeholders(get(key), values);
}

}  // namespace allervers::core
