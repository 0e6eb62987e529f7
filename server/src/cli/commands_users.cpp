// The office console's accounts from the command line: add-user (prints a one-time link to set
// the password), list-users, disable-user. Each change goes to the audit log as "cli".
#include <cstdio>
#include <cstdlib>

#include "allervers/core/time.hpp"
#include "allervers/server/accounts.hpp"
#include "commands.hpp"

namespace allervers::server::cli {
namespace {

const Actor kCommand{"cli", "local"};

// Where the console is reached from a browser: the link printed starts with it.
std::string default_base_url() {
  const char* env = std::getenv("ALLERVERS_PUBLIC_URL");
  return env && *env ? env : "http://127.0.0.1:8080";
}

std::string role_list() { return "admin, coordinator, viewer or valuator"; }

}  // namespace

void add_user_commands(CLI::App& app, Context& context) {
  struct AddOptions {
    std::string name, role, base_url = default_base_url();
  };
  auto add = std::make_shared<AddOptions>();
  auto* cmd = app.add_subcommand("add-user", "add an account to the office console; prints a one-time link to set its password");
  cmd->add_option("--name", add->name, "the person's name, as shown in the console and the audit log")->required();
  cmd->add_option("--role", add->role, "admin, coordinator, viewer or valuator (docs/security.md)")->required();
  cmd->add_option("--base-url", add->base_url, "where browsers reach the server (env ALLERVERS_PUBLIC_URL)");
  on_run(cmd, context, [add](Context& ctx) {
    const auto role = role_named(add->role);
    if (!role) throw std::runtime_error("--role \"" + add->role + "\": expected " + role_list());
    auto store = ctx.open();
    const auto link = add_user(*store, add->name, *role, kCommand, ctx.clock.now());
    std::printf("Account \"%s\" (%s) added. Send this link to the person; it sets the password once and expires on %s:\n%s\n",
                add->name.c_str(), to_string(*role), core::format_instant({link.expires.utc_ms, 0}).c_str(),
                password_link_url(add->base_url, link.token).c_str());
    return 0;
  });

  auto reset_name = std::make_shared<std::string>();
  auto reset_url = std::make_shared<std::string>(default_base_url());
  auto* reset = app.add_subcommand("password-link", "a new one-time link to set an account's password (a forgotten password)");
  reset->add_option("--name", *reset_name, "the account's name")->required();
  reset->add_option("--base-url", *reset_url, "where browsers reach the server (env ALLERVERS_PUBLIC_URL)");
  on_run(reset, context, [reset_name, reset_url](Context& ctx) {
    auto store = ctx.open();
    const auto link = new_password_link(*store, *reset_name, kCommand, ctx.clock.now());
    std::printf("%s\n", password_link_url(*reset_url, link.token).c_str());
    return 0;
  });

  auto* list = app.add_subcommand("list-users", "the console's accounts: name, role, state");
  on_run(list, context, [](Context& ctx) {
    auto store = ctx.open();
    for (const auto& u : store->users())
      std::printf("%-30s %-12s %s\n", u.name.c_str(), to_string(u.role),
                  u.disabled_ms ? "disabled" : u.password_hash.empty() ? "password not set yet" : "active");
    return 0;
  });

  auto disable_name = std::make_shared<std::string>();
  auto* disable = app.add_subcommand("disable-user", "disable an account: its sessions and links end at once");
  disable->add_option("--name", *disable_name, "the account's name")->required();
  on_run(disable, context, [disable_name](Context& ctx) {
    auto store = ctx.open();
    disable_user(*store, *disable_name, kCommand, ctx.clock.now());
    std::printf("Account \"%s\" disabled.\n", disable_name->c_str());
    return 0;
  });
}

}  // namespace allervers::server::cli
