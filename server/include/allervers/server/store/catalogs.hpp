#pragma once
// Catalogs: every publication, in order; the server merges them (api.hpp). Table: catalogs.
// And the counts of changes to the other documents devices fetch at each sync (document_changes).
#include <cstdint>
#include <string>
#include <string_view>
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
  // How many writes the tables document `name` ("outcomes", "passes") is made of have seen
  // (schema step 17): the same count, the same document.
  std::int64_t document_changes(std::string_view name);
};

}  // namespace allervers::server
