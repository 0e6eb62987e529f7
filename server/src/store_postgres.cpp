#include "allervers/server/store.hpp"
namespace allervers::server {
std::unique_ptr<ServerStore> open_postgres_store(const std::string&) { throw StoreError("PostgreSQL: not yet"); }
}
