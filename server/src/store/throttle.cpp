// The one throttle: attempts by purpose and subject, with a growing delay.
#include "allervers/server/store/throttle.hpp"

#include <algorithm>

namespace allervers::server {

std::int64_t ThrottlePolicy::delay_ms(std::int64_t attempts) const {
  if (attempts <= free_attempts) return 0;
  const std::int64_t doublings = std::min<std::int64_t>(attempts - free_attempts - 1, 30);
  return std::min(max_delay_ms, first_delay_ms << doublings);
}

std::int64_t ThrottleStore::throttle_count(std::string_view purpose, const std::string& subject, const ThrottlePolicy& policy,
                                           std::int64_t now_ms) {
  const auto rows = db().query("SELECT failures FROM throttle WHERE purpose = $1 AND subject = $2 AND last_ms >= $3",
                               {purpose, subject, now_ms - policy.memory_ms});
  return rows.empty() ? 0 : rows[0].int64(0);
}

std::int64_t ThrottleStore::throttle_wait_ms(std::string_view purpose, const std::string& subject, const ThrottlePolicy& policy,
                                             std::int64_t now_ms) {
  const auto rows = db().query("SELECT failures, last_ms FROM throttle WHERE purpose = $1 AND subject = $2 AND last_ms >= $3",
                               {purpose, subject, now_ms - policy.memory_ms});
  if (rows.empty()) return 0;
  return std::max<std::int64_t>(0, rows[0].int64(1) + policy.delay_ms(rows[0].int64(0)) - now_ms);
}

void ThrottleStore::throttle_record(std::string_view purpose, const std::string& subject, const ThrottlePolicy& policy,
                                    std::int64_t now_ms) {
  const std::int64_t forget_before = now_ms - policy.memory_ms;
  // Two statements, no transaction of their own: the caller's (a login's, with its audit line)
  // holds them when there is one.
  db().exec("DELETE FROM throttle WHERE purpose = $1 AND last_ms < $2", {purpose, forget_before});
  db().exec(
      "INSERT INTO throttle(purpose, subject, failures, last_ms) VALUES($1, $2, 1, $3) "
      "ON CONFLICT(purpose, subject) DO UPDATE SET failures = throttle.failures + 1, last_ms = $3",
      {purpose, subject, now_ms});
}

void ThrottleStore::throttle_clear(std::string_view purpose, const std::string& subject) {
  db().exec("DELETE FROM throttle WHERE purpose = $1 AND subject = $2", {purpose, subject});
}

}  // namespace allervers::server
