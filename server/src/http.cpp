// The HTTP engine: libmicrohttpd 0.9.75 adapted onto a Router.
//
// Sections: worker pool · engine state · connection registry and reaper · answers ·
// streamed bodies · the access handler · logs · HttpServer and serve_http.
//
// A request's way through: MHD's I/O threads read its head into the connection's memory
// pool (beyond it MHD itself answers 414/431); on the first call we check the declared body
// against the mount's limit and the body budget, and refuse it (413/411/503) before a byte
// of it is read; then the body is buffered, the connection suspended and the request handed
// to a worker thread; the worker runs the handler and resumes the connection; MHD calls us
// again and the answer is queued. The I/O threads never wait on a handler or a database.
#include "allervers/server/http.hpp"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <csignal>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <unordered_set>
#include <vector>

#include "allervers/core/time.hpp"
#include "allervers/server/api.hpp"

namespace allervers::server {
namespace {

using Clock = std::chrono::steady_clock;

// --- worker pool -----------------------------------------------------------------------

// Runs handlers (and streamed bodies' producers) off the I/O threads. Jobs are short: one
// request, or one part of a streamed body.
class WorkerPool {
 public:
  explicit WorkerPool(int threads) {
    for (int i = 0; i < std::max(1, threads); ++i) threads_.emplace_back([this] { run(); });
  }
  ~WorkerPool() { stop(); }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void post(std::function<void()> job) {
    {
      std::lock_guard lock(mutex_);
      jobs_.push_back(std::move(job));
    }
    wake_.notify_one();
  }

  // Runs what is queued, then joins the threads.
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }

 private:
  void run() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty()) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// --- engine state ----------------------------------------------------------------------

// One TCP connection (MHD's socket context), known to the reaper.
struct Connection {
  enum class Phase { head, body, handling };
  int fd = -1;
  Phase phase = Phase::head;   // guarded by Engine::registry_mutex
  Clock::time_point deadline;  // head or body must be complete by then
};

// One request and its answer (MHD's con_cls).
struct Exchange {
  MHD_Connection* connection = nullptr;
  Connection* socket = nullptr;
  HttpRequest request;
  std::size_t declared = 0;  // Content-Length
  std::size_t reserved = 0;  // of the body budget, given back when the exchange ends
  bool dispatched = false;
  std::optional<HttpResponse> answer;  // set by the worker before it resumes the connection
  int status = 0;
  std::size_t bytes_out = 0;
};

struct Engine {
  Engine(const Router& r, const ListenOptions& o) : router(r), options(o), workers(o.threads) {}

  const Router& router;
  ListenOptions options;
  WorkerPool workers;
  std::atomic<bool> stopping{false};
  std::atomic<int> in_flight{0};             // connections suspended for a worker
  std::atomic<std::size_t> body_bytes{0};    // reserved of http_tuning::body_budget_bytes

  std::mutex registry_mutex;
  std::unordered_set<Connection*> connections;

  std::mutex log_mutex;
  Clock::time_point log_window_start = Clock::now();
  int logged_in_window = 0, left_out = 0;
  std::string last_message;  // the last thing MHD said (start-up failures)

  // A connection is about to wait for a worker. False when the server is stopping: then
  // nothing new may be suspended (stopping the daemon with suspended connections is not allowed).
  bool begin_work() {
    in_flight.fetch_add(1);
    if (!stopping.load()) return true;
    in_flight.fetch_sub(1);
    return false;
  }
  void end_work(MHD_Connection* c) {
    MHD_resume_connection(c);
    in_flight.fetch_sub(1);
  }

  void set_phase(Connection* s, Connection::Phase phase, Clock::duration allowed) {
    if (!s) return;
    std::lock_guard lock(registry_mutex);
    s->phase = phase;
    s->deadline = Clock::now() + allowed;
  }

  void log(const std::string& message);
};

void Engine::log(const std::string& message) {
  std::lock_guard lock(log_mutex);
  last_message = message;
  const auto now = Clock::now();
  if (now - log_window_start > http_tuning::log_window) {
    if (left_out > 0) std::fprintf(stderr, "allervers-server: http: %d more messages left out\n", left_out);
    log_window_start = now;
    logged_in_window = left_out = 0;
  }
  if (++logged_in_window > http_tuning::log_burst) {
    ++left_out;
    return;
  }
  std::fprintf(stderr, "allervers-server: http: %s\n", message.c_str());
}

// --- connection registry and reaper ----------------------------------------------------

void on_connection(void* cls, MHD_Connection* c, void** socket_context, MHD_ConnectionNotificationCode code) {
  auto& e = *static_cast<Engine*>(cls);
  if (code == MHD_CONNECTION_NOTIFY_STARTED) {
    auto* s = new Connection;
    if (const auto* info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD)) s->fd = info->connect_fd;
    s->deadline = Clock::now() + e.options.head_timeout;
    *socket_context = s;
    std::lock_guard lock(e.registry_mutex);
    e.connections.insert(s);
  } else if (auto* s = static_cast<Connection*>(*socket_context)) {
    // MHD calls this before it closes the socket: under the mutex the reaper never touches
    // a descriptor already closed (and perhaps reused).
    {
      std::lock_guard lock(e.registry_mutex);
      e.connections.erase(s);
    }
    delete s;
    *socket_context = nullptr;
  }
}

// Shuts down connections past their deadline; MHD then sees them end and cleans up.
void reap(Engine& e) {
  const auto now = Clock::now();
  int dropped = 0;
  std::lock_guard lock(e.registry_mutex);
  for (Connection* s : e.connections) {
    if (s->phase == Connection::Phase::handling || now < s->deadline || s->fd < 0) continue;
    ::shutdown(s->fd, SHUT_RDWR);
    s->phase = Connection::Phase::handling;  // once is enough
    ++dropped;
  }
  if (dropped > 0) e.log("dropped " + std::to_string(dropped) + " connection(s) too slow to send their request");
}

// --- answers ---------------------------------------------------------------------------

struct Stream;
ssize_t read_stream(void* cls, std::uint64_t, char* buf, std::size_t max);
void free_stream(void* cls);

// A part of a streamed body is made on a worker while the connection is suspended; the I/O
// thread copies it out. Only one side touches it at a time (suspend/resume hands it over).
struct Stream {
  Engine& engine;
  Exchange& exchange;
  BodyProducer produce;
  std::string part;
  std::size_t offset = 0;
  bool finished = false, failed = false;
};

MHD_Result queue(Engine& e, Exchange& ex, HttpResponse r) {
  MHD_Response* response = nullptr;
  if (r.stream) {
    auto* s = new Stream{e, ex, std::move(r.stream), {}, 0, false, false};
    response = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, http_tuning::stream_part_bytes, &read_stream, s, &free_stream);
    if (!response) delete s;
  } else {
    auto* body = new std::string(std::move(r.body));
    ex.bytes_out = body->size();
    response = MHD_create_response_from_buffer_with_free_callback_cls(
        body->size(), body->data(), [](void* cls) { delete static_cast<std::string*>(cls); }, body);
    if (!response) delete body;
  }
  if (!response) return MHD_NO;
  for (const auto& [name, value] : r.headers) MHD_add_response_header(response, name.c_str(), value.c_str());
  if (!r.content_type.empty() && r.status != 304) MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, r.content_type.c_str());
  ex.status = r.status;
  const MHD_Result queued = MHD_queue_response(ex.connection, static_cast<unsigned>(r.status), response);
  MHD_destroy_response(response);
  return queued;
}

// --- streamed bodies -------------------------------------------------------------------

ssize_t read_stream(void* cls, std::uint64_t, char* buf, std::size_t max) {
  auto& s = *static_cast<Stream*>(cls);
  if (s.offset < s.part.size()) {
    const std::size_t n = std::min(max, s.part.size() - s.offset);
    std::memcpy(buf, s.part.data() + s.offset, n);
    s.offset += n;
    s.exchange.bytes_out += n;
    return static_cast<ssize_t>(n);
  }
  if (s.failed) return MHD_CONTENT_READER_END_WITH_ERROR;
  if (s.finished) return MHD_CONTENT_READER_END_OF_STREAM;
  if (!s.engine.begin_work()) return MHD_CONTENT_READER_END_WITH_ERROR;  // stopping: the client sees a cut body
  s.part.clear();
  s.offset = 0;
  MHD_Connection* c = s.exchange.connection;
  MHD_suspend_connection(c);
  s.engine.workers.post([&s, c] {
    try {
      s.finished = !s.produce(s.part, http_tuning::stream_part_bytes);
    } catch (const std::exception& e) {
      s.failed = true;
      s.engine.log(std::string("a streamed body failed: ") + e.what());
    }
    s.engine.end_work(c);  // `s` may be gone after this
  });
  return 0;  // nothing yet: MHD asks again once resumed
}

void free_stream(void* cls) { delete static_cast<Stream*>(cls); }

// --- the access handler ----------------------------------------------------------------

std::string address_text(const sockaddr* a) {
  char text[INET6_ADDRSTRLEN] = "?";
  if (!a) return text;
  if (a->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(a)->sin_addr, text, sizeof text);
  } else if (a->sa_family == AF_INET6) {
    const auto* a6 = reinterpret_cast<const sockaddr_in6*>(a);
    if (IN6_IS_ADDR_V4MAPPED(&a6->sin6_addr)) inet_ntop(AF_INET, &a6->sin6_addr.s6_addr[12], text, sizeof text);
    else inet_ntop(AF_INET6, &a6->sin6_addr, text, sizeof text);
  }
  return text;
}

// An IP address in its canonical text ("::ffff:192.0.2.1" read as "192.0.2.1"); "" when not one.
std::string canonical_address(std::string_view text) {
  std::string s(text);
  if (s.size() > 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  in_addr v4{};
  in6_addr v6{};
  char out[INET6_ADDRSTRLEN] = "";
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) return inet_ntop(AF_INET, &v4, out, sizeof out) ? out : "";
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_V4MAPPED(&v6)) return inet_ntop(AF_INET, &v6.s6_addr[12], out, sizeof out) ? out : "";
    return inet_ntop(AF_INET6, &v6, out, sizeof out) ? out : "";
  }
  return "";
}

MHD_Result collect_header(void* cls, MHD_ValueKind, const char* key, const char* value) {
  auto& headers = *static_cast<std::map<std::string, std::string>*>(cls);
  std::string name = key ? key : "";
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto [it, fresh] = headers.try_emplace(name, value ? value : "");
  if (!fresh) it->second += std::string(", ") + (value ? value : "");
  return MHD_YES;
}

MHD_Result collect_query(void* cls, MHD_ValueKind, const char* key, const char* value) {
  static_cast<std::map<std::string, std::string>*>(cls)->try_emplace(key ? key : "", value ? value : "");
  return MHD_YES;
}

// The first call: the head has arrived, the body (if any) not yet. Refusals here are sent
// without reading the body (MHD closes the connection after them).
MHD_Result on_head(Engine& e, Exchange& ex, const char* url, const char* method) {
  HttpRequest& r = ex.request;
  r.method = method ? method : "";
  r.path = url ? url : "";
  MHD_get_connection_values(ex.connection, MHD_HEADER_KIND, &collect_header, &r.headers);
  MHD_get_connection_values(ex.connection, MHD_GET_ARGUMENT_KIND, &collect_query, &r.query);
  if (const auto* info = MHD_get_connection_info(ex.connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS))
    r.client_address = address_text(info->client_addr);
  if (!e.options.trusted_proxies.empty())
    if (auto it = r.headers.find("x-forwarded-for"); it != r.headers.end())
      r.client_address = client_address_of(r.client_address, it->second, e.options.trusted_proxies);
  if (const auto* info = MHD_get_connection_info(ex.connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT))
    ex.socket = static_cast<Connection*>(info->socket_context);

  const Router::Mount* mount = e.router.find(r.path);
  if (!mount) return queue(e, ex, e.router.handle(r));  // the router's 404
  if (r.headers.count("transfer-encoding"))
    return queue(e, ex, error_response(411, "length_required", "send the body with a Content-Length (chunked bodies are not accepted)"));
  if (auto it = r.headers.find("content-length"); it != r.headers.end()) {
    const std::string& text = it->second;
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
      return queue(e, ex, error_response(400, "bad_request", "Content-Length is not a number", "content-length"));
    ex.declared = text.size() > 18 ? SIZE_MAX : static_cast<std::size_t>(std::stoull(text));
  }
  if (const std::size_t limit = mount->max_body(r); ex.declared > limit) {
    if (mount->too_large) return queue(e, ex, mount->too_large(r));
    return queue(e, ex, error_response(413, "too_large", "the body is over " + std::to_string(limit) + " bytes: send smaller batches",
                                       "body"));
  }
  if (ex.declared > 0) {
    if (e.body_bytes.fetch_add(ex.declared) + ex.declared > e.options.body_budget_bytes) {
      e.body_bytes.fetch_sub(ex.declared);
      auto busy = error_response(503, "busy", "the server is receiving too much at once: try again shortly");
      busy.headers["Retry-After"] = "5";
      return queue(e, ex, std::move(busy));
    }
    ex.reserved = ex.declared;
    r.body.reserve(ex.declared);
  }
  const auto allowed = http_tuning::body_grace + std::chrono::seconds(ex.declared / http_tuning::min_body_rate);
  e.set_phase(ex.socket, Connection::Phase::body, allowed);
  return MHD_YES;
}

MHD_Result on_request(void* cls, MHD_Connection* c, const char* url, const char* method, const char*, const char* upload_data,
                      std::size_t* upload_size, void** con_cls) {
  auto& e = *static_cast<Engine*>(cls);
  auto* ex = static_cast<Exchange*>(*con_cls);
  if (!ex) {
    ex = new Exchange;
    ex->connection = c;
    *con_cls = ex;
    return on_head(e, *ex, url, method);
  }
  if (*upload_size > 0) {
    // MHD never hands over more than Content-Length, so this stays within what was reserved.
    ex->request.body.append(upload_data, *upload_size);
    *upload_size = 0;
    return MHD_YES;
  }
  if (ex->answer) return queue(e, *ex, std::move(*ex->answer));  // back from the worker
  if (ex->dispatched) return MHD_YES;
  ex->dispatched = true;
  if (!e.begin_work()) {
    auto r = error_response(503, "shutting_down", "the server is stopping: try again shortly");
    r.headers["Retry-After"] = "5";
    r.headers["Connection"] = "close";
    return queue(e, *ex, std::move(r));
  }
  e.set_phase(ex->socket, Connection::Phase::handling, {});
  MHD_suspend_connection(c);
  e.workers.post([&e, ex, c] {
    ex->answer = e.router.handle(ex->request);
    e.end_work(c);  // `ex` may be gone after this
  });
  return MHD_YES;
}

// --- logs ------------------------------------------------------------------------------

void on_completed(void* cls, MHD_Connection*, void** con_cls, MHD_RequestTerminationCode code) {
  auto& e = *static_cast<Engine*>(cls);
  auto* ex = static_cast<Exchange*>(*con_cls);
  if (!ex) return;
  *con_cls = nullptr;
  if (ex->reserved) e.body_bytes.fetch_sub(ex->reserved);
  e.set_phase(ex->socket, Connection::Phase::head, e.options.head_timeout);
  if (e.options.log_requests) {
    // One line a request: when, who (address), what, answer, bytes in and out.
    const std::string when = core::format_instant(core::SystemClock().now());
    const char* how = code == MHD_REQUEST_TERMINATED_COMPLETED_OK      ? ""
                      : code == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED ? " (timed out)"
                      : code == MHD_REQUEST_TERMINATED_CLIENT_ABORT    ? " (client gone)"
                                                                        : " (cut short)";
    std::string path = ex->request.path.substr(0, 200);
    for (char& ch : path)
      if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ch = '?';
    std::fprintf(stderr, "%s %s %s %s %d %zu %zu%s\n", when.c_str(), ex->request.client_address.c_str(), ex->request.method.c_str(),
                 path.c_str(), ex->status, ex->request.body.size(), ex->bytes_out, how);
  }
  delete ex;
}

void on_mhd_message(void* cls, const char* format, va_list args) {
  char text[512];
  std::vsnprintf(text, sizeof text, format, args);
  std::string message = text;
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  static_cast<Engine*>(cls)->log(message);
}

// --- HttpServer and serve_http --------------------------------------------------------

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Enough file descriptors for every connection allowed; fewer connections when the hard
// limit says so.
unsigned raise_descriptor_limit(unsigned wanted_connections) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return wanted_connections;
  const rlim_t wanted = static_cast<rlim_t>(wanted_connections) + http_tuning::spare_descriptors;
  if (limit.rlim_cur < wanted) {
    limit.rlim_cur = std::min(wanted, limit.rlim_max);
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
  }
  if (limit.rlim_cur >= wanted) return wanted_connections;
  const unsigned possible = limit.rlim_cur > 2 * http_tuning::spare_descriptors
                                ? static_cast<unsigned>(limit.rlim_cur - http_tuning::spare_descriptors)
                                : static_cast<unsigned>(limit.rlim_cur / 2);
  std::fprintf(stderr, "allervers-server: only %llu file descriptors allowed (ulimit -n): at most %u connections\n",
               static_cast<unsigned long long>(limit.rlim_cur), possible);
  return possible;
}

}  // namespace

struct HttpServer::Impl {
  Impl(const Router& router, const ListenOptions& options) : engine(router, options) {}
  Engine engine;
  std::string cert, key;
  sockaddr_storage address{};
  MHD_Daemon* daemon = nullptr;
  int port = 0;
  std::mutex reaper_mutex;
  std::condition_variable reaper_wake;
  bool reaper_stop = false;
  std::thread reaper;
  bool stopped = false;
};

HttpServer::HttpServer(const Router& router, const ListenOptions& options) : impl_(std::make_unique<Impl>(router, options)) {
  Engine& e = impl_->engine;
  e.options.max_connections = raise_descriptor_limit(std::max(1u, options.max_connections));

  std::string host = options.host;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
  sockaddr_storage& address = impl_->address;
  if (inet_pton(AF_INET, host.c_str(), &reinterpret_cast<sockaddr_in*>(&address)->sin_addr) == 1) {
    auto* a = reinterpret_cast<sockaddr_in*>(&address);
    a->sin_family = AF_INET;
    a->sin_port = htons(static_cast<std::uint16_t>(options.port));
  } else if (inet_pton(AF_INET6, host.c_str(), &reinterpret_cast<sockaddr_in6*>(&address)->sin6_addr) == 1) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&address);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(static_cast<std::uint16_t>(options.port));
    flags |= MHD_USE_IPv6;
  } else {
    throw std::runtime_error("--listen wants an IP address, not \"" + options.host +
                             "\" (0.0.0.0 for every IPv4 address, :: for IPv6)");
  }

  const bool tls = !options.tls_cert.empty() || !options.tls_key.empty();
  if (tls) {
    auto c = read_file(options.tls_cert), k = read_file(options.tls_key);
    if (!c || !k || c->empty() || k->empty())
      throw std::runtime_error("cannot read the TLS certificate " + options.tls_cert + " or the key " + options.tls_key);
    impl_->cert = std::move(*c);
    impl_->key = std::move(*k);
    flags |= MHD_USE_TLS;
  }
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const unsigned io_threads =
      options.io_threads > 0 ? static_cast<unsigned>(options.io_threads) : std::min(cores, http_tuning::max_io_threads);

  // The options MHD documents for 0.9.75; integers in `value`, single pointers in `ptr_value`,
  // a function and its closure as (value, ptr_value).
  std::vector<MHD_OptionItem> items = {
      {MHD_OPTION_EXTERNAL_LOGGER, reinterpret_cast<intptr_t>(&on_mhd_message), &e},
      {MHD_OPTION_SOCK_ADDR, 0, &address},
      {MHD_OPTION_THREAD_POOL_SIZE, static_cast<intptr_t>(io_threads), nullptr},
      {MHD_OPTION_CONNECTION_MEMORY_LIMIT, static_cast<intptr_t>(http_tuning::connection_memory_bytes), nullptr},
      {MHD_OPTION_CONNECTION_LIMIT, static_cast<intptr_t>(e.options.max_connections), nullptr},
      {MHD_OPTION_PER_IP_CONNECTION_LIMIT, static_cast<intptr_t>(std::max(1u, options.max_connections_per_address)), nullptr},
      {MHD_OPTION_CONNECTION_TIMEOUT, static_cast<intptr_t>(options.idle_timeout.count()), nullptr},
      {MHD_OPTION_NOTIFY_COMPLETED, reinterpret_cast<intptr_t>(&on_completed), &e},
      {MHD_OPTION_NOTIFY_CONNECTION, reinterpret_cast<intptr_t>(&on_connection), &e},
      {MHD_OPTION_STRICT_FOR_CLIENT, 1, nullptr},  // malformed heads refused (no request smuggling through lax parsing)
  };
  if (tls) {
    items.push_back({MHD_OPTION_HTTPS_MEM_CERT, 0, impl_->cert.data()});
    items.push_back({MHD_OPTION_HTTPS_MEM_KEY, 0, impl_->key.data()});
    // TLS 1.2 and 1.3 only, GnuTLS's default suites otherwise.
    items.push_back({MHD_OPTION_HTTPS_PRIORITIES, 0, const_cast<char*>("NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2")});
  }
  items.push_back({MHD_OPTION_END, 0, nullptr});

  impl_->daemon = MHD_start_daemon(flags, static_cast<std::uint16_t>(options.port), nullptr, nullptr, &on_request, &e,
                                   MHD_OPTION_ARRAY, items.data(), MHD_OPTION_END);
  if (!impl_->daemon) {
    std::string why;
    {
      std::lock_guard lock(e.log_mutex);
      why = e.last_message;
    }
    const std::string where = options.host + ":" + std::to_string(options.port);
    if (tls)
      throw std::runtime_error("cannot serve HTTPS on " + where + " with the certificate " + options.tls_cert + " and the key " +
                               options.tls_key + " (" + (why.empty() ? "not a pair, or the port is taken" : why) + ")");
    throw std::runtime_error("cannot listen on " + where + " (" + (why.empty() ? "in use, or not allowed" : why) + ")");
  }
  impl_->port = options.port;
  if (const auto* info = MHD_get_daemon_info(impl_->daemon, MHD_DAEMON_INFO_BIND_PORT)) impl_->port = info->port;

  impl_->reaper = std::thread([impl = impl_.get()] {
    std::unique_lock lock(impl->reaper_mutex);
    while (!impl->reaper_wake.wait_for(lock, http_tuning::reaper_period, [impl] { return impl->reaper_stop; })) reap(impl->engine);
  });
}

HttpServer::~HttpServer() {
  if (!stop()) std::_Exit(1);  // MHD may not be stopped with suspended connections; their transactions are not committed
}

int HttpServer::port() const { return impl_->port; }

bool HttpServer::stop() {
  Impl& s = *impl_;
  if (s.stopped) return true;
  Engine& e = s.engine;
  // No new connections, no new work; requests being handled finish and are answered.
  e.stopping = true;
  const MHD_socket listener = MHD_quiesce_daemon(s.daemon);
  const auto give_up = Clock::now() + http_tuning::shutdown_grace;
  while (e.in_flight.load() > 0 && Clock::now() < give_up) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  if (e.in_flight.load() > 0) {
    std::fprintf(stderr, "allervers-server: %d request(s) still running after %lld s: stopping without their answers\n",
                 e.in_flight.load(),
                 static_cast<long long>(std::chrono::duration_cast<std::chrono::seconds>(http_tuning::shutdown_grace).count()));
    return false;
  }
  s.stopped = true;
  {
    std::lock_guard lock(s.reaper_mutex);
    s.reaper_stop = true;
  }
  s.reaper_wake.notify_all();
  s.reaper.join();
  MHD_stop_daemon(s.daemon);
  if (listener != MHD_INVALID_SOCKET) ::close(listener);
  e.workers.stop();
  return true;
}

int serve_http(const Router& router, const ListenOptions& options, const std::function<void(int port)>& on_listening) {
  // SIGINT/SIGTERM are blocked in every thread (MHD's and ours inherit the mask) and taken below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  std::optional<HttpServer> server;
  try {
    server.emplace(router, options);
  } catch (const std::runtime_error& e) {
    std::fprintf(stderr, "allervers-server: %s\n", e.what());
    return 1;
  }
  on_listening(server->port());
  int sig = 0;
  sigwait(&stop_signals, &sig);
  if (!server->stop()) std::_Exit(1);
  return 0;
}

int serve_http(Api& api, const ListenOptions& options, const std::function<void(int port)>& on_listening) {
  Router router;
  mount_api(router, api);
  return serve_http(router, options, on_listening);
}

std::string client_address_of(const std::string& peer, std::string_view forwarded_for, const std::vector<std::string>& trusted_proxies) {
  auto trusted = [&](const std::string& address) {
    for (const auto& t : trusted_proxies)
      if (!address.empty() && canonical_address(t) == address) return true;
    return false;
  };
  if (!trusted(canonical_address(peer))) return peer;
  std::string_view rest = forwarded_for;
  while (!rest.empty()) {
    const auto comma = rest.rfind(',');
    std::string_view hop = comma == std::string_view::npos ? rest : rest.substr(comma + 1);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    while (!hop.empty() && (hop.front() == ' ' || hop.front() == '\t')) hop.remove_prefix(1);
    while (!hop.empty() && (hop.back() == ' ' || hop.back() == '\t')) hop.remove_suffix(1);
    const std::string address = canonical_address(hop);
    if (address.empty()) return peer;  // not an address (a port, garbage): believe nothing further
    if (!trusted(address)) return address;
  }
  return peer;
}

}  // namespace allervers::server
