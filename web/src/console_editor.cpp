// The console's consultation editor: a consultation's texts in every language the app speaks
// (French required, the others shown as missing), its dates, its questions of every type core
// knows with their options and `show_if`, each previewed as a resident will see it; checked by
// core's catalog parsing (the same code devices run) with the fault's place said in French;
// published as a new version of the catalog (devices get it at their next sync; earlier
// versions stay in the merged catalog, so captures made with them stay readable and
// exportable); exported as a catalog JSON document and imported from one.
//
// Works without JavaScript: the whole consultation travels in the form; adding a question or an
// option, removing one, or checking, is a POST that comes back re-rendered. Nothing is stored
// until « Publier ». Who: manage_consultations (coordinator, admin).
//
// Where it runs (the town's quartiers) and on which channels are boxes to tick. Beside each
// question, its preview in the language chosen; assets/web/static/editor.js redraws it as the
// coordinator types (DOM and textContent only), and without JavaScript « Mettre à jour
// l'aperçu » posts the form and the server draws it.
//
// Sections: languages · the form ⇄ the consultation's JSON · the page's values and preview ·
// checking (French errors) · the pages · publish · export, import · routes.
#include <algorithm>
#include <set>

#include "allervers/core/channel.hpp"
#include "allervers/core/kiosk_glyphs.hpp"
#include "allervers/core/text.hpp"
#include "allervers/server/accounts.hpp"
#include "allervers/server/admin.hpp"
#include "allervers/server/api.hpp"
#include "allervers/web/forms.hpp"
#include "catalog_reasons.hpp"
#include "console_page.hpp"

namespace allervers::web {

using nlohmann::json;
using server::HttpResponse;

namespace {

// The whole consultation is in the form: room for a long one (60 questions of 12 options).
const FormLimits kEditorForm{.max_fields = 6000, .max_name_bytes = 40, .max_value_bytes = 64 * 1024, .max_files = 0, .max_file_bytes = 0};
const FormLimits kImportForm{.max_fields = 4, .max_name_bytes = 20, .max_value_bytes = 200, .max_files = 1, .max_file_bytes = 2 * 1024 * 1024};
constexpr std::size_t kMaxQuestions = 60, kMaxOptions = 40;

// --- languages -----------------------------------------------------------------------------

// The app's languages, French first (required); the others optional.
struct Language {
  const char* code;
  const char* key;  // its name in the console's language
};
constexpr Language kLanguages[] = {{"fr", "editor.lang.fr"}, {"en", "editor.lang.en"}, {"ar", "editor.lang.ar"},
                                   {"pt", "editor.lang.pt"}, {"es", "editor.lang.es"}, {"tr", "editor.lang.tr"}};

constexpr const char* kTypes[] = {"single_choice", "multiple_choice", "scale_1_5", "smiley", "yes_no", "short_text", "neighbourhood", "age_bracket"};

bool has_options(const std::string& type) { return type == "single_choice" || type == "multiple_choice"; }

// --- the form ⇄ the consultation's JSON ----------------------------------------------------

// {"fr": …, "en": …} from fields NAME.fr, NAME.en …; languages left empty are left out.
json texts_from(const Form& form, const std::string& name) {
  json t = json::object();
  for (const auto& l : kLanguages)
    if (const auto v = form.get(name + "." + l.code); !core::is_blank(v)) t[l.code] = v;
  return t;
}

std::optional<std::size_t> count_from(const Form& form, const std::string& name, std::size_t max) {
  try {
    const auto n = std::stoul(form.get(name));
    return std::min<std::size_t>(n, max);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// A number field as JSON: an integer when it is one, the text otherwise (so checking names it).
json number_or_text(const std::string& text) {
  if (text.empty() || text.size() > 9 || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) return text;
  return std::stoll(text);
}

// The consultation the form says, and what its buttons asked: `add_question`, `add_option` of
// question `option_for`. Rows ticked « retirer » are left out. `base` (hidden) keeps what the
// form does not show (ideas, online_url).
json consultation_from(const Form& form, const std::string& action) {
  json c = json::parse(form.get("base").empty() ? "{}" : form.get("base"), nullptr, false);
  if (!c.is_object()) c = json::object();
  c["id"] = form.get("id");
  c["title"] = texts_from(form, "title");
  if (auto s = texts_from(form, "summary"); !s.empty()) c["summary"] = s;
  else c.erase("summary");
  c["opens"] = form.get("opens");
  c["closes"] = form.get("closes");
  // Where and on which channels: the boxes ticked; none ticked, the whole town / every channel.
  for (const char* name : {"neighbourhoods", "channels"}) {
    if (const auto ticked = form.all(name); !ticked.empty()) c[name] = ticked;
    else c.erase(name);
  }
  json questions = json::array();
  const std::size_t rows = count_from(form, "questions", kMaxQuestions).value_or(0);
  for (std::size_t i = 0; i < rows; ++i) {
    const std::string q = "q" + std::to_string(i);
    if (form.has(q + ".remove")) continue;
    json question = {{"id", form.get(q + ".id")}, {"type", form.get(q + ".type")}, {"label", texts_from(form, q + ".label")}};
    if (auto h = texts_from(form, q + ".help"); !h.empty()) question["help"] = h;
    question["required"] = form.has(q + ".required");
    const std::string type = form.get(q + ".type");
    if (has_options(type)) {
      json options = json::array();
      const std::size_t n = count_from(form, q + ".options", kMaxOptions).value_or(0);
      for (std::size_t j = 0; j < n; ++j) {
        const std::string o = q + ".o" + std::to_string(j);
        if (form.has(o + ".remove")) continue;
        options.push_back({{"id", form.get(o + ".id")}, {"label", texts_from(form, o + ".label")}});
      }
      if (action == "add_option." + std::to_string(i) && options.size() < kMaxOptions)
        options.push_back({{"id", ""}, {"label", json::object()}});
      question["options"] = options;
    }
    if (type == "multiple_choice") {
      if (const auto v = form.get(q + ".min_choices"); !v.empty()) question["min_choices"] = number_or_text(v);
      if (const auto v = form.get(q + ".max_choices"); !v.empty()) question["max_choices"] = number_or_text(v);
    }
    if (type == "short_text")
      if (const auto v = form.get(q + ".max_length"); !v.empty()) question["max_length"] = number_or_text(v);
    if (const auto on = form.get(q + ".show_if"); !on.empty()) {
      json any_of = json::array();
      std::string values = form.get(q + ".show_values");
      for (std::size_t at = 0; at <= values.size();) {
        const auto comma = std::min(values.find(',', at), values.size());
        std::string v = values.substr(at, comma - at);
        v.erase(0, v.find_first_not_of(' '));
        v.erase(v.find_last_not_of(' ') + 1);
        if (!v.empty()) any_of.push_back(v);
        at = comma + 1;
      }
      question["show_if"] = {{"question", on}, {"any_of", any_of}};
    }
    questions.push_back(question);
  }
  if (action == "add_question" && questions.size() < kMaxQuestions)
    questions.push_back({{"id", ""}, {"type", "single_choice"}, {"label", json::object()}, {"required", true}, {"options", json::array()}});
  c["questions"] = questions;
  return c;
}

// One consultation as the catalog writes it (core's own JSON).
json consultation_json(const core::Catalog& catalog, const core::Consultation& consultation) {
  core::Catalog one;
  one.town = catalog.town;
  one.consultations.push_back(consultation);
  return json::parse(core::catalog_to_json(one))["consultations"][0];
}

std::string text_in(const json& texts, const char* lang) {
  if (texts.is_string()) return std::string(lang) == "fr" ? texts.get<std::string>() : "";
  if (!texts.is_object() || !texts.contains(lang) || !texts[lang].is_string()) return "";
  return texts[lang].get<std::string>();
}
std::string str(const json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}
std::string num(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return "";
  if (j[key].is_number_integer()) return std::to_string(j[key].get<std::int64_t>());
  return j[key].is_string() ? j[key].get<std::string>() : "";
}

// --- the page's values and preview ---------------------------------------------------------

// Inputs for one text in every language, and which languages it misses.
// An optional text (a summary, a help) left out in French is missing in no language.
json text_inputs(ConsolePage& p, const std::string& name, const std::string& dom, const json& texts,
                 std::map<std::string, int>& missing, bool required = true) {
  json out = json::array();
  const bool counts = required || !text_in(texts, "fr").empty();
  for (const auto& l : kLanguages) {
    const std::string v = text_in(texts, l.code);
    if (v.empty() && counts) ++missing[l.code];
    out.push_back({{"field", name + "." + l.code},
                   {"dom", dom + "-" + l.code},
                   {"lang", l.code},
                   {"dir", std::string(l.code) == "ar" ? "rtl" : "ltr"},
                   {"language", p.tr.get(l.key)},
                   {"value", v},
                   {"french", std::string(l.code) == "fr"}});
  }
  return out;
}

// A text in `lang`, French's when it has none (as the app and the public pages show it).
std::string shown_in(const json& texts, const std::string& lang) {
  const std::string own = text_in(texts, lang.c_str());
  return own.empty() ? text_in(texts, "fr") : own;
}

// The town's neighbourhoods a neighbourhood question of `c` offers: those ticked (never the
// town's outside), or, none ticked, all of them (core's parse_consultation does the same).
std::vector<core::Option> offered_quartiers(const json& c, const core::Town& town) {
  const json ticked = c.value("neighbourhoods", json::array());
  if (!ticked.is_array() || ticked.empty()) return town.neighbourhoods;
  std::vector<core::Option> out;
  for (const auto& o : town.neighbourhoods)
    if (std::find(ticked.begin(), ticked.end(), json(o.id)) != ticked.end()) out.push_back(o);
  return out;
}

// The words of the resident's controls (yes/no, scale, smileys) as the public pages say them.
std::vector<std::string> fixed_choices(const core::Translations& words, const std::string& type) {
  std::vector<std::string> out;
  if (type == "scale_1_5" || type == "smiley")
    for (int i = 1; i <= 5; ++i) out.push_back(words.get("public." + std::string(type == "smiley" ? "smiley." : "scale.") + std::to_string(i)));
  else if (type == "yes_no")
    out = {words.get("public.yes"), words.get("public.no")};
  return out;
}

// How the resident will see the question in `lang`: the kind of control and its choices.
// assets/web/static/editor.js draws the same pane again as the coordinator types.
json preview_of(const ConsoleTools& tools, ConsolePage& p, const json& q, const std::vector<core::Option>& quartiers,
                const core::Town& town, const std::string& lang) {
  const std::string type = str(q, "type");
  json v = {{"label", shown_in(q.value("label", json::object()), lang)}, {"help", shown_in(q.value("help", json::object()), lang)},
            {"lang", lang}, {"dir", lang == "ar" ? "rtl" : "ltr"}};
  if (!q.value("required", true)) v["optional"] = tools.translations(lang).get("public.optional");
  json choices = json::array();
  auto add = [&](const std::string& label) { choices.push_back({{"label", label}}); };
  if (has_options(type)) {
    for (const auto& o : q.value("options", json::array())) add(shown_in(o.value("label", json::object()), lang));
    v[type == "single_choice" ? "radio" : "checkbox"] = true;
    if (choices.empty()) v["no_choices"] = true;
  } else if (type == "scale_1_5" || type == "smiley" || type == "yes_no") {
    for (const auto& word : fixed_choices(tools.translations(lang), type)) add(word);
    v["radio"] = true;
  } else if (type == "neighbourhood" || type == "age_bracket") {
    for (const auto& o : type == "neighbourhood" ? quartiers : town.age_brackets) add(o.label.in(lang));
    v["radio"] = true;
  } else {
    v["text"] = true;
  }
  v["choices"] = choices;
  v["condition"] = "";
  if (q.contains("show_if"))
    v["condition"] = p.tr.format("editor.preview.condition", {{"question", str(q["show_if"], "question")}});
  return v;
}

// Boxes to tick: `known` (value, label) in their order, then any value `c[name]` holds that is
// not among them (an imported file's), ticked, so checking names it rather than dropping it.
json boxes(ConsolePage& p, const json& c, const char* name, const std::vector<std::pair<std::string, std::string>>& known) {
  const json ticked = c.value(name, json::array());
  auto is_ticked = [&](const std::string& value) {
    return ticked.is_array() && std::find(ticked.begin(), ticked.end(), json(value)) != ticked.end();
  };
  json out = json::array();
  for (const auto& [value, label] : known)
    out.push_back({{"value", value}, {"label", label}, {"checked", is_ticked(value)}});
  if (ticked.is_array())
    for (const auto& t : ticked)
      if (t.is_string() && std::none_of(known.begin(), known.end(), [&](const auto& k) { return k.first == t.get<std::string>(); }))
        out.push_back({{"value", t}, {"label", p.tr.format("editor.unknown_value", {{"value", t.get<std::string>()}})}, {"checked", true}});
  for (std::size_t i = 0; i < out.size(); ++i) out[i]["dom"] = std::string(name) + "-" + std::to_string(i);
  return out;
}

// The town's quartiers (not its outside) and the channels captures carry, with French labels.
std::vector<std::pair<std::string, std::string>> known_quartiers(const core::Town& town) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& o : town.neighbourhoods)
    if (!o.outside) out.emplace_back(o.id, o.label.in("fr"));
  return out;
}
std::vector<std::pair<std::string, std::string>> known_channels(ConsolePage& p) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto ch : core::kAllChannels) out.emplace_back(core::to_string(ch), p.tr.get(std::string("channel.") + core::to_string(ch)));
  return out;
}

// What editor.js needs to draw the preview as the coordinator types: the controls' words and
// the town's lists, in every language (JSON in a data attribute: the template escapes it).
std::string preview_data(const ConsoleTools& tools, const core::Town& town) {
  json words = json::object(), quartiers = json::array(), ages = json::array();
  for (const auto& l : kLanguages) {
    json w = json::object();
    for (const char* type : {"scale_1_5", "smiley", "yes_no"}) w[type] = fixed_choices(tools.translations(l.code), type);
    w["optional"] = tools.translations(l.code).get("public.optional");
    words[l.code] = w;
  }
  auto labels = [](const core::Option& o) {
    json out = json::object();
    for (const auto& l : kLanguages) out[l.code] = o.label.in(l.code);
    return out;
  };
  for (const auto& o : town.neighbourhoods) quartiers.push_back({{"id", o.id}, {"labels", labels(o)}});
  for (const auto& o : town.age_brackets) ages.push_back({{"id", o.id}, {"labels", labels(o)}});
  return json{{"words", words}, {"quartiers", quartiers}, {"ages", ages}}.dump();
}

json editor_values(const ConsoleTools& tools, ConsolePage& p, const core::Catalog& catalog, const json& c, bool is_new,
                   std::int32_t base_version, const std::string& preview_lang = "fr") {
  json v = tools.base(p, is_new ? "editor.new" : "editor.title", "/office/consultations");
  if (!is_new) v["title"] = p.tr.format("editor.title_of", {{"title", text_in(c.value("title", json::object()), "fr")}});
  std::map<std::string, int> missing;
  json base = c;
  for (const char* shown : {"questions", "neighbourhoods", "channels"}) base.erase(shown);
  const auto quartiers = offered_quartiers(c, catalog.town);
  json preview_langs = json::array();
  for (const auto& l : kLanguages)
    preview_langs.push_back({{"value", l.code}, {"label", p.tr.get(std::string(l.key) + (std::string(l.code) == "fr" ? ".short" : ""))},
                             {"sel", preview_lang == l.code}});
  json form = {{"id", str(c, "id")},
               {"is_new", is_new},
               {"base", base.dump()},
               {"base_version", std::to_string(base_version)},
               {"opens", str(c, "opens")},
               {"closes", str(c, "closes")},
               {"title", text_inputs(p, "title", "c-title", c.value("title", json::object()), missing)},
               {"summary", text_inputs(p, "summary", "c-summary", c.value("summary", json::object()), missing, false)},
               {"quartiers", boxes(p, c, "neighbourhoods", known_quartiers(catalog.town))},
               {"channels", boxes(p, c, "channels", known_channels(p))},
               {"preview_langs", preview_langs},
               {"preview_data", preview_data(tools, catalog.town)}};
  const json questions = c.value("questions", json::array());
  json rows = json::array();
  for (std::size_t i = 0; i < questions.size(); ++i) {
    const json& q = questions[i];
    const std::string n = std::to_string(i), at = "q" + n;
    const std::string type = str(q, "type");
    json types = json::array();
    for (const char* t : kTypes) types.push_back({{"value", t}, {"label", p.tr.get(std::string("editor.type.") + t)}, {"sel", type == t}});
    json earlier = json::array();
    earlier.push_back({{"value", ""}, {"label", p.tr.get("editor.show_always")}, {"sel", !q.contains("show_if")}});
    for (std::size_t k = 0; k < i; ++k) {
      const std::string id = str(questions[k], "id");
      if (!id.empty()) earlier.push_back({{"value", id}, {"label", id}, {"sel", q.contains("show_if") && str(q["show_if"], "question") == id}});
    }
    std::string values;
    if (q.contains("show_if"))
      for (const auto& a : q["show_if"].value("any_of", json::array()))
        if (a.is_string()) values += (values.empty() ? "" : ", ") + a.get<std::string>();
    json options = json::array();
    if (has_options(type)) {
      const json opts = q.value("options", json::array());
      for (std::size_t j = 0; j < opts.size(); ++j) {
        const std::string o = at + ".o" + std::to_string(j);
        options.push_back({{"f", o},
                           {"dom", "q" + n + "-o" + std::to_string(j)},
                           {"number", std::to_string(j + 1)},
                           {"id", str(opts[j], "id")},
                           {"labels", text_inputs(p, o + ".label", "q" + n + "-o" + std::to_string(j) + "-label", opts[j].value("label", json::object()), missing)}});
      }
    }
    rows.push_back({{"f", at},
                    {"n", n},
                    {"number", std::to_string(i + 1)},
                    {"id", str(q, "id")},
                    {"types", types},
                    {"required", q.value("required", true)},
                    {"labels", text_inputs(p, at + ".label", "q" + n + "-label", q.value("label", json::object()), missing)},
                    {"helps", text_inputs(p, at + ".help", "q" + n + "-help", q.value("help", json::object()), missing, false)},
                    {"has_options", has_options(type)},
                    {"options_class", has_options(type) ? "" : "d-none"},
                    {"multiple_class", type == "multiple_choice" ? "" : "d-none"},
                    {"length_class", type == "short_text" ? "" : "d-none"},
                    {"options", options},
                    {"option_count", std::to_string(options.size())},
                    {"add_option", "add_option." + n},
                    {"multiple", type == "multiple_choice"},
                    {"min_choices", num(q, "min_choices")},
                    {"max_choices", num(q, "max_choices")},
                    {"short_text", type == "short_text"},
                    {"max_length", num(q, "max_length")},
                    {"earlier", earlier},
                    {"show_values", values},
                    {"preview", preview_of(tools, p, q, quartiers, catalog.town, preview_lang)}});
    rows.back()["preview"]["n"] = n;
  }
  form["questions"] = rows;
  form["question_count"] = std::to_string(rows.size());
  // Which languages miss texts: French must have none.
  json langs = json::array();
  for (const auto& l : kLanguages) {
    const int n = missing[l.code];
    langs.push_back({{"language", p.tr.get(l.key)},
                     {"state", n == 0 ? p.tr.get("editor.lang_complete") : p.tr.format("editor.lang_missing", {{"n", std::to_string(n)}})},
                     {"complete", n == 0}});
  }
  form["languages"] = langs;
  v["form"] = form;
  return v;
}

// --- checking (French errors) --------------------------------------------------------------

// "$.consultations[0].questions[2].options[1].label" → « question 3, choix 2, libellé », so the
// coordinator finds the field; the reason follows, said in the console's language (catalog_reasons.hpp).
std::string french_where(ConsolePage& p, const std::string& where) {
  std::string out;
  std::size_t at = where.find(".consultations[");
  if (at == std::string::npos) return where;
  at = where.find(']', at);
  std::string rest = at == std::string::npos ? "" : where.substr(at + 1);
  auto take_index = [&](const std::string& name) -> std::optional<int> {
    const std::string head = "." + name + "[";
    if (rest.rfind(head, 0) != 0) return std::nullopt;
    const auto close = rest.find(']');
    const int n = std::stoi(rest.substr(head.size(), close - head.size()));
    rest = rest.substr(close + 1);
    return n;
  };
  auto add = [&](const std::string& s) { out += (out.empty() ? "" : ", ") + s; };
  if (const auto q = take_index("questions")) add(p.tr.format("editor.where.question", {{"n", std::to_string(*q + 1)}}));
  if (const auto o = take_index("options")) add(p.tr.format("editor.where.option", {{"n", std::to_string(*o + 1)}}));
  if (!rest.empty() && rest[0] == '.') rest.erase(0, 1);
  const std::string field = rest.substr(0, std::min(rest.find('.'), rest.find('[')));
  if (!field.empty()) {
    const std::string key = "editor.field." + field;
    const std::string label = p.tr.get(key);
    add(label == key ? field : label);
  }
  return out.empty() ? p.tr.get("editor.where.consultation") : out;
}

// Its quartiers among the town's and its channels among those captures carry, said in French
// before core checks the rest (an imported file may name others).
void check_places(ConsolePage& p, const core::Town& town, const json& c) {
  auto refuse = [&](const char* field, const std::string& why_key, const std::string& value) {
    throw std::runtime_error(p.tr.format("editor.error.check", {{"where", p.tr.get(std::string("editor.field.") + field)},
                                                                {"why", p.tr.format(why_key, {{"value", value}})}}));
  };
  for (const auto& n : c.value("neighbourhoods", json::array())) {
    const std::string id = n.is_string() ? n.get<std::string>() : n.dump();
    const auto* known = town.find_neighbourhood(id);
    if (!known || known->outside) refuse("neighbourhoods", "editor.error.unknown_quartier", id);
  }
  for (const auto& ch : c.value("channels", json::array())) {
    const std::string name = ch.is_string() ? ch.get<std::string>() : ch.dump();
    if (!core::channel_from(name)) refuse("channels", "editor.error.unknown_channel", name);
  }
}

// The catalog with `c` as the next version of its consultation (or its first), checked as devices
// will read it. Throws std::runtime_error with a French sentence.
core::Catalog with_new_version(ConsolePage& p, const core::Catalog& merged, json c, bool is_new, std::int32_t base_version) {
  check_places(p, merged.town, c);
  const std::string id = str(c, "id");
  const core::Consultation* latest = id.empty() ? nullptr : merged.latest(id);
  if (is_new && latest) throw std::runtime_error(p.tr.format("editor.error.id_taken", {{"id", id}}));
  if (!is_new && (!latest || latest->version != base_version))
    throw std::runtime_error(p.tr.get("editor.error.changed_meanwhile"));
  c["version"] = latest ? latest->version + 1 : 1;
  json doc = json::parse(core::catalog_to_json(merged));
  doc["consultations"].push_back(c);
  const std::size_t index = doc["consultations"].size() - 1;
  try {
    return core::parse_catalog(doc.dump());
  } catch (const core::CatalogError& e) {
    const std::string why = catalog_reason(p.tr, e);
    const std::string where = e.where();
    const std::string mine = "$.consultations[" + std::to_string(index) + "]";
    throw std::runtime_error(p.tr.format("editor.error.check", {{"where", where.rfind(mine, 0) == 0 ? french_where(p, where) : where}, {"why", why}}));
  }
}

// --- the pages -----------------------------------------------------------------------------

std::string query_of(ConsolePage& p, const std::string& name) {
  const auto it = p.request.query.find(name);
  return it == p.request.query.end() ? std::string() : it->second;
}

json consultations_values(const ConsoleTools& tools, ConsolePage& p, const core::Catalog& catalog) {
  json v = tools.base(p, "editor.list", "/office/consultations");
  json rows = json::array();
  for (const auto* c : catalog.current()) {
    int versions = 0;
    for (const auto& any : catalog.consultations) versions += any.id == c->id;
    // Where it runs and where it is offered, in words (« toute la commune », « tous »).
    std::string quartiers, channels;
    for (const auto& o : c->quartiers(catalog.town)) quartiers += (quartiers.empty() ? "" : ", ") + o.label.in("fr");
    for (const auto ch : c->channels) channels += (channels.empty() ? "" : ", ") + p.tr.get(std::string("channel.") + core::to_string(ch));
    rows.push_back({{"href", "/office/editor?id=" + query_escape(c->id)},
                    {"export", "/office/editor/export?id=" + query_escape(c->id)},
                    {"title", c->title.in("fr")},
                    {"version", std::to_string(c->version)},
                    {"versions", std::to_string(versions)},
                    {"questions", std::to_string(c->questions.size())},
                    {"quartiers", c->neighbourhoods.empty() ? p.tr.get("editor.whole_town") : quartiers},
                    {"channels", c->channels.empty() ? p.tr.get("editor.every_channel") : channels}});
  }
  if (!rows.empty()) v["consultations"] = {{"rows", rows}};
  return v;
}

HttpResponse consultations_page(const ConsoleTools& tools, ConsolePage& p) {
  return tools.render(p, "consultations", consultations_values(tools, p, published_catalog(p)));
}

HttpResponse editor_page(const ConsoleTools& tools, ConsolePage& p) {
  const auto catalog = published_catalog(p);
  const std::string id = query_of(p, "id");
  if (id.empty()) {
    json blank = {{"id", ""}, {"title", json::object()}, {"questions", json::array()}};
    return tools.render(p, "editor", editor_values(tools, p, catalog, blank, true, 0));
  }
  const core::Consultation* c = catalog.latest(id);
  if (!c) return tools.message(p, 404, "editor.title", "editor.error.unknown");
  json v = editor_values(tools, p, catalog, consultation_json(catalog, *c), false, c->version);
  if (query_of(p, "done") == "published") v["notice"] = p.tr.format("editor.published", {{"version", std::to_string(c->version)}});
  // Texts a kiosk would draw as empty boxes: said each time the consultation is opened.
  for (const auto& u : core::undrawable_texts(catalog, id))
    v["warnings"].push_back(p.tr.format("editor.undrawable", {{"language", u.language}, {"where", u.where}, {"characters", u.characters}}));
  return tools.render(p, "editor", v);
}

// --- publish (and the re-rendering buttons) ------------------------------------------------

HttpResponse editor_post(const ConsoleTools& tools, ConsolePage& p) {
  const Form form = parse_form(p.request, kEditorForm);
  const auto catalog = published_catalog(p);
  const std::string action = form.get("action");
  const bool is_new = form.get("is_new") == "1";
  const auto base_version = static_cast<std::int32_t>(count_from(form, "base_version", 1'000'000).value_or(0));
  const json c = consultation_from(form, action);
  std::string preview_lang = "fr";
  for (const auto& l : kLanguages)
    if (form.get("preview_lang") == l.code) preview_lang = l.code;
  auto again = [&](const std::string& error, const std::string& notice, int status) {
    json v = editor_values(tools, p, catalog, c, is_new, base_version, preview_lang);
    if (!error.empty()) v["error"] = error;
    if (!notice.empty()) v["notice"] = notice;
    return tools.render(p, "editor", v, status);
  };
  if (action != "publish" && action != "check") return again("", "", 200);
  core::Catalog next;
  try {
    next = with_new_version(p, catalog, c, is_new, base_version);
  } catch (const std::runtime_error& e) {
    return again(e.what(), "", 400);
  }
  if (action == "check") return again("", p.tr.get("editor.checked"), 200);
  const std::string id = str(c, "id");
  const core::Consultation* published = next.latest(id);
  auto tx = p.store.transaction();
  try {
    server::publish_catalog(p.store, core::catalog_to_json(next), p.now);
  } catch (const core::CatalogError& e) {
    return again(p.tr.format("editor.error.check", {{"where", e.where()}, {"why", catalog_reason(p.tr, e)}}), "", 400);
  }
  server::audit(p.store, tools.actor(p), "consultation.publish", id,
                "version=" + std::to_string(published->version) + " questions=" + std::to_string(published->questions.size()), p.now);
  tx.commit();
  HttpResponse r;
  r.status = 303;
  r.headers["Location"] = "/office/editor?id=" + query_escape(id) + "&done=published";
  return r;
}

// --- export, import ------------------------------------------------------------------------

// A catalog document with the town and every version of the consultation: what another server
// or `allervers-device init --catalog` reads.
HttpResponse editor_export(const ConsoleTools& tools, ConsolePage& p) {
  const auto catalog = published_catalog(p);
  const std::string id = query_of(p, "id");
  if (!catalog.latest(id)) return tools.message(p, 404, "editor.title", "editor.error.unknown");
  core::Catalog out;
  out.town = catalog.town;
  for (const auto& c : catalog.consultations)
    if (c.id == id) out.consultations.push_back(c);
  {
    auto tx = p.store.transaction();
    server::audit(p.store, tools.actor(p), "consultation.export", id, "versions=" + std::to_string(out.consultations.size()), p.now);
    tx.commit();
  }
  HttpResponse r;
  r.content_type = "application/json; charset=utf-8";
  r.headers["Content-Disposition"] = "attachment; filename=\"consultation-" + id + ".json\"";
  r.headers["Cache-Control"] = "no-store";
  r.headers["X-Content-Type-Options"] = "nosniff";
  r.body = json::parse(core::catalog_to_json(out)).dump(2, ' ', false, json::error_handler_t::replace);
  return r;
}

// A catalog JSON file's last consultation (its newest version) loaded into the editor, to check and publish (the
// file's town is not taken: the server's stays). Nothing is stored here.
HttpResponse editor_import(const ConsoleTools& tools, ConsolePage& p) {
  const auto catalog = published_catalog(p);
  auto refuse = [&](const std::string& error) {
    json v = consultations_values(tools, p, catalog);
    v["error"] = error;
    return tools.render(p, "consultations", v, 400);
  };
  Form form;
  try {
    form = parse_form(p.request, kImportForm);
  } catch (const FormError&) {
    return refuse(p.tr.get("editor.error.file"));
  }
  const UploadedFile* file = nullptr;
  for (const auto& f : form.files())
    if (f.field == "file" && !f.data.empty()) file = &f;
  if (!file) return refuse(p.tr.get("editor.error.no_file"));
  core::Catalog imported;
  try {
    imported = core::parse_catalog(file->data);
  } catch (const core::CatalogError& e) {
    return refuse(p.tr.format("editor.error.import", {{"where", e.where()}, {"why", catalog_reason(p.tr, e)}}));
  }
  const auto current = imported.current();
  if (current.empty()) return refuse(p.tr.get("editor.error.import_empty"));
  const core::Consultation& c = *current.back();  // the file's last consultation
  const core::Consultation* held = catalog.latest(c.id);
  json values = consultation_json(catalog, c);
  json v = editor_values(tools, p, catalog, values, held == nullptr, held ? held->version : 0);
  v["notice"] = p.tr.format("editor.imported", {{"title", c.title.in("fr")}});
  return tools.render(p, "editor", v);
}

}  // namespace

// --- routes --------------------------------------------------------------------------------

const std::vector<AreaRoute>& editor_routes() {
  using server::Permission;
  static const std::vector<AreaRoute> kRoutes = {
      {"GET", "/office/consultations", Permission::manage_consultations, false, &consultations_page},
      {"GET", "/office/editor", Permission::manage_consultations, false, &editor_page},
      {"POST", "/office/editor", Permission::manage_consultations, true, &editor_post},
      {"GET", "/office/editor/export", Permission::manage_consultations, false, &editor_export},
      {"POST", "/office/editor/import", Permission::manage_consultations, true, &editor_import},
  };
  return kRoutes;
}

}  // namespace allervers::web
