// Captures: export, list-refused, import-bundle.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "allervers/server/admin.hpp"
#include "allervers/server/pass_keys.hpp"
#include "commands.hpp"

namespace allervers::server::cli {

void add_export(CLI::App& app, Context& context) {
  struct Options {
    std::string format = "jsonl", output;
    bool no_personal = false, open_contacts = false;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("export", "write every capture received");
  cmd->add_option("--format", o->format, "jsonl or csv")->check(CLI::IsMember({"jsonl", "csv"}));
  cmd->add_option("--output,-o", o->output, "file to write (default: standard output)");
  cmd->add_flag("--no-personal-data", o->no_personal, "leave out sealed contact details");
  cmd->add_flag("--open-contacts", o->open_contacts,
                "open sealed contact details with the office key held by the server (office use only)");
  on_run(cmd, context, [o](Context& ctx) {
    auto store = ctx.open();
    ExportOptions options{o->format == "csv" ? ExportFormat::csv : ExportFormat::jsonl, !o->no_personal,
                          o->open_contacts && !o->no_personal ? office_secret_key(*store, ctx.clock.now()) : ""};
    std::int64_t n = 0;
    if (o->output.empty()) {
      n = export_captures(*store, std::cout, options);
      std::cout.flush();
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
  auto* cmd = app.add_subcommand("import-bundle", "ingest a bundle handed over on a USB stick (allervers-device export-bundle)");
  cmd->add_option("FILE", *bundle, "the bundle file")->required();
  on_run(cmd, context, [bundle](Context& ctx) {
    auto store = ctx.open();
    std::ifstream in(*bundle, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + *bundle);
    const auto report = import_bundle(*store, in, ctx.clock.now());
    std::printf("bundle from device %s: %lld records, %lld accepted, %lld already held, %lld rejected\n", report.device.c_str(),
                static_cast<long long>(report.records), static_cast<long long>(report.accepted),
                static_cast<long long>(report.duplicates), static_cast<long long>(report.rejected));
    for (const auto& p : report.problems) std::printf("  rejected %s\n", p.c_str());
    return 0;
  });
}

}  // namespace allervers::server::cli
