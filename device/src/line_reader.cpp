#include "line_reader.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace allervers::device {

bool LineReader::fill(bool block) {
  if (eof_) return false;
  if (!block) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, 0) <= 0) return false;
  }
  if (start_ > 0 && start_ >= buffer_.size() / 2) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  char chunk[65536];
  for (;;) {
    const ssize_t n = read(fd_, chunk, sizeof chunk);
    if (n > 0) {
      buffer_.append(chunk, static_cast<std::size_t>(n));
      return true;
    }
    if (n == 0) {
      eof_ = true;
      return false;
    }
    if (errno != EINTR) throw std::runtime_error(std::string("reading the input failed: ") + strerror(errno));
  }
}

bool LineReader::ready() {
  if (buffer_.find('\n', start_) != std::string::npos) return true;
  if (buffer_.size() - start_ > max_line_) return true;
  while (fill(false)) {
    if (buffer_.find('\n', start_) != std::string::npos) return true;
  }
  return eof_;  // at the end, next() answers at once
}

std::optional<std::string> LineReader::next(bool& too_long) {
  too_long = false;
  std::string cut;        // the first max_line_ bytes of an over-long line
  bool skipping = false;  // the rest of that line is read and thrown away, never held whole
  for (;;) {
    const std::size_t nl = buffer_.find('\n', start_);
    if (nl != std::string::npos) {
      if (skipping) {
        start_ = nl + 1;
        too_long = true;
        return cut;
      }
      std::string line = buffer_.substr(start_, nl - start_);
      start_ = nl + 1;
      if (line.size() > max_line_) {
        line.resize(max_line_);
        too_long = true;
      }
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
    if (!skipping && buffer_.size() - start_ > max_line_) {
      cut = buffer_.substr(start_, max_line_);
      skipping = true;
    }
    if (skipping) {
      buffer_.clear();
      start_ = 0;
    }
    if (!fill(true)) {
      if (skipping) {
        too_long = true;
        return cut;
      }
      if (start_ >= buffer_.size()) return std::nullopt;
      std::string line = buffer_.substr(start_);
      start_ = buffer_.size();
      return line;
    }
  }
}

}  // namespace allervers::device
