#pragma once
// Who may do what in the office console: a role per account, and one table of what each role
// reaches. A check names a Permission, never a role ("may this account manage devices?"), so
// adding a role is one enum value and one column of the table.
//
// Reach says how far a permission goes: `all`, `none`, or `assigned` — only the objects
// assigned to the account (issue 12's valuator reviews only the ideas assigned to it: it gets
// review_ideas at `assigned`, and the idea pages check the assignment for that reach).
#include <optional>
#include <string>
#include <string_view>

namespace allervers::server {

enum class Role { viewer, coordinator, admin, valuator };

enum class Permission {
  view_dashboard,       // counts, charts, results; no personal data
  follow_attendance,    // live attendance at assemblies (people counted, no one named)
  read_captures,        // what residents wrote (free text may name people)
  manage_assemblies,    // create and publish assemblies, print passes
  export_captures,      // exports without contact details
  open_contacts,        // opening sealed contact details
  manage_devices,       // enrol, revoke
  manage_users,         // accounts, password links
  manage_tokens,        // machine clients' scoped tokens
  read_audit,           // the audit log and its export
  review_ideas,         // ideas: their review, public answers, merges (a valuator: those assigned to it)
  manage_population,    // the population table "who we reach" weighs participation against
  manage_votes,         // participatory-budget votes: drafts, opening, closing, publishing results
  manage_consultations,  // the consultation editor: a new catalog version, its export and import
  tell_residents,        // the letters per quartier and the outbox of mails about ideas (no address shown)
};

enum class Reach { none, assigned, all };

Reach reach(Role role, Permission permission);
inline bool allows(Role role, Permission permission) { return reach(role, permission) != Reach::none; }

const char* to_string(Role role);                      // "viewer", "coordinator", "admin", "valuator"
std::optional<Role> role_named(std::string_view name);  // the inverse; nothing for an unknown name

}  // namespace allervers::server
