// The device schema, as numbered steps run by sqlite/'s migration runner. Each step runs in
// its own transaction and sets PRAGMA user_version; a database made by an older version is
// upgraded step by step, one made by a newer version is refused untouched. Never edit a step
// that has shipped: add one.
#include "migrations.hpp"

#include "allervers/storage/device_store.hpp"

namespace allervers::storage {
namespace {

constexpr sqlite::Migration kMigrations[] = {
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
    {5, "ballots: one per voter and vote on this device (the secret ballot's duplicate rule), found by receipt",
     R"sql(
      CREATE UNIQUE INDEX captures_ballot_voter ON captures(
        json_extract(body, '$.ballot.vote'), json_extract(body, '$.ballot.voter')) WHERE kind = 'ballot';
      CREATE INDEX captures_ballot_receipt ON captures(json_extract(body, '$.ballot.receipt')) WHERE kind = 'ballot';
    )sql"},
    {6, "outcomes: what became of the town's ideas and ballots, under their outcome keys (GET /api/v1/outcomes)",
     R"sql(
      CREATE TABLE outcomes(
        kind TEXT NOT NULL CHECK (kind IN ('idea', 'ballot')),
        key TEXT NOT NULL,     -- passes/outcome_keys.hpp: never the receipt code itself
        body TEXT NOT NULL);   -- idea: the protocol's entry; ballot: {"vote", "state"}
      CREATE INDEX outcomes_by_key ON outcomes(kind, key);
    )sql"},
    {7, "media files the catalog names (projects' pictures, pictograms), kept by their SHA-256, and the ones refused",
     R"sql(
      CREATE TABLE media(
        hash TEXT PRIMARY KEY,          -- SHA-256 of data, lower-case hex: checked before keeping
        content_type TEXT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        data BLOB NOT NULL,
        fetched_at_ms INTEGER NOT NULL);
      CREATE TABLE media_refused(
        hash TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        at_ms INTEGER NOT NULL);
    )sql"},
};

constexpr sqlite::Schema kSchema{kMigrations, "update Aller-vers on this device"};

}  // namespace

int latest_schema_version() { return kSchema.latest(); }
int schema_version(sqlite::Database& db) { return sqlite::schema_version(db, kSchema); }
void migrate(sqlite::Database& db) { sqlite::migrate(db, kSchema); }

}  // namespace allervers::storage
