// The residents' public pages (public_site.hpp).
//
// Sections: set-up · languages and pages · the catalog and the key · routes · the list and a
// consultation · answering (state, one question per page, storing) · ideas (form, photo,
// storing) · storing a web capture · assembly links · open data · mounting.
#include "allervers/web/public_site.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <vector>

#include <nlohmann/json.hpp>

#include "allervers/core/capture_json.hpp"
#include "allervers/core/consultation.hpp"
#include "allervers/core/contact.hpp"
#include "allervers/core/receipt.hpp"
#include "allervers/core/text.hpp"
#include "allervers/core/translations.hpp"
#include "allervers/core/uuid.hpp"
#include "allervers/core/validation.hpp"
#include "allervers/server/api.hpp"
#include "allervers/server/office/exports.hpp"
#include "allervers/server/capture_filter.hpp"
#include "allervers/server/pass_keys.hpp"
#include "allervers/crypto/sealed_box.hpp"
#include "allervers/web/forms.hpp"
#include "allervers/web/html_template.hpp"
#include "allervers/web/http_basics.hpp"
#include "allervers/web/photo.hpp"
#include "allervers/web/public_tokens.hpp"
#include "public_page.hpp"

namespace allervers::web {

using nlohmann::json;
using server::HttpRequest;
using server::HttpResponse;

namespace {

// --- set-up ------------------------------------------------------------------------------

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("the public pages cannot read " + path.string());
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The page chrome's languages: French first (the reference), then by the town's residents.
constexpr const char* kLanguages[] = {"fr", "en", "ar"};
constexpr const char* kLanguageNames[] = {"Français", "English", "العربية"};
bool is_rtl(const std::string& language) { return language == "ar"; }

constexpr const char* kLanguageCookie = "av_lang";
constexpr const char* kAssemblyCookie = "av_assembly";
std::string answered_cookie(const std::string& consultation) { return "av_done_" + consultation; }

const FormLimits kAnswerForm{.max_fields = 40, .max_name_bytes = 40, .max_value_bytes = 48 * 1024, .max_files = 0, .max_file_bytes = 0};
const FormLimits kIdeaForm{.max_fields = 20, .max_name_bytes = 40, .max_value_bytes = 16 * 1024, .max_files = 1,
                           .max_file_bytes = PhotoLimits{}.max_bytes};

bool is_colour(const std::string& s) {
  if (s.size() != 7 || s[0] != '#') return false;
  return std::all_of(s.begin() + 1, s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

// WCAG's contrast of white text on `colour` (#rrggbb): RGAA asks 4.5:1 for text.
double contrast_with_white(const std::string& colour) {
  auto channel = [&](int at) {
    const double c = std::stoi(colour.substr(static_cast<std::size_t>(at), 2), nullptr, 16) / 255.0;
    return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
  };
  const double l = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return 1.05 / (l + 0.05);
}

// "/c/place-jean-jaures/idee" → {"c", "place-jean-jaures", "idee"}
std::vector<std::string> segments(const std::string& path) {
  std::vector<std::string> out;
  std::size_t pos = 1;
  while (pos <= path.size()) {
    auto end = path.find('/', pos);
    if (end == std::string::npos) end = path.size();
    if (end > pos) out.push_back(path.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

bool is_slug(const std::string& s) {
  return !s.empty() && s.size() <= 80 &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

json answer_to_json(const core::AnswerValue& v) {
  return std::visit([](const auto& x) -> json { return json(x); }, v);
}

std::optional<core::AnswerValue> answer_from_json(const json& j) {
  if (j.is_string()) return core::AnswerValue(j.get<std::string>());
  if (j.is_boolean()) return core::AnswerValue(j.get<bool>());
  if (j.is_number_integer()) return core::AnswerValue(j.get<std::int64_t>());
  if (j.is_array()) {
    std::vector<std::string> ids;
    for (const auto& e : j)
      if (e.is_string()) ids.push_back(e.get<std::string>());
    return core::AnswerValue(std::move(ids));
  }
  return std::nullopt;
}

}  // namespace

struct PublicSite::Impl {
  server::StorePool& stores;
  const core::Clock& clock;
  PublicSiteOptions options;
  Templates templates;
  std::map<std::string, core::Translations> languages;

  std::mutex mutex;  // guards the caches below and the id generator
  core::UuidGenerator ids;  // form tokens' ids, which become their captures' ids
  std::int64_t next_seq = 0, seq_end = 0;  // the block of web sequence numbers this process holds
  std::shared_ptr<const server::PublishedCatalog> catalog_cache;
  std::optional<TokenSigner> signer_cache;

  Impl(server::StorePool& s, const core::Clock& c, PublicSiteOptions o)
      : stores(s), clock(c), options(std::move(o)), templates(Templates::load(options.assets_web / "templates")) {
    if (!is_colour(options.town_colour)) throw std::invalid_argument("the town's colour must be written #rrggbb, not " + options.town_colour);
    if (contrast_with_white(options.town_colour) < 4.5)
      throw std::invalid_argument("the town's colour " + options.town_colour +
                                  " is too light: white text on it must have a contrast of 4.5:1 at least (RGAA)");
    auto fr = core::parse_translations(read_file(options.assets_web / "i18n/fr.json"), "assets/web/i18n/fr.json");
    for (const char* language : kLanguages) {
      const auto file = options.assets_web / "i18n" / (std::string(language) + ".json");
      auto own = core::parse_translations(read_file(file), file.string());
      languages.emplace(language, core::Translations(language, std::move(own), fr));
    }
  }

  // --- languages and pages ---------------------------------------------------------------

  // One request being answered.
  struct Page {
    const HttpRequest& request;
    server::ServerStore& store;
    const core::Translations& tr;
    core::Instant now;
    std::map<std::string, std::string> cookies;
    std::vector<std::string> set_cookies;  // Set-Cookie values to send
  };

  CookieOptions cookie_options(std::optional<long long> max_age_s) const {
    CookieOptions o;
    o.secure = options.secure_cookies;
    o.max_age_s = max_age_s;
    return o;
  }

  // ?lang= (then kept in a cookie), else the cookie, else the browser's first known language.
  const core::Translations& language_for(const HttpRequest& request, const std::map<std::string, std::string>& cookies,
                                         std::vector<std::string>& set_cookies) const {
    if (auto it = request.query.find("lang"); it != request.query.end())
      if (auto found = languages.find(it->second); found != languages.end()) {
        set_cookies.push_back(set_cookie(kLanguageCookie, found->first, cookie_options(365LL * 24 * 3600)));
        return found->second;
      }
    if (auto it = cookies.find(kLanguageCookie); it != cookies.end())
      if (auto found = languages.find(it->second); found != languages.end()) return found->second;
    const std::string header = request.header("accept-language");
    std::size_t pos = 0;
    while (pos < header.size()) {
      auto end = header.find(',', pos);
      if (end == std::string::npos) end = header.size();
      std::string tag = header.substr(pos, end - pos);
      const auto start = tag.find_first_not_of(' ');
      tag = start == std::string::npos ? "" : tag.substr(start, 2);
      for (auto& c : tag) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (auto found = languages.find(tag); found != languages.end()) return found->second;
      pos = end + 1;
    }
    return languages.at("fr");
  }

  json base(Page& p, const std::string& title) const {
    const std::string& lang = p.tr.language();
    json v = {{"lang", lang}, {"dir", is_rtl(lang) ? "rtl" : "ltr"}, {"title", title}};
    const auto published = catalog(p.store);
    v["town"] = published->catalog.town.name;
    json choices = json::array();
    for (std::size_t i = 0; i < std::size(kLanguages); ++i)
      if (kLanguages[i] != lang)
        choices.push_back({{"code", kLanguages[i]},
                           {"name", kLanguageNames[i]},
                           {"href", (p.request.method == "GET" ? p.request.path : std::string("/")) + "?lang=" + kLanguages[i]}});
    v["languages"] = choices;
    return v;
  }

  HttpResponse render(Page& p, const std::string& name, const json& values, int status = 200, Caching caching = Caching::no_store) const {
    const auto& tr = p.tr;
    HttpResponse r = html_response(status, templates.render("public/" + name, values, [&tr](std::string_view key) { return std::string(tr.find(key)); }),
                                   caching);
    // One Set-Cookie per header line is what browsers read; the engine sends a map, so the
    // public pages set at most one cookie per answer (the most recent wins).
    if (!p.set_cookies.empty()) r.headers["Set-Cookie"] = p.set_cookies.back();
    return r;
  }

  HttpResponse message(Page& p, int status, const std::string& title_key, const std::string& text, const std::string& back_href = "/") const {
    json v = base(p, p.tr.get(title_key));
    v["message"] = text;
    v["back"] = back_href;
    return render(p, "message", v, status);
  }

  // --- the catalog and the key -----------------------------------------------------------

  // The catalog as published, read again only when a newer one was published.
  std::shared_ptr<const server::PublishedCatalog> catalog(server::ServerStore& store) const {
    const std::int64_t latest = store.latest_catalog_id();
    auto& self = const_cast<Impl&>(*this);
    {
      std::lock_guard lock(self.mutex);
      if (self.catalog_cache && self.catalog_cache->id == latest) return self.catalog_cache;
    }
    auto merged = std::make_shared<const server::PublishedCatalog>(server::merge_catalogs(store.catalogs()));
    std::lock_guard lock(self.mutex);
    self.catalog_cache = merged;
    return merged;
  }

  const TokenSigner& signer(server::ServerStore& store, core::Instant now) {
    {
      std::lock_guard lock(mutex);
      if (signer_cache) return *signer_cache;
    }
    const std::string text = store.server_secret("public_form_key", [] { return TokenSigner::make_key_text(); }, now.utc_ms);
    auto made = TokenSigner::from_key_text(text);
    if (!made) throw std::runtime_error("server_secrets public_form_key is not a key: remove the row to make another");
    std::lock_guard lock(mutex);
    if (!signer_cache) signer_cache = *made;
    return *signer_cache;
  }

  // The client's address as kept: a keyed hash (the limits need equality, not the address).
  std::string address_hash(Page& p) {
    // The engine has already read X-Forwarded-For from the proxies named by `serve
    // --trusted-proxy` (docs/decisions.md): one rule for the limits, the logs and the console.
    return signer(p.store, p.now).digest(token_purposes::address, p.request.client_address).substr(0, 32);
  }

  // Open consultations: published, and today within opens…closes when they say.
  std::vector<const core::Consultation*> open_consultations(const core::Catalog& catalog, core::Instant now) const {
    const std::string today = server::day_text(server::town_day(now.utc_ms, now.offset_minutes));
    std::vector<const core::Consultation*> out;
    for (const auto* c : catalog.current()) {
      if (!c->opens.empty() && today < c->opens) continue;
      if (!c->closes.empty() && today > c->closes) continue;
      out.push_back(c);
    }
    return out;
  }

  const core::Consultation* open_consultation(Page& p, const core::Catalog& catalog, const std::string& id) const {
    for (const auto* c : open_consultations(catalog, p.now))
      if (c->id == id) return c;
    return nullptr;
  }

  // Its forms are here only when the consultation is offered on the web channel (its
  // `channels`, docs/consultation-format.md); elsewhere its page says so.
  static bool on_web(const core::Consultation& c) { return c.offered_on(core::Channel::web); }

  HttpResponse not_online(Page& p, const std::string& id) {
    return message(p, 404, "public.not_online.title", p.tr.get("public.not_online"), "/c/" + id);
  }

  // The assembly the visitor came from (its QR code's signed token, kept in a cookie), "" when none.
  std::string current_assembly(Page& p) {
    auto it = p.cookies.find(kAssemblyCookie);
    if (it == p.cookies.end()) return {};
    const auto payload = signer(p.store, p.now).open(token_purposes::assembly, it->second);
    if (!payload || !(*payload)["assembly"].is_string() || !(*payload)["exp"].is_number_integer()) return {};
    if ((*payload)["exp"].get<std::int64_t>() < p.now.utc_ms) return {};
    return (*payload)["assembly"].get<std::string>();
  }

  // --- routes ----------------------------------------------------------------------------

  HttpResponse handle(const HttpRequest& request) {
    server::StorePool::Lease lease(stores);
    try {
      std::vector<std::string> set;
      const auto cookies = parse_cookies(request.header("cookie"));
      const auto& tr = language_for(request, cookies, set);
      Page p{request, *lease, tr, clock.now(), cookies, std::move(set)};
      return route(p);
    } catch (...) {
      lease.failed();
      throw;
    }
  }

  HttpResponse route(Page& p) {
    const auto& r = p.request;
    const bool get = r.method == "GET" || r.method == "HEAD";
    const bool post = r.method == "POST";
    const auto s = segments(r.path);
    if (s.empty() && get) return home(p);
    if (s.size() == 1 && s[0] == "town.css" && get) return town_css();
    if (s.size() >= 2 && s[0] == "c" && is_slug(s[1])) {
      if (s.size() == 2 && get) return consultation_page(p, s[1]);
      if (s.size() == 3 && s[2] == "repondre" && post) return answer_step(p, s[1]);
      if (s.size() == 3 && s[2] == "merci" && get) return thanks(p, s[1], "thanks.opinion");
      if (s.size() == 3 && s[2] == "idee" && get) return idea_page(p, s[1]);
      if (s.size() == 3 && s[2] == "idee" && post) return idea_submit(p, s[1]);
      if (s.size() == 4 && s[2] == "idee" && s[3] == "merci" && get) return thanks(p, s[1], "thanks.idea");
    }
    if (s.size() == 2 && s[0] == "a" && get) return assembly_landing(p, s[1]);
    if (s.size() == 2 && s[0] == "donnees" && get) {
      if (s[1] == "participation.csv") return open_data_csv(p);
      if (s[1] == "participation.json") return open_data_json(p);
    }
    if (auto answered = route_public_ideas_of(p, s)) return *answered;
    return message(p, 404, "public.not_found.title", p.tr.get("public.not_found"));
  }

  // The pages of public_ideas.cpp, with this site's chrome (public_page.hpp).
  std::optional<HttpResponse> route_public_ideas_of(Page& p, const std::vector<std::string>& s) {
    const auto published = catalog(p.store);
    PublicPageTools tools{p.request, p.store, p.tr, p.now, published->catalog,
                          [this, &p](const std::string& title) { return base(p, title); },
                          [this, &p](const std::string& name, const json& values, int status) { return render(p, name, values, status); },
                          [this, &p](int status, const std::string& title_key, const std::string& text) { return message(p, status, title_key, text); },
                          [this, &p]() -> const TokenSigner& { return signer(p.store, p.now); }};
    return route_public_ideas(tools, s);
  }

  HttpResponse town_css() const {
    HttpResponse r;
    r.content_type = "text/css; charset=utf-8";
    // The colour was checked (#rrggbb) when the site started: nothing else reaches this text.
    r.body = ":root { --town-colour: " + options.town_colour + "; }\n";
    add_security_headers(r, Caching::revalidate);
    return r;
  }

  // --- the list and a consultation ---------------------------------------------------------

  json consultation_values(Page& p, const core::Consultation& c) const {
    const std::string& lang = p.tr.language();
    json v = {{"id", c.id},
              {"title", c.title.in(lang)},
              {"summary", c.summary.in(lang)},
              {"href", "/c/" + c.id},
              {"has_survey", c.has_survey() && on_web(c)},
              {"has_ideas", c.ideas.enabled && on_web(c)},
              {"idea_href", "/c/" + c.id + "/idee"}};
    if (!on_web(c)) v["not_online"] = p.tr.get("public.not_online");
    if (!c.closes.empty()) v["closes"] = p.tr.format("public.closes", {{"date", core::long_day(p.tr, c.closes)}});
    return v;
  }

  HttpResponse home(Page& p) {
    const auto published = catalog(p.store);
    json v = base(p, p.tr.format("public.home.title", {{"town", published->catalog.town.name}}));
    json list = json::array();
    for (const auto* c : open_consultations(published->catalog, p.now)) list.push_back(consultation_values(p, *c));
    if (!list.empty()) v["consultations"] = list;
    if (const auto assembly = current_assembly(p); !assembly.empty())
      if (const auto* a = published->catalog.find_assembly(assembly)) v["assembly"] = p.tr.format("public.at_assembly", {{"name", a->name.in(p.tr.language())}});
    return render(p, "home", v);
  }

  HttpResponse consultation_page(Page& p, const std::string& id) {
    const auto published = catalog(p.store);
    const auto* c = open_consultation(p, published->catalog, id);
    if (!c) return message(p, 404, "public.not_found.title", p.tr.get("public.consultation_closed"));
    json v = base(p, c->title.in(p.tr.language()));
    v["consultation"] = consultation_values(p, *c);
    if (c->has_survey() && on_web(*c)) {
      v["start"] = {{"action", "/c/" + c->id + "/repondre"}, {"state", sign_state(p, new_state(p, *c))},
                    {"count", p.tr.format("public.question_count", {{"n", std::to_string(c->questions.size())}})}};
      if (p.cookies.count(answered_cookie(c->id))) v["already"] = p.tr.get("public.already_answered");
    }
    return render(p, "consultation", v);
  }

  HttpResponse thanks(Page& p, const std::string& id, const std::string& key) {
    const auto published = catalog(p.store);
    const auto* c = published->catalog.latest(id);
    if (!c) return message(p, 404, "public.not_found.title", p.tr.get("public.not_found"));
    json v = base(p, p.tr.get("public." + key + ".title"));
    v["message"] = p.tr.get("public." + key);
    v["consultation"] = consultation_values(p, *c);
    // An idea's receipt code (when it is one stored here), to follow it on /suivi.
    if (auto it = p.request.query.find("code"); key == "thanks.idea" && it != p.request.query.end())
      if (const auto code = known_idea_receipt(p.store, it->second)) v["receipt"] = {{"code", *code}, {"href", "/suivi?code=" + *code}};
    return render(p, "thanks", v);
  }

  // --- answering: state ------------------------------------------------------------------

  // What a survey form carries from page to page, signed: the capture id it will store under
  // (the token's id: a replay stores nothing new), when it began, its assembly, the answers so
  // far and the question on the page.
  json new_state(Page& p, const core::Consultation& c) {
    std::string id;
    {
      std::lock_guard lock(mutex);
      id = ids.next(p.now.utc_ms).str();
    }
    return {{"c", c.id}, {"v", c.version}, {"id", id}, {"iat", p.now.utc_ms},
            {"as", current_assembly(p)}, {"a", json::object()}, {"q", -1}};
  }

  std::string sign_state(Page& p, const json& state) { return signer(p.store, p.now).sign(token_purposes::form, state); }

  enum class StateProblem { none, invalid, expired, used };

  StateProblem open_state(Page& p, const std::string& token, const std::string& consultation, json& state) {
    auto payload = signer(p.store, p.now).open(token_purposes::form, token);
    if (!payload || (*payload)["c"] != consultation || !(*payload)["id"].is_string() || !(*payload)["iat"].is_number_integer() ||
        !(*payload)["v"].is_number_integer() || !(*payload)["a"].is_object() || !(*payload)["as"].is_string())
      return StateProblem::invalid;
    if ((*payload)["iat"].get<std::int64_t>() + public_limits::form_lifetime_ms < p.now.utc_ms) return StateProblem::expired;
    if (p.store.form_token_used((*payload)["id"].get<std::string>())) return StateProblem::used;
    state = std::move(*payload);
    return StateProblem::none;
  }

  HttpResponse state_refused(Page& p, StateProblem problem, const std::string& consultation) {
    const char* key = problem == StateProblem::expired ? "public.form_expired" : problem == StateProblem::used ? "public.form_used" : "public.form_invalid";
    return message(p, problem == StateProblem::used ? 409 : 400, "public.form_refused.title", p.tr.get(key), "/c/" + consultation);
  }

  static std::map<std::string, core::AnswerValue> answers_of(const json& state) {
    std::map<std::string, core::AnswerValue> out;
    for (auto it = state["a"].begin(); it != state["a"].end(); ++it)
      if (auto v = answer_from_json(it.value())) out.emplace(it.key(), std::move(*v));
    return out;
  }

  // --- answering: one question per page --------------------------------------------------

  std::string option_label(Page& p, const core::Option& o) const { return o.label.in(p.tr.language()); }

  json question_values(Page& p, const core::Consultation& c, std::size_t index, const std::map<std::string, core::AnswerValue>& answers,
                       const json& state, const std::string& error) {
    const core::Question& q = c.questions[index];
    const auto& town = catalog(p.store)->catalog.town;
    json v = base(p, c.title.in(p.tr.language()));
    v["consultation"] = consultation_values(p, c);
    v["action"] = "/c/" + c.id + "/repondre";
    v["state"] = sign_state(p, state);
    v["progress"] = {{"n", index + 1}, {"total", c.questions.size()},
                     {"text", p.tr.format("public.progress", {{"n", std::to_string(index + 1)}, {"total", std::to_string(c.questions.size())}})}};
    json qv = {{"id", q.id}, {"label", q.label.in(p.tr.language())}, {"help", q.help.in(p.tr.language())}, {"required", q.required}};
    if (!q.required) qv["optional"] = p.tr.get("public.optional");
    const auto given = answers.find(q.id);
    json choices = json::array();
    auto add_option = [&](const std::string& value, const std::string& label, bool checked) {
      choices.push_back({{"value", value}, {"label", label}, {"checked", checked}, {"dom_id", "q-" + q.id + "-" + std::to_string(choices.size())}});
    };
    const std::string current = given != answers.end() ? core::answer_text(given->second) : "";
    switch (q.type) {
      case core::QuestionType::single_choice:
        for (const auto& o : q.options) add_option(o.id, option_label(p, o), current == o.id);
        qv["radio"] = true;
        break;
      case core::QuestionType::neighbourhood:  // the neighbourhoods the consultation runs in
        for (const auto& o : q.options) add_option(o.id, option_label(p, o), current == o.id);
        qv["radio"] = true;
        break;
      case core::QuestionType::age_bracket:
        for (const auto& o : town.age_brackets) add_option(o.id, option_label(p, o), current == o.id);
        qv["radio"] = true;
        break;
      case core::QuestionType::multiple_choice: {
        std::vector<std::string> chosen;
        if (given != answers.end())
          if (const auto* picked = std::get_if<std::vector<std::string>>(&given->second)) chosen = *picked;
        for (const auto& o : q.options) add_option(o.id, option_label(p, o), std::find(chosen.begin(), chosen.end(), o.id) != chosen.end());
        qv["checkbox"] = true;
        break;
      }
      case core::QuestionType::scale_1_5:
        for (int n = 1; n <= 5; ++n) add_option(std::to_string(n), p.tr.get("public.scale." + std::to_string(n)), current == std::to_string(n));
        qv["radio"] = true;
        break;
      case core::QuestionType::smiley:
        for (int n = 1; n <= 5; ++n) add_option(std::to_string(n), p.tr.get("public.smiley." + std::to_string(n)), current == std::to_string(n));
        qv["radio"] = true;
        break;
      case core::QuestionType::yes_no:
        add_option("true", p.tr.get("public.yes"), current == "true");
        add_option("false", p.tr.get("public.no"), current == "false");
        qv["radio"] = true;
        break;
      case core::QuestionType::short_text:
        qv["text"] = {{"value", current}, {"maxlength", q.max_length ? q.max_length : 500}};
        break;
    }
    qv["options"] = choices;
    v["question"] = qv;
    if (!error.empty()) v["error"] = error;
    v["can_go_back"] = true;
    return v;
  }

  // The answer the page's form gives for `q`; nothing when left empty.
  static std::optional<core::AnswerValue> read_answer(const core::Question& q, const Form& form) {
    const std::string name = "answer";
    switch (q.type) {
      case core::QuestionType::multiple_choice: {
        auto ids = form.all(name);
        if (ids.empty()) return std::nullopt;
        return core::AnswerValue(std::move(ids));
      }
      case core::QuestionType::scale_1_5:
      case core::QuestionType::smiley: {
        const std::string t = form.get(name);
        if (t.size() != 1 || t[0] < '0' || t[0] > '9') return t.empty() ? std::nullopt : std::optional<core::AnswerValue>(core::AnswerValue(std::int64_t{-1}));
        return core::AnswerValue(std::int64_t{t[0] - '0'});
      }
      case core::QuestionType::yes_no: {
        const std::string t = form.get(name);
        if (t == "true") return core::AnswerValue(true);
        if (t == "false") return core::AnswerValue(false);
        return std::nullopt;
      }
      default: {
        std::string t = form.get(name);
        if (core::is_blank(t)) return std::nullopt;
        return core::AnswerValue(std::move(t));
      }
    }
  }

  core::Capture opinion_capture(Page& p, const core::Consultation& c, const json& state, std::map<std::string, core::AnswerValue> answers) const {
    core::Capture capture;
    capture.id = core::Uuid::parse(state["id"].get<std::string>()).value_or(core::Uuid{});
    capture.device = *core::Uuid::parse(kWebDevice);
    capture.consultation = c.id;
    capture.version = c.version;
    capture.channel = core::Channel::web;
    capture.language = p.tr.language();
    capture.captured_at = p.now;
    capture.body = core::Opinion{std::move(answers)};
    return capture;
  }

  std::string error_text(Page& p, const core::ValidationError& e) const {
    const std::string key = "public.error." + e.code;
    return p.tr.has(key) || !p.tr.find(key).empty() ? p.tr.get(key) : p.tr.get("public.error.invalid");
  }

  // The errors core finds in the answer to question `q` (the same rules as the devices'): the
  // answers so far are validated and only what names this question is kept.
  std::string check_answer(Page& p, const core::Consultation& c, const json& state, const std::map<std::string, core::AnswerValue>& answers,
                           const core::Question& q) const {
    const auto catalog_now = catalog(p.store);
    auto result = core::validate(opinion_capture(p, c, state, answers), catalog_now->catalog, p.now);
    for (const auto& e : result.errors())
      if (e.field == "answers." + q.id) return error_text(p, e);
    return {};
  }

  HttpResponse answer_step(Page& p, const std::string& id) {
    if (!same_origin(p.request)) return message(p, 403, "public.form_refused.title", p.tr.get("public.form_invalid"));
    Form form;
    try {
      form = parse_form(p.request, kAnswerForm);
    } catch (const FormError&) {
      return message(p, 400, "public.form_refused.title", p.tr.get("public.form_invalid"), "/c/" + id);
    }
    const auto published = catalog(p.store);
    json state;
    if (auto problem = open_state(p, form.get("state"), id, state); problem != StateProblem::none) return state_refused(p, problem, id);
    const auto* c = published->catalog.find(id, state["v"].get<std::int32_t>());
    if (!c || !c->has_survey() || !open_consultation(p, published->catalog, id))
      return message(p, 404, "public.not_found.title", p.tr.get("public.consultation_closed"));
    if (!on_web(*published->catalog.latest(id))) return not_online(p, id);  // as offered now, not when the form was made
    auto answers = answers_of(state);
    const std::string action = form.get("action");
    const int at = state["q"].is_number_integer() ? state["q"].get<int>() : -1;
    const int count = static_cast<int>(c->questions.size());

    auto next_shown = [&](int from) {
      for (int i = from + 1; i < count; ++i)
        if (core::is_shown(c->questions[static_cast<std::size_t>(i)], answers)) return i;
      return count;
    };
    auto previous_shown = [&](int from) {
      for (int i = from - 1; i >= 0; --i)
        if (core::is_shown(c->questions[static_cast<std::size_t>(i)], answers)) return i;
      return -1;
    };
    auto show = [&](int index, const std::string& error, int status) {
      state["q"] = index;
      return render(p, "question", question_values(p, *c, static_cast<std::size_t>(index), answers, state, error), status);
    };

    if (action == "start" || at < 0 || at >= count) return show(next_shown(-1), "", 200);
    if (action == "back") {
      const int before = previous_shown(at);
      if (before < 0) return redirect("/c/" + id);
      return show(before, "", 200);
    }
    // "next": this page's answer, checked by core's rules.
    const auto& q = c->questions[static_cast<std::size_t>(at)];
    if (auto value = read_answer(q, form)) {
      answers[q.id] = *value;
    } else {
      answers.erase(q.id);
      if (q.required) return show(at, p.tr.get("public.error.required"), 400);
    }
    if (auto error = check_answer(p, *c, state, answers, q); !error.empty()) return show(at, error, 400);
    json stored = json::object();
    for (const auto& [qid, value] : answers) stored[qid] = answer_to_json(value);
    state["a"] = stored;
    const int next = next_shown(at);
    if (next < count) return show(next, "", 200);

    // The last question: the answers of questions no longer shown are dropped, then stored.
    std::map<std::string, core::AnswerValue> kept;
    for (const auto& question : c->questions)
      if (auto it = answers.find(question.id); it != answers.end() && core::is_shown(question, answers)) kept.emplace(it->first, it->second);
    auto capture = opinion_capture(p, *c, state, std::move(kept));
    auto validation = core::validate(capture, published->catalog, p.now);
    if (!validation.ok()) {
      // A rule only the whole survey can judge: back to the question it names, or the first.
      int index = 0;
      for (int i = 0; i < count; ++i)
        if (validation.errors().front().field == "answers." + c->questions[static_cast<std::size_t>(i)].id) index = i;
      return show(index, error_text(p, validation.errors().front()), 400);
    }
    std::optional<HttpResponse> refused;
    if (!store_web_capture(p, *published, capture, state, refused)) return *refused;
    auto r = redirect("/c/" + id + "/merci");
    r.headers["Set-Cookie"] = set_cookie(answered_cookie(id), "1", cookie_options(365LL * 24 * 3600));
    return r;
  }

  // --- ideas -----------------------------------------------------------------------------

  json idea_values(Page& p, const core::Consultation& c, const json& state, const std::map<std::string, std::string>& given,
                   const std::map<std::string, std::string>& errors) {
    const auto& town = catalog(p.store)->catalog.town;
    json v = base(p, p.tr.format("public.idea.title", {{"title", c.title.in(p.tr.language())}}));
    v["consultation"] = consultation_values(p, c);
    v["action"] = "/c/" + c.id + "/idee";
    v["state"] = sign_state(p, state);
    auto value = [&](const char* name) {
      auto it = given.find(name);
      return it == given.end() ? std::string() : it->second;
    };
    json fields = json::object();
    for (const char* name : {"title", "description", "place", "cost", "email"}) fields[name] = value(name);
    v["idea"] = fields;
    v["consent"] = value("consent") == "yes";
    json themes = json::array(), quartiers = json::array();
    for (const auto& o : c.ideas.themes) themes.push_back({{"value", o.id}, {"label", option_label(p, o)}, {"selected", value("theme") == o.id}});
    for (const auto& o : c.quartiers(town))
      quartiers.push_back({{"value", o.id}, {"label", option_label(p, o)}, {"selected", value("neighbourhood") == o.id}});
    v["themes"] = themes;
    v["neighbourhoods"] = quartiers;
    v["max_cost"] = c.ideas.max_cost_eur ? c.ideas.max_cost_eur : 1'000'000;
    for (const auto& [field, text] : errors) v["error_" + field] = text;
    if (!errors.empty()) v["error"] = p.tr.get("public.idea.has_errors");
    return v;
  }

  // The author's address (issue 12): kept only with the box ticked, an e-mail address, sealed
  // for the office key at once as devices seal theirs (docs/security.md) — the server's pages
  // never store it in clear. An address without the box ticked, or the box without an address,
  // is asked again rather than dropped or kept: nothing is stored without explicit consent.
  void seal_contact(Page& p, const std::map<std::string, std::string>& given, core::Idea& idea, std::map<std::string, std::string>& errors) {
    const bool consent = given.at("consent") == "yes";
    const std::string& email = given.at("email");
    if (!consent) {
      if (!core::is_blank(email)) errors["consent"] = p.tr.get("public.idea.error.consent_needed");
      return;
    }
    if (core::is_blank(email)) {
      errors["email"] = p.tr.get("public.idea.error.email_needed");
      return;
    }
    auto checked = core::check_contact(email, "email");
    if (!checked.contact || checked.contact->kind != core::ContactKind::email) {
      errors["email"] = p.tr.get("public.idea.error.not_an_email");
      if (checked.contact) crypto::wipe(checked.contact->text);
      return;
    }
    const auto sealer = crypto::ContactSealer::from_base64(server::office_public_key(p.store, p.now));
    if (sealer) idea.contact = core::SealedContact{true, sealer->seal(checked.contact->text)};
    else errors["email"] = p.tr.get("public.idea.error.no_office_key");
    crypto::wipe(checked.contact->text);
  }

  HttpResponse idea_page(Page& p, const std::string& id) {
    const auto published = catalog(p.store);
    const auto* c = open_consultation(p, published->catalog, id);
    if (!c || !c->ideas.enabled) return message(p, 404, "public.not_found.title", p.tr.get("public.consultation_closed"));
    if (!on_web(*c)) return not_online(p, id);
    return render(p, "idea", idea_values(p, *c, new_state(p, *c), {}, {}));
  }

  HttpResponse idea_submit(Page& p, const std::string& id) {
    if (!same_origin(p.request)) return message(p, 403, "public.form_refused.title", p.tr.get("public.form_invalid"));
    Form form;
    try {
      form = parse_form(p.request, kIdeaForm);
    } catch (const FormError& e) {
      const bool big = e.code() == "too_long";
      return message(p, big ? 413 : 400, "public.form_refused.title", p.tr.get(big ? "public.photo.too_large" : "public.form_invalid"),
                     "/c/" + id + "/idee");
    }
    const auto published = catalog(p.store);
    json state;
    if (auto problem = open_state(p, form.get("state"), id, state); problem != StateProblem::none) return state_refused(p, problem, id);
    const auto* c = published->catalog.find(id, state["v"].get<std::int32_t>());
    if (!c || !c->ideas.enabled || !open_consultation(p, published->catalog, id))
      return message(p, 404, "public.not_found.title", p.tr.get("public.consultation_closed"));
    if (!on_web(*published->catalog.latest(id))) return not_online(p, id);  // as offered now, not when the form was made

    std::map<std::string, std::string> given, errors;
    for (const char* name : {"title", "description", "theme", "neighbourhood", "place", "cost", "email", "consent"}) given[name] = form.get(name);
    core::Idea idea;
    idea.title = given["title"];
    idea.description = given["description"];
    idea.theme = given["theme"];
    idea.neighbourhood = given["neighbourhood"];
    idea.place = given["place"];
    if (const std::string& cost = given["cost"]; !core::is_blank(cost)) {
      std::string digits;
      for (char ch : cost)
        if (ch != ' ' && ch != '.' && ch != '\xC2' && ch != '\xA0') digits += ch;
      if (digits.empty() || digits.size() > 12 || digits.find_first_not_of("0123456789") != std::string::npos)
        errors["cost"] = p.tr.get("public.error.not_a_number");
      else idea.estimated_cost_eur = std::stoll(digits);
    }
    seal_contact(p, given, idea, errors);
    core::Capture capture;
    capture.id = core::Uuid::parse(state["id"].get<std::string>()).value_or(core::Uuid{});
    capture.device = *core::Uuid::parse(kWebDevice);
    capture.consultation = c->id;
    capture.version = c->version;
    capture.channel = core::Channel::web;
    capture.language = p.tr.language();
    capture.captured_at = p.now;
    capture.body = idea;
    const auto validation = core::validate(capture, published->catalog, p.now);
    for (const auto& e : validation.errors()) {
      std::string field = e.field.rfind("idea.", 0) == 0 ? e.field.substr(5) : e.field;
      if (field == "estimated_cost_eur") field = "cost";
      if (!errors.count(field)) errors[field] = e.code == "required" ? p.tr.get("public.error.field_required") : error_text(p, e);
    }
    std::optional<Photo> photo;
    for (const auto& file : form.files())
      if (file.field == "photo" && !file.data.empty()) {
        try {
          photo = process_photo(file.data);
        } catch (const PhotoError& e) {
          errors["photo"] = p.tr.get("public.photo." + e.code());
        }
      }
    if (!errors.empty()) return render(p, "idea", idea_values(p, *c, state, given, errors), 400);

    std::optional<HttpResponse> refused;
    if (!check_limits(p, state, refused)) return *refused;
    if (photo) p.store.save_idea_photo({capture.id.str(), "image/jpeg", photo->jpeg, photo->width, photo->height}, p.now.utc_ms);
    if (!store_web_capture(p, *published, capture, state, refused)) return *refused;
    return redirect("/c/" + id + "/idee/merci?code=" + core::receipt_code(capture.id));
  }

  // --- storing a web capture -------------------------------------------------------------

  // Refuses (429, a page) when this address sent its hour's share already.
  bool check_limits(Page& p, const json& state, std::optional<HttpResponse>& refused) {
    const bool at_assembly = !state["as"].get<std::string>().empty();
    const std::int64_t limit = at_assembly ? public_limits::per_address_assembly : public_limits::per_address;
    if (p.store.recent_web_submissions(address_hash(p), p.now.utc_ms - public_limits::window_ms) < limit) return true;
    json v = base(p, p.tr.get("public.limited.title"));
    v["message"] = p.tr.get("public.limited");
    v["back"] = "/";
    refused = render(p, "message", v, 429);
    refused->headers["Retry-After"] = "600";
    return false;
  }

  // A sequence number for the next web capture: blocks of 64 reserved in the database (one
  // transaction per 64 submissions instead of one each).
  std::int64_t take_seq(server::ServerStore& store) {
    std::lock_guard lock(mutex);
    if (next_seq == seq_end) {
      // The pseudo-device is made with its first numbers: a server whose public pages never
      // stored anything lists only its real devices.
      store.ensure_web_device(kWebDevice, "Site public (web)", clock.now().utc_ms);
      next_seq = store.reserve_web_seqs(64);
      seq_end = next_seq + 64;
    }
    return next_seq++;
  }

  // Through the devices' ingest (the same validation, tables and tallies), then the token
  // marked used, the submission and its burst flag. Committed before the answer (the
  // thank-you page follows a redirect).
  bool store_web_capture(Page& p, const server::PublishedCatalog& published, const core::Capture& capture, const json& state,
                         std::optional<HttpResponse>& refused) {
    if (!check_limits(p, state, refused)) return false;
    const std::string hash = address_hash(p);
    const std::string assembly = state["as"].get<std::string>();
    const std::int64_t burst_limit = assembly.empty() ? public_limits::burst_count : public_limits::burst_count_assembly;
    const bool burst = p.store.recent_web_submissions(hash, p.now.utc_ms - public_limits::burst_window_ms) >= burst_limit;

    server::BatchEnvelope envelope;
    envelope.device = kWebDevice;
    envelope.batch = "web-" + capture.id.str();
    envelope.received_ms = p.now.utc_ms;
    envelope.clock_offset_ms = 0;
    std::vector<sync::protocol::ParsedBatch::Record> records{{take_seq(p.store), core::capture_to_json(capture)}};
    server::IngestSummary summary;
    const auto results = server::ingest_records(p.store, published.catalog, envelope, records, summary);
    if (results.empty() || results[0].status == sync::protocol::RecordStatus::rejected) {
      refused = message(p, 409, "public.form_refused.title", p.tr.get("public.form_used"), "/c/" + capture.consultation);
      return false;
    }
    if (!p.store.record_web_submission(state["id"].get<std::string>(), capture.id.str(), hash, assembly,
                                       burst ? std::optional<std::string>("burst_address") : std::nullopt, p.now.utc_ms)) {
      refused = message(p, 409, "public.form_refused.title", p.tr.get("public.form_used"), "/c/" + capture.consultation);
      return false;
    }
    return true;
  }

  // --- assembly links --------------------------------------------------------------------

  HttpResponse assembly_landing(Page& p, const std::string& token) {
    const auto payload = signer(p.store, p.now).open(token_purposes::assembly, token);
    if (!payload || !(*payload)["exp"].is_number_integer() || (*payload)["exp"].get<std::int64_t>() < p.now.utc_ms)
      return message(p, 410, "public.form_refused.title", p.tr.get("public.assembly_expired"));
    const long long left_s = ((*payload)["exp"].get<std::int64_t>() - p.now.utc_ms) / 1000;
    auto r = redirect("/");
    r.headers["Set-Cookie"] = set_cookie(kAssemblyCookie, token, cookie_options(left_s));
    return r;
  }

  // --- open data -------------------------------------------------------------------------

  // Cells under the threshold are left out (not rounded): a small count in one quartier on one
  // day could single a resident out.
  std::vector<server::ParticipationCell> open_cells(Page& p) {
    std::vector<server::ParticipationCell> out;
    for (auto& cell : p.store.participation_cells())
      if (cell.n >= public_limits::open_data_min_cell) out.push_back(std::move(cell));
    return out;
  }

  HttpResponse open_data_csv(Page& p) {
    // Open data for any reader (not French Excel): ',' between cells, no BOM; cells still neutralised.
    std::string body;
    server::append_csv_line(body, {"consultation", "quartier", "canal", "jour", "contributions"}, ',');
    for (const auto& c : open_cells(p))
      server::append_csv_line(body, {c.consultation, c.neighbourhood, c.channel, server::day_text(c.day), std::to_string(c.n)}, ',');
    HttpResponse r;
    r.content_type = "text/csv; charset=utf-8";
    r.body = std::move(body);
    add_security_headers(r, Caching::revalidate);
    r.headers["Content-Disposition"] = "inline; filename=\"participation.csv\"";
    r.headers["Link"] = "<https://www.etalab.gouv.fr/licence-ouverte-open-licence/>; rel=\"license\"";
    return r;
  }

  HttpResponse open_data_json(Page& p) {
    json rows = json::array();
    for (const auto& c : open_cells(p))
      rows.push_back({{"consultation", c.consultation}, {"quartier", c.neighbourhood}, {"canal", c.channel}, {"jour", server::day_text(c.day)},
                      {"contributions", c.n}});
    json doc = {{"titre", "Participation aux consultations — " + catalog(p.store)->catalog.town.name},
                {"licence", "Licence Ouverte / Open Licence version 2.0"},
                {"licence_url", "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"},
                {"producteur", catalog(p.store)->catalog.town.name},
                {"genere_le", core::format_instant(p.now)},
                {"seuil_de_secret", public_limits::open_data_min_cell},
                {"note", "Comptes agrégés et anonymes ; une cellule de moins de " + std::to_string(public_limits::open_data_min_cell) +
                             " contributions n’est pas publiée. Le quartier vide signifie « non renseigné »."},
                {"lignes", rows}};
    HttpResponse r;
    r.content_type = "application/json; charset=utf-8";
    r.body = doc.dump(2);
    add_security_headers(r, Caching::revalidate);
    r.headers["Link"] = "<https://www.etalab.gouv.fr/licence-ouverte-open-licence/>; rel=\"license\"";
    return r;
  }
};

PublicSite::PublicSite(server::StorePool& stores, const core::Clock& clock, PublicSiteOptions options)
    : impl_(std::make_unique<Impl>(stores, clock, std::move(options))) {}
PublicSite::~PublicSite() = default;

HttpResponse PublicSite::handle(const HttpRequest& request) { return impl_->handle(request); }

std::size_t PublicSite::max_body(const HttpRequest& head) {
  const auto s = segments(head.path);
  if (head.method == "POST" && s.size() == 3 && s[0] == "c" && s[2] == "idee") return public_limits::max_idea_body;
  return public_limits::max_body;
}

HttpResponse PublicSite::too_large(const HttpRequest& head) {
  server::StorePool::Lease lease(impl_->stores);
  std::vector<std::string> set;
  const auto cookies = parse_cookies(head.header("cookie"));
  const auto& tr = impl_->language_for(head, cookies, set);
  Impl::Page p{head, *lease, tr, impl_->clock.now(), cookies, {}};
  auto r = impl_->message(p, 413, "public.form_refused.title", tr.get("public.photo.too_large"), head.path);
  r.headers["Connection"] = "close";
  return r;
}

std::string PublicSite::assembly_link(server::ServerStore& store, const std::string& base_url, const std::string& assembly, core::Instant now,
                                      std::int64_t lifetime_ms) {
  if (!impl_->catalog(store)->catalog.find_assembly(assembly)) throw std::invalid_argument("no assembly is named " + assembly);
  const json payload = {{"assembly", assembly}, {"exp", now.utc_ms + lifetime_ms}};
  std::string base = base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/a/" + impl_->signer(store, now).sign(token_purposes::assembly, payload);
}

// --- mounting ------------------------------------------------------------------------------

void mount_public_site(server::Router& router, PublicSite& site) {
  router.mount("/", [](const HttpRequest& head) { return PublicSite::max_body(head); }, [&site](const HttpRequest& r) { return site.handle(r); });
  router.on_too_large("/", [&site](const HttpRequest& head) { return site.too_large(head); });
}

}  // namespace allervers::web
