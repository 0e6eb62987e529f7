#pragma once
// A schema as numbered, described steps, and the runner that brings a database up to date:
// `PRAGMA user_version` is the version; each step runs in its own transaction and sets it; a
// database made by a newer program is refused by name and left untouched. The device
// database (storage/) and the server's SQLite driver both run their steps through this.
// Never edit a step that has shipped: add one.
#include <span>

#include "allervers/sqlite/database.hpp"

namespace allervers::sqlite {

struct Migration {
  int version;              // 1, 2, 3 … in order, none skipped
  const char* description;  // what the step does, for the error when it fails
  const char* sql;          // one or more statements
};

struct Schema {
  std::span<const Migration> steps;
  // What the person should do when the database is newer than this program knows, e.g.
  // "update Aller-vers on this device".
  const char* newer_advice;
  int latest() const { return steps.empty() ? 0 : steps.back().version; }
};

// Reads the schema version; a version newer than the schema's latest is refused (too_new).
int schema_version(Database& db, const Schema& schema);
// Brings an older schema up to date, one step per transaction. Takes no write lock when the
// database is already up to date; two processes upgrading at once each re-read the version
// inside the step's transaction, so a step never runs twice.
void migrate(Database& db, const Schema& schema);

}  // namespace allervers::sqlite
