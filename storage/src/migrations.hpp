#pragma once
// The device schema's steps (migrations.cpp), run by sqlite/'s migration runner.
#include "allervers/sqlite/migrations.hpp"

namespace allervers::storage {

// Reads the schema version; refuses a database made by a newer Aller-vers (too_new).
int schema_version(sqlite::Database& db);
// Brings an older schema up to date, one numbered step per transaction.
void migrate(sqlite::Database& db);

}  // namespace allervers::storage
