// The device schema, as numbered steps. Each step runs in its own transaction and sets
// PRAGMA user_version; a database made by an older version is upgraded step by step, one made
// by a newer version is refused untouched. Never edit a step that has shipped: add one.
#include "migrations.hpp"

#include <string>

#include "allervers/storage/device_store.hpp"

namespace allervers::storage {
namespace {

struct Migration {
  int version;
  const char* description;
  const char* sql;
};

constexpr Migration kMigrations[] = {
    {1, "the first schema: meta, the capture log and its outbox",
     R"sql(
      CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE captures(
        seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- the device's own sequence number, never reused
        id TEXT NOT NULL UNIQUE,                -- the capture's UUID
        kind TEXT NOT NULL,
        consultation TEXT NOT NULL,
        version INTEGER NOT NULL,
        captured_at_ms INTEGER NOT NULL,
        day TEXT NOT NULL,                      -- local calendar day, YYYY-MM-DD
        body TEXT NOT NULL);                    -- canonical capture JSON
      CREATE TABLE outbox(
        seq INTEGER PRIMARY KEY REFERENCES captures(seq),
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'acked', 'rejected')),
        attempts INTEGER NOT NULL DEFAULT 0,
        reason TEXT,
        updated_at_ms INTEGER);
    )sql"},
    {2, "indexes for captures by consultation and day, and for the pending outbox",
     R"sql(
      CREATE INDEX captures_by_consultation_day ON captures(consultation, day);
      CREATE INDEX captures_by_day ON captures(day);
      CREATE INDEX outbox_pending ON outbox(seq) WHERE state = 'pending';
    )sql"},
    {3, "the channel of each capture as a column, and a log of sync attempts",
     R"sql(
      ALTER TABLE captures ADD COLUMN channel TEXT NOT NULL DEFAULT 'other';
      UPDATE captures SET channel = coalesce(json_extract(body, '$.channel'), 'other');
      CREATE TABLE sync_log(
        id INTEGER PRIMARY KEY,
        at_ms INTEGER NOT NULL,
        error TEXT NOT NULL DEFAULT '');
    )sql"},
    {4, "an index of sign-ins by assembly and pass, for the duplicate rule and head counts",
     R"sql(
      CREATE INDEX captures_signin ON captures(
        json_extract(body, '$.signin.assembly'), json_extract(body, '$.signin.pass')) WHERE kind = 'signin';
    )sql"},
};

}  // namespace

int latest_schema_version() { return kMigrations[std::size(kMigrations) - 1].version; }

int schema_version(Database& db) {
  auto q = db.query("PRAGMA user_version");
  q->step();
  const int version = static_cast<int>(q->int64(0));
  if (version > latest_schema_version())
    throw StorageError(StorageError::Kind::too_new,
                       "the database " + db.path().string() + " has schema version " + std::to_string(version) +
                           ", made by a newer Aller-vers (this one knows up to version " +
                           std::to_string(latest_schema_version()) +
                           "); it was left untouched — update Aller-vers on this device");
  return version;
}

void migrate(Database& db) {
  if (schema_version(db) >= latest_schema_version()) return;  // no write lock taken when up to date
  for (const auto& m : kMigrations) {
    Transaction tx(db);
    if (schema_version(db) >= m.version) continue;  // read inside the transaction: two processes may race
    try {
      db.exec(m.sql);
      db.exec("PRAGMA user_version = " + std::to_string(m.version));
      tx.commit();
    } catch (const StorageError& e) {
      throw StorageError(e.kind(), "upgrading to schema version " + std::to_string(m.version) + " (" +
                                       m.description + ") failed; the database is unchanged at version " +
                                       std::to_string(m.version - 1) + ": " + e.what());
    }
  }
}

}  // namespace allervers::storage
