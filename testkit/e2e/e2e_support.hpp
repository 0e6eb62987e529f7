#pragma once
// End-to-end helpers: a real allervers-server process, a fault-injecting TCP proxy between
// device and server, a device store filled with captures, enrolment through the real CLI.
// Everything listens on 127.0.0.1 only.
#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "allervers/core/consultation.hpp"
#include "allervers/core/uuid.hpp"
#include "allervers/storage/device_store.hpp"
#include "allervers/sync/client.hpp"
#include "test_support.hpp"

namespace allervers::e2e {

std::filesystem::path server_binary();  // ALLERVERS_SERVER_BINARY overrides

// allervers-server serve on a free loopback port, killed (SIGKILL) or stopped (SIGTERM) at will.
class ServerProcess {
 public:
  ServerProcess(std::string database, std::filesystem::path work_dir);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  void start();
  void kill_hard();
  std::vector<std::string> extra_args;  // added to `serve` (e.g. --tls-cert …)
  std::string scheme = "http";  // SIGKILL, then reap
  void stop();       // SIGTERM, then reap
  bool running() const { return pid_ > 0; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string url() const { return scheme + "://127.0.0.1:" + std::to_string(port_); }
  const std::string& database() const { return database_; }

 private:
  std::string database_;
  std::filesystem::path work_dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// Runs an admin command of allervers-server on `database`.
test::RunResult server_cli(const std::string& database, std::vector<std::string> args);
// Makes an enrolment code with the real CLI and returns it.
std::string make_enrol_code(const std::string& database, const std::string& name);
// The capture ids in `allervers-server export --format jsonl`, one per line (duplicates kept).
std::vector<std::string> exported_ids(const std::string& database);

// A TCP connection to 127.0.0.1:`port` (the caller closes it); -1 when refused.
int connect_loopback(int port);

// What the proxy does with one request.
enum class Fault {
  pass,
  drop_response,  // forward, let the server answer (and commit), then close without answering
  answer_500,
  answer_503,
  stall,          // read the request, never answer (the client must time out)
  kill_server,    // forward, then call on_kill while the server works on it
  gzip_bomb,      // answer 200, Content-Encoding: gzip, 128 KiB that inflate to 128 MiB of JSON spaces
};

// A TCP proxy for HTTP/1.1 on 127.0.0.1 that forwards each request to the server and can
// inject a fault chosen per request (numbered from 0 among requests whose path contains
// `fault_path`).
class FaultProxy {
 public:
  explicit FaultProxy(int upstream_port);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  void set_upstream(int port) { upstream_port_ = port; }
  void set_faults(std::string fault_path, std::function<Fault(int index)> choose);
  std::function<void()> on_kill;
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int faults_injected() const { return injected_; }
  std::int64_t delay_ms = 0;  // added before each forwarded request

 private:
  void serve();
  void handle(int client);
  std::atomic<int> upstream_port_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  std::mutex mutex_;
  std::string fault_path_;
  std::function<Fault(int)> choose_;
  int counter_ = 0;
  std::atomic<int> injected_{0};
};

// A device store with the demo catalog.
storage::DeviceStore make_device(const std::filesystem::path& dir, const std::string& name);
// Adds `count` valid captures (opinions, ideas, sign-ins mixed), committed in groups.
std::vector<core::Uuid> add_captures(storage::DeviceStore& store, int count, std::uint64_t seed);

// Options that make a test fast: small timeouts and backoff.
sync::SyncOptions fast_options();

}  // namespace allervers::e2e
