#pragma once
// HTTP/1.1 over a plain socket, byte by byte as an attacker (or a careful client) sends it:
// chosen source addresses on loopback (any of 127.0.0.0/8), requests cut or trickled,
// answers read with a deadline. For the tests of the HTTP engine's bounds.
#include <sys/types.h>

#include <chrono>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

namespace allervers::test {

struct RawResponse {
  int status = 0;  // 0: no status line arrived
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  bool complete = false;  // the head and the whole Content-Length body arrived
};

class RawConnection {
 public:
  // Connects to 127.0.0.1:port from `from` (a loopback address), with TCP_NODELAY. Throws
  // std::runtime_error when the connection cannot be made.
  explicit RawConnection(int port, const std::string& from = "127.0.0.1");
  ~RawConnection();
  RawConnection(RawConnection&& other) noexcept;
  RawConnection& operator=(RawConnection&&) = delete;
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  int fd() const { return fd_; }
  // Sends all of `data`; false when the server closed or reset the connection.
  bool send(std::string_view data);
  // One answer (its head, and its body by Content-Length), or what arrived before the
  // server closed or `timeout` passed.
  RawResponse read_response(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // True when the server closes the connection (end of stream or reset) within `timeout`;
  // bytes it sends meanwhile are read and dropped.
  bool closed_within(std::chrono::milliseconds timeout);

 private:
  int fd_ = -1;
  std::string buffer_;  // read but not yet parsed
};

// Takes one whole answer from the front of `buffer` (removing it); false when more bytes are needed.
bool take_response(std::string& buffer, RawResponse& out);

// A request's bytes: `headers` as whole lines without CRLF ("Content-Type: x").
std::string http_request(const std::string& method, const std::string& path, const std::string& body = "",
                         std::initializer_list<std::string> headers = {});

// Kilobytes from /proc/PID/status: "VmRSS" (now) or "VmHWM" (the peak since start).
long process_memory_kb(pid_t pid, const char* field);

// Raises this process's soft limit of open files to at least `n` (tests with many sockets).
void raise_open_files(unsigned n);

}  // namespace allervers::test
