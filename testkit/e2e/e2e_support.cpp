#include "e2e_support.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "allervers/core/capture_json.hpp"
#include "allervers/core/validation.hpp"
#include "allervers/sync/protocol.hpp"
#include "demo_captures.hpp"

namespace allervers::e2e {

using namespace std::chrono_literals;

// ALLERVERS_SERVER_BINARY runs the same tests or benchmarks against another build of the
// server (an older engine, for a before/after figure).
std::filesystem::path server_binary() {
  const char* other = std::getenv("ALLERVERS_SERVER_BINARY");
  return other && *other ? std::filesystem::path(other) : test::binary_dir() / "server" / "allervers-server";
}

// --- ServerProcess ---------------------------------------------------------------------

ServerProcess::ServerProcess(std::string database, std::filesystem::path work_dir)
    : database_(std::move(database)), work_dir_(std::move(work_dir)) {}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) stop();
}

void ServerProcess::start() {
  const auto port_file = work_dir_ / ("port-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
  std::filesystem::remove(port_file);
  const std::string bin = server_binary().string();
  const std::string log = (work_dir_ / "server.log").string();
  // Restart on the same port when there was one (the proxy or device knows it).
  const std::string listen = "127.0.0.1:" + std::to_string(port_);
  std::vector<std::string> argv{bin, "--database", database_, "serve", "--listen", listen, "--port-file", port_file.string(), "--quiet"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    // Inherit nothing else: a copy of the proxy's client socket kept open by the server
    // would hide the connection being closed from the device.
    for (int other = 3; other < 1024; ++other) ::close(other);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + 15s;
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(port_file);
    int p = 0;
    if (in >> p && p > 0) {
      port_ = p;
      std::filesystem::remove(port_file);
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("allervers-server exited at start: " + test::read_file(log));
    }
    std::this_thread::sleep_for(10ms);
  }
  throw std::runtime_error("allervers-server did not start within 15 s");
}

void ServerProcess::kill_hard() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void ServerProcess::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 500; ++i) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(10ms);
  }
  kill_hard();
}

// --- CLI -------------------------------------------------------------------------------

test::RunResult server_cli(const std::string& database, std::vector<std::string> args) {
  args.insert(args.begin(), {server_binary().string(), "--database", database});
  return test::run(args);
}

std::string make_enrol_code(const std::string& database, const std::string& name) {
  auto r = server_cli(database, {"enrol-code", "--name", name, "--no-qr"});
  if (r.exit_code != 0) throw std::runtime_error("enrol-code failed: " + r.err);
  const auto colon = r.out.find("\": ");
  if (colon == std::string::npos) throw std::runtime_error("enrol-code printed no code: " + r.out);
  return r.out.substr(colon + 3, 19);
}

std::vector<std::string> exported_ids(const std::string& database) {
  auto r = server_cli(database, {"export", "--format", "jsonl"});
  if (r.exit_code != 0) throw std::runtime_error("export failed: " + r.err);
  std::vector<std::string> ids;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line);
    ids.push_back(j.at("capture").at("id").get<std::string>());
  }
  return ids;
}

// --- FaultProxy ------------------------------------------------------------------------

int connect_loopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

namespace {

bool send_all(int fd, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

// Reads one HTTP message (headers + Content-Length body) from `fd`; `buffer` keeps extra bytes.
bool read_message(int fd, std::string& buffer, std::string& message, const std::atomic<bool>& stopping) {
  auto have_message = [&]() -> bool {
    const auto end = buffer.find("\r\n\r\n");
    if (end == std::string::npos) return false;
    std::size_t length = 0;
    std::string head = buffer.substr(0, end);
    for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto cl = head.find("content-length:");
    if (cl != std::string::npos) length = std::stoul(head.substr(cl + 15));
    if (buffer.size() < end + 4 + length) return false;
    message = buffer.substr(0, end + 4 + length);
    buffer.erase(0, end + 4 + length);
    return true;
  };
  while (!have_message()) {
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, 100);
    if (stopping) return false;
    if (ready <= 0) continue;
    char buf[65536];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return false;
    buffer.append(buf, static_cast<std::size_t>(n));
  }
  return true;
}

std::string canned(int status) {
  const std::string body = R"({"error":"injected","message":"fault injected by the test proxy"})";
  return "HTTP/1.1 " + std::to_string(status) + (status == 500 ? " Internal Server Error" : " Service Unavailable") +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// A hostile server's answer: 128 KiB on the wire that inflates to 128 MiB, twice what a device
// takes for a document (made once).
const std::string& gzip_bomb() {
  static const std::string answer = [] {
    const std::string zipped = sync::protocol::gzip_compress(std::string(std::size_t{128} << 20, ' '), 6);
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: " +
           std::to_string(zipped.size()) + "\r\n\r\n" + zipped;
  }();
  return answer;
}

}  // namespace

FaultProxy::FaultProxy(int upstream_port) : upstream_port_(upstream_port) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 16) != 0)
    throw std::runtime_error("proxy: cannot listen");
  socklen_t len = sizeof addr;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { serve(); });
}

FaultProxy::~FaultProxy() {
  stopping_ = true;
  thread_.join();
  ::close(listen_fd_);
}

void FaultProxy::set_faults(std::string fault_path, std::function<Fault(int)> choose) {
  std::lock_guard lock(mutex_);
  fault_path_ = std::move(fault_path);
  choose_ = std::move(choose);
  counter_ = 0;
}

void FaultProxy::serve() {
  // One client connection at a time is enough for one device; handled on this thread.
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    handle(client);
    ::close(client);
  }
}

void FaultProxy::handle(int client) {
  std::string from_client;
  std::string request;
  while (!stopping_ && read_message(client, from_client, request, stopping_)) {
    Fault fault = Fault::pass;
    {
      std::lock_guard lock(mutex_);
      const auto line_end = request.find("\r\n");
      if (choose_ && request.substr(0, line_end).find(fault_path_) != std::string::npos) fault = choose_(counter_++);
    }
    if (fault != Fault::pass) ++injected_;
    if (delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    if (fault == Fault::answer_500 || fault == Fault::answer_503) {
      if (!send_all(client, canned(fault == Fault::answer_500 ? 500 : 503))) return;
      continue;
    }
    if (fault == Fault::gzip_bomb) {
      if (!send_all(client, gzip_bomb())) return;
      continue;
    }
    if (fault == Fault::stall) {  // hold the connection until the client gives up
      char buf[4096];
      while (!stopping_) {
        pollfd p{client, POLLIN, 0};
        if (::poll(&p, 1, 100) > 0 && ::recv(client, buf, sizeof buf, 0) <= 0) return;
      }
      return;
    }
    const int upstream = connect_loopback(upstream_port_);
    if (upstream < 0) return;  // server down: the client sees the connection close
    if (!send_all(upstream, request)) {
      ::close(upstream);
      return;
    }
    if (fault == Fault::kill_server) {
      std::this_thread::sleep_for(2ms);  // let the server start on it
      if (on_kill) on_kill();
      ::close(upstream);
      return;
    }
    std::string from_upstream, response;
    const bool answered = read_message(upstream, from_upstream, response, stopping_);
    ::close(upstream);
    if (!answered) return;
    if (fault == Fault::drop_response) return;  // the server committed; the device never hears of it
    if (!send_all(client, response)) return;
  }
}

// --- device ----------------------------------------------------------------------------

storage::DeviceStore make_device(const std::filesystem::path& dir, const std::string& name) {
  core::SystemClock clock;
  auto store = storage::DeviceStore::create(dir, name, clock.now());
  store.save_catalog(test::demo_catalog());
  return store;
}

std::vector<core::Uuid> add_captures(storage::DeviceStore& store, int count, std::uint64_t seed) {
  core::UuidGenerator ids(seed);
  core::SystemClock clock;
  const auto& catalog = store.catalog();
  const auto device = store.identity().device;
  std::vector<core::Uuid> out;
  out.reserve(static_cast<std::size_t>(count));
  const core::Instant base = clock.now();
  static constexpr const char* kNeighbourhoods[] = {"centre", "gare", "bois-joli", "pres-fleuris", "bords-de-loire"};
  std::optional<storage::DeviceStore::Group> group;
  for (int n = 0; n < count; ++n) {
    if (!group) group.emplace(store);
    core::Instant when{base.utc_ms - (count - n) * 1000LL, 60};
    core::Capture c;
    c.id = ids.next(when.utc_ms);
    c.device = device;
    c.captured_at = when;
    c.channel = core::kAllChannels[n % 6];
    switch (n % 10) {
      case 0: {
        c.consultation = "budget-participatif-2027";
        c.version = 1;
        core::Idea idea;
        idea.title = "Idée n° " + std::to_string(n);
        idea.description = "Des bancs à l'ombre près de l'école, proposition " + std::to_string(n);
        idea.theme = "cadre-de-vie";
        idea.neighbourhood = kNeighbourhoods[n % 5];
        idea.estimated_cost_eur = 1000 + n;
        if (n % 20 == 0) idea.contact = core::SealedContact{true, "gIGCg4SFhoeIiYqLjI2Oj5CRkpOUlZaXmJmam5ydnp+goaKjpKWmp6ipqqusra6vsA=="};
        c.body = idea;
        break;
      }
      case 5: {
        core::SignIn s;
        s.assembly = "conseil-centre-2026-12";
        s.neighbourhood = kNeighbourhoods[n % 5];
        c.body = s;
        break;
      }
      default: {
        c.consultation = "place-jean-jaures";
        c.version = 1;
        c.body = test::demo_opinion(n, "Réponse n° " + std::to_string(n));
      }
    }
    auto result = core::validate(c, catalog, clock.now());
    if (!result.ok()) throw std::runtime_error("test capture is invalid: " + core::describe(result.errors()));
    group->add(result.valid());
    out.push_back(c.id);
    if (group->size() >= 1000) {
      group->commit();
      group.reset();
    }
  }
  if (group) group->commit();
  return out;
}

sync::SyncOptions fast_options() {
  sync::SyncOptions o;
  o.connect_timeout = 1000ms;
  o.request_timeout = 3000ms;
  o.backoff_initial = 20ms;
  o.backoff_max = 200ms;
  o.attempts_per_pass = 8;
  return o;
}

}  // namespace allervers::e2e
