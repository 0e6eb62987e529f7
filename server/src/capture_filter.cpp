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
  const std::int64_t local_ms = utc_ms + std::int64_t{offset_minutes} * 60'000;
  constexpr std::int64_t kDayMs = 86'400'000;
  return local_ms >= 0 ? local_ms / kDayMs : -((-local_ms + kDayMs - 1) / kDayMs);  // floor, before 1970 too
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

std::string day_text(std::int64_t n) {
  const year_month_day ymd{sys_days(days(n))};
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
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
