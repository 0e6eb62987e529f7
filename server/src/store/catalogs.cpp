// Catalogs: every publication, in order.
#include "allervers/server/store/catalogs.hpp"

namespace allervers::server {

std::int64_t CatalogStore::add_catalog(const std::string& json, std::int64_t now_ms) {
  return db().query("INSERT INTO catalogs(json, published_ms) VALUES($1, $2) RETURNING id", {json, now_ms}).one().int64(0);
}

std::int64_t CatalogStore::latest_catalog_id() {
  return db().query("SELECT COALESCE(MAX(id), 0) FROM catalogs").one().int64(0);
}

std::vector<CatalogDocument> CatalogStore::catalogs() {
  std::vector<CatalogDocument> out;
  for (const auto row : db().query("SELECT id, json, published_ms FROM catalogs ORDER BY id"))
    out.push_back({row.int64(0), row.text(1), row.int64(2)});
  return out;
}

std::int64_t CatalogStore::document_changes(std::string_view name) {
  // Shards only ever grow: the sum moves at every change committed.
  return db().query("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM document_changes WHERE name = $1", {name}).one().int64(0);
}

}  // namespace allervers::server
