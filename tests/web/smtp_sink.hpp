#pragma once
// A real local SMTP server for the mail tests (tests/web/tools/smtp_sink.py, Debian's
// python3-aiosmtpd), running while a SmtpSink lives: the messages it accepted, read back as
// files; a recipient starting with "refuse" is answered 550. Shared by the mail tests and the
// console's outbox tests.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "allervers/crypto/base64.hpp"
#include "allervers/web/idea_mail.hpp"
#include "test_support.hpp"

namespace allervers::test {

inline bool listening(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

inline int free_port() {
  std::random_device rd;
  for (;;) {
    const int port = 20000 + static_cast<int>(rd() % 30000);
    if (!listening(port)) return port;
  }
}

// The SMTP sink, running while this object lives (closing its stdin stops it).
struct SmtpSink {
  test::TempDir dir;
  int port = free_port();
  FILE* process = nullptr;
  SmtpSink() {
    const auto script = test::assets_dir() / "../tests/web/tools/smtp_sink.py";
    const std::string command = "/usr/bin/python3 " + script.string() + " " + std::to_string(port) + " " + dir.path().string() + " >/dev/null";
    process = ::popen(command.c_str(), "w");
    REQUIRE(process);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (!listening(port)) {
      REQUIRE(std::chrono::steady_clock::now() < deadline);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  ~SmtpSink() { ::pclose(process); }
  // The server's own SMTP code (libcurl) pointed at this relay.
  std::unique_ptr<web::MailTransport> transport() const {
    web::SmtpSettings settings;
    settings.host = "127.0.0.1";
    settings.port = port;
    settings.timeout = std::chrono::seconds(10);
    return web::smtp_transport(settings);
  }
  std::vector<std::string> messages() const {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir.path()))
      if (e.path().extension() == ".eml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::vector<std::string> out;
    for (const auto& f : files) out.push_back(test::read_file(f));
    return out;
  }
};

inline std::string body_text(const std::string& message) {
  const auto at = message.find("\r\n\r\n");
  std::string b64;
  for (char c : message.substr(at + 4))
    if (c != '\r' && c != '\n') b64 += c;
  const auto bytes = crypto::from_base64(b64);
  return bytes ? std::string(bytes->begin(), bytes->end()) : std::string();
}

}  // namespace allervers::test
