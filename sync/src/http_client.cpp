#include "http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <stdexcept>

namespace allervers::sync {
namespace {

std::once_flag g_curl_init;  // curl_global_init must run once, before any thread uses curl

struct BodySink {
  std::string* body;
  std::size_t max;  // 0: no limit
  bool* over;
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* sink = static_cast<BodySink*>(user);
  if (sink->max && sink->body->size() + size * n > sink->max) {
    *sink->over = true;
    return 0;  // libcurl stops the transfer (CURLE_WRITE_ERROR)
  }
  sink->body->append(data, size * n);
  return size * n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  std::string line(data, size * n);
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string value = line.substr(colon + 1);
    const auto b = value.find_first_not_of(" \t");
    const auto e = value.find_last_not_of(" \t\r\n");
    value = b == std::string::npos ? std::string() : value.substr(b, e - b + 1);
    (*static_cast<std::map<std::string, std::string>*>(user))[name] = value;
  }
  return size * n;
}

// Called by libcurl about once a second and on every chunk: a non-zero answer aborts.
int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* cancel = static_cast<const std::atomic<bool>*>(user);
  return cancel && cancel->load() ? 1 : 0;
}

}  // namespace

HttpClient::HttpClient(HttpOptions options) : options_(std::move(options)) {
  std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  curl_ = curl_easy_init();
  if (!curl_) throw std::runtime_error("libcurl could not be initialised");
}

HttpClient::~HttpClient() { curl_easy_cleanup(curl_); }

HttpResult HttpClient::get(const std::string& url, const std::vector<std::string>& headers, std::size_t max_body_bytes) {
  return perform(url, nullptr, headers, max_body_bytes);
}

HttpResult HttpClient::post(const std::string& url, const std::string& body, const std::vector<std::string>& headers) {
  return perform(url, &body, headers);
}

HttpResult HttpClient::perform(const std::string& url, const std::string* body, const std::vector<std::string>& headers,
                               std::size_t max_body_bytes) {
  HttpResult result;
  BodySink sink{&result.body, max_body_bytes, &result.too_large};
  curl_easy_reset(curl_);  // keeps the connection cache
  curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.request_timeout.count()));
  curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.ca_file.empty()) curl_easy_setopt(curl_, CURLOPT_CAINFO, options_.ca_file.c_str());
  curl_easy_setopt(curl_, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl_, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl_, CURLOPT_USERAGENT, "allervers-device/1");
  // Documents come gzipped from servers that can (docs/protocol.md): libcurl inflates them
  // before on_body, so the limit counts what the device keeps, and a bomb stops there.
  curl_easy_setopt(curl_, CURLOPT_ACCEPT_ENCODING, "gzip");
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &result.headers);
  if (options_.cancel) {
    curl_easy_setopt(curl_, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl_, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(curl_, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(options_.cancel));
  }
  curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, list);
  if (body) {
    curl_easy_setopt(curl_, CURLOPT_POST, 1L);
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
  }
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error);
  const CURLcode rc = curl_easy_perform(curl_);
  curl_slist_free_all(list);

  long status = 0, request_size = 0, header_size = 0;
  curl_off_t up = 0, down = 0;
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo(curl_, CURLINFO_REQUEST_SIZE, &request_size);
  curl_easy_getinfo(curl_, CURLINFO_HEADER_SIZE, &header_size);
  curl_easy_getinfo(curl_, CURLINFO_SIZE_UPLOAD_T, &up);
  curl_easy_getinfo(curl_, CURLINFO_SIZE_DOWNLOAD_T, &down);
  result.bytes_sent = request_size + up;
  result.bytes_received = header_size + down;
  if (rc != CURLE_OK) {
    result.status = 0;
    result.timed_out = rc == CURLE_OPERATION_TIMEDOUT;
    result.error = result.too_large ? "the answer is over " + std::to_string(max_body_bytes) + " bytes: abandoned"
                                    : std::string(curl_easy_strerror(rc)) + (error[0] ? std::string(" (") + error + ")" : "");
    return result;
  }
  result.status = static_cast<int>(status);
  return result;
}

}  // namespace allervers::sync
