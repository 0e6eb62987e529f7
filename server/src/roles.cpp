// What each role reaches: the one table.
#include "allervers/server/roles.hpp"


#include "allervers/core/names.hpp"

namespace allervers::server {
namespace {

constexpr auto N = Reach::none;
constexpr auto A = Reach::all;

struct Row {
  Permission permission;
  Reach viewer, coordinator, admin;
  Reach valuator = Reach::none;  // a town service: only the ideas assigned to it
};

// One row a permission, one column a role (in the order of `Role`).
constexpr Row kTable[] = {
    {Permission::view_dashboard, A, A, A, A},  // a valuator too: its home page and logout
    {Permission::follow_attendance, A, A, A},
    {Permission::read_captures, N, A, A},
    {Permission::manage_assemblies, N, A, A},
    {Permission::export_captures, N, A, A},
    {Permission::open_contacts, N, N, A},
    {Permission::manage_devices, N, N, A},
    {Permission::manage_users, N, N, A},
    {Permission::manage_tokens, N, N, A},
    {Permission::read_audit, N, N, A},
    {Permission::review_ideas, N, A, A, Reach::assigned},
    {Permission::manage_population, N, A, A},
    {Permission::manage_votes, N, A, A},
    {Permission::manage_consultations, N, A, A},
    {Permission::tell_residents, N, A, A},
};

constexpr core::EnumName<Role> kRoleNames[] = {
    {Role::viewer, "viewer"},
    {Role::coordinator, "coordinator"},
    {Role::admin, "admin"},
    {Role::valuator, "valuator"},
};

}  // namespace

Reach reach(Role role, Permission permission) {
  for (const auto& row : kTable) {
    if (row.permission != permission) continue;
    switch (role) {
      case Role::viewer: return row.viewer;
      case Role::coordinator: return row.coordinator;
      case Role::admin: return row.admin;
      case Role::valuator: return row.valuator;
    }
  }
  return Reach::none;  // a permission missing from the table is refused
}

const char* to_string(Role role) { return core::name_of(kRoleNames, role); }

std::optional<Role> role_named(std::string_view name) { return core::value_named(kRoleNames, name); }

}  // namespace allervers::server
