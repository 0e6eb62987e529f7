#pragma once
// The office's access: tokens for the dashboard's office-only endpoints, stored hashed.
// Table: office_tokens.
#include <cstdint>
#include <optional>
#include <string>

#include "allervers/server/store/area.hpp"

namespace allervers::server {

class OfficeStore : public virtual StoreArea {
 public:
  void add_office_token(const std::string& token_hash, const std::string& name, std::int64_t now_ms);
  std::optional<std::string> office_by_token(const std::string& token_hash);  // its name
};

}  // namespace allervers::server
