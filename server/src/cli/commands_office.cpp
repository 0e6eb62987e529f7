// The office's numbers: the filter options every such command shares, dashboard, population.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "allervers/core/uuid.hpp"
#include "allervers/server/admin.hpp"
#include "allervers/platform/install_paths.hpp"
#include "allervers/server/accounts.hpp"
#include "allervers/server/office/dashboard.hpp"
#include "allervers/server/office/idea_letter.hpp"
#include "allervers/server/office/population.hpp"
#include "commands.hpp"

namespace allervers::server::cli {

using nlohmann::json;

void add_filter_options(CLI::App* cmd, FilterOptions& o) {
  cmd->add_option("--consultation", o.consultation, "only this consultation (its id)");
  cmd->add_option("--from", o.from, "from this day of the town's calendar (YYYY-MM-DD)");
  cmd->add_option("--to", o.to, "up to this day, included (YYYY-MM-DD)");
  cmd->add_option("--quartier", o.quartier, "only captures from this quartier (its id)");
  cmd->add_option("--channel", o.channel, "only this channel (door_to_door, market, kiosk, assembly, school, other)");
  cmd->add_option("--device", o.device, "only this device (its id or its name)");
}

CaptureFilter read_filter(const FilterOptions& o, ServerStore& store) {
  std::string device = o.device;
  if (!device.empty() && !core::Uuid::parse(device)) {  // a name: the device that bears it
    std::string found;
    for (const auto& d : store.list_devices())
      if (d.name == device) {
        if (!found.empty()) throw FilterError("device", "ambiguous_device", "two devices are named \"" + device + "\": give its id");
        found = d.id;
      }
    if (found.empty()) throw FilterError("device", "unknown_device", "no device is named \"" + device + "\" (allervers-server list-devices)");
    device = found;
  }
  return parse_filter({{"consultation", o.consultation}, {"from", o.from}, {"to", o.to}, {"quartier", o.quartier},
                       {"channel", o.channel}, {"device", device}});
}

std::map<std::string, std::string> read_pairs(const std::vector<std::string>& pairs, const std::string& option) {
  std::map<std::string, std::string> out;
  for (const auto& p : pairs) {
    const auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == p.size())
      throw std::invalid_argument(option + " " + p + ": expected KEY=VALUE");
    out[p.substr(0, eq)] = p.substr(eq + 1);
  }
  return out;
}

void add_dashboard(CLI::App& app, Context& context) {
  struct Options {
    FilterOptions filter;
    std::string question, search;
    std::int64_t page = 1;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("dashboard", "the office's numbers as JSON: captures by consultation, kind, quartier, day, channel and "
                                              "device; with --consultation, results per question");
  add_filter_options(cmd, o->filter);
  cmd->add_option("--question", o->question, "with --consultation: the free-text answers to this question, a page at a time");
  cmd->add_option("--search", o->search, "with --question: only answers holding every word (case and accents ignored)");
  cmd->add_option("--page", o->page, "with --question: the page (50 answers a page)");
  on_run(cmd, context, [o](Context& ctx) {
    auto store = ctx.open();
    const CaptureFilter filter = read_filter(o->filter, *store);
    const core::Catalog catalog = merge_catalogs(store->catalogs()).catalog;
    json out{{"counts", json::parse(to_json(capture_counts(*store, catalog, filter)))}};
    if (!filter.consultation.empty()) out["results"] = json::parse(to_json(question_results(*store, catalog, filter)));
    if (!o->question.empty()) {
      if (filter.consultation.empty()) throw std::invalid_argument("--question needs --consultation");
      out["texts"] = json::parse(to_json(text_answers_page(*store, catalog, filter, o->question, o->search, o->page)));
    }
    std::cout << out.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
    return 0;
  });
}

namespace {

std::string percent(double share) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%5.1f %%", share * 100);
  return buf;
}

std::string group_line(const GroupParticipation& g) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "  %-40s %10lld  %s  %12lld  %s  %s%s\n", g.label.substr(0, 40).c_str(),
                static_cast<long long>(g.population), percent(g.population_share).c_str(), static_cast<long long>(g.participants),
                percent(g.participant_share).c_str(), g.index ? std::to_string(*g.index).substr(0, 4).c_str() : "  — ",
                g.under_represented ? "  under-represented" : "");
  return buf;
}

}  // namespace

void add_population(CLI::App& app, Context& context) {
  auto* cmd = app.add_subcommand("population", "the town's population by quartier and age bracket, and whom the captures reach");
  cmd->require_subcommand(1);

  auto file = std::make_shared<std::string>();
  auto* import = cmd->add_subcommand("import", "replace the population table with a CSV file (quartier;tranche_age;habitants)");
  import->add_option("FILE", *file, "the CSV file (docs/server.md, \"Population\")")->required();
  on_run(import, context, [file](Context& ctx) {
    auto store = ctx.open();
    const core::Catalog catalog = merge_catalogs(store->catalogs()).catalog;
    const auto parsed = parse_population_csv(read_text(*file), catalog.town);
    if (!parsed.ok()) {
      for (const auto& p : parsed.problems) std::fprintf(stderr, "%s: %s [%s]\n", file->c_str(), p.english.c_str(), p.code.c_str());
      std::fprintf(stderr, "nothing imported: the population table is unchanged\n");
      return 1;
    }
    const auto slash = file->find_last_of('/');
    const std::string name = slash == std::string::npos ? *file : file->substr(slash + 1);
    store->replace_population(parsed.cells, {ctx.clock.now().utc_ms, name, static_cast<std::int64_t>(parsed.cells.size()), parsed.people});
    std::printf("imported %zu groups, %lld residents, from %s\n", parsed.cells.size(), static_cast<long long>(parsed.people), name.c_str());
    return 0;
  });

  struct ShowOptions {
    FilterOptions filter;
    std::string format = "table";
  };
  auto o = std::make_shared<ShowOptions>();
  auto* show = cmd->add_subcommand("show", "the population beside the participants, and the groups under-represented");
  add_filter_options(show, o->filter);
  show->add_option("--format", o->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  on_run(show, context, [o](Context& ctx) {
    auto store = ctx.open();
    const CaptureFilter filter = read_filter(o->filter, *store);
    const core::Catalog catalog = merge_catalogs(store->catalogs()).catalog;
    const auto imported = store->population_import();
    if (!imported) {
      std::fprintf(stderr, "no population imported yet: allervers-server population import FILE\n");
      return 1;
    }
    const Participation p = participation(*store, catalog, filter);
    if (o->format == "json") {
      std::cout << to_json(p) << '\n';
      return 0;
    }
    std::printf("Population: %lld residents, imported %s from %s (%lld groups)\n", static_cast<long long>(p.population),
                core::format_instant({imported->imported_ms, 0}).substr(0, 10).c_str(), imported->source.c_str(),
                static_cast<long long>(imported->lines));
    std::printf("Participants placed by quartier %lld, by age bracket %lld, by both %lld; not placed by both %lld\n",
                static_cast<long long>(p.placed_by_neighbourhood), static_cast<long long>(p.placed_by_age),
                static_cast<long long>(p.placed_by_both), static_cast<long long>(p.not_placed));
    for (const auto& [title, groups] : {std::pair{"By quartier", &p.by_neighbourhood}, std::pair{"By age bracket", &p.by_age_bracket}}) {
      std::printf("\n%s\n", title);
      std::printf("  %-40s %10s  %7s  %12s  %7s  %s\n", "", "residents", "share", "participants", "share", "index");
      for (const auto& g : *groups) std::fputs(group_line(g).c_str(), stdout);
    }
    std::printf("\nUnder-represented (share of participants below %.0f %% of the share of residents, at least %.0f expected, %lld placed):\n",
                kUnderRepresentedIndex * 100, kMinExpected, static_cast<long long>(kMinParticipants));
    if (!p.enough) std::printf("  too few participants to judge\n");
    else if (p.under_represented.empty()) std::printf("  none\n");
    for (const auto& g : p.under_represented)
      std::printf("  %s: %.1f %% of participants for %.1f %% of residents (index %.2f)\n", g.label.c_str(), g.participant_share * 100,
                  g.population_share * 100, *g.index);
    return 0;
  });
}

void add_idea_letter(CLI::App& app, Context& context) {
  struct Options {
    std::string quartier, consultation, out, language = "fr", web_assets;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("idea-letter", "a printable PDF letter for one quartier: its ideas and what became of them (state, the "
                                                "town's public answer, cost, milestones)");
  cmd->add_option("--quartier", o->quartier, "the quartier (its id in the town's catalog)")->required();
  cmd->add_option("--consultation", o->consultation, "only the ideas of this consultation (its id; default: every one)");
  cmd->add_option("--out", o->out, "the PDF file to write")->required();
  cmd->add_option("--language", o->language, "the letter's language")->check(CLI::IsMember({"fr", "en"}));
  cmd->add_option("--web-assets", o->web_assets, "the texts (i18n/); default: web/ in the shipped data, as serve");
  on_run(cmd, context, [o](Context& ctx) {
    const std::filesystem::path web = o->web_assets.empty() ? platform::assets_dir() / "web" : std::filesystem::path(o->web_assets);
    const auto fr = core::parse_translations(read_text((web / "i18n" / "fr.json").string()), "i18n/fr.json");
    const core::Translations tr(o->language, core::parse_translations(read_text((web / "i18n" / (o->language + ".json")).string()), o->language), fr);
    auto store = ctx.open();
    const core::Catalog catalog = merge_catalogs(store->catalogs()).catalog;
    const auto now = ctx.clock.now();
    try {
      const Letter letter = quartier_letter(*store, catalog, tr, {o->quartier, o->consultation}, now);
      std::ofstream out(o->out, std::ios::binary | std::ios::trunc);
      out.write(letter.pdf.data(), static_cast<std::streamsize>(letter.pdf.size()));
      out.close();
      if (!out) {
        std::fprintf(stderr, "%s: cannot be written\n", o->out.c_str());
        return 1;
      }
      audit(*store, {"cli", "local"}, "letter.print", o->quartier,
            "ideas=" + std::to_string(letter.ideas) + " pages=" + std::to_string(letter.pages) +
                (o->consultation.empty() ? "" : " consultation=" + o->consultation),
            now);
      std::printf("%s: %lld ideas on %lld pages\n", o->out.c_str(), static_cast<long long>(letter.ideas), static_cast<long long>(letter.pages));
      return 0;
    } catch (const LetterError& e) {
      std::fprintf(stderr, "--%s: %s\n", e.field().c_str(), e.what());
      return 1;
    }
  });
}

}  // namespace allervers::server::cli
