// bench_http_attack: GET /api/v1/health under load (wrk, from 127.0.0.1), first alone, then
// while slow connections from another address (127.0.0.3) trickle a header line a byte a
// second (slowloris) — requests per second, latency percentiles, errors.
//
//   bench_http_attack [--compare OTHER_SERVER] [--slow N] [--seconds S] [--connections C]
//
// With --compare, the other build of allervers-server is measured first, then this one.
#include <sys/socket.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <thread>

#include "e2e_support.hpp"
#include "raw_http.hpp"

using namespace allervers;
using namespace std::chrono_literals;

namespace {

struct Load {
  double rps = 0;
  long requests = 0;
  std::string p50 = "-", p99 = "-", max = "-";
  std::string errors;  // wrk's socket errors and non-2xx count, as it prints them
};

// Runs wrk and reads its summary.
Load run_wrk(int port, int seconds, int connections) {
  const auto r = test::run({"/usr/bin/wrk", "-t2", "-c" + std::to_string(connections), "-d" + std::to_string(seconds) + "s",
                            "--latency", "--timeout", "5s", "http://127.0.0.1:" + std::to_string(port) + "/api/v1/health"});
  if (r.exit_code != 0) throw std::runtime_error("wrk failed (is it installed? apt install wrk): " + r.err);
  Load load;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string first, second, third;
    words >> first >> second >> third;
    if (first == "50%") load.p50 = second;
    else if (first == "99%") load.p99 = second;
    else if (first == "Latency" && second != "Distribution") {
      words >> load.max;  // "Latency  avg  stdev  max  +/-"
    } else if (first == "Requests/sec:") load.rps = std::atof(second.c_str());
    else if (second == "requests" && third == "in") load.requests = std::atol(first.c_str());
    else if (line.find("Socket errors") != std::string::npos || line.find("Non-2xx") != std::string::npos)
      load.errors += (load.errors.empty() ? "" : "; ") + line.substr(line.find_first_not_of(' '));
  }
  return load;
}

void row(const std::string& server, const std::string& when, const Load& l) {
  std::printf("| %-8s | %-34s | %9ld | %9.0f | %9s | %9s | %9s | %s |\n", server.c_str(), when.c_str(), l.requests, l.rps,
              l.p50.c_str(), l.p99.c_str(), l.max.c_str(), l.errors.empty() ? "none" : l.errors.c_str());
  std::fflush(stdout);
}

void measure(const std::string& name, int slow_count, int seconds, int connections) {
  test::TempDir dir;
  e2e::ServerProcess server("sqlite:" + (dir.path() / "server.db").string(), dir.path());
  server.start();
  row(name, "alone", run_wrk(server.port(), seconds, connections));
  std::vector<test::RawConnection> slow;
  slow.reserve(static_cast<std::size_t>(slow_count));
  for (int i = 0; i < slow_count; ++i) {
    try {
      slow.emplace_back(server.port(), "127.0.0.3");
      slow.back().send("GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    } catch (const std::exception&) {
      break;  // the server's backlog is full: that is the attack working
    }
  }
  std::atomic<bool> stop{false};
  std::thread trickle([&] {
    while (!stop) {
      for (auto& c : slow) ::send(c.fd(), "s", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
      for (int i = 0; i < 10 && !stop; ++i) std::this_thread::sleep_for(100ms);
    }
  });
  std::this_thread::sleep_for(1s);
  row(name, std::to_string(slow.size()) + " slow connections from 127.0.0.3", run_wrk(server.port(), seconds, connections));
  stop = true;
  trickle.join();
  slow.clear();
  server.kill_hard();  // an old engine may not stop while its threads wait on slow clients
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<std::string> other;
  int slow = 500, seconds = 10, connections = 32;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--compare") other = argv[i + 1];
    else if (flag == "--slow") slow = std::atoi(argv[i + 1]);
    else if (flag == "--seconds") seconds = std::atoi(argv[i + 1]);
    else if (flag == "--connections") connections = std::atoi(argv[i + 1]);
  }
  test::raise_open_files(static_cast<unsigned>(slow) + 1024);
  try {
    std::printf("wrk -t2 -c%d -d%ds --latency --timeout 5s GET /api/v1/health\n\n", connections, seconds);
    std::printf("| server   | while                              | answered | requests/s | p50 | p99 | max | errors |\n");
    std::printf("|---|---|---:|---:|---:|---:|---:|---|\n");
    if (other) {
      setenv("ALLERVERS_SERVER_BINARY", other->c_str(), 1);
      measure("before", slow, seconds, connections);
      unsetenv("ALLERVERS_SERVER_BINARY");
    }
    measure(other ? "after" : "this", slow, seconds, connections);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_http_attack: %s\n", e.what());
    return 1;
  }
  return 0;
}
