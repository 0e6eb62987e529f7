#pragma once
// A throw-away PostgreSQL for tests and benchmarks: initdb into a temporary folder, started
// on a free loopback port, stopped and removed at the end. As root, the server runs as the
// `postgres` system user (PostgreSQL refuses root); otherwise as the current user.
// Never skips: when PostgreSQL cannot be set up, the constructor throws and says why.
#include <filesystem>
#include <string>

#include "test_support.hpp"

namespace allervers::test {

class PgInstance {
 public:
  explicit PgInstance(bool durable = false);  // durable: fsync on (benchmarks), off for tests
  ~PgInstance();
  PgInstance(const PgInstance&) = delete;
  PgInstance& operator=(const PgInstance&) = delete;

  int port() const { return port_; }
  // A fresh, empty database and its URL for allervers-server --database.
  std::string create_database(const std::string& name);
  std::string url(const std::string& database) const;

 private:
  RunResult as_owner(std::vector<std::string> argv) const;
  TempDir dir_;
  std::filesystem::path bin_, data_;
  int port_ = 0;
  bool root_ = false;
  bool started_ = false;
};

}  // namespace allervers::test
