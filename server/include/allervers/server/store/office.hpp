#pragma once
// Machine clients of the office (a dashboard screen, a script): scoped tokens, stored hashed,
// made and revoked by an admin (console or `allervers-server office-token`). Table:
// office_tokens.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "allervers/server/store/area.hpp"

namespace allervers::server {

// What a token may read. Only one scope exists so far: attendance (GET
// /api/v1/assemblies/attendance). A new machine endpoint names its own.
inline constexpr const char* kAttendanceScope = "attendance";

struct OfficeToken {
  std::string token_hash, name, scope;
  std::int64_t created_ms = 0;
  std::optional<std::int64_t> revoked_ms;
};

class OfficeStore : public virtual StoreArea {
 public:
  void add_office_token(const std::string& token_hash, const std::string& name, std::int64_t now_ms,
                        const std::string& scope = kAttendanceScope);
  // The token when known and not revoked.
  std::optional<OfficeToken> office_by_token(const std::string& token_hash);
  std::vector<OfficeToken> office_tokens();  // newest first, revoked ones too
  bool revoke_office_token(const std::string& token_hash, std::int64_t now_ms);  // false: unknown or already revoked
};

}  // namespace allervers::server
