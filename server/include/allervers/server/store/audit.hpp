#pragma once
// The audit log: every change made from the console or the commands, every export and every
// opening of personal data — who, when, what, from where. Rows are only ever added.
// Table: audit_log.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "allervers/server/store/area.hpp"

namespace allervers::server {

struct AuditEntry {
  std::int64_t id = 0;
  std::int64_t at_ms = 0;
  std::string actor;   // the account's name, "cli" for a command, "token:NAME" for a machine client
  std::string action;  // a stable word: "user.add", "device.revoke", "login.failed" …
  std::string target;  // what it was done to (a name, an id), may be ""
  std::string detail;  // more, in a sentence or key=value pairs, may be ""
  std::string client;  // the client's address, "local" for a command
};

struct AuditFilter {
  std::optional<std::string> actor, action;  // exact actor; action or its prefix ("user." …)
  std::optional<std::int64_t> since_ms, until_ms;
};

class AuditStore : public virtual StoreArea {
 public:
  void audit(const AuditEntry& entry);  // `id` is assigned
  // Newest first, at most `limit`.
  std::vector<AuditEntry> audit_entries(const AuditFilter& filter, std::int64_t limit);
  // Every matching entry, oldest first, one at a time (the CSV export).
  void for_each_audit_entry(const AuditFilter& filter, const std::function<void(const AuditEntry&)>& visit);
};

}  // namespace allervers::server
