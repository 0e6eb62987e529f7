#pragma once
#include <stdexcept>
#include <string>

namespace allervers::storage {

// Every storage failure, said as a sentence a person can act on, with what failed and where.
class StorageError : public std::runtime_error {
 public:
  enum class Kind {
    corrupt,        // the file is damaged or not a database: left untouched
    locked,         // another process holds the database
    read_only,      // the file or the disk cannot be written
    full,           // no space left (or the size cap was reached)
    too_new,        // made by a newer Aller-vers
    not_found,      // no device database where it was looked for
    already_exists, // `init` where a device already lives
    conflict,       // an id already stored with other content
    io,             // any other input/output failure
    other,
  };
  StorageError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

}  // namespace allervers::storage
