#include "raw_http.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <stdexcept>

namespace allervers::test {

using Clock = std::chrono::steady_clock;

RawConnection::RawConnection(int port, const std::string& from) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error("socket() failed");
  sockaddr_in source{};
  source.sin_family = AF_INET;
  if (inet_pton(AF_INET, from.c_str(), &source.sin_addr) != 1 ||
      ::bind(fd_, reinterpret_cast<sockaddr*>(&source), sizeof source) != 0) {
    ::close(fd_);
    throw std::runtime_error("cannot bind to the source address " + from);
  }
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<std::uint16_t>(port));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    ::close(fd_);
    throw std::runtime_error("cannot connect to port " + std::to_string(port) + " from " + from);
  }
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

RawConnection::RawConnection(RawConnection&& other) noexcept : fd_(other.fd_), buffer_(std::move(other.buffer_)) { other.fd_ = -1; }

bool RawConnection::send(std::string_view data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

bool take_response(std::string& buffer, RawResponse& out) {
  const auto end = buffer.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  RawResponse r;
  const std::string head = buffer.substr(0, end);
  if (head.rfind("HTTP/1.", 0) == 0 && head.size() >= 12) r.status = std::atoi(head.c_str() + 9);
  std::size_t at = head.find("\r\n");
  while (at != std::string::npos) {
    const std::size_t next = head.find("\r\n", at + 2);
    const std::string line = head.substr(at + 2, next == std::string::npos ? std::string::npos : next - at - 2);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      const auto b = line.find_first_not_of(' ', colon + 1);
      r.headers[name] = b == std::string::npos ? "" : line.substr(b);
    }
    at = next;
  }
  std::size_t length = 0;
  if (auto it = r.headers.find("content-length"); it != r.headers.end()) length = std::stoul(it->second);
  if (r.status == 304 || r.status == 204 || r.status / 100 == 1) length = 0;
  if (buffer.size() < end + 4 + length) return false;
  r.body = buffer.substr(end + 4, length);
  r.complete = true;
  buffer.erase(0, end + 4 + length);
  out = std::move(r);
  return true;
}

RawResponse RawConnection::read_response(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  RawResponse r;
  for (;;) {
    if (take_response(buffer_, r)) return r;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{fd_, POLLIN, 0};
    if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) break;
    char chunk[65536];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) break;
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
  // Incomplete: what arrived, for the message of a failed check.
  std::string partial = buffer_;
  if (partial.rfind("HTTP/1.", 0) == 0 && partial.size() >= 12) r.status = std::atoi(partial.c_str() + 9);
  const auto end = partial.find("\r\n\r\n");
  r.body = end == std::string::npos ? std::string() : partial.substr(end + 4);
  return r;
}

bool RawConnection::closed_within(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(std::max<long>(0, left))) <= 0) return false;  // 0: just look
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return true;
  }
}

std::string http_request(const std::string& method, const std::string& path, const std::string& body,
                         std::initializer_list<std::string> headers) {
  std::string r = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& h : headers) r += h + "\r\n";
  if (!body.empty() || method == "POST") r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  return r + "\r\n" + body;
}

long process_memory_kb(pid_t pid, const char* field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  const std::string wanted = std::string(field) + ":";
  while (std::getline(in, line))
    if (line.rfind(wanted, 0) == 0) return std::atol(line.c_str() + wanted.size());
  return -1;
}

void raise_open_files(unsigned n) {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur >= n) return;
  limit.rlim_cur = std::min<rlim_t>(n, limit.rlim_max);
  setrlimit(RLIMIT_NOFILE, &limit);
}

}  // namespace allervers::test
