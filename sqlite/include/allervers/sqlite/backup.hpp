#pragma once
// A consistent copy of a database while others write to it (SQLite's online backup), and the
// check that a file is a whole database before anything trusts it.
#include <cstdint>
#include <filesystem>

#include "allervers/sqlite/database.hpp"

namespace allervers::sqlite {

// Copies `from` into the new file `to` in one read transaction (a snapshot: writers in WAL
// mode go on meanwhile), as a single file (rollback journal, not WAL), synced to disk, written
// beside `to` and renamed into place. Refuses (already_exists) when `to` exists.
void backup(Database& from, const std::filesystem::path& to);

// What a whole database file says of itself.
struct FileFacts {
  std::int64_t bytes = 0;
  std::int64_t user_version = 0;
};

// Checks that `file` is a whole SQLite database: its size is the page count its header
// announces, and `PRAGMA quick_check` finds nothing. Throws Error (corrupt, not_found) saying
// what is wrong; opens the file read-only and leaves it as it was.
FileFacts check_whole_file(const std::filesystem::path& file);

}  // namespace allervers::sqlite
