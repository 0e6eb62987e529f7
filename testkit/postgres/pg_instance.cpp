#include "pg_instance.hpp"

#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

namespace allervers::test {
namespace {

int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::filesystem::path find_bin() {
  for (const auto& version : {"17", "16", "15", "14", "13"}) {
    std::filesystem::path p = std::filesystem::path("/usr/lib/postgresql") / version / "bin";
    if (std::filesystem::exists(p / "initdb")) return p;
  }
  throw std::runtime_error("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: "
                           "install the Debian package postgresql (scripts/install-deps.sh)");
}

}  // namespace

PgInstance::PgInstance(bool durable) : bin_(find_bin()), data_(dir_.path() / "data"), root_(::geteuid() == 0) {
  if (root_) {
    const passwd* pg = ::getpwnam("postgres");
    if (!pg) throw std::runtime_error("running as root, but there is no `postgres` user to run PostgreSQL as");
    std::filesystem::permissions(dir_.path(), std::filesystem::perms::owner_all | std::filesystem::perms::group_exec |
                                                  std::filesystem::perms::others_exec);
    if (::chown(dir_.path().c_str(), pg->pw_uid, pg->pw_gid) != 0)
      throw std::runtime_error("cannot give " + dir_.path().string() + " to the postgres user");
  }
  auto r = as_owner({(bin_ / "initdb").string(), "-D", data_.string(), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                     "--locale=C", "--no-sync"});
  if (r.exit_code != 0) throw std::runtime_error("initdb failed: " + r.err + r.out);
  port_ = free_loopback_port();
  std::string settings = "-p " + std::to_string(port_) + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" +
                         dir_.path().string() + " -c max_connections=100";
  if (!durable) settings += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
  // More settings for a measurement, e.g. "-c log_min_duration_statement=0 -c logging_collector=on
  // -c log_directory=/tmp/pglog" to see each statement's time (docs/benchmarks.md).
  if (const char* extra = std::getenv("ALLERVERS_PG_SETTINGS")) settings += std::string(" ") + extra;
  r = as_owner({(bin_ / "pg_ctl").string(), "-D", data_.string(), "-l", (dir_.path() / "log").string(), "-o", settings, "-w",
                "-t", "60", "start"});
  if (r.exit_code != 0)
    throw std::runtime_error("pg_ctl start failed: " + r.err + r.out + "\n" + read_file(dir_.path() / "log"));
  started_ = true;
}

PgInstance::~PgInstance() {
  if (started_) as_owner({(bin_ / "pg_ctl").string(), "-D", data_.string(), "-m", "immediate", "-w", "stop"});
}

RunResult PgInstance::as_owner(std::vector<std::string> argv) const {
  if (root_) argv.insert(argv.begin(), {"/usr/sbin/runuser", "-u", "postgres", "--"});
  return run(argv);
}

std::string PgInstance::url(const std::string& database) const {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

std::string PgInstance::create_database(const std::string& name) {
  PGconn* c = PQconnectdb(url("postgres").c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(c);
    PQfinish(c);
    throw std::runtime_error("cannot connect to the test PostgreSQL: " + msg);
  }
  PGresult* r = PQexec(c, ("CREATE DATABASE \"" + name + "\"").c_str());
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  std::string msg = PQresultErrorMessage(r);
  PQclear(r);
  PQfinish(c);
  if (!ok) throw std::runtime_error("CREATE DATABASE " + name + " failed: " + msg);
  return url(name);
}

}  // namespace allervers::test
