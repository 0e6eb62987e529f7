#include "catalog_reasons.hpp"

#include <array>
#include <map>
#include <optional>
#include <vector>

namespace allervers::web {
namespace {

// Core's reasons, written with {name} where core puts a value (core/src/consultation.cpp,
// core/src/vote.cpp), and the key of each. A test reads every reason core can give through this.
struct Shape {
  std::string_view pattern;
  std::string_view name;
};
constexpr std::array<Shape, 54> kShapes{{
    {"\"{value}\" is listed twice", "listed_twice"},
    {"\"{value}\" is not one of the town's neighbourhoods", "unknown_quartier"},
    {"\"{value}\" is the town's outside, not a place a consultation runs", "outside"},
    {"a French text (\"fr\") is required", "french_required"},
    {"a consultation needs questions, ideas, or both", "needs_content"},
    {"a pictogram is a file name of a-z 0-9 - _ ending in .png, or a media name (64 hex characters)", "pictogram"},
    {"an id may hold only a-z, 0-9, '-' and '_' (got \"{value}\")", "id_characters"},
    {"an id must have 1 to 64 characters", "id_length"},
    {"consultation \"{value}\" version {n} appears twice", "version_twice"},
    {"duplicate assembly id \"{value}\"", "duplicate_assembly"},
    {"duplicate id \"{value}\"", "duplicate_id"},
    {"duplicate question id \"{value}\"", "duplicate_question"},
    {"expected a string", "expected_string"},
    {"expected a string, a boolean or an integer", "expected_value"},
    {"expected an array", "expected_list"},
    {"expected an integer", "expected_integer"},
    {"expected an object", "expected_object"},
    {"expected true or false", "expected_boolean"},
    {"greater than max_choices", "over_max_choices"},
    {"missing", "missing"},
    {"must be between {min} and {max}", "between"},
    {"must name an earlier question of this consultation", "earlier_question"},
    {"must start with https:// or http://", "web_address"},
    {"needs at least one channel; leave the field out for every channel", "one_channel"},
    {"needs at least one entry", "one_entry"},
    {"needs at least one neighbourhood; leave the field out for the whole town", "one_quartier"},
    {"needs at least one value", "one_value"},
    {"not a language code", "language_code"},
    {"not one of the town's neighbourhoods", "not_a_quartier"},
    {"only for short_text questions", "only_short_text"},
    {"text is not valid UTF-8 or holds a control character", "bad_text"},
    {"text longer than {n} characters", "too_long"},
    {"the town has no age brackets listed", "no_age_brackets"},
    {"the town has no neighbourhoods listed", "no_quartiers"},
    {"this question type takes no options", "no_options"},
    {"unknown channel \"{value}\" (known: {known})", "unknown_channel"},
    {"unknown question type \"{value}\"", "unknown_type"},
    {"unsupported format \"{value}\" (this version reads allervers.catalog/1)", "format"},
    {"the vote appears twice", "vote_twice"},
    {"duplicate project id \"{value}\"", "duplicate_project"},
    {"expected the id (a UUID) of the idea the project came from", "project_idea"},
    {"no envelope takes this project: add a town-wide envelope or one for its quartier", "no_envelope"},
    {"two envelopes for one quartier", "two_envelopes"},
    {"expected a picture's media name (64 hex characters, its SHA-256), as the console stores it", "picture"},
    {"expected a text or {\"fr\": …}", "expected_text"},
    {"expected a day YYYY-MM-DD", "expected_day"},
    {"the vote closes before it opens", "closes_before_opening"},
    {"expected at least one envelope", "one_envelope"},
    {"fewer than min_projects", "under_min_projects"},
    {"expected at least one project", "one_project"},
    {"not valid results: {why}", "results"},
    {"expected budget or approval", "rule"},
    {"expected open or closed", "state"},
    {"expected 32 bytes in lower-case hex", "voter_key"},
}};

bool is_name(std::string_view s) { return !s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string_view::npos; }

// The values of `text` in the places `pattern` names, or nothing when it has another shape. The
// pattern is literal pieces between {name}s ("{" around anything else is literal: {"fr": …}); a
// value runs to the next literal piece, the last one to the piece that ends the text.
std::optional<std::map<std::string, std::string>> match(std::string_view pattern, std::string_view text) {
  std::vector<std::string_view> literals, names;
  std::size_t from = 0;
  for (std::size_t open = pattern.find('{'); open != std::string_view::npos; open = pattern.find('{', open + 1)) {
    const std::size_t close = pattern.find('}', open);
    if (close == std::string_view::npos) break;
    if (!is_name(pattern.substr(open + 1, close - open - 1))) continue;
    literals.push_back(pattern.substr(from, open - from));
    names.push_back(pattern.substr(open + 1, close - open - 1));
    from = close + 1;
  }
  literals.push_back(pattern.substr(from));
  if (names.empty()) return text == pattern ? std::optional(std::map<std::string, std::string>{}) : std::nullopt;
  if (text.substr(0, literals[0].size()) != literals[0]) return std::nullopt;
  std::map<std::string, std::string> values;
  std::size_t t = literals[0].size();
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string_view next = literals[i + 1];
    std::size_t end;
    if (i + 1 == names.size()) {
      if (text.size() < t + next.size() || text.substr(text.size() - next.size()) != next) return std::nullopt;
      end = text.size() - next.size();
    } else if ((end = text.find(next, t)) == std::string_view::npos) {
      return std::nullopt;
    }
    values[std::string(names[i])] = std::string(text.substr(t, end - t));
    t = end + next.size();
  }
  return values;
}

}  // namespace

std::string catalog_reason(const core::Translations& tr, std::string_view reason) {
  for (const auto& shape : kShapes)
    if (auto values = match(shape.pattern, reason)) {
      const std::string key = "catalog.reason." + std::string(shape.name);
      if (tr.find(key).empty()) break;
      return tr.format(key, *values);
    }
  return std::string(reason);
}

std::string catalog_reason(const core::Translations& tr, const core::CatalogError& e) {
  std::string_view what = e.what();
  const std::string prefix = e.where() + ": ";
  if (what.substr(0, prefix.size()) == prefix) what.remove_prefix(prefix.size());
  return catalog_reason(tr, what);
}

}  // namespace allervers::web
