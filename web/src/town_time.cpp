// The town's time from a TZif file (RFC 8536): the 64-bit block of version 2 and later files,
// or the 32-bit block of a version 1 file. Every count is checked against the bytes there are
// before anything is read.
#include "allervers/web/town_time.hpp"

#include <algorithm>
#include <fstream>

#include "allervers/server/capture_filter.hpp"

namespace allervers::web {

namespace {

std::runtime_error bad_zone(const std::string& zone, const std::string& why) {
  return std::runtime_error("time zone \"" + zone.substr(0, 60) + "\": " + why);
}

// Reads big-endian integers from a byte string, refusing to run past its end.
struct Reader {
  const std::string& bytes;
  const std::string& zone;
  std::size_t at = 0;

  void need(std::size_t n) const {
    if (n > bytes.size() || at > bytes.size() - n) throw bad_zone(zone, "the zone file is cut short");
  }
  std::uint64_t uint(std::size_t width) {
    need(width);
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < width; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
    at += width;
    return v;
  }
  void skip(std::uint64_t n) {
    if (n > bytes.size()) throw bad_zone(zone, "the zone file is cut short");
    need(static_cast<std::size_t>(n));
    at += static_cast<std::size_t>(n);
  }
};

struct Counts {
  std::uint64_t isut = 0, isstd = 0, leap = 0, time = 0, type = 0, chars = 0;
};

Counts read_header(Reader& r, char& version) {
  r.need(44);
  if (r.bytes.compare(r.at, 4, "TZif") != 0) throw bad_zone(r.zone, "not a TZif zone file");
  version = r.bytes[r.at + 4];
  r.at += 20;
  Counts c;
  for (auto* n : {&c.isut, &c.isstd, &c.leap, &c.time, &c.type, &c.chars}) *n = r.uint(4);
  if (c.type == 0 || c.type > 256 || c.time > 100000) throw bad_zone(r.zone, "the zone file's counts are not plausible");
  return c;
}

}  // namespace

TownTime TownTime::parse(const std::string& zone, const std::string& tzif) {
  Reader r{tzif, zone};
  char version = 0;
  Counts c = read_header(r, version);
  std::size_t width = 4;
  if (version >= '2') {  // skip the 32-bit block: the 64-bit one follows with its own header
    r.skip(c.time * 5 + c.type * 6 + c.chars + c.leap * 8 + c.isstd + c.isut);
    c = read_header(r, version);
    width = 8;
  }
  TownTime t;
  t.zone_ = zone;
  std::vector<std::int64_t> times;
  for (std::uint64_t i = 0; i < c.time; ++i) {
    const auto v = r.uint(width);
    times.push_back(width == 8 ? static_cast<std::int64_t>(v) : static_cast<std::int64_t>(static_cast<std::int32_t>(static_cast<std::uint32_t>(v))));
  }
  std::vector<std::uint8_t> index;
  for (std::uint64_t i = 0; i < c.time; ++i) index.push_back(static_cast<std::uint8_t>(r.uint(1)));
  std::vector<std::int32_t> type_offsets;
  for (std::uint64_t i = 0; i < c.type; ++i) {
    type_offsets.push_back(static_cast<std::int32_t>(static_cast<std::uint32_t>(r.uint(4))));
    r.skip(2);  // is-DST, designation
  }
  for (const auto off : type_offsets)
    if (off < -26 * 3600 || off > 26 * 3600) throw bad_zone(zone, "an offset in the zone file is not plausible");
  t.initial_offset_ = type_offsets[0];
  for (std::size_t i = 0; i < times.size(); ++i) {
    if (index[i] >= type_offsets.size()) throw bad_zone(zone, "a transition names a type the zone file lacks");
    if (i > 0 && times[i] <= times[i - 1]) throw bad_zone(zone, "the zone file's transitions are not in order");
    t.transitions_.push_back(times[i]);
    t.offsets_.push_back(type_offsets[index[i]]);
  }
  return t;
}

TownTime TownTime::load(const std::string& zone, const std::filesystem::path& zoneinfo) {
  // A zone is a name in the database ("Europe/Paris", "America/Port-au-Prince"), never a path
  // out of it.
  bool ok = !zone.empty() && zone.size() <= 60 && zone.front() != '/' && zone.find("..") == std::string::npos;
  for (const char ch : zone)
    ok = ok && ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '/' || ch == '_' || ch == '-' || ch == '+');
  if (!ok) throw bad_zone(zone, "not a time zone name such as Europe/Paris");
  std::ifstream in(zoneinfo / zone, std::ios::binary);
  if (!in) throw bad_zone(zone, "no such zone in " + zoneinfo.string() + " (the tzdata package)");
  std::string bytes;
  char buffer[4096];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    bytes.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > 1'000'000) throw bad_zone(zone, "the zone file is too large to be one");
  }
  return parse(zone, bytes);
}

std::int32_t TownTime::offset_seconds(std::int64_t utc_ms) const {
  const std::int64_t s = utc_ms >= 0 ? utc_ms / 1000 : -((-utc_ms + 999) / 1000);
  const auto it = std::upper_bound(transitions_.begin(), transitions_.end(), s);
  if (it == transitions_.begin()) return initial_offset_;
  return offsets_[static_cast<std::size_t>(it - transitions_.begin() - 1)];
}

std::string TownTime::format(std::int64_t utc_ms, bool seconds) const {
  const std::int64_t local = utc_ms / 1000 + offset_seconds(utc_ms) - (utc_ms < 0 && utc_ms % 1000 ? 1 : 0);
  std::int64_t day = local / 86400, second = local % 86400;
  if (second < 0) {
    second += 86400;
    --day;
  }
  const auto date = server::civil_date(day);
  auto two = [](std::int64_t n) { return std::string(n < 10 ? "0" : "") + std::to_string(n); };
  std::string out = two(date.day) + "/" + two(date.month) + "/" + std::to_string(date.year) + " " + two(second / 3600) + ":" + two(second / 60 % 60);
  if (seconds) out += ":" + two(second % 60);
  return out;
}

}  // namespace allervers::web
