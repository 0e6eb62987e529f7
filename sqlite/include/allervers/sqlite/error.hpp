#pragma once
#include <stdexcept>
#include <string>

namespace allervers::sqlite {

// Every database failure, said as a sentence a person can act on, with what failed and where.
// storage/ names it storage::StorageError (the device's failures use the same kinds).
class Error : public std::runtime_error {
 public:
  enum class Kind {
    corrupt,        // the file is damaged or not a database: left untouched
    locked,         // another process holds the database
    read_only,      // the file or the disk cannot be written
    full,           // no space left (or the size cap was reached)
    too_new,        // made by a newer Aller-vers
    not_found,      // no database where it was looked for
    already_exists, // a database is already there (`init` where a device already lives)
    conflict,       // an id already stored with other content
    io,             // any other input/output failure
    other,
  };
  Error(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

}  // namespace allervers::sqlite
