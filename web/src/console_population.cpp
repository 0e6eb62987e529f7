// "Who we reach" in the console: participation weighed against the town's population per
// quartier and age bracket (office/population.hpp), under the office's filter, naming the groups
// under-represented; and the population CSV uploaded by a coordinator or an admin — refused
// whole, with every problem named by line and column in French, or imported whole and audited.
//
// Sections: the page · the upload · routes.
#include "allervers/server/office/population.hpp"
#include "allervers/web/forms.hpp"
#include "console_page.hpp"

namespace allervers::web {

using nlohmann::json;
using server::HttpResponse;

namespace {

// The population CSV is a few hundred lines (quartiers × age brackets).
const FormLimits kPopulationForm{.max_fields = 5, .max_name_bytes = 20, .max_value_bytes = 200, .max_files = 1, .max_file_bytes = 200 * 1024};

std::string share(double fraction) {
  const auto tenths = static_cast<std::int64_t>(fraction * 1000 + 0.5);
  return std::to_string(tenths / 10) + "," + std::to_string(tenths % 10) + " %";
}

std::string index_text(const std::optional<double>& index) {
  if (!index) return "–";
  const auto hundredths = static_cast<std::int64_t>(*index * 100 + 0.5);
  return std::to_string(hundredths / 100) + "," + (hundredths % 100 < 10 ? "0" : "") + std::to_string(hundredths % 100);
}

// --- the page ------------------------------------------------------------------------------

json groups(ConsolePage& p, const std::vector<server::GroupParticipation>& list) {
  json rows = json::array();
  for (const auto& g : list)
    rows.push_back({{"label", g.label},
                    {"population", g.population},
                    {"population_share", share(g.population_share)},
                    {"participants", g.participants},
                    {"participant_share", share(g.participant_share)},
                    {"index", index_text(g.index)},
                    {"under", g.under_represented ? p.tr.get("population.under") : ""}});
  return rows;
}

json population_values(const ConsoleTools& tools, ConsolePage& p) {
  const auto catalog = published_catalog(p);
  const auto f = read_filter(p);
  json v = tools.base(p, "population.title", "/office/population");
  v["filter"] = filter_form(p, catalog, f);
  if (!f.error.empty()) {
    v["error"] = f.error;
    return v;
  }
  if (server::allows(p.session->user.role, server::Permission::manage_population)) v["upload"] = true;
  const auto imported = p.store.population_import();
  if (!imported) return v;
  v["imported"] = p.tr.format("population.imported", {{"when", tools.town_time().format(imported->imported_ms)},
                                                      {"source", imported->source},
                                                      {"people", std::to_string(imported->people)}});
  const auto participation = server::participation(p.store, catalog, f.filter);
  v["tables"] = json::array();
  for (const auto& [key, list] : {std::pair{"population.by_neighbourhood", &participation.by_neighbourhood},
                                  {"population.by_age", &participation.by_age_bracket},
                                  {"population.by_both", &participation.by_both}})
    if (!list->empty()) v["tables"].push_back({{"id", std::string(key).substr(11)}, {"title", p.tr.get(key)}, {"rows", groups(p, *list)}});
  if (!participation.enough) {
    v["verdict"] = p.tr.format("population.not_enough", {{"n", std::to_string(server::kMinParticipants)}});
  } else if (participation.under_represented.empty()) {
    v["verdict"] = p.tr.get("population.none_under");
  } else {
    std::string names;
    for (const auto& g : participation.under_represented) names += (names.empty() ? "" : " ; ") + g.label;
    v["under"] = p.tr.format("population.under_list", {{"groups", names}});
  }
  v["not_placed"] = p.tr.format("population.not_placed", {{"n", std::to_string(participation.not_placed)}});
  return v;
}

HttpResponse population_page(const ConsoleTools& tools, ConsolePage& p) {
  const json v = population_values(tools, p);
  return tools.render(p, "population", v, v.contains("error") ? 400 : 200);
}

// --- the upload ----------------------------------------------------------------------------

HttpResponse population_import(const ConsoleTools& tools, ConsolePage& p) {
  Form form;
  try {
    form = parse_form(p.request, kPopulationForm);
  } catch (const FormError&) {
    json v = population_values(tools, p);
    v["error"] = p.tr.get("population.error.file");
    return tools.render(p, "population", v, 400);
  }
  const UploadedFile* file = nullptr;
  for (const auto& f : form.files())
    if (f.field == "file" && !f.data.empty()) file = &f;
  if (!file) {
    json v = population_values(tools, p);
    v["error"] = p.tr.get("population.error.no_file");
    return tools.render(p, "population", v, 400);
  }
  const auto catalog = published_catalog(p);
  const auto parsed = server::parse_population_csv(file->data, catalog.town);
  if (!parsed.ok()) {
    json v = population_values(tools, p);
    v["error"] = p.tr.get("population.error.refused");
    json problems = json::array();
    for (const auto& problem : parsed.problems) problems.push_back(problem.french);
    if (problems.empty()) problems.push_back(p.tr.get("population.error.empty"));
    v["problems"] = {{"items", problems}};
    return tools.render(p, "population", v, 400);
  }
  const std::string source = file->filename.substr(0, 120);
  p.store.replace_population(parsed.cells, {p.now.utc_ms, source, static_cast<std::int64_t>(parsed.cells.size()), parsed.people});
  server::audit(p.store, tools.actor(p), "population.import", source,
                "groups=" + std::to_string(parsed.cells.size()) + " people=" + std::to_string(parsed.people), p.now);
  json v = population_values(tools, p);
  v["notice"] = p.tr.format("population.done", {{"people", std::to_string(parsed.people)}});
  return tools.render(p, "population", v);
}

}  // namespace

// --- routes --------------------------------------------------------------------------------

const std::vector<AreaRoute>& population_routes() {
  using server::Permission;
  static const std::vector<AreaRoute> kRoutes = {
      {"GET", "/office/population", Permission::view_dashboard, false, &population_page},
      {"POST", "/office/population/import", Permission::manage_population, true, &population_import},
  };
  return kRoutes;
}

}  // namespace allervers::web
