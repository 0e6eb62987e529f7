// Captures: export, list-refused, import-bundle.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "allervers/server/accounts.hpp"
#include "allervers/server/admin.hpp"
#include "allervers/server/pass_keys.hpp"
#include "commands.hpp"

namespace allervers::server::cli {

void add_export(CLI::App& app, Context& context) {
  struct Options {
    std::string format = "jsonl", table = "opinions", output, work_dir;
    bool no_personal = false, open_contacts = false, ids = false;
    FilterOptions filter;
    std::vector<std::string> scopes, categories;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("export", "write the captures received, all or those a filter keeps");
  cmd->add_option("--format", o->format, "jsonl (everything, as received), csv (French Excel), xlsx, or decidim (ideas as Decidim proposals)")
      ->check([](const std::string& v) { return export_format_named(v) ? std::string() : "unknown format: " + v; });
  cmd->add_option("--table", o->table, "csv: opinions (a column per question), ideas or signins")
      ->check([](const std::string& v) { return export_table_named(v) ? std::string() : "unknown table: " + v; });
  cmd->add_flag("--ids", o->ids, "csv, xlsx: ids instead of labels (headers and values)");
  add_filter_options(cmd, o->filter);
  cmd->add_option("--output,-o", o->output, "file to write (default: standard output)");
  cmd->add_flag("--no-personal-data", o->no_personal, "leave out sealed contact details");
  cmd->add_flag("--open-contacts", o->open_contacts,
                "open sealed contact details with the office key held by the server (office use only)");
  cmd->add_option("--decidim-scope", o->scopes, "decidim: QUARTIER=SCOPE_ID, the Decidim scope of a quartier (repeat)");
  cmd->add_option("--decidim-category", o->categories, "decidim: THEME=ID, the Decidim category or taxonomy of an idea theme (repeat)");
  cmd->add_option("--work-dir", o->work_dir, "xlsx: where the workbook is made before it is written out (default: the temporary folder)");
  on_run(cmd, context, [o](Context& ctx) {
    auto store = ctx.open();
    ExportOptions options;
    options.format = *export_format_named(o->format);  // both checked by their options
    options.table = *export_table_named(o->table);
    options.personal_data = !o->no_personal;
    if (o->open_contacts && !o->no_personal) options.open_contacts_with = office_secret_keys(*store, ctx.clock.now());
    options.ids = o->ids;
    options.filter = read_filter(o->filter, *store);
    options.decidim_scopes = read_pairs(o->scopes, "--decidim-scope");
    options.decidim_categories = read_pairs(o->categories, "--decidim-category");
    options.work_dir = o->work_dir;
    // Every export is audited, the console's and the command's alike (actor "cli").
    const std::string contacts = options.open_contacts_with.empty() ? (options.personal_data ? "sealed" : "none") : "opened";
    audit(*store, {"cli", "local"}, contacts == "opened" ? "contacts.open" : "export", to_string(options.format),
          export_audit_detail(options) + " contacts=" + contacts + (o->output.empty() ? "" : " output=" + o->output), ctx.clock.now());
    std::int64_t n = 0;
    if (o->output.empty()) {
      if (options.format == ExportFormat::xlsx && ::isatty(1))
        throw std::runtime_error("an XLSX workbook is not text: write it to a file with --output FILE");
      n = export_captures(*store, std::cout, options);
      std::cout.flush();
      if (!std::cout) throw std::runtime_error("writing to standard output failed");
    } else {
      std::ofstream out(o->output, std::ios::binary | std::ios::trunc);
      if (!out) throw std::runtime_error("cannot write " + o->output);
      n = export_captures(*store, out, options);
      out.close();
      if (!out) throw std::runtime_error("writing " + o->output + " failed (disk full?)");
    }
    std::fprintf(stderr, "exported %lld captures\n", static_cast<long long>(n));
    return 0;
  });
}

void add_list_refused(CLI::App& app, Context& context) {
  auto* cmd = app.add_subcommand(
      "list-refused", "records set aside for review: refused (with the reason) or sent under an id already held with other content");
  on_run(cmd, context, [](Context& ctx) {
    auto store = ctx.open();
    const auto n = export_refused(*store, std::cout);
    std::cout.flush();
    std::fprintf(stderr, "%lld record(s) set aside\n", static_cast<long long>(n));
    return 0;
  });
}

void add_import_bundle(CLI::App& app, Context& context) {
  auto bundle = std::make_shared<std::string>();
  auto trust = std::make_shared<BundleTrust>();
  auto* cmd = app.add_subcommand("import-bundle", "ingest a bundle handed over on a USB stick (allervers-device export-bundle)");
  cmd->add_option("FILE", *bundle, "the bundle file")->required();
  cmd->add_option("--accept-unsigned", trust->accept_unsigned_from,
                  "the id of a device whose unsigned bundle you accept (a revoked device that erased its keys; check where the "
                  "bundle comes from first)");
  on_run(cmd, context, [bundle, trust](Context& ctx) {
    auto store = ctx.open();
    std::ifstream in(*bundle, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + *bundle);
    ImportReport report;
    try {
      report = import_bundle(*store, in, ctx.clock.now(), *trust);
    } catch (const BundleRefused& e) {
      std::fprintf(stderr, "allervers-server: bundle refused (%s): %s; nothing was imported\n", e.reason().c_str(), e.what());
      return 1;
    }
    std::printf("bundle from device %s: %lld records, %lld accepted, %lld already held, %lld rejected\n", report.device.c_str(),
                static_cast<long long>(report.records), static_cast<long long>(report.accepted),
                static_cast<long long>(report.duplicates), static_cast<long long>(report.rejected));
    for (const auto& p : report.problems) std::printf("  rejected %s\n", p.c_str());
    return 0;
  });
}

}  // namespace allervers::server::cli
