// Passes, keys and assemblies: revoke-pass, list-revocations, passes, check-code, attendance,
// office-token, keys.
#include <cstdio>
#include <iostream>

#include "allervers/server/accounts.hpp"
#include "allervers/server/admin.hpp"
#include "allervers/server/pass_keys.hpp"
#include "commands.hpp"

namespace allervers::server::cli {

void add_revoke_pass(CLI::App& app, Context& context) {
  struct Options {
    std::string pass, reason;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("revoke-pass", "refuse a resident's pass (lost, misused) on every device once it has synced");
  cmd->add_option("PASS", o->pass, "the pass id (10 characters), its fallback code (ABCD-EFGH-JKC) or the whole AV1-… code")
      ->required();
  cmd->add_option("--reason", o->reason, "why, for the office's records (e.g. \"lost\")");
  on_run(cmd, context, [o](Context& ctx) {
    const auto id = read_pass_reference(o->pass);
    if (!id) {
      std::fprintf(stderr, "\"%s\" is not a pass id, a fallback code (check its spelling) or a pass code\n", o->pass.c_str());
      return 2;
    }
    auto store = ctx.open();
    if (store->revoke_pass(id->str(), o->reason, ctx.clock.now().utc_ms))
      std::printf("revoked pass %s: devices refuse it once they have synced\n", id->str().c_str());
    else
      std::printf("pass %s was already revoked: nothing changed\n", id->str().c_str());
    return 0;
  });
}

void add_list_revocations(CLI::App& app, Context& context) {
  auto* cmd = app.add_subcommand("list-revocations", "revoked passes and device certificates, one JSON object a line");
  on_run(cmd, context, [](Context& ctx) {
    auto store = ctx.open();
    const auto n = export_revocations(*store, std::cout);
    std::cout.flush();
    std::fprintf(stderr, "%lld revocation(s)\n", static_cast<long long>(n));
    return 0;
  });
}

void add_print_passes(CLI::App& app, Context& context) {
  struct Options {
    int count = 0;
    std::string out, town;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("passes", "print passes signed by the town key on A4 sheets (8 a page), for invitation letters");
  cmd->add_option("--count", o->count, "how many passes")->required();
  cmd->add_option("--out", o->out, "the PDF file to write")->required();
  cmd->add_option("--town", o->town, "the town's name, printed under the heading (e.g. \"Ville de Montreuil\")");
  on_run(cmd, context, [o](Context& ctx) {
    auto store = ctx.open();
    const auto ids = print_town_passes(*store, o->count, o->out, o->town, ctx.clock.now());
    std::printf("printed %zu passes on %zu page(s) into %s; their ids are recorded for checking typed codes\n", ids.size(),
                (ids.size() + 7) / 8, o->out.c_str());
    return 0;
  });
}

void add_check_code(CLI::App& app, Context& context) {
  auto ref = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("check-code", "what the server knows of a pass: printed here, revoked, signed in");
  cmd->add_option("PASS", *ref, "the pass id, its fallback code or the whole AV1-… code")->required();
  on_run(cmd, context, [ref](Context& ctx) {
    const auto id = read_pass_reference(*ref);
    if (!id) {
      std::printf("\"%s\" is not a pass: a typing mistake (the check character does not match) or not one of our codes\n",
                  ref->c_str());
      return 1;
    }
    auto store = ctx.open();
    const auto printed = store->printed_pass(id->str());
    bool revoked = false;
    for (const auto& r : store->revoked_passes()) revoked = revoked || r.pass == id->str();
    std::printf("pass %s: %s%s\n", id->str().c_str(),
                printed ? ("printed by the town on " + core::format_instant({*printed, 0})).c_str()
                        : "not printed by this server (issued by a device, or invented)",
                revoked ? "; REVOKED" : "");
    return printed && !revoked ? 0 : 1;
  });
}

void add_attendance(CLI::App& app, Context& context) {
  struct Options {
    std::string assembly, format = "table";
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("attendance", "people per assembly (a pass scanned on several devices counts once), scans, devices");
  cmd->add_option("--assembly", o->assembly, "only this assembly (its id in the catalog)");
  cmd->add_option("--format", o->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  on_run(cmd, context, [o](Context& ctx) {
    auto store = ctx.open();
    const auto rows = store->attendance(o->assembly.empty() ? std::nullopt : std::optional(o->assembly));
    const auto docs = store->catalogs();
    const core::Catalog catalog = docs.empty() ? core::Catalog{} : merge_catalogs(docs).catalog;
    std::fputs((o->format == "json" ? attendance_json(rows, catalog, ctx.clock.now()) + "\n" : format_attendance(rows, catalog))
                   .c_str(),
               stdout);
    return 0;
  });
}

void add_office_token(CLI::App& app, Context& context) {
  auto name = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("office-token", "make a token for the office's dashboard (GET /api/v1/assemblies/attendance)");
  cmd->add_option("--name", *name, "who or what uses it, e.g. \"Tableau de bord\"")->required();
  on_run(cmd, context, [name](Context& ctx) {
    auto store = ctx.open();
    const auto token = create_office_token(*store, *name, ctx.clock.now());
    std::printf("Office token for \"%s\" (shown once; the server keeps only its hash):\n%s\n", name->c_str(), token.c_str());
    return 0;
  });
}

void add_keys(CLI::App& app, Context& context) {
  auto office_secret = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("keys", "the town's public keys: pass signing key (AVK1-…) and office key for sealed contacts");
  cmd->add_flag("--office-secret", *office_secret, "also print the office's secret key (base64), to open sealed contacts");
  on_run(cmd, context, [office_secret](Context& ctx) {
    auto store = ctx.open();
    const auto now = ctx.clock.now();
    std::printf("town_key %s\noffice_public_key %s\n", town_key(*store, now).public_key().str().c_str(),
                office_public_key(*store, now).c_str());
    if (*office_secret) std::printf("office_secret_key %s\n", office_secret_key(*store, now).c_str());
    for (const auto& key : retired_town_keys(*store)) std::printf("retired_town_key %s\n", key.c_str());
    const auto office_retired = office_secret_keys(*store, now).size() - 1;
    if (office_retired > 0) std::printf("retired_office_keys %zu\n", office_retired);
    return 0;
  });
}

void add_rotate_key(CLI::App& app, Context& context) {
  auto which = std::make_shared<std::string>();
  auto drop = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand(
      "rotate-key",
      "replace the town's pass key or the office's key by a new one; the old one stays honoured until --drop-retired "
      "(docs/security.md, \"Rotating keys\")");
  cmd->add_option("KEY", *which, "town (signs passes and device certificates) or office (opens sealed contacts and bundles)")
      ->required()
      ->check(CLI::IsMember({"town", "office"}));
  cmd->add_flag("--drop-retired", *drop,
                "instead, end the overlap: forget the keys retired earlier (old passes, or contacts sealed for an old "
                "office key, stop being honoured)");
  on_run(cmd, context, [which, drop](Context& ctx) {
    auto store = ctx.open();
    const auto now = ctx.clock.now();
    const bool town = *which == "town";
    if (*drop) {
      const int dropped = drop_retired_keys(*store, town ? KeyKind::town : KeyKind::office);
      audit(*store, {"cli", "local"}, "keys.drop_retired", *which, std::to_string(dropped) + " dropped", now);
      std::printf("%d retired %s key(s) forgotten.\n", dropped, which->c_str());
      return 0;
    }
    const std::string made = town ? rotate_town_key(*store, now) : rotate_office_key(*store, now);
    audit(*store, {"cli", "local"}, "keys.rotate", *which, "new public key " + made, now);
    if (town)
      std::printf(
          "New town key %s.\nDevices receive it at their next sync and get a certificate of it; passes printed and "
          "issued before keep verifying while the old key is retired but honoured.\nPrint new passes with `passes`; end "
          "the overlap later with `rotate-key town --drop-retired`.\n",
          made.c_str());
    else
      std::printf(
          "New office key (public %s).\nDevices seal new contacts for it from their next sync; contacts and bundles "
          "sealed for the old key keep opening.\nEnd the overlap with `rotate-key office --drop-retired` once every "
          "device has synced.\n",
          made.c_str());
    return 0;
  });
}

void add_secrets_key(CLI::App& app, Context& context) {
  auto file = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("secrets-key", "make the key the server's secrets are kept under (then start with --secrets-key-file)");
  auto* make = cmd->add_subcommand("new", "write a new key to FILE (0600; refuses to overwrite one)");
  make->add_option("FILE", *file, "where to keep it: outside the database and its backups")->required();
  cmd->require_subcommand(1);
  on_run(make, context, [file](Context&) {
    (void)crypto::AtRestKey::create_file(*file);
    std::printf("wrote a new secrets key to %s: start the server with --secrets-key-file %s (or as the systemd credential "
                "allervers-secrets-key); the secrets still in clear are encrypted at the first start. Keep a copy apart "
                "from the database backups: without it the town key and the office key cannot be read.\n",
                file->c_str(), file->c_str());
    return 0;
  });
}

std::unique_ptr<ServerStore> Context::open() const {
  if (!key_read_) {
    if (!secrets_key_file.empty())
      secrets_key_ = std::make_shared<const crypto::AtRestKey>(crypto::AtRestKey::read_file(secrets_key_file));
    key_read_ = true;
  }
  return open_store(database, secrets_key_);
}

}  // namespace allervers::server::cli
