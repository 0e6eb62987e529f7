#include "allervers/platform/hand_scanner.hpp"

#include <utility>

#include "allervers/core/text.hpp"

namespace allervers::platform {

void HandScannerDetector::character(char32_t c, std::int64_t at_ms) {
  // A slow gap ends any burst: what came before was typed by a person.
  if ((!burst_.empty() || overflow_) && at_ms - last_ms_ > options_.max_gap_ms) reset();
  last_ms_ = at_ms;
  if (overflow_) return;
  core::append_utf8(burst_, c);
  if (burst_.size() > options_.max_length) {
    burst_.clear();
    overflow_ = true;
  }
}

std::optional<std::string> HandScannerDetector::enter(std::int64_t at_ms) {
  const bool fast = !burst_.empty() && at_ms - last_ms_ <= options_.max_gap_ms;
  std::optional<std::string> scan;
  if (fast && !overflow_ && burst_.size() >= options_.min_length) scan = std::move(burst_);
  reset();
  return scan;
}

std::string undo_us_scanner_on_azerty(std::string_view typed) {
  // What AZERTY shows for the US key that was meant, both as UTF-8 text.
  static constexpr std::pair<std::string_view, char> table[] = {
      {"&", '1'}, {"é", '2'}, {"\"", '3'}, {"'", '4'}, {"(", '5'}, {"-", '6'}, {"è", '7'}, {"_", '8'},
      {"ç", '9'}, {"à", '0'}, {")", '-'}, {"Q", 'A'}, {"A", 'Q'}, {"W", 'Z'}, {"Z", 'W'}, {"q", 'a'},
      {"a", 'q'}, {"w", 'z'}, {"z", 'w'}, {"?", 'M'}, {",", 'm'}, {":", '.'}, {"M", ':'}, {"!", '/'}};
  std::string out;
  std::size_t at = 0;
  while (at < typed.size()) {
    bool matched = false;
    for (const auto& [shown, meant] : table) {
      if (typed.substr(at, shown.size()) == shown) {
        out.push_back(meant);
        at += shown.size();
        matched = true;
        break;
      }
    }
    if (!matched) out.push_back(typed[at++]);
  }
  return out;
}

void HandScannerDetector::reset() {
  burst_.clear();
  overflow_ = false;
}

}  // namespace allervers::platform
