// The console's dashboard area: captures counted per consultation, quartier, day, channel and
// device (tables, and charts drawn by /static/app/dashboard.js from dashboard.json, which it
// polls so the numbers follow the syncs), results per question, free-text answers searched a
// page at a time, and the exports streamed with the same filter — each export audited.
// Everything here reads office/dashboard.hpp and office/exports.hpp: counts and texts, never a
// contact, except the admin's export that asks for them (audited as such).
//
// Sections: the filter · dashboard · results · answers · exports · routes.
#include <memory>

#include "allervers/core/capture.hpp"
#include "allervers/server/api.hpp"
#include "allervers/server/office/dashboard.hpp"
#include "allervers/server/office/exports.hpp"
#include "allervers/server/pass_keys.hpp"
#include "console_page.hpp"

namespace allervers::web {

using nlohmann::json;
using server::HttpResponse;

// --- the filter (console_page.hpp) ---------------------------------------------------------

// The filter's parameters, in the order links carry them.
constexpr const char* kFilterNames[] = {"consultation", "from", "to", "quartier", "channel", "device"};

FilterView read_filter(ConsolePage& p) {
  FilterView f;
  for (const char* name : kFilterNames)
    if (auto it = p.request.query.find(name); it != p.request.query.end() && !it->second.empty() && it->second.size() <= 100)
      f.values[name] = it->second;
  for (const auto& [name, value] : f.values) f.query += (f.query.empty() ? "" : "&") + name + "=" + query_escape(value);
  try {
    f.filter = server::parse_filter(f.values);
  } catch (const server::FilterError& e) {
    f.error = p.tr.format("filter.error." + e.code(), {{"field", p.tr.get("filter." + e.field())}});
  }
  return f;
}

core::Catalog published_catalog(ConsolePage& p) { return server::merge_catalogs(p.store.catalogs()).catalog; }

// The filter form's fields: each list with the current value selected.
json filter_form(ConsolePage& p, const core::Catalog& catalog, const FilterView& f) {
  auto value = [&](const char* name) {
    auto it = f.values.find(name);
    return it == f.values.end() ? std::string() : it->second;
  };
  auto options = [&](const char* name, std::vector<std::pair<std::string, std::string>> items) {
    json out = json::array();
    out.push_back({{"value", ""}, {"label", p.tr.get("filter.any")}, {"selected", value(name).empty()}});
    for (auto& [id, label] : items) out.push_back({{"value", id}, {"label", label}, {"selected", value(name) == id}});
    return out;
  };
  std::vector<std::pair<std::string, std::string>> consultations, quartiers, channels, devices;
  for (const auto* c : catalog.current()) consultations.emplace_back(c->id, c->title.in("fr"));
  for (const auto& q : catalog.town.neighbourhoods) quartiers.emplace_back(q.id, q.label.in("fr"));
  for (const auto ch : core::kAllChannels) channels.emplace_back(core::to_string(ch), p.tr.get(std::string("channel.") + core::to_string(ch)));
  for (const auto& [id, name] : p.store.device_names()) devices.emplace_back(id, name);
  return {{"consultations", options("consultation", consultations)},
          {"quartiers", options("quartier", quartiers)},
          {"channels", options("channel", channels)},
          {"devices", options("device", devices)},
          {"from", value("from")},
          {"to", value("to")}};
}

namespace {

// How many free-text answers a page shows.
constexpr std::int64_t kAnswersPerPage = 50;
// How often dashboard.js asks for the numbers again: "within a few seconds of a sync" (each ask
// reads the tallies, not the captures: docs/benchmarks.md).
constexpr int kRefreshSeconds = 3;

// What every page of this area shares: the head, the filter form, its error.
json area_values(const ConsoleTools& tools, ConsolePage& p, const core::Catalog& catalog, const FilterView& f, const char* title_key,
                 const std::string& active) {
  json v = tools.base(p, title_key, active);
  v["filter"] = filter_form(p, catalog, f);
  v["query"] = f.query;
  if (!f.error.empty()) v["error"] = f.error;
  return v;
}

// --- dashboard -----------------------------------------------------------------------------

// The dimensions the dashboard shows, each a table and a chart (dashboard.js reads the same
// names in dashboard.json).
struct Section {
  const char* id;         // the key in dashboard.json
  const char* title_key;  // its heading
  const char* chart;      // "bar" or "line" (the time line)
};
constexpr Section kSections[] = {
    {"by_day", "dashboard.by_day", "line"},
    {"by_consultation", "dashboard.by_consultation", "bar"},
    {"by_neighbourhood", "dashboard.by_neighbourhood", "bar"},
    {"by_channel", "dashboard.by_channel", "bar"},
    {"by_device", "dashboard.by_device", "bar"},
};

// The channels' names in the page's language (the counts come labelled in French).
void translate_channels(ConsolePage& p, std::vector<server::Count>& counts) {
  for (auto& c : counts)
    if (!c.key.empty()) c.label = p.tr.get("channel." + c.key);
}

json counts_values(ConsolePage& p, server::CaptureCounts counts) {
  translate_channels(p, counts.by_channel);
  auto rows = [&](const std::vector<server::Count>& list) {
    json out = json::array();
    for (const auto& c : list) out.push_back({{"key", c.key}, {"label", c.label.empty() ? p.tr.get("dashboard.not_said") : c.label}, {"n", c.n}});
    return out;
  };
  return {{"total", counts.total},
          {"by_day", rows(counts.by_day)},
          {"by_consultation", rows(counts.by_consultation)},
          {"by_neighbourhood", rows(counts.by_neighbourhood)},
          {"by_channel", rows(counts.by_channel)},
          {"by_device", rows(counts.by_device)}};
}

HttpResponse dashboard_page(const ConsoleTools& tools, ConsolePage& p) {
  const auto catalog = published_catalog(p);
  const auto f = read_filter(p);
  json v = area_values(tools, p, catalog, f, "dashboard.title", "/office/dashboard");
  if (!f.error.empty()) return tools.render(p, "dashboard", v, 400);
  const json counts = counts_values(p, server::capture_counts(p.store, catalog, f.filter));
  v["total"] = counts["total"];
  v["source"] = "/office/dashboard.json" + (f.query.empty() ? "" : "?" + f.query);
  v["refresh"] = kRefreshSeconds;
  json sections = json::array();
  for (const auto& s : kSections)
    sections.push_back({{"id", s.id}, {"title", p.tr.get(s.title_key)}, {"chart", s.chart}, {"rows", counts[s.id]},
                        {"chart_label", p.tr.format("dashboard.chart_label", {{"what", p.tr.get(s.title_key)}})}});
  v["sections"] = sections;
  if (!f.filter.consultation.empty()) v["results_href"] = "/office/results?" + f.query;
  json exports = json::array();
  if (server::allows(p.session->user.role, server::Permission::export_captures)) {
    for (const auto& [format, table, key] : {std::tuple{"csv", "opinions", "export.csv_opinions"}, {"csv", "ideas", "export.csv_ideas"},
                                             {"csv", "signins", "export.csv_signins"}, {"xlsx", "", "export.xlsx"},
                                             {"jsonl", "", "export.jsonl"}, {"decidim", "", "export.decidim"}}) {
      std::string href = std::string("/office/export?format=") + format + (*table ? std::string("&table=") + table : "");
      if (!f.query.empty()) href += "&" + f.query;
      exports.push_back({{"href", href}, {"label", p.tr.get(key)}});
    }
    v["exports"] = {{"links", exports}};
    if (server::allows(p.session->user.role, server::Permission::open_contacts))
      v["exports"]["contacts_href"] = "/office/export?format=jsonl&contacts=open" + (f.query.empty() ? "" : "&" + f.query);
  }
  return tools.render(p, "dashboard", v);
}

// The numbers dashboard.js draws and refreshes: counts only (no capture, no text, no contact).
HttpResponse dashboard_json(const ConsoleTools& tools, ConsolePage& p) {
  const auto catalog = published_catalog(p);
  const auto f = read_filter(p);
  HttpResponse r;
  r.headers["Cache-Control"] = "no-store";
  r.headers["X-Content-Type-Options"] = "nosniff";
  if (!f.error.empty()) {
    r.status = 400;
    r.body = json{{"error", f.error}}.dump(-1, ' ', false, json::error_handler_t::replace);
    return r;
  }
  json counts = counts_values(p, server::capture_counts(p.store, catalog, f.filter));
  counts["updated"] = p.tr.format("dashboard.updated", {{"time", tools.town_time().format(p.now.utc_ms, true)}});
  r.body = counts.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

// --- results -------------------------------------------------------------------------------

std::string percent(std::int64_t n, std::int64_t of) {
  if (of <= 0) return "–";
  const auto tenths = (n * 1000 + of / 2) / of;
  return std::to_string(tenths / 10) + "," + std::to_string(tenths % 10) + " %";
}

std::string decimal(double value) {
  const auto hundredths = static_cast<std::int64_t>(value * 100 + 0.5);
  const auto cents = hundredths % 100;
  return std::to_string(hundredths / 100) + "," + (cents < 10 ? "0" : "") + std::to_string(cents);
}

HttpResponse results_page(const ConsoleTools& tools, ConsolePage& p) {
  const auto catalog = published_catalog(p);
  const auto f = read_filter(p);
  json v = area_values(tools, p, catalog, f, "results.title", "/office/dashboard");
  v["dashboard_href"] = "/office/dashboard" + (f.query.empty() ? "" : "?" + f.query);
  if (!f.error.empty()) return tools.render(p, "results", v, 400);
  if (f.filter.consultation.empty() || !catalog.latest(f.filter.consultation)) {
    v["error"] = p.tr.get("results.choose");
    return tools.render(p, "results", v, f.filter.consultation.empty() ? 200 : 404);
  }
  const auto results = server::question_results(p.store, catalog, f.filter);
  v["consultation"] = results.title;
  v["opinions"] = p.tr.format("results.opinions", {{"n", std::to_string(results.opinions)}});
  json questions = json::array();
  int index = 0;
  for (const auto& q : results.questions) {
    json item{{"anchor", "q" + std::to_string(++index)}, {"label", q.label},
              {"answered", p.tr.format("results.answered", {{"n", std::to_string(q.answered)}})}};
    if (!q.choices.empty()) {
      json rows = json::array();
      for (const auto& c : q.choices) rows.push_back({{"label", c.label.empty() ? c.key : c.label}, {"n", c.n}, {"share", percent(c.n, q.answered)}});
      item["choices"] = {{"rows", rows}};
    }
    if (q.mean) item["mean"] = p.tr.format("results.mean", {{"mean", decimal(*q.mean)}});
    if (q.type == core::QuestionType::short_text)
      item["texts"] = {{"count", p.tr.format("results.texts", {{"n", std::to_string(q.texts)}})},
                       {"href", "/office/answers?question=" + query_escape(q.id) + "&" + f.query}};
    questions.push_back(std::move(item));
  }
  v["questions"] = questions;
  return tools.render(p, "results", v);
}

// --- answers -------------------------------------------------------------------------------

HttpResponse answers_page(const ConsoleTools& tools, ConsolePage& p) {
  const auto catalog = published_catalog(p);
  const auto f = read_filter(p);
  json v = area_values(tools, p, catalog, f, "answers.title", "/office/dashboard");
  if (!f.error.empty()) return tools.render(p, "answers", v, 400);
  auto arg = [&](const char* name) {
    auto it = p.request.query.find(name);
    return it == p.request.query.end() ? std::string() : it->second.substr(0, 200);
  };
  const std::string question_id = arg("question"), search = arg("search");
  const core::Consultation* consultation = f.filter.consultation.empty() ? nullptr : catalog.latest(f.filter.consultation);
  const core::Question* question = consultation ? consultation->find_question(question_id) : nullptr;
  if (!question || question->type != core::QuestionType::short_text)
    return tools.message(p, 404, "error.not_found.title", "answers.unknown");
  std::int64_t page = 1;
  try {
    page = std::max<std::int64_t>(1, std::stoll(arg("page").empty() ? "1" : arg("page")));
  } catch (const std::exception&) {
  }
  const auto found = server::text_answers_page(p.store, catalog, f.filter, question_id, search, page, kAnswersPerPage);
  v["consultation"] = consultation->title.in("fr");
  v["question"] = question->label.in("fr");
  v["question_id"] = question_id;
  v["search"] = search;
  v["results_href"] = "/office/results?" + f.query;
  v["hidden"] = json::array();
  for (const auto& [name, value] : f.values) v["hidden"].push_back({{"name", name}, {"value", value}});
  v["found"] = p.tr.format(search.empty() ? "answers.count" : "answers.found",
                           {{"n", std::to_string(found.total)}, {"search", search}});
  json rows = json::array();
  for (const auto& a : found.answers)
    rows.push_back({{"day", a.day.size() == 10 ? a.day.substr(8, 2) + "/" + a.day.substr(5, 2) + "/" + a.day.substr(0, 4) : a.day},
                    {"channel", a.channel},
                    {"quartier", a.neighbourhood.empty() ? p.tr.get("dashboard.not_said") : a.neighbourhood},
                    {"text", a.text}});
  if (!rows.empty()) v["answers"] = {{"rows", rows}};
  const std::string here = "/office/answers?question=" + query_escape(question_id) + "&search=" + query_escape(search) + "&" + f.query;
  if (found.pages > 1) {
    json pager{{"label", p.tr.format("answers.page", {{"page", std::to_string(found.page)}, {"pages", std::to_string(found.pages)}})}};
    if (found.page > 1) pager["previous"] = here + "&page=" + std::to_string(found.page - 1);
    if (found.page < found.pages) pager["next"] = here + "&page=" + std::to_string(found.page + 1);
    v["pager"] = pager;
  }
  return tools.render(p, "answers", v);
}

// --- exports -------------------------------------------------------------------------------

// The export runs on its own connection, held by the response's producer until the last part:
// the download starts at once and memory stays flat (office/exports.hpp).
struct StreamedExport {
  std::unique_ptr<server::StorePool::Lease> lease;
  std::unique_ptr<server::Export> exported;
};

HttpResponse export_download(const ConsoleTools& tools, ConsolePage& p) {
  auto arg = [&](const char* name) {
    auto it = p.request.query.find(name);
    return it == p.request.query.end() ? std::string() : it->second;
  };
  const auto f = read_filter(p);
  if (!f.error.empty()) {
    json v = tools.base(p, "export.title", "/office/dashboard");
    v["message"] = f.error;
    return tools.render(p, "message", v, 400);
  }
  server::ExportOptions options;
  const auto format = server::export_format_named(arg("format").empty() ? "csv" : arg("format"));
  const auto table = server::export_table_named(arg("table").empty() ? "opinions" : arg("table"));
  if (!format || !table) return tools.message(p, 400, "export.title", "export.error.format");
  options.format = *format;
  options.table = *table;
  options.filter = f.filter;
  options.ids = arg("ids") == "1";
  options.personal_data = false;
  std::string contacts = "none";
  if (arg("contacts") == "open") {
    // Opening sealed contacts: an admin's act, audited as such.
    if (!server::allows(p.session->user.role, server::Permission::open_contacts)) {
      server::audit(p.store, tools.actor(p), "access.refused", "GET /office/export contacts=open", "", p.now);
      return tools.message(p, 403, "error.forbidden.title", "error.forbidden");
    }
    options.personal_data = true;
    options.open_contacts_with = server::office_secret_keys(p.store, p.now);
    contacts = "opened";
  }
  auto streamed = std::make_shared<StreamedExport>();
  streamed->lease = std::make_unique<server::StorePool::Lease>(tools.pool());
  streamed->exported = std::make_unique<server::Export>(**streamed->lease, options);
  server::audit(p.store, tools.actor(p), contacts == "opened" ? "contacts.open" : "export", server::to_string(options.format),
                server::export_audit_detail(options) + " contacts=" + contacts, p.now);
  HttpResponse r;
  r.content_type = streamed->exported->content_type();
  r.headers["Content-Disposition"] = "attachment; filename=\"" + streamed->exported->file_name() + "\"";
  r.headers["Cache-Control"] = "no-store";
  r.headers["X-Content-Type-Options"] = "nosniff";
  r.stream = [streamed](std::string& out, std::size_t hint) {
    try {
      return streamed->exported->next(out, hint);
    } catch (...) {
      streamed->lease->failed();
      throw;
    }
  };
  return r;
}

}  // namespace

// --- routes --------------------------------------------------------------------------------

const std::vector<AreaRoute>& dashboard_routes() {
  using server::Permission;
  static const std::vector<AreaRoute> kRoutes = {
      {"GET", "/office/dashboard", Permission::view_dashboard, false, &dashboard_page},
      {"GET", "/office/dashboard.json", Permission::view_dashboard, false, &dashboard_json},
      {"GET", "/office/results", Permission::view_dashboard, false, &results_page},
      {"GET", "/office/answers", Permission::view_dashboard, false, &answers_page},
      {"GET", "/office/export", Permission::export_captures, false, &export_download},
  };
  return kRoutes;
}

}  // namespace allervers::web
