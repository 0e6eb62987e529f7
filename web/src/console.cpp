// The office console's pages.
//
// Sections: set-up · helpers · routes · pages: login, set-password, logout · pages: home,
// users, audit · mounting.
#include "allervers/web/console.hpp"

#include <fstream>
#include <functional>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "allervers/core/text.hpp"
#include "allervers/core/translations.hpp"
#include "allervers/platform/qr.hpp"
#include "allervers/server/admin.hpp"
#include "allervers/server/api.hpp"
#include "allervers/server/office/exports.hpp"
#include "allervers/server/accounts.hpp"
#include "allervers/server/roles.hpp"
#include "allervers/server/secrets.hpp"
#include "allervers/sync/protocol.hpp"
#include "allervers/web/forms.hpp"
#include "allervers/web/html_template.hpp"
#include "allervers/web/http_basics.hpp"
#include "allervers/web/sessions.hpp"
#include "console_page.hpp"

namespace allervers::web {

using nlohmann::json;
using server::HttpRequest;
using server::HttpResponse;
using server::Permission;

namespace {

// --- set-up ------------------------------------------------------------------------------

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("the console cannot read " + path.string());
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The audit log's CSV and its page show at most this many rows at once.
constexpr std::int64_t kAuditPageRows = 200;
// The latest contributions page: enough to check what came in, not a report.
constexpr std::int64_t kRecentCaptures = 50;

// How long an enrolment code made in the console stays valid: the same day's set-up session.
constexpr std::int64_t kEnrolCodeLifetimeMs = 24LL * 3600 * 1000;

// A QR code as SVG: one path of unit squares, a quiet zone of 4 modules, no script or style.
std::string qr_svg(const platform::QrMatrix& m) {
  const int n = m.size + 8;
  std::string path;
  for (int y = 0; y < m.size; ++y)
    for (int x = 0; x < m.size; ++x)
      if (m.at(x, y)) path += "M" + std::to_string(x + 4) + " " + std::to_string(y + 4) + "h1v1h-1z";
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(n) + " " + std::to_string(n) +
         "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path +
         "\"/></svg>";
}

// What a capture's body says, as (field, text) pairs in the page's words: each answer under its
// question's label with its options' labels ("Vos trois priorités…": "Des bancs, De l'ombre"),
// the idea's and the sign-in's fields under translated names (captures.field.*), ids only where
// the catalog no longer knows them. Sealed contacts stay out: opening them is an admin's
// audited act.
std::string answer_label(const core::Question* q, const json& value, const core::Translations& tr) {
  auto option = [&](const std::string& id) {
    const auto* o = q ? q->find_option(id) : nullptr;
    return o ? o->label.in(tr.language()) : id;
  };
  if (value.is_boolean()) return tr.get(value.get<bool>() ? "captures.yes" : "captures.no");
  if (value.is_number_integer() && q && (q->type == core::QuestionType::scale_1_5 || q->type == core::QuestionType::smiley))
    return std::to_string(value.get<std::int64_t>()) + " / 5";
  if (value.is_string()) return q && q->type == core::QuestionType::short_text ? value.get<std::string>() : option(value.get<std::string>());
  if (value.is_array()) {
    std::string out;
    for (const auto& v : value) out += (out.empty() ? "" : ", ") + (v.is_string() ? option(v.get<std::string>()) : v.dump());
    return out;
  }
  return value.dump();
}

json capture_fields(const std::string& body, const core::Catalog& catalog, const core::Translations& tr) {
  json out = json::array();
  const json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return out;
  const core::Consultation* consultation =
      doc.contains("consultation") && doc["consultation"].is_string()
          ? catalog.find(doc["consultation"].get<std::string>(), doc.value("version", std::int32_t{0}))
          : nullptr;
  if (doc.contains("answers") && doc["answers"].is_object())
    for (auto it = doc["answers"].begin(); it != doc["answers"].end(); ++it) {
      if (it.value().is_null()) continue;
      const auto* q = consultation ? consultation->find_question(it.key()) : nullptr;
      out.push_back({{"name", q ? q->label.in(tr.language()) : it.key()}, {"value", answer_label(q, it.value(), tr)}});
    }
  for (const char* part : {"idea", "signin"}) {
    if (!doc.contains(part) || !doc[part].is_object()) continue;
    for (auto it = doc[part].begin(); it != doc[part].end(); ++it) {
      if (it.key() == "contact" || it.value().is_null()) continue;
      const std::string key = std::string("captures.field.") + part + "." + it.key();
      std::string value = it.value().is_string() ? it.value().get<std::string>() : it.value().dump();
      if (it.key() == "neighbourhood" || it.key() == "age_bracket") {
        const auto* o = it.key() == "neighbourhood" ? catalog.town.find_neighbourhood(value) : catalog.town.find_age_bracket(value);
        if (o) value = o->label.in(tr.language());
      } else if (it.key() == "theme" && consultation) {
        if (const auto* o = consultation->ideas.find_theme(value)) value = o->label.in(tr.language());
      } else if (it.key() == "assembly") {
        if (const auto* a = catalog.find_assembly(value)) value = a->name.in(tr.language());
      } else if (it.value().is_boolean()) {
        value = tr.get(it.value().get<bool>() ? "captures.yes" : "captures.no");
      }
      out.push_back({{"name", tr.find(key).empty() ? std::string(part) + "." + it.key() : tr.get(key)}, {"value", value}});
    }
  }
  return out;
}

// A login or set-password form is small: name and password.
const FormLimits kSmallForm{.max_fields = 10, .max_name_bytes = 40, .max_value_bytes = 2048, .max_files = 0, .max_file_bytes = 0};

}  // namespace

std::string query_escape(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// --- helpers -----------------------------------------------------------------------------

struct Console::Impl final : ConsoleTools {
  server::StorePool& stores;
  const core::Clock& clock;
  ConsoleOptions options;
  Templates templates;
  core::Translations french, english, arabic;  // arabic: the public pages' words only (the editor's preview)
  Sessions sessions;
  StaticFiles files;
  TownTime town;

  using Page = ConsolePage;  // one request being answered (console_page.hpp)

  using PageFn = HttpResponse (Impl::*)(Page&);
  struct Route {
    const char* method;
    const char* path;
    std::optional<Permission> permission;  // nothing: reachable without a session
    bool changes;                          // a POST that changes something: CSRF-checked
    PageFn page;
    AreaPageFn area_page = nullptr;  // a page in its own file (console_page.hpp), when `page` is null
  };

  Impl(server::StorePool& s, const core::Clock& c, ConsoleOptions o)
      : stores(s),
        clock(c),
        options(std::move(o)),
        templates(Templates::load(options.assets_web / "templates")),
        sessions(options.secure_cookies),
        files("/static/", console_static_roots(options.assets_web, options.vendor_dir)),
        town(TownTime::load(options.time_zone, options.zoneinfo_dir)) {
    auto fr = core::parse_translations(read_file(options.assets_web / "i18n/fr.json"), "assets/web/i18n/fr.json");
    auto en = core::parse_translations(read_file(options.assets_web / "i18n/en.json"), "assets/web/i18n/en.json");
    auto ar = core::parse_translations(read_file(options.assets_web / "i18n/ar.json"), "assets/web/i18n/ar.json");
    french = core::Translations("fr", fr, fr);
    arabic = core::Translations("ar", std::move(ar), fr);
    english = core::Translations("en", std::move(en), std::move(fr));
  }

  // French unless the browser prefers English before French.
  const core::Translations& language_for(const HttpRequest& request) const {
    const std::string header = request.header("accept-language");
    std::size_t pos = 0;
    while (pos < header.size()) {
      auto end = header.find(',', pos);
      if (end == std::string::npos) end = header.size();
      std::string tag = header.substr(pos, end - pos);
      tag = tag.substr(tag.find_first_not_of(' ') == std::string::npos ? 0 : tag.find_first_not_of(' '));
      const std::string primary = tag.substr(0, 2);
      if (primary == "fr" || primary == "FR") return french;
      if (primary == "en" || primary == "EN") return english;
      pos = end + 1;
    }
    return french;
  }

  std::string role_label(const core::Translations& tr, server::Role role) const {
    return tr.get(std::string("role.") + server::to_string(role));
  }

  // What every page's head and navigation read.
  json base(Page& p, const std::string& title_key, const std::string& active_href) const override {
    json v = {{"lang", p.tr.language()}, {"dir", "ltr"}, {"title", p.tr.get(title_key)}};
    if (p.session) {
      const auto role = p.session->user.role;
      json nav = json::array();
      auto item = [&](const char* href, const char* key, Permission needs) {
        if (server::allows(role, needs))
          nav.push_back({{"href", href}, {"label", p.tr.get(key)}, {"active", active_href == href ? "active" : ""}});
      };
      item("/office/", "nav.home", Permission::view_dashboard);
      item("/office/dashboard", "nav.dashboard", Permission::view_dashboard);
      item("/office/captures", "nav.captures", Permission::read_captures);
      item("/office/ideas", "nav.ideas", Permission::review_ideas);
      item("/office/assemblies", "nav.assemblies", Permission::follow_attendance);
      item("/office/population", "nav.population", Permission::view_dashboard);
      item("/office/votes", "nav.votes", Permission::view_dashboard);
      item("/office/letters", "nav.letters", Permission::tell_residents);
      item("/office/mails", "nav.mails", Permission::tell_residents);
      item("/office/consultations", "nav.consultations", Permission::manage_consultations);
      item("/office/devices", "nav.devices", Permission::manage_devices);
      item("/office/users", "nav.users", Permission::manage_users);
      item("/office/tokens", "nav.tokens", Permission::manage_tokens);
      item("/office/audit", "nav.audit", Permission::read_audit);
      v["user"] = true;
      v["nav"] = nav;
      v["csrf"] = p.session->csrf_token;
      v["signed_in_as"] = p.tr.format("nav.signed_in_as", {{"name", p.session->user.name}, {"role", role_label(p.tr, role)}});
    }
    return v;
  }

  HttpResponse render(Page& p, const std::string& name, const json& values, int status = 200) const override {
    const auto& tr = p.tr;
    const std::string html = templates.render("console/" + name, values, [&tr](std::string_view key) { return std::string(tr.find(key)); });
    return html_response(status, html, Caching::no_store);
  }

  HttpResponse message(Page& p, int status, const std::string& title_key, const std::string& text_key) const override {
    json v = base(p, title_key, "");
    v["message"] = p.tr.get(text_key);
    return render(p, "message", v, status);
  }

  Form read_form(Page& p, const FormLimits& limits = {}) const { return parse_form(p.request, limits); }

  // Where browsers reach this server, for the links a page shows: --public-url, else the Host
  // the admin's own browser used.
  std::string public_url(Page& p) const {
    if (!options.public_url.empty()) return options.public_url;
    return std::string(options.secure_cookies ? "https://" : "http://") + p.request.header("host");
  }

  server::StorePool& pool() const override { return stores; }
  const TownTime& town_time() const override { return town; }
  const core::Translations& translations(const std::string& language) const override {
    return language == "en" ? english : language == "ar" ? arabic : french;
  }
  // "30/11/2026 14:05", in the town's time.
  std::string format_when(std::int64_t utc_ms) const { return town.format(utc_ms); }

  server::Actor actor(Page& p) const override { return {p.session ? p.session->user.name : "", p.request.client_address}; }

  // --- routes ----------------------------------------------------------------------------

  static const std::vector<Route>& routes() {
    static const std::vector<Route> kRoutes = {
        {"GET", "/office/", Permission::view_dashboard, false, &Impl::home},
        {"GET", "/office/login", std::nullopt, false, &Impl::login_page},
        {"POST", "/office/login", std::nullopt, false, &Impl::login_submit},
        {"GET", "/office/set-password", std::nullopt, false, &Impl::set_password_page},
        {"POST", "/office/set-password", std::nullopt, false, &Impl::set_password_submit},
        {"POST", "/office/logout", Permission::view_dashboard, true, &Impl::logout},
        {"GET", "/office/captures", Permission::read_captures, false, &Impl::captures_page},
        {"GET", "/office/devices", Permission::manage_devices, false, &Impl::devices_page},
        {"POST", "/office/devices/enrol", Permission::manage_devices, true, &Impl::devices_enrol},
        {"GET", "/office/devices/enrol-qr.svg", Permission::manage_devices, false, &Impl::devices_enrol_qr},
        {"POST", "/office/devices/revoke", Permission::manage_devices, true, &Impl::devices_revoke},
        {"GET", "/office/users", Permission::manage_users, false, &Impl::users_page},
        {"POST", "/office/users/add", Permission::manage_users, true, &Impl::users_add},
        {"POST", "/office/users/disable", Permission::manage_users, true, &Impl::users_disable},
        {"GET", "/office/tokens", Permission::manage_tokens, false, &Impl::tokens_page},
        {"POST", "/office/tokens/add", Permission::manage_tokens, true, &Impl::tokens_add},
        {"POST", "/office/tokens/revoke", Permission::manage_tokens, true, &Impl::tokens_revoke},
        {"GET", "/office/audit", Permission::read_audit, false, &Impl::audit_page},
        {"GET", "/office/audit.csv", Permission::read_audit, false, &Impl::audit_csv},
        {"GET", "/office/photo", Permission::read_captures, false, &Impl::idea_photo},
    };
    return kRoutes;
  }

  // The areas' routes (console_page.hpp) as this file's own.
  static const std::vector<Route>& area_routes() {
    static const std::vector<Route> kRoutes = [] {
      std::vector<Route> out;
      for (const auto* table : {&dashboard_routes(), &assemblies_routes(), &ideas_routes(), &population_routes(),
                                  &votes_routes(), &editor_routes(), &residents_routes()})
        for (const auto& r : *table) out.push_back({r.method, r.path, r.permission, r.changes, nullptr, r.page});
      return out;
    }();
    return kRoutes;
  }

  HttpResponse handle(const HttpRequest& request) {
    const Route* route = nullptr;
    bool path_known = false;
    for (const auto* table : {&routes(), &area_routes()})
      for (const auto& r : *table) {
        if (request.path != r.path) continue;
        path_known = true;
        if (request.method == r.method || (request.method == "HEAD" && std::string(r.method) == "GET")) route = &r;
      }
    server::StorePool::Lease lease(stores);
    try {
      Page p{request, *lease, language_for(request), std::nullopt, clock.now()};
      if (!route) {
        if (path_known) {
          auto r = message(p, 405, "error.not_found.title", "error.not_found");
          r.headers["Allow"] = "GET, POST";
          return r;
        }
        return message(p, 404, "error.not_found.title", "error.not_found");
      }
      p.session = sessions.current(p.store, request, p.now);
      if (route->permission) {
        if (!p.session) return redirect("/office/login?expired=1");
        if (!server::allows(p.session->user.role, *route->permission)) {
          server::audit(p.store, actor(p), "access.refused", request.method + " " + request.path, "", p.now);
          return message(p, 403, "error.forbidden.title", "error.forbidden");
        }
      }
      if (route->changes) {
        std::optional<Form> form;
        try {
          // Read only for its token: each page reads the form again under its own limits (the
          // consultation editor's form carries a whole consultation: thousands of fields).
          form = read_form(p, FormLimits{.max_fields = 6000, .max_name_bytes = 100, .max_value_bytes = 64 * 1024,
                                         .max_files = 4, .max_file_bytes = 8 * 1024 * 1024});
        } catch (const FormError&) {
          return message(p, 400, "error.form.title", "error.form");
        }
        if (!check_csrf(request, &*form, *p.session)) {
          server::audit(p.store, actor(p), "csrf.refused", request.method + " " + request.path, "", p.now);
          return message(p, 403, "error.csrf.title", "error.csrf");
        }
      } else if (request.method == "POST" && !same_origin(request)) {
        // Login and set-password have no session yet: the origin is their CSRF check.
        return message(p, 403, "error.csrf.title", "error.csrf");
      }
      return route->page ? (this->*(route->page))(p) : route->area_page(*this, p);
    } catch (...) {
      lease.failed();
      throw;
    }
  }

  // --- pages: login, set-password, logout --------------------------------------------------

  HttpResponse login_page(Page& p) {
    if (p.session) return redirect("/office/");
    json v = base(p, "login.title", "");
    if (p.request.query.count("expired")) v["error"] = p.tr.get("login.expired");
    if (p.request.query.count("logged_out")) v["notice"] = p.tr.get("login.logged_out");
    if (p.request.query.count("password_set")) v["notice"] = p.tr.get("login.password_set");
    return render(p, "login", v);
  }

  HttpResponse login_submit(Page& p) {
    Form form;
    try {
      form = read_form(p, kSmallForm);
    } catch (const FormError&) {
      return message(p, 400, "error.form.title", "error.form");
    }
    const std::string name = form.get("name");
    const auto result = sessions.login(p.store, name, form.get("password"), p.request.client_address, p.now);
    if (result.outcome == LoginResult::Outcome::ok) {
      auto r = redirect("/office/");
      r.headers["Set-Cookie"] = sessions.session_cookie(result.cookie_value);
      return r;
    }
    json v = base(p, "login.title", "");
    v["name"] = name;
    if (result.outcome == LoginResult::Outcome::throttled) {
      v["error"] = p.tr.format("login.throttled", {{"seconds", std::to_string((result.retry_in_ms + 999) / 1000)}});
      auto r = render(p, "login", v, 429);
      r.headers["Retry-After"] = std::to_string((result.retry_in_ms + 999) / 1000);
      return r;
    }
    v["error"] = p.tr.get("login.wrong");
    return render(p, "login", v, 401);
  }

  HttpResponse set_password_page(Page& p) {
    json v = base(p, "setpw.title", "");
    const auto it = p.request.query.find("token");
    if (it == p.request.query.end() || it->second.size() > 100 ||
        !p.store.password_link_user(server::hash_secret(it->second), p.now.utc_ms)) {
      v["error"] = p.tr.get("setpw.invalid");
      return render(p, "set_password", v, 404);
    }
    v["token"] = it->second;
    return render(p, "set_password", v);
  }

  HttpResponse set_password_submit(Page& p) {
    Form form;
    try {
      form = read_form(p, kSmallForm);
    } catch (const FormError&) {
      return message(p, 400, "error.form.title", "error.form");
    }
    json v = base(p, "setpw.title", "");
    const std::string token = form.get("token");
    v["token"] = token;
    if (form.get("password") != form.get("confirm")) {
      v["error"] = p.tr.get("setpw.mismatch");
      return render(p, "set_password", v, 400);
    }
    try {
      server::set_password_with_link(p.store, token, form.get("password"), actor(p), p.now);
    } catch (const server::AccountError& e) {
      if (e.code() == "weak_password") {
        v["error"] = p.tr.get("setpw.weak");
        return render(p, "set_password", v, 400);
      }
      v.erase("token");
      v["error"] = p.tr.get("setpw.invalid");
      return render(p, "set_password", v, 404);
    }
    return redirect("/office/login?password_set=1");
  }

  HttpResponse logout(Page& p) {
    sessions.logout(p.store, *p.session, p.request.client_address, p.now);
    auto r = redirect("/office/login?logged_out=1");
    r.headers["Set-Cookie"] = sessions.cleared_cookie();
    return r;
  }

  // --- pages: home, users, audit ---------------------------------------------------------------

  HttpResponse home(Page& p) {
    json v = base(p, "home.title", "/office/");
    const auto o = p.store.overview();
    json rows = json::array();
    for (const auto& c : o.captures)
      rows.push_back({{"consultation", c.consultation}, {"kind", p.tr.get("kind." + c.kind)}, {"count", c.captures}});
    if (!rows.empty()) v["captures"] = {{"rows", rows}};
    v["devices"] = o.devices;
    v["devices_revoked"] = o.devices_revoked;
    v["last_sync"] = o.last_batch_ms ? format_when(*o.last_batch_ms) : p.tr.get("home.never");
    // Captures flagged by the public pages' limits (bursts): kept and counted, to be looked at.
    v["flagged"] = p.tr.format("home.flagged", {{"n", std::to_string(p.store.flagged_count())}});
    return render(p, "home", v);
  }

  HttpResponse captures_page(Page& p) {
    json v = base(p, "captures.title", "/office/captures");
    json rows = json::array();
    const auto catalog = server::merge_catalogs(p.store.catalogs()).catalog;
    for (const auto& c : p.store.recent_captures("", kRecentCaptures)) {
      const auto* consultation = catalog.latest(c.consultation);
      rows.push_back({{"received", format_when(c.received_ms)},
                      {"consultation", consultation ? consultation->title.in(p.tr.language()) : c.consultation},
                      {"kind", p.tr.get("kind." + c.kind)},
                      {"device", c.device_name},
                      {"fields", capture_fields(c.body, catalog, p.tr)},
                      {"photo", p.store.idea_photo(c.id) ? "/office/photo?capture=" + query_escape(c.id) : ""}});
    }
    if (!rows.empty()) v["captures"] = {{"rows", rows}, {"shown", p.tr.format("captures.shown", {{"n", std::to_string(rows.size())}})}};
    return render(p, "captures", v);
  }

  std::string when_or(Page& p, const std::optional<std::int64_t>& ms, const char* missing_key) const {
    return ms ? format_when(*ms) : p.tr.get(missing_key);
  }

  json devices_values(Page& p) const {
    json v = base(p, "devices.title", "/office/devices");
    json rows = json::array();
    for (const auto& d : p.store.list_devices()) {
      const std::string unknown = p.tr.get("devices.unknown");
      rows.push_back({{"id", d.id},
                      {"name", d.name},
                      {"state", p.tr.get(d.revoked ? "devices.revoked" : "devices.active")},
                      {"last_seen", when_or(p, d.last_seen_ms, "devices.never")},
                      {"last_batch", when_or(p, d.last_batch_ms, "devices.never")},
                      {"held", d.records_held},
                      {"pending", d.pending_on_device ? std::to_string(*d.pending_on_device) : unknown},
                      {"gaps", d.gaps},
                      {"clock", d.clock_offset_ms ? std::to_string(*d.clock_offset_ms / 1000) + " s" : unknown},
                      {"app_version", d.app_version.empty() ? unknown : d.app_version},
                      {"can_revoke", !d.revoked},
                      {"csrf", p.session->csrf_token}});
    }
    if (!rows.empty()) v["devices"] = {{"rows", rows}};
    return v;
  }

  HttpResponse devices_page(Page& p) { return render(p, "devices", devices_values(p)); }

  HttpResponse devices_error(Page& p, const std::string& key) {
    json v = devices_values(p);
    v["error"] = p.tr.get(key);
    return render(p, "devices", v, 400);
  }

  HttpResponse devices_enrol(Page& p) {
    const Form form = read_form(p);
    const std::string name = form.get("name");
    if (core::is_blank(name) || core::find_text_problem(name, core::Lines::single) || core::code_point_count(name) > 80)
      return devices_error(p, "devices.error.name");
    auto tx = p.store.transaction();
    const auto code = server::create_enrol_code(p.store, name, p.now, kEnrolCodeLifetimeMs);
    server::audit(p.store, actor(p), "device.enrol_code", name, "", p.now);
    tx.commit();
    json v = devices_values(p);
    v["enrolled"] = {{"code", code.code},
                     {"message", p.tr.format("devices.enrol_done", {{"name", name}, {"expires", format_when(code.expires.utc_ms)}})},
                     {"alt", p.tr.format("devices.enrol_qr_alt", {{"name", name}})},
                     {"qr", "/office/devices/enrol-qr.svg?code=" + query_escape(code.code)}};
    return render(p, "devices", v);
  }

  // The enrolment link as a QR code image (no inline script or style: an <img> of this URL).
  HttpResponse devices_enrol_qr(Page& p) {
    const auto it = p.request.query.find("code");
    if (it == p.request.query.end() || it->second.empty() || it->second.size() > 40)
      return message(p, 404, "error.not_found.title", "error.not_found");
    HttpResponse r;
    r.content_type = "image/svg+xml";
    r.body = qr_svg(platform::encode_qr(sync::protocol::enrol_link(public_url(p), it->second), platform::QrErrorCorrection::medium));
    add_security_headers(r, Caching::no_store);
    return r;
  }

  HttpResponse devices_revoke(Page& p) {
    const Form form = read_form(p);
    const std::string id = form.get("device");
    std::string name;
    for (const auto& d : p.store.list_devices())
      if (d.id == id) name = d.name;
    if (name.empty()) return devices_error(p, "devices.error.unknown");
    if (form.get("confirmed") != "yes") {  // the confirmation step: nothing changes yet
      json v = devices_values(p);
      v["confirm"] = {{"id", id}, {"message", p.tr.format("devices.revoke_confirm", {{"name", name}})}};
      return render(p, "devices", v);
    }
    // revoke_device is its own transaction (it revokes the certificates too); the audit line
    // follows it.
    if (p.store.revoke_device(id, p.now.utc_ms).outcome != server::RevokeOutcome::revoked) return devices_error(p, "devices.error.unknown");
    server::audit(p.store, actor(p), "device.revoke", name, "id=" + id, p.now);
    json v = devices_values(p);
    v["notice"] = p.tr.format("devices.revoked_done", {{"name", name}});
    return render(p, "devices", v);
  }

  json users_values(Page& p) const {
    json v = base(p, "users.title", "/office/users");
    json users = json::array();
    for (const auto& u : p.store.users()) {
      const char* state = u.disabled_ms ? "users.state.disabled" : u.password_hash.empty() ? "users.state.pending" : "users.state.active";
      users.push_back({{"name", u.name},
                       {"role", role_label(p.tr, u.role)},
                       {"state", p.tr.get(state)},
                       {"can_disable", u.active() && u.id != p.session->user.id},
                       {"csrf", p.session->csrf_token}});
    }
    v["users"] = users;
    json roles = json::array();
    for (auto r : {server::Role::viewer, server::Role::coordinator, server::Role::admin, server::Role::valuator})
      roles.push_back({{"value", server::to_string(r)}, {"label", role_label(p.tr, r)}});
    v["roles"] = roles;
    return v;
  }

  HttpResponse users_page(Page& p) { return render(p, "users", users_values(p)); }

  HttpResponse users_error(Page& p, const std::string& key) {
    json v = users_values(p);
    v["error"] = p.tr.get(key);
    return render(p, "users", v, 400);
  }

  HttpResponse users_add(Page& p) {
    const Form form = read_form(p);
    const auto role = server::role_named(form.get("role"));
    if (!role) return users_error(p, "users.error.role");
    const std::string name = form.get("name");
    server::PasswordLink link;
    try {
      link = server::add_user(p.store, name, *role, actor(p), p.now);
    } catch (const server::AccountError& e) {
      return users_error(p, "users.error." + e.code());
    }
    json v = users_values(p);
    v["link"] = {{"message", p.tr.format("users.added", {{"name", name}, {"expires", format_when(link.expires.utc_ms)}})},
                 {"url", server::password_link_url(public_url(p), link.token)}};
    return render(p, "users", v);
  }

  HttpResponse users_disable(Page& p) {
    const Form form = read_form(p);
    const std::string name = form.get("name");
    if (form.get("confirmed") != "yes") {  // the confirmation step: nothing changes yet
      json v = users_values(p);
      v["confirm"] = {{"name", name}, {"message", p.tr.format("users.disable_confirm", {{"name", name}})}};
      return render(p, "users", v);
    }
    try {
      server::disable_user(p.store, name, actor(p), p.now);
    } catch (const server::AccountError& e) {
      return users_error(p, "users.error." + e.code());
    }
    json v = users_values(p);
    v["notice"] = p.tr.format("users.disabled", {{"name", name}});
    return render(p, "users", v);
  }

  // Machine clients' tokens: a row is named by its hash's first 16 characters in the forms (the
  // hash itself is not secret, but a shorter handle keeps pages small).
  json tokens_values(Page& p) const {
    json v = base(p, "tokens.title", "/office/tokens");
    json rows = json::array();
    for (const auto& t : p.store.office_tokens())
      rows.push_back({{"id", t.token_hash.substr(0, 16)},
                      {"name", t.name},
                      {"scope", t.scope},
                      {"created", format_when(t.created_ms)},
                      {"state", p.tr.get(t.revoked_ms ? "tokens.revoked" : "tokens.active")},
                      {"can_revoke", !t.revoked_ms},
                      {"csrf", p.session->csrf_token}});
    if (!rows.empty()) v["tokens"] = {{"rows", rows}};
    return v;
  }

  HttpResponse tokens_page(Page& p) { return render(p, "tokens", tokens_values(p)); }

  HttpResponse tokens_error(Page& p, const std::string& key) {
    json v = tokens_values(p);
    v["error"] = p.tr.get(key);
    return render(p, "tokens", v, 400);
  }

  HttpResponse tokens_add(Page& p) {
    const Form form = read_form(p);
    const std::string name = form.get("name");
    if (core::is_blank(name) || core::find_text_problem(name, core::Lines::single) || core::code_point_count(name) > 80)
      return tokens_error(p, "tokens.error.name");
    auto tx = p.store.transaction();
    const std::string token = server::create_office_token(p.store, name, p.now);
    server::audit(p.store, actor(p), "token.add", name, std::string("scope=") + server::kAttendanceScope, p.now);
    tx.commit();
    json v = tokens_values(p);
    v["made"] = {{"token", token}, {"message", p.tr.format("tokens.created_done", {{"name", name}})}};
    return render(p, "tokens", v);
  }

  HttpResponse tokens_revoke(Page& p) {
    const Form form = read_form(p);
    const std::string id = form.get("token");
    std::optional<server::OfficeToken> found;
    for (const auto& t : p.store.office_tokens())
      if (!t.revoked_ms && id.size() == 16 && t.token_hash.rfind(id, 0) == 0) found = t;
    if (!found) return tokens_error(p, "tokens.error.unknown");
    if (form.get("confirmed") != "yes") {  // the confirmation step: nothing changes yet
      json v = tokens_values(p);
      v["confirm"] = {{"id", id}, {"message", p.tr.format("tokens.revoke_confirm", {{"name", found->name}})}};
      return render(p, "tokens", v);
    }
    auto tx = p.store.transaction();
    if (!p.store.revoke_office_token(found->token_hash, p.now.utc_ms)) return tokens_error(p, "tokens.error.unknown");
    server::audit(p.store, actor(p), "token.revoke", found->name, "", p.now);
    tx.commit();
    json v = tokens_values(p);
    v["notice"] = p.tr.format("tokens.revoked_done", {{"name", found->name}});
    return render(p, "tokens", v);
  }

  server::AuditFilter audit_filter(const HttpRequest& request) const {
    server::AuditFilter f;
    if (auto it = request.query.find("actor"); it != request.query.end() && !it->second.empty()) f.actor = it->second;
    if (auto it = request.query.find("action"); it != request.query.end() && !it->second.empty()) f.action = it->second;
    return f;
  }

  HttpResponse audit_page(Page& p) {
    const auto filter = audit_filter(p.request);
    json v = base(p, "audit.title", "/office/audit");
    v["filter"] = {{"actor", filter.actor.value_or("")}, {"action", filter.action.value_or("")}};
    v["csv_href"] = "/office/audit.csv?actor=" + query_escape(filter.actor.value_or("")) + "&action=" + query_escape(filter.action.value_or(""));
    json rows = json::array();
    for (const auto& e : p.store.audit_entries(filter, kAuditPageRows))
      rows.push_back({{"when", format_when(e.at_ms)}, {"actor", e.actor}, {"action", e.action}, {"target", e.target}, {"detail", e.detail},
                      {"client", e.client}});
    if (!rows.empty()) v["entries"] = {{"rows", rows}, {"shown", p.tr.format("audit.shown", {{"n", std::to_string(rows.size())}})}};
    return render(p, "audit", v);
  }

  // An idea's photo as the public pages kept it (re-encoded, without EXIF).
  HttpResponse idea_photo(Page& p) {
    const auto it = p.request.query.find("capture");
    const auto photo = it == p.request.query.end() ? std::nullopt : p.store.idea_photo(it->second);
    if (!photo) return message(p, 404, "error.not_found.title", "error.not_found");
    HttpResponse r;
    r.content_type = photo->content_type;
    r.body = photo->data;
    add_security_headers(r, Caching::no_store);
    return r;
  }

  HttpResponse audit_csv(Page& p) {
    const auto filter = audit_filter(p.request);
    server::audit(p.store, actor(p), "audit.export", "", "actor=" + filter.actor.value_or("") + " action=" + filter.action.value_or(""), p.now);
    // For French Excel: UTF-8 with its BOM, ';' between cells, CRLF between rows.
    std::string body = "\xEF\xBB\xBF";
    server::append_csv_line(body, {"id", "at_town_time", "actor", "action", "target", "detail", "client"});
    p.store.for_each_audit_entry(filter, [&](const server::AuditEntry& e) {
      server::append_csv_line(body, {std::to_string(e.id), format_when(e.at_ms), e.actor, e.action, e.target, e.detail, e.client});
    });
    HttpResponse r;
    r.content_type = "text/csv; charset=utf-8";
    r.body = std::move(body);
    add_security_headers(r, Caching::no_store);
    r.headers["Content-Disposition"] = "attachment; filename=\"journal.csv\"";
    return r;
  }
};

Console::Console(server::StorePool& stores, const core::Clock& clock, ConsoleOptions options)
    : impl_(std::make_unique<Impl>(stores, clock, std::move(options))) {}
Console::~Console() = default;

HttpResponse Console::handle(const HttpRequest& request) { return impl_->handle(request); }
const StaticFiles& Console::static_files() const { return impl_->files; }

// --- mounting ------------------------------------------------------------------------------

void mount_console(server::Router& router, Console& console) {
  // Console forms are small, but for the two that carry pictures: a vote's draft (a picture per
  // project, each a phone's photo at most) and an idea's milestone (one photo).
  router.mount(
      "/office/",
      [](const HttpRequest& head) -> std::size_t {
        if (head.path == "/office/vote/save") return 64 * 1024 * 1024;
        if (head.path == "/office/idea/milestone") return 12 * 1024 * 1024;
        return 256 * 1024;
      },
      [&console](const HttpRequest& r) { return console.handle(r); });
  router.mount("/static/", 0, [&console](const HttpRequest& r) { return console.static_files().handle(r); });
}

}  // namespace allervers::web
