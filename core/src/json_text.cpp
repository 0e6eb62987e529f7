// Compact JSON text, byte for byte as nlohmann's dump writes it (json_text.hpp).
#include "allervers/core/json_text.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <string_view>

namespace allervers::core {
namespace {

using nlohmann::json;

// Well-formed UTF-8 (the Unicode standard's table 3-7: no overlong forms, no surrogates, nothing
// above U+10FFFF), which nlohmann's writer copies unchanged; anything else it replaces.
bool well_formed_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int more = 0;
    unsigned char low = 0x80, high = 0xBF;  // the bounds of the second byte
    if (c >= 0xC2 && c <= 0xDF) more = 1;
    else if (c == 0xE0) more = 2, low = 0xA0;
    else if (c == 0xED) more = 2, high = 0x9F;
    else if (c >= 0xE1 && c <= 0xEF) more = 2;
    else if (c == 0xF0) more = 3, low = 0x90;
    else if (c >= 0xF1 && c <= 0xF3) more = 3;
    else if (c == 0xF4) more = 3, high = 0x8F;
    else return false;
    if (end - p <= more) return false;
    if (p[1] < low || p[1] > high) return false;
    for (int k = 2; k <= more; ++k)
      if (p[k] < 0x80 || p[k] > 0xBF) return false;
    p += more + 1;
  }
  return true;
}

// The bytes written escaped: control characters, '"' and '\\'.
constexpr auto kEscaped = [] {
  std::array<bool, 256> escaped{};
  for (int c = 0; c < 256; ++c) escaped[static_cast<std::size_t>(c)] = c < 0x20 || c == '"' || c == '\\';
  return escaped;
}();

template <class Number>
void write_number(Number n, std::string& out) {
  char digits[24];
  const auto r = std::to_chars(digits, digits + sizeof digits, n);
  out.append(digits, r.ptr);
}

void write(const json& j, std::string& out) {
  switch (j.type()) {
    case json::value_t::null: out += "null"; return;
    case json::value_t::boolean: out += j.get<bool>() ? "true" : "false"; return;
    case json::value_t::number_integer: write_number(j.get<json::number_integer_t>(), out); return;
    case json::value_t::number_unsigned: write_number(j.get<json::number_unsigned_t>(), out); return;
    case json::value_t::string: append_json_string(out, j.get_ref<const json::string_t&>()); return;
    case json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& v : j.get_ref<const json::array_t&>()) {
        if (!first) out += ',';
        first = false;
        write(v, out);
      }
      out += ']';
      return;
    }
    case json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, v] : j.get_ref<const json::object_t&>()) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, key);
        out += ':';
        write(v, out);
      }
      out += '}';
      return;
    }
    default: out += j.dump(-1, ' ', false, json::error_handler_t::replace);  // floating point, binary: nlohmann's own rules
  }
}

}  // namespace

std::string compact_json(const json& value) {
  std::string out;
  out.reserve(512);
  write(value, out);
  return out;
}

void append_json_string(std::string& out, std::string_view s) {
  if (!well_formed_utf8(s)) {  // nlohmann's replacement characters, its way
    out += json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace);
    return;
  }
  out += '"';
  std::size_t run = 0;  // start of the bytes copied as they are
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (!kEscaped[c]) continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(escaped, sizeof escaped);
      }
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

void append_json_number(std::string& out, std::int64_t n) { write_number(n, out); }

void JsonObjectText::close_last() {
  if (!members_.empty()) members_.back().to = values_.size();
}

std::string& JsonObjectText::member(std::string_view key) {
  close_last();
  members_.push_back({key, values_.size(), values_.size()});
  return values_;
}

void JsonObjectText::append_to(std::string& out) const {
  std::vector<Member> sorted = members_;
  if (!sorted.empty()) sorted.back().to = values_.size();
  std::sort(sorted.begin(), sorted.end(), [](const Member& a, const Member& b) { return a.key < b.key; });
  out += '{';
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, sorted[i].key);
    out += ':';
    out.append(values_, sorted[i].from, sorted[i].to - sorted[i].from);
  }
  out += '}';
}

}  // namespace allervers::core
