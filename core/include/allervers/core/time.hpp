#pragma once
// Time as values: instants in UTC milliseconds, the device's UTC offset at the moment of
// capture (so "the day" is the town's day, not UTC's), and clocks that can be faked.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace allervers::core {

struct Instant {
  std::int64_t utc_ms = 0;        // milliseconds since 1970-01-01T00:00:00Z
  std::int32_t offset_minutes = 0;  // local offset from UTC when it was taken (+60 in Paris winter)
  friend bool operator==(const Instant&, const Instant&) = default;
};

// "2026-11-23T10:15:00.123+01:00" (always milliseconds, always an explicit offset; "Z" for 0 is
// accepted on input but written as +00:00).
std::string format_instant(const Instant& instant);
std::optional<Instant> parse_instant(std::string_view text);

// The local calendar day "YYYY-MM-DD" of an instant.
std::string local_day(const Instant& instant);

// The local UTC offset of this machine at `utc_ms`, in minutes.
std::int32_t local_offset_minutes(std::int64_t utc_ms);

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Instant now() const override;
};

// A clock that only moves when told to: for tests and replay.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Instant start) : now_(start) {}
  Instant now() const override { return now_; }
  void advance_ms(std::int64_t ms) { now_.utc_ms += ms; }
  void set(Instant t) { now_ = t; }

 private:
  Instant now_;
};

}  // namespace allervers::core
