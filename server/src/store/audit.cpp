// The audit log: rows added, never changed.
#include "allervers/server/store/audit.hpp"

namespace allervers::server {
namespace {

// The filter as SQL, parameters $1..$4 (NULL: no condition). An action ending with '.' is a
// prefix ("user." matches "user.add"), compared with substr: no LIKE, so no wildcard to escape.
constexpr const char* kWhere =
    " WHERE (CAST($1 AS TEXT) IS NULL OR actor = $1)"
    " AND (CAST($2 AS TEXT) IS NULL OR action = CAST($2 AS TEXT) OR (substr(CAST($2 AS TEXT), length(CAST($2 AS TEXT)), 1) = '.'"
    " AND substr(action, 1, length(CAST($2 AS TEXT))) = CAST($2 AS TEXT)))"
    " AND (CAST($3 AS BIGINT) IS NULL OR at_ms >= $3)"
    " AND (CAST($4 AS BIGINT) IS NULL OR at_ms < $4)";

AuditEntry entry_from(const sql::Row& row) {
  return {row.int64(0), row.int64(1), row.text(2), row.text(3), row.text(4), row.text(5), row.text(6)};
}


}  // namespace

void AuditStore::audit(const AuditEntry& e) {
  db().exec("INSERT INTO audit_log(at_ms, actor, action, target, detail, client) VALUES($1, $2, $3, $4, $5, $6)",
            {e.at_ms, e.actor, e.action, e.target, e.detail, e.client});
}

std::vector<AuditEntry> AuditStore::audit_entries(const AuditFilter& filter, std::int64_t limit) {
  std::vector<AuditEntry> out;
  const auto& action = filter.action;
  const auto rows = db().query(std::string("SELECT id, at_ms, actor, action, target, detail, client FROM audit_log") + kWhere +
                                   " ORDER BY id DESC LIMIT $5",
                               {filter.actor, action, filter.since_ms, filter.until_ms, limit});
  for (const auto row : rows) out.push_back(entry_from(row));
  return out;
}

void AuditStore::for_each_audit_entry(const AuditFilter& filter, const std::function<void(const AuditEntry&)>& visit) {
  const auto& action = filter.action;
  db().for_each(std::string("SELECT id, at_ms, actor, action, target, detail, client FROM audit_log") + kWhere + " ORDER BY id",
                {filter.actor, action, filter.since_ms, filter.until_ms}, [&](const sql::Row& row) { visit(entry_from(row)); });
}

}  // namespace allervers::server
