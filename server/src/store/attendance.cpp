// Attendance at assemblies, from the sign-ins received.
#include "allervers/server/store/attendance.hpp"

namespace allervers::server {

std::vector<AttendanceRow> AttendanceStore::attendance(const std::optional<std::string>& assembly) {
  std::vector<AttendanceRow> out;
  const auto rows = db().query(R"(
SELECT assembly, COUNT(DISTINCT NULLIF(pass, '')), SUM(CASE WHEN pass = '' THEN 1 ELSE 0 END), COUNT(*), COUNT(DISTINCT device)
FROM captures WHERE assembly IS NOT NULL AND (CAST($1 AS TEXT) IS NULL OR assembly = $1) GROUP BY assembly ORDER BY assembly)",
                               {assembly});
  for (const auto row : rows) {
    AttendanceRow r;
    r.assembly = row.text(0);
    r.with_pass = row.int64(1);
    r.without_pass = row.int64(2);
    r.people = r.with_pass + r.without_pass;
    r.scans = row.int64(3);
    r.devices = row.int64(4);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace allervers::server
