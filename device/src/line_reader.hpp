#pragma once
// Reads lines from a file descriptor and tells whether more input is waiting, so that bulk
// entry can make its pending group durable (and say so) before it blocks on a slow writer.
#include <cstddef>
#include <optional>
#include <string>

namespace allervers::device {

class LineReader {
 public:
  LineReader(int fd, std::size_t max_line_bytes) : fd_(fd), max_line_(max_line_bytes) {}
  // The next line without its "\n" (a final line without one counts), or nothing at the end.
  // A line longer than the limit is returned cut to the limit with `too_long` set.
  std::optional<std::string> next(bool& too_long);
  // True when a line can be returned without waiting.
  bool ready();

 private:
  bool fill(bool block);
  int fd_;
  std::size_t max_line_;
  std::string buffer_;
  std::size_t start_ = 0;
  bool eof_ = false;
};

}  // namespace allervers::device
