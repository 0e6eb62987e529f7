// The office's filter: the town's days and reading a filter from text.
#include "allervers/server/capture_filter.hpp"

#include <chrono>
#include <cstdio>

#include "allervers/core/capture.hpp"
#include "allervers/core/capture_kinds.hpp"
#include "allervers/core/uuid.hpp"

namespace allervers::server {

using namespace std::chrono;

std::int64_t town_day(std::int64_t utc_ms, std::int32_t offset_minutes) {
  // Wrapping, not overflowing, at the ends of the clock (a device may claim any time).
  const auto local_ms = static_cast<std::int64_t>(static_cast<std::uint64_t>(utc_ms) + static_cast<std::uint64_t>(std::int64_t{offset_minutes} * 60'000));
  constexpr std::int64_t kDayMs = 86'400'000;
  return local_ms / kDayMs - (local_ms % kDayMs < 0 ? 1 : 0);  // floor, before 1970 too
}

std::optional<std::int64_t> day_from_text(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  m = (s[5] - '0') * 10 + (s[6] - '0');
  d = (s[8] - '0') * 10 + (s[9] - '0');
  const year_month_day ymd{year(y), month(static_cast<unsigned>(m)), day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  return sys_days(ymd).time_since_epoch().count();
}

CivilDate civil_date(std::int64_t n) {
  // Howard Hinnant's days_from_civil inverse, in 64-bit arithmetic (std::chrono's years stop
  // at ±32767).
  const std::int64_t z = n + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;                                   // [0, 146096]
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);             // [0, 365]
  const std::int64_t mp = (5 * doy + 2) / 153;                                  // [0, 11]
  const auto d = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  const auto m = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

std::string day_text(std::int64_t n) {
  const CivilDate date = civil_date(n);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(date.year), date.month, date.day);
  return buf;
}

CaptureFilter parse_filter(const std::map<std::string, std::string>& values) {
  CaptureFilter f;
  auto value = [&](const char* name) -> std::string {
    const auto it = values.find(name);
    return it == values.end() ? std::string() : it->second;
  };
  f.consultation = value("consultation");
  for (const char* name : {"from", "to"}) {
    const std::string text = value(name);
    if (text.empty()) continue;
    const auto day = day_from_text(text);
    if (!day) throw FilterError(name, "invalid_date", "\"" + text.substr(0, 40) + "\" is not a date (YYYY-MM-DD)");
    (std::string_view(name) == "from" ? f.from_day : f.to_day) = day;
  }
  if (f.from_day && f.to_day && *f.from_day > *f.to_day)
    throw FilterError("to", "dates_reversed", "the last day (" + value("to") + ") comes before the first one (" + value("from") + ")");
  f.neighbourhood = value("quartier");
  f.channel = value("channel");
  if (!f.channel.empty() && !core::channel_from(f.channel))
    throw FilterError("channel", "unknown_channel", "\"" + f.channel.substr(0, 40) +
                                                        "\" is not a channel (door_to_door, market, kiosk, assembly, school, other)");
  f.device = value("device");
  if (!f.device.empty()) {
    const auto id = core::Uuid::parse(f.device);
    if (!id) throw FilterError("device", "invalid_device", "\"" + f.device.substr(0, 40) + "\" is not a device id (a UUID)");
    f.device = id->str();
  }
  f.kind = value("kind");
  if (!f.kind.empty() && !core::find_capture_kind(f.kind))
    throw FilterError("kind", "unknown_kind", "\"" + f.kind.substr(0, 40) + "\" is not a kind of capture (" + core::capture_kind_names() + ")");
  return f;
}

}  // namespace allervers::server
