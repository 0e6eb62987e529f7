// enrol, sync, export-bundle: the device's side of the sync protocol (sync/), from a shell.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include "allervers/storage/device_store.hpp"
#include "allervers/sync/client.hpp"
#include "commands.hpp"

namespace allervers::device {
namespace {

using storage::DeviceStore;

struct EnrolOptions {
  std::string url;   // the server, or the whole "allervers-enrol:URL#CODE" link read from the QR code
  std::string code;
  std::string ca_file;
  bool insecure_http = false;
};

int run_enrol(const GlobalOptions& global, const EnrolOptions& options) {
  std::string url = options.url, code = options.code;
  if (code.empty()) {
    const auto link = sync::protocol::parse_enrol_link(url);
    if (!link) {
      std::cerr << "error: give the server's address and the code (enrol URL CODE), or the scanned link\n";
      return kExitFailed;
    }
    std::tie(url, code) = *link;
  }
  DeviceStore store = DeviceStore::open(global.data_dir);
  if (!options.ca_file.empty()) store.set_setting(core::settings::ca_file, options.ca_file);
  const core::SystemClock clock;
  sync::SyncOptions sync_options;
  sync_options.allow_insecure_http = options.insecure_http;
  sync::SyncClient client(store, clock, sync_options);
  try {
    const auto response = client.enrol(url, code);
    std::cout << "Enrolled as \"" << response.name << "\" (device " << response.device.str() << ") with " << url << "\n";
    if (store.sync_state().insecure_http)
      std::cout << "INSECURE: plain http:// to another machine, as asked (--insecure-http): the token crosses the network in clear\n";
    if (!response.device_certificate.empty())
      std::cout << "This device can verify residents' passes and issue new ones offline (town key " << response.town_key.substr(0, 13)
                << "…)\n";
    else if (!response.town_key.empty())
      std::cout << "This device can verify residents' passes; it will ask for a certificate to issue passes at its next sync\n";
    return kExitOk;
  } catch (const sync::SyncError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return e.failure() == sync::SyncFailure::refused ? kExitRefused : kExitFailed;
  }
}

struct SyncCommandOptions {
  std::string ca_file;
  bool quiet = false;
};

int run_sync(const GlobalOptions& global, const SyncCommandOptions& options) {
  DeviceStore store = DeviceStore::open(global.data_dir);
  const core::SystemClock clock;
  sync::SyncOptions sync_options;
  sync_options.ca_file = options.ca_file;
  if (!options.quiet)
    sync_options.progress = [](const sync::SyncProgress& p) {
      std::cout << "sent " << p.sent << " (accepted " << p.accepted << ", already held " << p.duplicates << ", refused "
                << p.rejected << "), " << p.pending << " to go\n"
                << std::flush;
    };
  sync::SyncClient client(store, clock, sync_options);
  const auto report = client.sync();
  std::cout << (report.ok() ? "Sync done: " : "Sync stopped: ") << report.accepted << " accepted, " << report.duplicates
            << " already held, " << report.rejected << " refused in " << report.batches << " batch(es); "
            << report.pending_left << " waiting" << (report.catalog_updated ? "; catalog updated" : "")
            << (report.passes_updated ? "; pass keys updated" : "") << (report.certificate_renewed ? "; new device certificate" : "");
  if (report.clock_offset_ms) std::cout << "; clock offset " << *report.clock_offset_ms << " ms";
  if (report.media_fetched || report.media_refused || report.media_missing)
    std::cout << "; media: " << report.media_fetched << " fetched, " << report.media_refused << " refused, " << report.media_missing
              << " missing";
  std::cout << " (" << report.bytes_sent << " bytes sent, " << report.bytes_received << " received)\n";
  // A refused media file is never shown; the screens draw their words without it.
  for (const auto& problem : report.media_problems) std::cerr << "refused " << problem << "\n";
  if (!report.ok()) {
    std::cerr << "error: " << report.error << "\n";
    return kExitFailed;
  }
  if (report.rejected > 0) {
    std::cerr << report.rejected << " capture(s) refused by the server: see `list --rejected` for the reasons\n";
    return kExitRefused;
  }
  return kExitOk;
}

int run_export_bundle(const GlobalOptions& global, const std::filesystem::path& file) {
  DeviceStore store = DeviceStore::open(global.data_dir);
  const core::SystemClock clock;
  // Written beside, flushed to disk, then renamed: a stick pulled out mid-way leaves no half bundle.
  const auto tmp = file.string() + ".part";
  std::int64_t n = 0;
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + tmp);
    n = sync::export_bundle(store, out, clock.now());
  }
  if (const int fd = ::open(tmp.c_str(), O_RDONLY); fd >= 0) {
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced) throw std::runtime_error("cannot flush " + tmp + " to disk");
  }
  std::filesystem::rename(tmp, file);
  std::cout << "Wrote " << n << " waiting capture(s) to " << file.string()
            << ": import it with `allervers-server import-bundle`; they stay waiting here until the next sync confirms them\n";
  return kExitOk;
}

}  // namespace

void add_sync_commands(CLI::App& app, GlobalOptions& global, CommandRunner& run) {
  auto enrol_options = std::make_shared<EnrolOptions>();
  auto* enrol = app.add_subcommand("enrol", "Enrol this device with the town's server, with a one-time code from the coordinator");
  enrol->add_option("URL", enrol_options->url, "The server's address, or the scanned allervers-enrol: link")->required();
  enrol->add_option("CODE", enrol_options->code, "The enrolment code (allervers-server enrol-code)");
  enrol->add_option("--ca-file", enrol_options->ca_file, "The town's own CA certificate (PEM), kept for later syncs");
  enrol->add_flag("--insecure-http", enrol_options->insecure_http,
                  "Accept a plain http:// server on another machine (the token then crosses the network in clear; status says so)");
  enrol->callback([&global, &run, enrol_options] { run = [&global, enrol_options] { return run_enrol(global, *enrol_options); }; });

  auto sync_options = std::make_shared<SyncCommandOptions>();
  auto* sync_cmd = app.add_subcommand("sync", "One sync pass: catalog if changed, then every waiting capture");
  sync_cmd->add_option("--ca-file", sync_options->ca_file, "The town's own CA certificate (PEM), for this pass");
  sync_cmd->add_flag("--quiet", sync_options->quiet, "Only the summary");
  sync_cmd->callback([&global, &run, sync_options] { run = [&global, sync_options] { return run_sync(global, *sync_options); }; });

  auto file = std::make_shared<std::filesystem::path>();
  auto* bundle = app.add_subcommand("export-bundle", "Write the waiting captures to a file for the office (no network)");
  bundle->add_option("FILE", *file, "The bundle file to write")->required();
  bundle->callback([&global, &run, file] { run = [&global, file] { return run_export_bundle(global, *file); }; });
}

}  // namespace allervers::device
