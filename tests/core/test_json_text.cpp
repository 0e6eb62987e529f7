// compact_json writes the very bytes nlohmann's dump writes: stored capture bodies are compared
// byte for byte with those written before it existed (a re-sent record against the one held).
#include <catch2/catch.hpp>

#include <random>

#include "allervers/core/json_text.hpp"

using nlohmann::json;
using allervers::core::compact_json;

namespace {

std::string nlohmann_dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// Text made of pieces that each exercise a rule: escapes, control characters, DEL, UTF-8 of
// every length, and malformed UTF-8 (overlong, surrogates, beyond U+10FFFF, cut short).
std::string random_text(std::mt19937& rng) {
  static const std::vector<std::string> pieces = {
      "a", "Z", " ", "é", "ç", "«", "\xC2\xA0", "\xE2\x80\xAF", "ب", "سلام", "😀", "\xF4\x8F\xBF\xBF", "\"", "\\", "/", "\b",
      "\f", "\n", "\r", "\t", std::string(1, '\0'), "\x01", "\x1F", "\x7F", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80",
      "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xC3", "\xE2\x82", "\xF0\x9F\x98", "\x80", "\xBF", "\xFF", "\xC2\x41"};
  std::string out;
  const int n = std::uniform_int_distribution<int>(0, 6)(rng);
  for (int i = 0; i < n; ++i) out += pieces[std::uniform_int_distribution<std::size_t>(0, pieces.size() - 1)(rng)];
  return out;
}

json random_value(std::mt19937& rng, int depth) {
  switch (std::uniform_int_distribution<int>(0, depth > 3 ? 5 : 8)(rng)) {
    case 0: return nullptr;
    case 1: return std::uniform_int_distribution<int>(0, 1)(rng) == 1;
    case 2: return std::uniform_int_distribution<std::int64_t>(INT64_MIN, INT64_MAX)(rng);
    case 3: return std::uniform_int_distribution<std::uint64_t>(0, UINT64_MAX)(rng);
    case 4: return std::uniform_int_distribution<int>(-3, 3)(rng);
    case 5: return random_text(rng);
    case 6: return std::uniform_real_distribution<double>(-1e6, 1e6)(rng);
    case 7: {
      json a = json::array();
      for (int i = std::uniform_int_distribution<int>(0, 4)(rng); i > 0; --i) a.push_back(random_value(rng, depth + 1));
      return a;
    }
    default: {
      json o = json::object();
      for (int i = std::uniform_int_distribution<int>(0, 5)(rng); i > 0; --i) o[random_text(rng)] = random_value(rng, depth + 1);
      return o;
    }
  }
}

}  // namespace

TEST_CASE("compact_json writes the bytes nlohmann's dump writes", "[json_text]") {
  SECTION("each rule") {
    for (const json& j : {json(nullptr), json(true), json(false), json(0), json(-1), json(INT64_MIN), json(INT64_MAX), json(UINT64_MAX),
                          json(""), json("\"\\/\b\f\n\r\t"), json(std::string("\0\x01\x1f\x7f", 4)), json("Près de l’École « oui » ؟"),
                          json("😀"), json::array(), json::object(), json::parse(R"({"b":[1,{"z":null,"a":"x"}],"a":{},"c":[]})"),
                          json(1.5), json(-0.0), json("\xC3"), json("\xED\xA0\x80"), json{{"\xFF", 1}}, json{{"k", {1.25, "x"}}}}) {
      INFO(nlohmann_dump(j));
      CHECK(compact_json(j) == nlohmann_dump(j));
    }
  }
  SECTION("100,000 random values") {
    std::mt19937 rng(20261201);
    int differing = 0;
    for (int i = 0; i < 100'000; ++i) {
      const json j = random_value(rng, 0);
      if (compact_json(j) != nlohmann_dump(j)) {
        if (++differing <= 5) FAIL_CHECK(nlohmann_dump(j) << "\n  written as\n" << compact_json(j));
      }
    }
    CHECK(differing == 0);
  }
}
