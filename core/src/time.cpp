#include "allervers/core/time.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace allervers::core {
namespace {

using namespace std::chrono;

bool read_int(std::string_view s, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + len; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

}  // namespace

std::string format_instant(const Instant& instant) {
  const std::int64_t local_ms = instant.utc_ms + std::int64_t{instant.offset_minutes} * 60'000;
  const sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(local_ms)));
  const year_month_day ymd(day);
  const std::int64_t ms_of_day = local_ms - duration_cast<milliseconds>(day.time_since_epoch()).count();
  const int off = instant.offset_minutes < 0 ? -instant.offset_minutes : instant.offset_minutes;
  const int year = int(ymd.year());
  if (year >= 0 && year <= 9999 && off < 100 * 60) {
    // Written digit by digit: this runs for every capture stored and sent (snprintf was a tenth
    // of the server's canonical JSON), and gives the same text as the general case below.
    char out[] = "0000-00-00T00:00:00.000+00:00";
    const auto put = [&](std::size_t at, std::int64_t value, int digits) {
      for (int i = digits - 1; i >= 0; --i, value /= 10) out[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
    };
    put(0, year, 4);
    put(5, unsigned(ymd.month()), 2);
    put(8, unsigned(ymd.day()), 2);
    put(11, ms_of_day / 3'600'000, 2);
    put(14, ms_of_day / 60'000 % 60, 2);
    put(17, ms_of_day / 1000 % 60, 2);
    put(20, ms_of_day % 1000, 3);
    out[23] = instant.offset_minutes < 0 ? '-' : '+';
    put(24, off / 60, 2);
    put(27, off % 60, 2);
    return std::string(out, sizeof out - 1);
  }
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03d%c%02d:%02d", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(ms_of_day / 3'600'000),
                int(ms_of_day / 60'000 % 60), int(ms_of_day / 1000 % 60), int(ms_of_day % 1000),
                instant.offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}

std::optional<Instant> parse_instant(std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!read_int(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !read_int(s, 5, 2, mo) || s[7] != '-' ||
      !read_int(s, 8, 2, d) || s[10] != 'T' || !read_int(s, 11, 2, h) || s[13] != ':' ||
      !read_int(s, 14, 2, mi) || s[16] != ':' || !read_int(s, 17, 2, sec))
    return std::nullopt;
  std::size_t pos = 19;
  int ms = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 3) ms = ms * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int k = digits; k < 3; ++k) ms *= 10;
  }
  int offset = 0;
  if (pos < s.size() && s[pos] == 'Z') {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh = 0, om = 0;
    if (!read_int(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !read_int(s, pos + 4, 2, om))
      return std::nullopt;
    if (oh > 14 || om > 59) return std::nullopt;
    offset = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;  // an instant without an offset is ambiguous: refuse it
  }
  if (pos != s.size()) return std::nullopt;
  const year_month_day ymd{year(y), month(unsigned(mo)), day(unsigned(d))};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  const std::int64_t local_ms = duration_cast<milliseconds>(sys_days(ymd).time_since_epoch()).count() +
                                ((h * 60LL + mi) * 60 + sec) * 1000 + ms;
  return Instant{local_ms - std::int64_t{offset} * 60'000, offset};
}

std::string local_day(const Instant& instant) {
  return format_instant(instant).substr(0, 10);
}

std::int32_t local_offset_minutes(std::int64_t utc_ms) {
  const std::time_t t = static_cast<std::time_t>(utc_ms / 1000);
  std::tm local{};
  localtime_r(&t, &local);
  return static_cast<std::int32_t>(local.tm_gmtoff / 60);  // glibc/POSIX-2024 field
}

Instant SystemClock::now() const {
  const auto ms = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  return Instant{ms, local_offset_minutes(ms)};
}

}  // namespace allervers::core
