#include <catch2/catch.hpp>

#include "allervers/passes/base32.hpp"
#include "allervers/passes/pass.hpp"

using namespace allervers::passes;

TEST_CASE("base32 round-trips every length and has exactly one spelling") {
  std::vector<std::uint8_t> bytes;
  for (int n = 0; n < 80; ++n) {
    const auto text = base32::encode(bytes);
    const auto back = base32::decode(text);
    REQUIRE(back);
    CHECK(*back == bytes);
    bytes.push_back(static_cast<std::uint8_t>(n * 37 + 11));
  }
  CHECK_FALSE(base32::decode("0Z"));   // non-zero padding bits
  CHECK_FALSE(base32::decode("abc"));  // lower case is a person's spelling, not a code's
  CHECK_FALSE(base32::decode("0"));    // a whole character of padding
  CHECK_FALSE(base32::decode("0U"));   // U is not in the alphabet
}

TEST_CASE("a fallback code is the pass id plus a check character and may be typed any way") {
  const PassId id(0x2'3456'789A'BCDEull);
  const std::string code = id.fallback_code();
  REQUIRE(code.size() == 13);
  CHECK(code[4] == '-');
  CHECK(code.substr(0, 4) + code.substr(5, 4) + code.substr(10, 2) == id.str());

  auto read = read_fallback_code(code);
  REQUIRE(read.problem == FallbackProblem::none);
  CHECK(*read.id == id);

  std::string typed;
  for (char c : code)
    if (c != '-') typed.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  typed.insert(5, " ");
  CHECK(read_fallback_code(typed).id == id);

  SECTION("O and I/L read as 0 and 1") {
    const PassId zeros(0);  // "0000000000" + check
    auto with_o = zeros.fallback_code();
    for (char& c : with_o)
      if (c == '0') c = 'O';
    CHECK(read_fallback_code(with_o).id == zeros);
  }
  SECTION("every single wrong character and every neighbour swap is caught") {
    std::string plain = id.str() + code.back();
    for (std::size_t i = 0; i < plain.size(); ++i) {
      for (char c : base32::alphabet) {
        if (c == plain[i]) continue;
        std::string wrong = plain;
        wrong[i] = c;
        CHECK(read_fallback_code(wrong).problem == FallbackProblem::wrong_check);
      }
      const bool zero_z = (plain[i] == '0' && plain[i + 1] == 'Z') || (plain[i] == 'Z' && plain[i + 1] == '0');
      if (i + 1 < plain.size() && plain[i] != plain[i + 1] && !zero_z) {
        std::string swapped = plain;
        std::swap(swapped[i], swapped[i + 1]);
        // Luhn mod 32 misses only the swap of "0" and "Z" (values 0 and 31).
        CHECK(read_fallback_code(swapped).problem == FallbackProblem::wrong_check);
      }
    }
  }
  CHECK(read_fallback_code("ABCD-EFGH").problem == FallbackProblem::wrong_length);
  CHECK(read_fallback_code("ABCD-EFGH-JK!").problem == FallbackProblem::bad_character);
  CHECK(read_fallback_code("ABCD-EFGH-JKU").problem == FallbackProblem::bad_character);
}

TEST_CASE("pass ids are 50 random bits in 10 characters") {
  const auto a = PassId::random();
  const auto b = PassId::random();
  CHECK(a != b);
  CHECK(a.str().size() == 10);
  CHECK(PassId::parse(a.str()) == a);
  CHECK_FALSE(PassId::parse("ABC"));
  CHECK_FALSE(PassId::parse("abcdefghjk"));
  CHECK_THROWS_AS(PassId(PassId::mask + 1), std::invalid_argument);
}
