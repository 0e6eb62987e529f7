#pragma once
// A small libcurl wrapper: one easy handle (connections kept alive between requests),
// connect and total timeouts, TLS verification always on, optional CA file.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "allervers/sync/tuning.hpp"

typedef void CURL;

namespace allervers::sync {

struct HttpOptions {
  std::chrono::milliseconds connect_timeout = tuning::connect_timeout;
  std::chrono::milliseconds request_timeout = tuning::request_timeout;
  std::string ca_file;
  const std::atomic<bool>* cancel = nullptr;  // set: the transfer under way is abandoned at once
};

struct HttpResult {
  int status = 0;             // 0 when no answer came (see error)
  std::string error;          // transport failure, as a sentence
  bool timed_out = false;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  std::int64_t bytes_sent = 0, bytes_received = 0;
  bool too_large = false;  // the body went over the limit asked for: abandoned, status 0
};

class HttpClient {
 public:
  explicit HttpClient(HttpOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // `max_body_bytes` > 0: a longer answer is abandoned as it arrives (too_large), never held.
  HttpResult get(const std::string& url, const std::vector<std::string>& headers, std::size_t max_body_bytes = 0);
  HttpResult post(const std::string& url, const std::string& body, const std::vector<std::string>& headers);

 private:
  HttpResult perform(const std::string& url, const std::string* body, const std::vector<std::string>& headers,
                     std::size_t max_body_bytes = 0);
  CURL* curl_ = nullptr;
  HttpOptions options_;
};

}  // namespace allervers::sync
