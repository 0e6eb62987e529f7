#pragma once
// What every area of the server's store shares: the one connection of the ServerStore it is
// part of (store.hpp). An area is a set of tables and the SQL over them, written once for
// both databases (sql.hpp says what SQL is portable).
#include "allervers/server/sql.hpp"

namespace allervers::server {

class StoreArea {
 public:
  virtual ~StoreArea() = default;

 protected:
  virtual sql::Driver& db() = 0;  // the ServerStore's connection
};

}  // namespace allervers::server
