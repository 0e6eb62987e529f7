// Failed attempts by client address.
#include "allervers/server/store/attempts.hpp"

namespace allervers::server {

std::int64_t AttemptStore::recent_failures(std::string_view scope, const std::string& address, std::int64_t since_ms) {
  return db()
      .query("SELECT COUNT(*) FROM failed_attempts WHERE scope = $1 AND address = $2 AND at_ms >= $3", {scope, address, since_ms})
      .one()
      .int64(0);
}

void AttemptStore::record_failure(std::string_view scope, const std::string& address, std::int64_t now_ms,
                                  std::int64_t forget_before_ms) {
  sql::Transaction tx(db());
  db().exec("DELETE FROM failed_attempts WHERE at_ms < $1", {forget_before_ms});
  db().exec("INSERT INTO failed_attempts(scope, address, at_ms) VALUES($1, $2, $3)", {scope, address, now_ms});
  tx.commit();
}

}  // namespace allervers::server
