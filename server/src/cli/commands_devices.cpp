// The catalog and the devices: publish-catalog, enrol-code, revoke-device, list-devices.
#include <cstdio>

#include "allervers/platform/qr.hpp"
#include "allervers/server/admin.hpp"
#include "allervers/sync/protocol.hpp"
#include "allervers/sync/tuning.hpp"
#include "commands.hpp"

namespace allervers::server::cli {

void add_publish_catalog(CLI::App& app, Context& context) {
  auto file = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("publish-catalog", "publish a catalog (consultations, assemblies) to devices");
  cmd->add_option("FILE", *file, "catalog JSON")->required();
  on_run(cmd, context, [file](Context& ctx) {
    auto store = ctx.open();
    // Pictograms named in the catalog are files beside it.
    const bool changed = publish_catalog(*store, read_text(*file), ctx.clock.now(), catalog_dir(*file));
    std::printf(changed ? "published %s\n" : "%s is already the published catalog: nothing changed\n", file->c_str());
    return 0;
  });
}

void add_enrol_code(CLI::App& app, Context& context) {
  struct Options {
    std::string name, url = "http://127.0.0.1:8080", replace;
    double hours = std::chrono::duration<double, std::ratio<3600>>(sync::tuning::enrol_code_lifetime).count();
    bool no_qr = false;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("enrol-code", "make a one-time code that enrols one new device (or, with --replace, re-enrols one)");
  cmd->add_option("--name", o->name, "the device's name, e.g. \"Tablette 3\"")->required();
  cmd->add_option("--url", o->url, "the server's address as devices reach it (goes into the QR code)");
  cmd->add_option("--hours", o->hours, "how long the code stays valid (above 0, at most 744)");
  cmd->add_option("--replace", o->replace,
                  "the id (or unique name) of an enrolled device this code re-enrols (a reset tablet): its old token stops working");
  cmd->add_flag("--no-qr", o->no_qr, "do not draw the QR code");
  on_run(cmd, context, [o](Context& ctx) {
    std::int64_t lifetime_ms = 0;
    try {
      lifetime_ms = enrol_code_lifetime_ms(o->hours);
    } catch (const std::invalid_argument& e) {
      std::fprintf(stderr, "allervers-server enrol-code: %s\n", e.what());
      return 2;
    }
    auto store = ctx.open();
    std::optional<std::string> for_device;
    if (!o->replace.empty()) {
      const auto found = store->find_device(o->replace);
      if (!found.device) {
        std::fprintf(stderr, "allervers-server enrol-code: %s\n", found.ambiguous.empty()
                                                                      ? ("no device with id or name \"" + o->replace + "\" (see list-devices)").c_str()
                                                                      : ("several devices are named \"" + o->replace + "\": give its id").c_str());
        return 2;
      }
      for_device = found.device->id;
    }
    const auto code = create_enrol_code(*store, o->name, ctx.clock.now(), lifetime_ms, for_device);
    std::printf("Enrolment code for \"%s\": %s\nValid until %s, once%s.\n", o->name.c_str(), code.code.c_str(),
                core::format_instant(code.expires).c_str(), for_device ? (", to re-enrol device " + *for_device + " only").c_str() : ", for a new device");
    std::printf("On the device: allervers-device enrol %s %s\n", o->url.c_str(), code.code.c_str());
    if (!o->no_qr) std::printf("Or scan:\n%s", platform::render_qr_text(platform::encode_qr(sync::protocol::enrol_link(o->url, code.code), platform::QrErrorCorrection::low)).c_str());
    return 0;
  });
}

void add_revoke_device(CLI::App& app, Context& context) {
  auto which = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("revoke-device", "refuse a lost or retired device from now on (and tell it to wipe its secrets)");
  cmd->add_option("DEVICE", *which, "the device's id, or its name when no other device has it")->required();
  on_run(cmd, context, [which](Context& ctx) {
    auto store = ctx.open();
    const auto result = store->revoke_device(*which, ctx.clock.now().utc_ms);
    switch (result.outcome) {
      case RevokeOutcome::not_found:
        std::fprintf(stderr, "no device with id or name \"%s\" (see list-devices)\n", which->c_str());
        return 2;
      case RevokeOutcome::ambiguous:
        std::fprintf(stderr, "%zu devices are named \"%s\": nothing was revoked; give the id of the one to revoke:\n",
                     result.candidates.size(), which->c_str());
        for (const auto& d : result.candidates) std::fprintf(stderr, "  %s%s\n", d.id.c_str(), d.revoked ? " (already revoked)" : "");
        return 2;
      case RevokeOutcome::revoked: break;
    }
    std::printf("revoked %s (%s): its token is refused from now on, it is told to wipe its secrets when it next calls, and "
                "the passes it issued are refused once devices have synced\n",
                which->c_str(), result.device.c_str());
    return 0;
  });
}

void add_list_devices(CLI::App& app, Context& context) {
  auto format = std::make_shared<std::string>("table");
  auto* cmd = app.add_subcommand("list-devices", "devices with last seen, last batch, records held and gaps");
  cmd->add_option("--format", *format, "table or json")->check(CLI::IsMember({"table", "json"}));
  on_run(cmd, context, [format](Context& ctx) {
    auto store = ctx.open();
    const auto devices = store->list_devices();
    std::fputs((*format == "json" ? devices_json(devices) + "\n" : format_devices(devices, ctx.clock.now())).c_str(), stdout);
    return 0;
  });
}

}  // namespace allervers::server::cli
