#pragma once
// The one throttle: failed (or merely counted) attempts by purpose and subject, so guessing
// and flooding are slowed on every server sharing the database. Used by enrolment (per client
// address), the console's logins (per account and per address) and public submissions (per
// address). Table: throttle.
//
// A subject's attempts are counted in a row; once more than the policy's free ones have been
// counted, the next attempt must wait a delay that doubles with each further one, up to a
// ceiling. An attempt longer than the policy's memory after the previous one starts the count
// again (an office behind one address does not pile up a week of typos).
//
//   if (auto wait = store.throttle_wait_ms(throttle_purposes::login, throttle_subjects::address(ip), policy, now); wait > 0)
//     return 429 with Retry-After: ceil(wait / 1000);
//   ... on failure (or, for a flood limit, on every submission):
//   store.throttle_record(purpose, subject, policy, now);
//   ... on success, when success forgives: store.throttle_clear(purpose, subject);
#include <cstdint>
#include <string>
#include <string_view>

#include "allervers/server/store/area.hpp"

namespace allervers::server {

// The purposes, named once. A new one is a new name here: counts never mix across purposes.
namespace throttle_purposes {
inline constexpr std::string_view enrol = "enrol";                 // refused enrolment codes
inline constexpr std::string_view login = "login";                 // the console's failed logins
inline constexpr std::string_view public_submission = "public";    // public forms, per address
}  // namespace throttle_purposes

// The subjects' spelling, named once.
namespace throttle_subjects {
inline std::string address(std::string_view client_address) { return "address:" + std::string(client_address); }
inline std::string account(std::string_view name) { return "account:" + std::string(name); }
}  // namespace throttle_subjects

struct ThrottlePolicy {
  std::int64_t free_attempts = 0;   // counted in a row without any wait
  std::int64_t first_delay_ms = 0;  // the wait after one more; doubles with each further one
  std::int64_t max_delay_ms = 0;    // the ceiling of the wait
  std::int64_t memory_ms = 0;       // an attempt this long after the previous one starts again

  // The wait after `attempts` counted in a row: 0 while attempts <= free_attempts.
  std::int64_t delay_ms(std::int64_t attempts) const;
};

class ThrottleStore : public virtual StoreArea {
 public:
  // How long `subject` must still wait before its next `purpose` attempt; 0 when it may try now.
  std::int64_t throttle_wait_ms(std::string_view purpose, const std::string& subject, const ThrottlePolicy& policy, std::int64_t now_ms);
  // One more attempt counted. Rows of `purpose` older than the policy's memory (any subject)
  // are dropped meanwhile, so the table holds only what still weighs.
  void throttle_record(std::string_view purpose, const std::string& subject, const ThrottlePolicy& policy, std::int64_t now_ms);
  // Forgets `subject`'s count for `purpose` (a successful login forgives its account).
  void throttle_clear(std::string_view purpose, const std::string& subject);
  // Attempts counted in a row for `subject` (0 when forgotten): for tests and the console.
  std::int64_t throttle_count(std::string_view purpose, const std::string& subject, const ThrottlePolicy& policy, std::int64_t now_ms);
};

}  // namespace allervers::server
