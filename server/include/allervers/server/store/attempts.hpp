#pragma once
// Failed attempts by client address (enrolment codes; the office console's logins use the
// same area with their own scope), so guessing is slowed on every server sharing the
// database. Table: failed_attempts.
#include <cstdint>
#include <string>
#include <string_view>

#include "allervers/server/store/area.hpp"

namespace allervers::server {

// The scopes of failed_attempts, named once.
namespace attempt_scopes {
inline constexpr std::string_view enrol = "enrol";
inline constexpr std::string_view login = "login";
}  // namespace attempt_scopes

class AttemptStore : public virtual StoreArea {
 public:
  // Failures from `address` in `scope` since `since_ms`.
  std::int64_t recent_failures(std::string_view scope, const std::string& address, std::int64_t since_ms);
  // One more failure; rows older than `forget_before_ms` (any address) are dropped meanwhile.
  void record_failure(std::string_view scope, const std::string& address, std::int64_t now_ms, std::int64_t forget_before_ms);
};

}  // namespace allervers::server
