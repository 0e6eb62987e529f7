#include "allervers/core/consultation.hpp"
#include "allervers/core/media.hpp"
#include "allervers/core/catalog_translations.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>
#include <set>

namespace allervers::core {
namespace {

using nlohmann::json;

constexpr int kMaxTextLength = 2000;  // per label, characters: generous for help texts

// A cursor into the document that knows its JSON path, so every error says where it is.
struct At {
  const json& value;
  std::string path;

  At operator[](const char* key) const {
    static const json null_value;
    auto it = value.find(key);
    return At{it == value.end() ? null_value : *it, path + "." + key};
  }
  At item(const json& element, std::size_t index) const {
    return At{element, path + "[" + std::to_string(index) + "]"};
  }
  bool present() const { return !value.is_null(); }
  [[noreturn]] void fail(const std::string& what) const { throw CatalogError(path, what); }

  const json& object() const {
    if (!value.is_object()) fail("expected an object");
    return value;
  }
  const json& array() const {
    if (!value.is_array()) fail("expected an array");
    return value;
  }
  std::string string(Lines lines = Lines::single) const {
    if (!value.is_string()) fail("expected a string");
    const auto& s = value.get_ref<const std::string&>();
    if (auto problem = find_text_problem(s, lines)) fail("text is not valid UTF-8 or holds a control character");
    if (code_point_count(s) > kMaxTextLength) fail("text longer than " + std::to_string(kMaxTextLength) + " characters");
    return s;
  }
  std::string string_or(const std::string& fallback) const { return present() ? string() : fallback; }
  std::string slug() const {
    std::string s = string();
    if (s.empty() || s.size() > 64) fail("an id must have 1 to 64 characters");
    for (char c : s)
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
        fail("an id may hold only a-z, 0-9, '-' and '_' (got \"" + s + "\")");
    return s;
  }
  std::int64_t integer(std::int64_t min, std::int64_t max) const {
    if (!value.is_number_integer()) fail("expected an integer");
    const auto v = value.get<std::int64_t>();
    if (v < min || v > max) fail("must be between " + std::to_string(min) + " and " + std::to_string(max));
    return v;
  }
  bool boolean_or(bool fallback) const {
    if (!present()) return fallback;
    if (!value.is_boolean()) fail("expected true or false");
    return value.get<bool>();
  }
  // Accessibility texts (spoken forms, easy-read wordings): any language may be given alone.
  LocalizedText localized_any() const {
    LocalizedText text;
    if (!present()) return text;
    for (auto it = object().begin(); it != value.end(); ++it) {
      At entry{it.value(), path + "." + it.key()};
      if (it.key().size() < 2 || it.key().size() > 8) entry.fail("not a language code");
      text.set(it.key(), entry.string(Lines::multi));
    }
    return text;
  }
  // A pictogram: a PNG file name in the catalog's directory ("bus.png"), never a path, or
  // the media name the server gave it when it published the catalog (core/media.hpp).
  std::string pictogram() const {
    if (!present()) return {};
    const std::string name = string();
    if (is_media_hash(name)) return name;
    const bool ok = name.size() > 4 && name.size() <= 64 && name.compare(name.size() - 4, 4, ".png") == 0 &&
                    std::all_of(name.begin(), name.end() - 4, [](char ch) {
                      return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
                    });
    if (!ok) fail("a pictogram is a file name of a-z 0-9 - _ ending in .png, or a media name (64 hex characters)");
    return name;
  }
  LocalizedText localized(bool required = true) const {
    LocalizedText text;
    if (!present()) {
      if (required) fail("missing");
      return text;
    }
    if (value.is_string()) return LocalizedText(string(Lines::multi));
    for (auto it = object().begin(); it != value.end(); ++it) {
      At entry{it.value(), path + "." + it.key()};
      if (it.key().size() < 2 || it.key().size() > 8) entry.fail("not a language code");
      text.set(it.key(), entry.string(Lines::multi));
    }
    if (text.all().find("fr") == text.all().end()) fail("a French text (\"fr\") is required");
    return text;
  }
};

std::vector<Option> parse_options(const At& at, bool required) {
  std::vector<Option> options;
  if (!at.present()) {
    if (required) at.fail("missing");
    return options;
  }
  std::set<std::string> seen;
  std::size_t i = 0;
  for (const auto& element : at.array()) {
    At o = at.item(element, i++);
    o.object();
    Option option{o["id"].slug(), o["label"].localized(), o["outside"].boolean_or(false),
                  o["spoken"].localized_any(), o["easy"].localized_any(), o["pictogram"].pictogram()};
    if (!seen.insert(option.id).second) o["id"].fail("duplicate id \"" + option.id + "\"");
    options.push_back(std::move(option));
  }
  if (required && options.empty()) at.fail("needs at least one entry");
  return options;
}

Question parse_question(const At& q, const Town& town, const std::vector<Question>& earlier) {
  q.object();
  Question question;
  question.id = q["id"].slug();
  const auto type = question_type_from(q["type"].string());
  if (!type) q["type"].fail("unknown question type \"" + q["type"].string() + "\"");
  question.type = *type;
  question.label = q["label"].localized();
  question.help = q["help"].localized(false);
  question.spoken = q["spoken"].localized_any();
  question.easy = q["easy"].localized_any();
  question.pictogram = q["pictogram"].pictogram();
  question.required = q["required"].boolean_or(true);
  switch (question.type) {
    case QuestionType::single_choice:
    case QuestionType::multiple_choice:
      question.options = parse_options(q["options"], true);
      break;
    case QuestionType::neighbourhood:
      question.options = town.neighbourhoods;
      if (question.options.empty()) q["type"].fail("the town has no neighbourhoods listed");
      break;
    case QuestionType::age_bracket:
      question.options = town.age_brackets;
      if (question.options.empty()) q["type"].fail("the town has no age brackets listed");
      break;
    default:
      if (q["options"].present()) q["options"].fail("this question type takes no options");
  }
  if (q["max_length"].present()) {
    if (question.type != QuestionType::short_text) q["max_length"].fail("only for short_text questions");
    question.max_length = static_cast<std::size_t>(q["max_length"].integer(1, 2000));
  }
  if (question.type == QuestionType::multiple_choice) {
    const auto n = static_cast<std::int64_t>(question.options.size());
    if (q["min_choices"].present()) question.min_choices = static_cast<std::size_t>(q["min_choices"].integer(0, n));
    if (q["max_choices"].present()) question.max_choices = static_cast<std::size_t>(q["max_choices"].integer(1, n));
    if (question.max_choices != 0 && question.min_choices > question.max_choices)
      q["min_choices"].fail("greater than max_choices");
  }
  if (At cond = q["show_if"]; cond.present()) {
    cond.object();
    ShowIf show_if;
    show_if.question = cond["question"].slug();
    bool found = false;
    for (const auto& e : earlier) found = found || e.id == show_if.question;
    if (!found) cond["question"].fail("must name an earlier question of this consultation");
    std::size_t i = 0;
    for (const auto& v : cond["any_of"].array()) {
      At value = cond["any_of"].item(v, i++);
      if (v.is_string()) show_if.any_of.push_back(value.string());
      else if (v.is_boolean()) show_if.any_of.push_back(v.get<bool>() ? "true" : "false");
      else if (v.is_number_integer()) show_if.any_of.push_back(std::to_string(v.get<std::int64_t>()));
      else value.fail("expected a string, a boolean or an integer");
    }
    if (show_if.any_of.empty()) cond["any_of"].fail("needs at least one value");
    question.show_if = std::move(show_if);
  }
  return question;
}

// `neighbourhoods` of a consultation: distinct ids of the town's own neighbourhoods.
std::vector<std::string> parse_covered(const At& at, const Town& town) {
  std::vector<std::string> ids;
  if (!at.present()) return ids;
  std::size_t i = 0;
  for (const auto& element : at.array()) {
    At n = at.item(element, i++);
    const std::string id = n.slug();
    const Option* known = town.find_neighbourhood(id);
    if (!known) n.fail("\"" + id + "\" is not one of the town's neighbourhoods");
    if (known->outside) n.fail("\"" + id + "\" is the town's outside, not a place a consultation runs");
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) n.fail("\"" + id + "\" is listed twice");
    ids.push_back(id);
  }
  if (ids.empty()) at.fail("needs at least one neighbourhood; leave the field out for the whole town");
  return ids;
}

// `channels` of a consultation: distinct channel names (core/channel.hpp).
std::vector<Channel> parse_channels(const At& at) {
  std::vector<Channel> channels;
  if (!at.present()) return channels;
  std::string known;
  for (auto ch : kAllChannels) known += std::string(known.empty() ? "" : ", ") + to_string(ch);
  std::size_t i = 0;
  for (const auto& element : at.array()) {
    At n = at.item(element, i++);
    const std::string name = n.string();
    const auto channel = channel_from(name);
    if (!channel) n.fail("unknown channel \"" + name + "\" (known: " + known + ")");
    if (std::find(channels.begin(), channels.end(), *channel) != channels.end()) n.fail("\"" + name + "\" is listed twice");
    channels.push_back(*channel);
  }
  if (channels.empty()) at.fail("needs at least one channel; leave the field out for every channel");
  return channels;
}

Consultation parse_consultation(const At& c, const Town& whole_town) {
  c.object();
  Consultation consultation;
  consultation.id = c["id"].slug();
  consultation.version = static_cast<std::int32_t>(c["version"].integer(1, 1'000'000));
  consultation.title = c["title"].localized();
  consultation.summary = c["summary"].localized(false);
  consultation.opens = c["opens"].string_or("");
  consultation.closes = c["closes"].string_or("");
  consultation.online_url = c["online_url"].string_or("");
  if (!consultation.online_url.empty() && consultation.online_url.rfind("https://", 0) != 0 &&
      consultation.online_url.rfind("http://", 0) != 0)
    c["online_url"].fail("must start with https:// or http://");
  consultation.neighbourhoods = parse_covered(c["neighbourhoods"], whole_town);
  consultation.channels = parse_channels(c["channels"]);
  // Its neighbourhood questions offer the neighbourhoods it runs in (all when it names none).
  Town town = whole_town;
  if (!consultation.neighbourhoods.empty())
    std::erase_if(town.neighbourhoods, [&](const Option& o) { return !consultation.runs_in(o.id); });
  if (At qs = c["questions"]; qs.present()) {
    std::set<std::string> seen;
    std::size_t i = 0;
    for (const auto& element : qs.array()) {
      At q = qs.item(element, i++);
      Question question = parse_question(q, town, consultation.questions);
      if (!seen.insert(question.id).second) q["id"].fail("duplicate question id \"" + question.id + "\"");
      consultation.questions.push_back(std::move(question));
    }
  }
  if (At ideas = c["ideas"]; ideas.present()) {
    ideas.object();
    consultation.ideas.enabled = ideas["enabled"].boolean_or(true);
    consultation.ideas.themes = parse_options(ideas["themes"], consultation.ideas.enabled);
    if (ideas["max_cost_eur"].present())
      consultation.ideas.max_cost_eur = ideas["max_cost_eur"].integer(1, 1'000'000'000);
  }
  if (!consultation.has_survey() && !consultation.ideas.enabled)
    c.fail("a consultation needs questions, ideas, or both");
  return consultation;
}

json localized_to_json(const LocalizedText& text) {
  json out = json::object();
  for (const auto& [language, value] : text.all()) out[language] = value;
  return out;
}

json options_to_json(const std::vector<Option>& options) {
  json out = json::array();
  for (const auto& o : options) {
    json option{{"id", o.id}, {"label", localized_to_json(o.label)}};
    if (o.outside) option["outside"] = true;
    if (!o.spoken.empty()) option["spoken"] = localized_to_json(o.spoken);
    if (!o.easy.empty()) option["easy"] = localized_to_json(o.easy);
    if (!o.pictogram.empty()) option["pictogram"] = o.pictogram;
    out.push_back(std::move(option));
  }
  return out;
}

template <class T>
const T* find_by_id(const std::vector<T>& items, const std::string& id) {
  for (const auto& item : items)
    if (item.id == id) return &item;
  return nullptr;
}

}  // namespace

const char* to_string(QuestionType type) {
  switch (type) {
    case QuestionType::single_choice: return "single_choice";
    case QuestionType::multiple_choice: return "multiple_choice";
    case QuestionType::scale_1_5: return "scale_1_5";
    case QuestionType::smiley: return "smiley";
    case QuestionType::yes_no: return "yes_no";
    case QuestionType::short_text: return "short_text";
    case QuestionType::neighbourhood: return "neighbourhood";
    case QuestionType::age_bracket: return "age_bracket";
  }
  return "?";
}

std::optional<QuestionType> question_type_from(const std::string& name) {
  for (auto t : {QuestionType::single_choice, QuestionType::multiple_choice, QuestionType::scale_1_5,
                 QuestionType::smiley, QuestionType::yes_no, QuestionType::short_text,
                 QuestionType::neighbourhood, QuestionType::age_bracket})
    if (name == to_string(t)) return t;
  return std::nullopt;
}

const Option* Question::find_option(const std::string& option_id) const { return find_by_id(options, option_id); }
const Option* IdeaSettings::find_theme(const std::string& theme_id) const { return find_by_id(themes, theme_id); }
const Question* Consultation::find_question(const std::string& question_id) const {
  return find_by_id(questions, question_id);
}
bool Consultation::offered_on(Channel channel) const {
  return channels.empty() || std::find(channels.begin(), channels.end(), channel) != channels.end();
}
bool Consultation::runs_in(const std::string& neighbourhood) const {
  return neighbourhoods.empty() || std::find(neighbourhoods.begin(), neighbourhoods.end(), neighbourhood) != neighbourhoods.end();
}
std::vector<Option> Consultation::quartiers(const Town& town) const {
  std::vector<Option> out;
  for (const auto& o : town.neighbourhoods)
    if (!o.outside && runs_in(o.id)) out.push_back(o);
  return out;
}
const Option* Town::find_neighbourhood(const std::string& id) const { return find_by_id(neighbourhoods, id); }
const Option* Town::find_age_bracket(const std::string& id) const { return find_by_id(age_brackets, id); }
const Assembly* Catalog::find_assembly(const std::string& id) const { return find_by_id(assemblies, id); }
const Vote* Catalog::find_vote(const std::string& id) const { return find_by_id(votes, id); }

const Consultation* Catalog::find(const std::string& id, std::int32_t version) const {
  for (const auto& c : consultations)
    if (c.id == id && c.version == version) return &c;
  return nullptr;
}

const Consultation* Catalog::latest(const std::string& id) const {
  const Consultation* best = nullptr;
  for (const auto& c : consultations)
    if (c.id == id && (!best || c.version > best->version)) best = &c;
  return best;
}

std::vector<const Consultation*> Catalog::current() const {
  std::vector<const Consultation*> out;
  for (const auto& c : consultations) {
    if (latest(c.id) != &c) continue;
    out.push_back(&c);
  }
  return out;
}

std::vector<const Consultation*> Catalog::offered_on(Channel channel) const {
  auto out = current();
  std::erase_if(out, [&](const Consultation* c) { return !c->offered_on(channel); });
  return out;
}

Catalog parse_catalog(const std::string& json_text) {
  json doc;
  try {
    doc = json::parse(json_text);
  } catch (const json::parse_error& e) {
    throw CatalogError("$", std::string("not valid JSON: ") + e.what());
  }
  At root{doc, "$"};
  root.object();
  if (root["format"].present() && root["format"].string() != "allervers.catalog/1")
    root["format"].fail("unsupported format \"" + root["format"].string() + "\" (this version reads allervers.catalog/1)");
  Catalog catalog;
  At town = root["town"];
  town.object();
  catalog.town.name = town["name"].string();
  catalog.town.neighbourhoods = parse_options(town["neighbourhoods"], false);
  catalog.town.age_brackets = parse_options(town["age_brackets"], false);

  std::set<std::pair<std::string, std::int32_t>> seen;
  std::size_t i = 0;
  for (const auto& element : root["consultations"].array()) {
    At c = root["consultations"].item(element, i++);
    Consultation consultation = parse_consultation(c, catalog.town);
    if (!seen.insert({consultation.id, consultation.version}).second)
      c["version"].fail("consultation \"" + consultation.id + "\" version " + std::to_string(consultation.version) +
                        " appears twice");
    catalog.consultations.push_back(std::move(consultation));
  }
  if (At assemblies = root["assemblies"]; assemblies.present()) {
    std::set<std::string> ids;
    std::size_t k = 0;
    for (const auto& element : assemblies.array()) {
      At a = assemblies.item(element, k++);
      a.object();
      Assembly assembly{a["id"].slug(), a["name"].localized(), a["date"].string(), a["place"].string_or(""),
                        a["neighbourhood"].string_or("")};
      if (!assembly.neighbourhood.empty() && !catalog.town.find_neighbourhood(assembly.neighbourhood))
        a["neighbourhood"].fail("not one of the town's neighbourhoods");
      if (!ids.insert(assembly.id).second) a["id"].fail("duplicate assembly id \"" + assembly.id + "\"");
      catalog.assemblies.push_back(std::move(assembly));
    }
  }
  if (auto votes = doc.find("votes"); votes != doc.end()) {
    std::vector<std::string> neighbourhoods;
    for (const auto& n : catalog.town.neighbourhoods) neighbourhoods.push_back(n.id);
    catalog.votes = parse_votes(*votes, neighbourhoods);
  }
  return catalog;
}

std::string catalog_to_json(const Catalog& catalog) {
  json doc;
  doc["format"] = "allervers.catalog/1";
  doc["town"] = {{"name", catalog.town.name},
                 {"neighbourhoods", options_to_json(catalog.town.neighbourhoods)},
                 {"age_brackets", options_to_json(catalog.town.age_brackets)}};
  doc["consultations"] = json::array();
  for (const auto& c : catalog.consultations) {
    json cj{{"id", c.id}, {"version", c.version}, {"title", localized_to_json(c.title)}};
    if (!c.summary.empty()) cj["summary"] = localized_to_json(c.summary);
    if (!c.opens.empty()) cj["opens"] = c.opens;
    if (!c.closes.empty()) cj["closes"] = c.closes;
    if (!c.online_url.empty()) cj["online_url"] = c.online_url;
    if (!c.neighbourhoods.empty()) cj["neighbourhoods"] = c.neighbourhoods;
    if (!c.channels.empty()) {
      cj["channels"] = json::array();
      for (auto ch : c.channels) cj["channels"].push_back(to_string(ch));
    }
    if (!c.questions.empty()) {
      cj["questions"] = json::array();
      for (const auto& q : c.questions) {
        json qj{{"id", q.id}, {"type", to_string(q.type)}, {"label", localized_to_json(q.label)}, {"required", q.required}};
        if (!q.help.empty()) qj["help"] = localized_to_json(q.help);
        if (!q.spoken.empty()) qj["spoken"] = localized_to_json(q.spoken);
        if (!q.easy.empty()) qj["easy"] = localized_to_json(q.easy);
        if (!q.pictogram.empty()) qj["pictogram"] = q.pictogram;
        if (q.type == QuestionType::single_choice || q.type == QuestionType::multiple_choice)
          qj["options"] = options_to_json(q.options);
        if (q.max_length) qj["max_length"] = q.max_length;
        if (q.min_choices) qj["min_choices"] = q.min_choices;
        if (q.max_choices) qj["max_choices"] = q.max_choices;
        if (q.show_if) qj["show_if"] = {{"question", q.show_if->question}, {"any_of", q.show_if->any_of}};
        cj["questions"].push_back(std::move(qj));
      }
    }
    if (c.ideas.enabled) {
      cj["ideas"] = {{"enabled", true}, {"themes", options_to_json(c.ideas.themes)}};
      if (c.ideas.max_cost_eur) cj["ideas"]["max_cost_eur"] = c.ideas.max_cost_eur;
    }
    doc["consultations"].push_back(std::move(cj));
  }
  if (!catalog.assemblies.empty()) {
    doc["assemblies"] = json::array();
    for (const auto& a : catalog.assemblies)
      doc["assemblies"].push_back({{"id", a.id}, {"name", localized_to_json(a.name)}, {"date", a.date},
                                   {"place", a.place}, {"neighbourhood", a.neighbourhood}});
  }
  if (!catalog.votes.empty()) doc["votes"] = votes_to_json(catalog.votes);
  return doc.dump(2);
}

// --- missing translations ------------------------------------------------------------------

std::vector<MissingTranslation> missing_translations(const Catalog& catalog, const std::vector<std::string>& languages,
                                                     const std::string& consultation) {
  std::vector<MissingTranslation> out;
  for (const Consultation* c : catalog.current()) {
    if (!consultation.empty() && c->id != consultation) continue;
    for (const auto& language : languages) {
      if (language == "fr") continue;
      const auto check = [&](const LocalizedText& text, const std::string& where) {
        if (!text.empty() && !text.has(language)) out.push_back({c->id, c->version, language, where});
      };
      check(c->title, "title");
      check(c->summary, "summary");
      for (const auto& q : c->questions) {
        check(q.label, "question " + q.id);
        check(q.help, "question " + q.id + ", help");
        if (q.type == QuestionType::single_choice || q.type == QuestionType::multiple_choice)
          for (const auto& o : q.options) check(o.label, "question " + q.id + ", option " + o.id);
      }
      for (const auto& t : c->ideas.themes) check(t.label, "idea theme " + t.id);
    }
  }
  return out;
}

std::vector<std::string> catalog_languages(const Catalog& catalog) {
  std::set<std::string> seen;
  const auto add = [&](const LocalizedText& text) {
    for (const auto& entry : text.all()) seen.insert(entry.first);
  };
  const auto options = [&](const std::vector<Option>& list) {
    for (const auto& o : list) add(o.label);
  };
  options(catalog.town.neighbourhoods);
  options(catalog.town.age_brackets);
  for (const auto& c : catalog.consultations) {
    add(c.title);
    add(c.summary);
    for (const auto& q : c.questions) {
      add(q.label);
      add(q.help);
      options(q.options);
    }
    options(c.ideas.themes);
  }
  std::vector<std::string> out{"fr"};
  for (const auto& language : seen)
    if (language != "fr") out.push_back(language);
  return out;
}

}  // namespace allervers::core
