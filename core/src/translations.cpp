// Translation tables: parsing and lookup with French behind every language.
#include "allervers/core/translations.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "allervers/core/text.hpp"

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

// --- checked reading ---------------------------------------------------------------------

std::string TranslationProblem::sentence() const {
  std::string out = file;
  if (line) out += ", line " + std::to_string(line);
  if (!key.empty()) out += ", key " + key;
  return out + ": " + what;
}

std::vector<std::string> placeholders(std::string_view text) {
  std::vector<std::string> out;
  for (std::size_t open = text.find('{'); open != std::string_view::npos; open = text.find('{', open + 1)) {
    const std::size_t close = text.find('}', open);
    if (close == std::string_view::npos) break;
    const std::string_view name = text.substr(open + 1, close - open - 1);
    if (!name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        }))
      out.emplace_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

namespace {

// The key a line starts with (`  "key": …`), even when the rest does not read.
std::string key_of_line(std::string_view line) {
  const std::size_t open = line.find('"');
  if (open == std::string_view::npos) return {};
  const std::size_t close = line.find('"', open + 1);
  if (close == std::string_view::npos) return {};
  std::string key(line.substr(open + 1, close - open - 1));
  if (find_text_problem(key, Lines::single)) return {};
  return key;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> out;
  for (std::size_t from = 0; from <= text.size();) {
    const std::size_t nl = text.find('\n', from);
    out.push_back(text.substr(from, nl == std::string_view::npos ? std::string_view::npos : nl - from));
    if (nl == std::string_view::npos) break;
    from = nl + 1;
  }
  return out;
}

constexpr const char* kFallback = " (French shows instead)";

}  // namespace

CheckedTranslations check_translations(std::string_view text, const std::string& where, const TranslationTable& reference) {
  CheckedTranslations out;
  const auto lines = split_lines(text);
  std::map<std::string, std::size_t, std::less<>> line_of;  // key → its line, for the problems
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (auto key = key_of_line(lines[i]); !key.empty()) line_of.emplace(std::move(key), i + 1);
  const auto problem = [&](std::size_t line, std::string key, std::string what) {
    out.problems.push_back({where, line, std::move(key), std::move(what) + kFallback});
  };
  std::vector<std::pair<std::string, std::string>> entries;

  bool whole = !find_text_problem(text, Lines::multi).has_value();
  nlohmann::json doc;
  if (whole) {
    try {
      doc = nlohmann::json::parse(text);
      whole = doc.is_object();
    } catch (const nlohmann::json::parse_error&) {
      whole = false;
    }
  }
  if (whole) {
    for (auto it = doc.begin(); it != doc.end(); ++it) {
      const auto at = line_of.find(it.key());
      const std::size_t line = at == line_of.end() ? 0 : at->second;
      if (!it.value().is_string()) problem(line, it.key(), "the value is not a text");
      else entries.emplace_back(it.key(), it.value().get<std::string>());
    }
  } else {
    // Not JSON as a whole: each line that reads on its own is kept.
    out.problems.push_back({where, 0, "", "the file is not valid JSON; it was read line by line"});
    for (std::size_t i = 0; i < lines.size(); ++i) {
      std::string_view line = lines[i];
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
      while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
      if (line.empty() || line == "{" || line == "}") continue;
      if (line.back() == ',') line.remove_suffix(1);
      if (const auto bad = find_text_problem(line, Lines::single)) {
        problem(i + 1, key_of_line(line), bad->kind == TextProblem::Kind::invalid_utf8
                                              ? "not valid UTF-8 (byte " + std::to_string(bad->offset + static_cast<std::size_t>(line.data() - lines[i].data()) + 1) + " of the line)"
                                              : "a control character");
        continue;
      }
      try {
        const auto one = nlohmann::json::parse("{" + std::string(line) + "}");
        for (auto it = one.begin(); it != one.end(); ++it) {
          if (!it.value().is_string()) problem(i + 1, it.key(), "the value is not a text");
          else entries.emplace_back(it.key(), it.value().get<std::string>());
        }
      } catch (const nlohmann::json::parse_error&) {
        problem(i + 1, key_of_line(line), "not a \"key\": \"text\" line");
      }
    }
  }

  for (auto& [key, value] : entries) {
    const auto at = line_of.find(key);
    const std::size_t line = at == line_of.end() ? 0 : at->second;
    if (auto ref = reference.find(key); ref != reference.end()) {
      const auto want = placeholders(ref->second), have = placeholders(value);
      if (want != have) {
        std::string what;
        for (const auto& p : want)
          if (!std::binary_search(have.begin(), have.end(), p)) what += (what.empty() ? "" : "; ") + ("the placeholder {" + p + "} is missing");
        for (const auto& p : have)
          if (!std::binary_search(want.begin(), want.end(), p)) what += (what.empty() ? "" : "; ") + ("the placeholder {" + p + "} is not French's");
        problem(line, key, what);
        continue;
      }
    }
    out.table.insert_or_assign(key, std::move(value));
  }
  for (const auto& [key, french_text] : reference)
    if (!out.table.count(key)) out.missing.push_back(key);
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

std::string long_day(const Translations& tr, std::string_view day) {
  const auto digits = [&](std::size_t from, std::size_t count) {
    int n = 0;
    for (std::size_t i = from; i < from + count; ++i) {
      if (day[i] < '0' || day[i] > '9') return -1;
      n = n * 10 + (day[i] - '0');
    }
    return n;
  };
  if (day.size() != 10 || day[4] != '-' || day[7] != '-') return std::string(day);
  const int year = digits(0, 4), month = digits(5, 2), d = digits(8, 2);
  if (year < 0 || month < 1 || month > 12 || d < 1 || d > 31) return std::string(day);
  return tr.format(d == 1 ? "date.long_first" : "date.long", {{"day", std::to_string(d)},
                                                             {"month", tr.get("date.month." + std::to_string(month))},
                                                             {"year", std::string(day.substr(0, 4))}});
}

}  // namespace allervers::core
