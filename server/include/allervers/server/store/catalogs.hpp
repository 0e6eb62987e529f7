#pragma once
// Catalogs: every publication, in order; the server merges them (api.hpp). Table: catalogs.
#include <cstdint>
#include <string>
#include <vector>

#include "allervers/server/store/area.hpp"

namespace allervers::server {

struct CatalogDocument {
  std::int64_t id = 0;
  std::string json;
  std::int64_t published_ms = 0;
};

class CatalogStore : public virtual StoreArea {
 public:
  std::int64_t add_catalog(const std::string& json, std::int64_t now_ms);  // its id
  std::int64_t latest_catalog_id();                                       // 0: none published
  std::vector<CatalogDocument> catalogs();
};

}  // namespace allervers::server
