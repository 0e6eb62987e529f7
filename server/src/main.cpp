// allervers-server: the central server and the coordinator's commands.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "allervers/core/consultation.hpp"
#include "allervers/server/admin.hpp"
#include "allervers/server/http.hpp"
#include "allervers/server/pass_keys.hpp"
#include "allervers/server/store.hpp"
#include "allervers/sync/protocol.hpp"
#include "allervers/sync/tuning.hpp"

namespace {

using namespace allervers;

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string default_database() {
  const char* env = std::getenv("ALLERVERS_DATABASE");
  return env && *env ? env : "sqlite:allervers-server.db";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Aller-vers central server: receives captures from tablets and kiosks, publishes consultations"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "allervers-server 0.1.0, protocol v1");
  std::string database = default_database();
  app.add_option("--database", database, "sqlite:PATH or postgresql://USER@HOST:PORT/DB (env ALLERVERS_DATABASE)");

  core::SystemClock clock;
  std::function<int()> run;

  // serve
  auto* serve = app.add_subcommand("serve", "serve the HTTP API");
  std::string listen = "127.0.0.1:8080", catalog_file, port_file;
  server::ListenOptions listen_options;
  bool quiet = false;
  serve->add_option("--listen", listen, "HOST:PORT to listen on (PORT 0: any free port)");
  serve->add_option("--catalog", catalog_file, "publish this catalog JSON at start when it differs (default: the demo one, when none is published)");
  serve->add_option("--port-file", port_file, "write the port listened on into this file once ready");
  serve->add_option("--threads", listen_options.threads, "requests served at once");
  serve->add_flag("--quiet", quiet, "do not log each request");
  serve->add_option("--tls-cert", listen_options.tls_cert, "serve HTTPS with this certificate chain (PEM)");
  serve->add_option("--tls-key", listen_options.tls_key, "the certificate's private key (PEM)");
  serve->callback([&] {
    run = [&]() -> int {
      const auto colon = listen.rfind(':');
      if (colon == std::string::npos) throw std::runtime_error("--listen wants HOST:PORT, e.g. 127.0.0.1:8080");
      listen_options.host = listen.substr(0, colon);
      listen_options.port = std::stoi(listen.substr(colon + 1));
      listen_options.log_requests = !quiet;
      auto store = server::open_store(database);
      if (!catalog_file.empty()) {
        if (server::publish_catalog(*store, read_text(catalog_file), clock.now()))
          std::fprintf(stderr, "allervers-server: published the catalog %s\n", catalog_file.c_str());
      } else if (store->latest_catalog_id() == 0) {
        server::publish_catalog(*store, read_text(std::string(ALLERVERS_ASSETS_DIR) + "/demo/catalog.json"), clock.now());
        std::fprintf(stderr, "allervers-server: no catalog was published: published the demo catalog\n");
      }
      const std::string backend = store->backend();
      store.reset();
      server::Api api([&] { return server::open_store(database); }, clock);
      return server::serve_http(api, listen_options, [&](int port) {
        if (!port_file.empty()) {
          const std::string tmp = port_file + ".tmp";
          std::ofstream(tmp) << port << "\n";
          std::rename(tmp.c_str(), port_file.c_str());
        }
        std::fprintf(stderr, "allervers-server: listening on %s://%s:%d (database: %s)\n",
                     listen_options.tls_cert.empty() ? "http" : "https", listen_options.host.c_str(), port, backend.c_str());
      });
    };
  });

  // publish-catalog
  auto* publish = app.add_subcommand("publish-catalog", "publish a catalog (consultations, assemblies) to devices");
  std::string publish_file;
  publish->add_option("FILE", publish_file, "catalog JSON")->required();
  publish->callback([&] {
    run = [&] {
      auto store = server::open_store(database);
      const bool changed = server::publish_catalog(*store, read_text(publish_file), clock.now());
      std::printf(changed ? "published %s\n" : "%s is already the published catalog: nothing changed\n", publish_file.c_str());
      return 0;
    };
  });

  // enrol-code
  auto* enrol = app.add_subcommand("enrol-code", "make a one-time code that enrols one device");
  std::string name, url = "http://127.0.0.1:8080";
  double hours = std::chrono::duration<double, std::ratio<3600>>(sync::tuning::enrol_code_lifetime).count();
  bool no_qr = false;
  enrol->add_option("--name", name, "the device's name, e.g. \"Tablette 3\"")->required();
  enrol->add_option("--url", url, "the server's address as devices reach it (goes into the QR code)");
  enrol->add_option("--hours", hours, "how long the code stays valid");
  enrol->add_flag("--no-qr", no_qr, "do not draw the QR code");
  enrol->callback([&] {
    run = [&] {
      auto store = server::open_store(database);
      const auto code = server::create_enrol_code(*store, name, clock.now(), static_cast<std::int64_t>(hours * 3600'000));
      std::printf("Enrolment code for \"%s\": %s\nValid until %s, once.\n", name.c_str(), code.code.c_str(),
                  core::format_instant(code.expires).c_str());
      std::printf("On the device: allervers-device enrol %s %s\n", url.c_str(), code.code.c_str());
      if (!no_qr) std::printf("Or scan:\n%s", server::terminal_qr(sync::protocol::enrol_link(url, code.code)).c_str());
      return 0;
    };
  });

  // revoke-device
  auto* revoke = app.add_subcommand("revoke-device", "refuse a lost or retired device from now on");
  std::string which;
  revoke->add_option("DEVICE", which, "the device's id or name")->required();
  revoke->callback([&] {
    run = [&] {
      auto store = server::open_store(database);
      if (!store->revoke_device(which, clock.now().utc_ms)) {
        std::fprintf(stderr, "no device with id or name \"%s\" (see list-devices)\n", which.c_str());
        return 2;
      }
      std::printf("revoked %s: its token is refused from now on, and the passes it issued once devices have synced\n",
                  which.c_str());
      return 0;
    };
  });

  // revoke-pass
  auto* revoke_pass = app.add_subcommand("revoke-pass", "refuse a resident's pass (lost, misused) on every device once it has synced");
  std::string pass_ref, revoke_reason;
  revoke_pass->add_option("PASS", pass_ref, "the pass id (10 characters), its fallback code (ABCD-EFGH-JKC) or the whole AV1-… code")
      ->required();
  revoke_pass->add_option("--reason", revoke_reason, "why, for the office's records (e.g. \"lost\")");
  revoke_pass->callback([&] {
    run = [&] {
      const auto id = server::read_pass_reference(pass_ref);
      if (!id) {
        std::fprintf(stderr, "\"%s\" is not a pass id, a fallback code (check its spelling) or a pass code\n", pass_ref.c_str());
        return 2;
      }
      auto store = server::open_store(database);
      if (store->revoke_pass(id->str(), revoke_reason, clock.now().utc_ms))
        std::printf("revoked pass %s: devices refuse it once they have synced\n", id->str().c_str());
      else
        std::printf("pass %s was already revoked: nothing changed\n", id->str().c_str());
      return 0;
    };
  });

  // list-revocations
  auto* revocations = app.add_subcommand("list-revocations", "revoked passes and device certificates, one JSON object a line");
  revocations->callback([&] {
    run = [&] {
      auto store = server::open_store(database);
      const auto n = server::export_revocations(*store, std::cout);
      std::cout.flush();
      std::fprintf(stderr, "%lld revocation(s)\n", static_cast<long long>(n));
      return 0;
    };
  });

  // passes
  auto* print = app.add_subcommand("passes", "print passes signed by the town key on A4 sheets (8 a page), for invitation letters");
  int print_count = 0;
  std::string print_out, print_town;
  print->add_option("--count", print_count, "how many passes")->required();
  print->add_option("--out", print_out, "the PDF file to write")->required();
  print->add_option("--town", print_town, "the town's name, printed under the heading (e.g. \"Ville de Montreuil\")");
  print->callback([&] {
    run = [&] {
      auto store = server::open_store(database);
      const auto ids = server::print_town_passes(*store, print_count, print_out, print_town, clock.now());
      std::printf("printed %zu passes on %zu page(s) into %s; their ids are recorded for checking typed codes\n", ids.size(),
                  (ids.size() + 7) / 8, print_out.c_str());
      return 0;
    };
  });

  // check-code
  auto* check_code = app.add_subcommand("check-code", "what the server knows of a pass: printed here, revoked, signed in");
  std::string check_ref;
  check_code->add_option("PASS", check_ref, "the pass id, its fallback code or the whole AV1-… code")->required();
  check_code->callback([&] {
    run = [&] {
      const auto id = server::read_pass_reference(check_ref);
      if (!id) {
        std::printf("\"%s\" is not a pass: a typing mistake (the check character does not match) or not one of our codes\n",
                    check_ref.c_str());
        return 1;
      }
      auto store = server::open_store(database);
      const auto printed = store->printed_pass(id->str());
      bool revoked = false;
      for (const auto& r : store->revoked_passes()) revoked = revoked || r.pass == id->str();
      std::printf("pass %s: %s%s\n", id->str().c_str(),
                  printed ? ("printed by the town on " + core::format_instant({*printed, 0})).c_str()
                          : "not printed by this server (issued by a device, or invented)",
                  revoked ? "; REVOKED" : "");
      return printed && !revoked ? 0 : 1;
    };
  });

  // attendance
  auto* attendance = app.add_subcommand("attendance", "people per assembly (a pass scanned on several devices counts once), scans, devices");
  std::string attendance_assembly, attendance_format = "table";
  attendance->add_option("--assembly", attendance_assembly, "only this assembly (its id in the catalog)");
  attendance->add_option("--format", attendance_format, "table or json")->check(CLI::IsMember({"table", "json"}));
  attendance->callback([&] {
    run = [&] {
      auto store = server::open_store(database);
      const auto rows = store->attendance(attendance_assembly.empty() ? std::nullopt : std::optional(attendance_assembly));
      const auto docs = store->catalogs();
      const core::Catalog catalog = docs.empty() ? core::Catalog{} : server::merge_catalogs(docs).catalog;
      std::fputs((attendance_format == "json" ? server::attendance_json(rows, catalog, clock.now()) + "\n"
                                              : server::format_attendance(rows, catalog)).c_str(),
                 stdout);
      return 0;
    };
  });

  // office-token
  auto* office = app.add_subcommand("office-token", "make a token for the office's dashboard (GET /api/v1/assemblies/attendance)");
  std::string office_name;
  office->add_option("--name", office_name, "who or what uses it, e.g. \"Tableau de bord\"")->required();
  office->callback([&] {
    run = [&] {
      auto store = server::open_store(database);
      const auto token = server::create_office_token(*store, office_name, clock.now());
      std::printf("Office token for \"%s\" (shown once; the server keeps only its hash):\n%s\n", office_name.c_str(), token.c_str());
      return 0;
    };
  });

  // keys
  auto* keys = app.add_subcommand("keys", "the town's public keys: pass signing key (AVK1-…) and office key for sealed contacts");
  bool office_secret = false;
  keys->add_flag("--office-secret", office_secret, "also print the office's secret key (base64), to open sealed contacts");
  keys->callback([&] {
    run = [&] {
      auto store = server::open_store(database);
      const auto now = clock.now();
      std::printf("town_key %s\noffice_public_key %s\n", server::town_key(*store, now).public_key().str().c_str(),
                  server::office_public_key(*store, now).c_str());
      if (office_secret) std::printf("office_secret_key %s\n", server::office_secret_key(*store, now).c_str());
      return 0;
    };
  });

  // list-devices
  auto* list = app.add_subcommand("list-devices", "devices with last seen, last batch, records held and gaps");
  std::string list_format = "table";
  list->add_option("--format", list_format, "table or json")->check(CLI::IsMember({"table", "json"}));
  list->callback([&] {
    run = [&] {
      auto store = server::open_store(database);
      const auto devices = store->list_devices();
      std::fputs((list_format == "json" ? server::devices_json(devices) + "\n" : server::format_devices(devices, clock.now())).c_str(), stdout);
      return 0;
    };
  });

  // export
  auto* exp = app.add_subcommand("export", "write every capture received");
  std::string export_format = "jsonl", output;
  bool no_personal = false;
  exp->add_option("--format", export_format, "jsonl or csv")->check(CLI::IsMember({"jsonl", "csv"}));
  exp->add_option("--output,-o", output, "file to write (default: standard output)");
  exp->add_flag("--no-personal-data", no_personal, "leave out sealed contact details");
  bool open_contacts = false;
  exp->add_flag("--open-contacts", open_contacts, "open sealed contact details with the office key held by the server (office use only)");
  exp->callback([&] {
    run = [&] {
      auto store = server::open_store(database);
      server::ExportOptions options{export_format == "csv" ? server::ExportFormat::csv : server::ExportFormat::jsonl, !no_personal,
                                    open_contacts && !no_personal ? server::office_secret_key(*store, clock.now()) : ""};
      std::int64_t n = 0;
      if (output.empty()) {
        n = server::export_captures(*store, std::cout, options);
        std::cout.flush();
      } else {
        std::ofstream out(output, std::ios::binary | std::ios::trunc);
        if (!out) throw std::runtime_error("cannot write " + output);
        n = server::export_captures(*store, out, options);
        out.close();
        if (!out) throw std::runtime_error("writing " + output + " failed (disk full?)");
      }
      std::fprintf(stderr, "exported %lld captures\n", static_cast<long long>(n));
      return 0;
    };
  });

  // list-refused
  auto* refused = app.add_subcommand("list-refused", "records set aside for review: refused (with the reason) or sent under an id already held with other content");
  refused->callback([&] {
    run = [&] {
      auto store = server::open_store(database);
      const auto n = server::export_refused(*store, std::cout);
      std::cout.flush();
      std::fprintf(stderr, "%lld record(s) set aside\n", static_cast<long long>(n));
      return 0;
    };
  });

  // import-bundle
  auto* imp = app.add_subcommand("import-bundle", "ingest a bundle handed over on a USB stick (allervers-device export-bundle)");
  std::string bundle;
  imp->add_option("FILE", bundle, "the bundle file")->required();
  imp->callback([&] {
    run = [&] {
      auto store = server::open_store(database);
      std::ifstream in(bundle, std::ios::binary);
      if (!in) throw std::runtime_error("cannot read " + bundle);
      const auto report = server::import_bundle(*store, in, clock.now());
      std::printf("bundle from device %s: %lld records, %lld accepted, %lld already held, %lld rejected\n", report.device.c_str(),
                  static_cast<long long>(report.records), static_cast<long long>(report.accepted),
                  static_cast<long long>(report.duplicates), static_cast<long long>(report.rejected));
      for (const auto& p : report.problems) std::printf("  rejected %s\n", p.c_str());
      return 0;
    };
  });

  try {
    app.parse(argc, argv);
    return run ? run() : 0;
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "allervers-server: %s\n", e.what());
    return 1;
  }
}
