// ServerStore: one connection and every area over it; opening by URL.
#include "allervers/server/store.hpp"

#include "schema.hpp"

namespace allervers::server {

ServerStore::ServerStore(std::unique_ptr<sql::Driver> driver) : driver_(std::move(driver)) {}

const char* ServerStore::backend() const { return driver_->name(); }

void ServerStore::migrate() {
  driver_->migrate(schema_steps());
  derive_missing_facts();
  derive_missing_ideas();
}

namespace {
std::unique_ptr<ServerStore> opened(std::unique_ptr<sql::Driver> driver) {
  auto store = std::make_unique<ServerStore>(std::move(driver));
  store->migrate();
  return store;
}
}  // namespace

std::unique_ptr<ServerStore> open_sqlite_store(const std::string& path) { return opened(sql::open_sqlite(path)); }

std::unique_ptr<ServerStore> open_postgres_store(const std::string& conninfo) { return opened(sql::open_postgresql(conninfo)); }

std::unique_ptr<ServerStore> open_store(const std::string& url, std::shared_ptr<const crypto::AtRestKey> secrets_key) {
  std::unique_ptr<ServerStore> store;
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) store = open_postgres_store(url);
  else if (url.rfind("sqlite:", 0) == 0) store = open_sqlite_store(url.substr(7));
  else if (url.find("://") != std::string::npos)
    throw StoreError("unknown database \"" + url + "\": use sqlite:PATH or postgresql://USER@HOST:PORT/DB");
  else store = open_sqlite_store(url);
  if (secrets_key) {
    store->use_secrets_key(std::move(secrets_key));
    store->protect_secrets();
  }
  return store;
}

}  // namespace allervers::server
