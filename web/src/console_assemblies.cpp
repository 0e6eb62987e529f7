// The console's assemblies: the list with live attendance (people, not scans: attendance.hpp),
// an assembly created and published into the catalog (devices get it at their next sync), and
// town passes printed as a PDF (the server's pass printing, admin.hpp). assemblies.js polls
// assemblies.json, which holds counts only.
//
// Sections: helpers · the page · create and publish · attendance.json · passes · routes.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "allervers/core/text.hpp"
#include "allervers/server/admin.hpp"
#include "allervers/server/api.hpp"
#include "allervers/server/capture_filter.hpp"
#include "allervers/sync/tuning.hpp"
#include "catalog_reasons.hpp"
#include "console_page.hpp"
#include "allervers/web/forms.hpp"

namespace allervers::web {

using nlohmann::json;
using server::HttpResponse;

namespace {

// How often assemblies.js asks for attendance again.
constexpr int kAttendanceRefreshSeconds = 3;

// --- helpers -------------------------------------------------------------------------------

// "2026-12-03T18:30" → "03/12/2026 18:30"; what is not such a date, as written.
std::string assembly_when(const std::string& date) {
  if (date.size() != 16 || date[10] != 'T') return date;
  return date.substr(8, 2) + "/" + date.substr(5, 2) + "/" + date.substr(0, 4) + " " + date.substr(11, 5);
}

bool is_assembly_date(const std::string& date) {
  if (date.size() != 16 || date[10] != 'T' || date[13] != ':' || !server::day_from_text(date.substr(0, 10))) return false;
  for (const std::size_t i : {11u, 12u, 14u, 15u})
    if (date[i] < '0' || date[i] > '9') return false;
  return std::stoi(date.substr(11, 2)) < 24 && std::stoi(date.substr(14, 2)) < 60;
}

// An id from the name and the day: "Conseil de quartier Gare", 2026-12-03 →
// "conseil-de-quartier-gare-2026-12-03" (ids: a-z 0-9 - _, at most 64).
std::string assembly_id(const std::string& name, const std::string& date, const core::Catalog& catalog) {
  std::string slug;
  for (const char ch : core::fold_for_search(name)) {
    const bool keep = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
    if (keep) slug += ch;
    else if (!slug.empty() && slug.back() != '-') slug += '-';
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  slug = slug.substr(0, 40);
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  const std::string base = (slug.empty() ? "assemblee" : slug) + "-" + date.substr(0, 10);
  std::string id = base;
  for (int n = 2; catalog.find_assembly(id); ++n) id = base + "-" + std::to_string(n);
  return id;
}

// --- the page ------------------------------------------------------------------------------

json assemblies_values(const ConsoleTools& tools, ConsolePage& p, const core::Catalog& catalog) {
  json v = tools.base(p, "assemblies.title", "/office/assemblies");
  std::map<std::string, server::AttendanceRow> attendance;
  for (auto& row : p.store.attendance(std::nullopt)) attendance[row.assembly] = row;
  json rows = json::array();
  for (const auto& a : catalog.assemblies) {
    const auto* quartier = catalog.town.find_neighbourhood(a.neighbourhood);
    const auto& seen = attendance[a.id];
    rows.push_back({{"id", a.id},
                    {"name", a.name.in("fr")},
                    {"when", assembly_when(a.date)},
                    {"place", a.place},
                    {"quartier", quartier ? quartier->label.in("fr") : p.tr.get("dashboard.not_said")},
                    {"people", seen.people},
                    {"with_pass", seen.with_pass},
                    {"scans", seen.scans}});
  }
  if (!rows.empty()) v["assemblies"] = {{"rows", rows}};
  v["source"] = "/office/assemblies.json";
  v["refresh"] = kAttendanceRefreshSeconds;
  const auto role = p.session->user.role;
  if (server::allows(role, server::Permission::manage_assemblies)) {
    json quartiers = json::array();
    quartiers.push_back({{"value", ""}, {"label", p.tr.get("assemblies.whole_town")}});
    for (const auto& q : catalog.town.neighbourhoods)
      if (!q.outside) quartiers.push_back({{"value", q.id}, {"label", q.label.in("fr")}});
    v["create"] = {{"quartiers", quartiers}};
    if (server::can_print_passes()) v["passes"] = {{"max", sync::tuning::max_printed_passes}};
  }
  return v;
}

HttpResponse assemblies_page(const ConsoleTools& tools, ConsolePage& p) {
  const auto catalog = server::merge_catalogs(p.store.catalogs()).catalog;
  return tools.render(p, "assemblies", assemblies_values(tools, p, catalog));
}

// --- create and publish --------------------------------------------------------------------

HttpResponse assemblies_error(const ConsoleTools& tools, ConsolePage& p, const core::Catalog& catalog, const std::string& error,
                              const Form& form) {
  json v = assemblies_values(tools, p, catalog);
  v["error"] = error;
  v["typed"] = {{"name", form.get("name")}, {"date", form.get("date")}, {"place", form.get("place")}};
  return tools.render(p, "assemblies", v, 400);
}

HttpResponse assemblies_create(const ConsoleTools& tools, ConsolePage& p) {
  const Form form = parse_form(p.request);
  auto catalog = server::merge_catalogs(p.store.catalogs()).catalog;
  const std::string name = form.get("name"), date = form.get("date"), place = form.get("place"), quartier = form.get("quartier");
  auto line_ok = [](const std::string& text, std::size_t max) {
    return !core::is_blank(text) && !core::find_text_problem(text, core::Lines::single) && core::code_point_count(text) <= max;
  };
  if (!line_ok(name, 120)) return assemblies_error(tools, p, catalog, p.tr.get("assemblies.error.name"), form);
  if (!is_assembly_date(date)) return assemblies_error(tools, p, catalog, p.tr.get("assemblies.error.date"), form);
  if (!line_ok(place, 200)) return assemblies_error(tools, p, catalog, p.tr.get("assemblies.error.place"), form);
  const auto* q = quartier.empty() ? nullptr : catalog.town.find_neighbourhood(quartier);
  if (!quartier.empty() && (!q || q->outside)) return assemblies_error(tools, p, catalog, p.tr.get("assemblies.error.quartier"), form);

  core::Assembly assembly{assembly_id(name, date, catalog), core::LocalizedText(name), date, place, quartier};
  catalog.assemblies.push_back(assembly);
  auto tx = p.store.transaction();
  try {
    server::publish_catalog(p.store, core::catalog_to_json(catalog), p.now);
  } catch (const core::CatalogError& e) {
    return assemblies_error(tools, p, catalog, p.tr.format("assemblies.error.catalog", {{"why", catalog_reason(p.tr, e)}}), form);
  }
  server::audit(p.store, tools.actor(p), "assembly.publish", assembly.id,
                "date=" + date + " quartier=" + quartier + " place=" + place, p.now);
  tx.commit();
  catalog.assemblies.pop_back();
  json v = assemblies_values(tools, p, server::merge_catalogs(p.store.catalogs()).catalog);
  v["notice"] = p.tr.format("assemblies.published", {{"name", name}});
  return tools.render(p, "assemblies", v);
}

// --- attendance.json -----------------------------------------------------------------------

// People at each assembly, counted across devices: numbers only, never who.
HttpResponse assemblies_json(const ConsoleTools& tools, ConsolePage& p) {
  json rows = json::object();
  for (const auto& a : p.store.attendance(std::nullopt))
    rows[a.assembly] = {{"people", a.people}, {"with_pass", a.with_pass}, {"scans", a.scans}};
  HttpResponse r;
  r.headers["Cache-Control"] = "no-store";
  r.headers["X-Content-Type-Options"] = "nosniff";
  r.body = json{{"attendance", rows}, {"updated", p.tr.format("dashboard.updated", {{"time", tools.town_time().format(p.now.utc_ms, true)}})}}
               .dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

// --- passes --------------------------------------------------------------------------------

HttpResponse assemblies_passes(const ConsoleTools& tools, ConsolePage& p) {
  const Form form = parse_form(p.request);
  const auto catalog = server::merge_catalogs(p.store.catalogs()).catalog;
  int count = 0;
  try {
    count = std::stoi(form.get("count"));
  } catch (const std::exception&) {
  }
  if (count < 1 || count > sync::tuning::max_printed_passes)
    return assemblies_error(tools, p, catalog,
                            p.tr.format("assemblies.error.count", {{"max", std::to_string(sync::tuning::max_printed_passes)}}), form);
  if (!server::can_print_passes()) return tools.message(p, 501, "assemblies.title", "assemblies.error.no_printing");
  // The PDF is made in a file (cairo writes files), read back, then removed.
  const auto pdf = std::filesystem::temp_directory_path() /
                   ("allervers-passes-" + std::to_string(p.now.utc_ms) + "-" + std::to_string(reinterpret_cast<std::uintptr_t>(&p)) + ".pdf");
  std::string body;
  try {
    const auto ids = server::print_town_passes(p.store, count, pdf, catalog.town.name, p.now);
    std::ifstream in(pdf, std::ios::binary);
    body.assign(std::istreambuf_iterator<char>(in), {});
    server::audit(p.store, tools.actor(p), "passes.print", std::to_string(ids.size()), "", p.now);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(pdf, ignored);
    throw;
  }
  std::error_code ignored;
  std::filesystem::remove(pdf, ignored);
  HttpResponse r;
  r.content_type = "application/pdf";
  r.headers["Content-Disposition"] = "attachment; filename=\"passes-" + std::to_string(count) + ".pdf\"";
  r.headers["Cache-Control"] = "no-store";
  r.headers["X-Content-Type-Options"] = "nosniff";
  r.body = std::move(body);
  return r;
}

}  // namespace

// --- routes --------------------------------------------------------------------------------

const std::vector<AreaRoute>& assemblies_routes() {
  using server::Permission;
  static const std::vector<AreaRoute> kRoutes = {
      {"GET", "/office/assemblies", Permission::follow_attendance, false, &assemblies_page},
      {"GET", "/office/assemblies.json", Permission::follow_attendance, false, &assemblies_json},
      {"POST", "/office/assemblies/create", Permission::manage_assemblies, true, &assemblies_create},
      {"POST", "/office/assemblies/passes", Permission::manage_assemblies, true, &assemblies_passes},
  };
  return kRoutes;
}

}  // namespace allervers::web
