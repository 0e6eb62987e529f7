#pragma once
// The town's time, for every time the console shows: the office reads "30/11/2026 14:05" in
// Paris time, summer or winter, never UTC. The zone's rules come from the system's tz database
// (/usr/share/zoneinfo, Debian's tzdata), read once at start: the UTC offset at any instant
// from its list of transitions (past the last one listed — 2037 in Debian's files — the last
// offset holds).
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace allervers::web {

class TownTime {
 public:
  // Throws std::runtime_error naming the zone when it is not a zone name ("Europe/Paris") or
  // its file cannot be read as one.
  static TownTime load(const std::string& zone, const std::filesystem::path& zoneinfo = "/usr/share/zoneinfo");
  // A TZif file's content (tests, fuzzing); `zone` names it in errors.
  static TownTime parse(const std::string& zone, const std::string& tzif);

  const std::string& zone() const { return zone_; }
  std::int32_t offset_seconds(std::int64_t utc_ms) const;
  // "30/11/2026 14:05" (with seconds: "30/11/2026 14:05:09"), in the town's time.
  std::string format(std::int64_t utc_ms, bool seconds = false) const;

 private:
  std::string zone_;
  std::vector<std::int64_t> transitions_;  // UTC seconds, ascending
  std::vector<std::int32_t> offsets_;      // the offset from each transition on
  std::int32_t initial_offset_ = 0;        // before the first
};

}  // namespace allervers::web
