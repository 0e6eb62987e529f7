#include "allervers/sqlite/backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <array>
#include <fstream>

namespace allervers::sqlite {

namespace fs = std::filesystem;

namespace {

void sync_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    if (fd >= 0) ::close(fd);
    throw Error(Error::Kind::io, "cannot sync " + path.string() + " to disk");
  }
  ::close(fd);
}

std::uint32_t big_endian(const unsigned char* p, int n) {
  std::uint32_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

void backup(Database& from, const fs::path& to) {
  std::error_code ec;
  if (fs::exists(to, ec)) throw Error(Error::Kind::already_exists, to.string() + " already exists: a backup never overwrites a file");
  const fs::path partial = to.string() + ".partial";
  fs::remove(partial, ec);
  {
    DatabaseOptions options;
    options.create = true;
    Database copy(partial, options);
    sqlite3_backup* job = sqlite3_backup_init(copy.handle(), "main", from.handle(), "main");
    if (!job) copy.fail(sqlite3_errcode(copy.handle()), "starting the backup of " + from.path().string());
    // One step: the whole copy under one read transaction, so it is one moment of the source.
    int rc = sqlite3_backup_step(job, -1);
    sqlite3_backup_finish(job);
    if (rc != SQLITE_DONE) {
      fs::remove(partial, ec);
      copy.fail(rc, "copying " + from.path().string());
    }
    copy.exec("PRAGMA journal_mode=DELETE");  // one self-contained file, no -wal beside it
  }
  sync_file(partial);
  fs::rename(partial, to);
  sync_file(to.parent_path().empty() ? fs::path(".") : to.parent_path());
}

FileFacts check_whole_file(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) throw Error(Error::Kind::not_found, file.string() + " is not a file");
  FileFacts facts;
  facts.bytes = static_cast<std::int64_t>(fs::file_size(file));
  std::array<unsigned char, 100> header{};
  {
    std::ifstream in(file, std::ios::binary);
    in.read(reinterpret_cast<char*>(header.data()), header.size());
    if (in.gcount() < static_cast<std::streamsize>(header.size()) ||
        std::string(reinterpret_cast<const char*>(header.data()), 16) != std::string("SQLite format 3\0", 16))
      throw Error(Error::Kind::corrupt, file.string() + " is not an SQLite database");
  }
  std::int64_t page_size = big_endian(&header[16], 2);
  if (page_size == 1) page_size = 65536;
  const std::int64_t pages = big_endian(&header[28], 4);
  // The header's page count is valid when its change counter matches (every SQLite since 3.7).
  const bool count_valid = big_endian(&header[24], 4) == big_endian(&header[92], 4) && pages > 0;
  if (count_valid && facts.bytes < page_size * pages)
    throw Error(Error::Kind::corrupt, file.string() + " is truncated: " + std::to_string(facts.bytes) + " bytes of the " +
                                          std::to_string(page_size * pages) + " its header announces");
  DatabaseOptions options;
  options.read_only = true;
  Database db(file, options);
  {
    auto check = db.query("PRAGMA quick_check");
    if (!check->step() || check->text(0) != "ok")
      throw Error(Error::Kind::corrupt, file.string() + " is damaged: " + (check->columns() ? check->text(0) : std::string("?")));
  }
  auto version = db.query("PRAGMA user_version");
  version->step();
  facts.user_version = version->int64(0);
  return facts;
}

}  // namespace allervers::sqlite
