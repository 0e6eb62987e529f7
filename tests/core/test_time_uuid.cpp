#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <random>
#include <set>

#include "allervers/core/time.hpp"
#include "allervers/core/uuid.hpp"

using namespace allervers::core;

TEST_CASE("instants round-trip through their text form with the local offset", "[time]") {
  const Instant paris{1'795'000'000'123, 60};
  const std::string text = format_instant(paris);
  CHECK(text.size() == 29);
  CHECK(text.substr(23) == "+01:00");
  CHECK(parse_instant(text) == paris);
  CHECK(parse_instant("2026-11-23T10:15:00Z")->utc_ms == parse_instant("2026-11-23T11:15:00+01:00")->utc_ms);
  CHECK(parse_instant("2026-11-23T10:15:00.5-03:30")->offset_minutes == -210);
}

// format_instant writes the common case digit by digit: the very text the printf format gives.
TEST_CASE("instants are written as the printf format writes them, at any time and offset", "[time]") {
  using namespace std::chrono;
  const auto reference = [](const Instant& at) {
    const std::int64_t local_ms = at.utc_ms + std::int64_t{at.offset_minutes} * 60'000;
    const sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(local_ms)));
    const year_month_day ymd(day);
    const std::int64_t ms = local_ms - duration_cast<milliseconds>(day.time_since_epoch()).count();
    const int off = at.offset_minutes < 0 ? -at.offset_minutes : at.offset_minutes;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03d%c%02d:%02d", int(ymd.year()), unsigned(ymd.month()),
                  unsigned(ymd.day()), int(ms / 3'600'000), int(ms / 60'000 % 60), int(ms / 1000 % 60), int(ms % 1000),
                  at.offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
    return std::string(buf);
  };
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::int64_t> utc(-70'000'000'000'000, 7'300'000'000'000);  // from -248 to 2201
  std::uniform_int_distribution<int> offset(-14 * 60, 14 * 60);
  for (int i = 0; i < 200'000; ++i) {
    const Instant at{utc(rng), i % 3 == 0 ? 0 : offset(rng)};
    INFO(at.utc_ms << " " << at.offset_minutes);
    REQUIRE(format_instant(at) == reference(at));
  }
  for (const Instant& at : {Instant{0, 0}, Instant{-1, 0}, Instant{253'402'300'799'999, 0}, Instant{253'402'300'800'000, 0},
                            Instant{-62'167'219'200'001, 0}, Instant{1'795'000'000'123, -210}})
    CHECK(format_instant(at) == reference(at));
}

TEST_CASE("the local day follows the offset, not UTC", "[time]") {
  const auto late = parse_instant("2026-11-23T23:30:00.000Z").value();
  CHECK(local_day(late) == "2026-11-23");
  CHECK(local_day(Instant{late.utc_ms, 60}) == "2026-11-24");
}

TEST_CASE("malformed instants are refused", "[time]") {
  for (const char* bad : {"", "2026-11-23", "2026-11-23T10:15:00", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
                          "2026-11-23T25:00:00Z", "2026-11-23T10:15:00+15:00", "2026-11-23T10:15:00Zjunk",
                          "2026-11-23 10:15:00Z", "２０２６-11-23T10:15:00Z", "2026-11-23T10:15:00."}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_instant(bad));
  }
}

TEST_CASE("a manual clock moves only when told", "[time]") {
  ManualClock clock(Instant{1000, 0});
  clock.advance_ms(500);
  CHECK(clock.now().utc_ms == 1500);
}

TEST_CASE("UUIDs are version 7, unique and strictly increasing even within one millisecond", "[uuid]") {
  UuidGenerator ids(42);
  std::set<Uuid> seen;
  Uuid previous;
  for (int i = 0; i < 20000; ++i) {
    const Uuid id = ids.next(1'795'000'000'000 + i / 1000);  // 1000 ids per millisecond
    CHECK(id.version() == 7);
    CHECK((id.bytes()[8] & 0xC0) == 0x80);
    CHECK(previous < id);
    previous = id;
    seen.insert(id);
  }
  CHECK(seen.size() == 20000);
  // A clock stepping back does not break the order.
  const Uuid before = ids.next(1'795'000'100'000);
  CHECK(before < ids.next(1'795'000'000'000));
}

TEST_CASE("UUID text form parses back and rejects junk", "[uuid]") {
  UuidGenerator ids(1);
  const Uuid id = ids.next(1'795'000'000'000);
  CHECK(Uuid::parse(id.str()) == id);
  CHECK(id.v7_unix_ms() == 1'795'000'000'000);
  CHECK(Uuid::parse("0193A5B2-7C40-7000-8000-000000000001"));
  for (const char* bad : {"", "not-a-uuid", "0193a5b2-7c40-7000-8000-00000000000", "0193a5b2x7c40-7000-8000-000000000001",
                          "0193a5b2-7c40-7000-8000-00000000000g", "'; DROP TABLE captures; --"})
    CHECK_FALSE(Uuid::parse(bad));
}
