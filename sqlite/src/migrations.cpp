#include "allervers/sqlite/migrations.hpp"

#include <string>

namespace allervers::sqlite {

int schema_version(Database& db, const Schema& schema) {
  auto q = db.query("PRAGMA user_version");
  q->step();
  const int version = static_cast<int>(q->int64(0));
  if (version > schema.latest())
    throw Error(Error::Kind::too_new, "the database " + db.path().string() + " has schema version " + std::to_string(version) +
                                          ", made by a newer Aller-vers (this one knows up to version " +
                                          std::to_string(schema.latest()) + "); it was left untouched — " +
                                          schema.newer_advice);
  return version;
}

void migrate(Database& db, const Schema& schema) {
  if (schema_version(db, schema) >= schema.latest()) return;  // no write lock taken when up to date
  for (const auto& m : schema.steps) {
    Transaction tx(db);
    if (schema_version(db, schema) >= m.version) continue;  // read inside the transaction: two processes may race
    try {
      db.exec(m.sql);
      db.exec("PRAGMA user_version = " + std::to_string(m.version));
      tx.commit();
    } catch (const Error& e) {
      throw Error(e.kind(), "upgrading to schema version " + std::to_string(m.version) + " (" + m.description +
                                ") failed; the database is unchanged at version " + std::to_string(m.version - 1) + ": " +
                                e.what());
    }
  }
}

}  // namespace allervers::sqlite
