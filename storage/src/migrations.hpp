#pragma once
#include "allervers/storage/database.hpp"

namespace allervers::storage {

// Reads the schema version; refuses a database made by a newer Aller-vers (too_new).
int schema_version(Database& db);
// Brings an older schema up to date, one numbered step per transaction.
void migrate(Database& db);

}  // namespace allervers::storage
