// Simple counts and the latest captures, for the console's home.
#include "allervers/server/store/overview.hpp"

namespace allervers::server {

Overview OverviewStore::overview() {
  Overview out;
  for (const auto row : db().query("SELECT consultation, kind, COUNT(*) FROM captures GROUP BY consultation, kind ORDER BY consultation, kind"))
    out.captures.push_back({row.text(0), row.text(1), row.int64(2)});
  const auto d = db().query("SELECT COUNT(*), SUM(CASE WHEN revoked_ms IS NULL THEN 0 ELSE 1 END), MAX(last_batch_ms) FROM devices").one();
  out.devices = d.int64(0);
  out.devices_revoked = d.is_null(1) ? 0 : d.int64(1);
  out.last_batch_ms = d.opt_int64(2);
  return out;
}

std::vector<RecentCapture> OverviewStore::recent_captures(const std::string& kind, std::int64_t limit) {
  std::vector<RecentCapture> out;
  const auto rows = db().query(R"(
SELECT CAST(c.id AS TEXT), c.kind, c.consultation, COALESCE(d.name, ''), c.body, c.received_ms
FROM captures c LEFT JOIN devices d ON d.id = c.device
WHERE (CAST($1 AS TEXT) = '' OR c.kind = $1) ORDER BY c.received_ms DESC, c.seq DESC LIMIT $2)",
                               {kind, limit});
  for (const auto row : rows) out.push_back({row.text(0), row.text(1), row.text(2), row.text(3), row.text(4), row.int64(5)});
  return out;
}

}  // namespace allervers::server
