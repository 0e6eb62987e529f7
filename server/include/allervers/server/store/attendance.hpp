#pragma once
// Attendance at assemblies, counted from the sign-ins received (captures.assembly, .pass).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "allervers/server/store/area.hpp"

namespace allervers::server {

// People at one assembly, counted across every device: a pass scanned on several devices (or
// twice) is one person; each sign-in without a pass is one person.
struct AttendanceRow {
  std::string assembly;
  std::int64_t people = 0;        // distinct passes + sign-ins without a pass
  std::int64_t with_pass = 0;     // distinct passes
  std::int64_t without_pass = 0;  // sign-ins without a pass
  std::int64_t scans = 0;         // sign-in records received
  std::int64_t devices = 0;       // devices that signed people in
};

class AttendanceStore : public virtual StoreArea {
 public:
  // One row per assembly, or the one asked for.
  std::vector<AttendanceRow> attendance(const std::optional<std::string>& assembly);
};

}  // namespace allervers::server
