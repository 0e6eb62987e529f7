#pragma once
// What the office looks at: captures of a consultation, between two of the town's days, from a
// quartier, a channel or a device. One filter for the dashboard and the exports alike, applied
// in SQL on both databases (server/src/store/filter_sql.cpp), so a chart and the export made
// beside it count the same rows.
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace allervers::server {

// --- the town's days -------------------------------------------------------------------

// A capture's day is the town's calendar day where and when it was made: its UTC instant
// shifted by the UTC offset the device recorded (docs/decisions.md, "A day is the town's
// day"). Days are numbered from 1970-01-01 (day 0), in local time.
std::int64_t town_day(std::int64_t utc_ms, std::int32_t offset_minutes);
// "2026-11-21" → its number; nothing when the text is not a calendar date.
std::optional<std::int64_t> day_from_text(std::string_view yyyy_mm_dd);
std::string day_text(std::int64_t day);  // "2026-11-21"

// The calendar date of a day number (proleptic Gregorian), for any day a 64-bit clock can
// reach: a device may claim any clock, and its captures' days must still read as dates.
struct CivilDate {
  std::int64_t year = 1970;
  unsigned month = 1, day = 1;
};
CivilDate civil_date(std::int64_t day);

// --- the filter ------------------------------------------------------------------------

struct CaptureFilter {
  std::string consultation;                       // a consultation id; "" any
  std::optional<std::int64_t> from_day, to_day;   // the town's days, both included
  std::string neighbourhood;                      // a quartier id (the town's list); "" any
  std::string channel;                            // a channel name ("market"); "" any
  std::string device;                             // a device id (UUID text); "" any
  std::string kind;                               // a capture kind ("opinion"); "" any — set by exports' tables

  bool any() const { return consultation.empty() && !from_day && !to_day && neighbourhood.empty() && channel.empty() && device.empty() && kind.empty(); }
  friend bool operator==(const CaptureFilter&, const CaptureFilter&) = default;
};

// A filter given as text that cannot be one: which parameter, and why (an English sentence,
// as every command-line message; `code` is stable for the console to translate).
class FilterError : public std::invalid_argument {
 public:
  FilterError(std::string field, std::string code, const std::string& message)
      : std::invalid_argument(field + ": " + message), field_(std::move(field)), code_(std::move(code)) {}
  const std::string& field() const { return field_; }
  const std::string& code() const { return code_; }

 private:
  std::string field_, code_;
};

// The filter from named text values, as the console's query string and the command line give
// them: `consultation`, `from` and `to` (YYYY-MM-DD), `quartier`, `channel`, `device` (a UUID),
// `kind`; empty values and unknown names are ignored. Throws FilterError for a date that is not
// one, `from` after `to`, an unknown channel or kind, a device that is not a UUID.
CaptureFilter parse_filter(const std::map<std::string, std::string>& values);

}  // namespace allervers::server
