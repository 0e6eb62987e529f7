#pragma once
// JSON values written as compact text: the very bytes nlohmann's
// `dump(-1, ' ', false, error_handler_t::replace)` writes (keys in order, no spaces, UTF-8 kept,
// control characters escaped), several times faster. Canonical capture bodies are compared
// byte for byte with those stored before (a re-sent record against the one held), so the bytes
// must not change: what this writer does not write itself (a floating-point number, text that
// is not well-formed UTF-8, binary) it leaves to nlohmann's dump, for that value alone (nlohmann
// writes each value on its own, so the bytes are the same).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace allervers::core {

std::string compact_json(const nlohmann::json& value);

// The same, a piece at a time, for writers that skip building a JSON value (the canonical
// capture body, the batch answer): `text` as a JSON string, quotes included; a whole number.
void append_json_string(std::string& out, std::string_view text);
void append_json_number(std::string& out, std::int64_t n);

// A JSON object written member by member in any order, and given out with its keys in the order
// a JSON value keeps them (byte order of the keys), as compact text. Keys are distinct and
// outlive the object.
class JsonObjectText {
 public:
  // Where to write the value under `key` (as JSON text), until the next call.
  std::string& member(std::string_view key);
  void append_to(std::string& out) const;

 private:
  struct Member {
    std::string_view key;
    std::size_t from, to;  // the value's text in values_
  };
  void close_last();
  std::string values_;
  std::vector<Member> members_;
};

}  // namespace allervers::core
